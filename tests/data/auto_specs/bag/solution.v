From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Module ListBag <: BAG_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition add (x : nat) (b : t) : t := x :: b.
  Fixpoint remove_one (x : nat) (b : t) : t :=
    match b with
    | [] => []
    | y :: r => if Nat.eqb x y then r else y :: remove_one x r
    end.
  Fixpoint count (x : nat) (b : t) : nat :=
    match b with
    | [] => 0
    | y :: r => if Nat.eqb x y then S (count x r) else count x r
    end.
End ListBag.

Module ListBagProofs <: BAG_CORRECT ListBag.
  Import ListBag.
  Lemma count_empty : forall x, count x empty = 0. Proof. reflexivity. Qed.
  Lemma count_add_same : forall x b, count x (add x b) = S (count x b).
  Proof. intros; simpl; rewrite Nat.eqb_refl; reflexivity. Qed.
  Lemma count_add_other : forall x y b, x <> y -> count y (add x b) = count y b.
  Proof. intros x y b H; simpl; destruct (Nat.eqb_spec y x); [congruence|reflexivity]. Qed.
  Lemma count_remove_same : forall x b, count x (remove_one x b) = count x b - 1.
  Proof.
    intros x b; induction b as [|y r IH]; [reflexivity|]; simpl.
    destruct (Nat.eqb_spec x y); simpl.
    - rewrite Nat.sub_0_r; reflexivity.
    - destruct (Nat.eqb_spec x y); [congruence|assumption].
  Qed.
  Lemma count_remove_other : forall x y b, x <> y -> count y (remove_one x b) = count y b.
  Proof.
    intros x y b H; induction b as [|z r IH]; [reflexivity|]; simpl.
    destruct (Nat.eqb_spec x z); simpl.
    - subst z; destruct (Nat.eqb_spec y x); [congruence|reflexivity].
    - rewrite IH; reflexivity.
  Qed.
End ListBagProofs.
