(* The 40th sentence of this file fails; the verdict must point at it. *)
Require Import Arith Lia.
Lemma add_comm_0 : forall a b : nat, a + b + 0 = b + a + 0.
Proof.
  intros a b.
  lia.
Qed.
Lemma add_comm_1 : forall a b : nat, a + b + 1 = b + a + 1.
Proof.
  intros a b.
  lia.
Qed.
Lemma add_comm_2 : forall a b : nat, a + b + 2 = b + a + 2.
Proof.
  intros a b.
  lia.
Qed.
Lemma add_comm_3 : forall a b : nat, a + b + 3 = b + a + 3.
Proof.
  intros a b.
  lia.
Qed.
Lemma add_comm_4 : forall a b : nat, a + b + 4 = b + a + 4.
Proof.
  intros a b.
  lia.
Qed.
Lemma add_comm_5 : forall a b : nat, a + b + 5 = b + a + 5.
Proof.
  intros a b.
  lia.
Qed.
Lemma add_comm_6 : forall a b : nat, a + b + 6 = b + a + 6.
Proof.
  intros a b.
  lia.
Qed.
Lemma bad_step : forall x y : nat, x <= y -> S x <= S y.
Proof.
  intros x y H.
  apply le_n_S_does_not_exist; exact H.
Qed.
Lemma later : True.
Proof. exact I. Qed.
