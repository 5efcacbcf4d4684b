From Spec Require Import spec.
Require Import Coq.Lists.List.
Import ListNotations.

Module LastTwo <: RECENT_SIG.
  Definition t := (option nat * option nat)%type.   (* newest, the one before *)
  Definition init : t := (None, None).
  Definition recent (s : t) : list nat :=
    match s with
    | (None, _) => []
    | (Some a, None) => [a]
    | (Some a, Some b) => [a; b]
    end.
  Definition record (x : nat) (s : t) : t :=
    match fst s with None => (Some x, None) | Some a => (Some x, Some a) end.
End LastTwo.

Module LastTwoProofs <: RECENT_CORRECT LastTwo.
  Import LastTwo.
  Lemma recent_init : recent init = []. Proof. reflexivity. Qed.
  Lemma recent_record : forall x s, recent (record x s) = firstn 2 (x :: recent s).
  Proof. intros x [[a|] [b|]]; reflexivity. Qed.
End LastTwoProofs.
