(** The range of the numbers observed so far. [observe x] records [x]; [range] is [None]
    before any observation and [Some (lo, hi)] after, the smallest and largest value
    observed. Whatever was observed, [lo <= hi]. *)
Require Import Coq.Arith.PeanoNat Coq.Lists.List.

Definition model_observe (x : nat) (r : option (nat * nat)) : option (nat * nat) :=
  match r with
  | None => Some (x, x)
  | Some (lo, hi) => Some (Nat.min x lo, Nat.max x hi)
  end.

Module Type RANGE_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter observe : nat -> t -> t.
  Parameter range : t -> option (nat * nat).
End RANGE_SIG.

Module Type RANGE_CORRECT (Import M : RANGE_SIG).
  Axiom range_init : range init = None.
  Axiom range_observe : forall x s, range (observe x s) = model_observe x (range s).
  (** Every range built by observations is a genuine interval. *)
  Axiom range_ordered : forall xs lo hi,
    range (fold_left (fun s x => observe x s) xs init) = Some (lo, hi) -> lo <= hi.
End RANGE_CORRECT.
