(** Remembers the two most recent readings. [record x] notes a reading; [recent] lists
    the last (at most) two readings, newest first. *)
Require Import Coq.Lists.List.
Import ListNotations.

Module Type RECENT_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter record : nat -> t -> t.
  Parameter recent : t -> list nat.
End RECENT_SIG.

Module Type RECENT_CORRECT (Import M : RECENT_SIG).
  Axiom recent_init : recent init = [].
  Axiom recent_record : forall x s, recent (record x s) = firstn 2 (x :: recent s).
End RECENT_CORRECT.
