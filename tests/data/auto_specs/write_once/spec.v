(** A write-once cell. The first [write x] succeeds (answers [true]) and fixes the
    content to [x]; every later write is refused ([false]) and changes nothing. [read] is
    [None] until the first write. *)

Module Type ONCE_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter write : nat -> t -> bool * t.
  Parameter read : t -> option nat.
End ONCE_SIG.

Module Type ONCE_CORRECT (Import M : ONCE_SIG).
  Axiom read_init : read init = None.
  Axiom write_first : forall x s, read s = None ->
    fst (write x s) = true /\ read (snd (write x s)) = Some x.
  Axiom write_again : forall x y s, read s = Some y ->
    fst (write x s) = false /\ read (snd (write x s)) = Some y.
End ONCE_CORRECT.
