"""Translating a manifest's witnesses (`expr`, `expect`: closed Rocq terms over `M`) to OCaml.

The translator knows the small language witnesses are written in: numerals (optionally
`%nat` / `%uint63`, also on a parenthesised term), `Some`/`None`, `true`/`false`, `O`/`S`,
parentheses, and applications of the implementation's fields `M.f`. It is type-directed:
each field's parameter types (read from the extracted signature) say whether a numeral is a
unary `nat`, a `Uint63.t` or a machine `int`. A result type that can be printed and compared
(`nat`, `Uint63.t`, `int`, `bool`, `option` of these) yields OCaml code; anything else is
*unprintable* (a value, with the reason), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from idsynth.audit.types import Witness

from .mli import OType, SignatureInfo, TArrow, TCon, arrow_parts

UINT63 = TCon("Uint63.t")
NAT = TCon("nat")
INT = TCon("int")
BOOL = TCon("bool")
_MAX_INT = 2**62 - 1


class Untranslatable(Exception):
    """Internal: this witness is outside the translatable fragment (the message says why)."""


@dataclass(frozen=True)
class Num:
    value: int
    scope: str | None = None


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class App:
    fn: "Term"
    args: tuple["Term", ...]


@dataclass(frozen=True)
class Scoped:
    term: "Term"
    scope: str


Term = Num | Ref | App | Scoped

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+)|(?P<ident>@?[A-Za-z_][A-Za-z0-9_'.]*)|(?P<punct>[()%]))")


def parse_term(text: str) -> Term:
    tokens: list[tuple[str, str]] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Untranslatable(f"cannot translate {text[pos:pos + 15]!r}")
        kind = m.lastgroup
        assert kind is not None
        tokens.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    p = _TermParser(tokens)
    term = p.app()
    if p.i != len(tokens):
        raise Untranslatable(f"cannot translate {text!r}: unexpected {tokens[p.i][1]!r}")
    return term


class _TermParser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.t, self.i = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def app(self) -> Term:
        atoms = [self.atom()]
        while (tok := self.peek()) is not None and tok[1] not in (")", "%"):
            atoms.append(self.atom())
        return atoms[0] if len(atoms) == 1 else App(atoms[0], tuple(atoms[1:]))

    def atom(self) -> Term:
        tok = self.peek()
        if tok is None:
            raise Untranslatable("unexpected end of term")
        self.i += 1
        kind, text = tok
        if kind == "num":
            return Num(int(text), self._scope())
        if kind == "ident":
            if text.startswith("@"):
                raise Untranslatable("explicit application (@) is not translated")
            return Ref(text)
        if text == "(":
            inner = self.app()
            if self.peek() != ("punct", ")"):
                raise Untranslatable("unbalanced parentheses")
            self.i += 1
            scope = self._scope()
            return Scoped(inner, scope) if scope else inner
        raise Untranslatable(f"unexpected {text!r}")

    def _scope(self) -> str | None:
        if self.peek() == ("punct", "%"):
            self.i += 1
            tok = self.peek()
            if tok is None or tok[0] != "ident":
                raise Untranslatable("expected a scope name after %")
            self.i += 1
            return tok[1]
        return None


def _option(t: OType) -> OType | None:
    return t.args[0] if isinstance(t, TCon) and t.name == "option" and len(t.args) == 1 else None


class Translator:
    """Translate terms against one extracted signature; `module` is the OCaml path of `M`."""

    def __init__(self, info: SignatureInfo, module: str = "Impl.IdsynthImpl", model: str = "M") -> None:
        self.info, self.module, self.model = info, module, model

    # -- terms
    def check(self, term: Term, expected: OType | None, scope: str | None = None) -> tuple[str, OType]:
        if isinstance(term, Scoped):
            return self.check(term.term, expected, term.scope)
        if isinstance(term, Num):
            return self._numeral(term.value, term.scope or scope, expected)
        head, args = (term.fn, list(term.args)) if isinstance(term, App) else (term, [])
        if not isinstance(head, Ref):
            raise Untranslatable("only applications of named functions are translated")
        name = head.name
        if name in ("true", "false") and not args:
            return self._expect(name, BOOL, expected)
        if name == "None" and not args:
            if expected is None or _option(expected) is None:
                raise Untranslatable("cannot tell the type of None here")
            return "None", expected
        if name == "Some" and len(args) == 1:
            inner = _option(expected) if expected is not None else None
            if expected is not None and inner is None:
                raise Untranslatable(f"Some where {expected} is expected")
            code, t = self.check(args[0], inner, scope)
            return f"(Some {code})", TCon("option", (t,))
        if name == "O" and not args:
            self._need_peano()
            return self._expect("Impl.O", NAT, expected)
        if name == "S" and len(args) == 1:
            self._need_peano()
            code, _ = self.check(args[0], NAT, scope)
            return self._expect(f"(Impl.S {code})", NAT, expected)
        prefix = self.model + "."
        if not name.startswith(prefix) or name[len(prefix):] not in self.info.values:
            raise Untranslatable(f"{name!r} is not a field of the signature {self.info.signature}")
        field = name[len(prefix):]
        params, result = arrow_parts(self.info.values[field])
        if len(args) != len(params):
            raise Untranslatable(f"{name} takes {len(params)} arguments, given {len(args)}")
        codes = [self.check(a, p, scope)[0] for a, p in zip(args, params)]
        code = f"{self.module}.{field}" if not codes else f"({self.module}.{field} {' '.join(codes)})"
        return self._expect(code, result, expected)

    def _expect(self, code: str, actual: OType, expected: OType | None) -> tuple[str, OType]:
        if expected is not None and expected != actual:
            raise Untranslatable(f"a {actual} where {expected} is expected")
        return code, actual

    def _need_peano(self) -> None:
        if not self.info.peano_nat:
            raise Untranslatable("nat is not extracted as unary O/S here")

    def _numeral(self, n: int, scope: str | None, expected: OType | None) -> tuple[str, OType]:
        if expected is None:
            expected = UINT63 if scope == "uint63" else NAT
        if expected == UINT63 and scope in (None, "uint63"):
            if n >= 2**63:
                raise Untranslatable(f"{n} does not fit in 63 bits")
            return f"(Uint63.of_int ({n if n <= _MAX_INT else n - 2**63}))", UINT63
        if expected == NAT and scope in (None, "nat"):
            self._need_peano()
            return f"(idsynth_nat_of_int {n})", NAT
        if expected == INT and scope in (None, "nat", "Z", "N"):
            if n > _MAX_INT:
                raise Untranslatable(f"{n} does not fit in an OCaml int")
            return str(n), INT
        raise Untranslatable(f"numeral {n}{'%' + scope if scope else ''} where {expected} is expected")

    # -- printing
    def printer(self, t: OType) -> str:
        """OCaml code of a printer `t -> string` printing Rocq syntax, or Untranslatable."""
        if t == NAT and self.info.peano_nat:
            return "(fun x -> string_of_int (idsynth_int_of_nat x))"
        if t == UINT63:
            return '(fun x -> Uint63.to_string x ^ "%uint63")'
        if t == INT:
            return "string_of_int"
        if t == BOOL:
            return "string_of_bool"
        inner = _option(t)
        if inner is not None:
            return (f'(fun x -> match x with None -> "None" | Some y -> "Some " ^ idsynth_paren ({self.printer(inner)} y))')
        raise Untranslatable(f"values of type {t} are not printed (only nat, Uint63.t, int, bool and options)")

    def witness(self, w: Witness) -> str:
        """OCaml code of a `unit -> bool * string * string` (holds, got, expect)."""
        expr_code, t = self.check(parse_term(w.expr), None)
        if isinstance(t, TArrow):
            raise Untranslatable("the witness is a function")
        printer = self.printer(t)
        expect_code, _ = self.check(parse_term(w.expect), t)
        return (f"(fun () -> let got = {expr_code} in let expect = {expect_code} in "
                f"(got = expect, {printer} got, {printer} expect))")


def translate_witnesses(witnesses: list[Witness], info: SignatureInfo,
                        module: str = "Impl.IdsynthImpl") -> tuple[dict[str, str], dict[str, str]]:
    """(name -> OCaml code) for the translatable witnesses, (name -> reason) for the others."""
    tr = Translator(info, module)
    code: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for w in witnesses:
        try:
            code[w.name] = tr.witness(w)
        except Untranslatable as exc:
            skipped[w.name] = str(exc)
    return code, skipped
