From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Module SortedList <: PQ_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition insert (x : nat) (q : t) : t := insert_sorted x q.
  Definition pop_min (q : t) : option nat * t :=
    match q with [] => (None, []) | x :: r => (Some x, r) end.
  Definition elems (q : t) : list nat := q.
End SortedList.

Module SortedListProofs <: PQ_CORRECT SortedList.
  Import SortedList.
  Lemma elems_empty : elems empty = []. Proof. reflexivity. Qed.
  Lemma elems_insert : forall x q, elems (insert x q) = insert_sorted x (elems q). Proof. reflexivity. Qed.
  Lemma pop_min_cons : forall q x r, elems q = x :: r ->
    fst (pop_min q) = Some x /\ elems (snd (pop_min q)) = r.
  Proof. intros q x r H; unfold elems in H; subst q; split; reflexivity. Qed.
  Lemma pop_min_nil : forall q, elems q = [] ->
    fst (pop_min q) = None /\ elems (snd (pop_min q)) = [].
  Proof. intros q H; unfold elems in H; subst q; split; reflexivity. Qed.
End SortedListProofs.
