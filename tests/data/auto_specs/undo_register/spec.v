(** A register with undo. [set x] makes [x] the current value; [undo] goes back to the
    value before the last [set] that has not been undone yet (undo with nothing to undo
    does nothing). [current] is [None] when no value is in effect. The behaviour is given by
    the abstraction function [history]: the values set and not undone, newest first. *)
Require Import Coq.Lists.List.
Import ListNotations.

Module Type UNDO_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter set : nat -> t -> t.
  Parameter undo : t -> t.
  Parameter current : t -> option nat.
  Parameter history : t -> list nat.   (* abstraction function, newest first *)
End UNDO_SIG.

Module Type UNDO_CORRECT (Import M : UNDO_SIG).
  Axiom history_init : history init = [].
  Axiom history_set : forall x s, history (set x s) = x :: history s.
  Axiom history_undo : forall s, history (undo s) = tl (history s).
  Axiom current_history : forall s, current s = hd_error (history s).
End UNDO_CORRECT.
