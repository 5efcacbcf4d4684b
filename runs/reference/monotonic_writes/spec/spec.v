(** Monotonic writes, over the shared replicated key-value store model ([model.v]).
    A session's writes are applied in session order everywhere: a replica that has applied a
    session's write never reads the key of an earlier write of that session as something causally
    older than that earlier write (or as nothing). *)
From Spec Require Import model.

(** What an implementation of a replica provides: its local state, its update messages,
    and the handlers the model runs (see [model.v]). *)
Module Type KV_SIG.
  Parameter t : Type.
  Parameter msg : Type.
  Parameter init : nat -> t.
  Parameter put : nat -> nat -> nat -> t -> t * msg.
  Parameter get : nat -> t -> option nat.
  Parameter deliverable : t -> msg -> bool.
  Parameter deliver : t -> msg -> t.
End KV_SIG.

Module Type MW_CORRECT (Import M : KV_SIG).
  (** The property: every execution's history has monotonic writes. *)
  Axiom monotonic_writes_holds : forall s, reachable init put get deliverable deliver s -> monotonic_writes (hist s).
  (** Gets answer only values written by puts that happen before them. *)
  Axiom no_thin_air : forall s, reachable init put get deliverable deliver s -> justified (hist s).
  (** Liveness: while messages are in flight, one of them can be delivered. *)
  Axiom progress : forall s, reachable init put get deliverable deliver s ->
    net s <> [] -> exists i, ready deliverable s i = true.
  (** Liveness: once every message is delivered, every replica reads a latest write. *)
  Axiom quiescent_reads : forall s r k, reachable init put get deliverable deliver s ->
    net s = [] -> r < nreplicas -> latest_write (hist s) k (get k (locals s r)).
End MW_CORRECT.
