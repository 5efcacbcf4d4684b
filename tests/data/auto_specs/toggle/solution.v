From Spec Require Import spec.

Module BoolSwitch <: TOGGLE_SIG.
  Definition t := bool.
  Definition init : t := false.
  Definition flip (s : t) : t := negb s.
  Definition turn_off (s : t) : t := false.
  Definition is_on (s : t) : bool := s.
End BoolSwitch.

Module BoolSwitchProofs <: TOGGLE_CORRECT BoolSwitch.
  Import BoolSwitch.
  Lemma is_on_init : is_on init = false. Proof. reflexivity. Qed.
  Lemma is_on_flip : forall s, is_on (flip s) = negb (is_on s). Proof. reflexivity. Qed.
  Lemma is_on_turn_off : forall s, is_on (turn_off s) = false. Proof. reflexivity. Qed.
End BoolSwitchProofs.
