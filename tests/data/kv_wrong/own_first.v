(** A store I would try to fool [convergence] with: [LWW], except that each replica breaks
    timestamp ties in favour of its OWN writes. Each replica is consistent with itself (one
    serialization per replica, extending causality), so it is causally consistent; but two
    replicas answer differently at quiescence, so no single arbitration order explains them.
    The restated [convergence] rejects it. *)
From Spec Require Import model.
From Wrong Require Import lww.
From Coq Require Import Arith.PeanoNat Bool Lia.

Definition newer_own {V : Type} (r : nat) (a b : nat * (nat * V * nat)) : bool :=
  let '(oa, (_, _, ta)) := a in
  let '(ob, (_, _, tb)) := b in
  (tb <? ta) || ((tb =? ta) && ((oa =? r) || (negb (ob =? r) && (ob <? oa)))).

Module OwnFirst <: KV_SIG.
  Definition t := LWW.t.
  Definition msg := LWW.msg.
  Definition init := LWW.init.
  Definition put := LWW.put.
  Definition deliverable := LWW.deliverable.
  Definition deliver := LWW.deliver.
  Definition get (V : Type) (k : nat) (s : t V) : option V * t V :=
    let '(r, n, X) := s in (best (newer_own r) k (cands n X), s).
End OwnFirst.

Definition schedule : list cmd := [Put 0 1 1; Put 1 1 2; DeliverAll; Get 0 1; Get 1 1].

Lemma own_first_answers :
  run_schedule (OwnFirst.init nat) (OwnFirst.put nat) (OwnFirst.get nat) (OwnFirst.deliverable nat)
    (OwnFirst.deliver nat) 3 schedule = [Some 1; Some 2].
Proof. vm_compute. reflexivity. Qed.

Definition h : history := [EvPut 0 1 1; EvPut 1 1 2; EvDeliver 1 0; EvDeliver 2 0; EvDeliver 0 1;
  EvDeliver 2 1; EvGet 0 1 (Some 0); EvGet 1 1 (Some 1)].

Lemma run_eq : run_history (OwnFirst.init nat) (OwnFirst.put nat) (OwnFirst.get nat)
  (OwnFirst.deliverable nat) (OwnFirst.deliver nat) 3 schedule = h.
Proof. vm_compute. reflexivity. Qed.

Lemma run_not_convergent : ~ convergence 3 h.
Proof.
  intros [ar [vis [B _]]].
  refine (quiet_reads_disagree 3 h _ vis 0 1 1 6 7 0 1 B (or_intror eq_refl)
            eq_refl eq_refl ltac:(lia) _ _ ltac:(lia) ltac:(lia) _ _);
    solve [apply quietb_sound; vm_compute; reflexivity | eapply is_put_at; reflexivity].
Qed.

Theorem own_first_violates_convergence : ~ (forall n s, 1 <= n ->
  reachable (OwnFirst.init nat) (OwnFirst.put nat) (OwnFirst.get nat) (OwnFirst.deliverable nat)
    (OwnFirst.deliver nat) n s -> convergence n (hist s)).
Proof.
  apply (reject_by_run _ _ _ _ _ _ 3 schedule); [lia|]. rewrite run_eq. exact run_not_convergent.
Qed.
