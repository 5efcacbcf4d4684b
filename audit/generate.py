"""Inputs for the theorem tests, generated from printed Rocq types.

Values are Rocq text that needs no notation to be read (`Printing All` style: `@Some nat 5`,
constructors by qualified name, naturals as decimal digits turned unary by `vm_compute`),
each with its spelling in the witness language over `M` when it has one (for the OCaml
binary). Naturals favour small values and keys >= 50; the signature's abstract types are
built by random sequences of its operations from its initial values.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .term_text import app_parts


class Untestable(Exception):
    """This theorem is outside the tested fragment (the message says why)."""


@dataclass(frozen=True)
class Value:
    coq: str
    """Rocq text of the value (no notation needed to read it)."""
    wit: str | None
    """The same value in the witness language over `M` (None when it has no such form)."""


@dataclass
class Op:
    name: str
    params: list[str]
    result: str


@dataclass
class Signature:
    prefix: str
    """How the session prints the implementation's names, e.g. `Candidate.AssocMap.`."""
    abstract: list[str]
    """The printed names of the signature's abstract types."""
    ops: list[Op]
    constructors: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    """First-order inductive types of the spec, by printed name: (constructor, argument types)."""


class Gen:
    """Values of printed Rocq types, as text Rocq reads without any notation."""

    def __init__(self, sig: Signature, rng: random.Random, max_ops: int) -> None:
        self.sig, self.rng, self.max_ops = sig, rng, max_ops

    def generable(self, typ: str, seen: frozenset[str] = frozenset()) -> str | None:
        """None when values of `typ` can be generated, else why not."""
        parts = app_parts(typ)
        head, args = parts[0], parts[1:]
        if head in ("nat", "bool", "unit") or self._number_kind(head):
            return None
        if head in ("option", "list") and len(args) == 1:
            return self.generable(args[0], seen)
        if head == "prod" and len(args) == 2:
            return self.generable(args[0], seen) or self.generable(args[1], seen)
        if typ in self.sig.abstract:
            if typ in seen:
                return f"no operation builds a {typ} without one"
            if not self._producers(typ, seen | {typ}):
                return f"no operation of the signature builds a {typ}"
            return None
        if typ in self.sig.constructors:
            return None
        return f"no generator for values of type `{typ}`"

    def _number_kind(self, head: str) -> str | None:
        short = head.rsplit(".", 1)[-1]
        if short in ("Z", "N", "positive") and (head == short or head.startswith(("BinNums.", "Coq.Numbers.BinNums."))):
            return short
        if head in ("PrimInt63.int", "Uint63.int", "Int63.int", "int"):
            return "int63"
        return None

    def _producers(self, typ: str, seen: frozenset[str]) -> list[tuple[Op, str]]:
        """Operations that return a `typ` (directly or in a pair), with how to project it."""
        out = []
        for op in self.sig.ops:
            proj = self._projection(op.result, typ)
            if proj is None:
                continue
            if all(p == typ or self.generable(p, seen) is None for p in op.params):
                out.append((op, proj))
        return out

    def _projection(self, result: str, typ: str) -> str | None:
        if result == typ:
            return ""
        parts = app_parts(result)
        if parts[0] == "prod" and len(parts) == 3:
            if parts[2] == typ:
                return f"@snd {parts[1]} {parts[2]}"
            if parts[1] == typ:
                return f"@fst {parts[1]} {parts[2]}"
        return None

    # -- values
    def nat(self, pool: list[int]) -> int:
        r = self.rng.random()
        if pool and r < 0.35:
            return self.rng.choice(pool)
        band = self.rng.random()
        if band < 0.3:
            return self.rng.randint(0, 4)
        if band < 0.5:
            return self.rng.randint(5, 49)
        if band < 0.85:
            return self.rng.randint(50, 120)
        # Unary naturals cost Rocq time to read, evaluate and print: larger keys stay rare.
        return self.rng.randint(121, 300)

    def value(self, typ: str, pool: list[int], depth: int = 3) -> Value:
        parts = app_parts(typ)
        head, args = parts[0], parts[1:]
        if head == "nat":
            n = self.nat(pool)
            return Value(nat_text(n), str(n))
        if head == "bool":
            b = self.rng.choice(["true", "false"])
            return Value(b, b)
        if head == "unit":
            return Value("tt", None)
        kind = self._number_kind(head)
        if kind:
            return self.number(kind, head, self._wide(kind, pool))
        if head == "option":
            if self.rng.random() < 0.25:
                return Value(f"(@None {_p(args[0])})", "None")
            v = self.value(args[0], pool, depth)
            return Value(f"(@Some {_p(args[0])} {v.coq})", f"(Some {v.wit})" if v.wit else None)
        if head == "list":
            n = self.rng.randint(0, 4 if depth > 0 else 0)
            text = f"(@nil {_p(args[0])})"
            for _ in range(n):
                text = f"(@cons {_p(args[0])} {self.value(args[0], pool, depth - 1).coq} {text})"
            return Value(text, None)
        if head == "prod":
            a, b = self.value(args[0], pool, depth), self.value(args[1], pool, depth)
            return Value(f"(@pair {_p(args[0])} {_p(args[1])} {a.coq} {b.coq})", None)
        if typ in self.sig.abstract:
            return self.state(typ, pool, self.rng.randint(0, self.max_ops), depth)
        if typ in self.sig.constructors:
            ctors = self.sig.constructors[typ]
            base = [c for c in ctors if typ not in c[1]]
            name, params = self.rng.choice(ctors if depth > 0 else (base or ctors))
            vals = [self.value(p, pool, depth - 1) for p in params]
            return Value(f"({name} {' '.join(v.coq for v in vals)})" if vals else name, None)
        raise Untestable(f"no generator for values of type `{typ}`")

    def _wide(self, kind: str, pool: list[int]) -> int:
        r = self.rng.random()
        if kind in ("Z", "N", "positive", "int63"):
            if r < 0.3:
                n = self.nat(pool)
            elif r < 0.6:
                n = self.rng.randint(0, 2**20)
            elif r < 0.8:
                n = self.rng.randint(0, 2**40)
            else:
                n = self.rng.choice([0, 1, 2**31 - 1, 2**31, 2**62 - 1, 2**62]) if kind == "int63" \
                    else self.rng.randint(0, 2**62)
            if kind == "Z" and self.rng.random() < 0.3:
                n = -n
            if kind == "positive":
                n = max(n, 1)
            if kind == "int63":
                n = n % 2**63
            return n
        return self.nat(pool)

    def number(self, kind: str, head: str, n: int) -> Value:
        qual = head[: -len(head.rsplit(".", 1)[-1])] if "." in head else ""
        if kind == "int63":
            return Value(f"(Coq.Numbers.Cyclic.Int63.Uint63.of_Z {_z(n, 'Coq.Numbers.BinNums.')})", str(n))
        if kind == "positive":
            return Value(_pos(max(n, 1), qual), None)
        if kind == "N":
            return Value(f"{qual}N0" if n == 0 else f"({qual}Npos {_pos(n, qual)})", None)
        return Value(_z(n, qual), None)

    def state(self, typ: str, pool: list[int], steps: int, depth: int) -> Value:
        producers = self._producers(typ, frozenset({typ}))
        starts = [(op, proj) for op, proj in producers if typ not in op.params]
        moves = [(op, proj) for op, proj in producers if typ in op.params]
        if not starts:
            raise Untestable(f"no operation of the signature builds a {typ} from nothing")
        if self.rng.random() < 0.3:
            steps *= 3  # now and then a long history: states near a bound, deep structures
        cur = self._apply(*self.rng.choice(starts), typ, None, pool, depth)
        for _ in range(steps if moves else 0):
            cur = self._apply(*self.rng.choice(moves), typ, cur, pool, depth)
        return cur

    def _apply(self, op: Op, proj: str, typ: str, cur: Value | None, pool: list[int], depth: int) -> Value:
        coq, wit = [], []
        for p in op.params:
            if p == typ and cur is not None:
                v = cur
            elif p in self.sig.abstract:
                if depth <= 0:
                    raise Untestable(f"values of {p} nest too deep")
                v = self.state(p, pool, self.rng.randint(0, 2), depth - 1)
            else:
                v = self.value(p, pool, depth - 1)
            coq.append(v.coq)
            wit.append(v.wit)
        call = f"({self.sig.prefix}{op.name} {' '.join(coq)})" if coq else f"{self.sig.prefix}{op.name}"
        wcall = None
        if all(w is not None for w in wit) and not proj:
            wcall = f"(M.{op.name} {' '.join(wit)})" if wit else f"M.{op.name}"  # type: ignore[arg-type]
        return Value(f"({proj} {call})" if proj else call, wcall)


def nat_text(n: int) -> str:
    """A natural number as Rocq text: decimal digits that `vm_compute` turns into unary, since
    reading a unary numeral costs Rocq time linear in its value."""
    if n < 10:
        return str(n)
    digits = "Decimal.Nil"
    for d in reversed(str(n)):
        digits = f"(Decimal.D{d} {digits})"
    return f"(Nat.of_uint {digits})"


def _p(typ: str) -> str:
    return f"({typ})" if " " in typ.strip() else typ


def _pos(n: int, qual: str) -> str:
    bits = bin(n)[3:]
    text = f"{qual}xH"
    for b in bits:
        text = f"({qual}{'xI' if b == '1' else 'xO'} {text})"
    return text


def _z(n: int, qual: str) -> str:
    if n == 0:
        return f"{qual}Z0"
    return f"({qual}{'Zpos' if n > 0 else 'Zneg'} {_pos(abs(n), qual)})"
