"""Turn a model's reply text into a Move, a Design or a Proposal.

Models wrap JSON in ```json fences, prefix it with prose, or (when a forced tool call is
ignored) answer in prose only. We take the first JSON object we can find; anything that
is not a valid envelope raises `ReplyError`, whose one-line message is fed back to the
model verbatim, so it must say what to fix.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from idsynth.agent.types import (
    Decompose, Define, Design, Move, MoveEnvelope, Proposal, Prove, Repair, Revert,
)

from .types import DesignEnvelope, ProposalEnvelope

MOVE_KINDS: tuple[str, ...] = tuple(
    m.model_fields["kind"].default for m in (Define, Prove, Decompose, Repair, Revert)
)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)
_MAX_ERRORS = 6
_T = TypeVar("_T", bound=BaseModel)


class ReplyError(ValueError):
    """The model's reply is unusable; `message` is what we tell the model."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def extract_json(text: str) -> Any:
    """The JSON value of the reply: the whole text, else a fenced block, else the first
    `{...}` that decodes (prose before or after it is ignored)."""
    stripped = text.strip()
    if not stripped:
        raise ReplyError("not JSON: the reply is empty")
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        pass
    for block in _FENCE.findall(stripped):
        try:
            return json.loads(block)
        except json.JSONDecodeError:
            continue
    decoder = json.JSONDecoder()
    for m in re.finditer(r"\{", stripped):
        try:
            value, _ = decoder.raw_decode(stripped, m.start())
            return value
        except json.JSONDecodeError:
            continue
    raise ReplyError("not JSON: the reply contains no JSON object; answer with one JSON object only")


META_KEYS = ("analysis", "plan")
"""Fields of every reply beside the envelope: the model's reasoning and its plan."""


def reply_meta(text: str) -> dict[str, str]:
    """The reply's `analysis` and `plan` (strings; absent or unreadable: omitted)."""
    try:
        data = extract_json(text)
    except ReplyError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: data[k].strip() for k in META_KEYS if isinstance(data.get(k), str) and data[k].strip()}


def _envelope(text: str) -> dict[str, Any]:
    data = _object(extract_json(text))
    return {k: v for k, v in data.items() if k not in META_KEYS}


def parse_move(text: str) -> Move:
    """`{"analysis": ..., "move": {...}}`; a bare move object (with its "kind") is accepted too."""
    data = _envelope(text)
    move = data["move"] if "move" in data else data if "kind" in data else None
    if move is None:
        raise ReplyError(f'expected {{"move": {{...}}}}, got an object with keys {sorted(data)}')
    if not isinstance(move, dict):
        raise ReplyError(f'"move" must be an object, got {type(move).__name__}')
    kind = move.get("kind")
    if kind is None:
        raise ReplyError(f"the move has no \"kind\" (one of {', '.join(MOVE_KINDS)})")
    if kind not in MOVE_KINDS:
        raise ReplyError(f"unknown move kind {kind!r} (expected one of {', '.join(MOVE_KINDS)})")
    extra = sorted(set(data) - {"move"}) if "move" in data else []
    if extra:
        raise ReplyError(f'unexpected keys {extra} next to "move": send exactly one move')
    return _validate(MoveEnvelope, {"move": move}, f"invalid {kind} move", skip=("move", kind)).move


def parse_design(text: str) -> Design | None:
    """`{"design": {...}}` or `{"design": null}` (nothing left to try)."""
    data = _envelope(text)
    if "design" not in data and {"name", "representation"} <= set(data):
        data = {"design": data}
    if "design" not in data:
        raise ReplyError(f'expected {{"design": {{...}}}} or {{"design": null}}, got keys {sorted(data)}')
    return _validate(DesignEnvelope, data, "invalid design", skip=("design",)).design


def parse_proposal(text: str) -> Proposal:
    """`{"proposal": {"move": <decompose move or null>, "note": "..."}}`."""
    data = _envelope(text)
    if "proposal" not in data and set(data) <= {"move", "note"}:
        data = {"proposal": data}
    if "proposal" not in data:
        raise ReplyError(f'expected {{"proposal": {{...}}}}, got keys {sorted(data)}')
    inner = data["proposal"]
    if isinstance(inner, dict) and isinstance(inner.get("move"), dict):
        kind = inner["move"].get("kind", "decompose")
        if kind != "decompose":
            raise ReplyError(f"a proposal's move must be a decompose move, got kind {kind!r}")
    return _validate(ProposalEnvelope, data, "invalid proposal", skip=("proposal",)).proposal


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ReplyError(f"expected a JSON object, got {type(value).__name__}")
    return value


def _validate(model: type[_T], data: dict[str, Any], what: str, skip: tuple[str, ...]) -> _T:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise ReplyError(f"{what}: {_errors(e, skip)}") from None


def _errors(e: ValidationError, skip: tuple[str, ...]) -> str:
    """Pydantic's errors on one line, paths relative to the move/design/proposal."""
    parts = []
    for err in e.errors()[:_MAX_ERRORS]:
        loc = [str(x) for x in err["loc"]]
        loc = loc[len(skip):] if loc[: len(skip)] == list(skip) else loc
        parts.append(f"{'.'.join(loc) or 'value'}: {err['msg']}")
    more = len(e.errors()) - _MAX_ERRORS
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")

