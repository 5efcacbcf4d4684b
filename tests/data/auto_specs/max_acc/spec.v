(** The largest number seen so far. [add x] records [x]; [largest] is the maximum of
    everything recorded, and 0 when nothing was recorded yet. *)
Require Import Coq.Arith.PeanoNat.

Module Type MAXACC_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter add : nat -> t -> t.
  Parameter largest : t -> nat.
End MAXACC_SIG.

Module Type MAXACC_CORRECT (Import M : MAXACC_SIG).
  Axiom largest_init : largest init = 0.
  Axiom largest_add : forall x s, largest (add x s) = Nat.max x (largest s).
End MAXACC_CORRECT.
