(** A stack that can report its largest element. [elems] lists the elements top first;
    [push]/[pop] as for any stack (a pop on an empty stack answers [None]); [max_elem] is
    the largest element currently on the stack, [None] when it is empty. *)
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(** Largest element of a list, [None] for the empty list. *)
Fixpoint list_max_opt (l : list nat) : option nat :=
  match l with
  | [] => None
  | x :: r => match list_max_opt r with
              | None => Some x
              | Some m => Some (Nat.max x m)
              end
  end.

Module Type MAXSTACK_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter push : nat -> t -> t.
  Parameter pop : t -> option nat * t.
  Parameter max_elem : t -> option nat.
  Parameter elems : t -> list nat.   (* abstraction function, top first *)
End MAXSTACK_SIG.

Module Type MAXSTACK_CORRECT (Import M : MAXSTACK_SIG).
  Axiom elems_empty : elems empty = [].
  Axiom elems_push : forall x s, elems (push x s) = x :: elems s.
  Axiom pop_cons : forall s x r, elems s = x :: r ->
    fst (pop s) = Some x /\ elems (snd (pop s)) = r.
  Axiom pop_nil : forall s, elems s = [] ->
    fst (pop s) = None /\ elems (snd (pop s)) = [].
  Axiom max_elem_elems : forall s, max_elem s = list_max_opt (elems s).
End MAXSTACK_CORRECT.
