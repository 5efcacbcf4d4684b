"""Render what a policy may see into a system prompt, a user message and a reply schema.

Pure functions of their arguments. The system prompt holds what does not change during a
run (role, moves, reply format and schema), so providers can cache it; the user message
holds the observation.

Feedback modes. With `obs.feedback == "rich"` the model sees the holes with their goals,
the first failure with its location and the goals before it, the recent history with
the engine's summaries, the notes and the retrieved lemmas. With `"binary"` — the
ablation — it sees only whether the last move was accepted: the task (spec, signature,
correctness, design), its own document and its own past moves, and the throughput of
earlier designs. Summaries, outcomes, notes, retrieved lemmas and post-mortems' reasons
are withheld, since each can carry goals or checker messages.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from idsynth.agent.types import (
    Decompose, Define, HistoryEntry, Move, MoveEnvelope, Observation, PostMortem, Prove,
    Repair, Revert,
)
from idsynth.rocq.types import Failure, Goal, Hole, ProofState

from .types import DesignEnvelope, ProposalEnvelope

HISTORY_LIMIT = 12
"""Most recent history entries shown."""
GOALS_LIMIT = 4
"""Goals shown per proof state; the rest are counted."""


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str
    schema: dict[str, Any]
    """JSON schema of the whole reply (an object with one key: move, design or proposal)."""


# -- schemas ---------------------------------------------------------------------------


def reply_schema(envelope: type[BaseModel]) -> dict[str, Any]:
    """`envelope.model_json_schema()`, made portable across providers and local servers.

    `oneOf` + `discriminator` (pydantic's rendering of the Move union) becomes `anyOf`,
    which constrained decoders (vLLM, llama.cpp, Ollama) support more widely — the `kind`
    constants keep the branches disjoint anyway. And `kind` is made required: pydantic
    leaves it optional because it has a default, but the parser needs it.
    """
    schema = copy.deepcopy(envelope.model_json_schema())

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("discriminator", None)
            if "oneOf" in node:
                node["anyOf"] = node.pop("oneOf")
            kind = node.get("properties", {}).get("kind") if node.get("type") == "object" else None
            if isinstance(kind, dict) and "const" in kind:
                kind.pop("default", None)
                node["required"] = ["kind", *[r for r in node.get("required", []) if r != "kind"]]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


MOVE_SCHEMA = reply_schema(MoveEnvelope)
DESIGN_SCHEMA = reply_schema(DesignEnvelope)
PROPOSAL_SCHEMA = reply_schema(ProposalEnvelope)


def _reply_format(example: str, schema: dict[str, Any]) -> str:
    return (
        "## Reply format\n"
        f"Answer with exactly one JSON object, {example}, and nothing else: no prose, no "
        "code fences. It must match this JSON schema:\n"
        f"{json.dumps(schema, separators=(',', ':'), ensure_ascii=False)}\n"
        "If your reply is invalid you will be told why and asked again."
    )


# -- system prompts --------------------------------------------------------------------

_DOCUMENT_SHAPE = """\
The solution document has this shape (the spec's import is read-only):

    From Spec Require Import spec.
    <preamble items>                       (imports, helpers shared by code and proofs)
    Module Impl <: SIG.
      <implementation items>
    End Impl.
    Module ImplProofs <: CORRECT Impl.
      Import Impl.
      <helper lemmas>
      Lemma <theorem> : <statement>. Admitted.   (a hole)
    End ImplProofs.

Holes are lemmas ending with `Admitted.`. The task is done when the document checks
with no hole. Holes must be closed by real proofs: `Admitted`, `admit`, new `Axiom`s or
`Parameter`s, and changes to the spec are rejected."""

_MOVES = """\
Moves (one per turn):
- define: add or replace the implementation item `name` with its complete Rocq source
  `text` (e.g. a whole `Fixpoint ... .`); `where: "preamble"` puts it before `Module Impl`.
- prove: close the hole `hole` (the lemma's name) with the tactic script `script`; its
  `Admitted.` becomes `Proof. <script> Qed.` — do not write `Proof.` or `Qed.` yourself.
- decompose: split the hole `hole` into helper lemmas (each a `name` and a `statement`
  without `Lemma name :` and without the final dot; they become new holes placed before
  it) and prove the hole from them with `script`.
- repair: replace the whole text of the existing item `item` (not part of the spec).
- revert: go back to the earlier document version `version` of this branch.
Every move may carry a short `rationale`."""


def choose_system() -> str:
    return "\n\n".join([
        "You are the deductive agent of idsynth. You grow a Rocq (Coq) implementation of a "
        "specification together with its correctness proofs, one move at a time, against "
        "a live checker that grades the document after every move.",
        _DOCUMENT_SHAPE,
        _MOVES,
        _reply_format('{"move": {"kind": ..., ...}}', MOVE_SCHEMA),
    ])


def design_system() -> str:
    return "\n\n".join([
        "You are the reloader of idsynth. Before proofs start, and whenever a design was "
        "abandoned, you pick the data representation the implementation will use "
        "(association list, sorted list, balanced tree, function closure...) and the "
        "`define` moves that set it up: types and operations inside `Module Impl`, "
        "helpers in the preamble. Learn from the post-mortems of abandoned designs: do not "
        "retry a representation that got stuck unless you change what made it stick.",
        _DOCUMENT_SHAPE,
        "Reply with `{\"design\": null}` when no representation is left worth trying.",
        _reply_format('{"design": {"name": ..., "representation": ..., "moves": [...], "notes": ...}}',
                      DESIGN_SCHEMA),
    ])


def propose_system() -> str:
    return "\n\n".join([
        "You are the proposer of idsynth. The deductive agent is stalled on the document "
        "below: several moves without progress. Propose one `decompose` move that splits a "
        "hard hole into helper lemmas that are easier to prove and from which the hole "
        "follows by a short script — or no move, with a note saying why.",
        _DOCUMENT_SHAPE,
        _reply_format('{"proposal": {"move": {"kind": "decompose", ...} or null, "note": ...}}',
                      PROPOSAL_SCHEMA),
    ])


# -- observations ----------------------------------------------------------------------


def render_choose(obs: Observation) -> Prompt:
    user = render_observation(obs) + "\n\nChoose the next move."
    return Prompt(choose_system(), user, MOVE_SCHEMA)


def render_design(obs: Observation, post_mortems: list[PostMortem]) -> Prompt:
    rich = obs.feedback == "rich"
    parts = [_task(obs)]
    if post_mortems:
        parts.append("## Abandoned designs\n" + "\n".join(_post_mortem(p, rich) for p in post_mortems))
    else:
        parts.append("## Abandoned designs\nNone: this is the first design.")
    if obs.design:
        parts.append(f"## Current design\n{obs.design}")
    if rich and obs.notes:
        parts.append(_notes(obs.notes))
    if obs.throughput:
        parts.append(_throughput(obs.throughput))
    parts.append("Pick the design to try next.")
    return Prompt(design_system(), "\n\n".join(parts), DESIGN_SCHEMA)


def render_propose(obs: Observation) -> Prompt:
    user = render_observation(obs) + "\n\nThe deductive agent is stalled. Propose a decomposition."
    return Prompt(propose_system(), user, PROPOSAL_SCHEMA)


def render_observation(obs: Observation) -> str:
    """Everything the feedback mode lets the policy see, as markdown sections."""
    rich = obs.feedback == "rich"
    parts = [
        _task(obs),
        f"## Design\n{obs.design or '(none yet)'}",
        f"## Document (branch {obs.branch}, version {obs.version})\n```coq\n{obs.document}\n```",
        _status(obs),
    ]
    if rich:
        parts.append(_holes(obs.holes))
        if obs.failure is not None:
            parts.append(_failure(obs.failure))
    if obs.history:
        parts.append(_history(obs.history, rich))
    if rich and obs.notes:
        parts.append(_notes(obs.notes))
    if rich and obs.retrieved:
        parts.append("## Lemmas that may help\n" + "\n".join(
            f"- `{r.name}` : {r.statement}  ({r.source.replace('_', ' ')})" for r in obs.retrieved))
    if obs.throughput:
        parts.append(_throughput(obs.throughput))
    return "\n\n".join(parts)


def _task(obs: Observation) -> str:
    if obs.focus and not obs.signature:
        # `idsynth prove`: a user's own file, implementation frozen, one hole at a time.
        return (f"# Proving holes of `{obs.spec_name}`\nThe document below is the user's own development, cut "
                f"right after the hole being worked on. Prove only: {', '.join(f'`{h}`' for h in obs.focus)}.")
    return "\n\n".join([
        f"# Specification `{obs.spec_name}`\n```coq\n{obs.spec_text.strip()}\n```",
        f"## Signature to implement: `{obs.signature}`",
        f"## Correctness to prove: `{obs.correctness}`",
    ])


def _status(obs: Observation) -> str:
    subject = "The last move was" if obs.history else "The current document is"
    verdict = "accepted" if obs.accepted else "NOT accepted"
    if obs.feedback == "binary":
        return f"## Checker\n{subject} {verdict}. (Binary feedback: no goals or error messages are shown.)"
    holes = f"{len(obs.holes)} hole(s) left" if obs.holes else "no hole left"
    failure = "; the document fails (see below)" if obs.failure else ""
    return f"## Checker\n{subject} {verdict}: {holes}{failure}."


def _holes(holes: list[Hole]) -> str:
    if not holes:
        return "## Holes\nNone."
    out = [f"## Holes ({len(holes)})"]
    for h in holes:
        out.append(f"### `{h.item}` (item {h.item_index}, line {h.location.line})\n"
                   f"Statement: `{h.statement}`\n{render_proof_state(h.proof_state)}")
    return "\n\n".join(out)


def _failure(f: Failure) -> str:
    what = "Timed out" if f.timeout else f"Error: {f.message.strip()}"
    return (
        f"## First failure\nIn `{f.item}` (item {f.item_index}), line {f.location.line}, "
        f"column {f.location.column}, at the sentence:\n```coq\n{f.sentence.strip()}\n```\n{what}\n\n"
        f"Goals before that sentence:\n{render_proof_state(f.proof_state_before)}"
    )


def render_proof_state(ps: ProofState | None) -> str:
    if ps is None:
        return "(no proof open)"
    if ps.complete:
        return "No goals left."
    out = [f"{len(ps.goals)} goal(s)"]
    for i, g in enumerate(ps.goals[:GOALS_LIMIT], 1):
        out.append(f"Goal {i}:\n{render_goal(g)}")
    if len(ps.goals) > GOALS_LIMIT:
        out.append(f"... and {len(ps.goals) - GOALS_LIMIT} more goal(s)")
    extra = [f"{n} {what}" for n, what in ((len(ps.unfocused), "unfocused goal(s)"),
                                             (ps.shelved, "shelved"), (ps.given_up, "given up")) if n]
    if extra:
        out.append("Also: " + ", ".join(extra) + ".")
    return "\n".join(out)


def render_goal(g: Goal) -> str:
    lines = []
    if g.hypotheses_shown:
        for h in g.hypotheses:
            body = f" := {h.body}" if h.body is not None else ""
            lines.append(f"  {', '.join(h.names)}{body} : {h.type}")
    else:
        lines.append("  (hypotheses not shown)")
    lines += ["  ============================", f"  {g.conclusion}"]
    return "\n".join(lines)


def _history(history: list[HistoryEntry], rich: bool) -> str:
    shown = history[-HISTORY_LIMIT:]
    head = f"## Your recent moves ({len(shown)} of {len(history)}, oldest first)"
    if rich:
        return head + "\n" + "\n".join(f"- [{h.outcome}] {describe_move(h.move)} — {h.summary}" for h in shown)
    return head + "\n" + "\n".join(f"- {describe_move(h.move)}" for h in shown)


def describe_move(m: Move) -> str:
    """One line, from the move alone (so it is safe in binary mode)."""
    match m:
        case Define():
            return f"define `{m.name}` ({m.where})"
        case Prove():
            return f"prove `{m.hole}` with: {_clip(m.script)}"
        case Decompose():
            return f"decompose `{m.hole}` into {', '.join(f'`{h.name}`' for h in m.helpers)}"
        case Repair():
            return f"repair `{m.item}`"
        case Revert():
            return f"revert to version {m.version}"
    return m.kind  # unreachable while Move has these five kinds


def _post_mortem(p: PostMortem, rich: bool) -> str:
    head = f"- branch {p.branch}: design `{p.design}` ({p.representation}), abandoned after {p.moves} moves"
    return head + (f"; stuck on: {p.stuck_on}; why: {p.why}" if rich else "")


def _notes(notes: list[str]) -> str:
    return "## Notes\n" + "\n".join(f"- {n}" for n in notes)


def _throughput(t: dict[str, float]) -> str:
    return "## Throughput of earlier closed designs\n" + "\n".join(
        f"- {name}: {ops:,.0f} ops/s" for name, ops in sorted(t.items(), key=lambda kv: -kv[1]))


def _clip(s: str, n: int = 100) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
