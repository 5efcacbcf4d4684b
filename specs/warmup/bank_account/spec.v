(** A bank account whose balance never goes negative.
    [deposit a] adds [a]. [withdraw a] takes [a] out only if the balance covers it and
    says so with [true]; otherwise it is refused: the result is [false] and the account is
    returned unchanged. Consequently, after any sequence of transactions from the opening
    state, the balance equals everything deposited minus exactly the withdrawals that were
    accepted. *)
Require Import Coq.Arith.PeanoNat Coq.Lists.List.
Import ListNotations.

(** The reference model: the balance as a natural number. *)
Definition model := nat.
Definition model_deposit (a : nat) (b : model) : model := b + a.
Definition model_withdraw (a : nat) (b : model) : bool * model :=
  if a <=? b then (true, b - a) else (false, b).

(** Transactions, and how to run a list of them through any implementation. *)
Inductive txn := Deposit (a : nat) | Withdraw (a : nat).

Definition run {T : Type} (deposit : nat -> T -> T) (withdraw : nat -> T -> bool * T)
    (ops : list txn) (s : T) : T :=
  fold_left (fun s o => match o with
                        | Deposit a => deposit a s
                        | Withdraw a => snd (withdraw a s)
                        end) ops s.

(** The ledger of a run starting from balance [b]:
    (total deposited, total of the withdrawals the model accepts). *)
Fixpoint ledger (ops : list txn) (b : nat) : nat * nat :=
  match ops with
  | [] => (0, 0)
  | Deposit a :: r => let (d, w) := ledger r (b + a) in (a + d, w)
  | Withdraw a :: r =>
      if a <=? b then let (d, w) := ledger r (b - a) in (d, a + w)
      else ledger r b
  end.

Module Type ACCOUNT_SIG.
  Parameter t : Type.
  Parameter init : t.
  Parameter deposit : nat -> t -> t.
  Parameter withdraw : nat -> t -> bool * t.
  Parameter balance : t -> nat.
End ACCOUNT_SIG.

Module Type ACCOUNT_CORRECT (Import M : ACCOUNT_SIG).
  Axiom balance_init : balance init = 0.
  Axiom balance_deposit : forall a s, balance (deposit a s) = model_deposit a (balance s).
  (** A covered withdrawal is accepted and the balance drops by exactly [a]. *)
  Axiom withdraw_accepted : forall a s, a <= balance s ->
    fst (withdraw a s) = true /\ balance (snd (withdraw a s)) = balance s - a.
  (** A withdrawal beyond the balance is refused and leaves the account unchanged. *)
  Axiom withdraw_refused : forall a s, balance s < a -> withdraw a s = (false, s).
  (** Balance = deposits - accepted withdrawals (stated additively, so no truncation). *)
  Axiom balance_ledger : forall ops,
    balance (run deposit withdraw ops init) + snd (ledger ops 0) = fst (ledger ops 0).
End ACCOUNT_CORRECT.
