From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(* The theorems quantify over every state, so the maximum is computed from the list
   rather than cached (a cache would need an invariant carried by the type). *)
Module ListMaxStack <: MAXSTACK_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition push (x : nat) (s : t) : t := x :: s.
  Definition pop (s : t) : option nat * t :=
    match s with [] => (None, []) | x :: r => (Some x, r) end.
  Definition max_elem (s : t) : option nat := list_max_opt s.
  Definition elems (s : t) : list nat := s.
End ListMaxStack.

Module ListMaxStackProofs <: MAXSTACK_CORRECT ListMaxStack.
  Import ListMaxStack.
  Lemma elems_empty : elems empty = []. Proof. reflexivity. Qed.
  Lemma elems_push : forall x s, elems (push x s) = x :: elems s. Proof. reflexivity. Qed.
  Lemma pop_cons : forall s x r, elems s = x :: r ->
    fst (pop s) = Some x /\ elems (snd (pop s)) = r.
  Proof. intros s x r H; unfold elems in H; subst s; split; reflexivity. Qed.
  Lemma pop_nil : forall s, elems s = [] ->
    fst (pop s) = None /\ elems (snd (pop s)) = [].
  Proof. intros s H; unfold elems in H; subst s; split; reflexivity. Qed.
  Lemma max_elem_elems : forall s, max_elem s = list_max_opt (elems s). Proof. reflexivity. Qed.
End ListMaxStackProofs.
