From Spec Require Import spec.
Require Import Coq.Lists.List.
Import ListNotations.

Module ListQueue <: QUEUE_SIG.
  Definition t := list nat.
  Definition empty : t := [].
  Definition enqueue (x : nat) (q : t) : t := q ++ [x].
  Definition dequeue (q : t) : option nat * t :=
    match q with [] => (None, []) | x :: r => (Some x, r) end.
  Definition is_empty (q : t) : bool := match q with [] => true | _ => false end.
  Definition to_list (q : t) : list nat := q.
End ListQueue.

Module ListQueueProofs <: QUEUE_CORRECT ListQueue.
  Import ListQueue.
  Lemma to_list_empty : to_list empty = []. Proof. reflexivity. Qed.
  Lemma to_list_enqueue : forall x q, to_list (enqueue x q) = to_list q ++ [x]. Proof. reflexivity. Qed.
  Lemma dequeue_cons : forall q x r, to_list q = x :: r ->
    fst (dequeue q) = Some x /\ to_list (snd (dequeue q)) = r.
  Proof. intros q x r H; unfold to_list in H; subst q; split; reflexivity. Qed.
  Lemma dequeue_nil : forall q, to_list q = [] ->
    fst (dequeue q) = None /\ to_list (snd (dequeue q)) = [].
  Proof. intros q H; unfold to_list in H; subst q; split; reflexivity. Qed.
  Lemma is_empty_spec : forall q, is_empty q = true <-> to_list q = [].
  Proof. intros [|x r]; unfold is_empty, to_list; split; intro H; congruence. Qed.
End ListQueueProofs.
