(** A store I would try to fool liveness with. [Blocked]: [LWW] whose guard never lets an
    update in. No get is ever quiescent (except before the first put), so the safety
    properties only see replicas reading their own writes, which they all allow. The restated
    [no_stuck_delivery] rejects it: a reachable state with a message in flight from which no
    delivery is possible. *)
From Spec Require Import model.
From Wrong Require Import lww.
From Coq Require Import Arith.PeanoNat Bool Lia.

Module Blocked <: KV_SIG.
  Definition t := LWW.t.
  Definition msg := LWW.msg.
  Definition init := LWW.init.
  Definition put := LWW.put.
  Definition get := LWW.get.
  Definition deliverable (V : Type) (s : t V) (m : msg V) : bool := false.
  Definition deliver := LWW.deliver.
End Blocked.

Theorem blocked_violates_no_stuck_delivery : ~ (forall n s s', 1 <= n ->
  reachable (Blocked.init nat) (Blocked.put nat) (Blocked.get nat) (Blocked.deliverable nat)
    (Blocked.deliver nat) n s ->
  deliveries (Blocked.deliverable nat) (Blocked.deliver nat) s s' -> stuck (Blocked.deliverable nat) s' ->
  net s' = []).
Proof.
  intros H.
  pose (s := run_state (Blocked.init nat) (Blocked.put nat) (Blocked.get nat) (Blocked.deliverable nat)
               (Blocked.deliver nat) 2 [Put 0 1 1]).
  assert (R := run_state_reachable (Blocked.init nat) (Blocked.put nat) (Blocked.get nat)
                 (Blocked.deliverable nat) (Blocked.deliver nat) 2 [Put 0 1 1]).
  assert (S : stuck (Blocked.deliverable nat) s).
  { intros i. unfold ready. destruct (nth_error _ _) as [[[d p] m]|]; reflexivity. }
  pose proof (H 2 s s ltac:(lia) R ltac:(apply deliveries_refl) S) as E.
  vm_compute in E. discriminate.
Qed.
