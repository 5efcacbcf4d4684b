(** Building blocks of the wrong stores (and of a correct one, [LWW]): a state-based
    last-writer-wins replica for [n] replicas, polymorphic in the value type. Each replica keeps,
    for every origin, the writes of that origin it knows, oldest first; a put appends
    [(key, value, timestamp)] with timestamp one more than the number of writes known and
    broadcasts a snapshot; delivery keeps, origin by origin, the longer list. *)
From Spec Require Import model.
From Coq Require Import Arith.PeanoNat Bool Lia.

Definition logs (V : Type) : Type := nat -> list (nat * V * nat).

Definition size {V : Type} (n : nat) (X : logs V) : nat :=
  fold_left (fun acc q => acc + length (X q)) (seq 0 n) 0.

Definition cands {V : Type} (n : nat) (X : logs V) : list (nat * (nat * V * nat)) :=
  flat_map (fun q => map (pair q) (X q)) (seq 0 n).

(** [a] strictly newer than [b]: larger timestamp, ties broken by origin ([flip]: reversed). *)
Definition newer {V : Type} (flip : bool) (a b : nat * (nat * V * nat)) : bool :=
  let '(oa, (_, _, ta)) := a in
  let '(ob, (_, _, tb)) := b in
  (tb <? ta) || ((tb =? ta) && (if flip then oa <? ob else ob <? oa)).

Definition best {V : Type} (nw : nat * (nat * V * nat) -> nat * (nat * V * nat) -> bool) (k : nat)
    (cs : list (nat * (nat * V * nat))) : option V :=
  match fold_left (fun acc c =>
          let '(_, (kc, _, _)) := c in
          if kc =? k then match acc with
                          | None => Some c
                          | Some b => if nw c b then Some c else acc
                          end
          else acc) cs None with
  | Some (_, (_, v, _)) => Some v
  | None => None
  end.

Definition append_own {V : Type} (n r k : nat) (v : V) (X : logs V) : logs V :=
  fun q => if q =? r then X q ++ [(k, v, S (size n X))] else X q.

Definition merge {V : Type} (X m : logs V) : logs V :=
  fun q => if length (m q) <=? length (X q) then X q else m q.

(** The store every wrong store below departs from: correct last-writer-wins (a causal store). *)
Module LWW <: KV_SIG.
  Definition t (V : Type) : Type := (nat * nat * logs V)%type.   (** me, n, logs *)
  Definition msg (V : Type) : Type := logs V.
  Definition init (V : Type) (n r : nat) : t V := (r, n, fun _ => []).
  Definition put (V : Type) (k : nat) (v : V) (s : t V) : t V * msg V :=
    let '(r, n, X) := s in let X' := append_own n r k v X in ((r, n, X'), X').
  Definition get (V : Type) (k : nat) (s : t V) : option V * t V :=
    let '(r, n, X) := s in (best (newer false) k (cands n X), s).
  Definition deliverable (V : Type) (s : t V) (m : msg V) : bool := true.
  Definition deliver (V : Type) (s : t V) (m : msg V) : t V :=
    let '(r, n, X) := s in (r, n, merge X m).
End LWW.

(** hb steps on concrete histories, by computation of [nth_error]. *)
Ltac hb_local i j := eapply (hb_replica _ i j); [lia | reflexivity | reflexivity | reflexivity].
Ltac hb_dlv j := eapply (hb_deliver _ _ j); reflexivity.

(** Take apart [last_write] for a get answering [Some p]: [q] visible to key [k] is [p] or
    serialized before it. *)
Lemma last_write_some h l vis k p q :
  last_write h l vis k (Some p) -> vis q -> is_put h q k -> q = p \/ before l q p.
Proof.
  intros [[E _]|[p' [E [_ [_ H]]]]]; [discriminate|]. injection E; intros; subst. auto.
Qed.

Lemma last_write_none h l vis k q : last_write h l vis k None -> vis q -> is_put h q k -> False.
Proof. intros [[_ H]|[p' [E _]]]; [|discriminate]. intros Hv Hp. exact (H q Hv Hp). Qed.

Lemma last_write_some_vis h l vis k p : last_write h l vis k (Some p) -> vis p.
Proof. intros [[E _]|[p' [E [V _]]]]; [discriminate|]. injection E; intros; subst; auto. Qed.

Lemma is_put_at h p o k v : nth_error h p = Some (EvPut o k v) -> is_put h p k.
Proof. intros E; exists o, v; exact E. Qed.

(** Two quiescent reads of one key at one replica that answer two different writes cannot be
    explained by one serialization of that replica: the flip-flop's undoing. *)
Lemma quiet_reads_disagree n h ser vis r1 r2 k j1 j2 p1 p2 :
  base n h ser vis -> (r1 = r2 \/ ser r1 = ser r2) ->
  nth_error h j1 = Some (EvGet r1 k (Some p1)) -> nth_error h j2 = Some (EvGet r2 k (Some p2)) ->
  p1 <> p2 -> quiet n h j1 -> quiet n h j2 -> p2 < j1 -> p1 < j2 ->
  is_put h p1 k -> is_put h p2 k -> False.
Proof.
  intros [[Hser [_ Hans]] Hq] Hr E1 E2 Hne Q1 Q2 L1 L2 P1 P2.
  pose proof (Hq j1 r1 k _ p2 k E1 Q1 L1 P2) as V1.
  pose proof (Hq j2 r2 k _ p1 k E2 Q2 L2 P1) as V2.
  destruct (last_write_some _ _ _ _ _ _ (Hans _ _ _ _ E1) V1 P2) as [|B1]; [congruence|].
  destruct (last_write_some _ _ _ _ _ _ (Hans _ _ _ _ E2) V2 P1) as [|B2]; [congruence|].
  destruct Hr as [Hr|Hs].
  - subst r2. exact (before_asym _ _ _ (proj1 (Hser r1)) B1 B2).
  - rewrite Hs in B1. exact (before_asym _ _ _ (proj1 (Hser r2)) B1 B2).
Qed.

(** A spec's safety theorem, [forall n s, 1 <= n -> reachable n s -> P n (hist s)], is refuted
    by one run of a schedule whose history breaks [P]: the run is a real execution. *)
Section Reject.
  Context {t msg : Type}.
  Variable init : nat -> nat -> t.
  Variable put : nat -> nat -> t -> t * msg.
  Variable get : nat -> t -> option nat * t.
  Variable deliverable : t -> msg -> bool.
  Variable deliver : t -> msg -> t.

  Lemma reject_by_run (P : nat -> history -> Prop) n cs :
    1 <= n -> ~ P n (run_history init put get deliverable deliver n cs) ->
    ~ (forall n s, 1 <= n -> reachable init put get deliverable deliver n s -> P n (hist s)).
  Proof.
    intros Hn NP H. apply NP. exact (H n _ Hn (run_state_reachable init put get deliverable deliver n cs)).
  Qed.
End Reject.

Definition lookup {V : Type} (k : nat) (D : list (nat * V)) : option V :=
  match find (fun kv => fst kv =? k) D with Some (_, v) => Some v | None => None end.

(** Case analysis on [E : nth_error h j = Some e] for a concrete history [h] (up to 14 events):
    one goal per position whose event matches, with the equations substituted. *)
Ltac pos_cases j E :=
  do 14 (try (destruct j as [|j]; simpl in E)); try discriminate E;
  try (injection E; clear E; intros; subst).

(** Happens-before on a concrete history: a direct edge, or two edges through a position. *)
Ltac hb_direct := first [ eapply hb_replica; [lia | reflexivity | reflexivity | reflexivity]
                        | eapply hb_deliver; reflexivity ].
Ltac hb_via m := eapply (hb_trans _ _ m); hb_direct.

Lemma hb_lt h i j : (forall x r p, nth_error h x = Some (EvDeliver r p) -> p < x) -> hb h i j -> i < j.
Proof. intros W H; induction H; eauto; lia. Qed.
