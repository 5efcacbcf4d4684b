From Spec Require Import spec.
Require Import Coq.Lists.List Lia.
Import ListNotations.

Module SumList <: SUMLIST_SIG.
  Definition t := list nat.
  Definition init : t := [].
  Definition add (x : nat) (s : t) : t := s ++ [x].
  Definition total (s : t) : nat := sum s.
  Definition elems (s : t) : list nat := s.
End SumList.

Module SumListProofs <: SUMLIST_CORRECT SumList.
  Import SumList.
  Lemma elems_init : elems init = []. Proof. reflexivity. Qed.
  Lemma elems_add : forall x s, elems (add x s) = elems s ++ [x]. Proof. reflexivity. Qed.
  Lemma total_elems : forall s, total s = sum (elems s). Proof. reflexivity. Qed.
End SumListProofs.
