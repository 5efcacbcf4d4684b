(** A set of natural numbers that knows its size. [add x] inserts [x] (no effect if it is
    already there); [mem] tests membership; [card] is the number of distinct elements. *)

Module Type CSET_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter add : nat -> t -> t.
  Parameter mem : nat -> t -> bool.
  Parameter card : t -> nat.
End CSET_SIG.

Module Type CSET_CORRECT (Import M : CSET_SIG).
  Axiom mem_empty : forall x, mem x empty = false.
  Axiom mem_add : forall x y s, mem y (add x s) = orb (Nat.eqb x y) (mem y s).
  Axiom card_empty : card empty = 0.
  Axiom card_add : forall x s, card (add x s) = if mem x s then card s else S (card s).
End CSET_CORRECT.
