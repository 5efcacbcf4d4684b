(** A partial map from positive binary numbers to natural numbers (say, object ids to
    reference counts). [lookup] is [None] for an id never inserted. *)
(* Exported so that witnesses (and solutions) can write [3%positive]. *)
Require Export Coq.PArith.PArith.

Module Type PMAP_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter lookup : positive -> t -> option nat.
  Parameter insert : positive -> nat -> t -> t.
End PMAP_SIG.

Module Type PMAP_CORRECT (Import M : PMAP_SIG).
  Axiom lookup_empty : forall k, lookup k empty = None.
  Axiom lookup_insert : forall k k' v m,
    lookup k' (insert k v m) = if Pos.eqb k k' then Some v else lookup k' m.
End PMAP_CORRECT.
