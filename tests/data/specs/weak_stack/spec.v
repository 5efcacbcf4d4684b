(** A stack of natural numbers, as a newcomer writes it on the first day: push, pop, top,
    and the elements from the top down. The three witnesses in spec.toml only push and
    look at the top, so they do not rule out a [pop] that does nothing ([pop s := s]); the
    theorem [elems_pop] does, but only a proof attempt (or a test of it) finds that out.
    tests/cli/test_failure_story.py runs `idsynth run` on it. *)
Require Import Coq.Lists.List.
Import ListNotations.

Module Type STACK_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter push : nat -> t -> t.
  Parameter pop : t -> t.
  Parameter top : t -> option nat.
  Parameter elems : t -> list nat.
End STACK_SIG.

Module Type STACK_CORRECT (Import M : STACK_SIG).
  Axiom elems_empty : elems empty = [].
  Axiom elems_push : forall x s, elems (push x s) = x :: elems s.
  Axiom elems_pop : forall s, elems (pop s) = tl (elems s).
  Axiom top_elems : forall s, top s = hd_error (elems s).
End STACK_CORRECT.
