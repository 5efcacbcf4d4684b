(** A counter holding a natural number: increment, decrement, reset, read.
    Decrement saturates at 0: decrementing a counter that reads 0 leaves it at 0
    (there are no negative values). Every operation is pinned down by what [value]
    reads afterwards, relative to what it read before. *)

(** The reference model: the counter is just the number it reads. *)
Definition model := nat.
Definition model_incr (n : model) : model := S n.
Definition model_decr (n : model) : model := n - 1.   (* saturating: 0 - 1 = 0 *)
Definition model_reset (n : model) : model := 0.

Module Type COUNTER_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter incr : t -> t.
  Parameter decr : t -> t.
  Parameter reset : t -> t.
  Parameter value : t -> nat.
End COUNTER_SIG.

Module Type COUNTER_CORRECT (Import M : COUNTER_SIG).
  Axiom value_init : value init = 0.
  Axiom value_incr : forall c, value (incr c) = model_incr (value c).
  Axiom value_decr : forall c, value (decr c) = model_decr (value c).
  Axiom value_reset : forall c, value (reset c) = model_reset (value c).
End COUNTER_CORRECT.
