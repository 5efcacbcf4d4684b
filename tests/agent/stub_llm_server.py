"""A local stand-in for the Anthropic and OpenAI HTTP APIs, for tests of the real SDK clients.

An `http.server` in a thread on 127.0.0.1 (port chosen by the OS) replays a queue of
scripted responses, one per request, whatever the path, and records every request.
A scripted response can carry a status code and headers (429 with `retry-after-ms`, 500),
or a delay longer than the client's timeout.

The response bodies below are HAND-WRITTEN fixtures in the providers' wire formats —
Anthropic Messages API (`POST /v1/messages`) and OpenAI Chat Completions
(`POST /v1/chat/completions`) — following the providers' API references and the SDKs'
response models; they were not recorded from the real services.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Scripted:
    """One response to give. `body` is sent as JSON (a str is sent as is)."""

    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (to outlast a client's timeout)."""


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class StubLLMServer:
    def __init__(self) -> None:
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[Received] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="stub-llm", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def enqueue(self, *responses: Scripted) -> None:
        with self._lock:
            self._queue.extend(responses)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def start(self) -> "StubLLMServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping on a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "StubLLMServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, received: Received) -> Scripted:
        with self._lock:
            self.requests.append(received)
            if self._queue:
                return self._queue.popleft()
        # Not retryable, so an unscripted request fails the test at once and clearly.
        return Scripted(400, {"error": {"type": "invalid_request_error",
                                        "message": "stub: no scripted response left"}},
                        headers={"x-should-retry": "false"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    body: Any = json.loads(raw) if raw else None
                except json.JSONDecodeError:
                    body = raw.decode("utf-8", "replace")
                scripted = stub._next(Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()},
                                               body))
                if scripted.delay and stub._stopping.wait(scripted.delay):
                    return  # the server is stopping: drop the connection
                payload = scripted.body if isinstance(scripted.body, str) else json.dumps(scripted.body or {})
                data = payload.encode("utf-8")
                try:
                    self.send_response(scripted.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in scripted.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timed out) before we answered

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                pass

        return Handler


# -- hand-written wire-format fixtures -------------------------------------------------

_counter = iter(range(1, 1_000_000))


def anthropic_message(content: list[dict[str, Any]], *, tokens: tuple[int, int] = (100, 20),
                      stop_reason: str = "tool_use", model: str = "claude-sonnet-4-6") -> dict[str, Any]:
    """A Messages API response body (`POST /v1/messages`)."""
    return {
        "id": f"msg_stub{next(_counter):04d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": tokens[0], "output_tokens": tokens[1],
                  "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
    }


def anthropic_tool_use(input: dict[str, Any], *, name: str = "reply", tokens: tuple[int, int] = (100, 20)) -> Scripted:
    block = {"type": "tool_use", "id": f"toolu_stub{next(_counter):04d}", "name": name, "input": input}
    return Scripted(body=anthropic_message([block], tokens=tokens))


def anthropic_text(text: str, *, tokens: tuple[int, int] = (100, 20)) -> Scripted:
    return Scripted(body=anthropic_message([{"type": "text", "text": text}], tokens=tokens, stop_reason="end_turn"))


def anthropic_error(status: int, type: str, message: str, headers: dict[str, str] | None = None) -> Scripted:
    return Scripted(status, {"type": "error", "error": {"type": type, "message": message}}, headers or {})


def openai_completion(message: dict[str, Any], *, tokens: tuple[int, int] = (100, 20),
                      finish_reason: str = "stop", model: str = "gpt-4o-mini-2024-07-18") -> dict[str, Any]:
    """A Chat Completions response body (`POST /v1/chat/completions`)."""
    return {
        "id": f"chatcmpl-stub{next(_counter):04d}",
        "object": "chat.completion",
        "created": 1_750_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "refusal": None, **message},
                     "logprobs": None, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": tokens[0], "completion_tokens": tokens[1], "total_tokens": sum(tokens)},
        "system_fingerprint": "fp_stub",
    }


def openai_content(text: str, *, tokens: tuple[int, int] = (100, 20)) -> Scripted:
    return Scripted(body=openai_completion({"content": text}, tokens=tokens))


def openai_tool_call(arguments: str, *, name: str = "reply", tokens: tuple[int, int] = (100, 20)) -> Scripted:
    call = {"id": f"call_stub{next(_counter):04d}", "type": "function",
            "function": {"name": name, "arguments": arguments}}
    return Scripted(body=openai_completion({"content": None, "tool_calls": [call]}, tokens=tokens,
                                           finish_reason="tool_calls"))


def openai_error(status: int, type: str, message: str, headers: dict[str, str] | None = None) -> Scripted:
    return Scripted(status, {"error": {"message": message, "type": type, "param": None, "code": None}},
                    headers or {})
