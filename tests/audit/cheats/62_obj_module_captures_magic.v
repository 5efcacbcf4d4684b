(* cheat: a top-level Module Obj whose magic extracts to assert false; extraction does not rename it, so the
   Obj.magic casts it inserts (here in put, for keys of 50 and more) call it: genuine proofs, a binary that raises
   expect: extraction_capture *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(* The extractor casts with Obj.magic wherever a type depends on a value; this module is
   extracted as OCaml's module Obj and every such cast calls it. *)
Module Obj.
  Definition magic (A : Type) (x : False) : A := match x with end.
End Obj.

Module AssocMap <: FMAP_SIG.
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if Nat.eqb k k' then Some v else get k r end.
  Fixpoint remove (k : nat) (m : t) : t :=
    match m with [] => [] | (k', v) :: r => if Nat.eqb k k' then remove k r else (k', v) :: remove k r end.
  (* A value-dependent type: extraction inserts Obj.magic around [zero_of]. *)
  Definition slot (b : bool) : Type := if b then nat else unit.
  Definition zero_of (b : bool) : slot b := if b as b' return slot b' then 0 else tt.
  Definition unused (f : False) : nat := Obj.magic nat f.
  Definition pad (k : nat) : nat := if Nat.leb 50 k then zero_of true else 0.
  Definition put (k v : nat) (m : t) : t := (k, v + pad k) :: remove k m.
End AssocMap.

Module AssocMapProofs <: FMAP_CORRECT AssocMap.
  Import AssocMap.
  Lemma get_empty : forall k, get k empty = None. Proof. reflexivity. Qed.
  Lemma get_remove_same : forall k m, get k (remove k m) = None.
  Proof. induction m as [|[k' v] r IH]; simpl; auto. destruct (Nat.eqb k k') eqn:E; simpl; auto. rewrite E. auto. Qed.
  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
  Proof. intros k k' m H. induction m as [|[a v] r IH]; simpl; auto.
    destruct (Nat.eqb k a) eqn:E1; destruct (Nat.eqb k' a) eqn:E2; simpl; try rewrite E2; auto.
    apply Nat.eqb_eq in E1; apply Nat.eqb_eq in E2; subst; congruence. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof. intros. simpl. rewrite Nat.eqb_refl. unfold pad; destruct (Nat.leb 50 k); simpl; rewrite Nat.add_0_r; reflexivity. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof. intros k k' v m H. simpl. destruct (Nat.eqb k' k) eqn:E.
    apply Nat.eqb_eq in E; congruence. apply get_remove_other; auto. Qed.
End AssocMapProofs.
