(** An unbounded FIFO queue of natural numbers. [to_list] lists the elements oldest first.
    [enqueue x] adds [x] at the back; [dequeue] removes and returns the oldest element, or
    answers [None] on an empty queue; [is_empty] tests for emptiness. *)
Require Import Coq.Lists.List.
Import ListNotations.

Module Type QUEUE_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter enqueue : nat -> t -> t.
  Parameter dequeue : t -> option nat * t.
  Parameter is_empty : t -> bool.
  Parameter to_list : t -> list nat.   (* abstraction function, oldest first *)
End QUEUE_SIG.

Module Type QUEUE_CORRECT (Import M : QUEUE_SIG).
  Axiom to_list_empty : to_list empty = [].
  Axiom to_list_enqueue : forall x q, to_list (enqueue x q) = to_list q ++ [x].
  Axiom dequeue_cons : forall q x r, to_list q = x :: r ->
    fst (dequeue q) = Some x /\ to_list (snd (dequeue q)) = r.
  Axiom dequeue_nil : forall q, to_list q = [] ->
    fst (dequeue q) = None /\ to_list (snd (dequeue q)) = [].
  Axiom is_empty_spec : forall q, is_empty q = true <-> to_list q = [].
End QUEUE_CORRECT.
