(** A bag (multiset) of natural numbers: an element can be present several times.
    [add x] adds one copy of [x]; [remove_one x] removes one copy if there is any;
    [count x] is the number of copies of [x]. *)

Module Type BAG_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter add : nat -> t -> t.
  Parameter remove_one : nat -> t -> t.
  Parameter count : nat -> t -> nat.
End BAG_SIG.

Module Type BAG_CORRECT (Import M : BAG_SIG).
  Axiom count_empty : forall x, count x empty = 0.
  Axiom count_add_same : forall x b, count x (add x b) = S (count x b).
  Axiom count_add_other : forall x y b, x <> y -> count y (add x b) = count y b.
  Axiom count_remove_same : forall x b, count x (remove_one x b) = count x b - 1.
  Axiom count_remove_other : forall x y b, x <> y -> count y (remove_one x b) = count y b.
End BAG_CORRECT.
