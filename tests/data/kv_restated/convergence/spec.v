(** Convergence with one arbitration order, over the restated model ([specs/kv/common/model.v], property [convergence]).
    A DRAFT: the genuine stores are not yet re-proved against it. *)
From Spec Require Import model.

Module Type KV_SIG := model.KV_SIG.
Module Type CONVERGENCE_CORRECT (M : KV_SIG) := model.CONVERGENCE_CORRECT M.
