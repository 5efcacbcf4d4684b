(** Monotonic reads, over the shared replicated key-value store model ([model.v]).
    A client session is sticky to a replica. Once the session read a key from a write its replica
    had received, its later reads of that key never return a causally older write, or nothing. *)
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

Module Type MR_CORRECT (Import M : KV_SIG).
  (** The property: every execution's history has monotonic reads. *)
  Axiom monotonic_reads_holds : forall s, reachable init put get deliverable deliver s -> monotonic_reads (hist s).
  (** Gets answer only values written by puts that happen before them. *)
  Axiom no_thin_air : forall s, reachable init put get deliverable deliver s -> justified (hist s).
  (** Liveness: while messages are in flight, one of them can be delivered. *)
  Axiom progress : forall s, reachable init put get deliverable deliver s ->
    net s <> [] -> exists i, ready deliverable s i = true.
  (** Liveness: once every message is delivered, every replica reads a latest write. *)
  Axiom quiescent_reads : forall s r k, reachable init put get deliverable deliver s ->
    net s = [] -> r < nreplicas -> latest_write (hist s) k (get k (locals s r)).
End MR_CORRECT.
