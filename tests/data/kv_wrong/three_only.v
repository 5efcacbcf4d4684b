(** A three-replica-only store: [LWW] with the replica count hard-coded to 3 (as the first
    model's stores had, [orec * orec * orec]); [init] ignores [n]. It behaves correctly with
    three replicas — the first model could not tell — but every restated spec quantifies over
    [n], and with four replicas replica 3's writes are never read, even at quiescence. *)
From Spec Require Import model.
From Wrong Require Import lww.
From Coq Require Import Arith.PeanoNat Bool Lia.

Module ThreeOnly <: KV_SIG.
  Definition t (V : Type) : Type := (nat * logs V)%type.
  Definition msg (V : Type) : Type := logs V.
  Definition init (V : Type) (n r : nat) : t V := (r, fun _ => []).
  Definition put (V : Type) (k : nat) (v : V) (s : t V) : t V * msg V :=
    let '(r, X) := s in let X' := append_own 3 r k v X in ((r, X'), X').
  Definition get (V : Type) (k : nat) (s : t V) : option V * t V :=
    let '(r, X) := s in (best (newer false) k (cands 3 X), s).
  Definition deliverable (V : Type) (s : t V) (m : msg V) : bool := true.
  Definition deliver (V : Type) (s : t V) (m : msg V) : t V := let '(r, X) := s in (r, merge X m).
End ThreeOnly.

(** With three replicas the store answers as a correct one would. *)
Lemma three_only_fine_with_three :
  run_schedule (ThreeOnly.init nat) (ThreeOnly.put nat) (ThreeOnly.get nat) (ThreeOnly.deliverable nat)
    (ThreeOnly.deliver nat) 3 [Put 2 1 7; DeliverAll; Get 0 1; Get 1 1; Get 2 1] = [Some 7; Some 7; Some 7].
Proof. vm_compute. reflexivity. Qed.

(** With four, replica 3 writes key 1, everything is delivered, replica 0 reads nothing. *)
Definition schedule : list cmd := [Put 3 1 7; DeliverAll; Get 0 1].

Lemma three_only_answers :
  run_schedule (ThreeOnly.init nat) (ThreeOnly.put nat) (ThreeOnly.get nat) (ThreeOnly.deliverable nat)
    (ThreeOnly.deliver nat) 4 schedule = [None].
Proof. vm_compute. reflexivity. Qed.

Definition h : history := [EvPut 3 1 7; EvDeliver 0 0; EvDeliver 1 0; EvDeliver 2 0; EvGet 0 1 None].

Lemma run_eq : run_history (ThreeOnly.init nat) (ThreeOnly.put nat) (ThreeOnly.get nat)
  (ThreeOnly.deliverable nat) (ThreeOnly.deliver nat) 4 schedule = h.
Proof. vm_compute. reflexivity. Qed.

Lemma run_not_explained : ~ exists ser vis, base 4 h ser vis.
Proof.
  intros [ser [vis [[_ [_ Hans]] Hq]]].
  assert (Q : quiet 4 h 4) by (apply quietb_sound; vm_compute; reflexivity).
  pose proof (Hq 4 0 1 None 0 1 eq_refl Q ltac:(lia) (is_put_at h 0 3 1 7 eq_refl)) as V.
  exact (last_write_none _ _ _ _ _ (Hans 4 0 1 None eq_refl) V (is_put_at h 0 3 1 7 eq_refl)).
Qed.

Section Rejected.
  Let rejects (P : nat -> history -> Prop) : Prop := ~ (forall n s, 1 <= n ->
    reachable (ThreeOnly.init nat) (ThreeOnly.put nat) (ThreeOnly.get nat) (ThreeOnly.deliverable nat)
      (ThreeOnly.deliver nat) n s -> P n (hist s)).

  Lemma rejected_by_base (P : nat -> history -> Prop) :
    (forall n h, P n h -> exists ser vis, base n h ser vis) -> rejects P.
  Proof.
    intros HP. apply (reject_by_run _ _ _ _ _ P 4 schedule); [lia|].
    rewrite run_eq. intros H. apply run_not_explained. exact (HP _ _ H).
  Qed.

  Theorem three_only_violates_ryw : rejects ryw.
  Proof. exact (rejected_by_base _ ryw_base). Qed.
  Theorem three_only_violates_monotonic_reads : rejects monotonic_reads.
  Proof. exact (rejected_by_base _ monotonic_reads_base). Qed.
  Theorem three_only_violates_monotonic_writes : rejects monotonic_writes.
  Proof. exact (rejected_by_base _ monotonic_writes_base). Qed.
  Theorem three_only_violates_writes_follow_reads : rejects writes_follow_reads.
  Proof. exact (rejected_by_base _ writes_follow_reads_base). Qed.
  Theorem three_only_violates_causal : rejects causal.
  Proof. exact (rejected_by_base _ causal_base). Qed.
  Theorem three_only_violates_convergence : rejects convergence.
  Proof. exact (rejected_by_base _ convergence_base). Qed.
  Theorem three_only_violates_pram : rejects pram.
  Proof. exact (rejected_by_base _ pram_base). Qed.
End Rejected.
