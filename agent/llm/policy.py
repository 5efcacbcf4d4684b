"""The `llm` policy: render the observation, ask the model, parse its reply.

An invalid reply (not JSON, unknown move kind, missing field...) is shown back to the
model with the reason, and it answers again — at most `max_invalid_replies` attempts per
decision, then the policy gives up for this decision (a stall). A reply cut short by the
reply limit (`stop_reason` "max_tokens", `finish_reason` "length") is one such attempt:
the model is told it was cut and where, and the next attempt gets twice the limit.

Provider trouble is not the model's: it is never a stall.
- Unavailable (network, timeout, 429/529/5xx after the SDK's own retries): the policy
  waits with exponential backoff and asks again, for up to `patience` seconds in all;
  then it raises `PolicyStopped`.
- Rejected (401/403, 400 bad model or request) or the network kill switch: it raises
  `PolicyStopped` at once — retrying cannot help.
`PolicyStopped` ends the run without finishing it, so that `idsynth resume` continues
once the provider is back or the key fixed; `last_error` keeps the client's exception.

Memory: every reply starts with an `analysis` (kept as the move's rationale when it has
none) and may carry a `plan`, which the policy keeps, shows back on every turn and saves
in its checkpoint (so a resumed run keeps it).

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

from idsynth.agent.policy import PolicyKind, PolicyStopped
from idsynth.agent.types import Design, Observation, PolicyReply, PostMortem, Proposal, Usage

from .clients import ChatClient
from .parse import ReplyError, parse_design, parse_move, parse_proposal, reply_meta
from .prices import PriceTable, load_prices
from .prompts import Prompt, render_choose, render_design, render_propose, schema_text, trim_prompt
from .types import LLMCall, LLMError, LLMRejected, LLMUnavailable, Role

MAX_REPLY_TOKENS = 128_000
"""Ceiling of the doubled reply limit after a truncated reply."""
CHARS_PER_TOKEN = 3.0
"""A conservative estimate (Rocq is dense in symbols), for the context-window limit."""

log = structlog.get_logger(__name__)

_T = TypeVar("_T")


class LLMPolicy:
    kind: PolicyKind = "llm"

    def __init__(self, client: ChatClient, model: str | None = None, prices: PriceTable | None = None,
                 max_invalid_replies: int = 3, on_call: Callable[[LLMCall], None] | None = None, *,
                 patience: float = 600.0, backoff: float = 5.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if max_invalid_replies < 1:
            raise ValueError("max_invalid_replies must be at least 1")
        self.patience, self.backoff, self._sleep = patience, backoff, sleep
        self.plan = ""
        """The model's own plan, from the last reply that gave one."""
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
        self._analysis = ""
        self._why_no_design = ""

    # -- the Policy protocol -----------------------------------------------------------

    def choose(self, obs: Observation) -> PolicyReply:
        move, usage, note = self._ask("choose", render_choose(obs, self.plan), parse_move)
        if move is not None:
            if not move.rationale and self._analysis:
                # The reasoning that led to the move stays with it, in the transcript and
                # in the history the model sees next.
                move = move.model_copy(update={"rationale": _clip(self._analysis, 800)})
            note = "; ".join(x for x in (move.rationale, note) if x)
        return PolicyReply(move=move, usage=usage, note=note)

    def design(self, obs: Observation, post_mortems: list[PostMortem]) -> Design | None:
        design, _, note = self._ask("design", render_design(obs, post_mortems), parse_design)
        self._why_no_design = "; ".join(x for x in (_clip(self._analysis, 300), note) if x) if design is None else ""
        if design is None:
            log.info("llm.design.none", note=note)
        return design

    def why_no_design(self) -> str:
        """Why the last `design` gave none: the model's analysis, or the invalid replies."""
        return self._why_no_design

    def propose(self, obs: Observation) -> Proposal:
        proposal, _, note = self._ask("propose", render_propose(obs), parse_proposal)
        if proposal is None:
            # Invalid replies are the model's failure to answer, not its judgement that
            # the design is stuck: the design is not abandoned for them.
            return Proposal(move=None, note=note, abandon=False)
        if proposal.move is None and not proposal.note:
            if not self._analysis:
                # An empty answer says nothing about the design: not a reason to abandon it.
                return Proposal(move=None, note="the proposer answered nothing (no move, no reason)", abandon=False)
            proposal = proposal.model_copy(update={"note": _clip(self._analysis, 600)})
        return proposal

    def checkpoint(self) -> dict[str, Any]:
        return {"plan": self.plan} if self.plan else {}

    def restore(self, state: dict[str, Any]) -> None:
        self.plan = str(state.get("plan", "")) if state else ""

    def close(self) -> None:
        self.client.close()

    def drain_calls(self) -> list[tuple[dict[str, Any], Usage]]:
        """The calls made since the last drain, as (record, usage) pairs, for the engine to
        write as `llm_call` transcript events (from which it counts the cost)."""
        calls, self._undrained = self._undrained, []
        return [(c.model_dump(), Usage(tokens_in=c.tokens_in, tokens_out=c.tokens_out, dollars=c.dollars,
                                       cache_read=c.cache_read, cache_write=c.cache_write))
                for c in calls]

    # -- one decision ------------------------------------------------------------------

    def _ask(self, role: Role, prompt: Prompt, parse: Callable[[str], _T]) -> tuple[_T | None, Usage, str]:
        """The parsed reply (or None), the usage of all attempts, and a note: empty on
        success at the first attempt, else what went wrong. Raises `PolicyStopped` when
        the provider refuses or stays unavailable."""
        system = prompt.system
        if not getattr(self.client, "sends_schema", True):
            system += "\n\n" + schema_text(prompt.schema)
        prompt = self._fit(prompt, system)
        messages: list[dict[str, Any]] = [{"role": "user", "content": list(prompt.parts)}]
        usage = Usage()
        errors: list[str] = []
        self.last_error = None
        self._analysis = ""
        max_tokens: int | None = None
        for attempt in range(1, self.max_invalid_replies + 1):
            completion, call = self._complete(role, attempt, system, messages, prompt.schema, max_tokens)
            spent = Usage(tokens_in=completion.tokens_in, tokens_out=completion.tokens_out, dollars=call["dollars"],
                          cache_read=completion.cache_read, cache_write=completion.cache_write)
            usage += spent
            self.usage += spent
            if completion.truncated:
                limit = max_tokens or getattr(self.client, "max_tokens", None)
                message = (f"your reply was cut off at the reply limit ({limit or 'the server default'} tokens, "
                           f"stop reason {completion.stop_reason!r}) after {len(completion.text)} characters")
                self._record(LLMCall(**call, error=message))
                log.info("llm.reply.truncated", role=role, attempt=attempt, limit=limit)
                errors.append(message)
                if limit:
                    max_tokens = min(2 * limit, MAX_REPLY_TOKENS)
                messages += [
                    {"role": "assistant", "content": _clip(completion.text.strip(), 1500) or "(empty reply)"},
                    {"role": "user", "content": f"{message.capitalize()}; the end of it is lost. Answer again, "
                     "complete this time: keep `analysis` short and the move as small as will work"
                     + (f" (the limit is now {max_tokens} tokens)." if max_tokens else ".")},
                ]
                continue
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
            meta = reply_meta(completion.text)
            self._analysis = meta.get("analysis", "")
            if role == "choose" and meta.get("plan"):
                self.plan = _clip(meta["plan"], 4000)
            note = f"after {len(errors)} invalid repl{'y' if len(errors) == 1 else 'ies'}" if errors else ""
            if not call["price_known"]:
                note = "; ".join(x for x in (note, f"price unknown for {self.model}") if x)
            return value, usage, note
        return None, usage, "invalid replies: " + " | ".join(errors)

    def _complete(self, role: Role, attempt: int, system: str, messages: list[dict[str, Any]],
                  schema: dict[str, Any], max_tokens: int | None) -> tuple[Any, dict[str, Any]]:
        """One answer, waiting out an unavailable provider (never a stall) for up to
        `patience` seconds; `PolicyStopped` when it refuses or stays away."""
        request_chars = len(system) + sum(len(_text(m["content"])) for m in messages)
        waited, wait = 0.0, self.backoff
        while True:
            start = time.monotonic()
            try:
                completion = self.client.complete(system, messages, schema, max_tokens=max_tokens)
                break
            except LLMError as e:
                self.last_error = e
                self._record(LLMCall(provider=self.client.provider, model=self.model, role=role, attempt=attempt,
                                     request_chars=request_chars, seconds=round(time.monotonic() - start, 3),
                                     error=str(e)))
                log.warning("llm.call.failed", role=role, attempt=attempt, error=str(e))
                if not isinstance(e, LLMUnavailable):
                    raise PolicyStopped(f"{_label(e)}: {e}") from e
                if waited + wait > self.patience:
                    raise PolicyStopped(f"{_label(e)} for {waited:.0f} s (patience {self.patience:.0f} s): "
                                        f"{e}") from e
                self._sleep(wait)
                waited += wait
                wait = min(2 * wait, 120.0)
        cost = self.prices.cost(self.model, completion.tokens_in, completion.tokens_out,
                                cache_read=completion.cache_read, cache_write=completion.cache_write)
        if not cost.known and not self._warned_price:
            self._warned_price = True
            log.warning("llm.price.unknown", model=self.model)
        return completion, dict(
            provider=self.client.provider, model=self.model, role=role, attempt=attempt,
            tokens_in=completion.tokens_in, tokens_out=completion.tokens_out, cache_read=completion.cache_read,
            cache_write=completion.cache_write, dollars=cost.dollars, price_known=cost.known,
            request_chars=request_chars, response_text=completion.text, raw_id=completion.raw_id,
            seconds=round(time.monotonic() - start, 3), stop_reason=completion.stop_reason)

    def _fit(self, prompt: Prompt, system: str) -> Prompt:
        """The prompt trimmed to the client's context window, if it has one: the window
        less the reply limit, in characters at a conservative ratio."""
        settings = getattr(self.client, "settings", None)
        window = getattr(settings, "context_window", None)
        if not window:
            return prompt
        reply = getattr(settings, "max_output_tokens", None) or window // 4
        budget = int((window - reply) * CHARS_PER_TOKEN) - len(system)
        return trim_prompt(prompt, max(budget, 2000))

    def _record(self, call: LLMCall) -> None:
        self._undrained.append(call)
        if self.on_call is not None:
            self.on_call(call)


def _text(content: Any) -> str:
    return content if isinstance(content, str) else "".join(content)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _label(e: LLMError) -> str:
    if isinstance(e, LLMUnavailable):
        return "llm unavailable"
    if isinstance(e, LLMRejected):
        return "llm rejected"
    return "llm error"


__all__ = ["LLMPolicy"]
