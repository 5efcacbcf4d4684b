"""Reading the extracted `impl.mli`: the spec's signature, in OCaml types.

Extraction of `Module IdsynthImpl : SIG := ...` prints `module type SIG = sig ... end` (the
spec's own field names and types) and `module IdsynthImpl : SIG`. This module parses that
signature and the small OCaml type language extraction prints (`a -> b`, `a * b`,
postfix constructors such as `nat option`, parentheses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import DriverError


@dataclass(frozen=True)
class TCon:
    """A type constructor applied to arguments: `nat`, `Uint63.t option`, `(a, b) foo`."""
    name: str
    args: tuple["OType", ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name
        if len(self.args) == 1:
            return f"{_paren(self.args[0])} {self.name}"
        return f"({', '.join(map(str, self.args))}) {self.name}"


@dataclass(frozen=True)
class TArrow:
    arg: "OType"
    result: "OType"

    def __str__(self) -> str:
        left = f"({self.arg})" if isinstance(self.arg, TArrow) else str(self.arg)
        return f"{left} -> {self.result}"


@dataclass(frozen=True)
class TTuple:
    items: tuple["OType", ...]

    def __str__(self) -> str:
        return " * ".join(_paren(t) for t in self.items)


OType = TCon | TArrow | TTuple


def _paren(t: OType) -> str:
    return f"({t})" if isinstance(t, (TArrow, TTuple)) else str(t)


def arrow_parts(t: OType) -> tuple[list[OType], OType]:
    """`a -> b -> c` as ([a, b], c)."""
    params: list[OType] = []
    while isinstance(t, TArrow):
        params.append(t.arg)
        t = t.result
    return params, t


_TOKEN = re.compile(r"\s*(->|\*|\(|\)|,|'?[A-Za-z_][A-Za-z0-9_'.]*)")


def parse_type(text: str) -> OType:
    tokens: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or not m.group(1):
            raise DriverError(f"cannot read OCaml type {text!r} at {text[pos:pos + 20]!r}")
        tokens.append(m.group(1))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    parser = _TypeParser(tokens, text)
    t = parser.arrow()
    if parser.i != len(tokens):
        raise DriverError(f"cannot read OCaml type {text!r}: trailing {tokens[parser.i:]}")
    return t


class _TypeParser:
    def __init__(self, tokens: list[str], text: str) -> None:
        self.t, self.i, self.text = tokens, 0, text

    def peek(self) -> str | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise DriverError(f"cannot read OCaml type {self.text!r}: expected {expected or 'more'}")
        self.i += 1
        return tok

    def arrow(self) -> OType:
        left = self.tuple()
        if self.peek() == "->":
            self.take()
            return TArrow(left, self.arrow())
        return left

    def tuple(self) -> OType:
        items = [self.app()]
        while self.peek() == "*":
            self.take()
            items.append(self.app())
        return items[0] if len(items) == 1 else TTuple(tuple(items))

    def app(self) -> OType:
        if self.peek() == "(":
            self.take()
            inner = [self.arrow()]
            while self.peek() == ",":
                self.take()
                inner.append(self.arrow())
            self.take(")")
            if len(inner) > 1:
                t: OType = TCon(self._ident(), tuple(inner))
            else:
                t = inner[0]
        else:
            t = TCon(self._ident())
        while self.peek() not in (None, "->", "*", ")", ",", "("):
            t = TCon(self._ident(), (t,))
        return t

    def _ident(self) -> str:
        tok = self.take()
        if tok in ("->", "*", "(", ")", ","):
            raise DriverError(f"cannot read OCaml type {self.text!r}: unexpected {tok!r}")
        return tok


@dataclass
class SignatureInfo:
    """The signature an extracted module is sealed with."""
    module: str
    signature: str
    abstract_types: list[str] = field(default_factory=list)
    values: dict[str, OType] = field(default_factory=dict)
    peano_nat: bool = False
    """`impl.mli` defines `type nat = O | S of nat` (unary naturals, no ExtrOcamlNatInt)."""


_PEANO = re.compile(r"^type nat =\s*\|\s*O\s*\|\s*S of nat\s*$", re.M)


def _block_after(text: str, start: int) -> str:
    """The text between the `sig` at or after `start` and its matching `end`."""
    m = re.compile(r"\bsig\b").search(text, start)
    if m is None:
        raise DriverError("impl.mli: expected `sig`")
    depth, pos = 1, m.end()
    word = re.compile(r"\b(sig|end|struct|object)\b")
    while depth:
        w = word.search(text, pos)
        if w is None:
            raise DriverError("impl.mli: unbalanced sig ... end")
        depth += -1 if w.group(1) == "end" else 1
        pos = w.end()
    return text[m.end():w.start()]


def read_signature(mli_text: str, module: str) -> SignatureInfo:
    """Find `module <module> : SIG` (or `: sig ... end`) and parse SIG's items."""
    m = re.search(rf"^module {re.escape(module)} :\s*(?P<sig>[A-Za-z_][\w']*|sig\b)", mli_text, re.M)
    if m is None:
        raise DriverError(f"impl.mli has no `module {module} : ...`")
    if m.group("sig") == "sig":
        signame, body = module, _block_after(mli_text, m.start("sig"))
    else:
        signame = m.group("sig")
        t = re.search(rf"^module type {re.escape(signame)} =", mli_text, re.M)
        if t is None:
            raise DriverError(f"impl.mli has no `module type {signame}`")
        body = _block_after(mli_text, t.end())
    info = SignatureInfo(module=module, signature=signame, peano_nat=bool(_PEANO.search(mli_text)))
    flat = " ".join(body.split())
    for item in re.split(r"\s(?=(?:val|type|module|include|exception)\s)", " " + flat):
        item = item.strip()
        if item.startswith("val "):
            name, _, typ = item[4:].partition(":")
            info.values[name.strip()] = parse_type(typ)
        elif item.startswith("type "):
            decl = item[5:]
            if "=" not in decl:
                info.abstract_types.append(decl.strip().split()[-1])
    return info
