"""How a model is asked: reply limit, thinking / reasoning effort, output mode, temperature,
context window — what the user set, completed by defaults per model family.

Why defaults per family: a proof agent needs room to reason, but what "room" means and
how it is requested differs. Claude 4.x models take an extended-thinking budget
(`thinking={"type": "enabled", "budget_tokens": N}`), the 4.6 generation decides how
much to think itself (`{"type": "adaptive"}`) and takes an `effort`; OpenAI's reasoning
models (o-series, gpt-5) take `reasoning_effort` and reject `temperature`; other chat
models (gpt-4.1, a local Qwen behind vLLM) take neither. A local OpenAI-compatible server
gets no reply limit unless one is given, because a limit larger than its context window
is an error there.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Thinking = Literal["auto", "off", "adaptive"] | int
"""auto: the family's default; off; adaptive (Claude 4.6+); an int: a thinking budget in tokens."""
Effort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]
OutputMode = Literal["auto", "json_schema", "tool", "text"]
"""How the reply's shape is enforced. json_schema: OpenAI `response_format`; tool: one
tool the model calls (forced when the model does not think, `auto` when it does, since
forced tool use is incompatible with extended thinking); text: the schema is in the
prompt and the JSON is parsed out of the prose."""

DEFAULT_REPLY_TOKENS = 32_000
"""The reply limit when the family's maximum is not known: large, because a pivot design
is ~15 k tokens of Rocq and a thinking budget comes out of the same limit."""
DEFAULT_THINKING_BUDGET = 16_000


class LLMSettings(BaseModel):
    """What the user asked for (CLI flags, `idsynth.toml`); None/"auto" = the default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_output_tokens: int | None = Field(default=None, ge=1)
    thinking: Thinking = "auto"
    effort: Effort | None = None
    temperature: float | None = Field(default=None, ge=0)
    output_mode: OutputMode = "auto"
    context_window: int | None = Field(default=None, ge=1024)
    """Tokens the server accepts (prompt + reply): the prompt is trimmed to fit."""


class Resolved(BaseModel):
    """The settings a client sends, every default decided."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_output_tokens: int | None
    """None: not sent (a compatible server's own limit applies)."""
    thinking_budget: int | None = None
    """Anthropic: `thinking={"type": "enabled", "budget_tokens": N}`."""
    adaptive_thinking: bool = False
    """Anthropic: `thinking={"type": "adaptive"}`."""
    effort: Effort | None = None
    """Anthropic: `output_config.effort`; OpenAI: `reasoning_effort`."""
    temperature: float | None = None
    output_mode: Literal["json_schema", "tool", "text"] = "tool"
    context_window: int | None = None

    @property
    def thinks(self) -> bool:
        return self.thinking_budget is not None or self.adaptive_thinking or self.effort not in (None, "none")


class SettingsError(ValueError):
    """A combination the provider would reject; one line, said before any request."""


_CLAUDE_THINKS = re.compile(r"claude-(?:(?:opus|sonnet|haiku)-4|3-7-sonnet)")
_CLAUDE_ADAPTIVE = re.compile(r"claude-(?:opus|sonnet|haiku)-4-(?:[6-9]|\d\d)")
_CLAUDE_EFFORT = re.compile(r"claude-(?:opus-4-5|(?:opus|sonnet|haiku)-4-(?:[6-9]|\d\d))")
_CLAUDE_64K = re.compile(r"claude-(?:sonnet-4|haiku-4-5|opus-4-5|(?:opus|sonnet|haiku)-4-(?:[6-9]|\d\d)|3-7)")
_OPENAI_REASONING = re.compile(r"^(?:o\d|gpt-5(?!-chat)|gpt-oss)")


def resolve(provider: str, model: str, settings: LLMSettings, *, compatible: bool = False) -> Resolved:
    """`settings` completed for `model`. `compatible`: an OpenAI-compatible server other
    than OpenAI's (a `--base-url`), whose limits we do not know."""
    if provider == "anthropic":
        return _anthropic(model, settings)
    return _openai(model, settings, compatible)


def _anthropic(model: str, s: LLMSettings) -> Resolved:
    limit = s.max_output_tokens or (48_000 if _CLAUDE_64K.search(model) else DEFAULT_REPLY_TOKENS)
    budget: int | None = None
    adaptive = False
    if s.thinking == "adaptive":
        adaptive = True
    elif isinstance(s.thinking, int):
        budget = s.thinking
    elif s.thinking == "auto":
        if _CLAUDE_ADAPTIVE.search(model):
            adaptive = True
        elif _CLAUDE_THINKS.search(model):
            budget = min(DEFAULT_THINKING_BUDGET, limit // 2)
    effort = s.effort
    if effort is None and _CLAUDE_EFFORT.search(model) and s.thinking != "off":
        effort = "high"
    if budget is not None:
        if budget < 1024:
            raise SettingsError(f"thinking budget {budget}: Anthropic needs at least 1024 tokens")
        if budget >= limit:
            raise SettingsError(f"thinking budget {budget} must be below the reply limit {limit} "
                                "(thinking counts toward it): raise --max-output-tokens")
    thinks = budget is not None or adaptive
    if s.temperature is not None:
        # The Messages API of the installed SDK takes no sampling parameters at all.
        raise SettingsError("Anthropic's Messages API (SDK 2.x) takes no temperature: drop --temperature")
    mode = "tool" if s.output_mode in ("auto", "json_schema") else s.output_mode
    return Resolved(max_output_tokens=limit, thinking_budget=budget, adaptive_thinking=adaptive,
                    effort=effort if effort != "none" else None,
                    temperature=None, output_mode=mode,
                    context_window=s.context_window)


def _openai(model: str, s: LLMSettings, compatible: bool) -> Resolved:
    reasoning = bool(_OPENAI_REASONING.search(model))
    if isinstance(s.thinking, int) or s.thinking == "adaptive":
        raise SettingsError("--thinking budget/adaptive is Anthropic's; for OpenAI use --effort")
    effort = s.effort
    if effort is None and reasoning and not compatible and s.thinking != "off":
        effort = "medium"
    if effort in ("xhigh", "max"):
        effort = "high"  # OpenAI's top level
    if reasoning and s.temperature not in (None, 1) and not compatible:
        raise SettingsError(f"{model} is a reasoning model: OpenAI rejects a temperature other than 1")
    if s.max_output_tokens is not None:
        limit: int | None = s.max_output_tokens
    elif compatible:
        limit = None  # larger than a local server's window is a 400: its own default applies
    else:
        limit = DEFAULT_REPLY_TOKENS if reasoning else 16_384
    mode = "json_schema" if s.output_mode == "auto" else s.output_mode
    return Resolved(max_output_tokens=limit, effort=effort, temperature=s.temperature, output_mode=mode,
                    context_window=s.context_window)


__all__ = ["DEFAULT_REPLY_TOKENS", "Effort", "LLMSettings", "OutputMode", "Resolved", "SettingsError", "Thinking",
           "resolve"]
