From Spec Require Import spec.
Require Import Coq.Lists.List.
Import ListNotations.

Module HistStack <: UNDO_SIG.
  Definition t := list nat.
  Definition init : t := [].
  Definition set (x : nat) (s : t) : t := x :: s.
  Definition undo (s : t) : t := tl s.
  Definition current (s : t) : option nat := hd_error s.
  Definition history (s : t) : list nat := s.
End HistStack.

Module HistStackProofs <: UNDO_CORRECT HistStack.
  Import HistStack.
  Lemma history_init : history init = []. Proof. reflexivity. Qed.
  Lemma history_set : forall x s, history (set x s) = x :: history s. Proof. reflexivity. Qed.
  Lemma history_undo : forall s, history (undo s) = tl (history s). Proof. reflexivity. Qed.
  Lemma current_history : forall s, current s = hd_error (history s). Proof. reflexivity. Qed.
End HistStackProofs.
