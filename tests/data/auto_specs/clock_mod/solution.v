From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat.

Module Dial <: CLOCK_SIG.
  Definition t := nat.
  Definition init : t := 0.
  Definition tick (s : t) : t := (S s) mod 12.
  Definition hour (s : t) : nat := s mod 12.
End Dial.

Module DialProofs <: CLOCK_CORRECT Dial.
  Import Dial.
  Lemma hour_init : hour init = 0. Proof. reflexivity. Qed.
  Lemma hour_tick : forall s, hour (tick s) = (S (hour s)) mod 12.
  Proof.
    intros s; unfold hour, tick.
    rewrite Nat.mod_mod by discriminate.
    rewrite <- Nat.add_1_l, <- (Nat.add_1_l (s mod 12)).
    rewrite Nat.add_mod_idemp_r by discriminate. reflexivity.
  Qed.
  Lemma hour_lt : forall n, hour (Nat.iter n tick init) < 12.
  Proof. intros n; unfold hour; apply Nat.mod_upper_bound; discriminate. Qed.
End DialProofs.
