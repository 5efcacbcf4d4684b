(** A finite map from natural-number keys to natural-number values. *)
Require Import Coq.Arith.PeanoNat.

(** The reference model: a function. *)
Definition model := nat -> option nat.
Definition model_get (k : nat) (m : model) : option nat := m k.
Definition model_put (k v : nat) (m : model) : model :=
  fun k' => if Nat.eqb k k' then Some v else m k'.

Module Type FMAP_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter get : nat -> t -> option nat.
  Parameter put : nat -> nat -> t -> t.
  Parameter remove : nat -> t -> t.
End FMAP_SIG.

Module Type FMAP_CORRECT (Import M : FMAP_SIG).
  Axiom get_empty : forall k, get k empty = None.
  Axiom get_put_same : forall k v m, get k (put k v m) = Some v.
  Axiom get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Axiom get_remove_same : forall k m, get k (remove k m) = None.
  Axiom get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
End FMAP_CORRECT.
