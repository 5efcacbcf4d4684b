(** A stack of natural numbers. [elems] lists the elements from the top down. [push x]
    puts [x] on top; [pop] returns the top element (or [None] on an empty stack) together
    with the rest; [top] only peeks; [size] counts the elements. *)
Require Import Coq.Lists.List.
Import ListNotations.

Module Type STACK_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter push : nat -> t -> t.
  Parameter pop : t -> option nat * t.
  Parameter top : t -> option nat.
  Parameter size : t -> nat.
  Parameter elems : t -> list nat.   (* abstraction function, top first *)
End STACK_SIG.

Module Type STACK_CORRECT (Import M : STACK_SIG).
  Axiom elems_empty : elems empty = [].
  Axiom elems_push : forall x s, elems (push x s) = x :: elems s.
  Axiom pop_cons : forall s x r, elems s = x :: r ->
    fst (pop s) = Some x /\ elems (snd (pop s)) = r.
  Axiom pop_nil : forall s, elems s = [] ->
    fst (pop s) = None /\ elems (snd (pop s)) = [].
  Axiom top_elems : forall s, top s = hd_error (elems s).
  Axiom size_elems : forall s, size s = length (elems s).
End STACK_CORRECT.
