(** An append-only log of natural numbers. [append x] adds an entry at the end; [len] is
    the number of entries; [nth i] reads entry [i], counting from 0 for the oldest, and is
    [None] past the end. Entries are never changed once written. *)
Require Import Coq.Arith.PeanoNat.

Module Type LOG_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter append : nat -> t -> t.
  Parameter len : t -> nat.
  Parameter nth : nat -> t -> option nat.
End LOG_SIG.

Module Type LOG_CORRECT (Import M : LOG_SIG).
  Axiom len_empty : len empty = 0.
  Axiom len_append : forall x l, len (append x l) = S (len l).
  Axiom nth_append : forall i x l,
    nth i (append x l) = if Nat.eqb i (len l) then Some x else nth i l.
  Axiom nth_past_end : forall i l, len l <= i -> nth i l = None.
End LOG_CORRECT.
