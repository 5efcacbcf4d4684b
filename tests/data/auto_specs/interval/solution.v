From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List Lia.

Module Bounds <: RANGE_SIG.
  Definition t := option (nat * nat).
  Definition init : t := None.
  Definition observe (x : nat) (s : t) : t := model_observe x s.
  Definition range (s : t) : option (nat * nat) := s.
End Bounds.

Module BoundsProofs <: RANGE_CORRECT Bounds.
  Import Bounds.
  Lemma range_init : range init = None. Proof. reflexivity. Qed.
  Lemma range_observe : forall x s, range (observe x s) = model_observe x (range s). Proof. reflexivity. Qed.
  (* The invariant, for any starting state that satisfies it. *)
  Lemma ordered_fold : forall xs s,
    (forall lo hi, s = Some (lo, hi) -> lo <= hi) ->
    forall lo hi, fold_left (fun s x => observe x s) xs s = Some (lo, hi) -> lo <= hi.
  Proof.
    induction xs as [|x xs IH]; intros s Hs; simpl; [exact Hs|].
    apply IH. intros lo hi E. unfold observe, model_observe in E.
    destruct s as [[l h]|]; injection E as <- <-.
    - specialize (Hs l h eq_refl). lia.
    - lia.
  Qed.
  Lemma range_ordered : forall xs lo hi,
    range (fold_left (fun s x => observe x s) xs init) = Some (lo, hi) -> lo <= hi.
  Proof. intros xs; apply ordered_fold; discriminate. Qed.
End BoundsProofs.
