From Spec Require Import spec.
Require Import Coq.NArith.NArith Coq.Lists.List.
Import ListNotations.

Module AssocN <: NMAP_SIG.
  Definition t := list (N * bool).
  Definition empty : t := nil.
  Fixpoint find (k : N) (m : t) : option bool :=
    match m with
    | nil => None
    | (k', v) :: r => if N.eqb k k' then Some v else find k r
    end.
  Definition add (k : N) (v : bool) (m : t) : t := (k, v) :: m.
  Fixpoint del (k : N) (m : t) : t :=
    match m with
    | nil => nil
    | (k', v) :: r => if N.eqb k k' then del k r else (k', v) :: del k r
    end.
End AssocN.

Module AssocNProofs <: NMAP_CORRECT AssocN.
  Import AssocN.
  Lemma find_empty : forall k, find k empty = None. Proof. reflexivity. Qed.
  Lemma find_add_same : forall k v m, find k (add k v m) = Some v.
  Proof. intros; simpl; rewrite N.eqb_refl; reflexivity. Qed.
  Lemma find_add_other : forall k k' v m, k <> k' -> find k' (add k v m) = find k' m.
  Proof.
    intros k k' v m H; simpl.
    destruct (N.eqb_spec k' k); [congruence | reflexivity].
  Qed.
  Lemma find_del_same : forall k m, find k (del k m) = None.
  Proof.
    intros k m; induction m as [|[k' v] r IH]; simpl; [reflexivity|].
    destruct (N.eqb_spec k k'); simpl; [assumption|].
    destruct (N.eqb_spec k k'); [congruence|assumption].
  Qed.
  Lemma find_del_other : forall k k' m, k <> k' -> find k' (del k m) = find k' m.
  Proof.
    intros k k' m H; induction m as [|[j v] r IH]; simpl; [reflexivity|].
    destruct (N.eqb_spec k j); simpl.
    - subst j. destruct (N.eqb_spec k' k); [congruence|assumption].
    - destruct (N.eqb_spec k' j); [reflexivity|assumption].
  Qed.
End AssocNProofs.
