(** PRAM (one serialization per replica respecting session order), over the restated model ([specs/kv/common/model.v], property [pram]).
    A DRAFT: the genuine stores are not yet re-proved against it. *)
From Spec Require Import model.

Module Type KV_SIG := model.KV_SIG.
Module Type PRAM_CORRECT (M : KV_SIG) := model.PRAM_CORRECT M.
