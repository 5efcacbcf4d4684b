Ltac loop := idtac; loop.

Lemma overflows : True.
Proof. loop. Qed.

Lemma after_overflow : True.
Proof. exact I. Qed.
