(** A verified AVL map from 63-bit keys to 63-bit values: a solution of
    [examples/finite_map_int63].

    The tree is the one of OCaml's [Map] (height-balanced, rebalanced by [bal] with slack
    2), over primitive integers so that it extracts with [ExtrOCamlInt63] to native
    [int] comparisons. The implementation type pairs the raw tree with its search-tree
    invariant, [ok None None]; extraction erases the proof, so the OCaml type is the bare
    tree. Balance is never proved: it matters for speed, not for the contract. *)
From Spec Require Import spec.
Require Import Coq.Numbers.Cyclic.Int63.Uint63 Coq.ZArith.ZArith Coq.micromega.Lia.

Local Open Scope uint63_scope.

Module AvlRaw.

  Inductive tree : Type :=
  | Leaf : tree
  | Node : tree -> int -> int -> tree -> int -> tree.

  Definition height (m : tree) : int :=
    match m with Leaf => 0 | Node _ _ _ _ h => h end.

  Definition create (l : tree) (x d : int) (r : tree) : tree :=
    let hl := height l in
    let hr := height r in
    Node l x d r (if hl <? hr then hr + 1 else hl + 1).

  Definition bal (l : tree) (x d : int) (r : tree) : tree :=
    let hl := height l in
    let hr := height r in
    if hr + 2 <? hl then
      match l with
      | Leaf => create l x d r
      | Node ll lx ld lr _ =>
          if height lr <=? height ll then create ll lx ld (create lr x d r)
          else match lr with
               | Leaf => create l x d r
               | Node lrl lrx lrd lrr _ => create (create ll lx ld lrl) lrx lrd (create lrr x d r)
               end
      end
    else if hl + 2 <? hr then
      match r with
      | Leaf => create l x d r
      | Node rl rx rd rr _ =>
          if height rl <=? height rr then create (create l x d rl) rx rd rr
          else match rl with
               | Leaf => create l x d r
               | Node rll rlx rld rlr _ => create (create l x d rll) rlx rld (create rlr rx rd rr)
               end
      end
    else Node l x d r (if hl <? hr then hr + 1 else hl + 1).

  Fixpoint find (x : int) (m : tree) : option int :=
    match m with
    | Leaf => None
    | Node l y d r _ => if x <? y then find x l else if y <? x then find x r else Some d
    end.

  Fixpoint add (x d : int) (m : tree) : tree :=
    match m with
    | Leaf => Node Leaf x d Leaf 1
    | Node l y e r h =>
        if x <? y then bal (add x d l) y e r
        else if y <? x then bal l y e (add x d r)
        else Node l x d r h
    end.

  (** The leftmost binding and the tree without it, for a node [Node l x d r _]. *)
  Fixpoint remove_min (l : tree) (x d : int) (r : tree) {struct l} : tree * (int * int) :=
    match l with
    | Leaf => (r, (x, d))
    | Node ll lx ld lr _ =>
        let (l', m) := remove_min ll lx ld lr in (bal l' x d r, m)
    end.

  Definition merge (s1 s2 : tree) : tree :=
    match s1, s2 with
    | Leaf, _ => s2
    | _, Leaf => s1
    | _, Node l2 x2 d2 r2 _ =>
        let (s2', m) := remove_min l2 x2 d2 r2 in bal s1 (fst m) (snd m) s2'
    end.

  Fixpoint remove (x : int) (m : tree) : tree :=
    match m with
    | Leaf => Leaf
    | Node l y d r _ =>
        if x <? y then bal (remove x l) y d r
        else if y <? x then bal l y d (remove x r)
        else merge l r
    end.

  (** * The search-tree invariant, with optional open bounds. *)

  Definition above (lo : option int) (k : int) : Prop :=
    match lo with None => True | Some a => (to_Z a < to_Z k)%Z end.
  Definition below (hi : option int) (k : int) : Prop :=
    match hi with None => True | Some b => (to_Z k < to_Z b)%Z end.

  Fixpoint ok (lo hi : option int) (m : tree) : Prop :=
    match m with
    | Leaf => True
    | Node l x _ r _ => above lo x /\ below hi x /\ ok lo (Some x) l /\ ok (Some x) hi r
    end.

  Lemma ltb_case : forall a b,
      ((a <? b) = true /\ (to_Z a < to_Z b)%Z) \/ ((a <? b) = false /\ (to_Z b <= to_Z a)%Z).
  Proof.
    intros a b. destruct (a <? b) eqn:E.
    - left. split; [reflexivity | apply ltb_spec; exact E].
    - right. split; [reflexivity |].
      destruct (Z_lt_le_dec (to_Z a) (to_Z b)) as [H|H]; [|exact H].
      apply ltb_spec in H. congruence.
  Qed.

  (** Split every key comparison [ltb] in the goal into its two cases, as facts over Z. *)
  Ltac split_ltb :=
    repeat match goal with
           | |- context [?a <? ?b] =>
               let H := fresh "Hc" in
               destruct (ltb_case a b) as [[-> H] | [-> H]]
           end.

  Ltac bounds := repeat match goal with
                        | lo : option int |- _ => destruct lo
                        end; simpl in *.

  Lemma ok_weaken : forall m lo hi lo' hi',
      ok lo hi m ->
      (forall k, above lo k -> above lo' k) ->
      (forall k, below hi k -> below hi' k) ->
      ok lo' hi' m.
  Proof.
    induction m as [|l IHl x d r IHr h]; intros lo hi lo' hi' Hok Hlo Hhi; simpl in *; auto.
    destruct Hok as (Ha & Hb & Hl & Hr). repeat split; auto.
    - apply IHl with lo (Some x); auto.
    - apply IHr with (Some x) hi; auto.
  Qed.

  Lemma ok_create : forall lo hi l x d r,
      above lo x -> below hi x -> ok lo (Some x) l -> ok (Some x) hi r -> ok lo hi (create l x d r).
  Proof. intros. simpl. auto. Qed.

  Lemma ok_bal : forall lo hi l x d r,
      above lo x -> below hi x -> ok lo (Some x) l -> ok (Some x) hi r -> ok lo hi (bal l x d r).
  Proof.
    intros lo hi l x d r Ha Hb Hl Hr. unfold bal.
    destruct (_ <? _).
    - destruct l as [|ll lx ld lr lh]; [simpl; auto|].
      destruct (_ <=? _).
      + simpl in *. destruct Hl as (Hla & Hlb & Hll & Hlr). bounds; intuition lia.
      + destruct lr as [|lrl lrx lrd lrr lrh]; [simpl in *; intuition|].
        simpl in *. destruct Hl as (Hla & Hlb & Hll & Hlrl & Hlrb & Hlrll & Hlrr).
        bounds; intuition lia.
    - destruct (_ <? _).
      + destruct r as [|rl rx rd rr rh]; [simpl; auto|].
        destruct (_ <=? _).
        * simpl in *. destruct Hr as (Hra & Hrb & Hrl & Hrr). bounds; intuition lia.
        * destruct rl as [|rll rlx rld rlr rlh]; [simpl in *; intuition|].
          simpl in *. destruct Hr as (Hra & Hrb & (Hrla & Hrlb & Hrll & Hrlr) & Hrr).
          bounds; intuition lia.
      + simpl. auto.
  Qed.

  Lemma find_leaf : forall k, find k Leaf = None.
  Proof. reflexivity. Qed.

  Lemma find_node : forall k l x d r h,
      find k (Node l x d r h) = if k <? x then find k l else if x <? k then find k r else Some d.
  Proof. reflexivity. Qed.

  Lemma find_bal : forall lo hi k l x d r,
      ok lo (Some x) l -> ok (Some x) hi r ->
      find k (bal l x d r) = if k <? x then find k l else if x <? k then find k r else Some d.
  Proof.
    intros lo hi k l x d r Hl Hr. unfold bal.
    destruct (_ <? _).
    - destruct l as [|ll lx ld lr lh]; [reflexivity|].
      destruct (_ <=? _).
      + simpl in Hl. unfold create. rewrite !find_node.
        destruct Hl as (_ & Hlb & _). simpl in Hlb. split_ltb; (reflexivity || lia).
      + destruct lr as [|lrl lrx lrd lrr lrh]; [reflexivity|].
        simpl in Hl. unfold create. rewrite !find_node.
        destruct Hl as (_ & Hlb & _ & Hlra & Hlrb & _). simpl in Hlb, Hlra, Hlrb.
        split_ltb; (reflexivity || lia).
    - destruct (_ <? _).
      + destruct r as [|rl rx rd rr rh]; [reflexivity|].
        destruct (_ <=? _).
        * simpl in Hr. unfold create. rewrite !find_node.
          destruct Hr as (Hra & _). simpl in Hra. split_ltb; (reflexivity || lia).
        * destruct rl as [|rll rlx rld rlr rlh]; [reflexivity|].
          simpl in Hr. unfold create. rewrite !find_node.
          destruct Hr as (Hra & _ & (Hrla & Hrlb & _) & _). simpl in Hra, Hrla, Hrlb.
          split_ltb; (reflexivity || lia).
      + reflexivity.
  Qed.

  (** A key outside a tree's bounds is not in it. *)
  Lemma find_out : forall m lo hi k,
      ok lo hi m -> ~ (above lo k /\ below hi k) -> find k m = None.
  Proof.
    induction m as [|l IHl x d r IHr h]; intros lo hi k Hok Hout; [reflexivity|].
    simpl in Hok. destruct Hok as (Ha & Hb & Hl & Hr). rewrite find_node.
    split_ltb.
    - apply IHl with lo (Some x); auto. simpl. intros [H1 H2]. apply Hout. split; auto.
      destruct hi; simpl in *; auto; lia.
    - apply IHr with (Some x) hi; auto. simpl. intros [H1 H2]. apply Hout. split; auto.
      destruct lo; simpl in *; auto; lia.
    - exfalso. apply Hout. destruct lo, hi; simpl in *; split; auto; lia.
  Qed.

  Lemma ok_add : forall m lo hi k v,
      ok lo hi m -> above lo k -> below hi k -> ok lo hi (add k v m).
  Proof.
    induction m as [|l IHl x d r IHr h]; intros lo hi k v Hok Ha Hb; simpl; [auto|].
    simpl in Hok. destruct Hok as (Hxa & Hxb & Hl & Hr).
    destruct (ltb_case k x) as [[Ekx Hkx] | [Ekx Hkx]]; rewrite Ekx.
    - apply ok_bal; auto.
    - destruct (ltb_case x k) as [[Exk Hxk] | [Exk Hxk]]; rewrite Exk.
      { apply ok_bal; auto. }
      simpl. repeat split; auto.
      + apply ok_weaken with lo (Some x); auto. intros y; simpl; lia.
      + apply ok_weaken with (Some x) hi; auto. intros y; simpl; lia.
  Qed.

  Lemma find_add : forall m lo hi k v k',
      ok lo hi m -> above lo k -> below hi k ->
      find k' (add k v m) = if Z.eqb (to_Z k') (to_Z k) then Some v else find k' m.
  Proof.
    induction m as [|l IHl x d r IHr h]; intros lo hi k v k' Hok Ha Hb.
    - simpl. split_ltb; destruct (Z.eqb_spec (to_Z k') (to_Z k)); (reflexivity || lia).
    - simpl in Hok. destruct Hok as (Hxa & Hxb & Hl & Hr).
      simpl add. destruct (ltb_case k x) as [[Ekx Hkx] | [Ekx Hkx]]; rewrite Ekx.
      + rewrite (find_bal lo hi); [|apply ok_add; auto|auto].
        rewrite (IHl lo (Some x)); auto. rewrite find_node.
        split_ltb; destruct (Z.eqb_spec (to_Z k') (to_Z k)); (reflexivity || lia).
      + destruct (ltb_case x k) as [[Exk Hxk] | [Exk Hxk]]; rewrite Exk.
        * rewrite (find_bal lo hi); [|auto|apply ok_add; auto].
          rewrite (IHr (Some x) hi); auto. rewrite find_node.
          split_ltb; destruct (Z.eqb_spec (to_Z k') (to_Z k)); (reflexivity || lia).
        * rewrite !find_node.
          split_ltb; destruct (Z.eqb_spec (to_Z k') (to_Z k)); (reflexivity || lia).
  Qed.

  Lemma remove_min_spec : forall l lo hi x d r l' mk md,
      ok lo hi (Node l x d r 0) -> remove_min l x d r = (l', (mk, md)) ->
      ok (Some mk) hi l' /\ above lo mk /\ below hi mk /\
      forall k, find k (Node l x d r 0) = if Z.eqb (to_Z k) (to_Z mk) then Some md else find k l'.
  Proof.
    induction l as [|ll IHl lx ld lr _ lh]; intros lo hi x d r l' mk md Hok Hrm.
    - simpl in Hrm. injection Hrm as <- <- <-. simpl in Hok. destruct Hok as (Ha & Hb & _ & Hr).
      repeat split; auto. intros k. rewrite find_node. simpl find.
      split_ltb; destruct (Z.eqb_spec (to_Z k) (to_Z x)); try (reflexivity || lia).
      symmetry. apply find_out with (Some x) hi; auto. simpl. lia.
    - simpl in Hrm. destruct (remove_min ll lx ld lr) as [l1 [mk1 md1]] eqn:E.
      injection Hrm as <- <- <-.
      simpl in Hok. destruct Hok as (Ha & Hb & Hl & Hr).
      destruct (IHl lo (Some x) lx ld lr l1 mk1 md1) as (Hl1 & Hma & Hmb & Hf); auto.
      simpl in Hmb. repeat split; auto.
      + apply ok_bal; simpl; auto.
      + destruct hi; simpl in *; auto; lia.
      + intros k. rewrite find_node. rewrite (find_bal (Some mk1) hi); auto.
        assert (Hn : find k (Node ll lx ld lr lh) = find k (Node ll lx ld lr 0)) by reflexivity.
        rewrite Hn, Hf.
        split_ltb; destruct (Z.eqb_spec (to_Z k) (to_Z mk1)); (reflexivity || lia).
  Qed.

  Lemma merge_spec : forall lo hi x s1 s2,
      above lo x -> below hi x -> ok lo (Some x) s1 -> ok (Some x) hi s2 ->
      ok lo hi (merge s1 s2) /\
      forall k, find k (merge s1 s2) = if k <? x then find k s1 else if x <? k then find k s2 else None.
  Proof.
    intros lo hi x s1 s2 Ha Hb H1 H2.
    destruct s1 as [|l1 x1 d1 r1 h1].
    - split.
      + apply ok_weaken with (Some x) hi; auto. intros y; destruct lo; simpl in *; auto; lia.
      + intros k. simpl merge. split_ltb; rewrite ?find_leaf; try reflexivity;
          apply find_out with (Some x) hi; auto; simpl; lia.
    - destruct s2 as [|l2 x2 d2 r2 h2].
      + split.
        * apply ok_weaken with lo (Some x); auto. intros y; destruct hi; simpl in *; auto; lia.
        * intros k. unfold merge. split_ltb; rewrite ?find_leaf; try reflexivity;
          apply find_out with lo (Some x); auto; simpl; lia.
      + unfold merge. destruct (remove_min l2 x2 d2 r2) as [s2' [mk md]] eqn:E. simpl fst; simpl snd.
        assert (H2' : ok (Some x) hi (Node l2 x2 d2 r2 0)) by (simpl in H2 |- *; exact H2).
        destruct (remove_min_spec l2 (Some x) hi x2 d2 r2 s2' mk md H2' E) as (Hs & Hma & Hmb & Hf).
        simpl in Hma. split.
        * apply ok_bal; auto.
          -- destruct lo; simpl in *; auto; lia.
          -- apply ok_weaken with lo (Some x); auto. intros y; simpl; lia.
        * intros k. rewrite (find_bal lo hi).
          -- assert (Hn : find k (Node l2 x2 d2 r2 h2) = find k (Node l2 x2 d2 r2 0)) by reflexivity.
             rewrite Hn, Hf.
             destruct (ltb_case k mk) as [[E1 C1] | [E1 C1]]; rewrite E1;
             destruct (ltb_case mk k) as [[E2 C2] | [E2 C2]]; rewrite ?E2;
             destruct (ltb_case k x) as [[E3 C3] | [E3 C3]]; rewrite ?E3;
             destruct (ltb_case x k) as [[E4 C4] | [E4 C4]]; rewrite ?E4;
             destruct (Z.eqb_spec (to_Z k) (to_Z mk)); try (reflexivity || lia).
             all: try (symmetry; apply find_out with (Some mk) hi; auto; simpl; lia).
             all: try (apply find_out with lo (Some x); auto; simpl; lia).
             all: try (symmetry; apply find_out with lo (Some x); auto; simpl; lia).
             all: rewrite (find_out s2' (Some mk) hi k), (find_out (Node l1 x1 d1 r1 h1) lo (Some x) k);
               auto; simpl; lia.
          -- apply ok_weaken with lo (Some x); auto. intros y; simpl; lia.
          -- exact Hs.
  Qed.

  Lemma remove_spec : forall m lo hi k,
      ok lo hi m ->
      ok lo hi (remove k m) /\
      forall k', find k' (remove k m) = if Z.eqb (to_Z k') (to_Z k) then None else find k' m.
  Proof.
    induction m as [|l IHl x d r IHr h]; intros lo hi k Hok.
    - split; [exact I|]. intros k'. simpl. destruct (Z.eqb _ _); reflexivity.
    - simpl in Hok. destruct Hok as (Ha & Hb & Hl & Hr).
      simpl remove. destruct (ltb_case k x) as [[Ekx Hkx] | [Ekx Hkx]]; rewrite Ekx.
      + destruct (IHl lo (Some x) k Hl) as (Hok' & Hf). split.
        * apply ok_bal; auto.
        * intros k'. rewrite (find_bal lo hi); auto. rewrite Hf, find_node.
          split_ltb; destruct (Z.eqb_spec (to_Z k') (to_Z k)); (reflexivity || lia).
      + destruct (ltb_case x k) as [[Exk Hxk] | [Exk Hxk]]; rewrite Exk.
        * destruct (IHr (Some x) hi k Hr) as (Hok' & Hf). split.
          -- apply ok_bal; auto.
          -- intros k'. rewrite (find_bal lo hi); auto. rewrite Hf, find_node.
             split_ltb; destruct (Z.eqb_spec (to_Z k') (to_Z k)); (reflexivity || lia).
        * destruct (merge_spec lo hi x l r Ha Hb Hl Hr) as (Hok' & Hf). split; auto.
          intros k'. rewrite Hf, find_node.
          split_ltb; destruct (Z.eqb_spec (to_Z k') (to_Z k)); (reflexivity || lia).
  Qed.

  Lemma ok_remove : forall m k, ok None None m -> ok None None (remove k m).
  Proof. intros m k H. apply (remove_spec m None None k H). Qed.

  Lemma ok_add_top : forall m k v, ok None None m -> ok None None (add k v m).
  Proof. intros m k v H. apply ok_add; simpl; auto. Qed.

End AvlRaw.

Module AvlMap <: FMAP63_SIG.
  Definition t : Type := { m : AvlRaw.tree | AvlRaw.ok None None m }.
  Definition empty : t := exist _ AvlRaw.Leaf I.
  Definition get (k : int) (m : t) : option int := AvlRaw.find k (proj1_sig m).
  Definition put (k v : int) (m : t) : t :=
    exist _ (AvlRaw.add k v (proj1_sig m)) (AvlRaw.ok_add_top (proj1_sig m) k v (proj2_sig m)).
  Definition remove (k : int) (m : t) : t :=
    exist _ (AvlRaw.remove k (proj1_sig m)) (AvlRaw.ok_remove (proj1_sig m) k (proj2_sig m)).
End AvlMap.

Module AvlMapProofs <: FMAP63_CORRECT AvlMap.
  Import AvlMap.

  Lemma to_Z_neq : forall a b : int, a <> b -> Z.eqb (to_Z b) (to_Z a) = false.
  Proof.
    intros a b H. apply Z.eqb_neq. intros E. apply H. symmetry. apply to_Z_inj. exact E.
  Qed.

  Lemma get_empty : forall k, get k empty = None.
  Proof. reflexivity. Qed.

  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof.
    intros k v [m Hm]. unfold get, put; simpl.
    rewrite (AvlRaw.find_add m None None); simpl; auto. rewrite Z.eqb_refl. reflexivity.
  Qed.

  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof.
    intros k k' v [m Hm] H. unfold get, put; simpl.
    rewrite (AvlRaw.find_add m None None); simpl; auto. rewrite to_Z_neq; auto.
  Qed.

  Lemma get_remove_same : forall k m, get k (remove k m) = None.
  Proof.
    intros k [m Hm]. unfold get, remove; simpl.
    destruct (AvlRaw.remove_spec m None None k Hm) as (_ & Hf). rewrite Hf, Z.eqb_refl. reflexivity.
  Qed.

  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
  Proof.
    intros k k' [m Hm] H. unfold get, remove; simpl.
    destruct (AvlRaw.remove_spec m None None k Hm) as (_ & Hf). rewrite Hf, to_Z_neq; auto.
  Qed.
End AvlMapProofs.
