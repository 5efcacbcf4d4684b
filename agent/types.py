"""Boundary types of `idsynth.agent`: moves, observations, designs, budgets, usage.

Every policy — an LLM, the offline `auto` portfolio, a `scripted` replay — receives the
same `Observation` and answers with the same `Move` union, so the engine never knows which
kind of policy it talks to.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from idsynth.rocq.types import Failure, Hole, ProofState


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- moves ------------------------------------------------------------------------------


class Define(_Model):
    """Add or replace an item of the implementation (definition, fixpoint, inductive...).

    `name` is the item's short name; `text` its complete Rocq source (one or more
    sentences defining exactly that name). `where="preamble"` puts it before the
    implementation module (imports, helper definitions shared by code and proofs, or complete
    helper modules such as a reference model: `name` is then the first module's name, and no
    module may be a module type or name the spec's signature or correctness type in its
    header); `where="proofs"` puts it in the proofs module before the first theorem
    (definitions the proofs need, such as an invariant).
    """

    kind: Literal["define"] = "define"
    name: str
    text: str
    where: Literal["impl", "preamble", "proofs"] = "impl"
    rationale: str = ""


class Prove(_Model):
    """Give a proof script for one hole: its `Admitted.` becomes `Proof. <script> Qed.`"""

    kind: Literal["prove"] = "prove"
    hole: str
    script: str
    rationale: str = ""


class Helper(_Model):
    name: str
    statement: str
    """The proposition, without `Lemma name :` and without the final dot; or binders
    followed by `: proposition` (e.g. `(l : list nat) : P l`)."""


class Decompose(_Model):
    """Replace a hole by helper lemmas (new holes, inserted just before it) and prove the
    original from them with `script`."""

    kind: Literal["decompose"] = "decompose"
    hole: str
    helpers: list[Helper] = Field(min_length=1)
    script: str
    rationale: str = ""


class Repair(_Model):
    """Replace the text of one existing item that is not part of the spec."""

    kind: Literal["repair"] = "repair"
    item: str
    text: str
    rationale: str = ""


class Revert(_Model):
    """Go back to an earlier document version of this branch."""

    kind: Literal["revert"] = "revert"
    version: int = Field(ge=0)
    rationale: str = ""


Move = Annotated[Define | Prove | Decompose | Repair | Revert, Field(discriminator="kind")]


class MoveEnvelope(_Model):
    """How moves travel in transcripts and LLM replies: `{"move": {...}}`."""

    move: Move


# -- what policies see -------------------------------------------------------------------


class HistoryEntry(_Model):
    move: Move
    outcome: Literal["applied", "refused", "rejected"]
    """applied: a new version; refused: invalid before Rocq; rejected: Rocq found an error,
    the move was rolled back (its diagnostics are in the summary and the observation)."""
    summary: str
    """e.g. "holes 3 -> 2", or the refusal reason, or the first error."""


class RetrievedLemma(_Model):
    name: str
    statement: str
    source: Literal["search", "earlier_run"]


class Observation(_Model):
    """Everything a policy may see when choosing a move.

    With `feedback="binary"` the engine fills only `accepted` and leaves `holes`,
    `failure` and `goals` empty: the paper's ablation.
    """

    spec_name: str
    spec_text: str
    signature: str
    correctness: str
    document: str
    """The current solution text; holes end with `Admitted.`"""
    version: int
    branch: int
    design: str
    feedback: Literal["rich", "binary"]
    accepted: bool
    """The last move was applied and the document checks up to its holes."""
    holes: list[Hole] = Field(default_factory=list)
    failure: Failure | None = None
    history: list[HistoryEntry] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    """From the outer agent: proposals, post-mortems of abandoned designs."""
    retrieved: list[RetrievedLemma] = Field(default_factory=list)
    throughput: dict[str, float] = Field(default_factory=dict)
    """Benchmarks of earlier closed designs, ops/s by design name."""
    seconds_left: float | None = None
    """Wall clock left for the current task when the engine bounds it (`idsynth prove`: the
    hole's bound); None: the policy's own per-hole budget applies."""
    focus: list[str] = Field(default_factory=list)
    """The holes the policy may work on now (empty: any). `idsynth prove` works one hole at
    a time: the hole and the helpers added for it."""


# -- the outer agent ---------------------------------------------------------------------


class Design(_Model):
    """A data representation and the moves that set it up."""

    name: str
    representation: str
    """Plain words: "association list", "function closure", "balanced tree"..."""
    moves: list[Define] = Field(default_factory=list)
    notes: str = ""


class Refutation(_Model):
    """A theorem shown false for a design on sampled inputs: Rocq proved the instance's
    negation (`agent/refute.py`). The design is wrong, whatever the proof search does."""

    theorem: str
    assignment: dict[str, str]
    """Each variable of the theorem and the value it was given (states are terms over the
    signature, e.g. `push 0 empty`)."""
    instance: str
    lhs: str
    rhs: str
    lhs_value: str
    """What the left side computes to on this design."""
    rhs_value: str
    witness_expr: str
    """The left side over the implementation module `M`, as a manifest witness's `expr`."""
    witness_expect: str
    """The right side over `M` (the theorem says the two are equal)."""

    def sentence(self) -> str:
        where = ", ".join(f"{k} := {v}" for k, v in self.assignment.items())
        return (f"{self.theorem} is false for this design: with {where}, `{self.lhs}` computes to "
                f"`{self.lhs_value}` but `{self.rhs}` to `{self.rhs_value}`")

    def suggestion(self) -> str:
        return (f'[[witness]]\nname = "{self.theorem}_sample"\nexpr = "{self.witness_expr}"\n'
                f'expect = "{self.rhs_value}"')


class PostMortem(_Model):
    branch: int
    design: str
    representation: str
    stuck_on: str
    """The obligation that would not close."""
    why: str
    moves: int
    refutations: list[Refutation] = Field(default_factory=list)
    """Open theorems Rocq proved false for this design on sampled inputs."""


class Proposal(_Model):
    """The proposer's answer to a stall: a decomposition, or nothing useful."""

    move: Decompose | None = None
    note: str = ""
    abandon: bool = True
    """With no move: whether the design should be abandoned now. False when the proposer
    failed to answer (invalid replies) rather than judged the design stuck: the engine then
    goes on with the design while proposer calls are left."""


# -- budgets and accounting --------------------------------------------------------------


class Budget(_Model):
    moves: int = 200
    """Moves per run (applied or refused)."""
    seconds: float = 1800.0
    """Wall clock per run."""
    tokens: int = 2_000_000
    dollars: float = 10.0
    stall_after: int = 6
    """Moves without progress before the inner agent reports a stall."""
    proposals: int = 2
    """Proposer calls per design branch before the reloader takes over (an empty proposal
    counts, but does not by itself abandon the design while calls are left)."""
    branches: int = 4
    """Designs the reloader may try."""


class Usage(_Model):
    tokens_in: int = 0
    """Every input token, cached or not."""
    tokens_out: int = 0
    dollars: float = 0.0
    cache_read: int = 0
    """Input tokens read from a provider's prompt cache (counted in `tokens_in` too)."""
    cache_write: int = 0
    """Input tokens written to a provider's prompt cache (counted in `tokens_in` too)."""

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(tokens_in=self.tokens_in + other.tokens_in, tokens_out=self.tokens_out + other.tokens_out,
                     dollars=round(self.dollars + other.dollars, 6), cache_read=self.cache_read + other.cache_read,
                     cache_write=self.cache_write + other.cache_write)


class PolicyReply(_Model):
    """A policy's answer with its cost and how it was produced."""

    move: Move | None = None
    """None: the policy has nothing more to offer (counts as a stall)."""
    usage: Usage = Field(default_factory=Usage)
    note: str = ""
    """e.g. the auto policy's strategy name, an LLM's rationale."""


__all__ = [
    "Budget", "Decompose", "Define", "Design", "Helper", "HistoryEntry", "Move", "MoveEnvelope",
    "Observation", "PolicyReply", "PostMortem", "Proposal", "Prove", "ProofState", "Refutation", "Repair",
    "RetrievedLemma", "Revert", "Usage",
]
