(** A Chapar-style closure-chain store: a solution of [warmup/finite_map].

    The state is the reference model itself, a function [nat -> option nat]; every [put]
    or [remove] wraps the previous function in one more closure. Trivially correct and
    slow by construction: a [get] walks the whole history of updates, and each key
    comparison on unary [nat] costs time linear in the key. A benchmark baseline. *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat.

Module ClosureChain <: FMAP_SIG.
  Definition t : Type := nat -> option nat.
  Definition empty : t := fun _ => None.
  Definition get (k : nat) (m : t) : option nat := m k.
  Definition put (k v : nat) (m : t) : t := fun k' => if Nat.eqb k k' then Some v else m k'.
  Definition remove (k : nat) (m : t) : t := fun k' => if Nat.eqb k k' then None else m k'.
End ClosureChain.

Module ClosureChainProofs <: FMAP_CORRECT ClosureChain.
  Import ClosureChain.
  Lemma get_empty : forall k, get k empty = None.
  Proof. reflexivity. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof. intros. unfold get, put. rewrite Nat.eqb_refl. reflexivity. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof. intros k k' v m H. unfold get, put. apply Nat.eqb_neq in H. rewrite H. reflexivity. Qed.
  Lemma get_remove_same : forall k m, get k (remove k m) = None.
  Proof. intros. unfold get, remove. rewrite Nat.eqb_refl. reflexivity. Qed.
  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
  Proof. intros k k' m H. unfold get, remove. apply Nat.eqb_neq in H. rewrite H. reflexivity. Qed.
End ClosureChainProofs.
