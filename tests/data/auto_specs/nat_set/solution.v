From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Module ListSet <: NSET_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition add (x : nat) (s : t) : t := x :: s.
  Definition remove (x : nat) (s : t) : t := filter (fun y => negb (Nat.eqb x y)) s.
  Definition mem (x : nat) (s : t) : bool := existsb (Nat.eqb x) s.
End ListSet.

Module ListSetProofs <: NSET_CORRECT ListSet.
  Import ListSet.
  Lemma mem_empty : forall x, mem x empty = false. Proof. reflexivity. Qed.
  Lemma mem_add_same : forall x s, mem x (add x s) = true.
  Proof. intros; unfold mem, add; simpl; rewrite Nat.eqb_refl; reflexivity. Qed.
  Lemma mem_add_other : forall x y s, x <> y -> mem y (add x s) = mem y s.
  Proof. intros x y s H; unfold mem, add; simpl. destruct (Nat.eqb_spec y x); [congruence|reflexivity]. Qed.
  Lemma mem_remove_same : forall x s, mem x (remove x s) = false.
  Proof.
    intros x s; unfold mem, remove; induction s as [|y s IH]; [reflexivity|].
    simpl. destruct (Nat.eqb_spec x y); simpl; [assumption|].
    destruct (Nat.eqb_spec x y); [congruence|assumption].
  Qed.
  Lemma mem_remove_other : forall x y s, x <> y -> mem y (remove x s) = mem y s.
  Proof.
    intros x y s H; unfold mem, remove; induction s as [|z s IH]; [reflexivity|].
    simpl. destruct (Nat.eqb_spec x z); simpl.
    - subst z. destruct (Nat.eqb_spec y x); [congruence|assumption].
    - rewrite IH; reflexivity.
  Qed.
End ListSetProofs.
