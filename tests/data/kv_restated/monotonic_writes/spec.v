(** Monotonic writes (Terry et al. 1994) over the restated model ([specs/kv/common/model.v], property [monotonic_writes]).
    A DRAFT: the genuine stores are not yet re-proved against it. *)
From Spec Require Import model.

Module Type KV_SIG := model.KV_SIG.
Module Type MW_CORRECT (M : KV_SIG) := model.MW_CORRECT M.
