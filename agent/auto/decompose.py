"""Helper lemmas for a hole the portfolio cannot close, each verified before it is proposed.

`propose_decomposition(doc, i, search)` returns `(helpers, script)` only when, in the
document with the helpers inserted just before hole `i` (exactly as the engine's
`Decompose` inserts them), (a) every helper closes with the portfolio and (b) the
original closes from the helpers with `script`. Proposals, in the order tried:

1. *plain accumulator generalisation*: the goal is `f .. c .. = rhs` with `c` a
   constant (`[]`, `nil`, `0`, `1`) in a non-structural argument of a fixpoint `f`:
   `forall <vars> acc, f .. acc .. = rhs ++ acc` (`+ acc`, `* acc` for numbers); the
   original is that lemma at `c`, up to `app_nil_r`/`lia`;
2. *accumulator lemma*: `forall <vars> acc, f .. acc .. = f .. c .. ++ acc`, which the
   original uses in the step case of an induction on the structural argument;
3. *invariant generalisation*: `P (f .. c)` with `c` a constant state becomes
   `forall .. q, P q -> P (f .. q)`, the original being that lemma at `c`;
4. *induction skeleton*: the goals induction leaves open, each stated as a lemma (over
   its hypotheses, the induction hypothesis included), closed by `eauto using` them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import structlog

from idsynth.rocq import Document
from idsynth.rocq.types import Hypothesis

from ..moves import insert_helpers
from ..types import Helper
from .prover import Candidate, GoalInfo, ProofSearch, applications, equation_sides

log = structlog.get_logger(__name__)

_ACCUMULATORS = {"[]": "++", "nil": "++", "0": "+", "O": "+", "1": "*"}
_FAST = ("reflexivity", "lia", "congruence", "auto", "easy")
_FAST_NO_LIA = ("reflexivity", "congruence", "auto", "easy")
_NORMALISE = "try (autorewrite with list in *); simpl in *"


@dataclass(frozen=True)
class _Proposal:
    kind: str
    helpers: list[Helper]
    scripts: list[Candidate]
    """Targeted proofs of the original from the helpers, tried before the portfolio."""
    helper_scripts: tuple[tuple[str, ...], ...] = ()
    """Targeted proofs of each helper, tried before the portfolio (same order as helpers)."""


def propose_decomposition(doc: Document, hole_index: int, search: ProofSearch, *,
                          budget_s: float = 120.0, indent: str | None = None) -> tuple[list[Helper], str] | None:
    """Verified helpers and the script proving the original from them, or None."""
    deadline = time.monotonic() + budget_s
    info = search.analyse(doc, hole_index)
    if info is None:
        return None
    names = {item.name.rsplit(".", 1)[-1] for item in doc.items}
    short = doc.items[hole_index].name.rsplit(".", 1)[-1]
    for proposal in _proposals(doc, hole_index, info, search, names, short):
        left = deadline - time.monotonic()
        if left < 2.0:
            break
        result = _verify(doc, hole_index, search, proposal, deadline, indent)
        log.info("decomposition_candidate", kind=proposal.kind, accepted=result is not None,
                 helpers=[h.statement for h in (result[0] if result else proposal.helpers)])
        if result is not None:
            return result
    return None


# -- proposals ---------------------------------------------------------------------------------


def _proposals(doc: Document, hole: int, info: GoalInfo, search: ProofSearch, names: set[str],
               short: str) -> Iterator[_Proposal]:
    lia = "lia" in info.available
    fast = _FAST if lia else _FAST_NO_LIA
    unfold = f"unfold {', '.join(info.unfold)} in *; simpl in *; " if info.unfold else ""
    views = [(info.conclusion, "")] + ([(info.unfolded, unfold)] if info.unfolded else [])
    plain: list[_Proposal] = []
    lemmas: list[_Proposal] = []
    for text, unf in views:
        for fix in info.fixpoints:
            for app in applications(text, fix.name):
                if len(app.args) < len(fix.params):
                    continue
                for i, arg in enumerate(app.args[: len(fix.params)]):
                    op = _ACCUMULATORS.get(arg.text)
                    if op is None or i == fix.struct:
                        continue
                    acc = _fresh("acc", set(info.variables))
                    whole = text[app.start: app.end]
                    generalised = text[app.start: arg.start] + acc + text[arg.end: app.end]
                    struct = (app.args[fix.struct].text
                              if fix.struct is not None and fix.struct < len(app.args) else None)
                    sides = equation_sides(text)
                    if sides is not None:
                        for mine, other in (sides, sides[::-1]):
                            if mine != (app.start, app.end):
                                continue
                            rest = f"({text[other[0]: other[1]]}) {op} {acc}"
                            core = f"{generalised} = {rest}" if mine == sides[0] else f"{rest} = {generalised}"
                            name = _fresh(f"{fix.name}_gen", names)
                            plain.append(_Proposal("accumulator generalisation",
                                                   [Helper(name=name, statement=_forall(info.hypotheses, acc, core))],
                                                   [Candidate(f"intros; {unf}rewrite {name}; {_NORMALISE}", fast),
                                                    Candidate(f"intros; {unf}rewrite <- {name}; {_NORMALISE}",
                                                              fast)]))
                    core = f"{generalised} = ({whole}) {op} {acc}"
                    name = _fresh(f"{fix.name}_acc", names)
                    inducts = list(dict.fromkeys(([struct] if struct in info.variables else []) + info.induction_vars))
                    lemmas.append(_Proposal(
                        "accumulator lemma", [Helper(name=name, statement=_forall(info.hypotheses, acc, core))],
                        [Candidate(f"intros; {unf}induction {v}; simpl in *; try rewrite {name}; try rewrite IH{v}; "
                                   f"{_NORMALISE}", fast) for v in inducts[:2]]))
    yield from _unique(plain + lemmas)
    yield from _unique(list(_invariants(doc, info, names, unfold, fast)))

    for v in info.induction_vars[:2]:
        tactic = f"intros; {unfold}induction {v}; simpl in *; try solve [{' | '.join(fast)}]"
        goals = search.open_goals(doc, hole, tactic)
        if not goals or len(goals) > 2 or any(h.body is not None for g in goals for h in g.hypotheses):
            continue
        helpers = []
        for k, goal in enumerate(goals):
            statement = _forall(goal.hypotheses, None, goal.conclusion, every=True)
            helpers.append(Helper(name=_fresh(f"{short}_step{k + 1 if len(goals) > 1 else ''}", names),
                                  statement=statement))
        using = ", ".join(h.name for h in helpers)
        yield _Proposal("induction skeleton", helpers, [Candidate(tactic, (f"eauto using {using}",))])


_APPLIED_TO_CONSTANT = re.compile(r"\((?P<f>[A-Za-z_][\w'.]*)(?P<args>(?:\s+[\w'.]+)*)\s+(?P<c>[A-Za-z_][\w'.]*)\)")


_SPLIT_TESTS = ("repeat match goal with |- context [if ?b then _ else _] => destruct b eqn:? end; simpl in *; "
                "rewrite ?Nat.ltb_lt, ?Nat.ltb_ge, ?Nat.leb_le, ?Nat.leb_gt, ?app_length in *; simpl in *; try lia")


def _defined(doc: Document) -> set[str]:
    """Short names of everything the document defines."""
    return {item.name.rsplit(".", 1)[-1] for item in doc.items}


def _constants(doc: Document) -> set[str]:
    """Names the document defines without parameters (an initial state such as `empty`)."""
    out = set()
    for item in doc.items:
        m = re.match(r"^Definition\s+([\w']+)\s*(?::[^=]*)?:=", item.text.strip())
        if m:
            out.add(m.group(1))
    return out


def _invariants(doc: Document, info: GoalInfo, names: set[str], unfold: str,
                fast: tuple[str, ...]) -> Iterator[_Proposal]:
    """*Invariant generalisation*: a goal `P (f .. c)` about a run `f` from a constant state
    `c` (e.g. `size (run ops empty) <= capacity`) is rarely provable by induction as stated;
    `forall .. q, P q -> P (f .. q)` usually is, and the original is that lemma at `c`."""
    constants = _constants(doc)
    text = info.conclusion
    for m in _APPLIED_TO_CONSTANT.finditer(text):
        c = m.group("c").rsplit(".", 1)[-1]
        args = m.group("args").split()
        if c not in constants or m.group("f").rsplit(".", 1)[-1] in constants or not args:
            continue
        q = _fresh("q", set(info.variables))
        holds_q = text[: m.start()] + q + text[m.end():]
        step = text[: m.start()] + f"({m.group('f')}{m.group('args')} {q})" + text[m.end():]
        core = f"{holds_q} -> {step}"
        name = _fresh("invariant_run", names)
        # The helper by induction on the run's last argument before the state, every step
        # closed by unfolding the operations, splitting their tests and arithmetic.
        var, f = args[-1], m.group("f")
        defined = [a for a in args if a.rsplit(".", 1)[-1] in _defined(doc)]
        unfolds = ", ".join(dict.fromkeys(defined + list(info.unfold)))
        unfold_ops = f"unfold {unfolds} in *; " if unfolds else ""
        step = (f"intros until {var}; unfold {f}; induction {var} as [|o os IH]; intros {q} Hq; simpl in *; "
                f"[assumption | apply IH; try destruct o; {unfold_ops}simpl in *; {_SPLIT_TESTS}; "
                f"try (destruct {q}; simpl in *; lia)]")
        yield _Proposal("invariant generalisation", [Helper(name=name, statement=_forall(info.hypotheses, q, core))],
                        [Candidate(f"intros; apply {name}; {unfold}simpl in *", fast),
                         Candidate(f"intros; apply {name}; {unfold}cbv in *", fast)],
                        helper_scripts=((step,),))


def _unique(proposals: list[_Proposal]) -> Iterator[_Proposal]:
    seen: set[str] = set()
    for p in proposals:
        key = " ".join(" ".join(h.statement.split()) for h in p.helpers)
        if key not in seen:
            seen.add(key)
            yield p


def _fresh(base: str, taken: set[str]) -> str:
    name, k = base, 0
    while name in taken:
        name, k = f"{base}{k}", k + 1
    taken.add(name)
    return name


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w'.]){re.escape(name)}(?![\w'])", text) is not None


def _forall(hypotheses: list[Hypothesis], acc: str | None, core: str, every: bool = False) -> str:
    """`forall <binders> [acc], core` over the hypotheses `core` needs (all if `every`):
    those it mentions, those their types mention, and premises about them."""
    names = [n for h in hypotheses for n in h.names]
    needed = {n for n in names if every or _mentions(core, n)}
    changed = True
    while changed:
        changed = False
        for h in hypotheses:
            if any(n in needed for n in h.names):
                new = {n for n in names if n not in needed and _mentions(h.type, n)}
            elif any(_mentions(h.type, n) for n in needed):
                new = set(h.names)  # a premise about what is generalised
            else:
                new = set()
            if new:
                needed |= new
                changed = True
    binders = [f"({' '.join(n for n in h.names if n in needed)} : {h.type})"
               for h in hypotheses if any(n in needed for n in h.names)]
    if acc is not None:
        binders.append(acc)
    return f"forall {' '.join(binders)}, {core}" if binders else core


# -- verification ------------------------------------------------------------------------------


def _verify(doc: Document, hole: int, search: ProofSearch, proposal: _Proposal,
            deadline: float, indent: str | None) -> tuple[list[Helper], str] | None:
    helpers = list(proposal.helpers)
    n = len(helpers)
    grown = insert_helpers(doc, hole, helpers, indent)
    # Rocq's own printing of each helper reads better (binder types inferred, grouped);
    # it is kept only if it checks as well.
    for k, helper in enumerate(helpers):
        info = search.analyse(grown, hole + k)
        if info is None:
            return None  # the helper's statement does not type-check
        printed = " ".join(info.goal.split())
        if printed and printed != " ".join(helper.statement.split()):
            pretty = helpers[:k] + [Helper(name=helper.name, statement=printed)] + helpers[k + 1:]
            candidate = insert_helpers(doc, hole, pretty, indent)
            if search.analyse(candidate, hole + k) is not None:
                helpers, grown = pretty, candidate

    left = deadline - time.monotonic()
    original = search.try_scripts(grown, hole + n, proposal.scripts, budget_s=min(left, 20.0))
    if original is None:
        left = deadline - time.monotonic()
        original = search.find(grown, hole + n, budget_s=min(left / 3, 30.0), hints=[h.name for h in helpers])
    if original is None or original.needs_import is not None:
        return None  # the script goes into the solution as is: it may not need a new import
    for k in range(n):
        left = deadline - time.monotonic()
        if left < 1.0:
            return None
        targeted = proposal.helper_scripts[k] if k < len(proposal.helper_scripts) else ()
        if targeted:
            found = search.try_scripts(grown, hole + k, list(targeted), budget_s=min(left, 30.0), tools=True)
            if found is not None:
                search.remember(grown, hole + k, found)
                continue
        if search.find(grown, hole + k, budget_s=left / (n - k)) is None:
            return None
    return helpers, original.script
