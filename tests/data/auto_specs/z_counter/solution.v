From Spec Require Import spec.
Require Import Coq.ZArith.ZArith.

Module ZCell <: ZCOUNTER_SIG.
  Definition t := Z.
  Definition init : t := 0%Z.
  Definition up (s : t) : t := (s + 1)%Z.
  Definition down (s : t) : t := (s - 1)%Z.
  Definition add_by (d : Z) (s : t) : t := (s + d)%Z.
  Definition value (s : t) : Z := s.
End ZCell.

Module ZCellProofs <: ZCOUNTER_CORRECT ZCell.
  Import ZCell.
  Lemma value_init : value init = 0%Z. Proof. reflexivity. Qed.
  Lemma value_up : forall s, value (up s) = (value s + 1)%Z. Proof. reflexivity. Qed.
  Lemma value_down : forall s, value (down s) = (value s - 1)%Z. Proof. reflexivity. Qed.
  Lemma value_add_by : forall d s, value (add_by d s) = (value s + d)%Z. Proof. reflexivity. Qed.
End ZCellProofs.
