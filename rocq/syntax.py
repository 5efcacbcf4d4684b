"""One parsed view of a command sentence, on top of `rocq.lexer`.

`parse(sentence)` peels what Coq 8.16 lets stand in front of a command (its grammar's
`vernac_control` and `decorated_vernac`) and returns the command itself:

* control prefixes: `Time`, `Redirect "file"`, `Timeout n`, `Fail`, `Succeed` (and Rocq
  9's `Instructions` and `Profile`, which 8.16 rejects, peeled all the same so a later
  Rocq cannot hide a command behind them);
* attributes `#[...]` (brackets and strings inside them respected);
* legacy attributes `Local`, `Global`, `Polymorphic`, `Monomorphic`, `Cumulative`,
  `NonCumulative`, `Private`, `Program`, and `Export`/`Import` before `Set`/`Unset`.

They are peeled in any order and any number (Coq is stricter: `#[local] Time` is a syntax
error), because a reader that peels more never misses a command coqc runs. Comments are
skipped wherever they stand, by the one lexer, so `Time (* "*)" *) Load x.` is `Load`.

The view also says what the command means for nesting: it opens a `Module`, a
`Module Type` or a `Section` (not `Module X := M.`, not `Declare Module`), or `End`s one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .lexer import Kind, Token, tokenize

__all__ = ["Command", "Control", "parse", "CONTROL_WORDS", "LEGACY_ATTRIBUTES"]

CONTROL_WORDS = ("Time", "Redirect", "Timeout", "Fail", "Succeed", "Instructions", "Profile")
LEGACY_ATTRIBUTES = ("Local", "Global", "Polymorphic", "Monomorphic", "Cumulative", "NonCumulative",
                     "Private", "Program")
_EXPORT_LOCALITY = ("Export", "Import")
"""`Export Set ...`: a locality only before `Set`/`Unset`; elsewhere a command."""

Scope = Literal["module", "module_type", "section", "end"]


@dataclass(frozen=True)
class Control:
    word: str
    argument: str | None = None
    """`Redirect`'s file (with its quotes), `Timeout`'s number; else None."""


@dataclass(frozen=True)
class Command:
    controls: tuple[Control, ...]
    attributes: tuple[str, ...]
    """The inside of each `#[...]`, comments dropped and blanks collapsed."""
    legacy: tuple[str, ...]
    """Legacy attribute words peeled (`Local`, `Program`, ...)."""
    words: tuple[str, ...]
    """The leading words of the command proper: `("Declare", "ML", "Module")`."""
    body: str
    """The command from its keyword on, comments removed and blanks collapsed."""
    code: str
    """`body` with string literals emptied to `""`: only code is left to search."""
    start: int
    """Offset of the keyword in the parsed text."""

    @property
    def keyword(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def control_words(self) -> tuple[str, ...]:
        return tuple(c.word for c in self.controls)

    @property
    def name(self) -> str | None:
        """The name the command declares or acts on: the word after the keyword, skipping
        `Type` (`Module Type T`), `Import`/`Export` (`Module Import M`) and the `Module` of
        `Declare Module M`."""
        rest = list(self.words[1:])
        skipped = ("Type", "Import", "Export") + (("ML", "Module") if self.keyword == "Declare" else ())
        while rest and rest[0] in skipped:
            rest.pop(0)
        return rest[0] if rest else None

    @property
    def scope(self) -> Scope | None:
        """How the command changes Module/Section nesting."""
        kw = self.keyword
        if kw == "End":
            return "end"
        if kw == "Section":
            return "section"
        if kw == "Module" and ":=" not in self.code:
            return "module_type" if self.words[1:2] == ("Type",) else "module"
        return None


@lru_cache(maxsize=8192)
def parse(text: str) -> Command:
    """The command view of one sentence's text (its final dot may be included)."""
    tokens = [t for t in tokenize(text) if t.kind is not Kind.BLANK and t.kind is not Kind.COMMENT]
    controls: list[Control] = []
    attributes: list[str] = []
    legacy: list[str] = []
    i = 0
    while i < len(tokens):
        word = _word(text, tokens, i)
        if word in CONTROL_WORDS:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if word == "Redirect" and nxt is not None and nxt.kind is Kind.STRING:
                controls.append(Control(word, nxt.text(text)))
                i += 2
            elif word == "Timeout" and nxt is not None and nxt.kind is Kind.NUMBER:
                controls.append(Control(word, nxt.text(text)))
                i += 2
            else:
                controls.append(Control(word))
                i += 1
            continue
        if word in LEGACY_ATTRIBUTES or (word in _EXPORT_LOCALITY and _word(text, tokens, i + 1) in ("Set", "Unset")):
            legacy.append(word)
            i += 1
            continue
        if tokens[i].kind is Kind.SYMBOL and tokens[i].text(text) == "#" and _is(text, tokens, i + 1, "["):
            close = _matching_bracket(text, tokens, i + 1)
            attributes.append(_render(text, tokens[i + 2:close], keep_strings=True))
            i = close + 1
            continue
        break
    words: list[str] = []
    j = i
    while j < len(tokens) and tokens[j].kind is Kind.WORD:
        words.append(tokens[j].text(text))
        j += 1
    rest = tokens[i:]
    return Command(
        controls=tuple(controls), attributes=tuple(attributes), legacy=tuple(legacy), words=tuple(words),
        body=_render(text, rest, keep_strings=True), code=_render(text, rest, keep_strings=False),
        start=rest[0].start if rest else len(text),
    )


def _word(text: str, tokens: list[Token], i: int) -> str | None:
    if i < len(tokens) and tokens[i].kind is Kind.WORD:
        return tokens[i].text(text)
    return None


def _is(text: str, tokens: list[Token], i: int, symbol: str) -> bool:
    return i < len(tokens) and tokens[i].kind is Kind.SYMBOL and tokens[i].text(text) == symbol


def _matching_bracket(text: str, tokens: list[Token], i: int) -> int:
    """`tokens[i]` is `[`: the index of its matching `]` (or the last token)."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].kind is Kind.SYMBOL:
            s = tokens[j].text(text)
            depth += (s == "[") - (s == "]")
            if depth == 0:
                return j
    return len(tokens) - 1


def _render(text: str, tokens: list[Token], *, keep_strings: bool) -> str:
    """Tokens (blanks and comments already dropped) joined as they stood, one space
    wherever blanks or comments separated them."""
    out: list[str] = []
    prev_end: int | None = None
    for t in tokens:
        if prev_end is not None and t.start != prev_end:
            out.append(" ")
        out.append(t.text(text) if keep_strings or t.kind is not Kind.STRING else '""')
        prev_end = t.end
    return "".join(out)
