"""The `llm` policy: render the observation, ask the model, parse its reply.

An invalid reply (not JSON, unknown move kind, missing field...) is shown back to the
model with the reason, and it answers again — at most `max_invalid_replies` invalid
replies per decision, then the policy gives up for this decision. Every attempt's tokens
and dollars are counted.

The policy never raises for a model's failure: a client error (`LLMUnavailable` after
the SDK's retries, `LLMRejected`, the kill switch) or too many invalid replies give
`PolicyReply(move=None, note=...)` from `choose` (a stall for the engine), `None` from
`design`, and an empty `Proposal` from `propose`. The note starts with "llm unavailable:",
"llm rejected:", "llm error:" or "invalid replies:", and `last_error` keeps the exception,
so the engine can tell an outage from a model with nothing to offer.

Accounting: `PolicyReply.usage` covers one `choose`; `design` and `propose` return no
usage. Every request is an `LLMCall` record, passed to `on_call` as it happens and kept
for `drain_calls()`, which the engine calls after each decision to write the records to
the transcript; `usage` is the policy's running total over all three roles.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import structlog

from idsynth.agent.policy import PolicyKind
from idsynth.agent.types import Design, Observation, PolicyReply, PostMortem, Proposal, Usage

from .clients import ChatClient
from .parse import ReplyError, parse_design, parse_move, parse_proposal
from .prices import PriceTable, load_prices
from .prompts import Prompt, render_choose, render_design, render_propose
from .types import LLMCall, LLMError, LLMRejected, LLMUnavailable, Role

log = structlog.get_logger(__name__)

_T = TypeVar("_T")


class LLMPolicy:
    kind: PolicyKind = "llm"

    def __init__(self, client: ChatClient, model: str | None = None, prices: PriceTable | None = None,
                 max_invalid_replies: int = 3, on_call: Callable[[LLMCall], None] | None = None) -> None:
        if max_invalid_replies < 1:
            raise ValueError("max_invalid_replies must be at least 1")
        self.client = client
        self.model = model or client.model
        self.name = f"llm:{self.model}"
        self.prices = prices if prices is not None else load_prices()
        self.max_invalid_replies = max_invalid_replies
        self.on_call = on_call
        self.usage = Usage()
        """Everything spent so far by this policy: choose, design and propose."""
        self.last_error: LLMError | None = None
        """The client error behind the last decision that failed, if any."""
        self._warned_price = False
        self._undrained: list[LLMCall] = []

    # -- the Policy protocol -----------------------------------------------------------

    def choose(self, obs: Observation) -> PolicyReply:
        move, usage, note = self._ask("choose", render_choose(obs), parse_move)
        if move is not None:
            note = "; ".join(x for x in (move.rationale, note) if x)
        return PolicyReply(move=move, usage=usage, note=note)

    def design(self, obs: Observation, post_mortems: list[PostMortem]) -> Design | None:
        design, _, note = self._ask("design", render_design(obs, post_mortems), parse_design)
        if design is None:
            log.info("llm.design.none", note=note)
        return design

    def propose(self, obs: Observation) -> Proposal:
        proposal, _, note = self._ask("propose", render_propose(obs), parse_proposal)
        return proposal if proposal is not None else Proposal(move=None, note=note)

    def close(self) -> None:
        self.client.close()

    def drain_calls(self) -> list[tuple[dict[str, Any], Usage]]:
        """The calls made since the last drain, as (record, usage) pairs, for the engine to
        write as `llm_call` transcript events (from which it counts the cost)."""
        calls, self._undrained = self._undrained, []
        return [(c.model_dump(), Usage(tokens_in=c.tokens_in, tokens_out=c.tokens_out, dollars=c.dollars))
                for c in calls]

    # -- one decision ------------------------------------------------------------------

    def _ask(self, role: Role, prompt: Prompt, parse: Callable[[str], _T]) -> tuple[_T | None, Usage, str]:
        """The parsed reply (or None), the usage of all attempts, and a note: empty on
        success at the first attempt, else what went wrong."""
        messages: list[dict[str, str]] = [{"role": "user", "content": prompt.user}]
        usage = Usage()
        errors: list[str] = []
        self.last_error = None
        for attempt in range(1, self.max_invalid_replies + 1):
            request_chars = len(prompt.system) + sum(len(m["content"]) for m in messages)
            start = time.monotonic()
            try:
                completion = self.client.complete(prompt.system, messages, prompt.schema)
            except LLMError as e:
                self.last_error = e
                self._record(LLMCall(provider=self.client.provider, model=self.model, role=role, attempt=attempt,
                                     request_chars=request_chars, seconds=round(time.monotonic() - start, 3),
                                     error=str(e)))
                log.warning("llm.call.failed", role=role, attempt=attempt, error=str(e))
                earlier = f" (after invalid replies: {' | '.join(errors)})" if errors else ""
                return None, usage, f"{_label(e)}: {e}{earlier}"
            cost = self.prices.cost(self.model, completion.tokens_in, completion.tokens_out)
            if not cost.known and not self._warned_price:
                self._warned_price = True
                log.warning("llm.price.unknown", model=self.model)
            spent = Usage(tokens_in=completion.tokens_in, tokens_out=completion.tokens_out, dollars=cost.dollars)
            usage += spent
            self.usage += spent
            call = dict(provider=self.client.provider, model=self.model, role=role, attempt=attempt,
                        tokens_in=completion.tokens_in, tokens_out=completion.tokens_out, dollars=cost.dollars,
                        price_known=cost.known, request_chars=request_chars, response_text=completion.text,
                        raw_id=completion.raw_id, seconds=round(time.monotonic() - start, 3))
            try:
                value = parse(completion.text)
            except ReplyError as e:
                self._record(LLMCall(**call, error=e.message))
                log.info("llm.reply.invalid", role=role, attempt=attempt, error=e.message)
                errors.append(e.message)
                messages += [
                    # The reply goes back as plain text (not as a tool call) so that the
                    # conversation stays valid for every provider.
                    {"role": "assistant", "content": completion.text.strip() or "(empty reply)"},
                    {"role": "user", "content": f"Your reply was invalid: {e.message}\n"
                                                "Answer again with exactly one JSON object matching the schema."},
                ]
                continue
            self._record(LLMCall(**call))
            note = f"after {len(errors)} invalid repl{'y' if len(errors) == 1 else 'ies'}" if errors else ""
            if not cost.known:
                note = "; ".join(x for x in (note, f"price unknown for {self.model}") if x)
            return value, usage, note
        return None, usage, "invalid replies: " + " | ".join(errors)

    def _record(self, call: LLMCall) -> None:
        self._undrained.append(call)
        if self.on_call is not None:
            self.on_call(call)


def _label(e: LLMError) -> str:
    if isinstance(e, LLMUnavailable):
        return "llm unavailable"
    if isinstance(e, LLMRejected):
        return "llm rejected"
    return "llm error"


__all__ = ["LLMPolicy"]
