(** A light switch. It starts off; [flip] inverts it, [turn_off] forces it off whatever
    its state, and [is_on] reads it. *)

Module Type TOGGLE_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter flip : t -> t.
  Parameter turn_off : t -> t.
  Parameter is_on : t -> bool.
End TOGGLE_SIG.

Module Type TOGGLE_CORRECT (Import M : TOGGLE_SIG).
  Axiom is_on_init : is_on init = false.
  Axiom is_on_flip : forall s, is_on (flip s) = negb (is_on s).
  Axiom is_on_turn_off : forall s, is_on (turn_off s) = false.
End TOGGLE_CORRECT.
