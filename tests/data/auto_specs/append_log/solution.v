From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List Lia.
Import ListNotations.

(* Newest entry first, with the length cached: append is O(1), entry i is found
   (len - 1 - i) cells from the front. *)
Module RevLog <: LOG_SIG.
  Definition t := (nat * list nat)%type.
  Definition empty : t := (0, []).
  Definition append (x : nat) (l : t) : t := (S (fst l), x :: snd l).
  Definition len (l : t) : nat := fst l.
  Definition nth (i : nat) (l : t) : option nat :=
    if Nat.ltb i (fst l) then nth_error (snd l) (fst l - S i) else None.
End RevLog.

Module RevLogProofs <: LOG_CORRECT RevLog.
  Import RevLog.
  Lemma len_empty : len empty = 0. Proof. reflexivity. Qed.
  Lemma len_append : forall x l, len (append x l) = S (len l). Proof. reflexivity. Qed.
  Lemma nth_append : forall i x l,
    nth i (append x l) = if Nat.eqb i (len l) then Some x else nth i l.
  Proof.
    intros i x [n s]; unfold nth, append, len; simpl.
    destruct (Nat.eqb_spec i n) as [->|Hne].
    - assert (Hlt : n <? S n = true) by (apply Nat.ltb_lt; lia).
      rewrite Hlt, Nat.sub_diag; reflexivity.
    - destruct (Nat.ltb_spec i n) as [Hlt|Hge].
      + assert (Hlt' : i <? S n = true) by (apply Nat.ltb_lt; lia).
        rewrite Hlt'. replace (n - i) with (S (n - S i)) by lia. reflexivity.
      + assert (Hge' : i <? S n = false) by (apply Nat.ltb_ge; lia).
        rewrite Hge'; reflexivity.
  Qed.
  Lemma nth_past_end : forall i l, len l <= i -> nth i l = None.
  Proof.
    intros i [n s] H; unfold nth, len in *; simpl in *.
    destruct (Nat.ltb_spec i n); [lia|reflexivity].
  Qed.
End RevLogProofs.
