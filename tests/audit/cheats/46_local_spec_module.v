(* cheat: a local module named spec with weak module types; '<: spec.FMAP_SIG' resolves to it, not to Spec.spec
   expect: not_sealed
   also: vacuity *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Module spec.
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
  End FMAP_CORRECT.
End spec.

Module AssocMap <: spec.FMAP_SIG.
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if Nat.eqb k k' then Some v else get k r end.
  Definition remove (k : nat) (m : t) : t := m.
  Definition put (k v : nat) (m : t) : t := (k, v) :: m.
End AssocMap.

Module AssocMapProofs <: spec.FMAP_CORRECT AssocMap.
  Import AssocMap.
  Lemma get_empty : forall k, get k empty = None. Proof. reflexivity. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof. intros. simpl. rewrite Nat.eqb_refl. reflexivity. Qed.
End AssocMapProofs.
