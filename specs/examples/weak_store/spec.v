(** A DELIBERATELY WEAK key-value store specification (a fixture for the weakness probe).
    It only says that the initial store is empty and that reading a key after writing it
    gives ... whatever reading it after writing it gives (a tautology). Nothing says that
    [put] stores anything, so an implementation whose [put] ignores its arguments and whose
    [get] always answers [None] satisfies every theorem. Do not use as a real spec. *)

(** The intended reference model (which the theorems below fail to pin down). *)
Definition model := nat -> option nat.
Definition model_get (k : nat) (m : model) : option nat := m k.
Definition model_put (k v : nat) (m : model) : model :=
  fun k' => if Nat.eqb k k' then Some v else m k'.

Module Type WSTORE_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter get : nat -> t -> option nat.
  Parameter put : nat -> nat -> t -> t.
End WSTORE_SIG.

Module Type WSTORE_CORRECT (Import M : WSTORE_SIG).
  Axiom get_init : forall k, get k init = None.
  (** Trivially true: it is [x = x]. *)
  Axiom get_put_refl : forall k v s, get k (put k v s) = get k (put k v s).
End WSTORE_CORRECT.
