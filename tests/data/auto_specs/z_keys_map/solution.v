From Spec Require Import spec.
Require Import Coq.ZArith.ZArith Coq.Lists.List.
Import ListNotations.

(* Bindings as a list without duplicate keys: bind replaces, unbind filters. *)
Module ZAssoc <: ZMAP_SIG.
  Definition t := list (Z * nat).
  Definition empty : t := [].
  Fixpoint find (k : Z) (m : t) : option nat :=
    match m with
    | [] => None
    | (k', v) :: r => if Z.eqb k' k then Some v else find k r
    end.
  Definition unbind (k : Z) (m : t) : t := filter (fun p => negb (Z.eqb k (fst p))) m.
  Definition bind (k : Z) (v : nat) (m : t) : t := (k, v) :: unbind k m.
End ZAssoc.

Module ZAssocProofs <: ZMAP_CORRECT ZAssoc.
  Import ZAssoc.
  Lemma find_empty : forall k, find k empty = None. Proof. reflexivity. Qed.
  Lemma find_unbind : forall k k' m,
    find k' (unbind k m) = if Z.eqb k k' then None else find k' m.
  Proof.
    intros k k' m; unfold unbind; induction m as [|[j v] r IH]; simpl.
    - destruct (Z.eqb k k'); reflexivity.
    - destruct (Z.eqb_spec k j) as [<-|Hne]; simpl.
      + rewrite IH. destruct (Z.eqb k k'); reflexivity.
      + rewrite IH. destruct (Z.eqb_spec j k') as [<-|Hne'].
        * destruct (Z.eqb_spec k j); [congruence|reflexivity].
        * reflexivity.
  Qed.
  Lemma find_bind : forall k k' v m,
    find k' (bind k v m) = if Z.eqb k k' then Some v else find k' m.
  Proof.
    intros k k' v m; unfold bind; simpl.
    rewrite find_unbind. destruct (Z.eqb k k'); reflexivity.
  Qed.
End ZAssocProofs.
