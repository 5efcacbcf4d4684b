(** The arrival-order store: every update is deliverable at once and overwrites its key, so
    two writes of one session can be applied out of order. The restated [pram] (session order
    is part of every replica's serialization) and [monotonic_reads] reject it. *)
From Spec Require Import model.
From Wrong Require Import lww.
From Coq Require Import Arith.PeanoNat Bool Lia.

Module ArrivalOrder <: KV_SIG.
  Definition t (V : Type) : Type := list (nat * V).   (** the store, newest first *)
  Definition msg (V : Type) : Type := (nat * V)%type.
  Definition init (V : Type) (n r : nat) : t V := [].
  Definition put (V : Type) (k : nat) (v : V) (s : t V) : t V * msg V := ((k, v) :: s, (k, v)).
  Definition get (V : Type) (k : nat) (s : t V) : option V * t V := (lookup k s, s).
  Definition deliverable (V : Type) (s : t V) (m : msg V) : bool := true.
  Definition deliver (V : Type) (s : t V) (m : msg V) : t V := m :: s.
End ArrivalOrder.

(** Replica 0 writes key 1 twice; replica 1 receives the second write, reads it, receives the
    first and reads it. *)
Definition schedule : list cmd := [Put 0 1 1; Put 0 1 2; Deliver 2; Get 1 1; Deliver 0; Get 1 1].

Lemma arrival_order_answers :
  run_schedule (ArrivalOrder.init nat) (ArrivalOrder.put nat) (ArrivalOrder.get nat)
    (ArrivalOrder.deliverable nat) (ArrivalOrder.deliver nat) 3 schedule = [Some 2; Some 1].
Proof. vm_compute. reflexivity. Qed.

Definition h : history := [EvPut 0 1 1; EvPut 0 1 2; EvDeliver 1 1; EvGet 1 1 (Some 1);
  EvDeliver 1 0; EvGet 1 1 (Some 0)].

Lemma run_eq : run_history (ArrivalOrder.init nat) (ArrivalOrder.put nat) (ArrivalOrder.get nat)
  (ArrivalOrder.deliverable nat) (ArrivalOrder.deliver nat) 3 schedule = h.
Proof. vm_compute. reflexivity. Qed.

Lemma run_not_pram : ~ pram 3 h.
Proof.
  intros [ser [vis [[[Hser [_ Hans]] _] [Harb [Hmono _]]]]].
  pose proof (last_write_some_vis _ _ _ _ _ (Hans 3 1 1 _ eq_refl)) as V3.
  pose proof (Hmono 3 5 1 1 _ 1 _ 1 ltac:(lia) eq_refl eq_refl V3) as V5.
  destruct (last_write_some _ _ _ _ _ _ (Hans 5 1 1 _ eq_refl) V5 (is_put_at h 1 0 1 2 eq_refl))
    as [E|B]; [discriminate|].
  assert (S01 : so_put h 0 1) by (exists 0, 1, 1, 1, 2; repeat split; lia || reflexivity).
  exact (before_asym _ _ _ (proj1 (Hser 1)) B (Harb 1 0 1 S01)).
Qed.

Lemma run_not_monotonic_reads : ~ monotonic_reads 3 h.
Proof.
  intros [ser [vis [[[Hser [_ Hans]] _] [Harb HMR]]]].
  pose proof (last_write_some_vis _ _ _ _ _ (Hans 3 1 1 _ eq_refl)) as V3.
  pose proof (HMR 3 5 1 1 _ 1 _ 1 ltac:(lia) eq_refl eq_refl V3 (is_put_at h 1 0 1 2 eq_refl)) as V5.
  destruct (last_write_some _ _ _ _ _ _ (Hans 5 1 1 _ eq_refl) V5 (is_put_at h 1 0 1 2 eq_refl))
    as [E|B]; [discriminate|].
  assert (H01 : hb h 0 1) by hb_local 0 1.
  exact (before_asym _ _ _ (proj1 (Hser 1)) B
           (Harb 1 0 1 1 1 (is_put_at h 0 0 1 1 eq_refl) (is_put_at h 1 0 1 2 eq_refl) H01)).
Qed.

Section Rejected.
  Let rejects (P : nat -> history -> Prop) : Prop := ~ (forall n s, 1 <= n ->
    reachable (ArrivalOrder.init nat) (ArrivalOrder.put nat) (ArrivalOrder.get nat)
      (ArrivalOrder.deliverable nat) (ArrivalOrder.deliver nat) n s -> P n (hist s)).

  Theorem arrival_order_violates_pram : rejects pram.
  Proof. apply (reject_by_run _ _ _ _ _ _ 3 schedule); [lia|]. rewrite run_eq. exact run_not_pram. Qed.
  Theorem arrival_order_violates_monotonic_reads : rejects monotonic_reads.
  Proof.
    apply (reject_by_run _ _ _ _ _ _ 3 schedule); [lia|]. rewrite run_eq. exact run_not_monotonic_reads.
  Qed.
End Rejected.
