(* Programming exercises: reference implementations and their specifications.

   Every proof is a hole (`Admitted.`). Difficulties are mixed on purpose: a few close
   with simpl and lia/reflexivity (sum_singleton, maxl_cons_ge, safe_div_by_zero,
   pow2_succ), most need induction, some need case analysis on `Nat.eqb`/`<=?`,
   some generalised induction (accumulators), some a helper lemma proved by induction
   (sum_tr_correct, len_acc_correct, rev_acc_correct, fact_acc_correct, isort_count,
   evenb_S, fib_loop_correct, merge_length, merge_count), and a few are hard
   (mem_sorted_correct, fast_pow_correct, divmod_fuel_correct, rle_roundtrip).
   tests/data/prove/exercises_solved.v proves them all, with helper lemmas. *)

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
Admitted.

Lemma sum_singleton : forall x, sum [x] = x.
Admitted.

Lemma sum_repeat : forall n x, sum (repeat x n) = n * x.
Admitted.

Theorem sum_tr_correct : forall l, sum_tr l = sum l.
Admitted.

Fixpoint len_acc {A : Type} (l : list A) (n : nat) : nat :=
  match l with
  | [] => n
  | _ :: t => len_acc t (S n)
  end.

Theorem len_acc_correct : forall (A : Type) (l : list A), len_acc l 0 = length l.
Admitted.

Lemma sum_le_max_times_length : forall l b,
  (forall x, In x l -> x <= b) -> sum l <= b * length l.
Admitted.

(* ---------- Reversal ---------- *)

Fixpoint rev_acc {A : Type} (l acc : list A) : list A :=
  match l with
  | [] => acc
  | x :: t => rev_acc t (x :: acc)
  end.

Theorem rev_acc_correct : forall (A : Type) (l : list A), rev_acc l [] = rev l.
Admitted.

Theorem rev_acc_length : forall (A : Type) (l acc : list A),
  length (rev_acc l acc) = length l + length acc.
Admitted.

Lemma sum_rev : forall l, sum (rev l) = sum l.
Admitted.

(* ---------- Counting and membership ---------- *)

Fixpoint count (x : nat) (l : list nat) : nat :=
  match l with
  | [] => 0
  | y :: t => if Nat.eqb x y then S (count x t) else count x t
  end.

Lemma count_app : forall x l1 l2, count x (l1 ++ l2) = count x l1 + count x l2.
Admitted.

Lemma count_cons_same : forall x l, count x (x :: l) = S (count x l).
Admitted.

Lemma count_le_length : forall x l, count x l <= length l.
Admitted.

Lemma count_zero_not_in : forall x l, count x l = 0 -> ~ In x l.
Admitted.

Lemma count_repeat : forall x n, count x (repeat x n) = n.
Admitted.

Fixpoint mem (x : nat) (l : list nat) : bool :=
  match l with
  | [] => false
  | y :: t => Nat.eqb x y || mem x t
  end.

Lemma mem_In : forall x l, mem x l = true <-> In x l.
Admitted.

Lemma mem_count : forall x l, mem x l = false -> count x l = 0.
Admitted.

(* ---------- Maximum and minimum ---------- *)

Fixpoint maxl (l : list nat) : nat :=
  match l with
  | [] => 0
  | x :: t => Nat.max x (maxl t)
  end.

Lemma maxl_upper : forall l x, In x l -> x <= maxl l.
Admitted.

Lemma maxl_cons_ge : forall x l, x <= maxl (x :: l).
Admitted.

Lemma maxl_app : forall l1 l2, maxl (l1 ++ l2) = Nat.max (maxl l1) (maxl l2).
Admitted.

Lemma maxl_in : forall l, l <> [] -> In (maxl l) l.
Admitted.

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
Admitted.

Lemma minl_lower : forall l m, minl l = Some m -> forall x, In x l -> m <= x.
Admitted.

(* ---------- Filtering ---------- *)

Fixpoint keep (p : nat -> bool) (l : list nat) : list nat :=
  match l with
  | [] => []
  | x :: t => if p x then x :: keep p t else keep p t
  end.

Lemma keep_length : forall p l, length (keep p l) <= length l.
Admitted.

Lemma keep_sound : forall p l x, In x (keep p l) -> p x = true.
Admitted.

Lemma keep_idem : forall p l, keep p (keep p l) = keep p l.
Admitted.

Lemma keep_app : forall p l1 l2, keep p (l1 ++ l2) = keep p l1 ++ keep p l2.
Admitted.

Lemma keep_all : forall p l, (forall x, In x l -> p x = true) -> keep p l = l.
Admitted.

Lemma count_keep_le : forall p x l, count x (keep p l) <= count x l.
Admitted.

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
Admitted.

Lemma take_length : forall (A : Type) n (l : list A), length (take n l) = Nat.min n (length l).
Admitted.

Lemma take_length_le : forall (A : Type) n (l : list A), n <= length l -> length (take n l) = n.
Admitted.

Lemma drop_app : forall (A : Type) (l1 l2 : list A) n, n = length l1 -> drop n (l1 ++ l2) = l2.
Admitted.

Lemma drop_length : forall (A : Type) n (l : list A), length (drop n l) = length l - n.
Admitted.

(* ---------- Interleaving, flattening, run-length encoding ---------- *)

Fixpoint interleave {A : Type} (l1 l2 : list A) : list A :=
  match l1, l2 with
  | [], _ => l2
  | _, [] => l1
  | x :: t, y :: u => x :: y :: interleave t u
  end.

Lemma interleave_length : forall (A : Type) (l1 l2 : list A),
  length (interleave l1 l2) = length l1 + length l2.
Admitted.

Lemma interleave_nil_r : forall (A : Type) (l : list A), interleave l [] = l.
Admitted.

Fixpoint flatten {A : Type} (ll : list (list A)) : list A :=
  match ll with
  | [] => []
  | l :: t => l ++ flatten t
  end.

Lemma flatten_app : forall (A : Type) (ll1 ll2 : list (list A)),
  flatten (ll1 ++ ll2) = flatten ll1 ++ flatten ll2.
Admitted.

Lemma flatten_length : forall (A : Type) (ll : list (list A)),
  length (flatten ll) = sum (map (@length A) ll).
Admitted.

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
Admitted.

Theorem rle_roundtrip : forall l, rle_decode (rle_encode l) = l.
Admitted.

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
Admitted.

Lemma isort_length : forall l, length (isort l) = length l.
Admitted.

Theorem insert_sorted : forall x l, sorted l -> sorted (insert x l).
Admitted.

Theorem isort_sorted : forall l, sorted (isort l).
Admitted.

Theorem isort_count : forall x l, count x (isort l) = count x l.
Admitted.

Lemma sorted_tail : forall x l, sorted (x :: l) -> sorted l.
Admitted.

(* ---------- Search in a sorted list ---------- *)

Fixpoint mem_sorted (x : nat) (l : list nat) : bool :=
  match l with
  | [] => false
  | y :: t => if x <? y then false else if Nat.eqb x y then true else mem_sorted x t
  end.

Theorem mem_sorted_correct : forall x l, sorted l -> (mem_sorted x l = true <-> In x l).
Admitted.

(* ---------- Merging ---------- *)

Fixpoint merge (l1 : list nat) : list nat -> list nat :=
  fix merge_aux (l2 : list nat) : list nat :=
    match l1, l2 with
    | [], _ => l2
    | _, [] => l1
    | a1 :: t1, a2 :: t2 => if a1 <=? a2 then a1 :: merge t1 l2 else a2 :: merge_aux t2
    end.

Lemma merge_nil_r : forall l, merge l [] = l.
Admitted.

Theorem merge_length : forall l1 l2, length (merge l1 l2) = length l1 + length l2.
Admitted.

Theorem merge_count : forall x l1 l2, count x (merge l1 l2) = count x l1 + count x l2.
Admitted.

(* ---------- Association lists and options ---------- *)

Fixpoint lookup (k : nat) (l : list (nat * nat)) : option nat :=
  match l with
  | [] => None
  | (k', v) :: t => if Nat.eqb k k' then Some v else lookup k t
  end.

Lemma lookup_in : forall k v l, lookup k l = Some v -> In (k, v) l.
Admitted.

Lemma lookup_app_none : forall k l1 l2, lookup k l1 = None -> lookup k (l1 ++ l2) = lookup k l2.
Admitted.

Lemma lookup_first : forall k v l, lookup k ((k, v) :: l) = Some v.
Admitted.

Definition safe_div (a b : nat) : option nat :=
  if Nat.eqb b 0 then None else Some (a / b).

Lemma safe_div_some : forall a b q, safe_div a b = Some q -> q * b <= a.
Admitted.

Lemma safe_div_by_zero : forall a, safe_div a 0 = None.
Admitted.

Lemma safe_div_none : forall a b, safe_div a b = None <-> b = 0.
Admitted.

Fixpoint last_opt {A : Type} (l : list A) : option A :=
  match l with
  | [] => None
  | [x] => Some x
  | _ :: t => last_opt t
  end.

Lemma last_opt_app : forall (A : Type) (l : list A) x, last_opt (l ++ [x]) = Some x.
Admitted.

(* ---------- Records ---------- *)

Record point := { px : nat; py : nat }.

Definition swap (p : point) : point := {| px := py p; py := px p |}.

Definition manhattan (p : point) : nat := px p + py p.

Lemma swap_involutive : forall p, swap (swap p) = p.
Admitted.

Lemma manhattan_swap : forall p, manhattan (swap p) = manhattan p.
Admitted.

Record account := { balance : nat; limit : nat }.

Definition withdraw (a : account) (n : nat) : option account :=
  if n <=? balance a then Some {| balance := balance a - n; limit := limit a |} else None.

Theorem withdraw_spec : forall a n a',
  withdraw a n = Some a' -> balance a' + n = balance a /\ limit a' = limit a.
Admitted.

Theorem withdraw_fails : forall a n, balance a < n -> withdraw a n = None.
Admitted.

(* ---------- Arithmetic ---------- *)

Fixpoint sum_to (n : nat) : nat :=
  match n with
  | 0 => 0
  | S p => S p + sum_to p
  end.

Theorem sum_to_formula : forall n, 2 * sum_to n = n * (n + 1).
Admitted.

Fixpoint pow2 (n : nat) : nat :=
  match n with
  | 0 => 1
  | S p => pow2 p + pow2 p
  end.

Lemma pow2_pos : forall n, 0 < pow2 n.
Admitted.

Lemma pow2_succ : forall n, pow2 (S n) = 2 * pow2 n.
Admitted.

Lemma pow2_add : forall a b, pow2 (a + b) = pow2 a * pow2 b.
Admitted.

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

Theorem fact_acc_correct : forall n, fact_acc n 1 = fact n.
Admitted.

Fixpoint evenb (n : nat) : bool :=
  match n with
  | 0 => true
  | 1 => false
  | S (S p) => evenb p
  end.

Lemma evenb_double : forall n, evenb (n + n) = true.
Admitted.

Theorem evenb_S : forall n, evenb (S n) = negb (evenb n).
Admitted.

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
Admitted.

Fixpoint divmod_fuel (fuel a b : nat) : nat * nat :=
  match fuel with
  | 0 => (0, a)
  | S f => if a <? S b then (0, a) else let (q, r) := divmod_fuel f (a - S b) b in (S q, r)
  end.

Theorem divmod_fuel_correct : forall fuel a b, a <= fuel ->
  let (q, r) := divmod_fuel fuel a b in a = q * S b + r /\ r <= b.
Admitted.

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

Theorem fib_loop_correct : forall n, fib_loop n 0 1 = fib n.
Admitted.
