From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat.

Module TwoCounts <: PARITY_SIG.
  Definition t := (nat * nat)%type.   (* evens, odds *)
  Definition init : t := (0, 0).
  Definition feed (x : nat) (s : t) : t :=
    if Nat.even x then (S (fst s), snd s) else (fst s, S (snd s)).
  Definition evens (s : t) : nat := fst s.
  Definition odds (s : t) : nat := snd s.
End TwoCounts.

Module TwoCountsProofs <: PARITY_CORRECT TwoCounts.
  Import TwoCounts.
  Lemma evens_init : evens init = 0. Proof. reflexivity. Qed.
  Lemma odds_init : odds init = 0. Proof. reflexivity. Qed.
  Lemma evens_feed : forall x s, evens (feed x s) = if Nat.even x then S (evens s) else evens s.
  Proof. intros x s; unfold feed; destruct (Nat.even x); reflexivity. Qed.
  Lemma odds_feed : forall x s, odds (feed x s) = if Nat.even x then odds s else S (odds s).
  Proof. intros x s; unfold feed; destruct (Nat.even x); reflexivity. Qed.
End TwoCountsProofs.
