(** The restated operational model of a replicated key-value store, shared by the KV specs
    (a spec lists it in [include] of its [spec.toml]; it is compiled from the pristine copy
    like the spec itself and folded into the spec hash). A small cousin of Chapar's
    [KVStore.v] (Lesani, Bell and Chlipala, POPL 2016).

    What changed from the first model, and why (issue 13):
    - ANY number of replicas [n >= 1]: [n] is a parameter of the model and of the
      implementation's [init n r]; every theorem quantifies over it.
    - EXACT read-from: the implementation is polymorphic in the value type [V]. The model
      instantiates [V := nat] and hands each put, as its value, its own position in the
      history (Chapar's tagged values). A parametric store can only return a tag it was
      given, so a get's answer names the very put it read — no matching by value.
    - [get] returns an answer AND a new local state, so stores that track read dependencies
      (Chapar's Algorithm 2, COPS) can be written.
    - The guarantees are stated over abstract executions in the style of the literature
      (Terry et al. 1994; Burckhardt 2014; Bouajjani et al. 2017): each replica [r] has ONE
      serialization [ser r] of all writes, each get has a set of visible writes [vis j], and
      a get answers the last visible write to its key in its replica's serialization. The
      properties constrain [ser] and [vis]; see [specs/kv/README.md].
    - Liveness that no store can dodge: from any reachable state, every maximal sequence of
      deliveries of ready messages delivers every in-flight message. *)
From Coq Require Import Arith.PeanoNat Bool Lia.
From Coq Require Export Lists.List. (* re-exported with its notations, for witnesses *)
Export ListNotations.

(** * What an implementation provides

    Polymorphic in the value type [V], so parametricity, not trust, makes reads exact.
    [init n r] is replica [r]'s initial state in a system of [n] replicas. [put k v st] returns
    the new state and ONE update message, which the model sends to every other replica. *)
Module Type KV_SIG.
  Parameter t : Type -> Type.
  Parameter msg : Type -> Type.
  Parameter init : forall (V : Type), nat -> nat -> t V.
  Parameter put : forall (V : Type), nat -> V -> t V -> t V * msg V.
  Parameter get : forall (V : Type), nat -> t V -> option V * t V.
  Parameter deliverable : forall (V : Type), t V -> msg V -> bool.
  Parameter deliver : forall (V : Type), t V -> msg V -> t V.
End KV_SIG.

(** * Histories *)
Inductive event : Type :=
| EvPut (r k v : nat)                  (** replica [r] served [put k v] (client value [v]) *)
| EvGet (r k : nat) (res : option nat) (** replica [r] served [get k]; [Some p]: it returned
                                           the value of the put at position [p] *)
| EvDeliver (r p : nat).               (** replica [r] applied the update of the put at [p] *)

Definition ev_replica (e : event) : nat :=
  match e with EvPut r _ _ | EvGet r _ _ | EvDeliver r _ => r end.

Definition history := list event.

(** Happens-before (potential causality): program order at a replica, a put before every
    delivery of its update, transitively. *)
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

(** The replicas other than [r], of a system of [n]. *)
Definition others (n r : nat) : list nat := filter (fun d => negb (Nat.eqb d r)) (seq 0 n).

Fixpoint remove_nth {A : Type} (i : nat) (l : list A) : list A :=
  match l, i with
  | [], _ => []
  | _ :: l', 0 => l'
  | x :: l', S i' => x :: remove_nth i' l'
  end.

(** The model runs an implementation at [V := nat]: the value a put hands the store is the
    put's own position in the history (its tag). *)
Section Model.
  Context {t msg : Type}.
  Variable init : nat -> nat -> t.
  Variable put : nat -> nat -> t -> t * msg.
  Variable get : nat -> t -> option nat * t.
  Variable deliverable : t -> msg -> bool.
  Variable deliver : t -> msg -> t.
  Variable n : nat.   (** the number of replicas, [0 .. n-1] *)

  Definition init_state : gstate t msg := mk_gstate (init n) [] [].

  Definition do_put (r k v : nat) (s : gstate t msg) : gstate t msg :=
    let stm := put k (length (hist s)) (locals s r) in
    mk_gstate (upd (locals s) r (fst stm))
              (net s ++ map (fun d => (d, length (hist s), snd stm)) (others n r))
              (hist s ++ [EvPut r k v]).

  Definition do_get (r k : nat) (s : gstate t msg) : gstate t msg :=
    let rs := get k (locals s r) in
    mk_gstate (upd (locals s) r (snd rs)) (net s) (hist s ++ [EvGet r k (fst rs)]).

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
  | step_put r k v s : r < n -> step s (do_put r k v s)
  | step_get r k s : r < n -> step s (do_get r k s)
  | step_deliver i s : ready s i = true -> step s (do_deliver i s).

  Inductive reachable : gstate t msg -> Prop :=
  | reachable_init : reachable init_state
  | reachable_step s s' : reachable s -> step s s' -> reachable s'.

  (** Deliveries only, zero or more. *)
  Inductive deliveries : gstate t msg -> gstate t msg -> Prop :=
  | deliveries_refl s : deliveries s s
  | deliveries_step s i s' : ready s i = true -> deliveries (do_deliver i s) s' -> deliveries s s'.

  (** Nothing in flight is ready. *)
  Definition stuck (s : gstate t msg) : Prop := forall i, ready s i = false.

  (** * An executable schedule runner, for witnesses, negative proofs and benchmarks *)
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

(** Schedules: a client operation at a replica (ignored if the replica does not exist), the
    delivery of the [i]-th in-flight message (if it is ready; otherwise nothing happens), or
    deliver until nothing is ready. *)
Inductive cmd : Type :=
| Put (r k v : nat)
| Get (r k : nat)
| Deliver (i : nat)
| DeliverAll.

(** The client value of the put at position [p]: how a tag is shown to a client. *)
Definition value_of (h : history) (p : nat) : option nat :=
  match nth_error h p with
  | Some (EvPut _ _ v) => Some v
  | _ => None
  end.

Definition shown (h : history) (res : option nat) : option nat :=
  match res with Some p => value_of h p | None => None end.

Section Run.
  Context {t msg : Type}.
  Variable init : nat -> nat -> t.
  Variable put : nat -> nat -> t -> t * msg.
  Variable get : nat -> t -> option nat * t.
  Variable deliverable : t -> msg -> bool.
  Variable deliver : t -> msg -> t.
  Variable n : nat.

  (** Runs a schedule; the second component is the answers of its [Get]s, in client values. *)
  Fixpoint exec (cs : list cmd) (s : gstate t msg) : gstate t msg * list (option nat) :=
    match cs with
    | [] => (s, [])
    | Put r k v :: cs' => exec cs' (if r <? n then do_put put n r k v s else s)
    | Get r k :: cs' =>
        if r <? n then
          let s1 := do_get get r k s in
          let '(s', out) := exec cs' s1 in (s', shown (hist s1) (fst (get k (locals s r))) :: out)
        else exec cs' s
    | Deliver i :: cs' =>
        exec cs' (if ready deliverable s i then do_deliver deliver i s else s)
    | DeliverAll :: cs' => exec cs' (deliver_all deliverable deliver s)
    end.

  (** The answers of the schedule's [Get]s, in order, as client values. *)
  Definition run_schedule (cs : list cmd) : list (option nat) :=
    snd (exec cs (init_state init n)).

  (** The history the schedule produces (tags: positions of puts). *)
  Definition run_history (cs : list cmd) : history :=
    hist (fst (exec cs (init_state init n))).

  Definition run_state (cs : list cmd) : gstate t msg :=
    fst (exec cs (init_state init n)).
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

(** * Abstract executions

    A history is explained by a serialization [ser r] of all its writes for each replica [r]
    and, for each get at position [j], a set [vis j] of visible writes: the get answers the
    last visible write to its key in its replica's serialization, or nothing if no write to
    the key is visible. Visible writes happen before the get (nothing out of thin air). *)

(** The event at [p] is a put to key [k]. *)
Definition is_put (h : history) (p k : nat) : Prop := exists o v, nth_error h p = Some (EvPut o k v).

(** [a] comes strictly before [b] in the list [l]. *)
Definition before (l : list nat) (a b : nat) : Prop :=
  exists i j, i < j /\ nth_error l i = Some a /\ nth_error l j = Some b.

(** [l] lists every put of [h], each once: a total order on the writes. *)
Definition serializes (h : history) (l : list nat) : Prop :=
  NoDup l /\ forall p, In p l <-> exists k, is_put h p k.

(** [res] is the last write to [k] in the order [l] among the writes in [vis]. *)
Definition last_write (h : history) (l : list nat) (vis : nat -> Prop) (k : nat) (res : option nat) : Prop :=
  (res = None /\ forall p, vis p -> ~ is_put h p k) \/
  (exists p, res = Some p /\ vis p /\ is_put h p k /\
     forall q, vis q -> is_put h q k -> q = p \/ before l q p).

Definition explains (h : history) (ser : nat -> list nat) (vis : nat -> nat -> Prop) : Prop :=
  (forall r, serializes h (ser r)) /\
  (forall j p, vis j p -> hb h p j) /\
  (forall j r k res, nth_error h j = Some (EvGet r k res) -> last_write h (ser r) (vis j) k res).

(** The get at [j] is quiescent: every update sent before [j] reached every other replica
    (of the [n]) before [j] — the network is empty. *)
Definition quiet (n : nat) (h : history) (j : nat) : Prop :=
  forall p o k v d, p < j -> nth_error h p = Some (EvPut o k v) -> d < n -> d <> o ->
    exists x, x < j /\ nth_error h x = Some (EvDeliver d p).

(** At quiescence, every write is visible. *)
Definition quiescent_complete (n : nat) (h : history) (vis : nat -> nat -> Prop) : Prop :=
  forall j r k res p k', nth_error h j = Some (EvGet r k res) -> quiet n h j -> p < j ->
    is_put h p k' -> vis j p.

(** What every spec asks: the history is explained, and quiescent gets see every write. *)
Definition base (n : nat) (h : history) (ser : nat -> list nat) (vis : nat -> nat -> Prop) : Prop :=
  explains h ser vis /\ quiescent_complete n h vis.

(** Every serialization extends causality between writes (Bayou's write order, Burckhardt's
    causal arbitration). *)
Definition arb_causal (h : history) (ser : nat -> list nat) : Prop :=
  forall r p q k1 k2, is_put h p k1 -> is_put h q k2 -> hb h p q -> before (ser r) p q.

(** Session order between writes: two puts of one replica's session, in order. *)
Definition so_put (h : history) (p q : nat) : Prop :=
  exists r k1 v1 k2 v2, p < q /\ nth_error h p = Some (EvPut r k1 v1) /\ nth_error h q = Some (EvPut r k2 v2).

(** Every serialization extends each session's order of writes. *)
Definition arb_session (h : history) (ser : nat -> list nat) : Prop :=
  forall r p q, so_put h p q -> before (ser r) p q.

(** The causal past of [j], as visibility. *)
Definition hb_vis (h : history) (j p : nat) : Prop := hb h p j /\ exists k, is_put h p k.

(** * The properties *)

(** Read your writes (Terry et al. 1994): a session's earlier writes are visible to its reads. *)
Definition ryw (n : nat) (h : history) : Prop :=
  exists ser vis, base n h ser vis /\ arb_causal h ser /\
    forall w j r k v k' res, w < j -> nth_error h w = Some (EvPut r k v) ->
      nth_error h j = Some (EvGet r k' res) -> vis j w.

(** Monotonic reads: the writes relevant to a session's read (those to its key that it saw)
    stay visible to the session's later reads. *)
Definition monotonic_reads (n : nat) (h : history) : Prop :=
  exists ser vis, base n h ser vis /\ arb_causal h ser /\
    forall j1 j2 r k1 res1 k2 res2 p, j1 < j2 ->
      nth_error h j1 = Some (EvGet r k1 res1) -> nth_error h j2 = Some (EvGet r k2 res2) ->
      vis j1 p -> is_put h p k1 -> vis j2 p.

(** Monotonic writes: wherever a session's write [w2] is visible, its earlier write [w1] is
    visible too and ordered before [w2]. *)
Definition monotonic_writes (n : nat) (h : history) : Prop :=
  exists ser vis, base n h ser vis /\ arb_causal h ser /\
    forall w1 w2 j r' k res, so_put h w1 w2 -> nth_error h j = Some (EvGet r' k res) ->
      vis j w2 -> vis j w1 /\ before (ser r') w1 w2.

(** Writes follow reads: wherever a session's write [w2] is visible, the writes relevant to an
    earlier read [j1] of that session are visible too and ordered before [w2]. *)
Definition writes_follow_reads (n : nat) (h : history) : Prop :=
  exists ser vis, base n h ser vis /\ arb_causal h ser /\
    forall j1 w2 j r k1 res1 k2 v2 r' k res w1, j1 < w2 ->
      nth_error h j1 = Some (EvGet r k1 res1) -> nth_error h w2 = Some (EvPut r k2 v2) ->
      nth_error h j = Some (EvGet r' k res) -> vis j w2 -> vis j1 w1 -> is_put h w1 k1 ->
      vis j w1 /\ before (ser r') w1 w2.

(** Causal consistency, in the shape of Chapar's abstract causal store: each replica orders all
    writes in one order extending causality, and a get returns the last write to its key, in that
    order, among EXACTLY the writes in its causal past. Causality is [hb], potential causality
    (a delivered update counts even if unread): stronger than a reads-from causality. *)
Definition causal (n : nat) (h : history) : Prop :=
  exists ser, base n h ser (hb_vis h) /\ arb_causal h ser.

(** Convergence: ONE arbitration order, a total order on writes extending causality, by which
    every replica answers at quiescence. *)
Definition convergence (n : nat) (h : history) : Prop :=
  exists ar vis, base n h (fun _ => ar) vis /\ arb_causal h (fun _ => ar).

(** PRAM (Lipton and Sandberg; Ahamad et al.): each replica serializes all writes in one order
    respecting every session's order; what a replica sees only grows, and includes its own
    earlier writes. *)
Definition pram (n : nat) (h : history) : Prop :=
  exists ser vis, base n h ser vis /\ arb_session h ser /\
    (forall j1 j2 r k1 res1 k2 res2 p, j1 < j2 ->
      nth_error h j1 = Some (EvGet r k1 res1) -> nth_error h j2 = Some (EvGet r k2 res2) ->
      vis j1 p -> vis j2 p) /\
    (forall w j r k v k' res, w < j -> nth_error h w = Some (EvPut r k v) ->
      nth_error h j = Some (EvGet r k' res) -> vis j w).

(** * A decision procedure for [quiet], so counter-schedules can be checked by computation *)
Definition delivered_before (h : history) (j d p : nat) : bool :=
  existsb (fun x => match nth_error h x with
                    | Some (EvDeliver d' p') => Nat.eqb d' d && Nat.eqb p' p
                    | _ => false
                    end) (seq 0 j).

Definition quietb (n : nat) (h : history) (j : nat) : bool :=
  forallb (fun p => match nth_error h p with
                    | Some (EvPut o _ _) => forallb (fun d => Nat.eqb d o || delivered_before h j d p) (seq 0 n)
                    | _ => true
                    end) (seq 0 j).

Lemma quietb_sound n h j : quietb n h j = true -> quiet n h j.
Proof.
  unfold quietb, quiet. intros Q p o k v d Hp Hn Hd Hdo.
  rewrite forallb_forall in Q. specialize (Q p (proj2 (in_seq _ _ _) (conj (Nat.le_0_l _) Hp))).
  rewrite Hn, forallb_forall in Q. specialize (Q d (proj2 (in_seq _ _ _) (conj (Nat.le_0_l _) Hd))).
  apply Bool.orb_true_iff in Q. destruct Q as [Q|Q].
  - apply Nat.eqb_eq in Q; contradiction.
  - unfold delivered_before in Q. apply existsb_exists in Q. destruct Q as [x [Hx Hm]].
    apply in_seq in Hx. exists x. split; [lia|].
    destruct (nth_error h x) as [[a b c|a b c|d' p']|]; try discriminate.
    apply Bool.andb_true_iff in Hm; destruct Hm as [H1 H2].
    apply Nat.eqb_eq in H1; apply Nat.eqb_eq in H2; subst; reflexivity.
Qed.

(** * Facts every spec's users may rely on (proved here, once) *)

Lemma before_asym (l : list nat) a b : NoDup l -> before l a b -> before l b a -> False.
Proof.
  intros Hnd [i [j [Hij [Hi Hj]]]] [i' [j' [Hij' [Hi' Hj']]]].
  assert (i = j') by (eapply NoDup_nth_error; eauto;
                      [apply nth_error_Some; congruence | congruence]).
  assert (j = i') by (eapply NoDup_nth_error; eauto;
                      [apply nth_error_Some; congruence | congruence]).
  lia.
Qed.

Lemma before_irrefl (l : list nat) a : NoDup l -> before l a a -> False.
Proof. intros Hnd Hb. exact (before_asym l a a Hnd Hb Hb). Qed.

(** Every spec's property yields an explanation with quiescent completeness. *)
Lemma ryw_base n h : ryw n h -> exists ser vis, base n h ser vis.
Proof. intros [ser [vis [B _]]]; eauto. Qed.
Lemma monotonic_reads_base n h : monotonic_reads n h -> exists ser vis, base n h ser vis.
Proof. intros [ser [vis [B _]]]; eauto. Qed.
Lemma monotonic_writes_base n h : monotonic_writes n h -> exists ser vis, base n h ser vis.
Proof. intros [ser [vis [B _]]]; eauto. Qed.
Lemma writes_follow_reads_base n h : writes_follow_reads n h -> exists ser vis, base n h ser vis.
Proof. intros [ser [vis [B _]]]; eauto. Qed.
Lemma causal_base n h : causal n h -> exists ser vis, base n h ser vis.
Proof. intros [ser [B _]]; eauto. Qed.
Lemma convergence_base n h : convergence n h -> exists ser vis, base n h ser vis.
Proof. intros [ar [vis [B _]]]; eauto. Qed.
Lemma pram_base n h : pram n h -> exists ser vis, base n h ser vis.
Proof. intros [ser [vis [B _]]]; eauto. Qed.

(** The hierarchy of the literature holds: causal consistency implies read your writes,
    monotonic reads, monotonic writes, writes follow reads and PRAM (take as visible writes
    the causal past). Convergence is not implied: each replica may arbitrate differently. *)
Lemma hb_local_order h i j ei ej :
  i < j -> nth_error h i = Some ei -> nth_error h j = Some ej -> ev_replica ei = ev_replica ej -> hb h i j.
Proof. intros; eapply hb_replica; eauto. Qed.

Lemma causal_ryw n h : causal n h -> ryw n h.
Proof.
  intros [ser [B A]]. exists ser, (hb_vis h). split; [exact B|]. split; [exact A|].
  intros w j r k v k' res L Ew Ej. split; [|exists k; exists r, v; exact Ew].
  eapply hb_local_order; eauto; reflexivity.
Qed.

Lemma causal_monotonic_reads n h : causal n h -> monotonic_reads n h.
Proof.
  intros [ser [B A]]. exists ser, (hb_vis h). split; [exact B|]. split; [exact A|].
  intros j1 j2 r k1 res1 k2 res2 p L E1 E2 [Hp Kp] _. split; [|exact Kp].
  eapply hb_trans; [exact Hp|]. eapply hb_local_order; eauto; reflexivity.
Qed.

Lemma so_put_hb h p q : so_put h p q -> hb h p q.
Proof. intros [r [k1 [v1 [k2 [v2 [L [E1 E2]]]]]]]. eapply hb_local_order; eauto; reflexivity. Qed.

Lemma so_put_puts h p q : so_put h p q -> (exists k, is_put h p k) /\ (exists k, is_put h q k).
Proof. intros [r [k1 [v1 [k2 [v2 [L [E1 E2]]]]]]]. split; [exists k1, r, v1 | exists k2, r, v2]; auto. Qed.

Lemma causal_monotonic_writes n h : causal n h -> monotonic_writes n h.
Proof.
  intros [ser [B A]]. exists ser, (hb_vis h). split; [exact B|]. split; [exact A|].
  intros w1 w2 j r' k res S Ej [Hw2 _].
  destruct (so_put_puts _ _ _ S) as [[k1 P1] [k2 P2]].
  split; [split; [eapply hb_trans; [apply so_put_hb; exact S | exact Hw2] | exists k1; exact P1]|].
  exact (A r' w1 w2 k1 k2 P1 P2 (so_put_hb _ _ _ S)).
Qed.

Lemma causal_writes_follow_reads n h : causal n h -> writes_follow_reads n h.
Proof.
  intros [ser [B A]]. exists ser, (hb_vis h). split; [exact B|]. split; [exact A|].
  intros j1 w2 j r k1 res1 k2 v2 r' k res w1 L E1 E2 Ej [Hw2 _] [Hw1 _] P1.
  assert (H12 : hb h w1 w2).
  { eapply hb_trans; [exact Hw1|]. eapply hb_local_order; eauto; reflexivity. }
  split; [split; [eapply hb_trans; eauto | exists k1; exact P1]|].
  exact (A r' w1 w2 k1 k2 P1 (ex_intro _ r (ex_intro _ v2 E2)) H12).
Qed.

Lemma causal_pram n h : causal n h -> pram n h.
Proof.
  intros [ser [B A]]. exists ser, (hb_vis h). split; [exact B|]. split; [|split].
  - intros r p q S. destruct (so_put_puts _ _ _ S) as [[k1 P1] [k2 P2]].
    exact (A r p q k1 k2 P1 P2 (so_put_hb _ _ _ S)).
  - intros j1 j2 r k1 res1 k2 res2 p L E1 E2 [Hp Kp]. split; [|exact Kp].
    eapply hb_trans; [exact Hp|]. eapply hb_local_order; eauto; reflexivity.
  - intros w j r k v k' res L Ew Ej. split; [|exists k; exists r, v; exact Ew].
    eapply hb_local_order; eauto; reflexivity.
Qed.

(** Convergence with the causal past as visible writes is causal consistency with one order. *)
Lemma convergence_of_causal_one_order n h ar :
  base n h (fun _ => ar) (hb_vis h) -> arb_causal h (fun _ => ar) -> convergence n h /\ causal n h.
Proof. intros B A. split; [exists ar, (hb_vis h) | exists (fun _ => ar)]; auto. Qed.

Section Facts.
  Context {t msg : Type}.
  Variable init : nat -> nat -> t.
  Variable put : nat -> nat -> t -> t * msg.
  Variable get : nat -> t -> option nat * t.
  Variable deliverable : t -> msg -> bool.
  Variable deliver : t -> msg -> t.
  Variable n : nat.

  Lemma deliver_all_fuel_reachable f s :
    reachable init put get deliverable deliver n s ->
    reachable init put get deliverable deliver n (deliver_all_fuel deliverable deliver f s).
  Proof.
    revert s; induction f as [|f IH]; intros s R; simpl; auto.
    destruct (find_ready deliverable s) as [i|] eqn:E; auto.
    apply IH. eapply reachable_step; [exact R|]. apply step_deliver.
    unfold find_ready in E. apply find_some in E. tauto.
  Qed.

  (** Every state a schedule reaches is reachable: a counter-schedule is a real execution. *)
  Lemma exec_reachable cs s :
    reachable init put get deliverable deliver n s ->
    reachable init put get deliverable deliver n (fst (exec put get deliverable deliver n cs s)).
  Proof.
    revert s; induction cs as [|c cs IH]; intros s R; simpl; auto.
    destruct c as [r k v|r k|i|].
    - apply IH. destruct (r <? n) eqn:E; auto.
      eapply reachable_step; [exact R|]. apply step_put. apply Nat.ltb_lt; exact E.
    - destruct (r <? n) eqn:E.
      + destruct (exec put get deliverable deliver n cs (do_get get r k s)) as [s' out] eqn:X.
        simpl. change s' with (fst (s', out)). rewrite <- X. apply IH.
        eapply reachable_step; [exact R|]. apply step_get. apply Nat.ltb_lt; exact E.
      + apply IH; auto.
    - apply IH. destruct (ready deliverable s i) eqn:E; auto.
      eapply reachable_step; [exact R|]. apply step_deliver; exact E.
    - apply IH. apply deliver_all_fuel_reachable; auto.
  Qed.

  Lemma run_state_reachable cs :
    reachable init put get deliverable deliver n (run_state init put get deliverable deliver n cs).
  Proof. apply exec_reachable. apply reachable_init. Qed.

  Lemma deliveries_reachable s s' :
    reachable init put get deliverable deliver n s -> deliveries deliverable deliver s s' ->
    reachable init put get deliverable deliver n s'.
  Proof.
    intros R D; induction D; auto.
    apply IHD. eapply reachable_step; [exact R|]. apply step_deliver; auto.
  Qed.

  (** Liveness cannot be dodged: if every reachable state with messages in flight has a ready
      one, then from every reachable state every maximal sequence of deliveries (each removes
      one message, so every such sequence is finite) delivers every in-flight message. *)
  Lemma progress_delivers_everything :
    (forall s, reachable init put get deliverable deliver n s -> net s <> [] ->
       exists i, ready deliverable s i = true) ->
    forall s s', reachable init put get deliverable deliver n s ->
      deliveries deliverable deliver s s' -> stuck deliverable s' -> net s' = [].
  Proof.
    intros P s s' R D S. destruct (net s') eqn:E; auto.
    destruct (P s') as [i Hi]; [eapply deliveries_reachable; eauto | rewrite E; discriminate |].
    rewrite S in Hi; discriminate.
  Qed.

  (** And conversely: the liveness every spec states implies that every reachable state with
      messages in flight has a ready one. *)
  Lemma delivers_everything_progress :
    (forall s s', reachable init put get deliverable deliver n s ->
       deliveries deliverable deliver s s' -> stuck deliverable s' -> net s' = []) ->
    forall s, reachable init put get deliverable deliver n s -> net s <> [] ->
      exists i, ready deliverable s i = true.
  Proof.
    intros D s R N. destruct (find_ready deliverable s) as [i|] eqn:E.
    - exists i. unfold find_ready in E. apply find_some in E. tauto.
    - exfalso. apply N. apply (D s s R (deliveries_refl _ _ s)). intros i.
      destruct (ready deliverable s i) eqn:Ri; auto.
      destruct (Nat.lt_ge_cases i (length (net s))) as [L|L].
      + unfold find_ready in E. rewrite (find_none _ _ E i) in Ri; [discriminate|].
        apply in_seq. lia.
      + unfold ready in Ri. rewrite (proj2 (nth_error_None (net s) i) L) in Ri. discriminate.
  Qed.
End Facts.

(** * The correctness module types: the seven specs' theorems

    Every theorem quantifies over the number of replicas [n >= 1]. Every spec states, besides
    its property, [no_stuck_delivery] (liveness: from any reachable state, every maximal
    sequence of deliveries of ready messages leaves nothing in flight). Its safety property
    includes [base]: gets answer visible writes by one serialization per replica, and
    quiescent gets see every write. *)
Module Type RYW_CORRECT (Import M : KV_SIG).
  Axiom ryw_holds : forall n s, 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s -> ryw n (hist s).
  Axiom no_stuck_delivery : forall n s s', 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s ->
    deliveries (deliverable nat) (deliver nat) s s' -> stuck (deliverable nat) s' -> net s' = [].
End RYW_CORRECT.

Module Type MR_CORRECT (Import M : KV_SIG).
  Axiom monotonic_reads_holds : forall n s, 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s -> monotonic_reads n (hist s).
  Axiom no_stuck_delivery : forall n s s', 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s ->
    deliveries (deliverable nat) (deliver nat) s s' -> stuck (deliverable nat) s' -> net s' = [].
End MR_CORRECT.

Module Type MW_CORRECT (Import M : KV_SIG).
  Axiom monotonic_writes_holds : forall n s, 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s -> monotonic_writes n (hist s).
  Axiom no_stuck_delivery : forall n s s', 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s ->
    deliveries (deliverable nat) (deliver nat) s s' -> stuck (deliverable nat) s' -> net s' = [].
End MW_CORRECT.

Module Type WFR_CORRECT (Import M : KV_SIG).
  Axiom writes_follow_reads_holds : forall n s, 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s -> writes_follow_reads n (hist s).
  Axiom no_stuck_delivery : forall n s s', 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s ->
    deliveries (deliverable nat) (deliver nat) s s' -> stuck (deliverable nat) s' -> net s' = [].
End WFR_CORRECT.

Module Type CAUSAL_CORRECT (Import M : KV_SIG).
  Axiom causal_holds : forall n s, 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s -> causal n (hist s).
  Axiom no_stuck_delivery : forall n s s', 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s ->
    deliveries (deliverable nat) (deliver nat) s s' -> stuck (deliverable nat) s' -> net s' = [].
End CAUSAL_CORRECT.

Module Type CONVERGENCE_CORRECT (Import M : KV_SIG).
  Axiom convergence_holds : forall n s, 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s -> convergence n (hist s).
  Axiom no_stuck_delivery : forall n s s', 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s ->
    deliveries (deliverable nat) (deliver nat) s s' -> stuck (deliverable nat) s' -> net s' = [].
End CONVERGENCE_CORRECT.

Module Type PRAM_CORRECT (Import M : KV_SIG).
  Axiom pram_holds : forall n s, 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s -> pram n (hist s).
  Axiom no_stuck_delivery : forall n s s', 1 <= n ->
    reachable (init nat) (put nat) (get nat) (deliverable nat) (deliver nat) n s ->
    deliveries (deliverable nat) (deliver nat) s s' -> stuck (deliverable nat) s' -> net s' = [].
End PRAM_CORRECT.
