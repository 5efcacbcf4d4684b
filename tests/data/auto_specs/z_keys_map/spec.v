(** A partial map from integers (keys may be negative) to natural numbers: [bind]
    (overwrites), [unbind], [find] ([None] when the key is not bound). *)
(* Exported so that witnesses (and solutions) can write [(-3)%Z]. *)
Require Export Coq.ZArith.ZArith.

Module Type ZMAP_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter find : Z -> t -> option nat.
  Parameter bind : Z -> nat -> t -> t.
  Parameter unbind : Z -> t -> t.
End ZMAP_SIG.

Module Type ZMAP_CORRECT (Import M : ZMAP_SIG).
  Axiom find_empty : forall k, find k empty = None.
  Axiom find_bind : forall k k' v m,
    find k' (bind k v m) = if Z.eqb k k' then Some v else find k' m.
  Axiom find_unbind : forall k k' m,
    find k' (unbind k m) = if Z.eqb k k' then None else find k' m.
End ZMAP_CORRECT.
