(* cheat: the whole proofs module is 'Include FMAP_CORRECT AssocMap.' - every field becomes an axiom, no proof at all
   expect: assumption
   also: coqchk *)
From Spec Require Import spec.
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

Module AssocMap <: FMAP_SIG.
  Definition t := list (nat * nat).
  Definition empty : t := [].
  Fixpoint get (k : nat) (m : t) : option nat :=
    match m with [] => None | (k', v) :: r => if Nat.eqb k k' then Some v else get k r end.
  Fixpoint remove (k : nat) (m : t) : t :=
    match m with [] => [] | (k', v) :: r => if Nat.eqb k k' then remove k r else (k', v) :: remove k r end.
  Definition put (k v : nat) (m : t) : t := (k, v) :: remove k m.
End AssocMap.

Module AssocMapProofs <: FMAP_CORRECT AssocMap.
  Include FMAP_CORRECT AssocMap.
End AssocMapProofs.
