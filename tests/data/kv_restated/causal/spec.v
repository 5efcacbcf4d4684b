(** Causal consistency as Chapar's abstract causal store, over the restated model ([specs/kv/common/model.v], property [causal]).
    A DRAFT: the genuine stores are not yet re-proved against it. *)
From Spec Require Import model.

Module Type KV_SIG := model.KV_SIG.
Module Type CAUSAL_CORRECT (M : KV_SIG) := model.CAUSAL_CORRECT M.
