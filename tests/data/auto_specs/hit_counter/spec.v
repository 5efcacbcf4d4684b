(** Per-key hit counts, e.g. page views per page id. [hit k] counts one visit to [k];
    [hits k] is the number of visits to [k] so far (0 for a key never hit); [total] is
    the number of visits to all keys. *)

Module Type HITS_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter hit : nat -> t -> t.
  Parameter hits : nat -> t -> nat.
  Parameter total : t -> nat.
End HITS_SIG.

Module Type HITS_CORRECT (Import M : HITS_SIG).
  Axiom hits_init : forall k, hits k init = 0.
  Axiom hits_hit_same : forall k s, hits k (hit k s) = S (hits k s).
  Axiom hits_hit_other : forall k k' s, k <> k' -> hits k' (hit k s) = hits k' s.
  Axiom total_init : total init = 0.
  Axiom total_hit : forall k s, total (hit k s) = S (total s).
End HITS_CORRECT.
