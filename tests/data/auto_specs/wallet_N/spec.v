(** A wallet whose balance is a binary natural number ([N]). [credit a] adds [a];
    [debit a] takes [a] out, or empties the wallet if it holds less than [a];
    [balance] reads it. *)
(* Exported so that witnesses (and solutions) can write [7%N]. *)
Require Export Coq.NArith.NArith.

Module Type WALLET_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter credit : N -> t -> t.
  Parameter debit : N -> t -> t.
  Parameter balance : t -> N.
End WALLET_SIG.

Module Type WALLET_CORRECT (Import M : WALLET_SIG).
  Axiom balance_init : balance init = 0%N.
  Axiom balance_credit : forall a s, balance (credit a s) = (balance s + a)%N.
  Axiom balance_debit : forall a s, balance (debit a s) = (balance s - a)%N.
End WALLET_CORRECT.
