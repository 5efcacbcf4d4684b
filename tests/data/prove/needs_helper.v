(* One hole that needs a generalised helper lemma: the accumulator of `rev_acc` is fixed
   to [] in the statement, so induction on `l` directly gives a useless hypothesis
   (about `rev_acc t []`, while the goal mentions `rev_acc t [x]`). The proof goes through
   `forall l acc, rev_acc l acc = rev l ++ acc`, by induction on `l` for all `acc`. *)
From Coq Require Import List.
Import ListNotations.

Fixpoint rev_acc (l acc : list nat) : list nat :=
  match l with
  | [] => acc
  | x :: t => rev_acc t (x :: acc)
  end.

Theorem rev_acc_correct : forall l, rev_acc l [] = rev l.
Admitted.
