(** A bounded first-in-first-out queue of natural numbers holding at most [capacity]
    elements. [contents q] lists the elements from oldest (front) to newest (back).
    [push x] appends [x] at the back when there is room and answers [true]; when the
    queue is full it is refused ([false]) and the contents stay the same. [pop] removes
    and returns the oldest element, or [None] on an empty queue. [size] is the number of
    elements, and no sequence of operations from [empty] ever exceeds [capacity]. *)
Require Import Coq.Lists.List.
Import ListNotations.

Definition capacity := 4.

(** The reference model: the list of elements, oldest first. *)
Definition model := list nat.
Definition model_push (x : nat) (l : model) : bool * model :=
  if Nat.ltb (length l) capacity then (true, l ++ [x]) else (false, l).
Definition model_pop (l : model) : option nat * model :=
  match l with [] => (None, []) | x :: r => (Some x, r) end.

(** Operations, and how to run a list of them through any implementation. *)
Inductive qop := Push (x : nat) | Pop.

Definition run {T : Type} (push : nat -> T -> bool * T) (pop : T -> option nat * T)
    (ops : list qop) (q : T) : T :=
  fold_left (fun q o => match o with
                        | Push x => snd (push x q)
                        | Pop => snd (pop q)
                        end) ops q.

Module Type BQUEUE_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter push : nat -> t -> bool * t.
  Parameter pop : t -> option nat * t.
  Parameter size : t -> nat.
  Parameter contents : t -> list nat.   (* abstraction function, oldest first *)
End BQUEUE_SIG.

Module Type BQUEUE_CORRECT (Import M : BQUEUE_SIG).
  Axiom contents_empty : contents empty = [].
  Axiom size_contents : forall q, size q = length (contents q).
  Axiom push_room : forall x q, size q < capacity ->
    fst (push x q) = true /\ contents (snd (push x q)) = contents q ++ [x].
  Axiom push_full : forall x q, capacity <= size q ->
    fst (push x q) = false /\ contents (snd (push x q)) = contents q.
  Axiom pop_cons : forall q x r, contents q = x :: r ->
    fst (pop q) = Some x /\ contents (snd (pop q)) = r.
  Axiom pop_nil : forall q, contents q = [] ->
    fst (pop q) = None /\ contents (snd (pop q)) = [].
  (** Every queue reachable from [empty] respects the bound. *)
  Axiom size_bounded : forall ops, size (run push pop ops empty) <= capacity.
End BQUEUE_CORRECT.
