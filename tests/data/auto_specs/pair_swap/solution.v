From Spec Require Import spec.

Module Pair <: PAIR_SIG.
  Definition t := (nat * nat)%type.
  Definition init : t := (0, 0).
  Definition set_left (x : nat) (s : t) : t := (x, snd s).
  Definition set_right (x : nat) (s : t) : t := (fst s, x).
  Definition swap (s : t) : t := (snd s, fst s).
  Definition get (s : t) : nat * nat := s.
End Pair.

Module PairProofs <: PAIR_CORRECT Pair.
  Import Pair.
  Lemma get_init : get init = (0, 0). Proof. reflexivity. Qed.
  Lemma get_set_left : forall x s, get (set_left x s) = (x, snd (get s)). Proof. reflexivity. Qed.
  Lemma get_set_right : forall x s, get (set_right x s) = (fst (get s), x). Proof. reflexivity. Qed.
  Lemma get_swap : forall s, get (swap s) = (snd (get s), fst (get s)). Proof. reflexivity. Qed.
End PairProofs.
