(** A total map from natural numbers to natural numbers: every key has a value, [default]
    until it is set. [clear] puts every key back to [default]. *)

Definition default := 0.

Module Type TMAP_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter get : nat -> t -> nat.
  Parameter set : nat -> nat -> t -> t.
  Parameter clear : t -> t.
End TMAP_SIG.

Module Type TMAP_CORRECT (Import M : TMAP_SIG).
  Axiom get_init : forall k, get k init = default.
  Axiom get_set_same : forall k v m, get k (set k v m) = v.
  Axiom get_set_other : forall k k' v m, k <> k' -> get k' (set k v m) = get k' m.
  Axiom get_clear : forall k m, get k (clear m) = default.
End TMAP_CORRECT.
