(* cheat: comments and strings mention Admitted, Axiom, Extract Constant and 'Closed under the global context'; the solution itself is honest
   expect: accepted *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.
Require Import Coq.Strings.String.

(* Decoys only. None of the following is a command; it is all inside comments or strings.
   Admitted.
   Axiom cheat : False.
   Extract Constant AssocMap.put => "fun k v m -> m".
   Closed under the global context
   A comment may contain a string with a closing delimiter: " *) Admitted. (* " and the
   comment still continues here. Unset Guard Checking. Require Extraction. Load spec.
   (* nested comment: Parameter p : False. Declare ML Module "x". *)
*)

(** Doc comment: the proofs below never use [Admitted], [admit], [give_up] or an
    [Axiom]; [Print Assumptions] should answer "Closed under the global context". *)
Module AssocMap <: FMAP_SIG.
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if Nat.eqb k k' then Some v else get k r end.
  Fixpoint remove (k : nat) (m : t) : t :=
    match m with [] => [] | (k', v) :: r => if Nat.eqb k k' then remove k r else (k', v) :: remove k r end.
  Definition put (k v : nat) (m : t) : t := (k, v) :: remove k m.
End AssocMap.

(* The strings below are data, not commands. *)
Definition decoy_admitted : string := "Admitted.".
Definition decoy_axiom : string := "Axiom get_put_other : forall k k' v m, get k' (put k v m) = get k' m.".
Definition decoy_extract : string := "Extract Constant AssocMap.put => ""(fun k v m -> m)"". Extract Inductive nat => int [ ""0"" ""succ"" ].".
Definition decoy_closed : string := "Closed under the global context".
Definition decoy_comment_opener : string := "(* Admitted. *)".
Definition not_Admitted : bool := true.  (* an identifier that merely contains a keyword *)

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
  Proof. (* admit. Admitted. give_up. *) intros. simpl. rewrite Nat.eqb_refl. reflexivity. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof. intros k k' v m H. simpl. destruct (Nat.eqb k' k) eqn:E.
    apply Nat.eqb_eq in E; congruence. apply get_remove_other; auto. Qed.
End AssocMapProofs.
