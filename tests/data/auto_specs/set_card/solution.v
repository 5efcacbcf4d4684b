From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List Coq.Bool.Bool.
Import ListNotations.

(* A list without duplicates; [add] checks membership first. *)
Module DupFreeList <: CSET_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition mem (x : nat) (s : t) : bool := existsb (Nat.eqb x) s.
  Definition add (x : nat) (s : t) : t := if mem x s then s else x :: s.
  Definition card (s : t) : nat := length s.
End DupFreeList.

Module DupFreeListProofs <: CSET_CORRECT DupFreeList.
  Import DupFreeList.
  Lemma mem_empty : forall x, mem x empty = false. Proof. reflexivity. Qed.
  Lemma mem_add : forall x y s, mem y (add x s) = orb (Nat.eqb x y) (mem y s).
  Proof.
    intros x y s; unfold add.
    destruct (mem x s) eqn:E.
    - destruct (Nat.eqb_spec x y); simpl; [subst y; rewrite E; reflexivity|reflexivity].
    - unfold mem at 1; simpl. rewrite (Nat.eqb_sym y x). reflexivity.
  Qed.
  Lemma card_empty : card empty = 0. Proof. reflexivity. Qed.
  Lemma card_add : forall x s, card (add x s) = if mem x s then card s else S (card s).
  Proof. intros x s; unfold add; destruct (mem x s); reflexivity. Qed.
End DupFreeListProofs.
