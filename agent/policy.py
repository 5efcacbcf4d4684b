"""The one protocol every policy implements: `llm`, `auto` and `scripted` alike.

The engine calls three methods, each answering one role of the paper's agents:
- `design` — the reloader: pick a (new) data representation, seeing every earlier
  post-mortem, or None when it has nothing left to try;
- `choose` — the inner deductive agent: the next move, or a reply with no move (a stall);
- `propose` — the outer proposer, when the inner agent stalls: a decomposition, or nothing.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from .types import Design, Observation, PolicyReply, PostMortem, Proposal, Usage

PolicyKind = Literal["auto", "scripted", "llm"]


class PolicyStopped(Exception):
    """The policy cannot go on through no fault of the search: its model's provider refused
    the request (bad key, unknown model) or stayed unavailable. The engine records what was
    spent and lets this end the run *without* finishing it, so that `idsynth resume`
    continues from the transcript once the cause is fixed. The message is one line."""


@runtime_checkable
class Policy(Protocol):
    kind: PolicyKind
    name: str
    """Shown in transcripts and reports, e.g. "auto", "scripted:runs/x.jsonl", "llm:claude-...". """

    def design(self, obs: Observation, post_mortems: list[PostMortem]) -> Design | None: ...

    def choose(self, obs: Observation) -> PolicyReply: ...

    def propose(self, obs: Observation) -> Proposal: ...

    def close(self) -> None: ...


# Optional parts of a policy, shared by the engines that drive one (`run` and `prove`).


def policy_state(policy: Policy) -> dict[str, Any]:
    """The policy's resumable state (e.g. a script's cursor), `{}` for a stateless one."""
    checkpoint = getattr(policy, "checkpoint", None)
    return checkpoint() if checkpoint is not None else {}


def drain_llm_calls(policy: Policy) -> list[tuple[dict[str, Any], Usage]]:
    """The LLM calls the policy made since the last drain (none for a policy without a model)."""
    drain = getattr(policy, "drain_calls", None)
    return list(drain()) if drain is not None else []
