(** A register holding one natural number. It starts at 0; [write x] replaces the content
    with [x]; [reset] puts it back to 0; [read] returns the content. *)

Module Type REGISTER_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter write : nat -> t -> t.
  Parameter reset : t -> t.
  Parameter read : t -> nat.
End REGISTER_SIG.

Module Type REGISTER_CORRECT (Import M : REGISTER_SIG).
  Axiom read_init : read init = 0.
  Axiom read_write : forall x s, read (write x s) = x.
  Axiom read_reset : forall s, read (reset s) = 0.
End REGISTER_CORRECT.
