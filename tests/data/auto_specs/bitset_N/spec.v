(** A set of bit positions (binary naturals), like a sparse bit vector. [set_bit i] turns
    bit [i] on, [clear_bit i] turns it off, [test i] reads it; [any] tells whether some bit
    is on. All bits start off. *)
(* Exported so that witnesses (and solutions) can write [3%N]. *)
Require Export Coq.NArith.NArith.

Module Type BITS_SIG.
  Parameter t : Type.
  Parameter zero : t.
  Parameter set_bit : N -> t -> t.
  Parameter clear_bit : N -> t -> t.
  Parameter test : N -> t -> bool.
  Parameter any : t -> bool.
End BITS_SIG.

Module Type BITS_CORRECT (Import M : BITS_SIG).
  Axiom test_zero : forall i, test i zero = false.
  Axiom test_set : forall i j s, test j (set_bit i s) = orb (N.eqb i j) (test j s).
  Axiom test_clear : forall i j s, test j (clear_bit i s) = andb (negb (N.eqb i j)) (test j s).
  Axiom any_spec : forall s, any s = true <-> exists i, test i s = true.
End BITS_CORRECT.
