(* cheat: local option/Some/None (all equal to tt) then textually identical spec copies: every statement holds for a map that stores nothing
   expect: not_sealed
   also: vacuity *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Definition option (A : Type) : Type := unit.
Definition Some {A : Type} (a : A) : option A := tt.
Definition None {A : Type} : option A := tt.

Module Type FMAP_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter get : nat -> t -> option nat.
  Parameter put : nat -> nat -> t -> t.
  Parameter remove : nat -> t -> t.
End FMAP_SIG.

Module Type FMAP_CORRECT (Import M : FMAP_SIG).
  Axiom get_empty : forall k, get k empty = None.
  Axiom get_put_same : forall k v m, get k (put k v m) = Some v.
  Axiom get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Axiom get_remove_same : forall k m, get k (remove k m) = None.
  Axiom get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
End FMAP_CORRECT.

Module AssocMap <: FMAP_SIG.
  Definition t := unit.
  Definition empty : t := tt.
  Definition get (k : nat) (m : t) : option nat := None.
  Definition put (k v : nat) (m : t) : t := m.
  Definition remove (k : nat) (m : t) : t := m.
End AssocMap.

Module AssocMapProofs <: FMAP_CORRECT AssocMap.
  Import AssocMap.
  Lemma get_empty : forall k, get k empty = None. Proof. reflexivity. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v. Proof. reflexivity. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m. Proof. reflexivity. Qed.
  Lemma get_remove_same : forall k m, get k (remove k m) = None. Proof. reflexivity. Qed.
  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m. Proof. reflexivity. Qed.
End AssocMapProofs.
