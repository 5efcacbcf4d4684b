From Spec Require Import spec.
Require Import Coq.Lists.List.
Import ListNotations.

Module ListDeque <: DEQUE_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition push_front (x : nat) (d : t) : t := x :: d.
  Definition push_back (x : nat) (d : t) : t := d ++ [x].
  Definition pop_front (d : t) : option nat * t :=
    match d with [] => (None, []) | x :: r => (Some x, r) end.
  (* The last element and everything before it. *)
  Fixpoint pop_back (d : t) : option nat * t :=
    match d with
    | [] => (None, [])
    | [x] => (Some x, [])
    | x :: r => let (o, r') := pop_back r in (o, x :: r')
    end.
  Definition elems (d : t) : list nat := d.
End ListDeque.

Module ListDequeProofs <: DEQUE_CORRECT ListDeque.
  Import ListDeque.
  Lemma elems_empty : elems empty = []. Proof. reflexivity. Qed.
  Lemma elems_push_front : forall x d, elems (push_front x d) = x :: elems d. Proof. reflexivity. Qed.
  Lemma elems_push_back : forall x d, elems (push_back x d) = elems d ++ [x]. Proof. reflexivity. Qed.
  Lemma pop_front_cons : forall d x r, elems d = x :: r ->
    fst (pop_front d) = Some x /\ elems (snd (pop_front d)) = r.
  Proof. intros d x r H; unfold elems in H; subst d; split; reflexivity. Qed.
  Lemma pop_front_nil : forall d, elems d = [] ->
    fst (pop_front d) = None /\ elems (snd (pop_front d)) = [].
  Proof. intros d H; unfold elems in H; subst d; split; reflexivity. Qed.
  Lemma pop_back_app : forall r x, pop_back (r ++ [x]) = (Some x, r).
  Proof.
    induction r as [|y r IH]; intros x; [reflexivity|].
    simpl. rewrite IH. destruct r; reflexivity.
  Qed.
  Lemma pop_back_snoc : forall d r x, elems d = r ++ [x] ->
    fst (pop_back d) = Some x /\ elems (snd (pop_back d)) = r.
  Proof. intros d r x H; unfold elems in H; subst d; rewrite pop_back_app; split; reflexivity. Qed.
  Lemma pop_back_nil : forall d, elems d = [] ->
    fst (pop_back d) = None /\ elems (snd (pop_back d)) = [].
  Proof. intros d H; unfold elems in H; subst d; split; reflexivity. Qed.
End ListDequeProofs.
