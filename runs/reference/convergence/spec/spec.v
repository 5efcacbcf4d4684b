(** Eventual convergence, over the shared replicated key-value store model ([model.v]).
    Once every in-flight update is delivered, all replicas agree on every key, and what they read
    is a latest write (one no other write of that key causally follows). *)
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

Module Type CONVERGENCE_CORRECT (Import M : KV_SIG).
  (** The property: at quiescence all replicas answer every get alike. *)
  Axiom converge : forall s r1 r2 k, reachable init put get deliverable deliver s ->
    net s = [] -> r1 < nreplicas -> r2 < nreplicas -> get k (locals s r1) = get k (locals s r2).
  (** Gets answer only values written by puts that happen before them. *)
  Axiom no_thin_air : forall s, reachable init put get deliverable deliver s -> justified (hist s).
  (** Liveness: while messages are in flight, one of them can be delivered. *)
  Axiom progress : forall s, reachable init put get deliverable deliver s ->
    net s <> [] -> exists i, ready deliverable s i = true.
  (** Liveness: once every message is delivered, every replica reads a latest write. *)
  Axiom quiescent_reads : forall s r k, reachable init put get deliverable deliver s ->
    net s = [] -> r < nreplicas -> latest_write (hist s) k (get k (locals s r)).
End CONVERGENCE_CORRECT.
