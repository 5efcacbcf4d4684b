(** Duplicate detection. [visit x] records [x] and answers whether this is the first time
    [x] is visited; [seen x] tells whether [x] was ever visited. *)

Module Type SEEN_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter visit : nat -> t -> bool * t.
  Parameter seen : nat -> t -> bool.
End SEEN_SIG.

Module Type SEEN_CORRECT (Import M : SEEN_SIG).
  Axiom seen_init : forall x, seen x init = false.
  Axiom visit_first : forall x s, fst (visit x s) = negb (seen x s).
  Axiom seen_visit : forall x y s, seen y (snd (visit x s)) = orb (Nat.eqb x y) (seen y s).
End SEEN_CORRECT.
