From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(* The visit log itself (newest first); counts are computed from it. *)
Module VisitLog <: HITS_SIG.
  Definition t := list nat.
  Definition init : t := [].
  Definition hit (k : nat) (s : t) : t := k :: s.
  Fixpoint hits (k : nat) (s : t) : nat :=
    match s with
    | [] => 0
    | j :: r => if Nat.eqb k j then S (hits k r) else hits k r
    end.
  Definition total (s : t) : nat := length s.
End VisitLog.

Module VisitLogProofs <: HITS_CORRECT VisitLog.
  Import VisitLog.
  Lemma hits_init : forall k, hits k init = 0. Proof. reflexivity. Qed.
  Lemma hits_hit_same : forall k s, hits k (hit k s) = S (hits k s).
  Proof. intros; simpl; rewrite Nat.eqb_refl; reflexivity. Qed.
  Lemma hits_hit_other : forall k k' s, k <> k' -> hits k' (hit k s) = hits k' s.
  Proof. intros k k' s H; simpl; destruct (Nat.eqb_spec k' k); [congruence|reflexivity]. Qed.
  Lemma total_init : total init = 0. Proof. reflexivity. Qed.
  Lemma total_hit : forall k s, total (hit k s) = S (total s). Proof. reflexivity. Qed.
End VisitLogProofs.
