From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List Lia.
Import ListNotations.

(** Two-list (banker's) queue: [front] oldest first, [back] newest first.
    The abstract contents are [front ++ rev back]. *)
Module TwoListQueue <: BQUEUE_SIG.
  Record queue := Q { front : list nat; back : list nat }.
  Definition t := queue.
  Definition empty : t := Q [] [].
  Definition size (q : t) : nat := length (front q) + length (back q).
  Definition contents (q : t) : list nat := front q ++ rev (back q).
  Definition push (x : nat) (q : t) : bool * t :=
    if size q <? capacity then (true, Q (front q) (x :: back q)) else (false, q).
  Definition pop (q : t) : option nat * t :=
    match front q with
    | x :: f => (Some x, Q f (back q))
    | [] => match rev (back q) with
            | [] => (None, Q [] [])
            | x :: f => (Some x, Q f [])
            end
    end.
End TwoListQueue.

Module TwoListQueueProofs <: BQUEUE_CORRECT TwoListQueue.
  Import TwoListQueue.
  Lemma contents_empty : contents empty = []. Proof. reflexivity. Qed.
  Lemma size_contents : forall q, size q = length (contents q).
  Proof. intros [f b]. unfold size, contents; simpl. rewrite app_length, rev_length. reflexivity. Qed.
  Lemma push_room : forall x q, size q < capacity ->
    fst (push x q) = true /\ contents (snd (push x q)) = contents q ++ [x].
  Proof. intros x [f b] H. unfold push. apply Nat.ltb_lt in H. rewrite H. simpl.
    split; [reflexivity|]. unfold contents; simpl. rewrite app_assoc. reflexivity. Qed.
  Lemma push_full : forall x q, capacity <= size q ->
    fst (push x q) = false /\ contents (snd (push x q)) = contents q.
  Proof. intros x q H. unfold push. destruct (size q <? capacity) eqn:E.
    - apply Nat.ltb_lt in E. lia.
    - auto. Qed.
  Lemma pop_cons : forall q x r, contents q = x :: r ->
    fst (pop q) = Some x /\ contents (snd (pop q)) = r.
  Proof. intros [[|y f] b] x r H; unfold contents, pop in *; simpl in *.
    - destruct (rev b) as [|z g]; [discriminate|]. injection H as -> ->. simpl.
      rewrite app_nil_r. auto.
    - injection H as -> <-. auto. Qed.
  Lemma pop_nil : forall q, contents q = [] ->
    fst (pop q) = None /\ contents (snd (pop q)) = [].
  Proof. intros [[|y f] b] H; unfold contents, pop in *; simpl in *; [|discriminate].
    rewrite H. auto. Qed.

  (** The bound, from the lemmas above only: each step preserves [size <= capacity]. *)
  Lemma step_bounded : forall o q, size q <= capacity ->
    size (match o with Push x => snd (push x q) | Pop => snd (pop q) end) <= capacity.
  Proof.
    intros [x|] q H.
    - destruct (Nat.lt_ge_cases (size q) capacity) as [L|L].
      + destruct (push_room x q L) as [_ C]. rewrite size_contents, C, app_length.
        rewrite size_contents in L. simpl. lia.
      + destruct (push_full x q L) as [_ C]. rewrite size_contents, C, <- size_contents. exact H.
    - destruct (contents q) as [|y r] eqn:E.
      + destruct (pop_nil q E) as [_ C]. rewrite size_contents, C. simpl. lia.
      + destruct (pop_cons q y r E) as [_ C]. rewrite size_contents, C.
        rewrite size_contents, E in H. simpl in H. lia.
  Qed.
  Lemma run_bounded : forall ops q, size q <= capacity -> size (run push pop ops q) <= capacity.
  Proof. induction ops as [|o r IH]; intros q H; [exact H|].
    apply (IH _ (step_bounded o q H)). Qed.
  Lemma size_bounded : forall ops, size (run push pop ops empty) <= capacity.
  Proof. intros ops. apply run_bounded. unfold size, capacity. simpl. lia. Qed.
End TwoListQueueProofs.
