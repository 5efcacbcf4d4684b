From Spec Require Import spec.

(* (slot for true, slot for false) *)
Module TwoSlots <: BMAP_SIG.
  Definition t := (nat * nat)%type.
  Definition init : t := (0, 0).
  Definition get (b : bool) (s : t) : nat := if b then fst s else snd s.
  Definition set (b : bool) (v : nat) (s : t) : t := if b then (v, snd s) else (fst s, v).
  Definition bump (b : bool) (s : t) : t := set b (S (get b s)) s.
End TwoSlots.

Module TwoSlotsProofs <: BMAP_CORRECT TwoSlots.
  Import TwoSlots.
  Lemma get_init : forall b, get b init = 0. Proof. intros [|]; reflexivity. Qed.
  Lemma get_set_same : forall b v s, get b (set b v s) = v. Proof. intros [|]; reflexivity. Qed.
  Lemma get_set_other : forall b v s, get (negb b) (set b v s) = get (negb b) s.
  Proof. intros [|]; reflexivity. Qed.
  Lemma get_bump_same : forall b s, get b (bump b s) = S (get b s). Proof. intros [|]; reflexivity. Qed.
  Lemma get_bump_other : forall b s, get (negb b) (bump b s) = get (negb b) s.
  Proof. intros [|]; reflexivity. Qed.
End TwoSlotsProofs.
