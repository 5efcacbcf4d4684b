From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Module AssocTotal <: TMAP_SIG.
  Definition t := list (nat * nat).
  Definition init : t := [].
  Fixpoint get (k : nat) (m : t) : nat :=
    match m with
    | [] => default
    | (k', v) :: r => if Nat.eqb k k' then v else get k r
    end.
  Definition set (k v : nat) (m : t) : t := (k, v) :: m.
  Definition clear (m : t) : t := [].
End AssocTotal.

Module AssocTotalProofs <: TMAP_CORRECT AssocTotal.
  Import AssocTotal.
  Lemma get_init : forall k, get k init = default. Proof. reflexivity. Qed.
  Lemma get_set_same : forall k v m, get k (set k v m) = v.
  Proof. intros; simpl; rewrite Nat.eqb_refl; reflexivity. Qed.
  Lemma get_set_other : forall k k' v m, k <> k' -> get k' (set k v m) = get k' m.
  Proof. intros k k' v m H; simpl; destruct (Nat.eqb_spec k' k); [congruence|reflexivity]. Qed.
  Lemma get_clear : forall k m, get k (clear m) = default. Proof. reflexivity. Qed.
End AssocTotalProofs.
