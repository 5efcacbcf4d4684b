(** A counter with a lock. [incr] adds one unless the counter is locked, in which case it
    does nothing; [lock] and [unlock] set the lock without touching the count. It starts
    unlocked at 0. *)

Module Type LCOUNTER_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter incr : t -> t.
  Parameter lock : t -> t.
  Parameter unlock : t -> t.
  Parameter value : t -> nat.
  Parameter locked : t -> bool.
End LCOUNTER_SIG.

Module Type LCOUNTER_CORRECT (Import M : LCOUNTER_SIG).
  Axiom value_init : value init = 0.
  Axiom locked_init : locked init = false.
  Axiom incr_unlocked : forall s, locked s = false -> value (incr s) = S (value s).
  Axiom incr_locked : forall s, locked s = true -> value (incr s) = value s.
  Axiom locked_incr : forall s, locked (incr s) = locked s.
  Axiom lock_spec : forall s, locked (lock s) = true /\ value (lock s) = value s.
  Axiom unlock_spec : forall s, locked (unlock s) = false /\ value (unlock s) = value s.
End LCOUNTER_CORRECT.
