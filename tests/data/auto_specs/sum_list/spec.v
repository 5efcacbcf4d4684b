(** A bag of numbers that remembers what was added, in order, and their sum. [elems]
    lists the numbers in the order they were added; [total] is their sum. *)
Require Import Coq.Lists.List.
Import ListNotations.

Definition sum (l : list nat) : nat := fold_right Nat.add 0 l.

Module Type SUMLIST_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter add : nat -> t -> t.
  Parameter total : t -> nat.
  Parameter elems : t -> list nat.   (* abstraction function, oldest first *)
End SUMLIST_SIG.

Module Type SUMLIST_CORRECT (Import M : SUMLIST_SIG).
  Axiom elems_init : elems init = [].
  Axiom elems_add : forall x s, elems (add x s) = elems s ++ [x].
  Axiom total_elems : forall s, total s = sum (elems s).
End SUMLIST_CORRECT.
