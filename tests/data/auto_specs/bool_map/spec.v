(** A tally with two slots, indexed by a boolean (say, votes for and against). [get b]
    reads slot [b]; [set b v] overwrites it; [bump b] adds one to it. Both start at 0. *)

Module Type BMAP_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter get : bool -> t -> nat.
  Parameter set : bool -> nat -> t -> t.
  Parameter bump : bool -> t -> t.
End BMAP_SIG.

Module Type BMAP_CORRECT (Import M : BMAP_SIG).
  Axiom get_init : forall b, get b init = 0.
  Axiom get_set_same : forall b v s, get b (set b v s) = v.
  Axiom get_set_other : forall b v s, get (negb b) (set b v s) = get (negb b) s.
  Axiom get_bump_same : forall b s, get b (bump b s) = S (get b s).
  Axiom get_bump_other : forall b s, get (negb b) (bump b s) = get (negb b) s.
End BMAP_CORRECT.
