"""Boundary types of `idsynth.agent.llm`: the error tree, a completion, a call record, and
the envelopes the model's replies must match.

Errors raised by the package (SDK exceptions never escape `clients.py`):

    LLMError                 any failure to get an answer; also the network kill switch
    ├── LLMUnavailable       network error, timeout, 429 or 5xx — after the SDK's retries
    └── LLMRejected          any other 4xx: bad key, bad request, unknown model...

An invalid *reply* (not JSON, wrong shape) is not an error of the client: it is a
`parse.ReplyError`, fed back to the model by the policy.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from idsynth.agent.types import Design, Proposal

Provider = Literal["anthropic", "openai", "fake"]
Role = Literal["choose", "design", "propose"]


class LLMError(Exception):
    """Getting an answer from the model failed."""


class LLMUnavailable(LLMError):
    """Transient by nature (network, timeout, rate limit, server error), but the SDK's own
    retries are already spent when this is raised."""


class LLMRejected(LLMError):
    """The provider refused the request (4xx other than 429): retrying will not help."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Completion(_Model):
    """One model answer, reduced to what the policy needs."""

    text: str
    """The reply as text: the forced tool's arguments serialised as JSON, or the message
    content when the model answered in prose."""
    tokens_in: int = 0
    """Every input token, cached or not."""
    tokens_out: int = 0
    cache_read: int = 0
    """Input tokens read from the provider's prompt cache (part of `tokens_in`)."""
    cache_write: int = 0
    """Input tokens written to the prompt cache (part of `tokens_in`; Anthropic bills them more)."""
    raw_id: str | None = None
    """The provider's id of the response, for cross-referencing its logs."""
    stop_reason: str = ""
    """The provider's `stop_reason` / `finish_reason`."""
    truncated: bool = False
    """The reply hit the reply limit (`max_tokens` / `length`): it is cut short."""


class LLMCall(_Model):
    """One request to the model, as the engine writes it to the transcript."""

    provider: str
    model: str
    role: Role
    attempt: int
    """1 for the first request of a `choose`/`design`/`propose`; +1 per invalid reply."""
    tokens_in: int = 0
    tokens_out: int = 0
    cache_read: int = 0
    cache_write: int = 0
    dollars: float = 0.0
    price_known: bool = True
    """False: the model is not in the price table, `dollars` is 0 and budgets in dollars
    do not bind."""
    request_chars: int = 0
    """Size of the system prompt and all messages sent, in characters."""
    response_text: str = ""
    raw_id: str | None = None
    seconds: float = 0.0
    stop_reason: str = ""
    error: str | None = None
    """The reply's validation error (fed back to the model) or the client's failure."""


class DesignEnvelope(_Model):
    """The reloader's reply: `{"design": {...}}`, or `{"design": null}` when no new data
    representation is worth trying."""

    design: Design | None


class ProposalEnvelope(_Model):
    """The proposer's reply: `{"proposal": {"move": <decompose or null>, "note": ...}}`."""

    proposal: Proposal


__all__ = [
    "Completion", "DesignEnvelope", "LLMCall", "LLMError", "LLMRejected", "LLMUnavailable",
    "ProposalEnvelope", "Provider", "Role",
]
