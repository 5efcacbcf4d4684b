"""What a model's tokens cost, in USD per million input and output tokens.

The built-in table is a snapshot of list prices (standard tier, no caching, no batch) for
a few models; prices change, so the user can override or extend it with a dict or a
TOML file of tables keyed by model name:

    ["claude-sonnet-4-5"]
    input = 3.0
    output = 15.0

A model is found by its exact name, or by a known name followed by a date or `-latest`
("claude-sonnet-4-5-20250929", "gpt-4o-2024-08-06"). Anything else is *unknown*: it
costs 0 and the cost says so, so that a dollar budget is visibly not enforced rather
than silently wrong.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .types import LLMError


class Price(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    """USD per million input (prompt) tokens, uncached."""
    output: float = Field(ge=0)
    """USD per million output (completion) tokens, thinking included."""
    cache_read: float | None = Field(default=None, ge=0)
    """USD per million input tokens read from the prompt cache; None: `input`."""
    cache_write: float | None = Field(default=None, ge=0)
    """USD per million input tokens written to the cache (Anthropic's 5-minute cache:
    1.25 x input); None: `input`."""


class Cost(BaseModel):
    model_config = ConfigDict(frozen=True)

    dollars: float
    known: bool
    """False when the model has no price: `dollars` is then 0."""


# List prices (standard tier, prompts under 200k tokens) as published by Anthropic and
# OpenAI, checked November 2026 for the Claude 4.6 models and late 2025 for the rest.
# Cache prices follow each provider's published rule: Anthropic reads at 0.1 x input and
# writes (5-minute cache) at 1.25 x; OpenAI has no write surcharge and reads at 0.1 x for
# the gpt-5 family, 0.25 x for gpt-4.1, o3 and o4-mini, 0.5 x for gpt-4o.
# Models we could not confirm are deliberately absent rather than guessed: pass them as
# overrides.
_CACHE_RATIO = {"claude": (0.1, 1.25), "gpt-5": (0.1, 1.0), "gpt-4.1": (0.25, 1.0), "gpt-4o": (0.5, 1.0),
                "o3": (0.25, 1.0), "o4": (0.25, 1.0)}


def _priced(name: str, i: float, o: float) -> Price:
    read, write = next(r for prefix, r in _CACHE_RATIO.items() if name.startswith(prefix))
    return Price(input=i, output=o, cache_read=round(i * read, 6), cache_write=round(i * write, 6))


DEFAULT_PRICES: dict[str, Price] = {
    name: _priced(name, i, o)
    for name, (i, o) in {
        "claude-opus-4-6": (5.0, 25.0),
        "claude-opus-4-5": (5.0, 25.0),
        "claude-opus-4-1": (15.0, 75.0),
        "claude-sonnet-4-6": (3.0, 15.0),
        "claude-sonnet-4-5": (3.0, 15.0),
        "claude-haiku-4-5": (1.0, 5.0),
        "gpt-5.1": (1.25, 10.0),
        "gpt-5": (1.25, 10.0),
        "gpt-5-mini": (0.25, 2.0),
        "gpt-5-nano": (0.05, 0.4),
        "gpt-4.1": (2.0, 8.0),
        "gpt-4.1-mini": (0.4, 1.6),
        "gpt-4.1-nano": (0.1, 0.4),
        "gpt-4o": (2.5, 10.0),
        "gpt-4o-mini": (0.15, 0.6),
        "o3": (2.0, 8.0),
        "o4-mini": (1.1, 4.4),
    }.items()
}

# What may follow a known name: Anthropic's -YYYYMMDD, OpenAI's -YYYY-MM-DD, or -latest.
_SNAPSHOT = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)")

PriceOverrides = Mapping[str, "Price | Mapping[str, float]"]


class PriceTable:
    def __init__(self, overrides: PriceOverrides | None = None, *, defaults: bool = True) -> None:
        self._prices: dict[str, Price] = dict(DEFAULT_PRICES) if defaults else {}
        for name, value in (overrides or {}).items():
            try:
                self._prices[name] = value if isinstance(value, Price) else Price.model_validate(value)
            except ValidationError as e:
                raise LLMError(f"bad price for model {name!r}: {_one_line(e)}") from None

    @classmethod
    def from_toml(cls, path: str | Path, *, defaults: bool = True) -> "PriceTable":
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise LLMError(f"cannot read price table {path}: {e}") from None
        return cls(data, defaults=defaults)

    def lookup(self, model: str) -> Price | None:
        if model in self._prices:
            return self._prices[model]
        # Longest known name first, so "gpt-4o-mini-2024-07-18" is not priced as gpt-4o.
        for name in sorted(self._prices, key=len, reverse=True):
            if model.startswith(name) and _SNAPSHOT.fullmatch(model[len(name):]):
                return self._prices[name]
        return None

    def known(self, model: str) -> bool:
        return self.lookup(model) is not None

    def cost(self, model: str, tokens_in: int, tokens_out: int, *, cache_read: int = 0,
             cache_write: int = 0) -> Cost:
        """`tokens_in` counts every input token; `cache_read`/`cache_write` the parts of it
        billed at the cache prices."""
        price = self.lookup(model)
        if price is None:
            return Cost(dollars=0.0, known=False)
        uncached = max(0, tokens_in - cache_read - cache_write)
        read = price.input if price.cache_read is None else price.cache_read
        write = price.input if price.cache_write is None else price.cache_write
        micro = uncached * price.input + cache_read * read + cache_write * write + tokens_out * price.output
        return Cost(dollars=round(micro / 1e6, 6), known=True)


def load_prices(source: "PriceTable | PriceOverrides | str | Path | None" = None) -> PriceTable:
    """The defaults, overridden by a table, a dict of overrides or a TOML file's path."""
    if isinstance(source, PriceTable):
        return source
    if isinstance(source, (str, Path)):
        return PriceTable.from_toml(source)
    return PriceTable(source)


def _one_line(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, x['loc'])) or 'value'}: {x['msg']}" for x in e.errors())
