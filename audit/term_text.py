"""Reading the text of Rocq terms printed with `Set Printing All`.

With `Printing All` a term has no notation left: applications are prefix (`@eq nat a b`),
products are `forall (x y : A) (_ : P), B`, every argument that is not atomic is
parenthesised. That is enough to take a statement apart at its top level (binders,
premises, connectives, the two sides of an equality) by counting brackets, without a full
Rocq parser: the pieces are handed back to Rocq as text. Anything this reader does not
know (`match`, `let`, `fix`, ...) stays an opaque piece of text, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = "([{"
_CLOSE = ")]}"


class TermSyntax(Exception):
    """Internal: the text is not a term this reader can take apart (the message says why)."""


def _depths(text: str):
    """Yield (index, char, depth before char), skipping over string literals."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = text.find('"', i + 1)
            while j != -1 and j + 1 < n and text[j + 1] == '"':
                j = text.find('"', j + 2)
            if j == -1:
                raise TermSyntax("unterminated string")
            i = j + 1
            continue
        yield i, c, depth
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth < 0:
                raise TermSyntax(f"unbalanced {c!r}")
        i += 1
    if depth != 0:
        raise TermSyntax("unbalanced brackets")


def strip_parens(text: str) -> str:
    """`((t))` -> `t`, only when the outer parentheses enclose the whole text."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        closing = None
        for i, c, d in _depths(text):
            if c == ")" and d == 1:
                closing = i
                break
        if closing != len(text) - 1:
            break
        text = text[1:-1].strip()
    return text


def split_top(text: str, sep: str) -> list[str]:
    """Split at every occurrence of `sep` outside brackets."""
    parts, start = [], 0
    for i, c, d in _depths(text):
        if d == 0 and text.startswith(sep, i) and i >= start:
            parts.append(text[start:i])
            start = i + len(sep)
    parts.append(text[start:])
    return [p.strip() for p in parts]


def app_parts(text: str) -> list[str]:
    """An application's head and arguments: `f (g x) y` -> [`f`, `(g x)`, `y`]."""
    text = strip_parens(text)
    if re.match(r"(forall|fun|match|let|fix|cofix)\b", text):
        return [text]
    return app_parts_raw(text)


@dataclass(frozen=True)
class Binder:
    name: str
    """`_` for a non-dependent product: a premise."""
    type: str


def split_forall(text: str) -> tuple[list[Binder], str]:
    """`forall (x y : A) (_ : P), B` -> ([x:A, y:A, _:P], B); nested foralls are flattened."""
    binders: list[Binder] = []
    text = strip_parens(text)
    while text.startswith("forall ") or text.startswith("forall("):
        rest = text[len("forall"):].strip()
        comma = None
        for i, c, d in _depths(rest):
            if c == "," and d == 0:
                comma = i
                break
        if comma is None:
            raise TermSyntax("forall without a comma")
        head, body = rest[:comma].strip(), rest[comma + 1:].strip()
        groups = [head] if not head.startswith("(") else [strip_parens(g) for g in app_parts_raw(head)]
        for g in groups:
            names_type = split_top(g, " : ")
            if len(names_type) != 2:
                raise TermSyntax(f"cannot read the binder {g!r}")
            names, typ = names_type
            for name in names.split():
                binders.append(Binder(name=name, type=typ.strip()))
        text = strip_parens(body)
    return binders, text


def app_parts_raw(text: str) -> list[str]:
    """Like `app_parts` but without looking at the head: top-level space-separated pieces."""
    parts, start = [], None
    for i, c, d in _depths(text):
        if d == 0 and c.isspace():
            if start is not None:
                parts.append(text[start:i])
                start = None
        elif start is None:
            start = i
    if start is not None:
        parts.append(text[start:])
    return parts


def value_of_eval(output: str) -> tuple[str, str] | None:
    """`     = v\\n     : T` (the output of `Eval ... in t.`) -> (v, T), whitespace collapsed."""
    text = output.strip()
    if not text.startswith("="):
        return None
    cut = [m.start() for m in re.finditer(r"\n\s*:\s", text)]
    if not cut:
        return None
    value, typ = text[1:cut[-1]], text[cut[-1]:].strip()[1:]
    return " ".join(value.split()), " ".join(typ.split())
