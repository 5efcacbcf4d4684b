(** Writes follow reads (Terry et al. 1994) over the restated model ([specs/kv/common/model.v], property [writes_follow_reads]).
    A DRAFT: the genuine stores are not yet re-proved against it. *)
From Spec Require Import model.

Module Type KV_SIG := model.KV_SIG.
Module Type WFR_CORRECT (M : KV_SIG) := model.WFR_CORRECT M.
