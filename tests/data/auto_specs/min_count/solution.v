From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat.

Module MinAndCount <: MINCOUNT_SIG.
  Definition t := (option nat * nat)%type.
  Definition init : t := (None, 0).
  Definition add (x : nat) (s : t) : t := (model_smallest x (fst s), S (snd s)).
  Definition smallest (s : t) : option nat := fst s.
  Definition count (s : t) : nat := snd s.
End MinAndCount.

Module MinAndCountProofs <: MINCOUNT_CORRECT MinAndCount.
  Import MinAndCount.
  Lemma smallest_init : smallest init = None. Proof. reflexivity. Qed.
  Lemma smallest_add : forall x s, smallest (add x s) = model_smallest x (smallest s). Proof. reflexivity. Qed.
  Lemma count_init : count init = 0. Proof. reflexivity. Qed.
  Lemma count_add : forall x s, count (add x s) = S (count s). Proof. reflexivity. Qed.
End MinAndCountProofs.
