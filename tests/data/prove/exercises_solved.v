(* Programming exercises: reference implementations and their specifications.

   The statements of tests/data/prove/exercises.v with proofs; the helper lemmas marked
   (* helper *) exist only in this file. A test compiles it to show every exercise is
   true, and compares its statements with those of exercises.v. *)

From Coq Require Import Arith List Lia Bool.
Import ListNotations.

(* ---------- Sums, lengths, accumulators ---------- *)

Fixpoint sum (l : list nat) : nat :=
  match l with
  | [] => 0
  | x :: t => x + sum t
  end.

Fixpoint sum_acc (l : list nat) (acc : nat) : nat :=
  match l with
  | [] => acc
  | x :: t => sum_acc t (acc + x)
  end.

Definition sum_tr (l : list nat) : nat := sum_acc l 0.

Lemma sum_app : forall l1 l2, sum (l1 ++ l2) = sum l1 + sum l2.
Proof.
  induction l1 as [| x t IH]; intros l2; simpl; [reflexivity | rewrite IH; lia].
Qed.

Lemma sum_singleton : forall x, sum [x] = x.
Proof.
  intros x. simpl. lia.
Qed.

Lemma sum_repeat : forall n x, sum (repeat x n) = n * x.
Proof.
  induction n as [| n IH]; intros x; simpl; [reflexivity | rewrite IH; reflexivity].
Qed.

(* helper *)
Lemma sum_acc_spec : forall l acc, sum_acc l acc = acc + sum l.
Proof.
  induction l as [| x t IH]; intros acc; simpl; [lia | rewrite IH; lia].
Qed.

Theorem sum_tr_correct : forall l, sum_tr l = sum l.
Proof.
  intros l. unfold sum_tr. rewrite sum_acc_spec. reflexivity.
Qed.

Fixpoint len_acc {A : Type} (l : list A) (n : nat) : nat :=
  match l with
  | [] => n
  | _ :: t => len_acc t (S n)
  end.

(* helper *)
Lemma len_acc_spec : forall (A : Type) (l : list A) n, len_acc l n = n + length l.
Proof.
  induction l as [| x t IH]; intros n; simpl; [lia | rewrite IH; lia].
Qed.

Theorem len_acc_correct : forall (A : Type) (l : list A), len_acc l 0 = length l.
Proof.
  intros A l. rewrite len_acc_spec. reflexivity.
Qed.

Lemma sum_le_max_times_length : forall l b,
  (forall x, In x l -> x <= b) -> sum l <= b * length l.
Proof.
  induction l as [| x t IH]; intros b H; simpl; [lia |].
  assert (x <= b) by (apply H; left; reflexivity).
  assert (sum t <= b * length t) by (apply IH; intros y Hy; apply H; right; exact Hy).
  lia.
Qed.

(* ---------- Reversal ---------- *)

Fixpoint rev_acc {A : Type} (l acc : list A) : list A :=
  match l with
  | [] => acc
  | x :: t => rev_acc t (x :: acc)
  end.

(* helper *)
Lemma rev_acc_spec : forall (A : Type) (l acc : list A), rev_acc l acc = rev l ++ acc.
Proof.
  induction l as [| x t IH]; intros acc; simpl; [reflexivity |].
  rewrite IH, <- app_assoc. reflexivity.
Qed.

Theorem rev_acc_correct : forall (A : Type) (l : list A), rev_acc l [] = rev l.
Proof.
  intros A l. rewrite rev_acc_spec, app_nil_r. reflexivity.
Qed.

Theorem rev_acc_length : forall (A : Type) (l acc : list A),
  length (rev_acc l acc) = length l + length acc.
Proof.
  induction l as [| x t IH]; intros acc; simpl; [reflexivity | rewrite IH; simpl; lia].
Qed.

Lemma sum_rev : forall l, sum (rev l) = sum l.
Proof.
  induction l as [| x t IH]; simpl; [reflexivity |].
  rewrite sum_app, IH. simpl. lia.
Qed.

(* ---------- Counting and membership ---------- *)

Fixpoint count (x : nat) (l : list nat) : nat :=
  match l with
  | [] => 0
  | y :: t => if Nat.eqb x y then S (count x t) else count x t
  end.

Lemma count_app : forall x l1 l2, count x (l1 ++ l2) = count x l1 + count x l2.
Proof.
  induction l1 as [| y t IH]; intros l2; simpl; [reflexivity |].
  destruct (Nat.eqb x y); rewrite IH; reflexivity.
Qed.

Lemma count_cons_same : forall x l, count x (x :: l) = S (count x l).
Proof.
  intros x l. simpl. rewrite Nat.eqb_refl. reflexivity.
Qed.

Lemma count_le_length : forall x l, count x l <= length l.
Proof.
  induction l as [| y t IH]; simpl; [lia | destruct (Nat.eqb x y); lia].
Qed.

Lemma count_zero_not_in : forall x l, count x l = 0 -> ~ In x l.
Proof.
  induction l as [| y t IH]; simpl; intros H; [tauto |].
  destruct (Nat.eqb x y) eqn:E; [discriminate |].
  apply Nat.eqb_neq in E. intros [Hy | Hin]; [congruence | exact (IH H Hin)].
Qed.

Lemma count_repeat : forall x n, count x (repeat x n) = n.
Proof.
  induction n as [| n IH]; simpl; [reflexivity | rewrite Nat.eqb_refl, IH; reflexivity].
Qed.

Fixpoint mem (x : nat) (l : list nat) : bool :=
  match l with
  | [] => false
  | y :: t => Nat.eqb x y || mem x t
  end.

Lemma mem_In : forall x l, mem x l = true <-> In x l.
Proof.
  induction l as [| y t IH]; simpl; [split; [discriminate | tauto] |].
  rewrite orb_true_iff, Nat.eqb_eq, IH. split; intros [H | H]; auto.
Qed.

Lemma mem_count : forall x l, mem x l = false -> count x l = 0.
Proof.
  induction l as [| y t IH]; simpl; intros H; [reflexivity |].
  apply orb_false_iff in H as [H1 H2]. rewrite H1. exact (IH H2).
Qed.

(* ---------- Maximum and minimum ---------- *)

Fixpoint maxl (l : list nat) : nat :=
  match l with
  | [] => 0
  | x :: t => Nat.max x (maxl t)
  end.

Lemma maxl_upper : forall l x, In x l -> x <= maxl l.
Proof.
  induction l as [| y t IH]; simpl; intros x H; [contradiction |].
  destruct H as [H | H]; [subst; lia | specialize (IH x H); lia].
Qed.

Lemma maxl_cons_ge : forall x l, x <= maxl (x :: l).
Proof.
  intros x l. simpl. lia.
Qed.

Lemma maxl_app : forall l1 l2, maxl (l1 ++ l2) = Nat.max (maxl l1) (maxl l2).
Proof.
  induction l1 as [| x t IH]; intros l2; simpl; [reflexivity | rewrite IH; lia].
Qed.

Lemma maxl_in : forall l, l <> [] -> In (maxl l) l.
Proof.
  induction l as [| x t IH]; intros H; [congruence |].
  destruct t as [| y u].
  - simpl. left. lia.
  - simpl maxl. destruct (Nat.max_spec x (Nat.max y (maxl u))) as [[_ E] | [_ E]];
      rewrite E; [right; apply IH; discriminate | left; reflexivity].
Qed.

Fixpoint minl (l : list nat) : option nat :=
  match l with
  | [] => None
  | x :: t =>
      match minl t with
      | None => Some x
      | Some m => Some (Nat.min x m)
      end
  end.

Lemma minl_none : forall l, minl l = None -> l = [].
Proof.
  destruct l as [| x t]; simpl; [reflexivity |].
  destruct (minl t); discriminate.
Qed.

Lemma minl_lower : forall l m, minl l = Some m -> forall x, In x l -> m <= x.
Proof.
  induction l as [| y t IH]; simpl; intros m H x Hx; [discriminate |].
  destruct (minl t) as [k |] eqn:E.
  - injection H as <-. destruct Hx as [<- | Hx]; [lia |].
    specialize (IH k eq_refl x Hx). lia.
  - injection H as <-. destruct Hx as [<- | Hx]; [lia |].
    apply minl_none in E. subst. contradiction.
Qed.

(* ---------- Filtering ---------- *)

Fixpoint keep (p : nat -> bool) (l : list nat) : list nat :=
  match l with
  | [] => []
  | x :: t => if p x then x :: keep p t else keep p t
  end.

Lemma keep_length : forall p l, length (keep p l) <= length l.
Proof.
  induction l as [| x t IH]; simpl; [lia | destruct (p x); simpl; lia].
Qed.

Lemma keep_sound : forall p l x, In x (keep p l) -> p x = true.
Proof.
  induction l as [| y t IH]; simpl; intros x H; [contradiction |].
  destruct (p y) eqn:E; [destruct H as [<- | H]; auto | auto].
Qed.

Lemma keep_idem : forall p l, keep p (keep p l) = keep p l.
Proof.
  induction l as [| x t IH]; simpl; [reflexivity |].
  destruct (p x) eqn:E; simpl; [rewrite E, IH; reflexivity | exact IH].
Qed.

Lemma keep_app : forall p l1 l2, keep p (l1 ++ l2) = keep p l1 ++ keep p l2.
Proof.
  induction l1 as [| x t IH]; intros l2; simpl; [reflexivity |].
  destruct (p x); rewrite IH; reflexivity.
Qed.

Lemma keep_all : forall p l, (forall x, In x l -> p x = true) -> keep p l = l.
Proof.
  induction l as [| x t IH]; simpl; intros H; [reflexivity |].
  rewrite (H x (or_introl eq_refl)), IH; [reflexivity |].
  intros y Hy. apply H. right. exact Hy.
Qed.

Lemma count_keep_le : forall p x l, count x (keep p l) <= count x l.
Proof.
  induction l as [| y t IH]; simpl; [lia |].
  destruct (p y); simpl; destruct (Nat.eqb x y); lia.
Qed.

(* ---------- take / drop ---------- *)

Fixpoint take {A : Type} (n : nat) (l : list A) : list A :=
  match n, l with
  | 0, _ => []
  | _, [] => []
  | S k, x :: t => x :: take k t
  end.

Fixpoint drop {A : Type} (n : nat) (l : list A) : list A :=
  match n, l with
  | 0, _ => l
  | _, [] => []
  | S k, _ :: t => drop k t
  end.

Lemma take_drop : forall (A : Type) n (l : list A), take n l ++ drop n l = l.
Proof.
  induction n as [| n IH]; intros l; [reflexivity |].
  destruct l as [| x t]; simpl; [reflexivity | rewrite IH; reflexivity].
Qed.

Lemma take_length : forall (A : Type) n (l : list A), length (take n l) = Nat.min n (length l).
Proof.
  induction n as [| n IH]; intros l; [reflexivity |].
  destruct l as [| x t]; simpl; [reflexivity | rewrite IH; reflexivity].
Qed.

Lemma take_length_le : forall (A : Type) n (l : list A), n <= length l -> length (take n l) = n.
Proof.
  intros A n l H. rewrite take_length. lia.
Qed.

Lemma drop_app : forall (A : Type) (l1 l2 : list A) n, n = length l1 -> drop n (l1 ++ l2) = l2.
Proof.
  induction l1 as [| x t IH]; intros l2 n H; subst; simpl; [reflexivity |].
  apply IH. reflexivity.
Qed.

Lemma drop_length : forall (A : Type) n (l : list A), length (drop n l) = length l - n.
Proof.
  induction n as [| n IH]; intros l; simpl; [lia |].
  destruct l as [| x t]; simpl; [reflexivity | apply IH].
Qed.

(* ---------- Interleaving, flattening, run-length encoding ---------- *)

Fixpoint interleave {A : Type} (l1 l2 : list A) : list A :=
  match l1, l2 with
  | [], _ => l2
  | _, [] => l1
  | x :: t, y :: u => x :: y :: interleave t u
  end.

Lemma interleave_length : forall (A : Type) (l1 l2 : list A),
  length (interleave l1 l2) = length l1 + length l2.
Proof.
  induction l1 as [| x t IH]; intros l2; [reflexivity |].
  destruct l2 as [| y u]; simpl; [lia | rewrite IH; lia].
Qed.

Lemma interleave_nil_r : forall (A : Type) (l : list A), interleave l [] = l.
Proof.
  destruct l; reflexivity.
Qed.

Fixpoint flatten {A : Type} (ll : list (list A)) : list A :=
  match ll with
  | [] => []
  | l :: t => l ++ flatten t
  end.

Lemma flatten_app : forall (A : Type) (ll1 ll2 : list (list A)),
  flatten (ll1 ++ ll2) = flatten ll1 ++ flatten ll2.
Proof.
  induction ll1 as [| l t IH]; intros ll2; simpl; [reflexivity | rewrite IH, app_assoc; reflexivity].
Qed.

Lemma flatten_length : forall (A : Type) (ll : list (list A)),
  length (flatten ll) = sum (map (@length A) ll).
Proof.
  induction ll as [| l t IH]; simpl; [reflexivity | rewrite app_length, IH; reflexivity].
Qed.

Fixpoint rle_decode (l : list (nat * nat)) : list nat :=
  match l with
  | [] => []
  | (n, x) :: t => repeat x n ++ rle_decode t
  end.

Fixpoint rle_encode (l : list nat) : list (nat * nat) :=
  match l with
  | [] => []
  | x :: t =>
      match rle_encode t with
      | (n, y) :: r => if Nat.eqb x y then (S n, y) :: r else (1, x) :: (n, y) :: r
      | [] => [(1, x)]
      end
  end.

Lemma rle_decode_length : forall l, length (rle_decode l) = sum (map fst l).
Proof.
  induction l as [| [n x] t IH]; simpl; [reflexivity | rewrite app_length, repeat_length, IH; reflexivity].
Qed.

Theorem rle_roundtrip : forall l, rle_decode (rle_encode l) = l.
Proof.
  induction l as [| x t IH]; simpl; [reflexivity |].
  destruct (rle_encode t) as [| [n y] r] eqn:E; simpl in *.
  - rewrite <- IH. reflexivity.
  - destruct (Nat.eqb x y) eqn:Exy; simpl.
    + apply Nat.eqb_eq in Exy. rewrite Exy, IH. reflexivity.
    + rewrite IH. reflexivity.
Qed.

(* ---------- Insertion sort ---------- *)

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
  | sorted_cons : forall x y l, x <= y -> sorted (y :: l) -> sorted (x :: y :: l).

Lemma insert_length : forall x l, length (insert x l) = S (length l).
Proof.
  induction l as [| y t IH]; simpl; [reflexivity | destruct (x <=? y); simpl; [reflexivity | rewrite IH; reflexivity]].
Qed.

Lemma isort_length : forall l, length (isort l) = length l.
Proof.
  induction l as [| x t IH]; simpl; [reflexivity | rewrite insert_length, IH; reflexivity].
Qed.

Theorem insert_sorted : forall x l, sorted l -> sorted (insert x l).
Proof.
  intros x l H. induction H as [| y | y z l Hyz Hs IH]; simpl.
  - constructor.
  - destruct (x <=? y) eqn:E.
    + apply Nat.leb_le in E. constructor; [exact E | constructor].
    + apply Nat.leb_gt in E. constructor; [lia | constructor].
  - destruct (x <=? y) eqn:E.
    + apply Nat.leb_le in E. constructor; [exact E | constructor; assumption].
    + apply Nat.leb_gt in E. simpl in IH. destruct (x <=? z) eqn:E2.
      * constructor; [lia | exact IH].
      * constructor; [exact Hyz | exact IH].
Qed.

Theorem isort_sorted : forall l, sorted (isort l).
Proof.
  induction l as [| x t IH]; simpl; [constructor | apply insert_sorted; exact IH].
Qed.

(* helper *)
Lemma count_insert : forall x y l,
  count x (insert y l) = (if Nat.eqb x y then 1 else 0) + count x l.
Proof.
  induction l as [| z t IH]; simpl; [destruct (Nat.eqb x y); reflexivity |].
  destruct (y <=? z); simpl; [destruct (Nat.eqb x y); reflexivity |].
  rewrite IH. destruct (Nat.eqb x y), (Nat.eqb x z); reflexivity.
Qed.

Theorem isort_count : forall x l, count x (isort l) = count x l.
Proof.
  induction l as [| y t IH]; simpl; [reflexivity |].
  rewrite count_insert, IH. destruct (Nat.eqb x y); reflexivity.
Qed.

Lemma sorted_tail : forall x l, sorted (x :: l) -> sorted l.
Proof.
  intros x l H. inversion H; [constructor | assumption].
Qed.

(* ---------- Search in a sorted list ---------- *)

Fixpoint mem_sorted (x : nat) (l : list nat) : bool :=
  match l with
  | [] => false
  | y :: t => if x <? y then false else if Nat.eqb x y then true else mem_sorted x t
  end.

(* helper *)
Lemma sorted_le_head : forall y l, sorted (y :: l) -> forall z, In z l -> y <= z.
Proof.
  intros y l. revert y. induction l as [| a t IH]; intros y H z Hz; [contradiction |].
  inversion H as [| | ? ? ? Hya Hs]; subst.
  destruct Hz as [<- | Hz]; [exact Hya |].
  specialize (IH a Hs z Hz). lia.
Qed.

Theorem mem_sorted_correct : forall x l, sorted l -> (mem_sorted x l = true <-> In x l).
Proof.
  intros x l Hs. induction l as [| y t IH]; simpl; [split; [discriminate | tauto] |].
  destruct (x <? y) eqn:E1.
  - apply Nat.ltb_lt in E1. split; [discriminate |].
    intros [-> | Hin]; [lia |]. pose proof (sorted_le_head y t Hs x Hin). lia.
  - destruct (Nat.eqb x y) eqn:E2.
    + apply Nat.eqb_eq in E2. split; [intros _; left; auto | reflexivity].
    + apply Nat.eqb_neq in E2. rewrite (IH (sorted_tail y t Hs)).
      split; [intros H; right; exact H | intros [-> | H]; [congruence | exact H]].
Qed.

(* ---------- Merging ---------- *)

Fixpoint merge (l1 : list nat) : list nat -> list nat :=
  fix merge_aux (l2 : list nat) : list nat :=
    match l1, l2 with
    | [], _ => l2
    | _, [] => l1
    | a1 :: t1, a2 :: t2 => if a1 <=? a2 then a1 :: merge t1 l2 else a2 :: merge_aux t2
    end.

Lemma merge_nil_r : forall l, merge l [] = l.
Proof.
  destruct l; reflexivity.
Qed.

(* helper *)
Lemma merge_cons_cons : forall a1 t1 a2 t2, merge (a1 :: t1) (a2 :: t2) =
  if a1 <=? a2 then a1 :: merge t1 (a2 :: t2) else a2 :: merge (a1 :: t1) t2.
Proof.
  reflexivity.
Qed.

Theorem merge_length : forall l1 l2, length (merge l1 l2) = length l1 + length l2.
Proof.
  induction l1 as [| a t IH]; intros l2; [destruct l2; reflexivity |].
  induction l2 as [| b u IH2]; [simpl; lia |].
  rewrite merge_cons_cons. destruct (a <=? b); cbn [length];
    [rewrite IH; cbn [length]; lia | rewrite IH2; cbn [length]; lia].
Qed.

Theorem merge_count : forall x l1 l2, count x (merge l1 l2) = count x l1 + count x l2.
Proof.
  induction l1 as [| a t IH]; intros l2; [destruct l2; reflexivity |].
  induction l2 as [| b u IH2]; [simpl; lia |].
  rewrite merge_cons_cons. destruct (a <=? b); cbn [count].
  - rewrite IH. cbn [count]. destruct (Nat.eqb x a), (Nat.eqb x b); lia.
  - rewrite IH2. cbn [count]. destruct (Nat.eqb x a), (Nat.eqb x b); lia.
Qed.

(* ---------- Association lists and options ---------- *)

Fixpoint lookup (k : nat) (l : list (nat * nat)) : option nat :=
  match l with
  | [] => None
  | (k', v) :: t => if Nat.eqb k k' then Some v else lookup k t
  end.

Lemma lookup_in : forall k v l, lookup k l = Some v -> In (k, v) l.
Proof.
  induction l as [| [k' v'] t IH]; simpl; intros H; [discriminate |].
  destruct (Nat.eqb k k') eqn:E; [apply Nat.eqb_eq in E; injection H as <-; left; subst; reflexivity |].
  right. exact (IH H).
Qed.

Lemma lookup_app_none : forall k l1 l2, lookup k l1 = None -> lookup k (l1 ++ l2) = lookup k l2.
Proof.
  induction l1 as [| [k' v'] t IH]; simpl; intros l2 H; [reflexivity |].
  destruct (Nat.eqb k k'); [discriminate | exact (IH l2 H)].
Qed.

Lemma lookup_first : forall k v l, lookup k ((k, v) :: l) = Some v.
Proof.
  intros k v l. simpl. rewrite Nat.eqb_refl. reflexivity.
Qed.

Definition safe_div (a b : nat) : option nat :=
  if Nat.eqb b 0 then None else Some (a / b).

Lemma safe_div_some : forall a b q, safe_div a b = Some q -> q * b <= a.
Proof.
  unfold safe_div. intros a b q H.
  destruct (Nat.eqb b 0) eqn:E; [discriminate |]. injection H as <-.
  apply Nat.eqb_neq in E. rewrite Nat.mul_comm. apply Nat.mul_div_le. exact E.
Qed.

Lemma safe_div_by_zero : forall a, safe_div a 0 = None.
Proof.
  reflexivity.
Qed.

Lemma safe_div_none : forall a b, safe_div a b = None <-> b = 0.
Proof.
  unfold safe_div. intros a b. destruct (Nat.eqb b 0) eqn:E.
  - apply Nat.eqb_eq in E. split; auto.
  - apply Nat.eqb_neq in E. split; [discriminate | contradiction].
Qed.

Fixpoint last_opt {A : Type} (l : list A) : option A :=
  match l with
  | [] => None
  | [x] => Some x
  | _ :: t => last_opt t
  end.

Lemma last_opt_app : forall (A : Type) (l : list A) x, last_opt (l ++ [x]) = Some x.
Proof.
  induction l as [| y t IH]; intros x; [reflexivity |].
  simpl. destruct (t ++ [x]) eqn:E; [destruct t; discriminate | rewrite <- E; apply IH].
Qed.

(* ---------- Records ---------- *)

Record point := { px : nat; py : nat }.

Definition swap (p : point) : point := {| px := py p; py := px p |}.

Definition manhattan (p : point) : nat := px p + py p.

Lemma swap_involutive : forall p, swap (swap p) = p.
Proof.
  destruct p. reflexivity.
Qed.

Lemma manhattan_swap : forall p, manhattan (swap p) = manhattan p.
Proof.
  intros p. unfold manhattan, swap. simpl. lia.
Qed.

Record account := { balance : nat; limit : nat }.

Definition withdraw (a : account) (n : nat) : option account :=
  if n <=? balance a then Some {| balance := balance a - n; limit := limit a |} else None.

Theorem withdraw_spec : forall a n a',
  withdraw a n = Some a' -> balance a' + n = balance a /\ limit a' = limit a.
Proof.
  unfold withdraw. intros a n a' H.
  destruct (n <=? balance a) eqn:E; [| discriminate].
  injection H as <-. apply Nat.leb_le in E. simpl. split; [lia | reflexivity].
Qed.

Theorem withdraw_fails : forall a n, balance a < n -> withdraw a n = None.
Proof.
  unfold withdraw. intros a n H. destruct (n <=? balance a) eqn:E; [| reflexivity].
  apply Nat.leb_le in E. lia.
Qed.

(* ---------- Arithmetic ---------- *)

Fixpoint sum_to (n : nat) : nat :=
  match n with
  | 0 => 0
  | S p => S p + sum_to p
  end.

Theorem sum_to_formula : forall n, 2 * sum_to n = n * (n + 1).
Proof.
  induction n as [| p IH]; simpl sum_to; [reflexivity | nia].
Qed.

Fixpoint pow2 (n : nat) : nat :=
  match n with
  | 0 => 1
  | S p => pow2 p + pow2 p
  end.

Lemma pow2_pos : forall n, 0 < pow2 n.
Proof.
  induction n; simpl; lia.
Qed.

Lemma pow2_succ : forall n, pow2 (S n) = 2 * pow2 n.
Proof.
  intros n. simpl. lia.
Qed.

Lemma pow2_add : forall a b, pow2 (a + b) = pow2 a * pow2 b.
Proof.
  induction a as [| a IH]; intros b; simpl; [lia | rewrite IH; lia].
Qed.

Fixpoint fact (n : nat) : nat :=
  match n with
  | 0 => 1
  | S p => S p * fact p
  end.

Fixpoint fact_acc (n acc : nat) : nat :=
  match n with
  | 0 => acc
  | S p => fact_acc p (acc * S p)
  end.

(* helper *)
Lemma fact_acc_spec : forall n acc, fact_acc n acc = acc * fact n.
Proof.
  induction n as [| n IH]; intros acc; simpl; [lia | rewrite IH; lia].
Qed.

Theorem fact_acc_correct : forall n, fact_acc n 1 = fact n.
Proof.
  intros n. rewrite fact_acc_spec. lia.
Qed.

Fixpoint evenb (n : nat) : bool :=
  match n with
  | 0 => true
  | 1 => false
  | S (S p) => evenb p
  end.

Lemma evenb_double : forall n, evenb (n + n) = true.
Proof.
  induction n as [| n IH]; [reflexivity |].
  rewrite Nat.add_succ_r. simpl. exact IH.
Qed.

(* helper *)
Lemma evenb_S_both : forall n, evenb (S n) = negb (evenb n) /\ evenb (S (S n)) = negb (evenb (S n)).
Proof.
  induction n as [| n [IH1 IH2]]; [split; reflexivity |].
  split; [exact IH2 | exact IH1].
Qed.

Theorem evenb_S : forall n, evenb (S n) = negb (evenb n).
Proof.
  intros n. exact (proj1 (evenb_S_both n)).
Qed.

Fixpoint bits_val (bs : list bool) : nat :=
  match bs with
  | [] => 0
  | b :: t => (if b then 1 else 0) + 2 * bits_val t
  end.

Fixpoint fast_pow (x : nat) (bs : list bool) : nat :=
  match bs with
  | [] => 1
  | b :: t => let r := fast_pow (x * x) t in if b then x * r else r
  end.

Theorem fast_pow_correct : forall bs x, fast_pow x bs = x ^ bits_val bs.
Proof.
  induction bs as [| b t IH]; intros x; [reflexivity |].
  simpl. rewrite IH. rewrite Nat.add_0_r, Nat.pow_add_r.
  replace (x * x) with (x ^ 2) by (simpl; lia).
  rewrite <- Nat.pow_mul_r.
  replace (bits_val t + bits_val t) with (2 * bits_val t) by lia.
  destruct b; simpl; lia.
Qed.

Fixpoint divmod_fuel (fuel a b : nat) : nat * nat :=
  match fuel with
  | 0 => (0, a)
  | S f => if a <? S b then (0, a) else let (q, r) := divmod_fuel f (a - S b) b in (S q, r)
  end.

Theorem divmod_fuel_correct : forall fuel a b, a <= fuel ->
  let (q, r) := divmod_fuel fuel a b in a = q * S b + r /\ r <= b.
Proof.
  induction fuel as [| f IH]; intros a b H; simpl.
  - split; lia.
  - destruct (a <? S b) eqn:E.
    + apply Nat.ltb_lt in E. split; lia.
    + apply Nat.ltb_ge in E.
      specialize (IH (a - S b) b ltac:(lia)).
      destruct (divmod_fuel f (a - S b) b) as [q r]. destruct IH as [H1 H2]. split; lia.
Qed.

Fixpoint fib (n : nat) : nat :=
  match n with
  | 0 => 0
  | S p =>
      match p with
      | 0 => 1
      | S q => fib p + fib q
      end
  end.

Fixpoint fib_loop (n a b : nat) : nat :=
  match n with
  | 0 => a
  | S p => fib_loop p b (a + b)
  end.

(* helper *)
Lemma fib_loop_spec : forall n k, fib_loop n (fib k) (fib (S k)) = fib (n + k).
Proof.
  induction n as [| n IH]; intros k; [reflexivity |].
  cbn [fib_loop]. replace (fib k + fib (S k)) with (fib (S (S k))) by (simpl; lia).
  rewrite IH. f_equal. lia.
Qed.

Theorem fib_loop_correct : forall n, fib_loop n 0 1 = fib n.
Proof.
  intros n. pose proof (fib_loop_spec n 0) as H. simpl in H. rewrite H. f_equal. lia.
Qed.
