(** Smallest number seen so far, and how many numbers were seen. [add x] records [x];
    [smallest] is [None] before anything is recorded and [Some] of the minimum after;
    [count] is the number of calls to [add]. *)
Require Import Coq.Arith.PeanoNat.

Definition model_smallest (x : nat) (o : option nat) : option nat :=
  match o with
  | None => Some x
  | Some m => Some (Nat.min x m)
  end.

Module Type MINCOUNT_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter add : nat -> t -> t.
  Parameter smallest : t -> option nat.
  Parameter count : t -> nat.
End MINCOUNT_SIG.

Module Type MINCOUNT_CORRECT (Import M : MINCOUNT_SIG).
  Axiom smallest_init : smallest init = None.
  Axiom smallest_add : forall x s, smallest (add x s) = model_smallest x (smallest s).
  Axiom count_init : count init = 0.
  Axiom count_add : forall x s, count (add x s) = S (count s).
End MINCOUNT_CORRECT.
