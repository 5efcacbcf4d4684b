"""Chat clients: the one place that talks to a provider's SDK.

`ChatClient.complete(system, messages, schema)` sends a system prompt and a conversation
of `{"role": "user"|"assistant", "content": str | list[str]}` messages (a list: parts,
the stable ones first), asks for a reply matching `schema`, and returns a `Completion`
(with `truncated` when the reply hit the limit). Both implementations use the real SDKs;
`request()` builds the SDK call's arguments from the model's resolved settings.

Retries are the SDKs': both retry connection errors, timeouts, 408/409/429 and 5xx with
exponential backoff (0.5 s doubling, capped at 8 s, with jitter) up to `max_retries`
times, and honour a `retry-after-ms` or `retry-after` header when it asks for a
positive wait. Only what is left after the retries reaches us, and SDK exceptions are
translated here — none escapes this module:

    LLMError                 an SDK error of no other kind; the network kill switch
    ├── LLMUnavailable       timeout, connection error, 408/429/5xx after the retries
    └── LLMRejected          any other 4xx (bad key, bad request, unknown model...)
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from typing import Any, Literal, Protocol, runtime_checkable

import anthropic
import openai
import structlog

from .network import check_network
from .settings import DEFAULT_REPLY_TOKENS, LLMSettings, resolve
from .types import Completion, LLMError, LLMRejected, LLMUnavailable

log = structlog.get_logger(__name__)

REPLY_TOOL = "reply"
"""Name of the single tool a provider is asked to call with the reply as its input."""

Content = str | list[str]
"""A message's content: text, or parts of it in order. Parts are where a client may put
cache breakpoints: every part but the last is a stable prefix of the next request."""


@runtime_checkable
class ChatClient(Protocol):
    provider: str
    model: str

    def complete(self, system: str, messages: list[dict[str, Any]], schema: dict[str, Any], *,
                 max_tokens: int | None = None) -> Completion: ...

    def close(self) -> None: ...


def _text(content: Content) -> str:
    return content if isinstance(content, str) else "".join(content)


class AnthropicClient:
    """Messages API. The reply's shape is a tool whose `input_schema` is the reply schema:
    forced (`tool_choice` the tool) when the model does not think, offered (`auto`) when it
    does — forced tool use is incompatible with extended thinking — and a reply in prose
    is then parsed for its JSON. Cache breakpoints (`cache_control`) go on the system
    prompt and on every part of a message but its last, so the tools, the system prompt
    and the stable head of the prompt are read from the cache on the next request."""

    provider = "anthropic"

    def __init__(self, *, model: str, api_key: str, base_url: str | None = None, timeout: float = 600.0,
                 max_retries: int = 3, settings: LLMSettings | None = None, max_tokens: int | None = None,
                 temperature: float | None = None) -> None:
        self.model, self.timeout, self.max_retries = model, timeout, max_retries
        settings = settings or LLMSettings()
        if max_tokens is not None or temperature is not None:  # the older keyword form
            settings = settings.model_copy(update={k: v for k, v in (("max_output_tokens", max_tokens),
                                                                     ("temperature", temperature)) if v is not None})
        self.settings = resolve("anthropic", model, settings)
        self.max_tokens = self.settings.max_output_tokens
        if base_url is not None:
            check_network(base_url)  # before the SDK exists, so nothing is ever sent
        self._sdk = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout,
                                        max_retries=max_retries)
        # The SDK resolves a missing base_url from ANTHROPIC_BASE_URL or its default:
        # check where requests will really go.
        self.base_url = str(self._sdk.base_url)
        check_network(self.base_url)

    @property
    def sends_schema(self) -> bool:
        return self.settings.output_mode == "tool"

    def request(self, system: str, messages: list[dict[str, Any]], schema: dict[str, Any],
                max_tokens: int | None = None) -> dict[str, Any]:
        """The keyword arguments of `messages.create` (a pure function, for tests and benches)."""
        r = self.settings
        limit = max_tokens or r.max_output_tokens or DEFAULT_REPLY_TOKENS
        kw: dict[str, Any] = {
            "model": self.model, "max_tokens": limit,
            "system": [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
            "messages": [{"role": m["role"], "content": _anthropic_content(m["content"])} for m in messages],
        }
        if r.output_mode == "tool":
            kw["tools"] = [{"name": REPLY_TOOL, "description": "Send your reply.", "input_schema": schema}]
            kw["tool_choice"] = {"type": "auto"} if r.thinks else {"type": "tool", "name": REPLY_TOOL}
        if r.adaptive_thinking:
            kw["thinking"] = {"type": "adaptive"}
        elif r.thinking_budget is not None:
            # The budget must stay below the limit, which a truncation retry may have raised.
            kw["thinking"] = {"type": "enabled", "budget_tokens": min(r.thinking_budget, limit - 1024)}
        if r.effort is not None:
            kw["output_config"] = {"effort": r.effort}
        return kw

    def complete(self, system: str, messages: list[dict[str, Any]], schema: dict[str, Any], *,
                 max_tokens: int | None = None) -> Completion:
        check_network(self.base_url)
        try:
            msg = self._sdk.messages.create(**self.request(system, messages, schema, max_tokens))
        except anthropic.AnthropicError as e:
            raise _translate(e, self, anthropic) from e
        tool = next((b for b in msg.content if b.type == "tool_use"), None)
        if tool is not None:
            text = json.dumps(tool.input, ensure_ascii=False)
        else:  # prose (thinking on, or a compatible server that does not force tools)
            text = "".join(getattr(b, "text", "") for b in msg.content if b.type == "text")
        u = msg.usage
        cache_read = _int(getattr(u, "cache_read_input_tokens", 0))
        cache_write = _int(getattr(u, "cache_creation_input_tokens", 0))
        # Anthropic's input_tokens excludes the cached part: ours is every input token.
        return Completion(text=text, tokens_in=_int(getattr(u, "input_tokens", 0)) + cache_read + cache_write,
                          tokens_out=_int(getattr(u, "output_tokens", 0)), cache_read=cache_read,
                          cache_write=cache_write, raw_id=msg.id, stop_reason=msg.stop_reason or "",
                          truncated=msg.stop_reason == "max_tokens")

    def close(self) -> None:
        self._sdk.close()


def _anthropic_content(content: Content) -> str | list[dict[str, Any]]:
    if isinstance(content, str):
        return content
    parts = [p for p in content if p]
    # At most 4 breakpoints per request; the system prompt holds one. Parts that say where
    # they want one (`prompts.Block`) get it; otherwise every part but the last.
    wanted = [i for i, p in enumerate(parts) if getattr(p, "cache", False)]
    marked = set((wanted if wanted else list(range(len(parts) - 1)))[-3:])
    return [{"type": "text", "text": str(p), **({"cache_control": {"type": "ephemeral"}} if i in marked else {})}
            for i, p in enumerate(parts)]


OpenAIMode = Literal["json_schema", "tool", "text", "none"]


class OpenAIClient:
    """Chat Completions API. Output modes: `json_schema` (the default) asks for
    `response_format={"type": "json_schema", ...}`, which OpenAI, vLLM, llama.cpp's
    server and Ollama accept; `tool` forces a function call, which not every compatible
    server honours; `text` relies on the prompt (which then carries the schema) and parses
    the JSON out of the reply. The schema is sent non-strict because OpenAI's strict mode
    rejects optional fields, and the parser validates the reply anyway. OpenAI caches a
    stable prompt prefix by itself; `cached_tokens` is read back for the accounting."""

    provider = "openai"

    def __init__(self, *, model: str, api_key: str | None, base_url: str | None = None, timeout: float = 600.0,
                 max_retries: int = 3, settings: LLMSettings | None = None, mode: OpenAIMode | None = None,
                 max_tokens: int | None = None, temperature: float | None = None,
                 compatible: bool | None = None) -> None:
        """`compatible`: a server other than OpenAI's (vLLM, Ollama...), whose limits we do
        not know; by default, any `base_url` not on api.openai.com."""
        self.model, self.timeout, self.max_retries = model, timeout, max_retries
        settings = settings or LLMSettings()
        update = {k: v for k, v in (("max_output_tokens", max_tokens), ("temperature", temperature),
                                    ("output_mode", "text" if mode == "none" else mode)) if v is not None}
        if update:  # the older keyword form
            settings = settings.model_copy(update=update)
        if compatible is None:
            compatible = base_url is not None and "api.openai.com" not in base_url
        self.compatible = compatible
        self.settings = resolve("openai", model, settings, compatible=self.compatible)
        self.mode = self.settings.output_mode
        self.max_tokens = self.settings.max_output_tokens
        if base_url is not None:
            check_network(base_url)
        # A local server needs no key, but the SDK refuses to start without one.
        self._sdk = openai.OpenAI(api_key=api_key or "unused", base_url=base_url, timeout=timeout,
                                  max_retries=max_retries)
        self.base_url = str(self._sdk.base_url)  # resolves OPENAI_BASE_URL / the default
        check_network(self.base_url)

    @property
    def sends_schema(self) -> bool:
        return self.settings.output_mode in ("json_schema", "tool")

    def request(self, system: str, messages: list[dict[str, Any]], schema: dict[str, Any],
                max_tokens: int | None = None) -> dict[str, Any]:
        """The keyword arguments of `chat.completions.create` (pure, for tests and benches)."""
        r = self.settings
        kw: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": system},
                         *({"role": m["role"], "content": _text(m["content"])} for m in messages)],
        }
        if r.output_mode == "json_schema":
            kw["response_format"] = {"type": "json_schema",
                                     "json_schema": {"name": REPLY_TOOL, "schema": schema, "strict": False}}
        elif r.output_mode == "tool":
            kw["tools"] = [{"type": "function", "function": {
                "name": REPLY_TOOL, "description": "Send your reply.", "parameters": schema}}]
            kw["tool_choice"] = {"type": "function", "function": {"name": REPLY_TOOL}}
        limit = max_tokens or r.max_output_tokens
        if limit is not None:
            # OpenAI's reasoning models take only max_completion_tokens; compatible servers
            # (vLLM, Ollama) have long taken max_tokens.
            kw["max_tokens" if self.compatible else "max_completion_tokens"] = limit
        if r.effort is not None:
            kw["reasoning_effort"] = r.effort
        if r.temperature is not None:
            kw["temperature"] = r.temperature
        return kw

    def complete(self, system: str, messages: list[dict[str, Any]], schema: dict[str, Any], *,
                 max_tokens: int | None = None) -> Completion:
        check_network(self.base_url)
        try:
            resp = self._sdk.chat.completions.create(**self.request(system, messages, schema, max_tokens))
        except openai.OpenAIError as e:
            raise _translate(e, self, openai) from e
        text, finish = "", ""
        if resp.choices:
            choice = resp.choices[0]
            msg, finish = choice.message, choice.finish_reason or ""
            calls = msg.tool_calls or []
            # Prefer the forced tool's arguments; fall back to the content.
            fn = next((c.function for c in calls if getattr(c, "function", None) is not None), None)
            text = fn.arguments if fn is not None and fn.arguments else (msg.content or "")
        u = resp.usage  # some compatible servers omit it: count 0 rather than fail
        details = getattr(u, "prompt_tokens_details", None)
        return Completion(text=text, tokens_in=_int(getattr(u, "prompt_tokens", 0)),
                          tokens_out=_int(getattr(u, "completion_tokens", 0)),
                          cache_read=_int(getattr(details, "cached_tokens", 0)), raw_id=resp.id,
                          stop_reason=finish, truncated=finish == "length")

    def close(self) -> None:
        self._sdk.close()


class FakeClient:
    """A deterministic stand-in for tests of code that uses a policy: replays the given
    reply texts in order (an exception instance is raised instead, a `Completion` is
    returned as is), and records what it was sent. No network, no SDK."""

    provider = "fake"
    sends_schema = True

    def __init__(self, replies: Iterable[str | Exception | Completion], *, model: str = "fake",
                 tokens_in: int = 100, tokens_out: int = 20) -> None:
        self.model, self.tokens_in, self.tokens_out = model, tokens_in, tokens_out
        self._replies: deque[str | Exception | Completion] = deque(replies)
        self.requests: list[dict[str, Any]] = []

    def complete(self, system: str, messages: list[dict[str, Any]], schema: dict[str, Any], *,
                 max_tokens: int | None = None) -> Completion:
        self.requests.append({"system": system, "messages": [dict(m) for m in messages], "schema": schema,
                              "max_tokens": max_tokens})
        if not self._replies:
            raise LLMUnavailable("fake client: no scripted reply left")
        reply = self._replies.popleft()
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, Completion):
            return reply
        return Completion(text=reply, tokens_in=self.tokens_in, tokens_out=self.tokens_out,
                          raw_id=f"fake-{len(self.requests)}")

    def close(self) -> None:
        pass


def _translate(e: Exception, client: AnthropicClient | OpenAIClient, sdk: Any) -> LLMError:
    """The SDK's exception as one of ours; both SDKs share the same exception names."""
    who = f"{client.provider} ({client.model} at {client.base_url})"
    tries = f"after {client.max_retries} retr{'y' if client.max_retries == 1 else 'ies'}"
    if isinstance(e, sdk.APITimeoutError):
        return LLMUnavailable(f"{who}: no answer within {client.timeout:g}s, {tries}")
    if isinstance(e, sdk.APIConnectionError):
        return LLMUnavailable(f"{who}: cannot connect, {tries}: {e}")
    if isinstance(e, sdk.APIStatusError):
        status = e.status_code
        detail = _status_detail(e)
        if status in (408, 429) or status >= 500:
            return LLMUnavailable(f"{who}: HTTP {status} {tries}: {detail}")
        return LLMRejected(f"{who}: HTTP {status}: {detail}", status=status)
    return LLMError(f"{who}: {type(e).__name__}: {e}")


def _status_detail(e: Any) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
    return str(getattr(e, "message", e))


def _int(x: Any) -> int:
    return x if isinstance(x, int) else 0
