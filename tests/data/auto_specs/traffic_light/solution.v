From Spec Require Import spec.

Module Light <: LIGHT_SIG.
  Definition t := color.
  Definition init : t := Red.
  Definition next (s : t) : t := model_next s.
  Definition emergency (s : t) : t := Red.
  Definition color_of (s : t) : color := s.
End Light.

Module LightProofs <: LIGHT_CORRECT Light.
  Import Light.
  Lemma color_init : color_of init = Red. Proof. reflexivity. Qed.
  Lemma color_next : forall s, color_of (next s) = model_next (color_of s). Proof. reflexivity. Qed.
  Lemma color_emergency : forall s, color_of (emergency s) = Red. Proof. reflexivity. Qed.
End LightProofs.
