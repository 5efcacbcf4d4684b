From Spec Require Import model spec.
From Coq Require Import Arith.PeanoNat Lia Lists.List Bool Setoid.
Import ListNotations.
Module CausalLWW.
  Definition entry : Type := (nat * nat * nat)%type.   (** key, value, timestamp *)
  Definition ekey (e : entry) : nat := fst (fst e).
  Definition evalue (e : entry) : nat := snd (fst e).
  Definition ets (e : entry) : nat := snd e.

  Definition t : Type := nat -> list entry.   (** origin -> its writes known here, oldest first *)
  Definition msg : Type := nat -> list entry. (** a snapshot of the sender's state *)

  Definition init (r : nat) : t := fun _ => [].
  Definition size (X : t) : nat := length (X 0) + length (X 1) + length (X 2).

  Definition put (r k v : nat) (X : t) : t * msg :=
    let X' := fun q => if Nat.eqb q r then X q ++ [(k, v, S (size X))] else X q in (X', X').

  (** [a] is strictly newer than [b]: a larger timestamp, ties broken by origin. *)
  Definition newer (a b : nat * entry) : bool :=
    (ets (snd b) <? ets (snd a)) || ((ets (snd b) =? ets (snd a)) && (fst b <? fst a)).

  Definition pick (k : nat) (acc : option (nat * entry)) (c : nat * entry) : option (nat * entry) :=
    if Nat.eqb (ekey (snd c)) k then
      match acc with
      | None => Some c
      | Some b => if newer c b then Some c else acc
      end
    else acc.

  Definition cands (X : t) : list (nat * entry) :=
    map (pair 0) (X 0) ++ map (pair 1) (X 1) ++ map (pair 2) (X 2).

  Definition best (k : nat) (X : t) : option (nat * entry) := fold_left (pick k) (cands X) None.

  Definition get (k : nat) (X : t) : option nat :=
    match best k X with
    | Some (_, e) => Some (evalue e)
    | None => None
    end.

  Definition deliverable (X : t) (m : msg) : bool := true.

  Definition deliver (X : t) (m : msg) : t :=
    fun q => if length (m q) <=? length (X q) then X q else m q.
End CausalLWW.
Module CausalLWWFacts.
Import CausalLWW.

(** * Lists *)
Lemma nth_error_lt {A} (l : list A) i y : nth_error l i = Some y -> i < length l.
Proof. intros H. apply nth_error_Some. congruence. Qed.

Lemma nth_error_app_old {A} (l : list A) x i : i < length l -> nth_error (l ++ x) i = nth_error l i.
Proof. intros; apply nth_error_app1; auto. Qed.

Lemma nth_error_app_new {A} (l : list A) x : nth_error (l ++ [x]) (length l) = Some x.
Proof. rewrite nth_error_app2 by lia. rewrite Nat.sub_diag. reflexivity. Qed.

Lemma nth_error_app_inv {A} (l : list A) x i y :
  nth_error (l ++ [x]) i = Some y -> (i < length l /\ nth_error l i = Some y) \/ (i = length l /\ x = y).
Proof.
  intros H. destruct (Nat.lt_ge_cases i (length l)) as [Hi|Hi].
  - left. rewrite nth_error_app1 in H by exact Hi. auto.
  - right. rewrite nth_error_app2 in H by exact Hi.
    destruct (i - length l) eqn:E; simpl in H.
    + inversion H; subst. split; [lia|reflexivity].
    + destruct n; discriminate.
Qed.

Definition prefix {A} (l L : list A) : Prop := exists s, L = l ++ s.

Lemma prefix_refl {A} (l : list A) : prefix l l.
Proof. exists []. now rewrite app_nil_r. Qed.

Lemma prefix_app {A} (l L x : list A) : prefix l L -> prefix l (L ++ x).
Proof. intros [s ->]. exists (s ++ x). now rewrite app_assoc. Qed.

Lemma prefix_length {A} (l L : list A) : prefix l L -> length l <= length L.
Proof. intros [s ->]. rewrite app_length. lia. Qed.

Lemma prefix_nth {A} (l L : list A) n x : prefix l L -> nth_error l n = Some x -> nth_error L n = Some x.
Proof. intros [s ->] H. rewrite nth_error_app_old; eauto using nth_error_lt. Qed.

Lemma prefix_nth_lt {A} (l L : list A) n : prefix l L -> n < length l -> nth_error l n = nth_error L n.
Proof. intros [s ->] H. rewrite nth_error_app_old; auto. Qed.

Lemma prefix_full {A} (l L : list A) : prefix l L -> length L <= length l -> l = L.
Proof.
  intros [s ->] H. rewrite app_length in H. destruct s; [now rewrite app_nil_r|simpl in H; lia].
Qed.

Lemma In_remove_nth {A} (l : list A) i x : In x (remove_nth i l) -> In x l.
Proof.
  revert i; induction l as [|a l IH]; intros i H; destruct i; simpl in *; auto.
  destruct H; [left; auto|right; eapply IH; eauto].
Qed.

Lemma In_remove_nth_other {A} (l : list A) i x y :
  nth_error l i = Some y -> In x l -> x <> y -> In x (remove_nth i l).
Proof.
  revert i; induction l as [|a l IH]; intros i Hi Hx Hne; [destruct Hx|].
  destruct i; simpl in *.
  - inversion Hi; subst. destruct Hx; [congruence|auto].
  - destruct Hx; [left; auto|right; eapply IH; eauto].
Qed.

(** * Happens-before under appending an event *)
Definition wf (h : history) : Prop := forall j r p, nth_error h j = Some (EvDeliver r p) -> p < j.

Lemma hb_fwd h i j : wf h -> hb h i j -> i < j.
Proof. intros W H; induction H; eauto; lia. Qed.

Lemma hb_mono h x i j : hb h i j -> hb (h ++ x) i j.
Proof.
  induction 1.
  - eapply hb_replica with (ei := ei) (ej := ej); eauto;
      rewrite nth_error_app_old; eauto using nth_error_lt.
  - eapply hb_deliver. rewrite nth_error_app_old; eauto using nth_error_lt.
  - eapply hb_trans; eauto.
Qed.

Lemma hb_old h e i j : wf (h ++ [e]) -> hb (h ++ [e]) i j -> j < length h -> hb h i j.
Proof.
  intros W H. induction H; intros Hj.
  - eapply hb_replica with (ei := ei) (ej := ej); eauto;
      rewrite <- nth_error_app_old with (x := [e]); auto; lia.
  - eapply hb_deliver. rewrite <- nth_error_app_old with (x := [e]); eauto.
  - assert (j < l) by (eapply hb_fwd; eauto). eapply hb_trans; eauto. apply IHhb1. lia.
Qed.

(** [w] happens before the next event at replica [r]. *)
Definition kn (h : history) (r w : nat) : Prop :=
  exists j e, nth_error h j = Some e /\ ev_replica e = r /\ (w = j \/ hb h w j).

Lemma kn_lt h r w : wf h -> kn h r w -> w < length h.
Proof.
  intros W (j & e & Hj & _ & Hor). apply nth_error_lt in Hj.
  destruct Hor as [->|H]; auto. apply hb_fwd in H; auto. lia.
Qed.

Lemma hb_new h e i : wf (h ++ [e]) -> hb (h ++ [e]) i (length h) ->
  kn h (ev_replica e) i \/ (exists r p, e = EvDeliver r p /\ (i = p \/ hb h i p)).
Proof.
  intros W H. remember (length h) as n eqn:En. revert En.
  induction H; intros En; subst.
  - left. exists i, ei. rewrite nth_error_app_new in H1. inversion H1; subst.
    rewrite nth_error_app_old in H0 by lia. repeat split; auto.
  - right. rewrite nth_error_app_new in H. inversion H; subst. eauto.
  - assert (Hj : j < length h) by (eapply hb_fwd in H0; eauto).
    assert (H1' : hb h i j) by (eapply hb_old; eauto).
    destruct (IHhb2 eq_refl) as [(j' & e' & Hj' & Hr & Hor) | (r & p & -> & Hor)].
    + left. exists j', e'. repeat split; auto. right. destruct Hor as [->|Hh]; auto. eapply hb_trans; eauto.
    + right. exists r, p. split; auto. right. destruct Hor as [->|Hh]; auto. eapply hb_trans; eauto.
Qed.

Lemma hb_new_intro h e i : kn h (ev_replica e) i -> hb (h ++ [e]) i (length h).
Proof.
  intros (j & e' & Hj & Hr & Hor).
  assert (Hjl : j < length h) by (eapply nth_error_lt; eauto).
  assert (Hjn : hb (h ++ [e]) j (length h)).
  { eapply hb_replica with (ei := e') (ej := e); auto.
    - rewrite nth_error_app_old; auto.
    - apply nth_error_app_new. }
  destruct Hor as [->|Hh]; auto. eapply hb_trans; [apply hb_mono; exact Hh | exact Hjn].
Qed.

Lemma hb_new_deliver h r p i : (i = p \/ hb h i p) -> hb (h ++ [EvDeliver r p]) i (length h).
Proof.
  intros Hor.
  assert (Hd : hb (h ++ [EvDeliver r p]) p (length h)) by (eapply hb_deliver; apply nth_error_app_new).
  destruct Hor as [->|Hh]; auto. eapply hb_trans; [apply hb_mono; exact Hh | exact Hd].
Qed.

Lemma kn_mono h e r w : kn h r w -> kn (h ++ [e]) r w.
Proof.
  intros (j & e' & Hj & Hr & Hor). exists j, e'.
  rewrite nth_error_app_old by (eapply nth_error_lt; eauto). repeat split; auto.
  destruct Hor; auto using hb_mono.
Qed.

Lemma kn_app h e r w : wf (h ++ [e]) -> kn (h ++ [e]) r w ->
  kn h r w \/ (ev_replica e = r /\ (w = length h \/ hb (h ++ [e]) w (length h))).
Proof.
  intros W (j & e' & Hj & Hr & Hor). apply nth_error_app_inv in Hj as [[Hjl Hj] | [-> ->]].
  - left. exists j, e'. repeat split; auto. destruct Hor; auto. right. eapply hb_old; eauto.
  - right. auto.
Qed.

Lemma kn_self h e w : (w = length h \/ hb (h ++ [e]) w (length h)) -> kn (h ++ [e]) (ev_replica e) w.
Proof. intros H. exists (length h), e. rewrite nth_error_app_new. auto. Qed.

(** * Choosing the newest write *)
Lemma newer_true a b : newer a b = true <->
  ets (snd b) < ets (snd a) \/ (ets (snd b) = ets (snd a) /\ fst b < fst a).
Proof.
  unfold newer. rewrite orb_true_iff, andb_true_iff, Nat.ltb_lt, Nat.eqb_eq, Nat.ltb_lt. tauto.
Qed.

Lemma newer_false a b : newer a b = false <->
  ~ (ets (snd b) < ets (snd a) \/ (ets (snd b) = ets (snd a) /\ fst b < fst a)).
Proof. rewrite <- newer_true. destruct (newer a b); split; congruence || tauto. Qed.

Lemma fold_pick k l acc :
  (forall b, acc = Some b -> ekey (snd b) = k) ->
  match fold_left (pick k) l acc with
  | None => acc = None /\ forall c, In c l -> ekey (snd c) <> k
  | Some c => ekey (snd c) = k /\ (acc = Some c \/ In c l) /\
      (forall b, acc = Some b -> newer b c = false) /\
      (forall c', In c' l -> ekey (snd c') = k -> newer c' c = false)
  end.
Proof.
  revert acc; induction l as [|a l IH]; intros acc Hacc; simpl.
  - destruct acc as [c|].
    + repeat split; auto.
      * intros b Hb; inversion Hb; subst. apply newer_false. lia.
      * intros c' [].
    + split; auto.
  - assert (Hacc' : forall b, pick k acc a = Some b -> ekey (snd b) = k).
    { unfold pick. destruct (Nat.eqb_spec (ekey (snd a)) k) as [E|E].
      - destruct acc as [b0|]; [destruct (newer a b0)|]; intros b Hb; inversion Hb; subst; auto.
      - auto. }
    specialize (IH _ Hacc'). destruct (fold_left (pick k) l (pick k acc a)) as [c|] eqn:F.
    + destruct IH as (Hk & Hin & Hb & Hl). split; [exact Hk|].
      unfold pick in Hin, Hb. destruct (Nat.eqb_spec (ekey (snd a)) k) as [E|E].
      * destruct acc as [b0|].
        -- destruct (newer a b0) eqn:N.
           ++ repeat split.
              ** destruct Hin as [Hin|Hin]; [inversion Hin; subst; right; left; auto|right; right; auto].
              ** intros b Hb0; inversion Hb0; subst. specialize (Hb a eq_refl).
                 apply newer_true in N. apply newer_false in Hb. apply newer_false. lia.
              ** intros c' [<-|Hc'] Hk'; [apply Hb; auto|apply Hl; auto].
           ++ repeat split.
              ** destruct Hin as [Hin|Hin]; [left; auto|right; right; auto].
              ** intros b Hb0; inversion Hb0; subst. apply Hb; auto.
              ** intros c' [<-|Hc'] Hk'; [|apply Hl; auto].
                 specialize (Hb b0 eq_refl). apply newer_false in N. apply newer_false in Hb.
                 apply newer_false. lia.
        -- repeat split.
           ++ destruct Hin as [Hin|Hin]; [inversion Hin; subst; right; left; auto|right; right; auto].
           ++ intros b Hb0; discriminate.
           ++ intros c' [<-|Hc'] Hk'; [apply Hb; auto|apply Hl; auto].
      * repeat split.
        -- destruct Hin as [Hin|Hin]; [left; auto|right; right; auto].
        -- auto.
        -- intros c' [<-|Hc'] Hk'; [congruence|apply Hl; auto].
    + destruct IH as (Hn & Hl). unfold pick in Hn. destruct (Nat.eqb_spec (ekey (snd a)) k) as [E|E].
      * destruct acc as [b0|]; [destruct (newer a b0)|]; discriminate.
      * split; auto. intros c [<-|Hc]; auto.
Qed.

Lemma In_cands X q e : In (q, e) (cands X) <-> q < 3 /\ In e (X q).
Proof.
  unfold cands. rewrite !in_app_iff, !in_map_iff. split.
  - intros [(x & Hx & Hi)|[(x & Hx & Hi)|(x & Hx & Hi)]]; inversion Hx; subst; split; auto; lia.
  - intros [Hq Hi]. destruct q as [|[|[|q]]]; [left|right; left|right; right|lia]; eauto.
Qed.

Lemma best_spec k X :
  match best k X with
  | None => forall q e, q < 3 -> In e (X q) -> ekey e <> k
  | Some (q, e) => ekey e = k /\ q < 3 /\ In e (X q) /\
      forall q' e', q' < 3 -> In e' (X q') -> ekey e' = k ->
        ~ (ets e < ets e' \/ (ets e = ets e' /\ q < q'))
  end.
Proof.
  unfold best. pose proof (fold_pick k (cands X) None) as F.
  specialize (F ltac:(intros; discriminate)).
  destruct (fold_left (pick k) (cands X) None) as [[q e]|].
  - destruct F as (Hk & [Hin|Hin] & _ & Hl); [discriminate|].
    apply In_cands in Hin as [Hq Hin]. repeat split; auto.
    intros q' e' Hq' Hin' Hk'. specialize (Hl (q', e')). rewrite In_cands in Hl.
    specialize (Hl (conj Hq' Hin') Hk'). apply newer_false in Hl. simpl in Hl. exact Hl.
  - destruct F as (_ & Hl).
    intros q e Hq Hin. apply (Hl (q, e)). apply In_cands. auto.
Qed.


(** * Appending an event that is not a delivery *)
Lemma wf_app_nondeliver h e : wf h -> (forall r p, e <> EvDeliver r p) -> wf (h ++ [e]).
Proof.
  intros W N j r p Hj. apply nth_error_app_inv in Hj as [[_ Hj]|[_ ->]];
    [eapply W; eauto|exfalso; eapply N; eauto].
Qed.

Lemma kn_app_nondeliver h e r w : wf (h ++ [e]) -> (forall r p, e <> EvDeliver r p) -> w < length h ->
  (kn (h ++ [e]) r w <-> kn h r w).
Proof.
  intros W N Hw. split; [|apply kn_mono].
  intros K. destruct (kn_app _ _ _ _ W K) as [K'|[Hr [->|H]]]; auto; [lia|].
  destruct (hb_new _ _ _ W H) as [K'|(r' & p & -> & _)]; [subst; auto|exfalso; eapply N; eauto].
Qed.

Lemma hb_app_iff h e i j : wf (h ++ [e]) -> j < length h -> (hb (h ++ [e]) i j <-> hb h i j).
Proof. intros W Hj. split; [intros; eapply hb_old; eauto|apply hb_mono]. Qed.

Lemma causal_app h e : wf (h ++ [e]) -> causal h ->
  (forall r k res, e = EvGet r k res ->
     (res = None /\ forall w o v, nth_error (h ++ [e]) w = Some (EvPut o k v) -> ~ hb (h ++ [e]) w (length h)) \/
     (exists i, reads_from (h ++ [e]) (length h) i /\
        forall w o v, nth_error (h ++ [e]) w = Some (EvPut o k v) -> hb (h ++ [e]) w (length h) ->
          ~ hb (h ++ [e]) i w)) ->
  causal (h ++ [e]).
Proof.
  intros W C New j r k res Hj. apply nth_error_app_inv in Hj as [[Hjl Hj]|[-> ->]].
  - destruct (C j r k res Hj) as [[-> Hn]|(i & Hi & Hmax)].
    + left. split; auto. intros w o v Hw Hhb. assert (w < j) by (eapply hb_fwd; eauto).
      rewrite nth_error_app_old in Hw by lia. eapply Hn; eauto. eapply hb_old; eauto.
    + right. exists i. split.
      * destruct Hi as (r' & k' & v' & o' & H1 & H2 & H3). exists r', k', v', o'.
        repeat split; try (rewrite nth_error_app_old; eauto using nth_error_lt). apply hb_mono; auto.
      * intros w o v Hw Hhb Hiw. assert (w < j) by (eapply hb_fwd; eauto).
        rewrite nth_error_app_old in Hw by lia.
        eapply Hmax; eauto; eapply hb_old; eauto; lia.
  - eapply New; eauto.
Qed.

(** * Writes by origin *)
Definition is_put_by (q : nat) (e : event) : bool :=
  match e with EvPut o _ _ => Nat.eqb o q | _ => false end.

Definition puts_by (h : history) (q : nat) : list nat :=
  filter (fun i => match nth_error h i with Some e => is_put_by q e | None => false end)
         (seq 0 (length h)).

Lemma puts_by_app h e q : puts_by (h ++ [e]) q = puts_by h q ++ (if is_put_by q e then [length h] else []).
Proof.
  unfold puts_by. rewrite app_length. simpl length. rewrite seq_app, filter_app. f_equal.
  - apply filter_ext_in. intros i Hi. apply in_seq in Hi. rewrite nth_error_app_old by lia. reflexivity.
  - simpl. rewrite nth_error_app_new. destruct (is_put_by q e); reflexivity.
Qed.

Lemma In_puts_by h q i : In i (puts_by h q) <-> exists k v, nth_error h i = Some (EvPut q k v).
Proof.
  unfold puts_by. rewrite filter_In, in_seq. split.
  - intros [_ H]. destruct (nth_error h i) as [[o k v| |]|] eqn:E; simpl in H; try discriminate.
    apply Nat.eqb_eq in H; subst. eauto.
  - intros (k & v & H). rewrite H. simpl. rewrite Nat.eqb_refl. split; auto.
    apply nth_error_lt in H. lia.
Qed.

Lemma puts_by_nth h q n w : nth_error (puts_by h q) n = Some w -> exists k v, nth_error h w = Some (EvPut q k v).
Proof. intros H. apply In_puts_by. eapply nth_error_In; eauto. Qed.

Lemma puts_by_lt h q n w : nth_error (puts_by h q) n = Some w -> w < length h.
Proof. intros H. apply puts_by_nth in H as (? & ? & H). eapply nth_error_lt; eauto. Qed.

Lemma puts_by_rank h q w k v : nth_error h w = Some (EvPut q k v) -> exists n, nth_error (puts_by h q) n = Some w.
Proof. intros H. apply In_nth_error. apply In_puts_by. eauto. Qed.

Lemma puts_by_app_nonput h e q : (forall o k v, e <> EvPut o k v) -> puts_by (h ++ [e]) q = puts_by h q.
Proof.
  intros N. rewrite puts_by_app. destruct e as [o k v| |]; [exfalso; eapply N; eauto| |];
    simpl; apply app_nil_r.
Qed.

(** * The invariant *)
Definition snap_ok (s : gstate t msg) (d p : nat) (X : msg) : Prop :=
  d < 3 /\ (exists o k v, nth_error (hist s) p = Some (EvPut o k v)) /\
  (forall q, q < 3 -> prefix (X q) (locals s q q)) /\
  (forall q n w, q < 3 -> nth_error (puts_by (hist s) q) n = Some w ->
     ((w = p \/ hb (hist s) w p) <-> n < length (X q))) /\
  (forall q e, q < 3 -> In e (X q) -> ets e <= size X).

Record Inv (s : gstate t msg) : Prop := {
  inv_wf : wf (hist s);
  inv_causal : causal (hist s);
  inv_origin : forall w o k v, nth_error (hist s) w = Some (EvPut o k v) -> o < 3;
  inv_len : forall q, q < 3 -> length (locals s q q) = length (puts_by (hist s) q);
  inv_full : forall q n e p, q < 3 -> nth_error (locals s q q) n = Some e ->
      nth_error (puts_by (hist s) q) n = Some p -> nth_error (hist s) p = Some (EvPut q (ekey e) (evalue e));
  inv_prefix : forall r q, r < 3 -> q < 3 -> prefix (locals s r q) (locals s q q);
  inv_known : forall r q n w, r < 3 -> q < 3 -> nth_error (puts_by (hist s) q) n = Some w ->
      (kn (hist s) r w <-> n < length (locals s r q));
  inv_ts : forall qi qw ni nw i w ei ew, qi < 3 -> qw < 3 ->
      nth_error (puts_by (hist s) qi) ni = Some i -> nth_error (puts_by (hist s) qw) nw = Some w ->
      nth_error (locals s qi qi) ni = Some ei -> nth_error (locals s qw qw) nw = Some ew ->
      hb (hist s) i w -> ets ei < ets ew;
  inv_size : forall r q e, r < 3 -> q < 3 -> In e (locals s r q) -> ets e <= size (locals s r);
  inv_net : forall d p X, In (d, p, X) (net s) -> snap_ok s d p X;
  inv_pending : forall p o k v d, nth_error (hist s) p = Some (EvPut o k v) -> d < 3 -> d <> o ->
      kn (hist s) d p \/ exists X, In (d, p, X) (net s)
}.

Lemma known_entry s r w o k v : Inv s -> r < 3 -> nth_error (hist s) w = Some (EvPut o k v) ->
  kn (hist s) r w -> exists n e, o < 3 /\ nth_error (puts_by (hist s) o) n = Some w /\
    nth_error (locals s r o) n = Some e /\ nth_error (locals s o o) n = Some e /\ ekey e = k /\ evalue e = v.
Proof.
  intros I Hr Hw K. assert (Ho : o < 3) by (eapply inv_origin; eauto).
  destruct (puts_by_rank _ _ _ _ _ Hw) as [n Hn].
  pose proof (proj1 (inv_known s I r o n w Hr Ho Hn) K) as Hlt.
  destruct (nth_error (locals s r o) n) as [e|] eqn:He; [|apply nth_error_None in He; lia].
  assert (HL : nth_error (locals s o o) n = Some e) by (eapply prefix_nth; eauto; apply (inv_prefix s I); auto).
  pose proof (inv_full s I o n e w Ho HL Hn) as Hf. rewrite Hw in Hf. inversion Hf; subst.
  exists n, e. auto 10.
Qed.

Lemma entry_put s r q e : Inv s -> r < 3 -> q < 3 -> In e (locals s r q) ->
  exists n i, nth_error (puts_by (hist s) q) n = Some i /\ nth_error (locals s q q) n = Some e /\
    nth_error (hist s) i = Some (EvPut q (ekey e) (evalue e)) /\ kn (hist s) r i.
Proof.
  intros I Hr Hq Hin. apply In_nth_error in Hin as [n Hn].
  assert (HL : nth_error (locals s q q) n = Some e) by (eapply prefix_nth; eauto; apply (inv_prefix s I); auto).
  assert (Hlt : n < length (puts_by (hist s) q)).
  { rewrite <- (inv_len s I q Hq). eapply nth_error_lt; eauto. }
  destruct (nth_error (puts_by (hist s) q) n) as [i|] eqn:Hi; [|apply nth_error_None in Hi; lia].
  exists n, i. repeat split; auto.
  - eapply (inv_full s I); eauto.
  - apply (inv_known s I r q n i Hr Hq Hi). eapply nth_error_lt; eauto.
Qed.

(** What a get answers, in terms of what the replica knows. *)
Lemma read_ok s r k : Inv s -> r < 3 ->
  (get k (locals s r) = None /\ forall w o v, nth_error (hist s) w = Some (EvPut o k v) -> ~ kn (hist s) r w) \/
  (exists i o v, get k (locals s r) = Some v /\ nth_error (hist s) i = Some (EvPut o k v) /\ kn (hist s) r i /\
     forall w o' v', nth_error (hist s) w = Some (EvPut o' k v') -> kn (hist s) r w -> ~ hb (hist s) i w).
Proof.
  intros I Hr. pose proof (best_spec k (locals s r)) as B. unfold get.
  destruct (best k (locals s r)) as [[q e]|].
  - destruct B as (Hk & Hq & Hin & Hmax). right.
    destruct (entry_put s r q e I Hr Hq Hin) as (n & i & Hn & HL & Hi & Ki).
    exists i, q, (evalue e). rewrite Hk in Hi. repeat split; auto.
    intros w o' v' Hw Kw Hiw.
    destruct (known_entry s r w o' k v' I Hr Hw Kw) as (nw & ew & Ho' & Hnw & Hew & HLw & Hkw & _).
    apply (Hmax o' ew Ho'); auto; [eapply nth_error_In; eauto|].
    left. eapply (inv_ts s I q o' n nw i w e ew); eauto.
  - left. split; auto. intros w o v Hw Kw.
    destruct (known_entry s r w o k v I Hr Hw Kw) as (nw & ew & Ho & Hnw & Hew & HLw & Hkw & _).
    eapply (B o ew Ho); eauto. eapply nth_error_In; eauto.
Qed.

(** * The invariant is preserved *)
Lemma inv_init : Inv (init_state init).
Proof.
  constructor; cbn.
  - intros j r p H; destruct j; discriminate.
  - intros j r k res H; destruct j; discriminate.
  - intros w o k v H; destruct w; discriminate.
  - intros q _. reflexivity.
  - intros q n e p _ H; destruct n; discriminate.
  - intros r q _ _. apply prefix_refl.
  - intros r q n w _ _ H. destruct n; discriminate.
  - intros qi qw ni nw i w ei ew _ _ H; destruct ni; discriminate.
  - intros r q e _ _ [].
  - intros d p X [].
  - intros p o k v d H; destruct p; discriminate.
Qed.

(** ** A get *)
Lemma inv_get s r k : Inv s -> r < 3 -> Inv (do_get get r k s).
Proof.
  intros I Hr. set (e := EvGet r k (get k (locals s r))).
  assert (Hh : hist (do_get get r k s) = hist s ++ [e]) by reflexivity.
  assert (W : wf (hist s ++ [e])) by (apply wf_app_nondeliver; [apply I|discriminate]).
  assert (ND : forall r p, e <> EvDeliver r p) by discriminate.
  assert (NP : forall o k v, e <> EvPut o k v) by discriminate.
  assert (Hp : forall q, puts_by (hist s ++ [e]) q = puts_by (hist s) q) by (intros; apply puts_by_app_nonput; auto).
  assert (Hold : forall w o k' v', nth_error (hist s ++ [e]) w = Some (EvPut o k' v') ->
            w < length (hist s) /\ nth_error (hist s) w = Some (EvPut o k' v')).
  { intros w o k' v' H. apply nth_error_app_inv in H as [H|[_ H]]; [exact H|discriminate]. }
  change (Inv (mk_gstate (locals s) (net s) (hist s ++ [e]))).
  constructor; cbn [locals net hist]; try setoid_rewrite Hp.
  - exact W.
  - apply causal_app; [exact W|apply I|]. intros r' k' res Ee. unfold e in Ee. inversion Ee; subst r' k' res.
    destruct (read_ok s r k I Hr) as [[Hg Hn]|(i & o & v & Hg & Hi & Ki & Hmax)].
    + left. split; [exact Hg|]. intros w o v Hw Hb. apply Hold in Hw as [Hwl Hw].
      destruct (hb_new _ _ _ W Hb) as [K|(? & ? & Ed & _)]; [eapply Hn; eauto|discriminate].
    + right. exists i. split.
      * exists r, k, v, o. rewrite nth_error_app_new, nth_error_app_old by (eapply nth_error_lt; eauto).
        unfold e. rewrite Hg. repeat split; auto. apply hb_new_intro. exact Ki.
      * intros w o' v' Hw Hb Hiw. apply Hold in Hw as [Hwl Hw].
        destruct (hb_new _ _ _ W Hb) as [K|(? & ? & Ed & _)]; [|discriminate].
        eapply Hmax; eauto. eapply hb_old; eauto.
  - intros w o k' v' H. apply Hold in H as [_ H]. eapply (inv_origin s I); eauto.
  - apply (inv_len s I).
  - intros q n e' p Hq Hn Hp'. rewrite nth_error_app_old by (eapply puts_by_lt; eauto). eapply (inv_full s I); eauto.
  - apply (inv_prefix s I).
  - intros r' q n w Hr' Hq Hn. rewrite kn_app_nondeliver by (auto; eapply puts_by_lt; eauto).
    apply (inv_known s I); auto.
  - intros qi qw ni nw i w ei ew Hqi Hqw Hi Hw Hei Hew Hb.
    apply (inv_ts s I qi qw ni nw i w ei ew Hqi Hqw Hi Hw Hei Hew).
    eapply hb_old; [exact W|exact Hb|]. eapply puts_by_lt; eauto.
  - apply (inv_size s I).
  - intros d p X Hin. destruct (inv_net s I d p X Hin) as (Hd & (o & k' & v' & Hpp) & Hpre & Hkn & Hsz).
    assert (Hpl : p < length (hist s)) by (eapply nth_error_lt; eauto).
    unfold snap_ok; cbn [hist locals]. split; [exact Hd|].
    split; [exists o, k', v'; rewrite nth_error_app_old; auto|].
    split; [exact Hpre|]. split; [|exact Hsz].
    intros q n w Hq Hn. rewrite Hp in Hn. rewrite <- (Hkn q n w Hq Hn).
    rewrite hb_app_iff; [tauto|exact W|exact Hpl].
  - intros p o k' v' d Hpp Hd Hdo. apply Hold in Hpp as [Hpl Hpp].
    destruct (inv_pending s I p o k' v' d Hpp Hd Hdo) as [K|Hm]; auto. left. apply kn_mono; auto.
Qed.

(** ** A put *)
Lemma size_put X r x : r < 3 -> size (fun q => if Nat.eqb q r then X q ++ [x] else X q) = S (size X).
Proof. intros Hr. unfold size. destruct r as [|[|[|r]]]; simpl; rewrite ?app_length; simpl; lia. Qed.

Lemma In_others d r : d < 3 -> d <> r -> In d (others r).
Proof.
  intros Hd Hne. unfold others, replicas. apply filter_In. split.
  - destruct d as [|[|[|d]]]; simpl; auto; lia.
  - apply negb_true_iff, Nat.eqb_neq. exact Hne.
Qed.

Lemma others_lt d r : In d (others r) -> d < 3.
Proof.
  unfold others, replicas. intros H. apply filter_In in H as [H _].
  destruct H as [<-|[<-|[<-|[]]]]; auto.
Qed.

Lemma inv_put s r k v : Inv s -> r < 3 -> Inv (do_put put r k v s).
Proof.
  intros I Hr.
  pose (x := (k, v, S (size (locals s r))) : entry).
  pose (X' := fun q => if Nat.eqb q r then locals s r q ++ [x] else locals s r q).
  pose (e := EvPut r k v).
  change (Inv (mk_gstate (upd (locals s) r X') (net s ++ map (fun d => (d, length (hist s), X')) (others r))
                         (hist s ++ [e]))).
  assert (W : wf (hist s ++ [e])) by (apply wf_app_nondeliver; [apply I|discriminate]).
  assert (HX' : forall q, X' q = if Nat.eqb q r then locals s r q ++ [x] else locals s r q) by reflexivity.
  assert (Hloc : forall r' q, upd (locals s) r X' r' q = if Nat.eqb r' r then X' q else locals s r' q).
  { intros. unfold upd. destruct (Nat.eqb r' r); reflexivity. }
  assert (Hsz' : forall r', size (upd (locals s) r X' r') = if Nat.eqb r' r then size X' else size (locals s r')).
  { intros. unfold upd. destruct (Nat.eqb r' r); reflexivity. }
  assert (HL : forall q, upd (locals s) r X' q q = if Nat.eqb q r then locals s q q ++ [x] else locals s q q).
  { intros q. rewrite Hloc, HX'. destruct (Nat.eqb_spec q r); subst; reflexivity. }
  assert (Hp : forall q, puts_by (hist s ++ [e]) q = puts_by (hist s) q ++ (if Nat.eqb q r then [length (hist s)] else [])).
  { intros q. rewrite puts_by_app. simpl. rewrite Nat.eqb_sym. reflexivity. }
  assert (Hsz : size X' = S (size (locals s r))) by (apply size_put; auto).
  assert (Hlen : length (locals s r r) = length (puts_by (hist s) r)) by (apply (inv_len s I); auto).
  assert (Hold : forall w o k' v', nth_error (hist s ++ [e]) w = Some (EvPut o k' v') ->
            (w < length (hist s) /\ nth_error (hist s) w = Some (EvPut o k' v')) \/
            (w = length (hist s) /\ o = r /\ k' = k /\ v' = v)).
  { intros w o k' v' H. apply nth_error_app_inv in H as [H|[-> H]]; [left; exact H|right].
    unfold e in H. inversion H; auto. }
  assert (Hrank : forall q n w, nth_error (puts_by (hist s ++ [e]) q) n = Some w ->
            (nth_error (puts_by (hist s) q) n = Some w /\ w < length (hist s)) \/
            (q = r /\ n = length (puts_by (hist s) r) /\ w = length (hist s))).
  { intros q n w H. rewrite Hp in H. destruct (Nat.eqb_spec q r) as [->|Hne].
    - apply nth_error_app_inv in H as [[_ H]|[-> <-]]; [left; split; eauto using puts_by_lt|right; auto].
    - rewrite app_nil_r in H. left; split; eauto using puts_by_lt. }
  assert (Hkn_old : forall r' w, w < length (hist s) -> (kn (hist s ++ [e]) r' w <-> kn (hist s) r' w)).
  { intros. apply kn_app_nondeliver; auto. discriminate. }
  assert (Hkn_new : forall r', kn (hist s ++ [e]) r' (length (hist s)) <-> r' = r).
  { intros r'. split.
    - intros K. destruct (kn_app _ _ _ _ W K) as [K'|[E _]]; [apply kn_lt in K'; [lia|apply I]|exact (eq_sym E)].
    - intros ->. apply (kn_self (hist s) e (length (hist s))). auto. }
  assert (HLold : forall q n, q < 3 -> n < length (puts_by (hist s) q) ->
            nth_error (upd (locals s) r X' q q) n = nth_error (locals s q q) n).
  { intros q n Hq Hn. rewrite HL. destruct (Nat.eqb q r); [|reflexivity].
    apply nth_error_app_old. rewrite (inv_len s I q Hq). exact Hn. }
  assert (HszX : forall q e', q < 3 -> In e' (X' q) -> ets e' <= size X').
  { intros q e' Hq Hin. rewrite Hsz. rewrite HX' in Hin. destruct (Nat.eqb q r).
    - apply in_app_iff in Hin as [Hin|[<-|[]]].
      + pose proof (inv_size s I r q e' Hr Hq Hin). lia.
      + unfold x, ets. simpl. lia.
    - pose proof (inv_size s I r q e' Hr Hq Hin). lia. }
  assert (Hprefix_r : forall q, q < 3 -> prefix (X' q) (upd (locals s) r X' q q)).
  { intros q Hq. rewrite HX', HL. destruct (Nat.eqb_spec q r) as [->|Hne]; [apply prefix_refl|].
    apply (inv_prefix s I); auto. }
  constructor; cbn [locals net hist].
  - exact W.
  - apply causal_app; [exact W|apply I|]. intros r' k' res E. discriminate E.
  - intros w o k' v' H. destruct (Hold _ _ _ _ H) as [[_ H']|(_ & -> & _)]; [eapply (inv_origin s I); eauto|exact Hr].
  - intros q Hq. rewrite HL, Hp. destruct (Nat.eqb_spec q r) as [->|Hne].
    + rewrite !app_length, Hlen. reflexivity.
    + rewrite app_nil_r. apply (inv_len s I); auto.
  - intros q n e' p Hq Hn Hpn. rewrite HL in Hn. rewrite Hp in Hpn. destruct (Nat.eqb_spec q r) as [->|Hne].
    + apply nth_error_app_inv in Hn. apply nth_error_app_inv in Hpn.
      destruct Hn as [[Hnl Hn]|[-> <-]]; destruct Hpn as [[Hpl Hpn]|[En <-]].
      * rewrite nth_error_app_old by eauto using puts_by_lt. eapply (inv_full s I); eauto.
      * lia.
      * lia.
      * rewrite nth_error_app_new. reflexivity.
    + rewrite app_nil_r in Hpn. rewrite nth_error_app_old by eauto using puts_by_lt. eapply (inv_full s I); eauto.
  - intros r' q Hr' Hq. rewrite Hloc, HL. destruct (Nat.eqb_spec r' r) as [->|Hne].
    + apply Hprefix_r in Hq. rewrite HL in Hq. exact Hq.
    + destruct (Nat.eqb_spec q r) as [->|Hqne]; [apply prefix_app|]; apply (inv_prefix s I); auto.
  - intros r' q n w Hr' Hq Hn. rewrite Hloc. destruct (Hrank q n w Hn) as [[Hn' Hwl]|(-> & -> & ->)].
    + rewrite Hkn_old by auto. rewrite (inv_known s I r' q n w Hr' Hq Hn').
      pose proof (nth_error_lt _ _ _ Hn') as Hnl.
      destruct (Nat.eqb_spec r' r) as [->|Hne]; [rewrite HX'; destruct (Nat.eqb_spec q r) as [->|Hqne]|]; try tauto.
      rewrite app_length. simpl. lia.
    + rewrite Hkn_new. destruct (Nat.eqb_spec r' r) as [->|Hne].
      * rewrite HX', Nat.eqb_refl, app_length, Hlen. simpl. split; [lia|auto].
      * split; [intros; contradiction|intros Hlt; exfalso].
        pose proof (prefix_length _ _ (inv_prefix s I r' r Hr' Hr)). lia.
  - intros qi qw ni nw i w ei ew Hqi Hqw Hi Hw Hei Hew Hb.
    destruct (Hrank qw nw w Hw) as [[Hw' Hwl]|(-> & -> & ->)].
    + assert (i < w) by (eapply hb_fwd; eauto).
      destruct (Hrank qi ni i Hi) as [[Hi' Hil]|(-> & -> & ->)]; [|lia].
      rewrite HLold in Hei by eauto using nth_error_lt. rewrite HLold in Hew by eauto using nth_error_lt.
      apply (inv_ts s I qi qw ni nw i w ei ew Hqi Hqw Hi' Hw' Hei Hew).
      eapply hb_old; eauto.
    + rewrite HL, Nat.eqb_refl in Hew. rewrite <- Hlen, nth_error_app_new in Hew. inversion Hew; subst ew.
      destruct (hb_new _ _ _ W Hb) as [K|(? & ? & Ed & _)]; [|discriminate].
      assert (Hil : i < length (hist s)) by (eapply kn_lt; eauto; apply I).
      destruct (Hrank qi ni i Hi) as [[Hi' _]|(_ & _ & E)]; [|lia].
      pose proof (proj1 (inv_known s I r qi ni i Hr Hqi Hi') K) as Hlt.
      rewrite HLold in Hei by eauto using nth_error_lt.
      rewrite <- (prefix_nth_lt _ _ _ (inv_prefix s I r qi Hr Hqi) Hlt) in Hei.
      pose proof (inv_size s I r qi ei Hr Hqi (nth_error_In _ _ Hei)).
      unfold x, ets at 2. simpl. lia.
  - intros r' q e' Hr' Hq Hin. rewrite Hloc in Hin. rewrite Hsz'.
    destruct (Nat.eqb_spec r' r) as [->|Hne]; [eapply HszX; eauto|]. eapply (inv_size s I); eauto.
  - intros d p Y Hin. apply in_app_iff in Hin as [Hin|Hin].
    + destruct (inv_net s I d p Y Hin) as (Hd & (o & k' & v' & Hpp) & Hpre & Hkn & Hszy).
      assert (Hpl : p < length (hist s)) by (eapply nth_error_lt; eauto).
      unfold snap_ok; cbn [hist locals]. split; [exact Hd|].
      split; [exists o, k', v'; rewrite nth_error_app_old; auto|].
      split; [|split; [|exact Hszy]].
      * intros q Hq. rewrite HL. destruct (Nat.eqb q r); [apply prefix_app|]; apply Hpre; auto.
      * intros q n w Hq Hn. destruct (Hrank q n w Hn) as [[Hn' Hwl]|(-> & -> & ->)].
        -- rewrite <- (Hkn q n w Hq Hn'). rewrite hb_app_iff; [tauto|exact W|exact Hpl].
        -- split.
           ++ intros [E|Hb]; [lia|apply hb_fwd in Hb; [lia|exact W]].
           ++ intros Hlt. exfalso. pose proof (prefix_length _ _ (Hpre r Hr)). lia.
    + apply in_map_iff in Hin as (d' & Ed & Hd'). inversion Ed; subst d' p Y.
      unfold snap_ok; cbn [hist locals]. split; [eapply others_lt; eauto|].
      split; [exists r, k, v; apply nth_error_app_new|].
      split; [exact Hprefix_r|split; [|exact HszX]].
      intros q n w Hq Hn. destruct (Hrank q n w Hn) as [[Hn' Hwl]|(-> & -> & ->)].
      * split.
        -- intros [E|Hb]; [lia|].
           destruct (hb_new _ _ _ W Hb) as [K|(? & ? & Ed' & _)]; [|discriminate].
           apply (inv_known s I r q n w Hr Hq Hn') in K.
           rewrite HX'. destruct (Nat.eqb q r); rewrite ?app_length; simpl; lia.
        -- intros Hlt. right. apply hb_new_intro. apply (inv_known s I r q n w Hr Hq Hn').
           rewrite HX' in Hlt. destruct (Nat.eqb_spec q r) as [->|Hqne]; [|exact Hlt].
           rewrite Hlen. eapply nth_error_lt; eauto.
      * split; [intros _|auto]. rewrite HX', Nat.eqb_refl, app_length, Hlen. simpl. lia.
  - intros p o k' v' d Hpp Hd Hdo. destruct (Hold _ _ _ _ Hpp) as [[Hpl Hpp']|(-> & -> & -> & ->)].
    + destruct (inv_pending s I p o k' v' d Hpp' Hd Hdo) as [K|(Y & HY)].
      * left. apply kn_mono; auto.
      * right. exists Y. apply in_app_iff; left; auto.
    + right. exists X'. apply in_app_iff; right. apply in_map_iff. exists d. split; auto.
      apply In_others; auto.
Qed.

(** ** A delivery *)
Lemma inv_deliver s i : Inv s -> ready deliverable s i = true -> Inv (do_deliver deliver i s).
Proof.
  intros I Hready. unfold ready in Hready. unfold do_deliver.
  destruct (nth_error (net s) i) as [[[d p] Y]|] eqn:Hi; [|discriminate].
  destruct (inv_net s I d p Y (nth_error_In _ _ Hi)) as (Hd & (o & k & v & Hpp) & Hpre & Hkn & HszY).
  assert (Hpl : p < length (hist s)) by (eapply nth_error_lt; eauto).
  pose (M := deliver (locals s d) Y).
  pose (e := EvDeliver d p).
  change (Inv (mk_gstate (upd (locals s) d M) (remove_nth i (net s)) (hist s ++ [e]))).
  assert (W : wf (hist s ++ [e])).
  { intros j r' p' Hj. apply nth_error_app_inv in Hj as [[_ Hj]|[-> E]]; [eapply (inv_wf s I); eauto|].
    unfold e in E. inversion E; subst. exact Hpl. }
  assert (Hp : forall q, puts_by (hist s ++ [e]) q = puts_by (hist s) q) by (intros; apply puts_by_app_nonput; discriminate).
  assert (HM : forall q, M q = if length (Y q) <=? length (locals s d q) then locals s d q else Y q) by reflexivity.
  assert (Hloc : forall r' q, upd (locals s) d M r' q = if Nat.eqb r' d then M q else locals s r' q).
  { intros. unfold upd. destruct (Nat.eqb r' d); reflexivity. }
  assert (HL : forall q, q < 3 -> upd (locals s) d M q q = locals s q q).
  { intros q Hq. rewrite Hloc. destruct (Nat.eqb_spec q d) as [->|Hne]; [|reflexivity].
    rewrite HM. pose proof (prefix_length _ _ (Hpre d Hd)) as Hle. apply Nat.leb_le in Hle. rewrite Hle. reflexivity. }
  assert (Hold : forall w o k' v', nth_error (hist s ++ [e]) w = Some (EvPut o k' v') ->
            w < length (hist s) /\ nth_error (hist s) w = Some (EvPut o k' v')).
  { intros w o' k' v' H. apply nth_error_app_inv in H as [H|[_ H]]; [exact H|discriminate]. }
  assert (Hkn_other : forall r' w, r' <> d -> w < length (hist s) -> (kn (hist s ++ [e]) r' w <-> kn (hist s) r' w)).
  { intros r' w Hne Hw. split; [|apply kn_mono]. intros K.
    destruct (kn_app _ _ _ _ W K) as [K'|[E _]]; [exact K'|]. simpl in E. congruence. }
  assert (Hkn_d : forall w, w < length (hist s) -> (kn (hist s ++ [e]) d w <-> kn (hist s) d w \/ w = p \/ hb (hist s) w p)).
  { intros w Hw. split.
    - intros K. destruct (kn_app _ _ _ _ W K) as [K'|[_ [E|Hb]]]; [auto|lia|].
      destruct (hb_new _ _ _ W Hb) as [K'|(r' & p' & E & Hor)]; [left; exact K'|].
      unfold e in E. inversion E; subst. auto.
    - intros [K|Hor]; [apply kn_mono; exact K|]. apply (kn_self (hist s) e w). right.
      apply hb_new_deliver. exact Hor. }
  assert (HsizeM : size (locals s d) <= size M /\ size Y <= size M).
  { unfold size. rewrite !HM.
    destruct (Nat.leb_spec (length (Y 0)) (length (locals s d 0)));
    destruct (Nat.leb_spec (length (Y 1)) (length (locals s d 1)));
    destruct (Nat.leb_spec (length (Y 2)) (length (locals s d 2))); lia. }
  constructor; cbn [locals net hist].
  - exact W.
  - apply causal_app; [exact W|apply I|]. intros r' k' res E. discriminate E.
  - intros w o' k' v' H. apply Hold in H as [_ H]. eapply (inv_origin s I); eauto.
  - intros q Hq. rewrite HL, Hp by auto. apply (inv_len s I); auto.
  - intros q n e' p' Hq Hn Hpn. rewrite HL in Hn by auto. rewrite Hp in Hpn.
    rewrite nth_error_app_old by eauto using puts_by_lt. eapply (inv_full s I); eauto.
  - intros r' q Hr' Hq. rewrite HL by auto. rewrite Hloc. destruct (Nat.eqb_spec r' d) as [->|Hne].
    + rewrite HM. destruct (length (Y q) <=? length (locals s d q)); [apply (inv_prefix s I); auto|apply Hpre; auto].
    + apply (inv_prefix s I); auto.
  - intros r' q n w Hr' Hq Hn. rewrite Hp in Hn. rewrite Hloc.
    assert (Hw : w < length (hist s)) by (eapply puts_by_lt; eauto).
    destruct (Nat.eqb_spec r' d) as [->|Hne].
    + rewrite Hkn_d by exact Hw. rewrite (inv_known s I d q n w Hd Hq Hn), (Hkn q n w Hq Hn), HM.
      destruct (Nat.leb_spec (length (Y q)) (length (locals s d q))); lia.
    + rewrite Hkn_other by auto. apply (inv_known s I); auto.
  - intros qi qw ni nw i' w ei ew Hqi Hqw Hi' Hw Hei Hew Hb.
    rewrite HL in Hei, Hew by auto. rewrite Hp in Hi', Hw.
    apply (inv_ts s I qi qw ni nw i' w ei ew Hqi Hqw Hi' Hw Hei Hew).
    eapply hb_old; [exact W|exact Hb|]. eapply puts_by_lt; eauto.
  - intros r' q e' Hr' Hq Hin. rewrite Hloc in Hin. unfold upd.
    destruct (Nat.eqb_spec r' d) as [->|Hne].
    + rewrite HM in Hin. destruct (length (Y q) <=? length (locals s d q)).
      * pose proof (inv_size s I d q e' Hd Hq Hin). lia.
      * pose proof (HszY q e' Hq Hin). lia.
    + eapply (inv_size s I); eauto.
  - intros d' p' Y' Hin. apply In_remove_nth in Hin.
    destruct (inv_net s I d' p' Y' Hin) as (Hd' & (o' & k' & v' & Hpp') & Hpre' & Hkn' & HszY').
    assert (Hpl' : p' < length (hist s)) by (eapply nth_error_lt; eauto).
    unfold snap_ok; cbn [hist locals]. split; [exact Hd'|].
    split; [exists o', k', v'; rewrite nth_error_app_old; auto|].
    split; [intros q Hq; rewrite HL by auto; apply Hpre'; auto|]. split; [|exact HszY'].
    intros q n w Hq Hn. rewrite Hp in Hn. rewrite <- (Hkn' q n w Hq Hn).
    rewrite hb_app_iff; [tauto|exact W|exact Hpl'].
  - intros p' o' k' v' d' Hpp' Hd' Hdo'. apply Hold in Hpp' as [Hpl' Hpp'].
    destruct (inv_pending s I p' o' k' v' d' Hpp' Hd' Hdo') as [K|(Y' & HY')].
    + left. apply kn_mono. exact K.
    + destruct (Nat.eq_dec d' d) as [->|Hne]; [destruct (Nat.eq_dec p' p) as [->|Hne]|].
      * left. apply Hkn_d; auto.
      * right. exists Y'. eapply In_remove_nth_other; eauto. congruence.
      * right. exists Y'. eapply In_remove_nth_other; eauto. congruence.
Qed.

Theorem inv_reachable s : reachable init put get deliverable deliver s -> Inv s.
Proof.
  induction 1 as [|s s' R IH St].
  - apply inv_init.
  - destruct St as [r k v s Hr|r k s Hr|i s Hready].
    + apply inv_put; auto.
    + apply inv_get; auto.
    + apply inv_deliver; auto.
Qed.

(** * From causal consistency to the other guarantees *)
Lemma applied_hb h w j : applied h w j -> hb h w j.
Proof.
  intros (o & k & v & e & Hw & Hj & Hlt & [Ho | (d & Hd & Hdj)]).
  - eapply hb_replica; eauto.
  - eapply hb_trans; [eapply hb_deliver; exact Hdj|].
    eapply hb_replica with (ei := EvDeliver (ev_replica e) w) (ej := e); eauto.
Qed.

Lemma causal_reads h j r k res w o v : causal h -> nth_error h j = Some (EvGet r k res) ->
  nth_error h w = Some (EvPut o k v) -> hb h w j -> reads_at_least h j w.
Proof.
  intros C Hj Hw Hb. destruct (C j r k res Hj) as [[_ Hn]|(i & Hi & Hmax)].
  - exfalso; eapply Hn; eauto.
  - exists i. split; auto. eapply Hmax; eauto.
Qed.

Lemma reads_from_inv h j i r k v : nth_error h j = Some (EvGet r k (Some v)) -> reads_from h j i ->
  exists o, nth_error h i = Some (EvPut o k v) /\ hb h i j.
Proof.
  intros Hj (r' & k' & v' & o & Hj' & Hi & Hb). rewrite Hj in Hj'. inversion Hj'; subst. eauto.
Qed.

Lemma causal_justified h : causal h -> justified h.
Proof.
  intros C j r k v Hj. destruct (C j r k (Some v) Hj) as [[E _]|(i & Hi & _)]; [discriminate|eauto].
Qed.

Lemma causal_ryw h : causal h -> read_your_writes h.
Proof.
  intros C w j r k v res Hlt Hw Hj. eapply causal_reads; eauto. eapply hb_replica; eauto.
Qed.

Lemma causal_mr h : causal h -> monotonic_reads h.
Proof.
  intros C j1 j2 i1 r k v1 res2 Hlt Hj1 Hj2 Hrf _.
  destruct (reads_from_inv _ _ _ _ _ _ Hj1 Hrf) as (o & Hi1 & Hb).
  eapply causal_reads; eauto. eapply hb_trans; [exact Hb|]. eapply hb_replica; eauto.
Qed.

Lemma causal_mw h : causal h -> monotonic_writes h.
Proof.
  intros C w1 w2 j r k1 v1 k2 v2 r' res Hlt Hw1 Hw2 Hj Happ.
  eapply causal_reads; eauto. eapply hb_trans; [|apply applied_hb; exact Happ]. eapply hb_replica; eauto.
Qed.

Lemma causal_wfr h : causal h -> writes_follow_reads h.
Proof.
  intros C j1 i1 w j r k v1 kw vw r' res Hlt Hj1 Hrf _ Hw Hj Happ.
  destruct (reads_from_inv _ _ _ _ _ _ Hj1 Hrf) as (o & Hi1 & Hb).
  eapply causal_reads; eauto. eapply hb_trans; [exact Hb|].
  eapply hb_trans; [|apply applied_hb; exact Happ]. eapply hb_replica; eauto.
Qed.

Lemma pram_visible_hb h w j : pram_visible h w j -> hb h w j.
Proof.
  intros (w' & o & k & v & k' & v' & Hw & Hw' & Hle & Happ). apply applied_hb in Happ.
  destruct (Nat.eq_dec w w') as [->|Hne]; auto.
  eapply hb_trans; [|exact Happ]. eapply hb_replica; eauto. lia.
Qed.

Lemma causal_pram h : causal h -> pram h.
Proof.
  intros C j r k res Hj. destruct (C j r k res Hj) as [[-> Hn]|(i & Hi & Hmax)].
  - left. split; auto. intros w o v Hw Hv. eapply Hn; eauto. apply pram_visible_hb; auto.
  - right. destruct res as [v'|]; [|destruct Hi as (? & ? & ? & ? & Hj' & _); congruence].
    destruct (reads_from_inv _ _ _ _ _ _ Hj Hi) as (o' & Hi' & Hb).
    exists i, o', v'. repeat split; auto.
    intros w o v Hw Hv [-> Hlt]. eapply Hmax; eauto; [apply pram_visible_hb; auto|].
    eapply hb_replica; eauto.
Qed.

(** * The theorems, for every execution *)
Section Theorems.
  Variable s : gstate t msg.
  Hypothesis R : reachable init put get deliverable deliver s.

  Lemma causal_ok : causal (hist s).
  Proof. apply (inv_causal s (inv_reachable s R)). Qed.

  Lemma progress_ok : net s <> [] -> exists i, ready deliverable s i = true.
  Proof. intros H. exists 0. unfold ready. destruct (net s) as [|[[d p] m] l]; [contradiction|reflexivity]. Qed.

  Lemma all_known : net s = [] -> forall r w o k v, r < 3 -> nth_error (hist s) w = Some (EvPut o k v) ->
    kn (hist s) r w.
  Proof.
    intros E r w o k v Hr Hw. pose proof (inv_reachable s R) as I.
    destruct (Nat.eq_dec r o) as [->|Hne].
    - exists w, (EvPut o k v). auto.
    - destruct (inv_pending s I w o k v r Hw Hr Hne) as [K|(X & HX)]; [exact K|]. rewrite E in HX. destruct HX.
  Qed.

  Lemma quiescent_ok : net s = [] -> forall r k, r < nreplicas -> latest_write (hist s) k (get k (locals s r)).
  Proof.
    intros E r k Hr. unfold nreplicas in Hr. pose proof (inv_reachable s R) as I.
    destruct (read_ok s r k I Hr) as [[Hg Hn]|(i & o & v & Hg & Hi & Ki & Hmax)].
    - left. split; auto. intros w o v Hw. eapply Hn; eauto. eapply all_known; eauto.
    - right. exists i, o, v. repeat split; auto. intros w o' v' Hw. eapply Hmax; eauto. eapply all_known; eauto.
  Qed.

  Lemma converge_ok : net s = [] -> forall r q, r < 3 -> q < 3 -> locals s r q = locals s q q.
  Proof.
    intros E r q Hr Hq. pose proof (inv_reachable s R) as I.
    apply prefix_full; [apply (inv_prefix s I); auto|]. rewrite (inv_len s I q Hq).
    destruct (length (puts_by (hist s) q)) as [|m] eqn:El; [lia|].
    destruct (nth_error (puts_by (hist s) q) m) as [w|] eqn:Hw; [|apply nth_error_None in Hw; lia].
    destruct (puts_by_nth _ _ _ _ Hw) as (k & v & Hpw).
    pose proof (proj1 (inv_known s I r q m w Hr Hq Hw) (all_known E r w q k v Hr Hpw)). lia.
  Qed.

  Lemma get_converge : net s = [] -> forall r1 r2 k, r1 < nreplicas -> r2 < nreplicas ->
    get k (locals s r1) = get k (locals s r2).
  Proof.
    intros E r1 r2 k H1 H2. unfold nreplicas in *. unfold get, best, cands.
    rewrite !(converge_ok E r1) by lia. rewrite !(converge_ok E r2) by lia. reflexivity.
  Qed.
End Theorems.

End CausalLWWFacts.
From Coq Require Import FSets.FMapPositive.
From Coq Require PArith.Pnat.
From Coq Require Import NArith.

Module Impl <: KV_SIG.
  Definition entry : Type := (nat * nat * N)%type.
  Definition cand : Type := (nat * entry)%type.
  Definition ekey (e : entry) : nat := fst (fst e).
  Definition evalue (e : entry) : nat := snd (fst e).
  Definition ets (e : entry) : N := snd e.
  Record orec : Type := mk_orec { olen : N; oidx : PositiveMap.t cand }.
  Definition t : Type := (orec * orec * orec)%type.
  Definition msg : Type := t.
  Definition empty_orec : orec := mk_orec 0%N (PositiveMap.empty cand).
  Definition init (r : nat) : t := (empty_orec, empty_orec, empty_orec).
  Definition pkey (k : nat) : positive := Pos.of_succ_nat k.
  Definition newer (a b : cand) : bool :=
    N.ltb (ets (snd b)) (ets (snd a)) || (N.eqb (ets (snd b)) (ets (snd a)) && Nat.ltb (fst b) (fst a)).
  Definition merge (a b : option cand) : option cand :=
    match a, b with
    | Some x, Some y => if newer y x then b else a
    | None, _ => b
    | Some _, None => a
    end.
  Definition push (c : cand) (o : orec) : orec :=
    let key := pkey (ekey (snd c)) in
    let best := match PositiveMap.find key (oidx o) with
                | Some b => if newer c b then c else b
                | None => c
                end in
    mk_orec (N.succ (olen o)) (PositiveMap.add key best (oidx o)).
  Definition size (f : t) : N := (olen (fst (fst f)) + olen (snd (fst f)) + olen (snd f))%N.
  Definition put (r k v : nat) (f : t) : t * msg :=
    let e := (k, v, N.succ (size f)) in
    let f' := match f, r with
              | (o0, o1, o2), 0 => (push (0, e) o0, o1, o2)
              | (o0, o1, o2), 1 => (o0, push (1, e) o1, o2)
              | (o0, o1, o2), 2 => (o0, o1, push (2, e) o2)
              | _, _ => f
              end in
    (f', f').
  Definition get (k : nat) (f : t) : option nat :=
    let key := pkey k in
    match f with
    | (o0, o1, o2) =>
        match merge (merge (PositiveMap.find key (oidx o0)) (PositiveMap.find key (oidx o1)))
                    (PositiveMap.find key (oidx o2)) with
        | Some (_, e) => Some (evalue e)
        | None => None
        end
    end.
  Definition deliverable (f : t) (m : msg) : bool := true.
  Definition longer (a b : orec) : orec := if N.leb (olen b) (olen a) then a else b.
  Definition deliver (f : t) (m : msg) : t :=
    match f, m with
    | (a0, a1, a2), (b0, b1, b2) => (longer a0 b0, longer a1 b1, longer a2 b2)
    end.
End Impl.

Module ImplProofs <: WFR_CORRECT Impl.
  Import Impl.
  Module M := Impl.
  Definition comp (f : Impl.t) (q : nat) : Impl.orec :=
  match q with 0 => fst (fst f) | 1 => snd (fst f) | _ => snd f end.
  Definition conv_e (e : Impl.entry) : CausalLWW.entry := (fst (fst e), snd (fst e), N.to_nat (snd e)).
  Definition conv (c : Impl.cand) : nat * CausalLWW.entry := (fst c, conv_e (snd c)).
  Definition Ro (q : nat) (o : Impl.orec) (l : list CausalLWW.entry) : Prop :=
  N.to_nat (Impl.olen o) = length l /\
  forall k, option_map conv (PositiveMap.find (Impl.pkey k) (Impl.oidx o)) = fold_left (CausalLWW.pick k) (map (pair q) l) None.
  Definition Rs (f : Impl.t) (X : CausalLWW.t) : Prop := forall q, q < 3 -> Ro q (comp f q) (X q).
  Definition cmerge (a b : option (nat * CausalLWW.entry)) : option (nat * CausalLWW.entry) :=
  match a, b with
  | Some x, Some y => if CausalLWW.newer y x then b else a
  | None, _ => b
  | Some _, None => a
  end.
  Definition Rn (a : nat * nat * Impl.msg) (b : nat * nat * CausalLWW.msg) : Prop := fst a = fst b /\ Rs (snd a) (snd b).
  Definition Rg (s : gstate Impl.t Impl.msg) (S : gstate CausalLWW.t CausalLWW.msg) : Prop :=
  hist s = hist S /\ (forall r, Rs (locals s r) (locals S r)) /\ Forall2 Rn (net s) (net S).
  Lemma ltb_conv x y : N.ltb x y = Nat.ltb (N.to_nat x) (N.to_nat y).
  Proof.
    destruct (N.ltb_spec x y), (Nat.ltb_spec (N.to_nat x) (N.to_nat y)); auto; lia.
  Qed.
  Lemma eqb_conv x y : N.eqb x y = Nat.eqb (N.to_nat x) (N.to_nat y).
  Proof.
    destruct (N.eqb_spec x y), (Nat.eqb_spec (N.to_nat x) (N.to_nat y)); auto; lia.
  Qed.
  Lemma leb_conv x y : N.leb x y = Nat.leb (N.to_nat x) (N.to_nat y).
  Proof.
    destruct (N.leb_spec x y), (Nat.leb_spec (N.to_nat x) (N.to_nat y)); auto; lia.
  Qed.
  Lemma newer_conv a b : Impl.newer a b = CausalLWW.newer (conv a) (conv b).
  Proof.
    unfold Impl.newer, CausalLWW.newer. rewrite ltb_conv, eqb_conv. reflexivity.
  Qed.
  Lemma merge_conv a b : option_map conv (Impl.merge a b) = cmerge (option_map conv a) (option_map conv b).
  Proof.
    destruct a as [x|], b as [y|]; simpl; auto. rewrite newer_conv. destruct (CausalLWW.newer _ _); reflexivity.
  Qed.
  Lemma pick_merge k acc c :
  CausalLWW.pick k acc c = if Nat.eqb (CausalLWW.ekey (snd c)) k then cmerge acc (Some c) else acc.
  Proof.
    unfold CausalLWW.pick. destruct (Nat.eqb (CausalLWW.ekey (snd c)) k), acc; reflexivity.
  Qed.
  Lemma merge_None_r a : cmerge a None = a.
  Proof.
    destruct a; reflexivity.
  Qed.
  Lemma merge_assoc a b c : cmerge (cmerge a b) c = cmerge a (cmerge b c).
  Proof.
    destruct a as [x|], b as [y|], c as [z|]; simpl; try reflexivity;
        repeat (match goal with |- context [CausalLWW.newer ?u ?w] => destruct (CausalLWW.newer u w) eqn:? end; simpl);
        try reflexivity;
        repeat match goal with
               | H : CausalLWW.newer _ _ = true |- _ => apply CausalLWWFacts.newer_true in H
               | H : CausalLWW.newer _ _ = false |- _ => apply CausalLWWFacts.newer_false in H
               end; exfalso; lia.
  Qed.
  Lemma fold_pick_merge k L acc :
  fold_left (CausalLWW.pick k) L acc = cmerge acc (fold_left (CausalLWW.pick k) L None).
  Proof.
    revert acc; induction L as [|c L IH]; intros acc; simpl.
      - symmetry; apply merge_None_r.
      - rewrite IH, (IH (CausalLWW.pick k None c)), !pick_merge.
        destruct (Nat.eqb (CausalLWW.ekey (snd c)) k); simpl; [apply merge_assoc|reflexivity].
  Qed.
  Lemma best_fast k f X : Rs f X ->
  CausalLWW.best k X = option_map conv
    (Impl.merge (Impl.merge (PositiveMap.find (Impl.pkey k) (Impl.oidx (comp f 0)))
                      (PositiveMap.find (Impl.pkey k) (Impl.oidx (comp f 1))))
             (PositiveMap.find (Impl.pkey k) (Impl.oidx (comp f 2)))).
  Proof.
    intros H. unfold CausalLWW.best, CausalLWW.cands. rewrite !fold_left_app, !merge_conv.
      rewrite (fold_pick_merge k (map (pair 2) (X 2))), (fold_pick_merge k (map (pair 1) (X 1))).
      rewrite (proj2 (H 0 ltac:(lia)) k), (proj2 (H 1 ltac:(lia)) k), (proj2 (H 2 ltac:(lia)) k).
      reflexivity.
  Qed.
  Lemma get_rel k f X : Rs f X -> Impl.get k f = CausalLWW.get k X.
  Proof.
    intros H. unfold CausalLWW.get. rewrite (best_fast k f X H).
      destruct f as [[o0 o1] o2]. unfold Impl.get. cbn [comp fst snd].
      destruct (Impl.merge _ _) as [[q e]|]; reflexivity.
  Qed.
  Lemma push_rel q e e' o l : Ro q o l -> conv_e e = e' -> Ro q (Impl.push (q, e) o) (l ++ [e']).
  Proof.
    intros [Hlen Hidx] <-. split.
      - simpl. rewrite app_length, N2Nat.inj_succ, Hlen. simpl. lia.
      - intros k. rewrite map_app, fold_left_app. simpl. rewrite <- Hidx.
        unfold CausalLWW.pick. simpl. destruct (Nat.eq_dec (Impl.ekey e) k) as [<-|Hne].
        + rewrite PositiveMap.gss. change (CausalLWW.ekey (conv_e e)) with (Impl.ekey e). rewrite Nat.eqb_refl.
          destruct (PositiveMap.find (Impl.pkey (Impl.ekey e)) (Impl.oidx o)) as [c|]; [|reflexivity].
          simpl. rewrite newer_conv. destruct (CausalLWW.newer _ _); reflexivity.
        + rewrite PositiveMap.gso.
          * change (CausalLWW.ekey (conv_e e)) with (Impl.ekey e). apply Nat.eqb_neq in Hne. rewrite Hne. reflexivity.
          * intros E. apply Pnat.SuccNat2Pos.inj in E. congruence.
  Qed.
  Lemma size_rel f X : Rs f X -> N.to_nat (Impl.size f) = CausalLWW.size X.
  Proof.
    intros H. unfold Impl.size, CausalLWW.size. rewrite !N2Nat.inj_add.
      pose proof (proj1 (H 0 ltac:(lia))). pose proof (proj1 (H 1 ltac:(lia))).
      pose proof (proj1 (H 2 ltac:(lia))). simpl in *. lia.
  Qed.
  Lemma put_rel r k v f X : Rs f X ->
  Rs (fst (Impl.put r k v f)) (fst (CausalLWW.put r k v X)) /\ Rs (snd (Impl.put r k v f)) (snd (CausalLWW.put r k v X)).
  Proof.
    intros H. enough (G : Rs (fst (Impl.put r k v f)) (fst (CausalLWW.put r k v X))) by (split; exact G).
      assert (He : conv_e (k, v, N.succ (Impl.size f)) = (k, v, S (CausalLWW.size X))).
      { unfold conv_e. simpl. rewrite N2Nat.inj_succ, (size_rel f X H). reflexivity. }
      destruct f as [[o0 o1] o2]. unfold Impl.put, CausalLWW.put. cbn [fst].
      intros q Hq. specialize (H q Hq).
      destruct r as [|[|[|r]]]; destruct q as [|[|[|q]]]; try lia; simpl in *;
        try (eapply push_rel; [exact H|exact He]); exact H.
  Qed.
  Lemma deliver_rel f X m M : Rs f X -> Rs m M -> Rs (Impl.deliver f m) (CausalLWW.deliver X M).
  Proof.
    intros Hf Hm q Hq. specialize (Hf q Hq). specialize (Hm q Hq). unfold CausalLWW.deliver.
      destruct f as [[a0 a1] a2], m as [[b0 b1] b2].
      destruct q as [|[|[|q]]]; try lia; simpl in *; unfold Impl.longer;
        rewrite leb_conv, (proj1 Hf), (proj1 Hm); destruct (_ <=? _); assumption.
  Qed.
  Lemma init_rel r : Rs (Impl.init r) (CausalLWW.init r).
  Proof.
    intros q Hq. split; [destruct q as [|[|[|q]]]; reflexivity|].
      intros k. destruct q as [|[|[|q]]]; unfold comp; simpl; rewrite PositiveMap.gempty; reflexivity.
  Qed.
  Lemma Forall2_nth_error {A B} (P : A -> B -> Prop) l1 l2 i a :
  Forall2 P l1 l2 -> nth_error l1 i = Some a -> exists b, nth_error l2 i = Some b /\ P a b.
  Proof.
    intros H; revert i; induction H as [|x y l1 l2 Hxy _ IH]; intros i Hi; destruct i; simpl in *;
        try discriminate.
      - inversion Hi; subst. eauto.
      - eauto.
  Qed.
  Lemma Forall2_remove_nth {A B} (P : A -> B -> Prop) l1 l2 i :
  Forall2 P l1 l2 -> Forall2 P (remove_nth i l1) (remove_nth i l2).
  Proof.
    intros H; revert i; induction H as [|x y l1 l2 Hxy Ht IH]; intros i; destruct i; simpl; auto.
  Qed.
  Lemma Forall2_sends (L : list nat) n m M : Rs m M ->
  Forall2 Rn (map (fun d => (d, n, m)) L) (map (fun d => (d, n, M)) L).
  Proof.
    intros H. induction L; simpl; constructor; auto. split; auto.
  Qed.
  Lemma simulation s : reachable Impl.init Impl.put Impl.get Impl.deliverable Impl.deliver s ->
  exists S, reachable CausalLWW.init CausalLWW.put CausalLWW.get CausalLWW.deliverable CausalLWW.deliver S /\ Rg s S.
  Proof.
    induction 1 as [|s s' _ IH St].
      - exists (init_state CausalLWW.init). split; [constructor|].
        split; [reflexivity|]. split; [intros r; apply init_rel|constructor].
      - destruct IH as (S & RS & Hh & Hl & Hn).
        destruct St as [r k v s Hr|r k s Hr|i s Hready].
        + exists (do_put CausalLWW.put r k v S). split; [eapply reachable_step; [exact RS|constructor; exact Hr]|].
          destruct (put_rel r k v (locals s r) (locals S r) (Hl r)) as [P1 P2].
          unfold do_put; split; [|split]; cbn [hist locals net].
          * rewrite Hh. reflexivity.
          * intros r'. unfold upd. destruct (Nat.eqb r' r); [exact P1|apply Hl].
          * rewrite Hh. apply Forall2_app; [exact Hn|]. apply Forall2_sends. exact P2.
        + exists (do_get CausalLWW.get r k S). split; [eapply reachable_step; [exact RS|constructor; exact Hr]|].
          unfold do_get; split; [|split]; cbn [hist locals net]; auto.
          rewrite Hh, (get_rel k _ _ (Hl r)). reflexivity.
        + unfold ready in Hready.
          destruct (nth_error (net s) i) as [[[d p] m]|] eqn:Hi; [|discriminate].
          destruct (Forall2_nth_error _ _ _ _ _ Hn Hi) as ([[d' p'] M] & HI & Hdp & Hm).
          cbn [fst snd] in Hdp, Hm. inversion Hdp; subst d' p'.
          exists (do_deliver CausalLWW.deliver i S). split.
          { eapply reachable_step; [exact RS|]. constructor. unfold ready. rewrite HI. reflexivity. }
          unfold do_deliver. rewrite Hi, HI. split; [|split]; cbn [hist locals net].
          * rewrite Hh. reflexivity.
          * intros r'. unfold upd. destruct (Nat.eqb r' d); [apply deliver_rel; auto|apply Hl].
          * apply Forall2_remove_nth. exact Hn.
  Qed.
  Lemma fast_causal (s : gstate Impl.t Impl.msg) (R : reachable Impl.init Impl.put Impl.get Impl.deliverable Impl.deliver s) : causal (hist s).
  Proof.
    destruct (simulation s R) as (S & RS & Hh & _ & _). rewrite Hh. exact (CausalLWWFacts.causal_ok S RS).
  Qed.
  Lemma fast_progress (s : gstate Impl.t Impl.msg) : net s <> [] -> exists i, ready Impl.deliverable s i = true.
  Proof.
    intros H. exists 0. unfold ready. destruct (net s) as [|[[d p] m] l]; [contradiction|reflexivity].
  Qed.
  Lemma fast_quiescent (s : gstate Impl.t Impl.msg) (R : reachable Impl.init Impl.put Impl.get Impl.deliverable Impl.deliver s) : net s = [] -> forall r k, r < nreplicas ->
    latest_write (hist s) k (Impl.get k (locals s r)).
  Proof.
    intros E r k Hr. destruct (simulation s R) as (S & RS & Hh & Hl & Hn).
        rewrite E in Hn. assert (E' : net S = []) by (inversion Hn; reflexivity).
        rewrite Hh, (get_rel k _ _ (Hl r)). exact (CausalLWWFacts.quiescent_ok S RS E' r k Hr).
  Qed.
  Lemma fast_converge (s : gstate Impl.t Impl.msg) (R : reachable Impl.init Impl.put Impl.get Impl.deliverable Impl.deliver s) : net s = [] -> forall r1 r2 k, r1 < nreplicas -> r2 < nreplicas ->
    Impl.get k (locals s r1) = Impl.get k (locals s r2).
  Proof.
    intros E r1 r2 k H1 H2. destruct (simulation s R) as (S & RS & Hh & Hl & Hn).
        rewrite E in Hn. assert (E' : net S = []) by (inversion Hn; reflexivity).
        rewrite (get_rel k _ _ (Hl r1)), (get_rel k _ _ (Hl r2)).
        exact (CausalLWWFacts.get_converge S RS E' r1 r2 k H1 H2).
  Qed.
  Lemma writes_follow_reads_holds : forall s, reachable init put get deliverable deliver s -> writes_follow_reads (hist s).
  Proof.
    intros s R. exact (CausalLWWFacts.causal_wfr _ (fast_causal s R)).
  Qed.
  Lemma no_thin_air : forall s, reachable init put get deliverable deliver s -> justified (hist s).
  Proof.
    intros s R. exact (CausalLWWFacts.causal_justified _ (fast_causal s R)).
  Qed.
  Lemma progress : forall s, reachable init put get deliverable deliver s -> net s <> [] -> exists i, ready deliverable s i = true.
  Proof.
    intros s _. exact (fast_progress s).
  Qed.
  Lemma quiescent_reads : forall s r k, reachable init put get deliverable deliver s -> net s = [] -> r < nreplicas -> latest_write (hist s) k (get k (locals s r)).
  Proof.
    intros s r k R E. exact (fast_quiescent s R E r k).
  Qed.
End ImplProofs.
