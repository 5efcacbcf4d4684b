(** A finite map from 63-bit machine-integer keys to 63-bit machine-integer values.

    The same contract as [warmup/finite_map], over Rocq's primitive unsigned 63-bit
    integers ([Coq.Numbers.Cyclic.Int63.Uint63]), which extract to native OCaml integers
    with [ExtrOCamlInt63]: a solution can be both verified and fast. *)
Require Export Coq.Numbers.Cyclic.Int63.Uint63.

(** The reference model: a function. *)
Definition model := int -> option int.
Definition model_get (k : int) (m : model) : option int := m k.
Definition model_put (k v : int) (m : model) : model :=
  fun k' => if (k =? k')%uint63 then Some v else m k'.

Module Type FMAP63_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter get : int -> t -> option int.
  Parameter put : int -> int -> t -> t.
  Parameter remove : int -> t -> t.
End FMAP63_SIG.

Module Type FMAP63_CORRECT (Import M : FMAP63_SIG).
  Axiom get_empty : forall k, get k empty = None.
  Axiom get_put_same : forall k v m, get k (put k v m) = Some v.
  Axiom get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Axiom get_remove_same : forall k m, get k (remove k m) = None.
  Axiom get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
End FMAP63_CORRECT.
