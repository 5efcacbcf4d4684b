(** The restated properties are not unsatisfiable on the negative proofs' schedules: the correct
    [LWW] store, run on the flip-flop schedule, produces a history that is causally consistent
    with one arbitration order, hence (by the library's implications) also read-your-writes,
    monotonic reads, monotonic writes, writes-follow-reads, PRAM and convergent. *)
From Spec Require Import model.
From Wrong Require Import lww flip_flop.
From Coq Require Import Arith.PeanoNat Bool Lia.

Definition hL : history := [EvPut 0 1 1; EvPut 1 1 2; EvDeliver 1 0; EvDeliver 2 0; EvDeliver 0 1;
  EvDeliver 2 1; EvGet 0 1 (Some 1); EvPut 2 5 5; EvDeliver 0 7; EvDeliver 1 7; EvGet 0 1 (Some 1)].

Lemma lww_run_eq : run_history (LWW.init nat) (LWW.put nat) (LWW.get nat) (LWW.deliverable nat)
  (LWW.deliver nat) 3 schedule = hL.
Proof. vm_compute. reflexivity. Qed.

Lemma lww_answers : run_schedule (LWW.init nat) (LWW.put nat) (LWW.get nat) (LWW.deliverable nat)
  (LWW.deliver nat) 3 schedule = [Some 2; Some 2].
Proof. vm_compute. reflexivity. Qed.

Definition arL : list nat := [0; 1; 7].

Lemma hL_deliveries_after : forall x r p, nth_error hL x = Some (EvDeliver r p) -> p < x.
Proof. intros x r p E. pos_cases x E; lia. Qed.

Ltac solve_before :=
  unfold before, arL;
  solve [ exists 0, 1; split; [lia | split; reflexivity]
        | exists 0, 2; split; [lia | split; reflexivity]
        | exists 1, 2; split; [lia | split; reflexivity] ].

Lemma hL_serializes : serializes hL arL.
Proof.
  split.
  - repeat constructor; simpl; lia.
  - intros p. split.
    + intros Hin. simpl in Hin. destruct Hin as [<-|[<-|[<-|[]]]];
        [exists 1 | exists 1 | exists 5]; eexists; eexists; reflexivity.
    + intros [k [o [v E]]]. pos_cases p E; simpl; tauto.
Qed.

Lemma hL_arb_causal : arb_causal hL (fun _ => arL).
Proof.
  intros r p q k1 k2 [o1 [v1 E1]] [o2 [v2 E2]] Hb.
  pose proof (hb_lt _ _ _ hL_deliveries_after Hb) as L.
  pos_cases p E1; pos_cases q E2; first [lia | solve_before].
Qed.

Lemma hL_base : base 3 hL (fun _ => arL) (hb_vis hL).
Proof.
  split; [split; [intros; exact hL_serializes | split]|].
  - intros j p [H _]; exact H.
  - intros j r k res E. pos_cases j E; right; exists 1; (split; [reflexivity|]);
      (split; [split; [first [hb_direct | hb_via 4 | hb_via 6] | exists 1, 1, 2; reflexivity]|]);
      (split; [exists 1, 2; reflexivity|]);
      intros q _ [o [v Eq]]; pos_cases q Eq; first [left; reflexivity | right; solve_before].
  - intros j r k res p k' E _ L [o [v Ep]]. pos_cases j E; pos_cases p Ep; try lia;
      (split; [first [hb_direct | hb_via 4 | hb_via 8 | eapply (hb_trans _ _ 6); [hb_via 4 | hb_direct]]
              | eexists; eexists; eexists; reflexivity]).
Qed.

Theorem hL_convergent_and_causal : convergence 3 hL /\ causal 3 hL.
Proof. exact (convergence_of_causal_one_order 3 hL arL hL_base hL_arb_causal). Qed.

Theorem hL_all_seven : ryw 3 hL /\ monotonic_reads 3 hL /\ monotonic_writes 3 hL /\
  writes_follow_reads 3 hL /\ causal 3 hL /\ convergence 3 hL /\ pram 3 hL.
Proof.
  destruct hL_convergent_and_causal as [Cv C].
  repeat split; auto using causal_ryw, causal_monotonic_reads, causal_monotonic_writes,
    causal_writes_follow_reads, causal_pram.
Qed.

(** The liveness every restated spec states is provable of a real store, for every [n]. *)
Theorem lww_no_stuck_delivery : forall n s s', 1 <= n ->
  reachable (LWW.init nat) (LWW.put nat) (LWW.get nat) (LWW.deliverable nat) (LWW.deliver nat) n s ->
  deliveries (LWW.deliverable nat) (LWW.deliver nat) s s' -> stuck (LWW.deliverable nat) s' -> net s' = [].
Proof.
  intros n s s' _ _ _ S. destruct (net s') as [|[[d p] m] rest] eqn:E; auto.
  specialize (S 0). unfold ready in S. rewrite E in S. simpl in S. discriminate.
Qed.
