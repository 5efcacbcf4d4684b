"""The one lexer of Rocq text: tokens with exact character offsets.

Every part of idsynth that reads Rocq source (the sentence splitter, documents, the audit's
text scan, the refusal of agent moves) sees comments, strings and sentence-ending dots
through this module, so they cannot disagree about where a comment ends — the way a cheat
hides a command from a checker that reads text differently from `coqc` (issue #19:
`Time (* "*)" *) Extract Constant ...`).

The rules mirror Coq 8.16's `parsing/cLexer.ml`:

* Blanks are exactly ` `, `\\t`, `\\n`, `\\r`; any other character (even a Unicode space)
  is text.
* A comment `(* ... *)` nests, and a string literal inside a comment is lexed as a string:
  coqc reads `(* "*)" *)` as one comment (it only warns `comment-terminator-in-string`).
  `(*)` opens a comment. An unterminated string inside a comment leaves the comment
  unterminated.
* A string is `"..."`, where `""` stands for one quote.
* A run of dots is one token (`..`, `...`, `.`): the splitter decides which end sentences.
* Identifiers are `[^\\W\\d][\\w']*`, qualified ones joined by single dots (`Coq.Init.Nat`)
  lexed as one `WORD` token, because that is how commands name things.

An unterminated comment or string is not an error: its token runs to the end of the input
with `closed=False`, so a consumer can report it where it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Iterator

__all__ = ["Kind", "Token", "tokenize", "marks", "comment_end", "string_end", "BLANKS", "code_only",
           "without_comments"]

BLANKS = " \t\n\r"


class Kind(str, Enum):
    BLANK = "blank"
    COMMENT = "comment"
    STRING = "string"
    WORD = "word"
    """An identifier or a dotted qualified name (`Nat.add`, `Coq.Lists.List`)."""
    NUMBER = "number"
    DOTS = "dots"
    """A maximal run of dots not inside a qualified name."""
    SYMBOL = "symbol"
    """Anything else: one `(`, `[` or `]`, or a run of other non-blank characters."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    start: int
    end: int
    closed: bool = True
    """False for a comment or string that runs to the end of the input unterminated."""

    def text(self, source: str) -> str:
        return source[self.start:self.end]


_IDENT = r"[^\W\d][\w']*"
_TOKEN = re.compile(
    r"(?P<blank>[ \t\n\r]+)"
    r"|(?P<comment>\(\*)"
    r'|(?P<string>")'
    rf"|(?P<word>{_IDENT}(?:\.{_IDENT})*)"
    r"|(?P<number>\d[\d_]*)"
    r"|(?P<dots>\.+)"
    r"|(?P<symbol>[^ \t\n\r\w\".(\[\]]+|.)",
    re.DOTALL,
)
_KIND = {name: Kind(name) for name in ("blank", "comment", "string", "word", "number", "dots", "symbol")}
# The only characters that can start a comment, a string or a dot run: no other token
# contains `(`, `"` or `.` except a qualified name's inner dots.
_MARK = re.compile(r'\(\*|"|\.+')
# Inside a comment: a nested opener, a closer, or a string.
_COMMENT_EVENT = re.compile(r'\(\*|\*\)|"')


def comment_end(source: str, pos: int) -> int | None:
    """`source[pos:]` starts with `(*`: the index just past its matching `*)`, or None if the
    comment (or a string inside it) is unterminated."""
    depth, pos = 1, pos + 2
    while True:
        match = _COMMENT_EVENT.search(source, pos)
        if match is None:
            return None
        token = match.group()
        if token == '"':
            end = string_end(source, match.start())
            if end is None:
                return None
            pos = end
            continue
        depth += 1 if token == "(*" else -1
        pos = match.end()
        if depth == 0:
            return pos


def string_end(source: str, pos: int) -> int | None:
    """`source[pos]` is `"`: the index just past the closing quote (`""` is an escaped quote),
    or None if the string is unterminated."""
    pos += 1
    while True:
        close = source.find('"', pos)
        if close == -1:
            return None
        if source.startswith('""', close):
            pos = close + 2
            continue
        return close + 1


def tokenize(source: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """The tokens of `source[start:end]`, blanks and comments included, in order; together
    they cover the range exactly. A comment or string crossing `end` runs to its own end
    (or to the end of `source`, unterminated)."""
    stop = len(source) if end is None else end
    pos = start
    match_at = _TOKEN.match
    while pos < stop:
        m = match_at(source, pos)
        kind = _KIND[m.lastgroup]
        if kind is Kind.COMMENT or kind is Kind.STRING:
            close = comment_end(source, pos) if kind is Kind.COMMENT else string_end(source, pos)
            if close is None:
                yield Token(kind, pos, len(source), closed=False)
                return
            yield Token(kind, pos, close)
            pos = close
        else:
            yield Token(kind, pos, m.end())
            pos = m.end()


def marks(source: str, start: int = 0) -> Iterator[Token]:
    """The comments, strings and dot runs of `source` from `start`, skipping everything
    else without building its tokens: the fast path for the splitter, which needs nothing
    more. Comments and strings are exactly `tokenize`'s; a dot run is also reported inside
    a qualified name (`Nat.add`), where a name character follows it, so it never ends a
    sentence."""
    pos = start
    search = _MARK.search
    while True:
        m = search(source, pos)
        if m is None:
            return
        first = source[m.start()]
        if first == ".":
            yield Token(Kind.DOTS, m.start(), m.end())
            pos = m.end()
            continue
        kind = Kind.STRING if first == '"' else Kind.COMMENT
        close = comment_end(source, m.start()) if kind is Kind.COMMENT else string_end(source, m.start())
        if close is None:
            yield Token(kind, m.start(), len(source), closed=False)
            return
        yield Token(kind, m.start(), close)
        pos = close


def code_only(text: str) -> str:
    """`text` with every comment and string literal blanked (newlines kept), so offsets and
    lines still match: a search in the result never finds a word inside either."""
    return _blank(text, (Kind.COMMENT, Kind.STRING))


def without_comments(text: str) -> str:
    """`text` with every comment replaced by one space; strings are kept."""
    out, pos = [], 0
    for token in tokenize(text):
        if token.kind is Kind.COMMENT:
            out.append(text[pos:token.start])
            out.append(" ")
            pos = token.end
    out.append(text[pos:])
    return "".join(out)


def _blank(text: str, kinds: tuple[Kind, ...]) -> str:
    out, pos = [], 0
    for token in tokenize(text):
        if token.kind in kinds:
            out.append(text[pos:token.start])
            out.append(re.sub(r"[^\n]", " ", text[token.start:token.end]))
            pos = token.end
    out.append(text[pos:])
    return "".join(out)
