(** Read your writes (Terry et al. 1994) over the restated model ([specs/kv/common/model.v], property [ryw]).
    A DRAFT: the genuine stores are not yet re-proved against it. *)
From Spec Require Import model.

Module Type KV_SIG := model.KV_SIG.
Module Type RYW_CORRECT (M : KV_SIG) := model.RYW_CORRECT M.
