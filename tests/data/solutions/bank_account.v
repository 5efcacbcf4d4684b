From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List Lia.
Import ListNotations.

Module NatAccount <: ACCOUNT_SIG.
  Definition t := nat.
  Definition init : t := 0.
  Definition deposit (a : nat) (s : t) : t := s + a.
  Definition withdraw (a : nat) (s : t) : bool * t :=
    if a <=? s then (true, s - a) else (false, s).
  Definition balance (s : t) : nat := s.
End NatAccount.

Module NatAccountProofs <: ACCOUNT_CORRECT NatAccount.
  Import NatAccount.
  Lemma balance_init : balance init = 0. Proof. reflexivity. Qed.
  Lemma balance_deposit : forall a s, balance (deposit a s) = model_deposit a (balance s).
  Proof. reflexivity. Qed.
  Lemma withdraw_accepted : forall a s, a <= balance s ->
    fst (withdraw a s) = true /\ balance (snd (withdraw a s)) = balance s - a.
  Proof. intros a s H. unfold withdraw, balance in *. apply Nat.leb_le in H. rewrite H. auto. Qed.
  Lemma withdraw_refused : forall a s, balance s < a -> withdraw a s = (false, s).
  Proof. intros a s H. unfold withdraw, balance in *.
    destruct (a <=? s) eqn:E; [apply Nat.leb_le in E; lia | reflexivity]. Qed.

  (** Proved from the per-operation lemmas only. *)
  Lemma run_ledger : forall ops s,
    balance (run deposit withdraw ops s) + snd (ledger ops (balance s))
    = balance s + fst (ledger ops (balance s)).
  Proof.
    induction ops as [|[a|a] r IH]; intros s.
    - simpl. lia.
    - change (run deposit withdraw (Deposit a :: r) s) with (run deposit withdraw r (deposit a s)).
      specialize (IH (deposit a s)). rewrite balance_deposit in IH. unfold model_deposit in IH.
      simpl. destruct (ledger r (balance s + a)) as [d w]. simpl in *. lia.
    - change (run deposit withdraw (Withdraw a :: r) s)
        with (run deposit withdraw r (snd (withdraw a s))).
      simpl. destruct (a <=? balance s) eqn:E.
      + apply Nat.leb_le in E. destruct (withdraw_accepted a s E) as [_ Hb].
        specialize (IH (snd (withdraw a s))). rewrite Hb in IH.
        destruct (ledger r (balance s - a)) as [d w]. simpl in *. lia.
      + apply Nat.leb_gt in E. rewrite (withdraw_refused a s E). simpl. exact (IH s).
  Qed.

  Lemma balance_ledger : forall ops,
    balance (run deposit withdraw ops init) + snd (ledger ops 0) = fst (ledger ops 0).
  Proof. intros ops. exact (run_ledger ops init). Qed.
End NatAccountProofs.
