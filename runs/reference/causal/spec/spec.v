(** Causal consistency, over the shared replicated key-value store model ([model.v]).
    Every read returns a causally latest write among the writes that happen before it (program
    order at a replica, a put before the delivery of its update, transitively), and nothing only
    if no write of that key happens before it. Chapar's abstract causal store, as a property of histories. *)
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

Module Type CAUSAL_CORRECT (Import M : KV_SIG).
  (** The property: every execution's history is causally consistent. *)
  Axiom causal_holds : forall s, reachable init put get deliverable deliver s -> causal (hist s).
  (** Liveness: while messages are in flight, one of them can be delivered. *)
  Axiom progress : forall s, reachable init put get deliverable deliver s ->
    net s <> [] -> exists i, ready deliverable s i = true.
  (** Liveness: once every message is delivered, every replica reads a latest write. *)
  Axiom quiescent_reads : forall s r k, reachable init put get deliverable deliver s ->
    net s = [] -> r < nreplicas -> latest_write (hist s) k (get k (locals s r)).
End CAUSAL_CORRECT.
