(* Two true lemmas and one false one, all holes. `rev_is_identity` is false:
   rev [0; 1] = [1; 0]. A prover must close the first two and never the third. *)
From Coq Require Import List.
Import ListNotations.

Lemma app_nil_end : forall l : list nat, l ++ [] = l.
Admitted.

Lemma rev_is_identity : forall l : list nat, rev l = l.
Admitted.

Lemma length_app_comm : forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1).
Admitted.
