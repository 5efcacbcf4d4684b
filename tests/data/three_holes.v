(* Three lemmas are left as holes; the others are proved. *)
Require Import Arith.

Definition double (n : nat) : nat := n + n.

Lemma double_zero : double 0 = 0.
Proof. reflexivity. Qed.

Lemma double_plus : forall n m, double (n + m) = double n + double m.
Proof.
  intros n m. unfold double.
Admitted.

Lemma double_even : forall n, exists k, double n = 2 * k.
Admitted.

Fixpoint sum_to (n : nat) : nat :=
  match n with
  | 0 => 0
  | S p => n + sum_to p
  end.

Lemma sum_to_one : sum_to 1 = 1.
Proof. simpl. reflexivity. Qed.

Theorem sum_to_formula : forall n, 2 * sum_to n = n * (n + 1).
Proof.
  induction n as [| p IH].
  - reflexivity.
  - simpl.
Admitted.
