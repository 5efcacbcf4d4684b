(** A min-priority queue of natural numbers (duplicates allowed). [elems] lists the
    contents in non-decreasing order; [insert x] adds [x]; [pop_min] removes and returns
    the smallest element, [None] when the queue is empty. *)
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(** Insertion into a sorted list: the reference ordering. *)
Fixpoint insert_sorted (x : nat) (l : list nat) : list nat :=
  match l with
  | [] => [x]
  | y :: r => if Nat.leb x y then x :: l else y :: insert_sorted x r
  end.

Module Type PQ_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter insert : nat -> t -> t.
  Parameter pop_min : t -> option nat * t.
  Parameter elems : t -> list nat.   (* abstraction function, ascending *)
End PQ_SIG.

Module Type PQ_CORRECT (Import M : PQ_SIG).
  Axiom elems_empty : elems empty = [].
  Axiom elems_insert : forall x q, elems (insert x q) = insert_sorted x (elems q).
  Axiom pop_min_cons : forall q x r, elems q = x :: r ->
    fst (pop_min q) = Some x /\ elems (snd (pop_min q)) = r.
  Axiom pop_min_nil : forall q, elems q = [] ->
    fst (pop_min q) = None /\ elems (snd (pop_min q)) = [].
End PQ_CORRECT.
