From Spec Require Import spec.
Require Import Coq.NArith.NArith.

Module NWallet <: WALLET_SIG.
  Definition t := N.
  Definition init : t := 0%N.
  Definition credit (a : N) (s : t) : t := (s + a)%N.
  Definition debit (a : N) (s : t) : t := (s - a)%N.
  Definition balance (s : t) : N := s.
End NWallet.

Module NWalletProofs <: WALLET_CORRECT NWallet.
  Import NWallet.
  Lemma balance_init : balance init = 0%N. Proof. reflexivity. Qed.
  Lemma balance_credit : forall a s, balance (credit a s) = (balance s + a)%N. Proof. reflexivity. Qed.
  Lemma balance_debit : forall a s, balance (debit a s) = (balance s - a)%N. Proof. reflexivity. Qed.
End NWalletProofs.
