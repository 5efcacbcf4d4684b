"""Rocq source to sentences, with exact character offsets.

A *sentence* is what Rocq executes in one step: a command or tactic up to its
terminating `.`, or one of the structural markers that need no dot (bullets, braces,
goal-selector focus). Each `Sentence` satisfies `source[start:end] == text`; its text
runs from its first character proper (after blanks and comments) to its terminator
inclusive. What lies between sentences (the *gaps*) is only blanks and comments and
belongs to no sentence, so gaps + sentences always rebuild the source exactly.

The lexical rules mirror Coq 8.16's lexer (`parsing/cLexer.ml`), because the grader
must cut a document exactly where Rocq will:

* Blanks are exactly ` `, `\\t`, `\\n`, `\\r` (Rocq's `blank_or_eof`); any other
  character, even Unicode spaces, is text.
* Comments `(* ... *)` nest, and string literals inside comments are lexed too, so
  `(* "*)" *)` is one comment. `(*)` opens a comment.
* Strings are `"..."`, where `""` is an escaped quote.
* A run of dots ends a sentence only if it is `.` or `...` (Ltac's `tac...`, as in
  `Init/Datatypes.v`) and is followed by a blank or the end of input. So `Nat.add`,
  `x.1`, `r.(f)`, `Qed.(* c *)` (Rocq lexes `.(`), and `x .. y` do not end one: a run
  of dots is consumed as one token.
* At the start of a sentence only (Rocq's `between_commands` state), a maximal run of
  one of `-`, `+`, `*` is a bullet sentence; `{` and `}` are sentences; so is a focus
  `N: {` or `[name]: {`. These can follow each other: `- { auto. }` is four
  sentences. Deviation from Rocq: `{|` at sentence start is ordinary text (record
  syntax), never a brace. Elsewhere `-`, `{`, ... are ordinary text.
* Everything else (attributes `#[local]`, `Time`, `Fail`, non-ASCII symbols) is
  ordinary text; offsets are Python character offsets, never bytes.

Unterminated input is not an error here: `split_with_tail` returns the complete
sentences plus the trailing fragment (text without a terminator, or an unterminated
comment or string) as a `Sentence` whose text runs from its first character to the
last non-blank character of the source, so a grader can report "incomplete sentence"
at its location. `split_sentences` returns only the complete sentences.
"""

from __future__ import annotations

import re

from .types import Sentence

__all__ = ["split_sentences", "split_with_tail", "is_blank"]

_BLANKS = " \t\n\r"
_BULLET_CHARS = "-+*"
# Inside a sentence: the next character that may start a comment, a string or an end.
_SENTENCE_EVENT = re.compile(r'\(\*|"|\.+')
# Inside a comment: nested opener, closer, or a string.
_COMMENT_EVENT = re.compile(r'\(\*|\*\)|"')
_NOT_BLANK = re.compile(r"[^ \t\n\r]")
# `2: {`, `[goal]: {` (but not `{|`), at sentence start.
_SELECTOR = re.compile(r"(?:\d+|\[[ \t\n\r]*[^\W\d][\w']*[ \t\n\r]*\])[ \t\n\r]*:[ \t\n\r]*\{(?!\|)")


def is_blank(char: str) -> bool:
    """True for the characters Rocq's lexer treats as blanks."""
    return len(char) == 1 and char in _BLANKS


def split_sentences(source: str) -> list[Sentence]:
    """The complete sentences of `source`; an unterminated tail is dropped."""
    return split_with_tail(source)[0]


def split_with_tail(source: str) -> tuple[list[Sentence], Sentence | None]:
    """The complete sentences of `source`, and its unterminated trailing fragment if any."""
    sentences: list[Sentence] = []
    pos = 0
    while True:
        start = _skip_gap(source, pos)
        if start == len(source):
            return sentences, None
        end = _structural_end(source, start)
        if end is None:
            end = _sentence_end(source, start)
        if end is None:
            tail_end = len(source.rstrip(_BLANKS))
            return sentences, Sentence(text=source[start:tail_end], start=start, end=tail_end)
        sentences.append(Sentence(text=source[start:end], start=start, end=end))
        pos = end


def _skip_gap(source: str, pos: int) -> int:
    """Skip blanks and complete comments from `pos`: the next sentence's start or EOF.

    An unterminated comment is not skipped: it starts the trailing fragment.
    """
    while True:
        match = _NOT_BLANK.search(source, pos)
        if match is None:
            return len(source)
        pos = match.start()
        if not source.startswith("(*", pos):
            return pos
        end = _comment_end(source, pos)
        if end is None:
            return pos
        pos = end


def _comment_end(source: str, pos: int) -> int | None:
    """`source[pos:]` starts with `(*`: the index just past its matching `*)`."""
    depth, pos = 1, pos + 2
    while True:
        match = _COMMENT_EVENT.search(source, pos)
        if match is None:
            return None
        token = match.group()
        if token == '"':
            end = _string_end(source, match.start())
            if end is None:
                return None
            pos = end
            continue
        depth += 1 if token == "(*" else -1
        pos = match.end()
        if depth == 0:
            return pos


def _string_end(source: str, pos: int) -> int | None:
    """`source[pos]` is `"`: the index just past the closing quote (`""` escapes one)."""
    pos += 1
    while True:
        close = source.find('"', pos)
        if close == -1:
            return None
        if source.startswith('""', close):
            pos = close + 2
            continue
        return close + 1


def _structural_end(source: str, start: int) -> int | None:
    """The end of a bullet, brace or focus sentence starting at `start`, else None."""
    char = source[start]
    if char in _BULLET_CHARS:
        end = start + 1
        while end < len(source) and source[end] == char:
            end += 1
        return end
    if char == "}" or (char == "{" and not source.startswith("{|", start)):
        return start + 1
    match = _SELECTOR.match(source, start)
    return match.end() if match else None


def _sentence_end(source: str, start: int) -> int | None:
    """The index just past the terminating dot of the sentence at `start`, or None."""
    pos = start
    while True:
        match = _SENTENCE_EVENT.search(source, pos)
        if match is None:
            return None
        token = match.group()
        if token == "(*":
            end = _comment_end(source, match.start())
        elif token == '"':
            end = _string_end(source, match.start())
        else:
            end = match.end()
            if token in (".", "...") and _blank_or_eof(source, end):
                return end
        if end is None:
            return None
        pos = end


def _blank_or_eof(source: str, pos: int) -> bool:
    return pos == len(source) or source[pos] in _BLANKS
