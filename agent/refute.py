"""Is an open hole false for this design? Test its theorem on small sampled inputs.

A design the witnesses allow can still be wrong (`pop s := s` passes witnesses that never
pop); then no proof search will ever close the theorem that says so, and the run should say
*that* rather than "no progress". This module instantiates a hole's universally quantified
variables with small values — numbers, booleans, lists, and states built from the
signature's own operations (`push 0 empty`, ...) — and asks Rocq to prove the instance
false (`vm_compute` then `discriminate`). Rocq is the only judge: a `Refutation` is returned
only when Rocq proved the negation of the theorem's instance; failing to find one proves
nothing.

The state values are terms over the signature (never the design's concrete representation),
so a refutation reads as a witness the user can add to the manifest, and the `auto` policy
turns it into one (`Refutation.witness`) to steer its next design choice.
"""

from __future__ import annotations

import itertools
import re
import time

import structlog

from idsynth.audit.types import Spec, Witness
from idsynth.rocq import Document, Session, SessionConfig, SentenceOk, split_sentences
from idsynth.rocq.types import Verdict

from .types import Refutation

log = structlog.get_logger(__name__)

_SCALARS: dict[str, list[str]] = {
    "nat": ["0", "1", "2"],
    "bool": ["true", "false"],
    "list nat": ["[]", "[0]", "[1; 0]"],
    "option nat": ["None", "Some 0"],
}
_MAX_COMBINATIONS = 150
_STATE_VALUES = 8


def _arrows(text: str) -> list[str]:
    """`nat -> t -> t` as its parts (types with arrows inside parentheses are kept whole)."""
    parts, depth, cur = [], 0, ""
    i = 0
    while i < len(text):
        c = text[i]
        depth += c == "("
        depth -= c == ")"
        if depth == 0 and text.startswith("->", i):
            parts.append(cur.strip())
            cur, i = "", i + 2
            continue
        cur += c
        i += 1
    parts.append(cur.strip())
    return parts


def _paren(term: str) -> str:
    return f"({term})" if " " in term and not term.startswith(("[", "(")) else term


def state_values(fields: list[tuple[str, str]], state: str, limit: int = _STATE_VALUES) -> list[str]:
    """Small states built from the signature: its constants, then one or two operations on
    them with small scalar arguments, smallest first."""
    values: list[str] = [name for name, ty in fields if ty.strip() == state]
    ops = []
    for name, ty in fields:
        parts = _arrows(ty)
        if len(parts) > 1 and parts[-1] == state and all(p == state or p in _SCALARS for p in parts[:-1]):
            ops.append((name, parts[:-1]))
    for _ in range(2):
        grown = []
        for name, args in ops:
            choices = [values[:3] if a == state else _SCALARS[a][:2] for a in args]
            for combo in itertools.product(*choices):
                term = f"{name} {' '.join(_paren(c) for c in combo)}"
                if term not in values and term not in grown:
                    grown.append(term)
        values += grown
        if len(values) >= limit * 2:
            break
    return sorted(dict.fromkeys(values), key=lambda v: (len(v.split()), len(v)))[:limit]


def split_equation(text: str) -> tuple[str, str] | None:
    """`a = b` at the top level (outside parentheses and brackets), else None."""
    depth = 0
    for i, c in enumerate(text):
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and text.startswith(" = ", i):
            return text[:i].strip(), text[i + 3:].strip()
    return None


def _substitute(text: str, assignment: dict[str, str]) -> str:
    return re.sub(r"(?<![\w'.])([A-Za-z_][\w']*)(?![\w'])",
                  lambda m: _paren(assignment[m.group(1)]) if m.group(1) in assignment else m.group(1), text)


def _qualify(text: str, names: set[str], module: str = "M") -> str:
    return re.sub(r"(?<![\w'.])([A-Za-z_][\w']*)(?![\w'])",
                  lambda m: f"{module}.{m.group(1)}" if m.group(1) in names else m.group(1), text)


def _value(session: Session, term: str) -> str:
    r = session.query(f"Eval vm_compute in ({term}).")
    if not isinstance(r, SentenceOk):
        return "?"
    out = " ".join(" ".join(r.messages).split())
    m = re.match(r"=\s*(.*?)\s*:\s*[^:]*$", out)
    return m.group(1) if m else out


class _Prover:
    """A session positioned inside the proofs module, before the first hole."""

    def __init__(self, session: Session, spec: Spec) -> None:
        self.s = session
        sig = session.query(f"Print Module Type {spec.main_module}.{spec.manifest.signature}.")
        from idsynth.audit.probe import _sig_fields

        self.fields = _sig_fields(" ".join(sig.messages)) if isinstance(sig, SentenceOk) else []
        states = [n for n, ty in self.fields if ty.strip() == "Type"]
        self.state = states[0] if len(states) == 1 else None
        self.pools = dict(_SCALARS)
        if self.state:
            self.pools[self.state] = state_values(self.fields, self.state)

    def binders(self, statement: str) -> list[tuple[str, str]] | None:
        """The theorem's variables and their types, as Rocq sees them after `intros`."""
        mark = len(self.s)
        try:
            if not isinstance(self.s.add(f"Goal {statement}."), SentenceOk):
                return None
            if not isinstance(self.s.add("intros."), SentenceOk):
                return None
            state = self.s.proof_state()
            if state is None or len(state.goals) != 1:
                return None
            goal = state.goals[0]
            # Only the hypotheses `intros` made (the proofs module has no local context).
            out = [(n, " ".join(h.type.split())) for h in goal.hypotheses for n in h.names]
            return out
        finally:
            self.s.cancel_to(mark)

    def refute(self, theorem: str, statement: str, deadline: float) -> Refutation | None:
        binders = self.binders(statement)
        if not binders or any(ty not in self.pools for _, ty in binders):
            return None  # a premise, or a type we have no values for: nothing sampled
        names = [n for n, _ in binders]
        pools = [self.pools[ty] for _, ty in binders]
        combos = sorted(itertools.islice(itertools.product(*pools), 5000),
                        key=lambda c: sum(len(v.split()) + len(v) / 100 for v in c))[:_MAX_COMBINATIONS]
        for combo in combos:
            if time.monotonic() > deadline:
                return None
            args = " ".join(_paren(v) for v in combo)
            probe = (f"Check (ltac:(intro idsynth_H; specialize (idsynth_H {args}); vm_compute in idsynth_H; "
                     f"discriminate idsynth_H) : ~ ({statement})).")
            if isinstance(self.s.query(probe), SentenceOk):
                return self._explain(theorem, statement, dict(zip(names, combo)))
        return None

    def _explain(self, theorem: str, statement: str, assignment: dict[str, str]) -> Refutation:
        body = _conclusion(statement, list(assignment))
        instance = _substitute(body, assignment) if body else statement
        sides = split_equation(instance)
        lhs, rhs = sides if sides else (instance, "True")
        field_names = {n for n, _ in self.fields}
        return Refutation(theorem=theorem, assignment=assignment, instance=instance, lhs=lhs, rhs=rhs,
                          lhs_value=_value(self.s, lhs), rhs_value=_value(self.s, rhs) if sides else "True",
                          witness_expr=_qualify(lhs, field_names), witness_expect=_qualify(rhs, field_names))


def _conclusion(statement: str, names: list[str]) -> str | None:
    """The body of `forall a b, BODY` when its binders are exactly `names` (in order)."""
    m = re.match(r"\s*forall\s+(.*?),\s*(.*)$", statement, re.S)
    if not m:
        return statement.strip() if not names else None
    binders = re.findall(r"[A-Za-z_][\w']*", re.sub(r":[^()]*", " ", m.group(1)))
    if binders != names:
        return None
    return " ".join(m.group(2).split())


def refute_holes(spec: Spec, document: Document, verdict: Verdict, config: SessionConfig,
                 seconds: float = 30.0) -> list[Refutation]:
    """Refutations of the open holes' theorems on this design, in hole order (bounded by
    `seconds` in all; a hole whose theorem has premises or unsampled types is skipped)."""
    holes = [h for h in verdict.holes if "." in h.item or h.item]
    if not holes or verdict.first_failure is not None:
        return []
    deadline = time.monotonic() + seconds
    first = min(h.item_index for h in holes)
    prefix = "".join(it.leading + it.text for it in document.items[:first])
    found: list[Refutation] = []
    with Session(config) as session:
        for sentence in split_sentences(prefix):
            if not isinstance(session.add(sentence.text), SentenceOk):
                log.warning("refute_prefix_failed", sentence=sentence.text[:80])
                return []
        session.add("Set Printing Width 10000.")
        prover = _Prover(session, spec)
        for hole in holes:
            statement = _statement_of(document.items[hole.item_index].statement)
            if statement is None:
                continue
            r = prover.refute(hole.item.rsplit(".", 1)[-1], statement, deadline)
            if r is not None:
                found.append(r)
    return found


def _statement_of(sentence: str) -> str | None:
    m = re.match(r"\s*(?:Lemma|Theorem|Fact|Remark|Corollary|Proposition|Example)\s+[\w']+\s*:\s*(.*)\.\s*$",
                 sentence, re.S)
    return " ".join(m.group(1).split()) if m else None


def learned_witness(r: Refutation) -> Witness:
    """The refuted instance as a witness: what every design must compute (the theorem says so)."""
    return Witness(name=f"learned_{r.theorem}", expr=r.witness_expr, expect=r.witness_expect)


__all__ = ["learned_witness", "refute_holes", "split_equation", "state_values"]
