(** A counter that never exceeds [cap]. [incr] adds one unless the counter is at [cap];
    [decr] subtracts one unless it is at 0. Whatever the sequence of operations from
    [init], the value stays within [0, cap]. *)
Require Import Coq.Arith.PeanoNat Coq.Lists.List.

Definition cap := 10.

Inductive op := Incr | Decr.

Definition run {T : Type} (incr decr : T -> T) (ops : list op) (s : T) : T :=
  fold_left (fun s o => match o with Incr => incr s | Decr => decr s end) ops s.

Module Type BCOUNTER_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter incr : t -> t.
  Parameter decr : t -> t.
  Parameter value : t -> nat.
End BCOUNTER_SIG.

Module Type BCOUNTER_CORRECT (Import M : BCOUNTER_SIG).
  Axiom value_init : value init = 0.
  Axiom value_incr : forall s, value s < cap -> value (incr s) = S (value s).
  Axiom value_incr_full : forall s, cap <= value s -> value (incr s) = value s.
  Axiom value_decr : forall s, value (decr s) = value s - 1.
  Axiom value_bounded : forall ops, value (run incr decr ops init) <= cap.
End BCOUNTER_CORRECT.
