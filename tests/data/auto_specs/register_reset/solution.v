From Spec Require Import spec.

Module Cell <: REGISTER_SIG.
  Definition t := nat.
  Definition init : t := 0.
  Definition write (x : nat) (s : t) : t := x.
  Definition reset (s : t) : t := 0.
  Definition read (s : t) : nat := s.
End Cell.

Module CellProofs <: REGISTER_CORRECT Cell.
  Import Cell.
  Lemma read_init : read init = 0. Proof. reflexivity. Qed.
  Lemma read_write : forall x s, read (write x s) = x. Proof. reflexivity. Qed.
  Lemma read_reset : forall s, read (reset s) = 0. Proof. reflexivity. Qed.
End CellProofs.
