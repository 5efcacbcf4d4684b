(* Ünïcödé → ∀ before the error: columns count characters, not bytes. *)
Require Import Coq.Unicode.Utf8.
Definition café := 1.
Notation "x ⊕ y" := (x + y) (at level 50).
Lemma ε_lemma : ∀ n : nat, n ⊕ 0 = n.
Proof. intros n. (* é → ∀ *) apply plus_n_Ox. Qed.
