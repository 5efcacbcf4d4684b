(* cheat: keys are compared with a Qed-closed decision procedure (key_eq_dec): honest proofs, witnesses never reduce to a value
   expect: witness_undetermined *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(* Qed instead of Defined: the decision procedure is opaque to every reduction *)
Lemma key_eq_dec : forall a b : nat, {a = b} + {a <> b}.
Proof. decide equality. Qed.

Module AssocMap <: FMAP_SIG.
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if key_eq_dec k k' then Some v else get k r end.
  Fixpoint remove (k : nat) (m : t) : t :=
    match m with [] => [] | (k', v) :: r => if key_eq_dec k k' then remove k r else (k', v) :: remove k r end.
  Definition put (k v : nat) (m : t) : t := (k, v) :: remove k m.
End AssocMap.

Module AssocMapProofs <: FMAP_CORRECT AssocMap.
  Import AssocMap.
  Lemma get_empty : forall k, get k empty = None. Proof. reflexivity. Qed.
  Lemma get_remove_same : forall k m, get k (remove k m) = None.
  Proof. intros k m. induction m as [|[k' v] r IH]; simpl; auto.
    destruct (key_eq_dec k k'); simpl; auto. destruct (key_eq_dec k k'); congruence. Qed.
  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
  Proof. intros k k' m H. induction m as [|[a v] r IH]; simpl; auto.
    destruct (key_eq_dec k a) as [->|Hka].
    - destruct (key_eq_dec k' a) as [->|_]; [congruence | exact IH].
    - simpl. destruct (key_eq_dec k' a); auto. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof. intros. simpl. destruct (key_eq_dec k k); congruence. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof. intros k k' v m H. simpl. destruct (key_eq_dec k' k).
    - congruence.
    - apply get_remove_other; auto. Qed.
End AssocMapProofs.
