(** The FIFO-only store (issue 13): each origin's updates are applied in that origin's order
    (the guard waits for the next sequence number), but updates of different origins are
    applied in arrival order, each overwriting the key. It is PRAM, not causal. It passed
    every witness of the first model's [ryw], [monotonic_reads], [monotonic_writes] and
    [pram]; the restated [ryw] and [monotonic_reads] reject it on two cross-origin schedules,
    where a replica shows a write causally older than one it already showed or wrote. *)
From Spec Require Import model.
From Wrong Require Import lww.
From Coq Require Import Arith.PeanoNat Bool Lia.

Module FifoOnly <: KV_SIG.
  (** me, updates applied per origin (own writes at [me]), the store (newest first) *)
  Definition t (V : Type) : Type := (nat * (nat -> nat) * list (nat * V))%type.
  Definition msg (V : Type) : Type := (nat * nat * (nat * V))%type.   (** origin, sequence, write *)
  Definition init (V : Type) (n r : nat) : t V := (r, fun _ => 0, []).
  Definition put (V : Type) (k : nat) (v : V) (s : t V) : t V * msg V :=
    let '(r, c, D) := s in ((r, upd c r (S (c r)), (k, v) :: D), (r, S (c r), (k, v))).
  Definition get (V : Type) (k : nat) (s : t V) : option V * t V :=
    let '(r, c, D) := s in (lookup k D, s).
  Definition deliverable (V : Type) (s : t V) (m : msg V) : bool :=
    let '(r, c, D) := s in let '(o, sq, _) := m in sq =? S (c o).
  Definition deliver (V : Type) (s : t V) (m : msg V) : t V :=
    let '(r, c, D) := s in let '(o, sq, kv) := m in (r, upd c o sq, kv :: D).
End FifoOnly.

(** Monotonic reads: replica 2 reads replica 1's write, then replica 0's older one. *)
Definition schedule_mr : list cmd :=
  [Put 0 1 1; Deliver 0; Put 1 1 2; Deliver 2; Get 2 1; Deliver 0; Get 2 1].

Lemma fifo_only_mr_answers :
  run_schedule (FifoOnly.init nat) (FifoOnly.put nat) (FifoOnly.get nat) (FifoOnly.deliverable nat)
    (FifoOnly.deliver nat) 3 schedule_mr = [Some 2; Some 1].
Proof. vm_compute. reflexivity. Qed.

Definition h_mr : history := [EvPut 0 1 1; EvDeliver 1 0; EvPut 1 1 2; EvDeliver 2 2;
  EvGet 2 1 (Some 2); EvDeliver 2 0; EvGet 2 1 (Some 0)].

Lemma run_mr_eq : run_history (FifoOnly.init nat) (FifoOnly.put nat) (FifoOnly.get nat)
  (FifoOnly.deliverable nat) (FifoOnly.deliver nat) 3 schedule_mr = h_mr.
Proof. vm_compute. reflexivity. Qed.

Lemma hb_mr : hb h_mr 0 2.
Proof. eapply hb_trans; [hb_dlv 1|]. hb_local 1 2. Qed.

Lemma run_mr_not_monotonic_reads : ~ monotonic_reads 3 h_mr.
Proof.
  intros [ser [vis [[[Hser [_ Hans]] _] [Harb HMR]]]].
  pose proof (last_write_some_vis _ _ _ _ _ (Hans 4 2 1 _ eq_refl)) as V4.
  pose proof (HMR 4 6 2 1 _ 1 _ 2 ltac:(lia) eq_refl eq_refl V4 (is_put_at h_mr 2 1 1 2 eq_refl)) as V6.
  destruct (last_write_some _ _ _ _ _ _ (Hans 6 2 1 _ eq_refl) V6 (is_put_at h_mr 2 1 1 2 eq_refl))
    as [E|B]; [discriminate|].
  pose proof (Harb 2 0 2 1 1 (is_put_at h_mr 0 0 1 1 eq_refl) (is_put_at h_mr 2 1 1 2 eq_refl) hb_mr) as B'.
  exact (before_asym _ _ _ (proj1 (Hser 2)) B B').
Qed.

(** Read your writes: replica 2 writes key 1 after learning replica 0's write to it
    (through replica 1), then shows replica 0's write. *)
Definition schedule_ryw : list cmd :=
  [Put 0 1 1; Deliver 0; Put 1 2 5; Deliver 2; Put 2 1 3; Deliver 0; Get 2 1].

Lemma fifo_only_ryw_answers :
  run_schedule (FifoOnly.init nat) (FifoOnly.put nat) (FifoOnly.get nat) (FifoOnly.deliverable nat)
    (FifoOnly.deliver nat) 3 schedule_ryw = [Some 1].
Proof. vm_compute. reflexivity. Qed.

Definition h_ryw : history := [EvPut 0 1 1; EvDeliver 1 0; EvPut 1 2 5; EvDeliver 2 2;
  EvPut 2 1 3; EvDeliver 2 0; EvGet 2 1 (Some 0)].

Lemma run_ryw_eq : run_history (FifoOnly.init nat) (FifoOnly.put nat) (FifoOnly.get nat)
  (FifoOnly.deliverable nat) (FifoOnly.deliver nat) 3 schedule_ryw = h_ryw.
Proof. vm_compute. reflexivity. Qed.

Lemma hb_ryw : hb h_ryw 0 4.
Proof.
  eapply hb_trans; [hb_dlv 1|]. eapply hb_trans; [hb_local 1 2|].
  eapply hb_trans; [hb_dlv 3|]. hb_local 3 4.
Qed.

Lemma run_ryw_not_ryw : ~ ryw 3 h_ryw.
Proof.
  intros [ser [vis [[[Hser [_ Hans]] _] [Harb HRYW]]]].
  pose proof (HRYW 4 6 2 1 3 1 _ ltac:(lia) eq_refl eq_refl) as V6.
  destruct (last_write_some _ _ _ _ _ _ (Hans 6 2 1 _ eq_refl) V6 (is_put_at h_ryw 4 2 1 3 eq_refl))
    as [E|B]; [discriminate|].
  pose proof (Harb 2 0 4 1 1 (is_put_at h_ryw 0 0 1 1 eq_refl) (is_put_at h_ryw 4 2 1 3 eq_refl) hb_ryw) as B'.
  exact (before_asym _ _ _ (proj1 (Hser 2)) B B').
Qed.

Section Rejected.
  Let rejects (P : nat -> history -> Prop) : Prop := ~ (forall n s, 1 <= n ->
    reachable (FifoOnly.init nat) (FifoOnly.put nat) (FifoOnly.get nat) (FifoOnly.deliverable nat)
      (FifoOnly.deliver nat) n s -> P n (hist s)).

  Theorem fifo_only_violates_monotonic_reads : rejects monotonic_reads.
  Proof.
    apply (reject_by_run _ _ _ _ _ _ 3 schedule_mr); [lia|].
    rewrite run_mr_eq. exact run_mr_not_monotonic_reads.
  Qed.
  Theorem fifo_only_violates_ryw : rejects ryw.
  Proof.
    apply (reject_by_run _ _ _ _ _ _ 3 schedule_ryw); [lia|].
    rewrite run_ryw_eq. exact run_ryw_not_ryw.
  Qed.
End Rejected.
