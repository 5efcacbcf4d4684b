From Spec Require Import spec.

Module FlagCounter <: LCOUNTER_SIG.
  Definition t := (nat * bool)%type.
  Definition init : t := (0, false).
  Definition incr (s : t) : t := if snd s then s else (S (fst s), snd s).
  Definition lock (s : t) : t := (fst s, true).
  Definition unlock (s : t) : t := (fst s, false).
  Definition value (s : t) : nat := fst s.
  Definition locked (s : t) : bool := snd s.
End FlagCounter.

Module FlagCounterProofs <: LCOUNTER_CORRECT FlagCounter.
  Import FlagCounter.
  Lemma value_init : value init = 0. Proof. reflexivity. Qed.
  Lemma locked_init : locked init = false. Proof. reflexivity. Qed.
  Lemma incr_unlocked : forall s, locked s = false -> value (incr s) = S (value s).
  Proof. intros [n b] H; unfold locked in H; simpl in H; subst b; reflexivity. Qed.
  Lemma incr_locked : forall s, locked s = true -> value (incr s) = value s.
  Proof. intros [n b] H; unfold locked in H; simpl in H; subst b; reflexivity. Qed.
  Lemma locked_incr : forall s, locked (incr s) = locked s.
  Proof. intros [n [|]]; reflexivity. Qed.
  Lemma lock_spec : forall s, locked (lock s) = true /\ value (lock s) = value s.
  Proof. split; reflexivity. Qed.
  Lemma unlock_spec : forall s, locked (unlock s) = false /\ value (unlock s) = value s.
  Proof. split; reflexivity. Qed.
End FlagCounterProofs.
