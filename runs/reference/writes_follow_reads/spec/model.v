(** The shared operational model of a replicated key-value store (a small cousin of
    Chapar's [KVStore.v], POPL 2016). Every spec under [specs/kv/] ships an identical copy.

    - A FIXED set of three replicas, [0], [1] and [2]. Keys and values are [nat].
    - Clients are sticky: the client session of replica [r] issues its [put]s and [get]s at
      [r], so "the session" of an event is its replica.
    - A [put k v] at replica [r] runs the implementation's local handler, which returns the
      new local state and ONE update message; the model sends a copy of it to every other
      replica. Messages are delivered in any order and interleaving: the network is a list
      (a multiset) of in-flight messages, and any in-flight message whose guard
      [deliverable] holds at its destination may be delivered next.
    - The model records the history of observable events: [EvPut r k v], [EvGet r k res]
      and [EvDeliver r p] (replica [r] applied the update of the put at position [p] of
      the history). Positions in the history identify events; the model, not the
      implementation, knows which put a message came from.

    The model is parameterised by the implementation's handlers (a section), so a
    correctness module type over the signature simply applies it to [M]'s fields. *)
From Coq Require Import Arith.PeanoNat.
From Coq Require Export Lists.List. (* re-exported with its notations, for witnesses *)
Export ListNotations.

(** * Replicas *)
Definition nreplicas : nat := 3.
Definition replicas : list nat := [0; 1; 2].

(** * Histories *)
Inductive event : Type :=
| EvPut (r k v : nat)                  (** replica [r] served [put k v] *)
| EvGet (r k : nat) (res : option nat) (** replica [r] served [get k], answering [res] *)
| EvDeliver (r p : nat).               (** replica [r] applied the update of the put at position [p] *)

Definition ev_replica (e : event) : nat :=
  match e with EvPut r _ _ | EvGet r _ _ | EvDeliver r _ => r end.

Definition history := list event.

(** Happens-before (potential causality) between positions of a history: program order
    at a replica, a put before the delivery of its update, and their transitive closure. *)
Inductive hb (h : history) : nat -> nat -> Prop :=
| hb_replica i j ei ej : i < j -> nth_error h i = Some ei -> nth_error h j = Some ej ->
    ev_replica ei = ev_replica ej -> hb h i j
| hb_deliver p j r : nth_error h j = Some (EvDeliver r p) -> hb h p j
| hb_trans i j l : hb h i j -> hb h j l -> hb h i l.

(** * Global states and steps *)
Record gstate (t msg : Type) := mk_gstate {
  locals : nat -> t;                  (** the local state of each replica *)
  net : list (nat * nat * msg);       (** in-flight messages: (destination, put position, message) *)
  hist : history                      (** what happened so far, oldest first *)
}.
Arguments mk_gstate {t msg}.
Arguments locals {t msg}.
Arguments net {t msg}.
Arguments hist {t msg}.

Definition upd {A : Type} (f : nat -> A) (r : nat) (x : A) : nat -> A :=
  fun r' => if Nat.eqb r' r then x else f r'.

Definition others (r : nat) : list nat := filter (fun d => negb (Nat.eqb d r)) replicas.

Fixpoint remove_nth {A : Type} (i : nat) (l : list A) : list A :=
  match l, i with
  | [], _ => []
  | _ :: l', 0 => l'
  | x :: l', S i' => x :: remove_nth i' l'
  end.

Section Model.
  Context {t msg : Type}.
  Variable init : nat -> t.                          (** initial state of replica [r] *)
  Variable put : nat -> nat -> nat -> t -> t * msg.  (** [put r k v st]: new state, update to broadcast *)
  Variable get : nat -> t -> option nat.             (** [get k st] *)
  Variable deliverable : t -> msg -> bool.           (** may this update be applied now? *)
  Variable deliver : t -> msg -> t.                  (** apply an update *)

  Definition init_state : gstate t msg := mk_gstate init [] [].

  Definition do_put (r k v : nat) (s : gstate t msg) : gstate t msg :=
    let stm := put r k v (locals s r) in
    mk_gstate (upd (locals s) r (fst stm))
              (net s ++ map (fun d => (d, length (hist s), snd stm)) (others r))
              (hist s ++ [EvPut r k v]).

  Definition do_get (r k : nat) (s : gstate t msg) : gstate t msg :=
    mk_gstate (locals s) (net s) (hist s ++ [EvGet r k (get k (locals s r))]).

  (** Is the [i]-th in-flight message deliverable at its destination? *)
  Definition ready (s : gstate t msg) (i : nat) : bool :=
    match nth_error (net s) i with
    | Some (d, _, m) => deliverable (locals s d) m
    | None => false
    end.

  Definition do_deliver (i : nat) (s : gstate t msg) : gstate t msg :=
    match nth_error (net s) i with
    | Some (d, p, m) =>
        mk_gstate (upd (locals s) d (deliver (locals s d) m)) (remove_nth i (net s))
                  (hist s ++ [EvDeliver d p])
    | None => s
    end.

  Inductive step : gstate t msg -> gstate t msg -> Prop :=
  | step_put r k v s : r < nreplicas -> step s (do_put r k v s)
  | step_get r k s : r < nreplicas -> step s (do_get r k s)
  | step_deliver i s : ready s i = true -> step s (do_deliver i s).

  Inductive reachable : gstate t msg -> Prop :=
  | reachable_init : reachable init_state
  | reachable_step s s' : reachable s -> step s s' -> reachable s'.

  (** * An executable schedule runner, for witnesses and benchmarks *)
  Definition find_ready (s : gstate t msg) : option nat :=
    find (ready s) (seq 0 (length (net s))).

  Fixpoint deliver_all_fuel (fuel : nat) (s : gstate t msg) : gstate t msg :=
    match fuel with
    | 0 => s
    | S f => match find_ready s with
             | Some i => deliver_all_fuel f (do_deliver i s)
             | None => s
             end
    end.

  (** Deliver in-flight messages, first ready first, until none is ready. *)
  Definition deliver_all (s : gstate t msg) : gstate t msg := deliver_all_fuel (length (net s)) s.
End Model.

(** Schedules: a client operation at a replica, the delivery of the [i]-th in-flight message
    (if it is ready; otherwise nothing happens), or deliver until nothing is ready. *)
Inductive cmd : Type :=
| Put (r k v : nat)
| Get (r k : nat)
| Deliver (i : nat)
| DeliverAll.

Section Run.
  Context {t msg : Type}.
  Variable init : nat -> t.
  Variable put : nat -> nat -> nat -> t -> t * msg.
  Variable get : nat -> t -> option nat.
  Variable deliverable : t -> msg -> bool.
  Variable deliver : t -> msg -> t.

  Fixpoint exec (cs : list cmd) (s : gstate t msg) : gstate t msg * list (option nat) :=
    match cs with
    | [] => (s, [])
    | Put r k v :: cs' => exec cs' (do_put put r k v s)
    | Get r k :: cs' =>
        let '(s', out) := exec cs' (do_get get r k s) in (s', get k (locals s r) :: out)
    | Deliver i :: cs' =>
        exec cs' (if ready deliverable s i then do_deliver deliver i s else s)
    | DeliverAll :: cs' => exec cs' (deliver_all deliverable deliver s)
    end.

  (** The answers of the schedule's [Get]s, in order. *)
  Definition run_schedule (cs : list cmd) : list (option nat) :=
    snd (exec cs (init_state init)).
End Run.

(** Helpers for witnesses whose expected answer is a set of possibilities. *)
Definition opt_eqb (a b : option nat) : bool :=
  match a, b with
  | Some x, Some y => Nat.eqb x y
  | None, None => true
  | _, _ => false
  end.

Fixpoint outs_eqb (a b : list (option nat)) : bool :=
  match a, b with
  | [], [] => true
  | x :: a', y :: b' => opt_eqb x y && outs_eqb a' b'
  | _, _ => false
  end.

(** Every answer is one of [allowed]. *)
Definition all_among (allowed a : list (option nat)) : bool :=
  forallb (fun x => existsb (opt_eqb x) allowed) a.

(** All answers are the same. *)
Definition all_same (a : list (option nat)) : bool :=
  match a with
  | [] => true
  | x :: a' => forallb (opt_eqb x) a'
  end.

(** * Properties of histories *)

(** The get at position [j] answered [Some v], and [i] is a put of [v] to the same key that
    happens before the get: the get may have read from [i]. *)
Definition reads_from (h : history) (j i : nat) : Prop :=
  exists r k v o, nth_error h j = Some (EvGet r k (Some v)) /\
                  nth_error h i = Some (EvPut o k v) /\ hb h i j.

(** The get at [j] reads a write that is not older (in causal order) than the write [w]. *)
Definition reads_at_least (h : history) (j w : nat) : Prop :=
  exists i, reads_from h j i /\ ~ hb h i w.

(** The update of put [w] had been applied at the replica of event [j] before [j]: [w] is an
    earlier put of that replica, or its update was delivered there earlier. *)
Definition applied (h : history) (w j : nat) : Prop :=
  exists o k v e, nth_error h w = Some (EvPut o k v) /\ nth_error h j = Some e /\ w < j /\
    (ev_replica e = o \/ exists d, d < j /\ nth_error h d = Some (EvDeliver (ev_replica e) w)).

(** No value out of thin air: a get that answers [Some v] read it from a put of [v] to that
    key that happens before it. *)
Definition justified (h : history) : Prop :=
  forall j r k v, nth_error h j = Some (EvGet r k (Some v)) -> exists i, reads_from h j i.

(** [res] is the value of a latest write to [k] in [h]: none if [k] was never written,
    otherwise the value of a put to [k] that no put to [k] causally follows. *)
Definition latest_write (h : history) (k : nat) (res : option nat) : Prop :=
  (res = None /\ forall w o v, nth_error h w <> Some (EvPut o k v)) \/
  (exists i o v, res = Some v /\ nth_error h i = Some (EvPut o k v) /\
     forall w o' v', nth_error h w = Some (EvPut o' k v') -> ~ hb h i w).

(** Read your writes: after a session wrote [k], its gets of [k] read that write or a write
    that is not causally older. *)
Definition read_your_writes (h : history) : Prop :=
  forall w j r k v res, w < j -> nth_error h w = Some (EvPut r k v) ->
    nth_error h j = Some (EvGet r k res) -> reads_at_least h j w.

(** Monotonic reads: once a session read [k] from a write it had received, its later gets
    of [k] read that write or a write that is not causally older. *)
Definition monotonic_reads (h : history) : Prop :=
  forall j1 j2 i1 r k v1 res2, j1 < j2 ->
    nth_error h j1 = Some (EvGet r k (Some v1)) -> nth_error h j2 = Some (EvGet r k res2) ->
    reads_from h j1 i1 -> applied h i1 j1 -> reads_at_least h j2 i1.

(** Monotonic writes: if a replica has applied a session's write [w2], its gets of the key
    of any earlier write [w1] of that session read [w1] or a write not causally older. *)
Definition monotonic_writes (h : history) : Prop :=
  forall w1 w2 j r k1 v1 k2 v2 r' res, w1 < w2 ->
    nth_error h w1 = Some (EvPut r k1 v1) -> nth_error h w2 = Some (EvPut r k2 v2) ->
    nth_error h j = Some (EvGet r' k1 res) -> applied h w2 j -> reads_at_least h j w1.

(** Writes follow reads: if a session read [k] from a write [i1] it had received and later
    wrote [w], a replica that has applied [w] reads [k] from [i1] or a write not causally older. *)
Definition writes_follow_reads (h : history) : Prop :=
  forall j1 i1 w j r k v1 kw vw r' res, j1 < w ->
    nth_error h j1 = Some (EvGet r k (Some v1)) -> reads_from h j1 i1 -> applied h i1 j1 ->
    nth_error h w = Some (EvPut r kw vw) ->
    nth_error h j = Some (EvGet r' k res) -> applied h w j -> reads_at_least h j i1.

(** Causal consistency: every get of [k] answers with a causally latest write to [k] among
    those that happen before it, and [None] only if no write to [k] happens before it. *)
Definition causal (h : history) : Prop :=
  forall j r k res, nth_error h j = Some (EvGet r k res) ->
    (res = None /\ forall w o v, nth_error h w = Some (EvPut o k v) -> ~ hb h w j) \/
    (exists i, reads_from h j i /\
       forall w o v, nth_error h w = Some (EvPut o k v) -> hb h w j -> ~ hb h i w).

(** PRAM (FIFO) visibility: [w] is a write of a session some write of which, no earlier
    than [w] in that session, had been applied at the replica of [j] before [j]. *)
Definition pram_visible (h : history) (w j : nat) : Prop :=
  exists w' o k v k' v', nth_error h w = Some (EvPut o k v) /\
    nth_error h w' = Some (EvPut o k' v') /\ w <= w' /\ applied h w' j.

(** PRAM consistency: every replica sees each session's writes in session order — a get of
    [k] answers with a write to [k] that no PRAM-visible write of the same session to [k]
    follows, and [None] only if no write to [k] is PRAM-visible. *)
Definition pram (h : history) : Prop :=
  forall j r k res, nth_error h j = Some (EvGet r k res) ->
    (res = None /\ forall w o v, nth_error h w = Some (EvPut o k v) -> ~ pram_visible h w j) \/
    (exists i o' v', reads_from h j i /\ nth_error h i = Some (EvPut o' k v') /\
       forall w o v, nth_error h w = Some (EvPut o k v) -> pram_visible h w j -> ~ (o' = o /\ i < w)).
