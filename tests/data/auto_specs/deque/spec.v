(** A double-ended queue of natural numbers. [elems] lists the elements from front to back.
    Elements can be pushed and popped at both ends; a pop on an empty deque answers [None]
    and leaves it empty. *)
Require Import Coq.Lists.List.
Import ListNotations.

Module Type DEQUE_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter push_front : nat -> t -> t.
  Parameter push_back : nat -> t -> t.
  Parameter pop_front : t -> option nat * t.
  Parameter pop_back : t -> option nat * t.
  Parameter elems : t -> list nat.   (* abstraction function, front first *)
End DEQUE_SIG.

Module Type DEQUE_CORRECT (Import M : DEQUE_SIG).
  Axiom elems_empty : elems empty = [].
  Axiom elems_push_front : forall x d, elems (push_front x d) = x :: elems d.
  Axiom elems_push_back : forall x d, elems (push_back x d) = elems d ++ [x].
  Axiom pop_front_cons : forall d x r, elems d = x :: r ->
    fst (pop_front d) = Some x /\ elems (snd (pop_front d)) = r.
  Axiom pop_front_nil : forall d, elems d = [] ->
    fst (pop_front d) = None /\ elems (snd (pop_front d)) = [].
  Axiom pop_back_snoc : forall d r x, elems d = r ++ [x] ->
    fst (pop_back d) = Some x /\ elems (snd (pop_back d)) = r.
  Axiom pop_back_nil : forall d, elems d = [] ->
    fst (pop_back d) = None /\ elems (snd (pop_back d)) = [].
End DEQUE_CORRECT.
