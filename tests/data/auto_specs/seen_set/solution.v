From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Module SeenList <: SEEN_SIG.
  Definition t := list nat.
  Definition init : t := [].
  Definition seen (y : nat) (s : t) : bool := existsb (fun x => Nat.eqb x y) s.
  Definition visit (x : nat) (s : t) : bool * t :=
    if seen x s then (false, s) else (true, x :: s).
End SeenList.

Module SeenListProofs <: SEEN_CORRECT SeenList.
  Import SeenList.
  Lemma seen_init : forall x, seen x init = false. Proof. reflexivity. Qed.
  Lemma visit_first : forall x s, fst (visit x s) = negb (seen x s).
  Proof. intros x s; unfold visit; destruct (seen x s); reflexivity. Qed.
  Lemma seen_visit : forall x y s, seen y (snd (visit x s)) = orb (Nat.eqb x y) (seen y s).
  Proof.
    intros x y s; unfold visit.
    destruct (seen x s) eqn:E; simpl; [|reflexivity].
    destruct (Nat.eqb_spec x y) as [<-|]; [exact E|reflexivity].
  Qed.
End SeenListProofs.
