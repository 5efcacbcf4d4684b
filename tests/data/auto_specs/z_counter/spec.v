(** An integer counter that can go below zero: [up] adds one, [down] subtracts one,
    [add_by d] adds the (possibly negative) [d]. *)
(* Exported so that witnesses (and solutions) can write [(-1)%Z]. *)
Require Export Coq.ZArith.ZArith.

Module Type ZCOUNTER_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter up : t -> t.
  Parameter down : t -> t.
  Parameter add_by : Z -> t -> t.
  Parameter value : t -> Z.
End ZCOUNTER_SIG.

Module Type ZCOUNTER_CORRECT (Import M : ZCOUNTER_SIG).
  Axiom value_init : value init = 0%Z.
  Axiom value_up : forall s, value (up s) = (value s + 1)%Z.
  Axiom value_down : forall s, value (down s) = (value s - 1)%Z.
  Axiom value_add_by : forall d s, value (add_by d s) = (value s + d)%Z.
End ZCOUNTER_CORRECT.
