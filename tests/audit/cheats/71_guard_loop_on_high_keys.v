(* cheat: put loops for keys >= 50 through a non-terminating fixpoint that Coq 8.16.1's guard checker accepts (rocq-prover#20455), every theorem closed from False
   expect: theorem_refuted_by_test *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(* The recursive call's argument is `match (if b then x else subn) with 0 => subn | S k => k end`.
   8.16's guard checker (rocq-prover#15434) decides that a match whose branches are subterms of
   `n` is one, without looking at what the inner match scrutinises: with b = true and x = 5 the
   argument is 3, not a subterm of 1. Fixed in 9.0.1; coqchk 8.16.1 shares the bug. *)
Definition not_zero n := match n with 0 => False | S _ => True end.
Definition not_one n := match n with 0 => False | S n => not_zero n end.

Fixpoint loop_to_false (n : nat) {struct n} : not_zero n -> False.
  refine
  match n with
  | 0 => fun h => h
  | S subn => fun h =>
    let f (b : bool) (e : b = true) (x : nat) (Hx : not_one x) :=
      let arg := (match (if b then x else subn) with 0 => subn | S subsubn => subsubn end) in
      loop_to_false arg _
    in
    f true eq_refl 5 I
  end.
  subst b.
  destruct x; cbn in Hx.
  - now exfalso.
  - assumption.
Defined.

Definition inconsistent : False := loop_to_false 1 I.

(* The same hole gives general recursion: spin (S n) calls spin (S (S n)), forever. *)
Fixpoint spin (n : nat) {struct n} : nat :=
  match n with
  | 0 => 0
  | S subn =>
    let f (b : bool) (x : nat) := spin (match (if b then x else subn) with 0 => subn | S k => k end) in
    f true (S (S n))
  end.

Module AssocMap <: FMAP_SIG.
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if Nat.eqb k k' then Some v else get k r end.
  Fixpoint remove (k : nat) (m : t) : t :=
    match m with [] => [] | (k', v) :: r => if Nat.eqb k k' then remove k r else (k', v) :: remove k r end.
  (* A write to a key >= 50 never returns (in Rocq's vm_compute as in the extracted OCaml).
     The spec's witnesses only use keys 1..4. *)
  Definition put (k v : nat) (m : t) : t :=
    if Nat.ltb k 50 then (k, v) :: remove k m else if Nat.eqb (spin k) 0 then m else m.
End AssocMap.

Module AssocMapProofs <: FMAP_CORRECT AssocMap.
  Import AssocMap.
  Lemma get_empty : forall k, get k empty = None. Proof. reflexivity. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof. destruct inconsistent. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof. destruct inconsistent. Qed.
  Lemma get_remove_same : forall k m, get k (remove k m) = None.
  Proof. destruct inconsistent. Qed.
  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
  Proof. destruct inconsistent. Qed.
End AssocMapProofs.
