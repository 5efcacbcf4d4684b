(** Two registers side by side, read together as a pair. [set_left] and [set_right]
    write one of them; [swap] exchanges them. Both start at 0. *)

Module Type PAIR_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter set_left : nat -> t -> t.
  Parameter set_right : nat -> t -> t.
  Parameter swap : t -> t.
  Parameter get : t -> nat * nat.
End PAIR_SIG.

Module Type PAIR_CORRECT (Import M : PAIR_SIG).
  Axiom get_init : get init = (0, 0).
  Axiom get_set_left : forall x s, get (set_left x s) = (x, snd (get s)).
  Axiom get_set_right : forall x s, get (set_right x s) = (fst (get s), x).
  Axiom get_swap : forall s, get (swap s) = (snd (get s), fst (get s)).
End PAIR_CORRECT.
