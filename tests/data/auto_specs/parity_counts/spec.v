(** Counts the even and the odd numbers fed to it. *)
Require Import Coq.Arith.PeanoNat.

Module Type PARITY_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter feed : nat -> t -> t.
  Parameter evens : t -> nat.
  Parameter odds : t -> nat.
End PARITY_SIG.

Module Type PARITY_CORRECT (Import M : PARITY_SIG).
  Axiom evens_init : evens init = 0.
  Axiom odds_init : odds init = 0.
  Axiom evens_feed : forall x s, evens (feed x s) = if Nat.even x then S (evens s) else evens s.
  Axiom odds_feed : forall x s, odds (feed x s) = if Nat.even x then odds s else S (odds s).
End PARITY_CORRECT.
