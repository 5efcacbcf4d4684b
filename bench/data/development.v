(* ------------------------------------------------------------------ *)
(* development.v                                                       *)
(*                                                                     *)
(* A fixed, realistic Rocq/Coq development used as input data for a    *)
(* benchmark of incremental re-checking.  It contains ordinary lemmas  *)
(* about natural numbers, lists, an insertion sort, association-list   *)
(* lookup and a small binary tree.  Only the standard library is used. *)
(* The last lemma of the file is the one the benchmark edits.          *)
(* ------------------------------------------------------------------ *)

Require Import List Arith Lia.
Import ListNotations.

(* ================================================================== *)
(* Section 1: natural-number arithmetic                               *)
(* ================================================================== *)

Fixpoint sum_to (n : nat) : nat :=
  match n with
  | 0 => 0
  | S m => S m + sum_to m
  end.

Lemma sum_to_closed : forall n, 2 * sum_to n = n * (n + 1).
Proof.
  induction n as [| n IH].
  - simpl. reflexivity.
  - change (sum_to (S n)) with (S n + sum_to n).
    rewrite (Nat.mul_add_distr_l 2 (S n) (sum_to n)).
    rewrite IH.
    nia.
Qed.

Lemma sum_to_mono : forall n m, n <= m -> sum_to n <= sum_to m.
Proof.
  intros n m H.
  induction H as [| m H IH].
  - reflexivity.
  - simpl. lia.
Qed.

Fixpoint double (n : nat) : nat :=
  match n with
  | 0 => 0
  | S m => S (S (double m))
  end.

Lemma double_plus : forall n, double n = n + n.
Proof.
  induction n as [| n IH].
  - reflexivity.
  - simpl. rewrite IH. lia.
Qed.

Lemma double_mul2 : forall n, double n = 2 * n.
Proof.
  intros n.
  rewrite double_plus.
  lia.
Qed.

Lemma double_inj : forall n m, double n = double m -> n = m.
Proof.
  intros n m H.
  rewrite !double_plus in H.
  lia.
Qed.

Fixpoint evenb (n : nat) : bool :=
  match n with
  | 0 => true
  | 1 => false
  | S (S m) => evenb m
  end.

Lemma evenb_double : forall n, evenb (double n) = true.
Proof.
  induction n as [| n IH].
  - reflexivity.
  - simpl. exact IH.
Qed.

Lemma evenb_S : forall n, evenb (S n) = negb (evenb n).
Proof.
  induction n as [| n IH].
  - reflexivity.
  - rewrite IH. simpl.
    destruct (evenb n); reflexivity.
Qed.

Lemma evenb_add : forall n m,
  evenb (n + m) = Bool.eqb (evenb n) (evenb m).
Proof.
  induction n as [| n IH]; intros m.
  - simpl. destruct (evenb m); reflexivity.
  - simpl plus.
    rewrite !evenb_S.
    rewrite IH.
    destruct (evenb n), (evenb m); reflexivity.
Qed.

Fixpoint pow2 (n : nat) : nat :=
  match n with
  | 0 => 1
  | S m => 2 * pow2 m
  end.

Lemma pow2_pos : forall n, 0 < pow2 n.
Proof.
  induction n as [| n IH].
  - simpl. lia.
  - simpl. lia.
Qed.

Lemma pow2_add : forall n m, pow2 (n + m) = pow2 n * pow2 m.
Proof.
  induction n as [| n IH]; intros m.
  - simpl. lia.
  - simpl. rewrite IH. lia.
Qed.

Lemma pow2_ge_S : forall n, n < pow2 n.
Proof.
  induction n as [| n IH].
  - simpl. lia.
  - simpl. pose proof (pow2_pos n). lia.
Qed.

Definition max3 (a b c : nat) : nat := Nat.max a (Nat.max b c).

Lemma max3_ge_l : forall a b c, a <= max3 a b c.
Proof.
  intros a b c.
  unfold max3.
  lia.
Qed.

Lemma max3_comm : forall a b c, max3 a b c = max3 c b a.
Proof.
  intros a b c.
  unfold max3.
  lia.
Qed.

(* ================================================================== *)
(* Section 2: generic list lemmas                                     *)
(* ================================================================== *)

Section ListLemmas.

Variable A B : Type.

Fixpoint my_length (l : list A) : nat :=
  match l with
  | [] => 0
  | _ :: t => S (my_length t)
  end.

Lemma my_length_correct : forall l, my_length l = length l.
Proof.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Lemma my_length_app : forall l1 l2,
  my_length (l1 ++ l2) = my_length l1 + my_length l2.
Proof.
  intros l1 l2.
  induction l1 as [| x t IH].
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Fixpoint my_rev (l : list A) : list A :=
  match l with
  | [] => []
  | x :: t => my_rev t ++ [x]
  end.

Lemma my_rev_app : forall l1 l2,
  my_rev (l1 ++ l2) = my_rev l2 ++ my_rev l1.
Proof.
  induction l1 as [| x t IH]; intros l2.
  - simpl. rewrite app_nil_r. reflexivity.
  - simpl. rewrite IH. rewrite app_assoc. reflexivity.
Qed.

Lemma my_rev_involutive : forall l, my_rev (my_rev l) = l.
Proof.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite my_rev_app. simpl. rewrite IH. reflexivity.
Qed.

Lemma my_rev_length : forall l, length (my_rev l) = length l.
Proof.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite app_length. simpl. rewrite IH. lia.
Qed.

Lemma my_rev_correct : forall l, my_rev l = rev l.
Proof.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Fixpoint rev_acc (l acc : list A) : list A :=
  match l with
  | [] => acc
  | x :: t => rev_acc t (x :: acc)
  end.

Lemma rev_acc_spec : forall l acc, rev_acc l acc = my_rev l ++ acc.
Proof.
  induction l as [| x t IH]; intros acc.
  - reflexivity.
  - simpl. rewrite IH. rewrite <- app_assoc. reflexivity.
Qed.

Lemma rev_acc_nil : forall l, rev_acc l [] = my_rev l.
Proof.
  intros l.
  rewrite rev_acc_spec.
  apply app_nil_r.
Qed.

Lemma map_app_local : forall (f : A -> B) l1 l2,
  map f (l1 ++ l2) = map f l1 ++ map f l2.
Proof.
  intros f l1 l2.
  induction l1 as [| x t IH].
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Lemma map_my_rev : forall (f : A -> B) l,
  map f (my_rev l) = rev (map f l).
Proof.
  intros f l.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite map_app_local. rewrite IH. reflexivity.
Qed.

Lemma map_length_local : forall (f : A -> B) l,
  length (map f l) = length l.
Proof.
  intros f l.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Lemma filter_length_le : forall (p : A -> bool) l,
  length (filter p l) <= length l.
Proof.
  intros p l.
  induction l as [| x t IH].
  - simpl. lia.
  - simpl. destruct (p x).
    + simpl. lia.
    + lia.
Qed.

Lemma filter_app_local : forall (p : A -> bool) l1 l2,
  filter p (l1 ++ l2) = filter p l1 ++ filter p l2.
Proof.
  intros p l1 l2.
  induction l1 as [| x t IH].
  - reflexivity.
  - simpl. destruct (p x).
    + simpl. rewrite IH. reflexivity.
    + exact IH.
Qed.

Lemma filter_all_true : forall (p : A -> bool) l,
  (forall x, In x l -> p x = true) -> filter p l = l.
Proof.
  intros p l H.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite (H x (or_introl eq_refl)).
    f_equal.
    apply IH.
    intros y Hy.
    apply H. right. exact Hy.
Qed.

Lemma filter_idem : forall (p : A -> bool) l,
  filter p (filter p l) = filter p l.
Proof.
  intros p l.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. destruct (p x) eqn:Hp.
    + simpl. rewrite Hp. rewrite IH. reflexivity.
    + exact IH.
Qed.

Lemma fold_left_app_local : forall (f : B -> A -> B) l1 l2 b,
  fold_left f (l1 ++ l2) b = fold_left f l2 (fold_left f l1 b).
Proof.
  intros f l1.
  induction l1 as [| x t IH]; intros l2 b.
  - reflexivity.
  - simpl. apply IH.
Qed.

Lemma fold_right_app_local : forall (f : A -> B -> B) l1 l2 b,
  fold_right f b (l1 ++ l2) = fold_right f (fold_right f b l2) l1.
Proof.
  intros f l1.
  induction l1 as [| x t IH]; intros l2 b.
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Lemma in_app_local : forall (x : A) l1 l2,
  In x (l1 ++ l2) <-> In x l1 \/ In x l2.
Proof.
  intros x l1 l2.
  induction l1 as [| y t IH].
  - simpl. tauto.
  - simpl. rewrite IH. tauto.
Qed.

Lemma in_my_rev : forall (x : A) l, In x l -> In x (my_rev l).
Proof.
  intros x l.
  induction l as [| y t IH]; intros H.
  - contradiction.
  - simpl. apply in_app_local.
    destruct H as [H | H].
    + right. subst. left. reflexivity.
    + left. apply IH. exact H.
Qed.

End ListLemmas.

Arguments my_rev {A} l.
Arguments my_length {A} l.
Arguments rev_acc {A} l acc.

(* ================================================================== *)
(* Section 3: sums over lists of naturals                             *)
(* ================================================================== *)

Definition sum_list (l : list nat) : nat := fold_right plus 0 l.

Lemma sum_list_app : forall l1 l2,
  sum_list (l1 ++ l2) = sum_list l1 + sum_list l2.
Proof.
  intros l1 l2.
  induction l1 as [| x t IH].
  - reflexivity.
  - unfold sum_list in *. simpl. rewrite IH. lia.
Qed.

Lemma sum_list_rev : forall l, sum_list (rev l) = sum_list l.
Proof.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite sum_list_app. rewrite IH.
    unfold sum_list. simpl. lia.
Qed.

Lemma sum_list_map_double : forall l,
  sum_list (map double l) = 2 * sum_list l.
Proof.
  induction l as [| x t IH].
  - reflexivity.
  - unfold sum_list in *. simpl.
    rewrite IH. rewrite double_plus. lia.
Qed.

Lemma sum_list_le_in : forall x l, In x l -> x <= sum_list l.
Proof.
  intros x l.
  induction l as [| y t IH]; intros H.
  - contradiction.
  - unfold sum_list in *. simpl.
    destruct H as [H | H].
    + subst. lia.
    + specialize (IH H). lia.
Qed.

Definition sum_acc (l : list nat) : nat := fold_left plus l 0.

Lemma fold_left_plus_shift : forall l a,
  fold_left plus l a = a + sum_list l.
Proof.
  induction l as [| x t IH]; intros a.
  - simpl. lia.
  - simpl. rewrite IH. unfold sum_list. simpl. lia.
Qed.

Lemma sum_acc_correct : forall l, sum_acc l = sum_list l.
Proof.
  intros l.
  unfold sum_acc.
  rewrite fold_left_plus_shift.
  reflexivity.
Qed.

Fixpoint seq_from (start n : nat) : list nat :=
  match n with
  | 0 => []
  | S m => start :: seq_from (S start) m
  end.

Lemma seq_from_length : forall n s, length (seq_from s n) = n.
Proof.
  induction n as [| n IH]; intros s.
  - reflexivity.
  - simpl. rewrite IH. reflexivity.
Qed.

Lemma seq_from_in : forall n s x, In x (seq_from s n) -> s <= x < s + n.
Proof.
  induction n as [| n IH]; intros s x H.
  - contradiction.
  - simpl in H.
    destruct H as [H | H].
    + lia.
    + apply IH in H. lia.
Qed.

(* ================================================================== *)
(* Section 4: insertion sort                                          *)
(* ================================================================== *)

Fixpoint insert (x : nat) (l : list nat) : list nat :=
  match l with
  | [] => [x]
  | y :: t => if x <=? y then x :: y :: t else y :: insert x t
  end.

Fixpoint isort (l : list nat) : list nat :=
  match l with
  | [] => []
  | x :: t => insert x (isort t)
  end.

Inductive sorted : list nat -> Prop :=
  | sorted_nil : sorted []
  | sorted_one : forall x, sorted [x]
  | sorted_cons : forall x y t,
      x <= y -> sorted (y :: t) -> sorted (x :: y :: t).

Lemma sorted_tail : forall x t, sorted (x :: t) -> sorted t.
Proof.
  intros x t H.
  inversion H; subst.
  - constructor.
  - assumption.
Qed.

Lemma insert_length : forall x l, length (insert x l) = S (length l).
Proof.
  intros x l.
  induction l as [| y t IH].
  - reflexivity.
  - simpl. destruct (x <=? y).
    + reflexivity.
    + simpl. rewrite IH. reflexivity.
Qed.

Lemma isort_length : forall l, length (isort l) = length l.
Proof.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite insert_length. rewrite IH. reflexivity.
Qed.

Lemma insert_sorted : forall x l, sorted l -> sorted (insert x l).
Proof.
  intros x l H.
  induction H as [| y | y z t Hyz Hs IH].
  - simpl. constructor.
  - simpl. destruct (x <=? y) eqn:E.
    + apply Nat.leb_le in E. constructor; [assumption | constructor].
    + apply Nat.leb_gt in E. constructor; [lia | constructor].
  - simpl. destruct (x <=? y) eqn:E.
    + apply Nat.leb_le in E. constructor; [assumption |].
      constructor; assumption.
    + apply Nat.leb_gt in E.
      simpl in IH. destruct (x <=? z) eqn:E2.
      * apply Nat.leb_le in E2. constructor; [lia | exact IH].
      * constructor; [assumption | exact IH].
Qed.

Theorem isort_sorted : forall l, sorted (isort l).
Proof.
  induction l as [| x t IH].
  - simpl. constructor.
  - simpl. apply insert_sorted. exact IH.
Qed.

Fixpoint count (n : nat) (l : list nat) : nat :=
  match l with
  | [] => 0
  | x :: t => (if n =? x then 1 else 0) + count n t
  end.

Lemma count_app : forall n l1 l2,
  count n (l1 ++ l2) = count n l1 + count n l2.
Proof.
  intros n l1 l2.
  induction l1 as [| x t IH].
  - reflexivity.
  - simpl. rewrite IH. lia.
Qed.

Lemma insert_count : forall n x l,
  count n (insert x l) = count n (x :: l).
Proof.
  intros n x l.
  induction l as [| y t IH].
  - reflexivity.
  - simpl. destruct (x <=? y).
    + reflexivity.
    + simpl. rewrite IH. simpl. lia.
Qed.

Theorem isort_count : forall n l, count n (isort l) = count n l.
Proof.
  intros n l.
  induction l as [| x t IH].
  - reflexivity.
  - simpl. rewrite insert_count. simpl. rewrite IH. reflexivity.
Qed.

Definition permutation_count (l1 l2 : list nat) : Prop :=
  forall n, count n l1 = count n l2.

Lemma permutation_count_refl : forall l, permutation_count l l.
Proof.
  intros l n.
  reflexivity.
Qed.

Lemma permutation_count_sym : forall l1 l2,
  permutation_count l1 l2 -> permutation_count l2 l1.
Proof.
  intros l1 l2 H n.
  symmetry.
  apply H.
Qed.

Lemma permutation_count_trans : forall l1 l2 l3,
  permutation_count l1 l2 -> permutation_count l2 l3 ->
  permutation_count l1 l3.
Proof.
  intros l1 l2 l3 H12 H23 n.
  rewrite H12.
  apply H23.
Qed.

Theorem isort_permutation : forall l, permutation_count (isort l) l.
Proof.
  intros l n.
  apply isort_count.
Qed.

Lemma count_in : forall n l, 0 < count n l -> In n l.
Proof.
  intros n l.
  induction l as [| x t IH]; intros H.
  - simpl in H. lia.
  - simpl in H. destruct (n =? x) eqn:E.
    + apply Nat.eqb_eq in E. subst. left. reflexivity.
    + right. apply IH. simpl in H. exact H.
Qed.

Lemma in_count : forall n l, In n l -> 0 < count n l.
Proof.
  intros n l.
  induction l as [| x t IH]; intros H.
  - contradiction.
  - simpl. destruct H as [H | H].
    + subst. rewrite Nat.eqb_refl. lia.
    + specialize (IH H). lia.
Qed.

Lemma isort_in : forall x l, In x (isort l) <-> In x l.
Proof.
  intros x l.
  split; intros H.
  - apply count_in. rewrite <- (isort_count x l).
    apply in_count. exact H.
  - apply count_in. rewrite isort_count.
    apply in_count. exact H.
Qed.

Lemma sorted_head_le : forall x y t, sorted (x :: t) -> In y t -> x <= y.
Proof.
  intros x y t H.
  revert x H.
  induction t as [| z t IH]; intros x H Hin.
  - contradiction.
  - inversion H; subst.
    destruct Hin as [Hin | Hin].
    + subst. assumption.
    + specialize (IH z H4 Hin). lia.
Qed.

Lemma isort_sorted_id : forall l, sorted l -> isort l = l.
Proof.
  intros l H.
  induction H as [| x | x y t Hxy Hs IH].
  - reflexivity.
  - reflexivity.
  - simpl. simpl in IH. rewrite IH. simpl.
    destruct (x <=? y) eqn:E.
    + reflexivity.
    + apply Nat.leb_gt in E. lia.
Qed.

Lemma isort_idempotent : forall l, isort (isort l) = isort l.
Proof.
  intros l.
  apply isort_sorted_id.
  apply isort_sorted.
Qed.

(* ================================================================== *)
(* Section 5: association lists                                       *)
(* ================================================================== *)

Definition alist (V : Type) := list (nat * V).

Fixpoint lookup {V : Type} (k : nat) (m : alist V) : option V :=
  match m with
  | [] => None
  | (k', v) :: t => if k =? k' then Some v else lookup k t
  end.

Definition update {V : Type} (k : nat) (v : V) (m : alist V) : alist V :=
  (k, v) :: m.

Fixpoint remove_key {V : Type} (k : nat) (m : alist V) : alist V :=
  match m with
  | [] => []
  | (k', v) :: t => if k =? k' then remove_key k t else (k', v) :: remove_key k t
  end.

Definition keys {V : Type} (m : alist V) : list nat := map fst m.

Lemma lookup_update_eq : forall V k (v : V) m,
  lookup k (update k v m) = Some v.
Proof.
  intros V k v m.
  unfold update. simpl.
  rewrite Nat.eqb_refl.
  reflexivity.
Qed.

Lemma lookup_update_neq : forall V k k' (v : V) m,
  k <> k' -> lookup k (update k' v m) = lookup k m.
Proof.
  intros V k k' v m H.
  unfold update. simpl.
  destruct (k =? k') eqn:E.
  - apply Nat.eqb_eq in E. contradiction.
  - reflexivity.
Qed.

Lemma lookup_remove_eq : forall V k (m : alist V),
  lookup k (remove_key k m) = None.
Proof.
  intros V k m.
  induction m as [| [k' v] t IH].
  - reflexivity.
  - simpl. destruct (k =? k') eqn:E.
    + exact IH.
    + simpl. rewrite E. exact IH.
Qed.

Lemma lookup_remove_neq : forall V k k' (m : alist V),
  k <> k' -> lookup k (remove_key k' m) = lookup k m.
Proof.
  intros V k k' m H.
  induction m as [| [j v] t IH].
  - reflexivity.
  - simpl. destruct (k' =? j) eqn:E1.
    + apply Nat.eqb_eq in E1. subst j.
      destruct (k =? k') eqn:E2.
      * apply Nat.eqb_eq in E2. contradiction.
      * exact IH.
    + simpl. destruct (k =? j); [reflexivity | exact IH].
Qed.

Lemma lookup_in_keys : forall V k (v : V) m,
  lookup k m = Some v -> In k (keys m).
Proof.
  intros V k v m.
  induction m as [| [k' v'] t IH]; intros H.
  - discriminate.
  - simpl in H. unfold keys. simpl.
    destruct (k =? k') eqn:E.
    + apply Nat.eqb_eq in E. left. symmetry. exact E.
    + right. apply IH. exact H.
Qed.

Lemma keys_update : forall V k (v : V) m,
  keys (update k v m) = k :: keys m.
Proof.
  intros V k v m.
  unfold keys, update.
  simpl.
  reflexivity.
Qed.

Lemma not_in_keys_lookup : forall V k (m : alist V),
  ~ In k (keys m) -> lookup k m = None.
Proof.
  intros V k m.
  induction m as [| [k' v] t IH]; intros H.
  - reflexivity.
  - simpl. unfold keys in H. simpl in H.
    destruct (k =? k') eqn:E.
    + apply Nat.eqb_eq in E. exfalso. apply H. left. symmetry. exact E.
    + apply IH. intros Hin. apply H. right. exact Hin.
Qed.

Lemma lookup_app : forall V k (m1 m2 : alist V),
  lookup k (m1 ++ m2) =
  match lookup k m1 with
  | Some v => Some v
  | None => lookup k m2
  end.
Proof.
  intros V k m1 m2.
  induction m1 as [| [k' v] t IH].
  - reflexivity.
  - simpl. destruct (k =? k').
    + reflexivity.
    + exact IH.
Qed.

Definition map_values {V W : Type} (f : V -> W) (m : alist V) : alist W :=
  map (fun p => (fst p, f (snd p))) m.

Lemma lookup_map_values : forall V W (f : V -> W) k m,
  lookup k (map_values f m) = option_map f (lookup k m).
Proof.
  intros V W f k m.
  induction m as [| [k' v] t IH].
  - reflexivity.
  - simpl. destruct (k =? k').
    + reflexivity.
    + exact IH.
Qed.

Lemma keys_map_values : forall V W (f : V -> W) m,
  keys (map_values f m) = keys m.
Proof.
  intros V W f m.
  induction m as [| [k v] t IH].
  - reflexivity.
  - unfold keys, map_values in *. simpl. rewrite IH. reflexivity.
Qed.

Definition find_default {V : Type} (d : V) (k : nat) (m : alist V) : V :=
  match lookup k m with
  | Some v => v
  | None => d
  end.

Lemma find_default_update : forall V (d v : V) k m,
  find_default d k (update k v m) = v.
Proof.
  intros V d v k m.
  unfold find_default.
  rewrite lookup_update_eq.
  reflexivity.
Qed.

(* ================================================================== *)
(* Section 6: binary trees                                            *)
(* ================================================================== *)

Inductive tree : Type :=
  | Leaf : tree
  | Node : tree -> nat -> tree -> tree.

Fixpoint size (t : tree) : nat :=
  match t with
  | Leaf => 0
  | Node l _ r => S (size l + size r)
  end.

Fixpoint height (t : tree) : nat :=
  match t with
  | Leaf => 0
  | Node l _ r => S (Nat.max (height l) (height r))
  end.

Fixpoint mirror (t : tree) : tree :=
  match t with
  | Leaf => Leaf
  | Node l x r => Node (mirror r) x (mirror l)
  end.

Fixpoint flatten (t : tree) : list nat :=
  match t with
  | Leaf => []
  | Node l x r => flatten l ++ [x] ++ flatten r
  end.

Fixpoint tsum (t : tree) : nat :=
  match t with
  | Leaf => 0
  | Node l x r => tsum l + x + tsum r
  end.

Fixpoint tmap (f : nat -> nat) (t : tree) : tree :=
  match t with
  | Leaf => Leaf
  | Node l x r => Node (tmap f l) (f x) (tmap f r)
  end.

Lemma mirror_involutive : forall t, mirror (mirror t) = t.
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr. reflexivity.
Qed.

Lemma mirror_size : forall t, size (mirror t) = size t.
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr. lia.
Qed.

Lemma mirror_height : forall t, height (mirror t) = height t.
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr. lia.
Qed.

Lemma flatten_length : forall t, length (flatten t) = size t.
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite app_length. simpl.
    rewrite IHl, IHr. lia.
Qed.

Lemma flatten_mirror : forall t, flatten (mirror t) = rev (flatten t).
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr.
    rewrite rev_app_distr. simpl.
    rewrite <- app_assoc. reflexivity.
Qed.

Lemma size_le_pow : forall t, size t < pow2 (height t).
Proof.
  induction t as [| l IHl x r IHr].
  - simpl. lia.
  - simpl.
    assert (Hl : pow2 (height l) <= pow2 (Nat.max (height l) (height r))).
    { destruct (Nat.max_spec (height l) (height r)) as [[H1 H2] | [H1 H2]];
        rewrite H2.
      - assert (Hle : height l <= height r) by lia.
        replace (height r) with (height l + (height r - height l)) by lia.
        rewrite pow2_add. pose proof (pow2_pos (height r - height l)). nia.
      - lia. }
    assert (Hr : pow2 (height r) <= pow2 (Nat.max (height l) (height r))).
    { destruct (Nat.max_spec (height l) (height r)) as [[H1 H2] | [H1 H2]];
        rewrite H2.
      - lia.
      - replace (height l) with (height r + (height l - height r)) by lia.
        rewrite pow2_add. pose proof (pow2_pos (height l - height r)). nia. }
    lia.
Qed.

Lemma tsum_flatten : forall t, tsum t = sum_list (flatten t).
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite sum_list_app.
    rewrite IHl, IHr. unfold sum_list. simpl. lia.
Qed.

Lemma tsum_mirror : forall t, tsum (mirror t) = tsum t.
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr. lia.
Qed.

Lemma tmap_size : forall f t, size (tmap f t) = size t.
Proof.
  intros f t.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr. reflexivity.
Qed.

Lemma tmap_mirror : forall f t, tmap f (mirror t) = mirror (tmap f t).
Proof.
  intros f t.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr. reflexivity.
Qed.

Lemma flatten_tmap : forall f t, flatten (tmap f t) = map f (flatten t).
Proof.
  intros f t.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite map_app. simpl.
    rewrite IHl, IHr. reflexivity.
Qed.

Fixpoint tmember (x : nat) (t : tree) : bool :=
  match t with
  | Leaf => false
  | Node l y r => (x =? y) || tmember x l || tmember x r
  end.

Lemma tmember_flatten : forall x t, tmember x t = true <-> In x (flatten t).
Proof.
  intros x t.
  induction t as [| l IHl y r IHr].
  - simpl. split; [discriminate | contradiction].
  - simpl. rewrite in_app_iff. simpl.
    rewrite !Bool.orb_true_iff. rewrite Nat.eqb_eq.
    rewrite IHl, IHr.
    split.
    + intros [[H | H] | H]; auto.
    + intros [H | [H | H]]; auto.
Qed.

Lemma tmember_mirror : forall x t, tmember x (mirror t) = tmember x t.
Proof.
  intros x t.
  induction t as [| l IHl y r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr.
    destruct (x =? y), (tmember x l), (tmember x r); reflexivity.
Qed.

Fixpoint leaves (t : tree) : nat :=
  match t with
  | Leaf => 1
  | Node l _ r => leaves l + leaves r
  end.

Lemma leaves_size : forall t, leaves t = S (size t).
Proof.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite IHl, IHr. lia.
Qed.

Lemma leaves_mirror : forall t, leaves (mirror t) = leaves t.
Proof.
  intros t.
  rewrite !leaves_size.
  rewrite mirror_size.
  reflexivity.
Qed.

(* ================================================================== *)
(* Section 7: final lemma (edited by the benchmark)                   *)
(* ================================================================== *)

Lemma flatten_mirror_length : forall t,
  length (flatten (mirror t)) = size t.
Proof.
  intros t.
  induction t as [| l IHl x r IHr].
  - reflexivity.
  - simpl. rewrite app_length. simpl.
    rewrite IHl, IHr.
    lia.
Qed.
