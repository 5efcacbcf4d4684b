(** The forgetting store (issue 13): two views, the full causal state of [LWW] and one holding
    only writes whose own message arrived directly; [get] answers from one or the other by the
    parity of a counter (which [get] now may advance). Accepted by the first model's
    [monotonic_reads] and [pram]; rejected by the restated [monotonic_reads], [pram] and [causal]:
    the session reads key 1, then reads nothing. *)
From Spec Require Import model.
From Wrong Require Import lww.
From Coq Require Import Arith.PeanoNat Bool Lia.

Module Forget <: KV_SIG.
  (** me, n, full logs, directly received writes (newest first), gets served *)
  Definition t (V : Type) : Type := (nat * nat * logs V * list (nat * V) * nat)%type.
  Definition msg (V : Type) : Type := (logs V * (nat * V))%type.
  Definition init (V : Type) (n r : nat) : t V := (r, n, fun _ => [], [], 0).
  Definition put (V : Type) (k : nat) (v : V) (s : t V) : t V * msg V :=
    let '(r, n, X, D, c) := s in
    let X' := append_own n r k v X in ((r, n, X', (k, v) :: D, c), (X', (k, v))).
  Definition get (V : Type) (k : nat) (s : t V) : option V * t V :=
    let '(r, n, X, D, c) := s in
    (if Nat.even c then best (newer false) k (cands n X) else lookup k D, (r, n, X, D, S c)).
  Definition deliverable (V : Type) (s : t V) (m : msg V) : bool := true.
  Definition deliver (V : Type) (s : t V) (m : msg V) : t V :=
    let '(r, n, X, D, c) := s in let '(Y, kv) := m in (r, n, merge X Y, kv :: D, c).
End Forget.

Definition schedule : list cmd :=
  [Put 0 1 1; Deliver 0; Put 1 2 2; Deliver 2; Get 2 1; Put 2 9 9; Get 2 1].

Lemma forget_answers :
  run_schedule (Forget.init nat) (Forget.put nat) (Forget.get nat) (Forget.deliverable nat)
    (Forget.deliver nat) 3 schedule = [Some 1; None].
Proof. vm_compute. reflexivity. Qed.

Definition run := run_history (Forget.init nat) (Forget.put nat) (Forget.get nat)
  (Forget.deliverable nat) (Forget.deliver nat) 3 schedule.

Definition h : history := [EvPut 0 1 1; EvDeliver 1 0; EvPut 1 2 2; EvDeliver 2 2;
  EvGet 2 1 (Some 0); EvPut 2 9 9; EvGet 2 1 None].

Lemma run_eq : run = h.
Proof. vm_compute. reflexivity. Qed.

Lemma run_not_monotonic_reads : ~ monotonic_reads 3 run.
Proof.
  rewrite run_eq. intros [ser [vis [[[_ [_ Hans]] _] [_ HMR]]]].
  pose proof (last_write_some_vis _ _ _ _ _ (Hans 4 2 1 _ eq_refl)) as V4.
  pose proof (HMR 4 6 2 1 _ 1 _ 0 ltac:(lia) eq_refl eq_refl V4 (is_put_at h 0 0 1 1 eq_refl)) as V6.
  exact (last_write_none _ _ _ _ _ (Hans 6 2 1 _ eq_refl) V6 (is_put_at h 0 0 1 1 eq_refl)).
Qed.

Lemma run_not_pram : ~ pram 3 run.
Proof.
  rewrite run_eq. intros [ser [vis [[[_ [_ Hans]] _] [_ [Hmono _]]]]].
  pose proof (last_write_some_vis _ _ _ _ _ (Hans 4 2 1 _ eq_refl)) as V4.
  pose proof (Hmono 4 6 2 1 _ 1 _ 0 ltac:(lia) eq_refl eq_refl V4) as V6.
  exact (last_write_none _ _ _ _ _ (Hans 6 2 1 _ eq_refl) V6 (is_put_at h 0 0 1 1 eq_refl)).
Qed.

Lemma run_not_causal : ~ causal 3 run.
Proof.
  rewrite run_eq. intros [ser [[[_ [_ Hans]] _] _]].
  apply (last_write_none _ _ _ _ 0 (Hans 6 2 1 _ eq_refl)); [|exact (is_put_at h 0 0 1 1 eq_refl)].
  split; [|exists 1; exact (is_put_at h 0 0 1 1 eq_refl)].
  eapply hb_trans; [hb_dlv 1|]. eapply hb_trans; [hb_local 1 2|].
  eapply hb_trans; [hb_dlv 3|]. hb_local 3 6.
Qed.

Section Rejected.
  Let rejects (P : nat -> history -> Prop) : Prop := ~ (forall n s, 1 <= n ->
    reachable (Forget.init nat) (Forget.put nat) (Forget.get nat) (Forget.deliverable nat)
      (Forget.deliver nat) n s -> P n (hist s)).

  Theorem forget_violates_monotonic_reads : rejects monotonic_reads.
  Proof. exact (reject_by_run _ _ _ _ _ _ 3 schedule ltac:(lia) run_not_monotonic_reads). Qed.
  Theorem forget_violates_pram : rejects pram.
  Proof. exact (reject_by_run _ _ _ _ _ _ 3 schedule ltac:(lia) run_not_pram). Qed.
  Theorem forget_violates_causal : rejects causal.
  Proof. exact (reject_by_run _ _ _ _ _ _ 3 schedule ltac:(lia) run_not_causal). Qed.
End Rejected.
