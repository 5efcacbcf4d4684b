From Spec Require Import spec.
Require Import Coq.Lists.List.
Import ListNotations.

Module ListStack <: STACK_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition push (x : nat) (s : t) : t := x :: s.
  Definition pop (s : t) : option nat * t :=
    match s with [] => (None, []) | x :: r => (Some x, r) end.
  Definition top (s : t) : option nat := hd_error s.
  Definition size (s : t) : nat := length s.
  Definition elems (s : t) : list nat := s.
End ListStack.

Module ListStackProofs <: STACK_CORRECT ListStack.
  Import ListStack.
  Lemma elems_empty : elems empty = []. Proof. reflexivity. Qed.
  Lemma elems_push : forall x s, elems (push x s) = x :: elems s. Proof. reflexivity. Qed.
  Lemma pop_cons : forall s x r, elems s = x :: r ->
    fst (pop s) = Some x /\ elems (snd (pop s)) = r.
  Proof. intros s x r H; unfold elems in H; subst s; split; reflexivity. Qed.
  Lemma pop_nil : forall s, elems s = [] ->
    fst (pop s) = None /\ elems (snd (pop s)) = [].
  Proof. intros s H; unfold elems in H; subst s; split; reflexivity. Qed.
  Lemma top_elems : forall s, top s = hd_error (elems s). Proof. reflexivity. Qed.
  Lemma size_elems : forall s, size s = length (elems s). Proof. reflexivity. Qed.
End ListStackProofs.
