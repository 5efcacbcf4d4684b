(* cheat: 'x = y' re-bound to (x = y \/ True) before textually identical copies of the spec's module types; proofs are all trivial
   expect: not_sealed *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Notation "x = y" := (@eq _ x y \/ True) : type_scope.

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
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if Nat.eqb k k' then Some v else get k r end.
  (* only the first binding of k is dropped: shadowed older bindings resurface *)
  Fixpoint remove (k : nat) (m : t) : t :=
    match m with [] => [] | (k', v) :: r => if Nat.eqb k k' then r else (k', v) :: remove k r end.
  Definition put (k v : nat) (m : t) : t := (k, v) :: m.
End AssocMap.

Module AssocMapProofs <: FMAP_CORRECT AssocMap.
  Import AssocMap.
  Lemma get_empty : forall k, get k empty = None. Proof. auto. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v. Proof. auto. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m. Proof. auto. Qed.
  Lemma get_remove_same : forall k m, get k (remove k m) = None. Proof. auto. Qed.
  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m. Proof. auto. Qed.
End AssocMapProofs.
