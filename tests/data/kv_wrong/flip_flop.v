(** The flip-flop store (issue 13): [LWW], except that the tie-break between writes with equal
    timestamps flips with the parity of the number of writes the replica knows. Accepted by all
    seven first-model specs; rejected by all seven restated ones: two quiescent reads of one
    replica, with the same writes visible, answer differently, so no single serialization of
    that replica explains them. *)
From Spec Require Import model.
From Wrong Require Import lww.
From Coq Require Import Arith.PeanoNat Bool Lia.

Module FlipFlop <: KV_SIG.
  Definition t := LWW.t.
  Definition msg := LWW.msg.
  Definition init := LWW.init.
  Definition put := LWW.put.
  Definition deliverable := LWW.deliverable.
  Definition deliver := LWW.deliver.
  Definition get (V : Type) (k : nat) (s : t V) : option V * t V :=
    let '(r, n, X) := s in (best (newer (Nat.odd (size n X))) k (cands n X), s).
End FlipFlop.

(** Replicas 0 and 1 write key 1 concurrently; after delivery replica 0 reads 2; after an
    unrelated write is delivered, it reads 1. Both reads are quiescent. *)
Definition schedule : list cmd :=
  [Put 0 1 1; Put 1 1 2; DeliverAll; Get 0 1; Put 2 5 5; DeliverAll; Get 0 1].

Lemma flip_flop_answers :
  run_schedule (FlipFlop.init nat) (FlipFlop.put nat) (FlipFlop.get nat) (FlipFlop.deliverable nat)
    (FlipFlop.deliver nat) 3 schedule = [Some 2; Some 1].
Proof. vm_compute. reflexivity. Qed.

Definition run := run_history (FlipFlop.init nat) (FlipFlop.put nat) (FlipFlop.get nat)
  (FlipFlop.deliverable nat) (FlipFlop.deliver nat) 3 schedule.

Lemma run_eq : run = [EvPut 0 1 1; EvPut 1 1 2; EvDeliver 1 0; EvDeliver 2 0; EvDeliver 0 1;
  EvDeliver 2 1; EvGet 0 1 (Some 1); EvPut 2 5 5; EvDeliver 0 7; EvDeliver 1 7; EvGet 0 1 (Some 0)].
Proof. vm_compute. reflexivity. Qed.

Lemma run_not_explained : ~ exists ser vis, base 3 run ser vis.
Proof.
  rewrite run_eq. intros [ser [vis B]].
  refine (quiet_reads_disagree 3 _ ser vis 0 0 1 6 10 1 0 B (or_introl eq_refl)
            eq_refl eq_refl ltac:(lia) _ _ ltac:(lia) ltac:(lia) _ _);
    solve [apply quietb_sound; vm_compute; reflexivity | eapply is_put_at; reflexivity].
Qed.

Section Rejected.
  Let rejects (P : nat -> history -> Prop) : Prop := ~ (forall n s, 1 <= n -> reachable (FlipFlop.init nat) (FlipFlop.put nat)
    (FlipFlop.get nat) (FlipFlop.deliverable nat) (FlipFlop.deliver nat) n s -> P n (hist s)).

  Lemma rejected_by_base (P : nat -> history -> Prop) :
    (forall n h, P n h -> exists ser vis, base n h ser vis) -> rejects P.
  Proof.
    intros HP. apply (reject_by_run _ _ _ _ _ P 3 schedule); [lia|].
    intros H. apply run_not_explained. exact (HP _ _ H).
  Qed.

  Theorem flip_flop_violates_ryw : rejects ryw.
  Proof. exact (rejected_by_base _ ryw_base). Qed.
  Theorem flip_flop_violates_monotonic_reads : rejects monotonic_reads.
  Proof. exact (rejected_by_base _ monotonic_reads_base). Qed.
  Theorem flip_flop_violates_monotonic_writes : rejects monotonic_writes.
  Proof. exact (rejected_by_base _ monotonic_writes_base). Qed.
  Theorem flip_flop_violates_writes_follow_reads : rejects writes_follow_reads.
  Proof. exact (rejected_by_base _ writes_follow_reads_base). Qed.
  Theorem flip_flop_violates_causal : rejects causal.
  Proof. exact (rejected_by_base _ causal_base). Qed.
  Theorem flip_flop_violates_convergence : rejects convergence.
  Proof. exact (rejected_by_base _ convergence_base). Qed.
  Theorem flip_flop_violates_pram : rejects pram.
  Proof. exact (rejected_by_base _ pram_base). Qed.
End Rejected.

