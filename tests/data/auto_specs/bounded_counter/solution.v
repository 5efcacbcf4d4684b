From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List Lia.

Module CappedNat <: BCOUNTER_SIG.
  Definition t := nat.
  Definition init : t := 0.
  Definition incr (s : t) : t := if Nat.ltb s cap then S s else s.
  Definition decr (s : t) : t := s - 1.
  Definition value (s : t) : nat := s.
End CappedNat.

Module CappedNatProofs <: BCOUNTER_CORRECT CappedNat.
  Import CappedNat.
  Lemma value_init : value init = 0. Proof. reflexivity. Qed.
  Lemma value_incr : forall s, value s < cap -> value (incr s) = S (value s).
  Proof. intros s H; unfold value, incr in *; destruct (Nat.ltb_spec s cap); lia. Qed.
  Lemma value_incr_full : forall s, cap <= value s -> value (incr s) = value s.
  Proof. intros s H; unfold value, incr in *; destruct (Nat.ltb_spec s cap); lia. Qed.
  Lemma value_decr : forall s, value (decr s) = value s - 1. Proof. reflexivity. Qed.
  Lemma bounded_run : forall ops s, s <= cap -> run incr decr ops s <= cap.
  Proof.
    induction ops as [|o ops IH]; intros s H; simpl; [assumption|].
    apply IH. destruct o; unfold incr, decr; [destruct (Nat.ltb_spec s cap)|]; unfold cap in *; lia.
  Qed.
  Lemma value_bounded : forall ops, value (run incr decr ops init) <= cap.
  Proof. intros ops; apply bounded_run; unfold init, cap; lia. Qed.
End CappedNatProofs.
