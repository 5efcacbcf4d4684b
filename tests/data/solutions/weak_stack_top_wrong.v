(* For tests/cli/test_first_hour.py: a weak_stack solution whose `top` reads the bottom of
   the stack. It compiles (the theorem it breaks is left Admitted), and the witness
   top_after_push refutes it: the audit must say what `top` computed (Some 2). *)
From Spec Require Import spec.
Require Import Coq.Lists.List.
Import ListNotations.

Module Impl <: STACK_SIG.
  Definition t : Type := list nat.
  Definition empty : t := [].
  Definition push (a : nat) (s : t) : t := a :: s.
  Definition pop (s : t) : t := tl s.
  Definition top (s : t) : option nat := hd_error (rev s).
  Definition elems (s : t) : list nat := s.
End Impl.

Module ImplProofs <: STACK_CORRECT Impl.
  Import Impl.
  Lemma elems_empty : elems empty = [].
  Proof. reflexivity. Qed.
  Lemma elems_push : forall x s, elems (push x s) = x :: elems s.
  Proof. reflexivity. Qed.
  Lemma elems_pop : forall s, elems (pop s) = tl (elems s).
  Proof. reflexivity. Qed.
  Lemma top_elems : forall s, top s = hd_error (elems s).
  Admitted.
End ImplProofs.
