From Spec Require Import spec.

Module OnceCell <: ONCE_SIG.
  Definition t := option nat.
  Definition init : t := None.
  Definition write (x : nat) (s : t) : bool * t :=
    match s with None => (true, Some x) | Some _ => (false, s) end.
  Definition read (s : t) : option nat := s.
End OnceCell.

Module OnceCellProofs <: ONCE_CORRECT OnceCell.
  Import OnceCell.
  Lemma read_init : read init = None. Proof. reflexivity. Qed.
  Lemma write_first : forall x s, read s = None ->
    fst (write x s) = true /\ read (snd (write x s)) = Some x.
  Proof. intros x s H; unfold read in H; subst s; split; reflexivity. Qed.
  Lemma write_again : forall x y s, read s = Some y ->
    fst (write x s) = false /\ read (snd (write x s)) = Some y.
  Proof. intros x y s H; unfold read in H; subst s; split; reflexivity. Qed.
End OnceCellProofs.
