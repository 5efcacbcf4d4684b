"""idsynth.agent.llm — the `llm` policy: a chat model behind the Policy protocol.

Layers: `prompts` (observation → text) and `parse` (text → move) are pure; `clients`
is the only module that touches a provider SDK and the network, guarded by `network`'s
kill switch; `policy` ties them together; `prices` turns tokens into dollars.

Public surface: `make_llm_policy`, `LLMPolicy`, the clients (`ChatClient`,
`AnthropicClient`, `OpenAIClient`, `FakeClient`), `Completion`, `LLMCall`, the error tree
(`LLMError` > `LLMUnavailable`, `LLMRejected`), `ReplyError`, the price table
(`PriceTable`, `Price`, `Cost`, `load_prices`, `DEFAULT_PRICES`) and the kill switch
(`forbid_real_network`, `real_network_forbidden`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from .clients import AnthropicClient, ChatClient, FakeClient, OpenAIClient
from .network import ENV_VAR as FORBID_NETWORK_ENV, forbid_real_network, real_network_forbidden
from .parse import ReplyError, parse_design, parse_move, parse_proposal
from .policy import LLMPolicy
from .prices import DEFAULT_PRICES, Cost, Price, PriceOverrides, PriceTable, load_prices
from .prompts import Prompt, render_choose, render_design, render_observation, render_propose
from .settings import LLMSettings, Resolved, SettingsError, resolve
from .types import Completion, LLMCall, LLMError, LLMRejected, LLMUnavailable

_KEY_ENV = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


def make_llm_policy(
    provider: Literal["anthropic", "openai"],
    model: str,
    base_url: str | None = None,
    api_key: str | None = None,
    *,
    timeout: float = 600.0,
    max_retries: int = 3,
    prices: PriceTable | PriceOverrides | str | Path | None = None,
    max_invalid_replies: int = 3,
    on_call: Callable[[LLMCall], None] | None = None,
    patience: float = 600.0,
    settings: LLMSettings | None = None,
    **client_options: Any,
) -> LLMPolicy:
    """An `LLMPolicy` over the provider's real SDK.

    `api_key` defaults to ANTHROPIC_API_KEY / OPENAI_API_KEY; an OpenAI-compatible server
    named by `base_url` needs none. `prices` overrides the built-in price table (a dict,
    or a TOML file's path). `settings`: reply limit, thinking, effort, temperature, output
    mode, context window (defaults per model family, see `settings.py`). `patience`:
    seconds to wait out an unavailable provider before `PolicyStopped`. `client_options`
    go to the client (the older `max_tokens`, `temperature`, OpenAI `mode`).
    """
    if provider not in _KEY_ENV:
        raise LLMError(f"unknown LLM provider {provider!r} (expected 'anthropic' or 'openai')")
    if api_key is None:
        api_key = os.environ.get(_KEY_ENV[provider]) or None
        if api_key is None and not (provider == "openai" and base_url is not None):
            raise LLMError(f"no API key for {provider}: set {_KEY_ENV[provider]} or pass --api-key")
    cls = AnthropicClient if provider == "anthropic" else OpenAIClient
    client = cls(model=model, api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries,
                 settings=settings, **client_options)
    return LLMPolicy(client, model, prices=load_prices(prices), max_invalid_replies=max_invalid_replies,
                     on_call=on_call, patience=patience)


__all__ = [
    "DEFAULT_PRICES", "FORBID_NETWORK_ENV", "AnthropicClient", "ChatClient", "Completion", "Cost", "FakeClient",
    "LLMCall", "LLMError", "LLMPolicy", "LLMSettings", "Resolved", "SettingsError", "resolve", "LLMRejected", "LLMUnavailable", "OpenAIClient", "Price",
    "PriceOverrides", "PriceTable", "Prompt", "ReplyError", "forbid_real_network", "load_prices",
    "make_llm_policy", "parse_design", "parse_move", "parse_proposal", "real_network_forbidden",
    "render_choose", "render_design", "render_observation", "render_propose",
]
