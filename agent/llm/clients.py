"""Chat clients: the one place that talks to a provider's SDK.

`ChatClient.complete(system, messages, schema)` sends a system prompt and a conversation
of plain `{"role": "user"|"assistant", "content": str}` messages, asks for a reply
matching `schema`, and returns a `Completion`. Both implementations use the real SDKs.

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
from .types import Completion, LLMError, LLMRejected, LLMUnavailable

log = structlog.get_logger(__name__)

REPLY_TOOL = "reply"
"""Name of the single tool a provider is forced to call with the reply as its input."""


@runtime_checkable
class ChatClient(Protocol):
    provider: str
    model: str

    def complete(self, system: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> Completion: ...

    def close(self) -> None: ...


class AnthropicClient:
    """Messages API, with the reply forced through one tool whose `input_schema` is the
    reply schema: the tool's input is the reply, serialised back to JSON text."""

    provider = "anthropic"

    def __init__(self, *, model: str, api_key: str, base_url: str | None = None, timeout: float = 120.0,
                 max_retries: int = 3, max_tokens: int = 8192, temperature: float | None = None) -> None:
        self.model, self.timeout, self.max_retries = model, timeout, max_retries
        self.max_tokens, self.temperature = max_tokens, temperature
        if base_url is not None:
            check_network(base_url)  # before the SDK exists, so nothing is ever sent
        self._sdk = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout,
                                        max_retries=max_retries)
        # The SDK resolves a missing base_url from ANTHROPIC_BASE_URL or its default:
        # check where requests will really go.
        self.base_url = str(self._sdk.base_url)
        check_network(self.base_url)

    def complete(self, system: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> Completion:
        check_network(self.base_url)
        extra: dict[str, Any] = {} if self.temperature is None else {"temperature": self.temperature}
        try:
            msg = self._sdk.messages.create(
                model=self.model, max_tokens=self.max_tokens, system=system,
                messages=[{"role": m["role"], "content": m["content"]} for m in messages],  # type: ignore[misc]
                tools=[{"name": REPLY_TOOL, "description": "Send your reply.", "input_schema": schema}],
                tool_choice={"type": "tool", "name": REPLY_TOOL}, **extra,
            )
        except anthropic.AnthropicError as e:
            raise _translate(e, self, anthropic) from e
        tool = next((b for b in msg.content if b.type == "tool_use"), None)
        if tool is not None:
            text = json.dumps(tool.input, ensure_ascii=False)
        else:  # the model ignored the forced tool (or a compatible server did not force it)
            text = "".join(getattr(b, "text", "") for b in msg.content)
        u = msg.usage
        return Completion(text=text, tokens_in=_int(getattr(u, "input_tokens", 0)),
                          tokens_out=_int(getattr(u, "output_tokens", 0)), raw_id=msg.id)

    def close(self) -> None:
        self._sdk.close()


OpenAIMode = Literal["json_schema", "tool", "none"]


class OpenAIClient:
    """Chat Completions API. `mode="json_schema"` (the default) asks for
    `response_format={"type": "json_schema", ...}`: OpenAI, vLLM, llama.cpp's server and
    Ollama all accept it, whereas a forced function call (`mode="tool"`) is not honoured
    by every compatible server. The schema is sent non-strict because OpenAI's strict mode
    rejects optional fields, and the parser validates the reply anyway. `mode="none"`
    relies on the prompt alone, for servers that support neither."""

    provider = "openai"

    def __init__(self, *, model: str, api_key: str, base_url: str | None = None, timeout: float = 120.0,
                 max_retries: int = 3, mode: OpenAIMode = "json_schema", max_tokens: int | None = None,
                 temperature: float | None = None) -> None:
        self.model, self.timeout, self.max_retries = model, timeout, max_retries
        self.mode, self.max_tokens, self.temperature = mode, max_tokens, temperature
        if base_url is not None:
            check_network(base_url)
        self._sdk = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
        self.base_url = str(self._sdk.base_url)  # resolves OPENAI_BASE_URL / the default
        check_network(self.base_url)

    def complete(self, system: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> Completion:
        check_network(self.base_url)
        kwargs: dict[str, Any] = {}
        if self.mode == "json_schema":
            kwargs["response_format"] = {"type": "json_schema",
                                         "json_schema": {"name": REPLY_TOOL, "schema": schema, "strict": False}}
        elif self.mode == "tool":
            kwargs["tools"] = [{"type": "function", "function": {
                "name": REPLY_TOOL, "description": "Send your reply.", "parameters": schema}}]
            kwargs["tool_choice"] = {"type": "function", "function": {"name": REPLY_TOOL}}
        if self.max_tokens is not None:
            kwargs["max_completion_tokens"] = self.max_tokens
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        try:
            resp = self._sdk.chat.completions.create(
                model=self.model,
                messages=[{"role": "system", "content": system}, *messages],  # type: ignore[list-item]
                **kwargs,
            )
        except openai.OpenAIError as e:
            raise _translate(e, self, openai) from e
        text = ""
        if resp.choices:
            msg = resp.choices[0].message
            calls = msg.tool_calls or []
            # Prefer the forced tool's arguments; fall back to the content.
            fn = next((c.function for c in calls if getattr(c, "function", None) is not None), None)
            text = fn.arguments if fn is not None and fn.arguments else (msg.content or "")
        u = resp.usage  # some compatible servers omit it: count 0 rather than fail
        return Completion(text=text, tokens_in=_int(getattr(u, "prompt_tokens", 0)),
                          tokens_out=_int(getattr(u, "completion_tokens", 0)), raw_id=resp.id)

    def close(self) -> None:
        self._sdk.close()


class FakeClient:
    """A deterministic stand-in for tests of code that uses a policy: replays the given
    reply texts in order (an exception instance is raised instead), and records what it
    was sent. No network, no SDK."""

    provider = "fake"

    def __init__(self, replies: Iterable[str | Exception], *, model: str = "fake",
                 tokens_in: int = 100, tokens_out: int = 20) -> None:
        self.model, self.tokens_in, self.tokens_out = model, tokens_in, tokens_out
        self._replies: deque[str | Exception] = deque(replies)
        self.requests: list[dict[str, Any]] = []

    def complete(self, system: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> Completion:
        self.requests.append({"system": system, "messages": [dict(m) for m in messages], "schema": schema})
        if not self._replies:
            raise LLMUnavailable("fake client: no scripted reply left")
        reply = self._replies.popleft()
        if isinstance(reply, Exception):
            raise reply
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
