From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat.

Module NatCounter <: COUNTER_SIG.
  Definition t := nat.
  Definition init : t := 0.
  Definition incr (c : t) : t := S c.
  Definition decr (c : t) : t := match c with 0 => 0 | S n => n end.
  Definition reset (c : t) : t := 0.
  Definition value (c : t) : nat := c.
End NatCounter.

Module NatCounterProofs <: COUNTER_CORRECT NatCounter.
  Import NatCounter.
  Lemma value_init : value init = 0. Proof. reflexivity. Qed.
  Lemma value_incr : forall c, value (incr c) = model_incr (value c). Proof. reflexivity. Qed.
  Lemma value_decr : forall c, value (decr c) = model_decr (value c).
  Proof. intros [|n]; unfold model_decr; simpl; [reflexivity|]. rewrite Nat.sub_0_r. reflexivity. Qed.
  Lemma value_reset : forall c, value (reset c) = model_reset (value c). Proof. reflexivity. Qed.
End NatCounterProofs.
