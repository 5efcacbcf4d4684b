From Spec Require Import spec.
Require Import Coq.NArith.NArith Coq.Lists.List Coq.Bool.Bool.
Import ListNotations.

(* The positions that are on, possibly repeated; clear removes every copy. *)
Module OnList <: BITS_SIG.
  Definition t := list N.
  Definition zero : t := [].
  Definition set_bit (i : N) (s : t) : t := i :: s.
  Definition clear_bit (i : N) (s : t) : t := filter (fun j => negb (N.eqb i j)) s.
  Definition test (j : N) (s : t) : bool := existsb (fun i => N.eqb i j) s.
  Definition any (s : t) : bool := match s with [] => false | _ => true end.
End OnList.

Module OnListProofs <: BITS_CORRECT OnList.
  Import OnList.
  Lemma test_zero : forall i, test i zero = false. Proof. reflexivity. Qed.
  Lemma test_set : forall i j s, test j (set_bit i s) = orb (N.eqb i j) (test j s). Proof. reflexivity. Qed.
  Lemma test_clear : forall i j s, test j (clear_bit i s) = andb (negb (N.eqb i j)) (test j s).
  Proof.
    intros i j s; unfold test, clear_bit; induction s as [|k s IH]; simpl.
    - rewrite andb_false_r; reflexivity.
    - destruct (N.eqb_spec i k) as [<-|Hne]; simpl.
      + rewrite IH. destruct (N.eqb i j); reflexivity.
      + rewrite IH. destruct (N.eqb_spec k j) as [<-|Hne'].
        * destruct (N.eqb_spec i k); [congruence|reflexivity].
        * reflexivity.
  Qed.
  Lemma any_spec : forall s, any s = true <-> exists i, test i s = true.
  Proof.
    intros [|k s]; simpl; split.
    - discriminate.
    - intros [i H]; discriminate.
    - intros _; exists k; unfold test; simpl; rewrite N.eqb_refl; reflexivity.
    - reflexivity.
  Qed.
End OnListProofs.
