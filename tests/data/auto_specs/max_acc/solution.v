From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat.

Module RunningMax <: MAXACC_SIG.
  Definition t := nat.
  Definition init : t := 0.
  Definition add (x : nat) (s : t) : t := Nat.max x s.
  Definition largest (s : t) : nat := s.
End RunningMax.

Module RunningMaxProofs <: MAXACC_CORRECT RunningMax.
  Import RunningMax.
  Lemma largest_init : largest init = 0. Proof. reflexivity. Qed.
  Lemma largest_add : forall x s, largest (add x s) = Nat.max x (largest s). Proof. reflexivity. Qed.
End RunningMaxProofs.
