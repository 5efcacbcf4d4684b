From Spec Require Import spec.
Require Import Coq.PArith.PArith.

(* A binary trie following the bits of the key. *)
Module PosTrie <: PMAP_SIG.
  Inductive tree := Leaf | Node (l : tree) (v : option nat) (r : tree).
  Definition t := tree.
  Definition empty : t := Leaf.
  Fixpoint lookup (k : positive) (m : t) {struct m} : option nat :=
    match m with
    | Leaf => None
    | Node l v r =>
        match k with
        | xH => v
        | xO k' => lookup k' l
        | xI k' => lookup k' r
        end
    end.
  Fixpoint insert (k : positive) (x : nat) (m : t) : t :=
    match m with
    | Leaf =>
        match k with
        | xH => Node Leaf (Some x) Leaf
        | xO k' => Node (insert k' x Leaf) None Leaf
        | xI k' => Node Leaf None (insert k' x Leaf)
        end
    | Node l v r =>
        match k with
        | xH => Node l (Some x) r
        | xO k' => Node (insert k' x l) v r
        | xI k' => Node l v (insert k' x r)
        end
    end.
End PosTrie.

Module PosTrieProofs <: PMAP_CORRECT PosTrie.
  Import PosTrie.
  Lemma lookup_empty : forall k, lookup k empty = None. Proof. reflexivity. Qed.
  Lemma lookup_leaf : forall k, lookup k Leaf = None. Proof. reflexivity. Qed.
  Lemma lookup_insert : forall k k' v m,
    lookup k' (insert k v m) = if Pos.eqb k k' then Some v else lookup k' m.
  Proof.
    induction k as [k IH|k IH|]; intros k' v m; destruct m as [|l o r];
      destruct k' as [k'|k'|]; simpl; try reflexivity;
      try (rewrite IH; try rewrite lookup_leaf; reflexivity).
  Qed.
End PosTrieProofs.
