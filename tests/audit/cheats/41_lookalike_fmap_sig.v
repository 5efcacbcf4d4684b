(* cheat: local look-alike FMAP_SIG/FMAP_CORRECT without remove shadow the spec's names; impl has no remove at all
   expect: not_sealed *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(* same names as the spec's module types, declared after the spec import: they shadow it *)
Module Type FMAP_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter get : nat -> t -> option nat.
  Parameter put : nat -> nat -> t -> t.
End FMAP_SIG.

Module Type FMAP_CORRECT (Import M : FMAP_SIG).
  Axiom get_empty : forall k, get k empty = None.
  Axiom get_put_same : forall k v m, get k (put k v m) = Some v.
  Axiom get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
End FMAP_CORRECT.

Module AssocMap <: FMAP_SIG.
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if Nat.eqb k k' then Some v else get k r end.
  Definition put (k v : nat) (m : t) : t := (k, v) :: m.
End AssocMap.

Module AssocMapProofs <: FMAP_CORRECT AssocMap.
  Import AssocMap.
  Lemma get_empty : forall k, get k empty = None. Proof. reflexivity. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof. intros. simpl. rewrite Nat.eqb_refl. reflexivity. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof. intros k k' v m H. simpl. destruct (Nat.eqb k' k) eqn:E; auto.
    apply Nat.eqb_eq in E; congruence. Qed.
End AssocMapProofs.
