(** A finite set of natural numbers, described only by membership: [add], [remove] and
    [mem] behave as expected, whatever the representation. In particular adding an
    element twice and removing it once leaves it out. *)

Module Type NSET_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter add : nat -> t -> t.
  Parameter remove : nat -> t -> t.
  Parameter mem : nat -> t -> bool.
End NSET_SIG.

Module Type NSET_CORRECT (Import M : NSET_SIG).
  Axiom mem_empty : forall x, mem x empty = false.
  Axiom mem_add_same : forall x s, mem x (add x s) = true.
  Axiom mem_add_other : forall x y s, x <> y -> mem y (add x s) = mem y s.
  Axiom mem_remove_same : forall x s, mem x (remove x s) = false.
  Axiom mem_remove_other : forall x y s, x <> y -> mem y (remove x s) = mem y s.
End NSET_CORRECT.
