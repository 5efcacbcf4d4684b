"""The design catalogue of the offline `auto` policy: candidate data representations.

Given a spec, `Catalogue.designs()` yields `Design`s, best first. Each design defines every
field of the signature (a `Define` per field, plus a preamble of imports); put into
`skeleton(...)` its text compiles with every theorem `Admitted`, and every witness of the
manifest holds on it. Proving the theorems is somebody else's job.

Everything is driven by the *types* of the signature's fields (read from Rocq with
`Print Module Type`), never by their names:

- **map-shaped signatures** — one abstract state `t`, a lookup `K -> t -> option V`, an
  insert `K -> V -> t -> t`, optionally a delete `K -> t -> t` and a membership test
  `K -> t -> bool`, and constants `t` — get the classic representations from a table:
  an association list (insert deletes the key first), a function closure
  `K -> option V`, and, when `K` has a `ltb`, an unbalanced binary search tree whose
  delete leaves a tombstone (so no invariant is needed for the theorems);
- **every other signature** gets *typed enumerative synthesis*: a concrete state type is
  picked from `REPRESENTATIONS`, and each field's body is enumerated from the snippet
  table `GRAMMAR` (templates with typed holes), smallest first. Behaviourally equal terms
  are merged (observational equivalence on sampled inputs). A depth-first search, by
  increasing total size, chooses the fields in an order that lets every witness be
  evaluated as soon as the fields it mentions are chosen. A witness is evaluated on the
  Python shadow of the candidates when its syntax allows (see `_WitnessExpr`); otherwise
  the chosen bodies are defined in our own Rocq session and the witness checked there
  with `vm_compute`, the definitions being cancelled (`Session.cancel_to`) when refuted.
  Every complete assignment is checked against every witness in that session.

One `designs()` iteration at a time: the search keeps its state in the catalogue's session.

Rocq is the only judge: a design is yielded only after its complete skeleton compiled in
a clean session and every witness held there (`Goal e = v. vm_compute. reflexivity. Qed.`).
The Python shadow can only prune; a mistake in it loses a candidate, it never admits one.

Searches are bounded by `CatalogueLimits` (term size, terms per type and size, seconds);
the bounds that were hit are listed in `Catalogue.notes`.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import structlog
from pydantic import BaseModel, ConfigDict, Field

from idsynth.agent.skeleton import skeleton
from idsynth.agent.types import Define, Design
from idsynth.audit.probe import _sig_fields
from idsynth.audit.spec import compile_spec, copy_pristine
from idsynth.audit.types import Spec, Witness
from idsynth.rocq import Session, SessionConfig, SentenceOk, split_sentences

log = structlog.get_logger(__name__)

_IMPORTS = "Require Import Coq.Arith.PeanoNat Coq.Lists.List.\nImport ListNotations."


class CatalogueLimits(BaseModel):
    """Bounds of the catalogue's search. Every wait and every enumeration has one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_term_size: int = 9
    """Largest body enumerated for a field (leaves cost 1, each snippet 1 more)."""
    max_bucket: int = 12000
    """Most distinct terms kept per (type, size); further ones are dropped."""
    samples: int = 24
    """Sampled inputs on which behaviourally equal terms are merged."""
    seconds_per_representation: float = 25.0
    """Wall clock of the enumerative search for one state representation."""
    seconds_total: float = 90.0
    """Wall clock of all enumerative searches of one `designs()` call."""
    designs_per_representation: int = 1
    """Enumerative designs yielded per state representation."""
    max_enumerative_designs: int = 3
    """Enumerative designs yielded in total."""
    sentence_timeout: float = 10.0
    """Bound of one Rocq sentence of our own sessions (witness checks, definitions)."""


# -- types of the signature ---------------------------------------------------------------
#
# A type is a string (an atom: "nat", "t"), ("app", head, args) for an application,
# ("*", A, B) for a product and ("->", A, B) for a function type.

Ty = Any
_TYPE_TOKEN = re.compile(r"\s*(->|\*|\(|\)|[A-Za-z_][\w'.]*|\S)")


class UnsupportedType(ValueError):
    """A type outside the small language the catalogue reads (e.g. `forall`, notations)."""


def parse_type(text: str) -> Ty:
    tokens = [t for t in _TYPE_TOKEN.findall(text) if t]
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def arrow() -> Ty:
        left = product()
        if peek() == "->":
            take()
            return ("->", left, arrow())
        return left

    def product() -> Ty:
        left = app()
        while peek() == "*":
            take()
            left = ("*", left, app())
        return left

    def app() -> Ty:
        head = atom()
        args = []
        while peek() is not None and peek() not in ("->", "*", ")"):
            args.append(atom())
        if not args:
            return head
        if not isinstance(head, str):
            raise UnsupportedType(text)
        return ("app", head, tuple(args))

    def atom() -> Ty:
        tok = peek()
        if tok is None:
            raise UnsupportedType(text)
        if tok == "(":
            take()
            inner = arrow()
            if peek() != ")":
                raise UnsupportedType(text)
            take()
            return inner
        if tok == "forall" or tok == "fun" or not re.match(r"[A-Za-z_]", tok):
            raise UnsupportedType(text)
        return take()

    result = arrow()
    if pos != len(tokens):
        raise UnsupportedType(text)
    return result


def render_type(ty: Ty) -> str:
    if isinstance(ty, str):
        return ty
    kind = ty[0]
    if kind == "app":
        return " ".join([ty[1]] + [_wrap_type(a) for a in ty[2]])
    if kind == "*":
        left = render_type(ty[1]) if _is_prod(ty[1]) else _wrap_arrow(ty[1])
        return f"{left} * {_wrap_type(ty[2])}"
    return f"{_wrap_arrow(ty[1])} -> {render_type(ty[2])}"


def _is_prod(ty: Ty) -> bool:
    return isinstance(ty, tuple) and ty[0] == "*"


def _wrap_arrow(ty: Ty) -> str:
    return f"({render_type(ty)})" if isinstance(ty, tuple) and ty[0] == "->" else render_type(ty)


def _wrap_type(ty: Ty) -> str:
    return render_type(ty) if isinstance(ty, str) else f"({render_type(ty)})"


def _arrows(ty: Ty) -> tuple[list[Ty], Ty]:
    args = []
    while isinstance(ty, tuple) and ty[0] == "->":
        args.append(ty[1])
        ty = ty[2]
    return args, ty


def _subst(ty: Ty, mapping: dict[str, Ty]) -> Ty:
    if isinstance(ty, str):
        return mapping.get(ty, ty)
    if ty[0] == "app":
        return ("app", ty[1], tuple(_subst(a, mapping) for a in ty[2]))
    return (ty[0], _subst(ty[1], mapping), _subst(ty[2], mapping))


def _mentions(ty: Ty, names: set[str]) -> bool:
    if isinstance(ty, str):
        return ty in names
    if ty[0] == "app":
        return ty[1] in names or any(_mentions(a, names) for a in ty[2])
    return _mentions(ty[1], names) or _mentions(ty[2], names)


# -- the shape of a signature ---------------------------------------------------------------

Role = Literal["state_type", "constant", "lookup", "insert", "delete", "member", "update", "observer",
               "step", "other"]


class FieldShape(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    type: str
    """As Rocq printed it."""
    role: Role
    arity: int = 0


class SignatureShape(BaseModel):
    """What the catalogue saw in a signature; `summary()` is one line for transcripts."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["map", "general", "unsupported"]
    state: str | None = None
    """The abstract state type parameter."""
    fields: list[FieldShape] = Field(default_factory=list)
    key: str | None = None
    value: str | None = None
    reason: str = ""

    def role_of(self, role: Role) -> list[FieldShape]:
        return [f for f in self.fields if f.role == role]

    def summary(self) -> str:
        if self.kind == "unsupported":
            return f"unsupported signature: {self.reason}"
        roles = ", ".join(f"{f.name}: {f.role}" for f in self.fields if f.role != "state_type")
        if self.kind == "map":
            return f"map over {self.state} (key {self.key}, value {self.value}): {roles}"
        return f"general signature over {self.state}: {roles}"


def describe_signature(fields: list[tuple[str, str]]) -> SignatureShape:
    """Classify the fields (name, type as printed by `Print Module Type`) by their types."""
    states = [n for n, t in fields if t.strip() in ("Type", "Set")]
    if len(states) != 1:
        return SignatureShape(kind="unsupported", fields=[FieldShape(name=n, type=t, role="other") for n, t in fields],
                              reason=f"{len(states)} abstract type parameters (the catalogue handles exactly one)")
    state = states[0]
    shapes: list[FieldShape] = []
    lookups, inserts, deletes, members = [], [], [], []
    parsed: dict[str, tuple[list[Ty], Ty]] = {}
    for name, text in fields:
        if name == state:
            shapes.append(FieldShape(name=name, type=text, role="state_type"))
            continue
        try:
            args, res = _arrows(parse_type(text))
        except UnsupportedType:
            return SignatureShape(kind="unsupported", state=state, reason=f"field {name}: cannot read type {text!r}")
        parsed[name] = (args, res)
        states_in = [a for a in args if a == state]
        others = [a for a in args if a != state]
        if any(_mentions(a, {state}) for a in others) or (isinstance(res, tuple) and res[0] == "->"):
            role: Role = "other"
        elif not args and res == state:
            role = "constant"
        elif len(states_in) == 1 and len(others) == 1 and _is_option(res) and not _mentions(res, {state}):
            role = "lookup"
            lookups.append(name)
        elif len(states_in) == 1 and len(others) == 2 and res == state:
            role = "insert"
            inserts.append(name)
        elif len(states_in) == 1 and len(others) == 1 and res == state:
            role = "delete"
            deletes.append(name)
        elif len(states_in) == 1 and len(others) == 1 and res == "bool":
            role = "member"
            members.append(name)
        elif res == state:
            role = "update"
        elif not _mentions(res, {state}):
            role = "observer"
        else:
            role = "step"
        shapes.append(FieldShape(name=name, type=text, role=role, arity=len(args)))

    def general() -> SignatureShape:
        regen = []
        for f in shapes:
            role = f.role
            if role in ("lookup", "member"):
                role = "observer"
            elif role in ("insert", "delete"):
                role = "update"
            regen.append(f.model_copy(update={"role": role}))
        return SignatureShape(kind="general", state=state, fields=regen)

    constants = [f for f in shapes if f.role == "constant"]
    unmapped = [f for f in shapes if f.role not in ("state_type", "constant", "lookup", "insert", "delete", "member")]
    if len(lookups) != 1 or len(inserts) != 1 or len(deletes) > 1 or len(members) > 1 or not constants or unmapped:
        return general()
    largs, lres = parsed[lookups[0]]
    key = next(a for a in largs if a != state)
    value = lres[2][0]
    iargs = [a for a in parsed[inserts[0]][0] if a != state]
    if sorted(map(render_type, iargs)) != sorted(map(render_type, [key, value])):
        return general()
    for name in deletes + members:
        if next(a for a in parsed[name][0] if a != state) != key:
            return general()
    return SignatureShape(kind="map", state=state, fields=shapes, key=render_type(key), value=render_type(value))


def _is_option(ty: Ty) -> bool:
    return isinstance(ty, tuple) and ty[0] == "app" and ty[1] == "option" and len(ty[2]) == 1


# -- binder names -----------------------------------------------------------------------------


def _fresh(base: str, taken: set[str]) -> str:
    name, i = base, 2
    while name in taken:
        name, i = f"{base}{i}", i + 1
    taken.add(name)
    return name


def _binders(args: list[Ty], state: str, taken: set[str]) -> list[str]:
    """`s`, `s2`... for state arguments, `a`, `b`, ... for the others."""
    taken = set(taken)
    letters = [c for c in "abcdefghijklmnopqruvwxyz"]
    names = []
    for a in args:
        if a == state:
            names.append(_fresh("s", taken))
            continue
        free = [c for c in letters if c not in taken]
        names.append(free[0] if free else _fresh("x", taken))
        taken.add(names[-1])
    return names


_RESERVED = {"S", "O", "pred", "length", "tl", "rev", "hd_error", "app", "fst", "snd", "Some", "None", "true",
             "false", "nil", "cons", "if", "then", "else", "fun", "match", "with", "end", "let", "in", "t"}


# -- the map catalogue --------------------------------------------------------------------------


@dataclass(frozen=True)
class _KeyOps:
    eqb: str
    ltb: str | None
    imports: tuple[str, ...] = ()


_KEYS: dict[str, _KeyOps] = {
    "nat": _KeyOps("Nat.eqb", "Nat.ltb"),
    "N": _KeyOps("N.eqb", "N.ltb", ("Require Import Coq.NArith.NArith.",)),
    "Z": _KeyOps("Z.eqb", "Z.ltb", ("Require Import Coq.ZArith.ZArith.",)),
    "positive": _KeyOps("Pos.eqb", "Pos.ltb", ("Require Import Coq.PArith.PArith.",)),
    "bool": _KeyOps("Bool.eqb", None, ("Require Import Coq.Bool.Bool.",)),
    "string": _KeyOps("String.eqb", None, ("Require Import Coq.Strings.String.",)),
    "ascii": _KeyOps("Ascii.eqb", None, ("Require Import Coq.Strings.Ascii.",)),
}


@dataclass(frozen=True)
class _MapField:
    name: str
    params: list[str]
    """Binder names in the field's own argument order."""
    types: list[str]

    def header(self) -> str:
        return " ".join(f"({p} : {t})" for p, t in zip(self.params, self.types))


class _MapPlan:
    """Names and argument orders of a map-shaped signature, for the templates below."""

    def __init__(self, shape: SignatureShape) -> None:
        self.shape = shape
        self.state = shape.state
        assert shape.key and shape.value
        self.key, self.value = shape.key, shape.value
        self.ops = _KEYS[self.key.rsplit(".", 1)[-1]]
        taken = {f.name for f in shape.fields} | _RESERVED
        self.k, self.v, self.m = _fresh("k", taken), _fresh("v", taken), _fresh("m", taken)
        self.k2, self.v2 = _fresh("k'", taken), _fresh("v'", taken)
        self.r, self.l = _fresh("r", taken), _fresh("l", taken)
        self.tree, self.leaf, self.node = _fresh("tree", taken), _fresh("Leaf", taken), _fresh("Node", taken)
        self.fields: dict[str, _MapField] = {}
        for f in shape.fields:
            if f.role in ("state_type", "constant"):
                continue
            args, _ = _arrows(parse_type(f.type))
            params, types, seen_key = [], [], False
            for a in args:
                t = render_type(a)
                if a == self.state:
                    params.append(self.m)
                elif f.role == "insert" and t == self.key and not seen_key:
                    params.append(self.k)
                    seen_key = True
                elif f.role == "insert":
                    params.append(self.v)
                else:
                    params.append(self.k)
                types.append(t)
            self.fields[f.name] = _MapField(f.name, params, types)

    def one(self, role: Role) -> str | None:
        found = self.shape.role_of(role)
        return found[0].name if found else None

    def call(self, name: str, **values: str) -> str:
        """`name` applied in its own argument order; `values` maps binder -> argument text."""
        f = self.fields[name]
        return " ".join([name] + [values.get(p, p) for p in f.params])

    def define(self, name: str, body: str, result: str, fix: bool = False) -> str:
        kw = "Fixpoint" if fix else "Definition"
        struct = f" {{struct {self.m}}}" if fix else ""
        return f"{kw} {name} {self.fields[name].header()}{struct} : {result} :=\n  {body}."

    def member_body(self) -> str:
        lookup = self.one("lookup")
        return f"match {self.call(lookup)} with Some _ => true | None => false end"


def _map_entries(plan: _MapPlan) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(design name, representation, notes, [(field, text)]) of each applicable entry."""
    P, ops = plan, plan.ops
    K, V, k, v, m, k2, v2, r = P.key, P.value, P.k, P.v, P.m, P.k2, P.v2, P.r
    lookup, insert, delete, member = P.one("lookup"), P.one("insert"), P.one("delete"), P.one("member")
    constants = [f.name for f in P.shape.role_of("constant")]
    entries = []

    # (1) association list, delete-before-insert
    items = [(P.state, f"Definition {P.state} : Type := list ({K} * {V}).")]
    items += [(c, f"Definition {c} : {P.state} := [].") for c in constants]
    items.append((lookup, P.define(lookup, (
        f"match {m} with\n  | [] => None\n  | ({k2}, {v2}) :: {r} => if {ops.eqb} {k} {k2} then Some {v2} "
        f"else {P.call(lookup, **{m: r})}\n  end"), f"option {V}", fix=True)))
    if delete:
        items.append((delete, P.define(delete, (
            f"match {m} with\n  | [] => []\n  | ({k2}, {v2}) :: {r} => if {ops.eqb} {k} {k2} then "
            f"{P.call(delete, **{m: r})} else ({k2}, {v2}) :: {P.call(delete, **{m: r})}\n  end"), P.state, fix=True)))
        dropped = P.call(delete)
    else:
        dropped = f"filter (fun p => negb ({ops.eqb} {k} (fst p))) {m}"
    items.append((insert, P.define(insert, f"({k}, {v}) :: {dropped}", P.state)))
    if member:
        items.append((member, P.define(member, P.member_body(), "bool")))
    entries.append(("assoc_list", f"association list list ({K} * {V})",
                    f"catalogue: map/assoc_list; key equality {ops.eqb}; insert removes the key first, so a key "
                    f"occurs at most once", items))

    # (2) function closure (Chapar-style)
    items = [(P.state, f"Definition {P.state} : Type := {K} -> option {V}.")]
    items += [(c, f"Definition {c} : {P.state} := fun _ => None.") for c in constants]
    items.append((lookup, P.define(lookup, f"{m} {k}", f"option {V}")))
    items.append((insert, P.define(insert, f"fun {k2} => if {ops.eqb} {k} {k2} then Some {v} else {m} {k2}",
                                   P.state)))
    if delete:
        items.append((delete, P.define(delete, f"fun {k2} => if {ops.eqb} {k} {k2} then None else {m} {k2}",
                                       P.state)))
    if member:
        items.append((member, P.define(member, P.member_body(), "bool")))
    entries.append(("closure", f"function closure {K} -> option {V}",
                    f"catalogue: map/closure; key equality {ops.eqb}; insert and delete wrap the previous function",
                    items))

    # (3) binary search tree with tombstones, when keys are ordered
    if ops.ltb:
        tree, leaf, node, l = P.tree, P.leaf, P.node, P.l
        items = [(P.state, f"Inductive {tree} : Type := {leaf} | {node} ({l} : {tree}) ({k} : {K}) "
                           f"({v} : option {V}) ({r} : {tree}).\nDefinition {P.state} : Type := {tree}.")]
        items += [(c, f"Definition {c} : {P.state} := {leaf}.") for c in constants]
        items.append((lookup, P.define(lookup, (
            f"match {m} with\n  | {leaf} => None\n  | {node} {l} {k2} {v2} {r} => if {ops.eqb} {k} {k2} then {v2}\n"
            f"      else if {ops.ltb} {k} {k2} then {P.call(lookup, **{m: l})} else {P.call(lookup, **{m: r})}\n  end"),
            f"option {V}", fix=True)))

        def write(name: str, leaf_case: str, slot: str) -> str:
            left, right = P.call(name, **{m: l}), P.call(name, **{m: r})
            return P.define(name, (
                f"match {m} with\n  | {leaf} => {leaf_case}\n  | {node} {l} {k2} {v2} {r} => if {ops.eqb} {k} {k2} "
                f"then {node} {l} {k2} {slot} {r}\n      else if {ops.ltb} {k} {k2} then {node} ({left}) "
                f"{k2} {v2} {r} else {node} {l} {k2} {v2} ({right})\n  end"), P.state, fix=True)

        items.append((insert, write(insert, f"{node} {leaf} {k} (Some {v}) {leaf}", f"(Some {v})")))
        if delete:
            items.append((delete, write(delete, leaf, "None")))
        if member:
            items.append((member, P.define(member, P.member_body(), "bool")))
        entries.append(("bst", f"binary search tree on {K} (unbalanced; delete leaves a tombstone)",
                        f"catalogue: map/bst; keys ordered by {ops.ltb}; delete stores None, so lookup/insert/"
                        f"delete agree on every tree, search-tree or not", items))
    return entries


# -- the grammar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Some:
    value: Any


@dataclass(frozen=True)
class _Pair:
    a: Any
    b: Any


@dataclass(frozen=True)
class _Opaque:
    tag: int


@dataclass(frozen=True)
class Snippet:
    """One production of the term grammar.

    `result` and `holes` are type patterns (`A`, `B`, `X` are type variables). In the
    template, `{i}` inserts hole i as an argument of an application (parenthesised unless
    atomic), `{~i}` as an operand of an infix (an application needs no parentheses there),
    `{=i}` as is.
    `var` holes take only a variable of the context (e.g. "the state, unchanged").
    `py` is the snippet's meaning on Python values, used to merge equal terms and to
    evaluate witnesses before asking Rocq.
    """

    name: str
    result: str
    holes: tuple[str, ...]
    template: str
    py: Callable[..., Any]
    var_holes: tuple[int, ...] = ()
    closed_ok: bool = False
    """May be applied to closed subterms only (pairs of constants are values; `S 0` is `1`)."""
    max_chain: int = 3
    """How deep the snippet may nest directly in itself (`S (S x)` is a chain of 2)."""


def _sub(x: int, y: int) -> int:
    return max(x - y, 0)


GRAMMAR: tuple[Snippet, ...] = (
    # naturals
    Snippet("zero", "nat", (), "0", lambda: 0),
    Snippet("one", "nat", (), "1", lambda: 1),
    Snippet("succ", "nat", ("nat",), "S {0}", lambda n: n + 1, max_chain=2),
    Snippet("pred", "nat", ("nat",), "pred {0}", lambda n: _sub(n, 1), max_chain=2),
    Snippet("add", "nat", ("nat", "nat"), "{~0} + {~1}", lambda x, y: x + y),
    Snippet("sub", "nat", ("nat", "nat"), "{~0} - {~1}", _sub),
    Snippet("length", "nat", ("list nat",), "length {0}", len),
    # lists of naturals
    Snippet("nil", "list nat", (), "[]", lambda: ()),
    Snippet("snoc", "list nat", ("list nat", "nat"), "{~0} ++ [{=1}]", lambda l, x: l + (x,), max_chain=2),
    Snippet("cons", "list nat", ("nat", "list nat"), "{~0} :: {~1}", lambda x, l: (x,) + l, max_chain=2),
    Snippet("tl", "list nat", ("list nat",), "tl {0}", lambda l: l[1:], max_chain=2),
    Snippet("rev", "list nat", ("list nat",), "rev {0}", lambda l: l[::-1], max_chain=1),
    Snippet("app", "list nat", ("list nat", "list nat"), "{~0} ++ {~1}", lambda l1, l2: l1 + l2),
    # optional naturals
    Snippet("none", "option nat", (), "None", lambda: None),
    Snippet("some", "option nat", ("nat",), "Some {0}", _Some, closed_ok=True),
    Snippet("hd_error", "option nat", ("list nat",), "hd_error {0}", lambda l: _Some(l[0]) if l else None),
    # booleans: the guards
    Snippet("true", "bool", (), "true", lambda: True),
    Snippet("false", "bool", (), "false", lambda: False),
    Snippet("leb", "bool", ("nat", "nat"), "{~0} <=? {~1}", lambda x, y: x <= y),
    Snippet("ltb", "bool", ("nat", "nat"), "{~0} <? {~1}", lambda x, y: x < y),
    Snippet("eqb", "bool", ("nat", "nat"), "{~0} =? {~1}", lambda x, y: x == y),
    # results paired with the new state: a guarded update first, then any pair
    Snippet("guarded", "bool * X", ("bool", "X", "X"), "if {=0} then (true, {=1}) else (false, {=2})",
            lambda g, u, s: _Pair(True, u) if g else _Pair(False, s), var_holes=(2,)),
    Snippet("pair", "A * B", ("A", "B"), "({=0}, {=1})", _Pair, closed_ok=True),
)
"""The typed grammar of field bodies, in order of preference within a size."""

REPRESENTATIONS: tuple[str, ...] = ("nat", "list nat", "nat * nat", "list nat * list nat")
"""Concrete state types the enumerative search tries (ranked per signature)."""

_PATTERN_VARS = {"A", "B", "X"}


def _match(pattern: Ty, ty: Ty, env: dict[str, Ty]) -> dict[str, Ty] | None:
    if isinstance(pattern, str) and pattern in _PATTERN_VARS:
        if pattern in env:
            return env if env[pattern] == ty else None
        return {**env, pattern: ty}
    if isinstance(pattern, str) or isinstance(ty, str):
        return env if pattern == ty else None
    if pattern[0] != ty[0]:
        return None
    if pattern[0] == "app":
        if pattern[1] != ty[1] or len(pattern[2]) != len(ty[2]):
            return None
        for p, t in zip(pattern[2], ty[2]):
            env = _match(p, t, env)
            if env is None:
                return None
        return env
    env = _match(pattern[1], ty[1], env)
    return None if env is None else _match(pattern[2], ty[2], env)


_PARSED_GRAMMAR = [(s, parse_type(s.result), [parse_type(h) for h in s.holes]) for s in GRAMMAR]
_NAT, _BOOL = "nat", "bool"
_LIST_NAT, _OPTION_NAT = parse_type("list nat"), parse_type("option nat")


@dataclass(eq=False)
class _Term:
    text: str
    size: int
    fn: Callable[[tuple], Any]
    """Value of the term given the field's arguments (the Python shadow)."""
    vals: tuple | None
    """Values on the enumerator's samples; None when the shadow failed (never merged)."""
    vars: frozenset[str]
    kind: Literal["atom", "app", "infix"]
    """How the text binds: an atom, an application (`S a`) or an infix/`if` form (`a + s`)."""
    is_var: bool = False
    head: str = ""
    chain: int = 0
    """How many times `head` is nested directly in itself at the top of the term."""


_HOLE = re.compile(r"\{([=~]?)(\d+)\}")


def _fill(template: str, parts: list[_Term] | tuple[_Term, ...]) -> str:
    """`{i}`: an argument of an application; `{~i}`: an operand of an infix; `{=i}`: as is."""
    def one(m: re.Match) -> str:
        t = parts[int(m.group(2))]
        bare = m.group(1) == "=" or t.kind == "atom" or (m.group(1) == "~" and t.kind == "app")
        return t.text if bare else f"({t.text})"
    return _HOLE.sub(one, template)


def _kind(template: str) -> Literal["atom", "app", "infix"]:
    if re.fullmatch(r"[\w'.\[\]]+", template) or (template.startswith("(") and template.endswith(")")):
        return "atom"
    if template.startswith("if ") or re.search(r"\s(\+|-|::|\+\+|<=\?|<\?|=\?)\s", template):
        return "infix"
    return "app"


def _sample(ty: Ty, rng: random.Random, hint: list[int]) -> Any:
    if ty == _NAT:
        return rng.choice(hint) if hint and rng.random() < 0.3 else rng.choice([0, 1, 2, 3, 4, 5, 7, 12])
    if ty == _BOOL:
        return rng.random() < 0.5
    if ty == _LIST_NAT:
        n = rng.choice(hint) if hint and rng.random() < 0.3 else rng.randint(0, 6)
        return tuple(rng.randint(0, 9) for _ in range(n))
    if ty == _OPTION_NAT:
        return None if rng.random() < 0.3 else _Some(rng.randint(0, 9))
    if _is_prod(ty):
        return _Pair(_sample(ty[1], rng, hint), _sample(ty[2], rng, hint))
    return _Opaque(rng.randint(0, 10**9))


def _zero(ty: Ty) -> Any:
    """The smallest value of a type: every enumeration samples it first."""
    if _is_prod(ty):
        return _Pair(_zero(ty[1]), _zero(ty[2]))
    if ty == _NAT:
        return 0
    if ty == _BOOL:
        return False
    return () if ty == _LIST_NAT else None


class _Enumerator:
    """Terms of the grammar over one field's arguments, by type and size, merged by behaviour.

    Two terms are merged when they agree on every sample of the arguments (the first,
    hence smallest, is kept): observational equivalence, the standard pruning of
    enumerative synthesis. Samples include the all-zero arguments and values around the
    spec's constants (a list as long as a capacity, a number just above it).
    """

    def __init__(self, params: list[tuple[str, Ty]], constants: list[tuple[str, int | None]],
                 limits: CatalogueLimits, deadline: float, lead: frozenset[str] = frozenset()) -> None:
        self.limits = limits
        self.deadline = deadline
        values = [c for _, c in constants if c is not None]
        hint = sorted(set(values) | {c + 1 for c in values} | {max(c - 1, 0) for c in values})
        rng = random.Random(1234)
        types = [ty for _, ty in params]
        self.samples: list[tuple] = [tuple(_zero(t) for t in types)]
        while len(self.samples) < limits.samples:
            self.samples.append(tuple(_sample(t, rng, hint) for t in types))
        self._leaves: list[tuple[_Term, Ty]] = []
        # variables in `lead` (the state) come first: `s + a` before `a + s`
        for i, (name, ty) in sorted(enumerate(params), key=lambda p: p[1][0] not in lead):
            self._add_var(name, ty, lambda args, i=i: args[i], name)
        for name, value in constants:
            fn = (lambda args, v=value: v) if value is not None else (lambda args, n=name: _Opaque(hash(n)))
            self._leaves.append((self._leaf(name, fn, frozenset(), "atom", False), _NAT))
        self.buckets: dict[tuple[Ty, int], list[_Term]] = {}
        self.seen: dict[Ty, set] = {}
        self.built = 0

    def _leaf(self, text: str, fn: Callable, vars_: frozenset[str], kind: Literal["atom", "app", "infix"],
              is_var: bool) -> _Term:
        try:
            vals: tuple | None = tuple(fn(x) for x in self.samples)
        except Exception:  # noqa: BLE001 - a shadow that fails is merged with nothing
            vals = None
        return _Term(text, 1, fn, vals, vars_, kind, is_var)

    def _add_var(self, name: str, ty: Ty, get: Callable, var: str) -> None:
        kind = "atom" if re.fullmatch(r"[\w'.]+", name) else "app"
        self._leaves.append((self._leaf(name, get, frozenset({var}), kind, True), ty))
        if _is_prod(ty):  # projections of a pair-typed argument are leaves too
            self._add_var(f"fst {_paren(name)}", ty[1], lambda args, g=get: g(args).a, var)
            self._add_var(f"snd {_paren(name)}", ty[2], lambda args, g=get: g(args).b, var)

    def terms(self, ty: Ty, max_size: int) -> Iterator[_Term]:
        for size in range(1, max_size + 1):
            yield from self.bucket(ty, size)

    def bucket(self, ty: Ty, size: int) -> list[_Term]:
        key = (ty, size)
        if key in self.buckets:
            return self.buckets[key]
        for smaller in range(1, size):
            self.bucket(ty, smaller)
        seen = self.seen.setdefault(ty, set())
        out: list[_Term] = []
        self.buckets[key] = out

        def keep(term: _Term) -> bool:
            """Keep the term unless an earlier one behaves the same; False once the bucket is full."""
            if term.vals is None or term.vals not in seen:
                if term.vals is not None:
                    seen.add(term.vals)
                out.append(term)
            return len(out) < self.limits.max_bucket

        if size == 1:
            for term, lty in self._leaves:
                if lty == ty and not keep(term):
                    return out
        for snip, result, holes in _PARSED_GRAMMAR:
            env = _match(result, ty, {})
            if env is None:
                continue
            if not holes:
                if size == 1 and not keep(self._leaf(snip.template, lambda args, f=snip.py: f(), frozenset(),
                                                     "atom", False)):
                    return out
                continue
            hole_types = [_subst(h, env) for h in holes]
            if any(_mentions(h, _PATTERN_VARS) for h in hole_types):
                continue
            for split in _compositions(size - 1, len(holes)):
                if any(split[i] != 1 for i in snip.var_holes):
                    continue
                pools = [[t for t, lty in self._leaves if lty == h and t.is_var] if i in snip.var_holes
                         else self.bucket(h, n) for i, (h, n) in enumerate(zip(hole_types, split))]
                for parts in itertools.product(*pools):
                    self.built += 1
                    if self.built % 4096 == 0 and time.monotonic() > self.deadline:
                        raise _OutOfBudget("time limit while enumerating terms")
                    chain = 1 + max((p.chain for p in parts if p.head == snip.name), default=0)
                    if chain > snip.max_chain:
                        continue
                    vars_ = frozenset().union(*(p.vars for p in parts))
                    if not vars_ and not snip.closed_ok:
                        continue
                    if not keep(self._node(snip, parts, size, vars_, chain)):
                        return out
        return out

    def _node(self, snip: Snippet, parts: tuple[_Term, ...], size: int, vars_: frozenset[str], chain: int) -> _Term:
        vals: tuple | None = None
        if all(p.vals is not None for p in parts):
            try:
                vals = tuple(snip.py(*xs) for xs in zip(*(p.vals for p in parts)))
            except Exception:  # noqa: BLE001
                vals = None
        fns = [p.fn for p in parts]
        return _Term(_fill(snip.template, parts), size, lambda args, f=snip.py, fns=fns: f(*(g(args) for g in fns)),
                     vals, vars_, _kind(snip.template), head=snip.name, chain=chain)


def _paren(text: str) -> str:
    return text if re.fullmatch(r"[\w'.]+", text) else f"({text})"


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 1:
        if total >= 1:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


class _OutOfBudget(Exception):
    pass


# -- witnesses on the Python shadow -------------------------------------------------------------

_W_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_][\w'.]*)|(\S))")


class _Unevaluable(Exception):
    pass


_BUILTINS: dict[str, tuple[int, Callable[..., Any]]] = {
    "fst": (1, lambda p: p.a), "snd": (1, lambda p: p.b), "pair": (2, _Pair),
    "S": (1, lambda n: n + 1), "pred": (1, lambda n: _sub(n, 1)), "O": (0, lambda: 0),
    "Some": (1, _Some), "None": (0, lambda: None),
    "cons": (2, lambda x, l: (x,) + l), "nil": (0, lambda: ()),
    "true": (0, lambda: True), "false": (0, lambda: False),
    "length": (1, len), "rev": (1, lambda l: l[::-1]), "tl": (1, lambda l: l[1:]),
    "hd_error": (1, lambda l: _Some(l[0]) if l else None),
}


class _WitnessExpr:
    """A witness term in the applicative subset the shadow understands.

    Numerals, identifiers, application, parentheses, pairs `(a, b)` and list literals
    `[a; b]`; the implementation's fields as `M.f`; the constructors and functions of
    `_BUILTINS`. Anything else (infix operators, scopes, the spec's own functions) makes
    the witness unevaluable here: it is then checked by Rocq only.
    """

    def __init__(self, text: str, module: str = "M") -> None:
        toks = []
        for num, ident, other in _W_TOKEN.findall(text):
            toks.append(("num", int(num)) if num else ("id", ident) if ident else ("sym", other))
        self._toks = [t for t in toks if t != ("sym", "")]
        self._pos = 0
        self._module = module + "."
        self.nodes: list[tuple] = []
        self.fields: list[tuple[str, ...]] = []
        """Per node, the fields it mentions (sorted): its value depends on their choices only."""
        self.root = self._top()
        if self._pos != len(self._toks):
            raise _Unevaluable(text)

    def _peek(self) -> tuple | None:
        return self._toks[self._pos] if self._pos < len(self._toks) else None

    def _take(self, sym: str | None = None) -> tuple:
        tok = self._peek()
        if tok is None or (sym is not None and tok != ("sym", sym)):
            raise _Unevaluable(f"expected {sym}")
        self._pos += 1
        return tok

    def _node(self, node: tuple, fields: set[str] | frozenset[str] | tuple[str, ...]) -> int:
        self.nodes.append(node)
        self.fields.append(tuple(sorted(set(fields))))
        return len(self.nodes) - 1

    def _top(self) -> int:
        left = self._app()
        while self._peek() == ("sym", ","):
            self._take(",")
            right = self._app()
            left = self._node(("pair", left, right), self.fields[left] + self.fields[right])
        return left

    def _app(self) -> int:
        head = self._atom()
        args = []
        while (tok := self._peek()) is not None and (tok[0] != "sym" or tok[1] in "(["):
            args.append(self._atom())
        if not args:
            return head
        fields = set(self.fields[head]).union(*(self.fields[a] for a in args))
        return self._node(("app", head, tuple(args)), fields)

    def _atom(self) -> int:
        tok = self._take()
        if tok[0] == "num":
            return self._node(("val", tok[1]), frozenset())
        if tok[0] == "id":
            name = tok[1]
            if name.startswith(self._module):
                return self._node(("field", name[len(self._module):]), frozenset({name[len(self._module):]}))
            if name not in _BUILTINS:
                raise _Unevaluable(name)
            return self._node(("builtin", name), frozenset())
        if tok[1] == "(":
            inner = self._top()
            self._take(")")
            return inner
        if tok[1] == "[":
            items = []
            if self._peek() != ("sym", "]"):
                items.append(self._app())
                while self._peek() == ("sym", ";"):
                    self._take(";")
                    items.append(self._app())
            self._take("]")
            return self._node(("list", tuple(items)), set().union(*(self.fields[i] for i in items)))
        raise _Unevaluable(tok[1])

    def evaluate(self, impl: dict[str, tuple[int, Callable[..., Any]]], key: Callable[[tuple[str, ...]], tuple],
                 cache: dict) -> Any:
        """Value of the expression; `impl` maps a field to (arity, python function)."""
        return self._eval(self.root, impl, key, cache)

    def _eval(self, i: int, impl: dict, key: Callable, cache: dict) -> Any:
        ck = None
        if self.fields[i]:
            ck = (id(self), i, key(self.fields[i]))
            if ck in cache:
                return cache[ck]
        node = self.nodes[i]
        kind = node[0]
        if kind == "val":
            value = node[1]
        elif kind == "pair":
            value = _Pair(self._eval(node[1], impl, key, cache), self._eval(node[2], impl, key, cache))
        elif kind == "list":
            value = tuple(self._eval(x, impl, key, cache) for x in node[1])
        elif kind in ("field", "builtin"):
            value = self._apply(node, [], impl)
        else:
            head = self.nodes[node[1]]
            if head[0] not in ("field", "builtin"):
                raise _Unevaluable("application of a non-name")
            value = self._apply(head, [self._eval(a, impl, key, cache) for a in node[2]], impl)
        if ck is not None:
            cache[ck] = value
        return value

    @staticmethod
    def _apply(head: tuple, args: list, impl: dict) -> Any:
        table = impl if head[0] == "field" else _BUILTINS
        if head[1] not in table:
            raise _Unevaluable(head[1])
        arity, fn = table[head[1]]
        if arity != len(args):
            raise _Unevaluable(f"{head[1]} applied to {len(args)} arguments")
        return fn(*args)


# -- the catalogue ------------------------------------------------------------------------------


@dataclass
class _Field:
    name: str
    type_text: str
    args: list[Ty]
    result: Ty
    binders: list[str]


@dataclass
class _Search:
    """The state of one enumerative search over one state representation."""

    representation: str
    order: list[str]
    """Fields some witness mentions, in the order the search chooses them."""
    free: list[str]
    """Fields no witness mentions: they take one candidate (preferably using every argument)."""
    sources: dict[str, tuple[_Enumerator, Ty]]
    """Where each field's candidates come from: an enumerator and the field's result type."""
    due: list[list[int]]
    """Per depth, the witnesses (indices) whose fields are all chosen at that depth."""
    shadows: list[_WitnessExpr | None]
    expects: list[Any]
    chosen: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Field -> (size, index in its bucket)."""
    impl: dict[str, tuple[int, Callable[..., Any]]] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    marks: list[int] = field(default_factory=list)
    """Session length before the alias of `order[d]`, for each defined depth d."""
    tried: int = 0
    rocq_checks: int = 0
    shadow_refuted: int = 0
    rocq_refuted: int = 0

    def pool(self, name: str, size: int) -> list[_Term]:
        """The field's candidates of exactly `size`, enumerated on first demand."""
        enum, ty = self.sources[name]
        return enum.bucket(ty, size)

    def term(self, name: str) -> _Term:
        size, j = self.chosen[name]
        return self.pool(name, size)[j]


_FIELD_REF = r"(?<![\w'.]){module}\.([A-Za-z_][\w']*)"
_CACHE_LIMIT = 2_000_000


class Catalogue:
    """Candidate designs for one spec, best first (see the module docstring)."""

    def __init__(self, spec: Spec, config: SessionConfig, limits: CatalogueLimits | None = None) -> None:
        self.spec = spec
        self.limits = limits or CatalogueLimits()
        cfg = config.model_copy(update={"sentence_timeout": min(config.sentence_timeout, self.limits.sentence_timeout)})
        self._search_session = Session(cfg)
        self._verify_session = Session(cfg)
        self._owned_dir: str | None = None
        self._base = 0
        self._fields: list[tuple[str, str]] | None = None
        self._constants: list[tuple[str, str, int | None]] | None = None
        self.notes: list[str] = []
        """What the searches did and which bounds they hit, for transcripts."""
        self.learned: list[Witness] = []
        """Witnesses learned from refuted theorems of earlier designs (`agent/refute.py`):
        the spec's theorem instances every design must satisfy, over `M` on both sides."""

    @property
    def witnesses(self) -> list[Witness]:
        return list(self.spec.manifest.witness) + self.learned

    # -- lifecycle

    @classmethod
    def open(cls, spec: Spec, limits: CatalogueLimits | None = None, sentence_timeout: float = 30.0) -> "Catalogue":
        """A catalogue over a pristine copy of the spec compiled in a temporary directory it owns."""
        tmp = tempfile.mkdtemp(prefix="idsynth-catalogue-")
        try:
            config = pristine_config(spec, Path(tmp), sentence_timeout=sentence_timeout)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        catalogue = cls(spec, config, limits)
        catalogue._owned_dir = tmp
        return catalogue

    def close(self) -> None:
        self._search_session.close()
        self._verify_session.close()
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None

    def __enter__(self) -> "Catalogue":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what the signature looks like

    def _setup(self) -> None:
        if self._fields is not None:
            return
        m = self.spec.manifest
        s = self._search_session
        for sentence in (f"From {m.logical_path} Require Import {self.spec.main_module.split('.', 1)[1]}.",
                         *_IMPORTS.split("\n")):
            r = s.add(sentence)
            if not isinstance(r, SentenceOk):
                raise RuntimeError(f"catalogue setup failed at {sentence!r}: {getattr(r, 'message', r)}")
        self._base = len(s)
        sig = s.query(f"Print Module Type {self.spec.main_module}.{m.signature}.")
        self._fields = _sig_fields(" ".join(sig.messages)) if isinstance(sig, SentenceOk) else []
        self._constants = self._nat_constants()

    def _nat_constants(self) -> list[tuple[str, str, int | None]]:
        """(text to use, qualified name, value) of the spec's nat-valued definitions, asked of Rocq."""
        s = self._search_session
        found: list[tuple[str, str, int | None]] = []
        field_names = {n for n, _ in self._fields or []}
        for module in self.spec.modules:
            printed = s.query(f"Print {module}.")
            if not isinstance(printed, SentenceOk):
                continue
            for name in re.findall(r"Definition ([A-Za-z_][\w']*) : nat\.", " ".join(printed.messages)):
                qualified = f"{module}.{name}"
                value = s.query(f"Eval vm_compute in {qualified}.")
                number = re.search(r"=\s*(\d+)\s*:\s*nat", " ".join(value.messages)) \
                    if isinstance(value, SentenceOk) else None
                short_ok = name not in field_names and name not in _RESERVED and isinstance(
                    s.query(f"Check (eq_refl : @eq nat {name} {qualified})."), SentenceOk)
                found.append((name if short_ok else qualified, qualified, int(number.group(1)) if number else None))
        return found

    @property
    def fields(self) -> list[tuple[str, str]]:
        """(name, type) of each signature field, as Rocq prints them."""
        self._setup()
        return list(self._fields or [])

    @property
    def constants(self) -> list[tuple[str, int | None]]:
        """The spec's nat-valued constants (as written in designs) and their values."""
        self._setup()
        return [(text, value) for text, _, value in self._constants or []]

    @property
    def shape(self) -> SignatureShape:
        return describe_signature(self.fields)

    # -- designs

    def designs(self, exclude: set[str] | frozenset[str] = frozenset()) -> Iterator[Design]:
        """Candidate designs, best first, lazily; designs named in `exclude` are skipped."""
        shape = self.shape
        log.info("catalogue_signature", spec=self.spec.manifest.name, shape=shape.summary())
        if shape.kind == "unsupported":
            self.notes.append(shape.summary())
            return
        if shape.kind == "map":
            key = (shape.key or "").rsplit(".", 1)[-1]
            if key not in _KEYS:
                self.notes.append(f"map-shaped, but no key equality known for key type {shape.key}: skipped")
                return
            for name, representation, notes, items in _map_entries(_MapPlan(shape)):
                if name in exclude:
                    continue
                design = self._design(name, representation, notes, items, _KEYS[key].imports)
                if self._verified(design):
                    yield design
            return
        yield from self._enumerative(shape, exclude)

    def _design(self, name: str, representation: str, notes: str, items: list[tuple[str, str]],
                imports: tuple[str, ...] = ()) -> Design:
        moves = [Define(name="imports", text="\n".join((_IMPORTS, *imports)), where="preamble",
                        rationale="list notations and nat comparisons used by the implementation")]
        moves += [Define(name=n, text=t, rationale=representation) for n, t in items]
        return Design(name=name, representation=representation, moves=moves, notes=notes)

    def _verified(self, design: Design) -> bool:
        ok, why = self.verify(design)
        if not ok:
            self.notes.append(f"{design.name}: rejected by Rocq: {why}")
            log.warning("catalogue_design_rejected", design=design.name, why=why)
        return ok

    def verify(self, design: Design) -> tuple[bool, str]:
        """Compile the design's skeleton in a clean session and check every witness there."""
        self._setup()
        doc = skeleton(self.spec, [d.text for d in design.moves if d.where == "impl"],
                       preamble=[d.text for d in design.moves if d.where == "preamble"])
        s = self._verify_session
        try:
            for sentence in split_sentences(doc.render()):
                r = s.add(sentence.text)
                if not isinstance(r, SentenceOk):
                    return False, f"does not compile at {sentence.text[:80]!r}: {getattr(r, 'message', r)}"
            if not isinstance(r := s.add("Module M := Impl."), SentenceOk):
                return False, f"Module M := Impl: {getattr(r, 'message', r)}"
            for w in self.witnesses:
                mark = len(s)
                steps = [f"Goal ({w.expr}) = ({w.expect}).", "vm_compute.", "reflexivity.", "Qed."]
                if not all(isinstance(s.add(x), SentenceOk) for x in steps):
                    return False, f"witness {w.name} fails"
                s.cancel_to(mark)
            return True, ""
        finally:
            s.cancel_to(0)

    # -- enumerative synthesis

    def _enumerative(self, shape: SignatureShape, exclude: set[str] | frozenset[str]) -> Iterator[Design]:
        assert shape.state is not None
        state = shape.state
        taken = {n for n, _ in self.fields} | {c for c, _ in self.constants} | _RESERVED
        fields = []
        for name, text in self.fields:
            if name == state:
                continue
            args, res = _arrows(parse_type(text))
            fields.append(_Field(name, text, args, res, _binders(args, state, taken)))
        start = time.monotonic()
        yielded = 0
        for rep in self._rank(fields):
            if yielded >= self.limits.max_enumerative_designs:
                break
            remaining = self.limits.seconds_total - (time.monotonic() - start)
            if remaining <= 0:
                self.notes.append(f"total time limit {self.limits.seconds_total:.0f}s reached before trying {rep}")
                break
            deadline = time.monotonic() + min(self.limits.seconds_per_representation, remaining)
            with closing(self._search(fields, state, rep, deadline, exclude)) as found:
                for count, design in enumerate(found, start=1):
                    yield design
                    yielded += 1
                    if count >= self.limits.designs_per_representation or \
                            yielded >= self.limits.max_enumerative_designs:
                        break

    @staticmethod
    def _rank(fields: list[_Field]) -> list[str]:
        """Representations built from the richest type occurring in the signature come first
        (a queue that reports `list nat` and `nat` is tried as `list nat` before `nat`)."""
        occurring = set()
        for f in fields:
            for ty in f.args + [f.result]:
                occurring.add(render_type(ty))
                if _is_prod(ty):
                    occurring.update({render_type(ty[1]), render_type(ty[2])})

        def richness(rep: str) -> int:
            return max((len(part.split()) for part in rep.split(" * ") if part in occurring), default=0)

        return sorted(REPRESENTATIONS, key=lambda r: (-richness(r), REPRESENTATIONS.index(r)))

    def _search(self, fields: list[_Field], state: str, rep: str, deadline: float,
                exclude: set[str] | frozenset[str]) -> Iterator[Design]:
        t0 = time.monotonic()
        state_ty = parse_type(rep)
        slug = rep.replace(" * ", "_x_").replace(" ", "_")
        witnesses = self.witnesses
        names = {f.name for f in fields}
        refs = [[n for n in re.findall(_FIELD_REF.format(module="M"), f"{w.expr} {w.expect}") if n in names]
                for w in witnesses]
        mentioned = [frozenset(r) for r in refs]
        uses = [{n: r.count(n) for n in set(r)} for r in refs]
        shadows, expects = self._shadows(witnesses)
        constrained = {n for ms in mentioned for n in ms}
        sources: dict[str, tuple[_Enumerator, Ty]] = {}
        shared: dict[tuple, _Enumerator] = {}  # fields over the same arguments share their subterms
        estimate: dict[str, int] = {}
        try:
            for f in fields:
                params = [(b, _subst(a, {state: state_ty})) for b, a in zip(f.binders, f.args)]
                lead = frozenset(b for b, a in zip(f.binders, f.args) if a == state)
                key = (tuple((b, render_type(t)) for b, t in params), lead)
                if key not in shared:
                    shared[key] = _Enumerator(params, self.constants, self.limits, deadline, lead)
                result_ty = _subst(f.result, {state: state_ty})
                sources[f.name] = (shared[key], result_ty)
                estimate[f.name] = sum(len(shared[key].bucket(result_ty, k)) for k in range(1, 7))
                if not estimate[f.name]:
                    self.notes.append(f"enum:{rep}: GRAMMAR has no small term of type {render_type(result_ty)} "
                                      f"for {f.name}")
                    return
        except _OutOfBudget:
            self.notes.append(f"enum:{rep}: time limit while enumerating terms")
            return
        order = self._order([f.name for f in fields if f.name in constrained], mentioned, uses, estimate)
        done: set[str] = set()
        due: list[list[int]] = []
        for name in order:
            before = set(done)
            done.add(name)
            due.append([i for i, ms in enumerate(mentioned) if ms and ms <= done and not ms <= before])
        search = _Search(rep, order, [f.name for f in fields if f.name not in constrained], sources, due,
                         shadows, expects)
        by_name = {f.name: f for f in fields}
        s = self._search_session
        s.cancel_to(self._base)
        if not isinstance(r := s.add(f"Definition idsynth_t : Type := {rep}."), SentenceOk):
            self.notes.append(f"enum:{rep}: cannot define the state type: {getattr(r, 'message', r)}")
            return
        found = 0
        try:
            for assignment, total in self._dfs(search, by_name, state, deadline):
                items = [(state, f"Definition {state} : Type := {rep}.")]
                for f in fields:
                    header = " ".join(f"({b} : {render_type(a)})" for b, a in zip(f.binders, f.args))
                    head = f"Definition {f.name}{' ' + header if header else ''} : {render_type(f.result)} :="
                    body = assignment[f.name].text
                    items.append((f.name, f"{head}\n  {body}." if len(head) + len(body) > 90 else f"{head} {body}."))
                found += 1
                name = f"enum:{slug}#{found}"
                if name in exclude:
                    continue
                sizes = ", ".join(f"{n}={assignment[n].size}" for n in order + search.free)
                notes = (f"grammar: enumerative synthesis over state `{rep}`, bodies from GRAMMAR (total size {total}: "
                         f"{sizes}); field order {', '.join(order)}"
                         + (f"; {', '.join(search.free)} unconstrained by the witnesses" if search.free else "")
                         + f"; {search.tried} candidates tried, {search.shadow_refuted} refuted on the Python shadow, "
                         f"{search.rocq_checks} Rocq witness checks; {time.monotonic() - t0:.1f}s")
                design = self._design(name, f"{rep} (enumerated)", notes, items)
                if self._verified(design):
                    yield design
        except _OutOfBudget as exc:
            self.notes.append(f"enum:{rep}: {exc} after {search.tried} candidates, {search.rocq_checks} Rocq "
                              f"checks, {found} designs")
        else:
            if not found:
                self.notes.append(f"enum:{rep}: search exhausted ({search.tried} candidates, "
                                  f"{search.rocq_checks} Rocq checks): no design satisfies every witness")
        finally:
            s.cancel_to(self._base)

    @staticmethod
    def _shadows(witnesses: list[Witness]) -> tuple[list[_WitnessExpr | None], list[Any]]:
        shadows: list[_WitnessExpr | None] = []
        expects: list[Any] = []
        for w in witnesses:
            try:
                expect = _WitnessExpr(w.expect).evaluate({}, lambda _: (), {})
                shadows.append(_WitnessExpr(w.expr))
                expects.append(expect)
            except Exception:  # noqa: BLE001 - outside the shadow's syntax: Rocq alone decides
                shadows.append(None)
                expects.append(None)
        return shadows, expects

    @staticmethod
    def _order(names: list[str], mentioned: list[frozenset[str]], uses: list[dict[str, int]],
               estimate: dict[str, int]) -> list[str]:
        """Greedy: next, the field that brings some witness closest to being evaluable; among
        those, the one most constrained by the witnesses it completes (how often they apply
        it: five pushes then a look pin `push` down better than one pop of the empty
        state), then the one with the fewest small candidates."""
        chosen: set[str] = set()
        order: list[str] = []
        left = list(names)
        while left:
            def key(name: str) -> tuple:
                gaps = [len(ms - chosen - {name}) for ms in mentioned if name in ms]
                constraint = sum(u.get(name, 0) for ms, u in zip(mentioned, uses) if name in ms and
                                 ms <= chosen | {name})
                return (min(gaps), -constraint, estimate[name], left.index(name))
            best = min(left, key=key)
            order.append(best)
            chosen.add(best)
            left.remove(best)
        return order

    def _dfs(self, search: _Search, fields: dict[str, _Field], state: str,
             deadline: float) -> Iterator[tuple[dict[str, _Term], int]]:
        """Assignments satisfying every witness, by increasing total size (iterative deepening).

        Round B yields the assignments of total size exactly B; candidates are enumerated
        only when a round first asks for their size. A witness is checked as soon as the
        fields it mentions are chosen: on the Python shadow when it has one, else in Rocq on
        aliases defined lazily in the search session (cancelled when the search moves on).
        A complete assignment is checked in Rocq against every witness.
        """
        order = search.order
        n = len(order)
        top = self.limits.max_term_size
        lo = [next((k for k in range(1, top + 1) if search.pool(f, k)), top + 1) for f in order]
        if any(k > top for k in lo):
            return
        rest_lo = [sum(lo[d:]) for d in range(n + 1)]
        rest_hi = [top * (n - d) for d in range(n + 1)]
        for name in search.free:  # fixed for the whole search: defined once, below every mark
            self._choose_free(search, fields[name])
            if not isinstance(self._search_session.add(self._alias(fields[name], search, state)), SentenceOk):
                self.notes.append(f"enum:{search.representation}: {name}: {search.term(name).text} "
                                  f"does not type-check")
                return
        all_witnesses = list(range(len(self.witnesses)))

        def rec(depth: int, used: int, budget: int) -> Iterator[tuple[dict[str, _Term], int]]:
            if depth == n:
                if self._rocq_due(search, fields, state, n - 1, all_witnesses):
                    yield {name: search.term(name) for name in search.chosen}, used
                return
            name = order[depth]
            smallest = max(budget - used - rest_hi[depth + 1], 1)
            largest = min(budget - used - rest_lo[depth + 1], top)
            for size in range(smallest, largest + 1):
                for j, term in enumerate(search.pool(name, size)):
                    search.tried += 1
                    if search.tried % 512 == 0:
                        if time.monotonic() > deadline:
                            raise _OutOfBudget("time limit")
                        if len(search.cache) > _CACHE_LIMIT:
                            search.cache.clear()
                    self._retract(search, depth)
                    self._choose(search, fields[name], (size, j))
                    if not all(self._shadow_holds(search, i) for i in search.due[depth]):
                        search.shadow_refuted += 1
                        continue
                    rocq_only = [i for i in search.due[depth] if search.shadows[i] is None]
                    if rocq_only and not self._rocq_due(search, fields, state, depth, rocq_only):
                        continue
                    yield from rec(depth + 1, used + size, budget)
            self._retract(search, depth)
            search.chosen.pop(name, None)
            search.impl.pop(name, None)

        for budget in range(rest_lo[0], rest_hi[0] + 1):
            yield from rec(0, 0, budget)

    def _choose_free(self, search: _Search, f: _Field) -> None:
        """A field no witness constrains: the smallest body using every argument, if a small one does."""
        everything = frozenset(f.binders)
        top = self.limits.max_term_size
        for size in range(1, min(top, 4) + 1):
            for j, term in enumerate(search.pool(f.name, size)):
                if everything <= term.vars:
                    self._choose(search, f, (size, j))
                    return
        size = next(k for k in range(1, top + 1) if search.pool(f.name, k))
        self._choose(search, f, (size, 0))

    @staticmethod
    def _choose(search: _Search, f: _Field, at: tuple[int, int]) -> None:
        search.chosen[f.name] = at
        term = search.term(f.name)
        arity = len(f.args)
        search.impl[f.name] = (arity, (lambda *args, fn=term.fn: fn(args)) if arity else (lambda fn=term.fn: fn(())))

    @staticmethod
    def _shadow_holds(search: _Search, i: int) -> bool:
        shadow = search.shadows[i]
        if shadow is None:
            return True

        def key(names: tuple[str, ...]) -> tuple:
            return tuple(search.chosen.get(n, -1) for n in names)

        try:
            return shadow.evaluate(search.impl, key, search.cache) == search.expects[i]
        except Exception:  # noqa: BLE001 - the shadow cannot tell: Rocq decides
            return True

    def _retract(self, search: _Search, depth: int) -> None:
        """Forget the Rocq aliases of `order[depth:]`: their choices are about to change."""
        if len(search.marks) > depth:
            self._search_session.cancel_to(search.marks[depth])
            del search.marks[depth:]

    def _rocq_due(self, search: _Search, fields: dict[str, _Field], state: str, depth: int,
                  witnesses: list[int]) -> bool:
        """Define the aliases of `order[:depth + 1]` not defined yet, then check `witnesses`."""
        s = self._search_session
        while len(search.marks) <= depth:
            d = len(search.marks)
            search.marks.append(len(s))
            if not isinstance(s.add(self._alias(fields[search.order[d]], search, state)), SentenceOk):
                self._retract(search, d)
                return False
        for i in witnesses:
            search.rocq_checks += 1
            if not self._rocq_holds(self.witnesses[i], state):
                search.rocq_refuted += 1
                return False
        return True

    @staticmethod
    def _alias(f: _Field, search: _Search, state: str) -> str:
        term = search.term(f.name)
        concrete = [render_type(_subst(a, {state: "idsynth_t"})) for a in f.args]
        res = render_type(_subst(f.result, {state: "idsynth_t"}))
        binders = "".join(f" ({b} : {t})" for b, t in zip(f.binders, concrete))
        return f"Definition idsynth_c_{f.name}{binders} : {res} := {term.text}."

    def _rocq_holds(self, w: Witness, state: str) -> bool:
        """The witness on the aliases defined so far, by `vm_compute`, in the search session."""
        rename = re.compile(_FIELD_REF.format(module="M"))
        def alias(text: str) -> str:
            return rename.sub(lambda m: "idsynth_t" if m.group(1) == state else f"idsynth_c_{m.group(1)}", text)

        r = self._search_session.query(f"Check (ltac:(vm_compute; reflexivity) : ({alias(w.expr)}) = ({alias(w.expect)})).")
        return isinstance(r, SentenceOk)


def pristine_config(spec: Spec, directory: Path, sentence_timeout: float = 30.0) -> SessionConfig:
    """Compile a pristine copy of the spec under `directory` and map it for a session."""
    target = copy_pristine(spec, directory / "spec")
    compile_spec(spec, target)
    return SessionConfig(load_paths=[(str(target), spec.manifest.logical_path)], cwd=str(directory),
                         sentence_timeout=sentence_timeout)


__all__ = ["GRAMMAR", "REPRESENTATIONS", "Catalogue", "CatalogueLimits", "FieldShape", "SignatureShape",
           "Snippet", "describe_signature", "parse_type", "pristine_config", "render_type"]
