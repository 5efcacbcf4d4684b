(** A twelve-hour dial. [tick] moves the hand one hour forward, wrapping from 11 back to 0;
    [hour] reads the hand, always below 12. *)
Require Import Coq.Arith.PeanoNat.

Module Type CLOCK_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter tick : t -> t.
  Parameter hour : t -> nat.
End CLOCK_SIG.

Module Type CLOCK_CORRECT (Import M : CLOCK_SIG).
  Axiom hour_init : hour init = 0.
  Axiom hour_tick : forall s, hour (tick s) = (S (hour s)) mod 12.
  Axiom hour_lt : forall n, hour (Nat.iter n tick init) < 12.
End CLOCK_CORRECT.
