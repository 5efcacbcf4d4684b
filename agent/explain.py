"""Why a run did not close, in terms a user can act on — read from the transcript alone.

For a run that stopped without an audited solution: the design it kept (its definitions),
each open hole with its goal, what was tried on it, and the likely cause when one is known.
The strongest cause is a refutation (`agent/refute.py`): Rocq proved the theorem false for the
design on a sampled input, so the design is wrong and the spec's witnesses did not rule it
out — the remedy is a witness, and the refutation spells one out. The summary, `--json` and
the HTML report all print this one model.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .state import Branch, RunState
from .types import Refutation


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Attempt(_Model):
    what: str
    """e.g. `prove: induction s; simpl; auto` or `decompose into 2 helpers`."""
    outcome: str
    """applied / refused / rejected, or `gave up` for a policy's own account."""
    detail: str = ""


class OpenHole(_Model):
    name: str
    goal: str
    """The goal where the proof stops (hypotheses, then `⊢ conclusion`)."""
    tried: list[Attempt] = Field(default_factory=list)
    cause: str = ""
    """The likely cause, when one is known."""
    refutation: Refutation | None = None


class Abandoned(_Model):
    branch: int
    design: str
    why: str


class Explanation(_Model):
    status: str
    reason: str
    branch: int | None = None
    design: str | None = None
    representation: str | None = None
    definitions: list[str] = Field(default_factory=list)
    """The design's own definitions, as the implementation module has them."""
    holes: list[OpenHole] = Field(default_factory=list)
    failure: str | None = None
    """The first error of the kept document, when it does not check."""
    audit: list[str] = Field(default_factory=list)
    """The audit's reasons, when the kept design closed but was rejected."""
    abandoned: list[Abandoned] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)


def _goal_text(hole) -> str:
    ps = hole.proof_state
    if ps is None or not ps.goals:
        return " ".join(hole.statement.split())
    g = ps.goals[0]
    hyps = [f"{', '.join(h.names)} : {' '.join(h.type.split())}" for h in g.hypotheses]
    concl = " ".join(g.conclusion.split())
    more = f"  (+{len(ps.goals) - 1} more goals)" if len(ps.goals) > 1 else ""
    return ("; ".join(hyps) + "  ⊢ " if hyps else "⊢ ") + concl + more


def _target(move) -> str | None:
    return getattr(move, "hole", None) or getattr(move, "item", None)


def _describe(move) -> str:
    if move.kind == "prove":
        return f"prove: {' '.join(move.script.split())[:160]}"
    if move.kind == "decompose":
        return f"decompose into {', '.join(h.name for h in move.helpers)}"
    if move.kind == "repair":
        return f"repair {move.item}"
    return move.kind


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _refutations(state: RunState, branch: Branch) -> list[Refutation]:
    for pm in state.post_mortems:
        if pm.branch == branch.index and pm.refutations:
            return list(pm.refutations)
    f = state.finished
    if f is not None and f.branch == branch.index:
        return list(f.refutations)
    return []


def _kept_branch(state: RunState) -> Branch | None:
    f = state.finished
    if f is not None and f.branch is not None:
        for b in state.branches:
            if b.index == f.branch:
                return b
    return state.branch


def explain(state: RunState) -> Explanation | None:
    """None for a closed run; else what the user needs to act on."""
    f = state.finished
    if f is not None and f.status == "closed":
        return None
    status = f.status if f else "stopped"
    reason = f.reason if f else "the run stopped before finishing (resume it with `idsynth resume`)"
    b = _kept_branch(state)
    abandoned = [Abandoned(branch=pm.branch, design=pm.design, why=pm.why)
                 for pm in state.post_mortems if b is None or pm.branch != b.index]
    if b is None:
        return Explanation(status=status, reason=reason, abandoned=abandoned,
                           suggestions=["no design was chosen: see the reason above"])
    refuted = {r.theorem: r for r in _refutations(state, b)}
    verdict = b.verdict
    holes: list[OpenHole] = []
    for hole in (verdict.holes if verdict else []):
        tried = [Attempt(what=_describe(h.move), outcome=h.outcome, detail=h.summary[:200])
                 for h in b.history if _target(h.move) == hole.item]
        tried += [Attempt(what=note, outcome="gave up") for note in dict.fromkeys(b.gave_up)]
        r = refuted.get(_short(hole.item))
        if r is not None:
            cause = (f"the design is wrong: {r.sentence()}. No proof exists; the spec's witnesses did not rule "
                     "this design out.")
        elif not tried:
            cause = "not attempted before the run stopped"
        else:
            cause = ("no proof found by the policy; the theorem may need a helper lemma, a different design, "
                     "or a stronger policy (`--policy llm`)")
        holes.append(OpenHole(name=hole.item, goal=_goal_text(hole), tried=tried, cause=cause, refutation=r))
    failure = None
    if verdict is not None and verdict.first_failure is not None:
        ff = verdict.first_failure
        failure = f"{ff.item} (line {ff.location.line}): {' '.join(ff.message.split())[:300]}"
    audit = []
    if b.audit is not None and not b.audit.verdict.accepted:
        audit = [f"{x.kind.value} ({x.where}): {x.detail}" for x in b.audit.verdict.findings[:5]]
    suggestions = []
    all_refuted = [r for pm in state.post_mortems for r in pm.refutations] + list(refuted.values())
    if all_refuted:
        r = all_refuted[0]
        suggestions.append("add a witness to spec.toml that rules out the wrong design, such as:\n"
                           + r.suggestion()
                           + f"\n(`{r.rhs_value}` is what the theorem's right side computes to here; write the value "
                           "an honest implementation must give)")
    elif holes:
        suggestions.append("try `idsynth run` with a larger budget or `--policy llm`, or prove the hole yourself: "
                           "the kept document is document.v in the run directory")
    return Explanation(status=status, reason=reason, branch=b.index, design=b.design.name,
                       representation=b.design.representation,
                       definitions=[d.text for d in b.design.moves if d.where == "impl"],
                       holes=holes, failure=failure, audit=audit, abandoned=abandoned, suggestions=suggestions)


def render_text(e: Explanation, indent: str = "  ") -> list[str]:
    """The explanation as terminal lines."""
    lines: list[str] = []
    if e.design is not None:
        lines.append(f"{indent}design kept: {e.design} ({e.representation}), branch {e.branch}")
        lines += [f"{indent}    {' '.join(d.split())}" for d in e.definitions]
    if e.failure:
        lines.append(f"{indent}the document does not check: {e.failure}")
    if e.audit:
        lines.append(f"{indent}the audit rejected it:")
        lines += [f"{indent}    {a}" for a in e.audit]
    if e.holes:
        lines.append(f"{indent}open holes ({len(e.holes)}):")
    for h in e.holes:
        lines.append(f"{indent}  {h.name}")
        lines.append(f"{indent}    goal: {h.goal}")
        for a in h.tried[:6]:
            lines.append(f"{indent}    tried: {a.what} → {a.outcome}" + (f" ({a.detail})" if a.detail else ""))
        if h.cause:
            lines.append(f"{indent}    likely cause: {h.cause}")
    for a in e.abandoned:
        lines.append(f"{indent}earlier design {a.design} (branch {a.branch}): {a.why}")
    for s in e.suggestions:
        first, *rest = s.split("\n")
        lines.append(f"{indent}next: {first}")
        lines += [f"{indent}    {x}" for x in rest]
    return lines


__all__ = ["Explanation", "OpenHole", "explain", "render_text"]
