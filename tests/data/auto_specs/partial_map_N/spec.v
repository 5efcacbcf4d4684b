(** A partial map from binary natural numbers ([N]) to booleans, e.g. a table of flags
    indexed by identifiers. [find k] is [None] for a key never added or deleted since. *)
(* Exported so that witnesses (and solutions) can write [3%N]. *)
Require Export Coq.NArith.NArith.

Module Type NMAP_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter find : N -> t -> option bool.
  Parameter add : N -> bool -> t -> t.
  Parameter del : N -> t -> t.
End NMAP_SIG.

Module Type NMAP_CORRECT (Import M : NMAP_SIG).
  Axiom find_empty : forall k, find k empty = None.
  Axiom find_add_same : forall k v m, find k (add k v m) = Some v.
  Axiom find_add_other : forall k k' v m, k <> k' -> find k' (add k v m) = find k' m.
  Axiom find_del_same : forall k m, find k (del k m) = None.
  Axiom find_del_other : forall k k' m, k <> k' -> find k' (del k m) = find k' m.
End NMAP_CORRECT.
