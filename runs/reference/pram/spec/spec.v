(** PRAM (FIFO) consistency, over the shared replicated key-value store model ([model.v]).
    Every replica sees each session's writes in session order: a read returns a write that no
    visible later write of the same session to that key follows, and nothing only if no write of
    the key is visible, where a session's write is visible once it or a later write of the same
    session has been applied. *)
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

Module Type PRAM_CORRECT (Import M : KV_SIG).
  (** The property: every execution's history is PRAM consistent. *)
  Axiom pram_holds : forall s, reachable init put get deliverable deliver s -> pram (hist s).
  (** Liveness: while messages are in flight, one of them can be delivered. *)
  Axiom progress : forall s, reachable init put get deliverable deliver s ->
    net s <> [] -> exists i, ready deliverable s i = true.
  (** Liveness: once every message is delivered, every replica reads a latest write. *)
  Axiom quiescent_reads : forall s r k, reachable init put get deliverable deliver s ->
    net s = [] -> r < nreplicas -> latest_write (hist s) k (get k (locals s r)).
End PRAM_CORRECT.
