(** A Chapar-style closure-chain store over 63-bit keys: a solution of
    [examples/finite_map_int63].

    The state is the reference model itself, a function [int -> option int]; every [put]
    or [remove] wraps the previous function in one more closure, so a [get] walks the
    whole history of updates. Key comparisons are native, so this is the fair baseline to
    set against a balanced tree over the same keys. *)
From Spec Require Import spec.
Require Import Coq.Numbers.Cyclic.Int63.Uint63.

Module ClosureChain63 <: FMAP63_SIG.
  Definition t : Type := int -> option int.
  Definition empty : t := fun _ => None.
  Definition get (k : int) (m : t) : option int := m k.
  Definition put (k v : int) (m : t) : t := fun k' => if (k =? k')%uint63 then Some v else m k'.
  Definition remove (k : int) (m : t) : t := fun k' => if (k =? k')%uint63 then None else m k'.
End ClosureChain63.

Module ClosureChain63Proofs <: FMAP63_CORRECT ClosureChain63.
  Import ClosureChain63.
  Lemma get_empty : forall k, get k empty = None.
  Proof. reflexivity. Qed.
  Lemma get_put_same : forall k v m, get k (put k v m) = Some v.
  Proof. intros. unfold get, put. rewrite eqb_refl. reflexivity. Qed.
  Lemma get_put_other : forall k k' v m, k <> k' -> get k' (put k v m) = get k' m.
  Proof. intros k k' v m H. unfold get, put. apply eqb_false_spec in H. rewrite H. reflexivity. Qed.
  Lemma get_remove_same : forall k m, get k (remove k m) = None.
  Proof. intros. unfold get, remove. rewrite eqb_refl. reflexivity. Qed.
  Lemma get_remove_other : forall k k' m, k <> k' -> get k' (remove k m) = get k' m.
  Proof. intros k k' m H. unfold get, remove. apply eqb_false_spec in H. rewrite H. reflexivity. Qed.
End ClosureChain63Proofs.
