"""Render what a policy may see into a system prompt, a user message and a reply schema.

Pure functions of their arguments. Order is for the providers' prompt caches: the system
prompt holds what does not change during a run (role, moves, reply format); the user
message comes in `parts`, most stable first — the task and the design (fixed for a
branch), then the numbered document (fixed until a move applies), then everything that
changes every turn (status, holes, failure, history, notes, plan). A client puts cache
breakpoints between parts. The reply schema is *not* in the system prompt: the clients
send it through the API (tool or `response_format`), and the policy adds it to the
prompt only for a client that cannot (`schema_text`).

Every reply starts with an `analysis` field (the model reasons before it commits to a
move, even without a provider's thinking), and a `choose` reply may carry a `plan` the
policy keeps and shows back on the next turn.

Feedback modes. With `obs.feedback == "rich"` the model sees the holes with their goals,
the first failure with its location and the goals before it, the recent history with
the engine's summaries, the notes and the retrieved lemmas. With `"binary"` — the
ablation — only the checker's detail is withheld: the model still sees the task (spec,
signature, correctness, design), its own document, its own past moves whole (with their
rationale and whether each was accepted), its plan, and the throughput of earlier
designs. Summaries, goals, errors, notes, retrieved lemmas and post-mortems' reasons are
withheld, since each can carry goals or checker messages.
"""

from __future__ import annotations

import copy
import json
import re
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
HISTORY_FULL = 4
"""Of those, the most recent shown whole (script, rationale, result); older ones in one line."""
ATTEMPT_CHARS = 2_000
"""Bound on one attempt's script or text shown back in the history."""
PER_HOLE_ATTEMPTS = 6
"""Failed attempts listed per hole in the record of what was tried."""
GOALS_LIMIT = 8
"""Goals shown per proof state; the rest are counted."""
PROOF_STATE_CHARS = 6_000
"""Bound on one rendered proof state (many goals with large contexts)."""
DESIGN_DOCUMENT_CHARS = 24_000
"""Bound on the abandoned design's document shown to the reloader."""


class Block(str):
    """A part of a user message after which a client may put a cache breakpoint."""

    cache: bool = False

    def __new__(cls, text: str, cache: bool = False) -> "Block":
        block = super().__new__(cls, text)
        block.cache = cache
        return block


@dataclass(frozen=True)
class Prompt:
    system: str
    parts: tuple[str, ...]
    """The user message, most stable part first; `user` is their concatenation."""
    schema: dict[str, Any]
    """JSON schema of the whole reply (an object: analysis, then move, design or proposal)."""

    @property
    def user(self) -> str:
        return "".join(self.parts)


def _prompt(system: str, sections: list[list[str]], schema: dict[str, Any]) -> Prompt:
    """Sections grouped into parts (empty groups dropped); parts end with a blank line so
    that joining them gives the same text as joining all sections."""
    groups = ["\n\n".join(x for x in g if x) for g in sections]
    groups = [g for g in groups if g]
    return Prompt(system, tuple(g + ("\n\n" if i < len(groups) - 1 else "") for i, g in enumerate(groups)), schema)


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


_ANALYSIS = {"type": "string", "description": "First: what the goals and errors say, what was tried, why "
              "this reply should work. Think here before you commit."}
_PLAN = {"type": "string", "description": "Optional: your plan for the remaining work, kept and shown back to "
         "you next turn; revise it as you learn. Omit to keep the current plan."}


def _with_analysis(schema: dict[str, Any], *, plan: bool = False) -> dict[str, Any]:
    """The envelope's schema with `analysis` as its first, required property (and `plan`)."""
    out = dict(schema)
    props = {"analysis": _ANALYSIS, **({"plan": _PLAN} if plan else {}), **schema["properties"]}
    out["properties"] = props
    out["required"] = ["analysis", *schema.get("required", [])]
    return out


MOVE_SCHEMA = _with_analysis(reply_schema(MoveEnvelope), plan=True)
DESIGN_SCHEMA = _with_analysis(reply_schema(DesignEnvelope))
PROPOSAL_SCHEMA = _with_analysis(reply_schema(ProposalEnvelope))


def _reply_format(example: str) -> str:
    return (
        "## Reply format\n"
        f"Answer by calling the `reply` tool, or with exactly one JSON object, {example}. Its first "
        "field, `analysis`, is where you reason: read the goals and errors, recall what failed, then decide. "
        "If your reply is invalid or cut short you will be told why and asked again."
    )


def schema_text(schema: dict[str, Any]) -> str:
    """The schema as a prompt section, for a client that cannot send it through the API."""
    return ("## Reply schema\nYour reply must be one JSON object (no code fences) matching this JSON schema:\n"
            + json.dumps(schema, separators=(",", ":"), ensure_ascii=False))


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
Every move may carry a short `rationale`. Lines of the document are numbered (`  12| `);
the numbers are not part of the text."""


def choose_system() -> str:
    return "\n\n".join([
        "You are the deductive agent of idsynth. You grow a Rocq (Coq) implementation of a "
        "specification together with its correctness proofs, one move at a time, against "
        "a live checker that grades the document after every move.",
        _DOCUMENT_SHAPE,
        _MOVES,
        _reply_format('{"analysis": ..., "plan": ..., "move": {"kind": ..., ...}}'),
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
        _reply_format('{"analysis": ..., "design": {"name": ..., "representation": ..., "moves": [...], '
                      '"notes": ...}}'),
    ])


def propose_system() -> str:
    return "\n\n".join([
        "You are the proposer of idsynth. The deductive agent is stalled on the document "
        "below: several moves without progress. Propose one `decompose` move that splits a "
        "hard hole into helper lemmas that are easier to prove and from which the hole "
        "follows by a short script — or no move, with a note saying why.",
        _DOCUMENT_SHAPE,
        _reply_format('{"analysis": ..., "proposal": {"move": {"kind": "decompose", ...} or null, '
                      '"note": ...}}'),
    ])


# -- observations ----------------------------------------------------------------------


def render_choose(obs: Observation, plan: str = "") -> Prompt:
    stable, document, volatile = observation_sections(obs)
    if plan:
        volatile.append(f"## Your plan (from your earlier replies; revise it with `plan`)\n{plan.strip()}")
    volatile.append("## Now\nChoose the next move.")
    return _cached_prompt(choose_system(), stable, obs, volatile, MOVE_SCHEMA)


def _cached_prompt(system: str, stable: list[str], obs: Observation, volatile: list[str],
                   schema: dict[str, Any]) -> Prompt:
    """Parts for the cache: the task (breakpoint), the document cut into blocks — the
    settled items before the first hole end at a breakpoint, and each of the last items
    before it starts a block, so that the next request, whose first hole lies further on,
    finds the previous breakpoint at one of its block boundaries (Anthropic looks 20
    blocks back) — the rest of the document (breakpoint), then the volatile tail."""
    head = "\n\n".join(x for x in stable if x) + "\n\n"
    blocks = document_blocks(obs.document, [h.item for h in obs.holes])
    parts = [Block(head, cache=True), *blocks, "\n\n" + "\n\n".join(x for x in volatile if x)]
    return Prompt(system, tuple(parts), schema)


def render_design(obs: Observation, post_mortems: list[PostMortem]) -> Prompt:
    rich = obs.feedback == "rich"
    stable = [_task(obs)]
    volatile = []
    if post_mortems:
        volatile.append("## Abandoned designs\n" + "\n".join(_post_mortem(p, rich) for p in post_mortems))
    else:
        volatile.append("## Abandoned designs\nNone: this is the first design.")
    if obs.design:
        volatile.append(f"## Current design\n{obs.design}")
        if obs.document:
            # The reloader learns from what the last design looked like, not only its name.
            volatile.append(f"## The last design's document (version {obs.version})\n"
                            f"```coq\n{_clip_middle(obs.document, DESIGN_DOCUMENT_CHARS)}\n```")
    if rich and obs.notes:
        volatile.append(_notes(obs.notes))
    if obs.throughput:
        volatile.append(_throughput(obs.throughput))
    volatile.append("## Now\nPick the design to try next.")
    return _prompt(design_system(), [stable, volatile], DESIGN_SCHEMA)


def render_propose(obs: Observation) -> Prompt:
    stable, document, volatile = observation_sections(obs)
    volatile.append("## Now\nThe deductive agent is stalled. Propose a decomposition.")
    return _cached_prompt(propose_system(), stable, obs, volatile, PROPOSAL_SCHEMA)


def render_observation(obs: Observation) -> str:
    """Everything the feedback mode lets the policy see, as markdown sections."""
    return "\n\n".join(x for group in observation_sections(obs) for x in group if x)


def observation_sections(obs: Observation) -> tuple[list[str], list[str], list[str]]:
    """(stable, document, volatile) sections: the task and design, which change only with
    the branch; the numbered document, which changes when a move applies; the rest."""
    rich = obs.feedback == "rich"
    stable = [_task(obs), f"## Design\n{obs.design or '(none yet)'}"]
    if obs.throughput:
        stable.append(_throughput(obs.throughput))
    document = [f"## Document\n```coq\n{number_lines(obs.document)}\n```"]
    volatile = [f"## Where you are\nBranch {obs.branch}, document version {obs.version}.", _status(obs)]
    if rich:
        volatile.append(_holes(obs.holes))
        if obs.failure is not None:
            volatile.append(_failure(obs.failure, rejected=bool(obs.history) and obs.history[-1].outcome == "rejected"))
    if obs.history:
        if rich:
            record = _per_hole_record(obs)
            if record:
                volatile.append(record)
        volatile.append(_history(obs.history, rich))
    if rich and obs.notes:
        volatile.append(_notes(obs.notes))
    if rich and obs.retrieved:
        volatile.append("## Lemmas that may help\n" + "\n".join(
            f"- `{r.name}` : {r.statement}  ({r.source.replace('_', ' ')})" for r in obs.retrieved))
    return stable, document, volatile


_ITEM_START = re.compile(r"^\s*(?:#\[[^\]]*\]\s*)?(?:Local\s+|Global\s+|Program\s+)?(?:Lemma|Theorem|Corollary|"
                         r"Fact|Remark|Example|Definition|Fixpoint|Function|Inductive|Record|Structure|Class|"
                         r"Instance|Module|End|Require|From|Import|Export|Hint|Ltac|Section|Notation|Arguments|Set|"
                         r"Unset|Open|Scheme|Axiom|Parameter)\b")
SETTLED_BLOCKS = 18
"""Item-start blocks just before the first hole (within Anthropic's 20-block look-back)."""


def document_blocks(document: str, holes: list[str]) -> list[Block]:
    """The numbered document as cache blocks (see `_cached_prompt`); joined, they are the
    `## Document` section."""
    lines = number_lines(document).split("\n")
    raw = document.split("\n")
    names = {h.rsplit(".", 1)[-1] for h in holes}
    first = next((i for i, line in enumerate(raw) if _ITEM_START.match(line)
                  and any(re.search(rf"\b{re.escape(n)}\b", line) for n in names)), None)
    open_, close = "## Document\n```coq\n", "\n```"
    if first is None or first == 0:
        return [Block(open_ + "\n".join(lines) + close, cache=True)]
    starts = [i for i in range(1, first) if _ITEM_START.match(raw[i])][-SETTLED_BLOCKS:]
    bounds = [0, *starts, first]
    blocks = [Block("\n".join(lines[a:b]) + "\n") for a, b in zip(bounds, bounds[1:]) if b > a]
    blocks[0] = Block(open_ + blocks[0])
    blocks[-1] = Block(blocks[-1], cache=True)
    return [*blocks, Block("\n".join(lines[first:]) + close, cache=True)]


def number_lines(text: str) -> str:
    """`text` with each line prefixed by its number, so that errors can point at it."""
    lines = text.split("\n")
    width = len(str(len(lines)))
    return "\n".join(f"{i:>{width}}| {line}" for i, line in enumerate(lines, 1))


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


HOLES_DETAILED = 3
"""Holes shown with their goals; the others by name and line (an unproved hole's goal is
its statement, which the numbered document already shows)."""


def _holes(holes: list[Hole]) -> str:
    if not holes:
        return "## Holes\nNone."
    out = [f"## Holes ({len(holes)})"]
    for h in holes[:HOLES_DETAILED]:
        out.append(f"### `{h.item}` (item {h.item_index}, line {h.location.line})\n"
                   f"Statement: `{h.statement}`\n{render_proof_state(h.proof_state)}")
    if len(holes) > HOLES_DETAILED:
        out.append("Also open (statements in the document): " + ", ".join(
            f"`{h.item}` (line {h.location.line})" for h in holes[HOLES_DETAILED:]))
    return "\n\n".join(out)


def _failure(f: Failure, rejected: bool = False) -> str:
    what = "Timed out" if f.timeout else f"Error: {f.message.strip()}"
    where = (f"line {f.location.line}, column {f.location.column} of your rejected candidate (the document above "
             "with your last move applied; it was rolled back, so lines after the changed item are shifted)"
             if rejected else f"line {f.location.line}, column {f.location.column} of the document above")
    return (
        f"## First failure\nIn `{f.item}` (item {f.item_index}), {where}, at the sentence:\n"
        f"```coq\n{f.sentence.strip()}\n```\n{what}\n\n"
        f"Goals before that sentence:\n{render_proof_state(f.proof_state_before)}"
    )


def render_proof_state(ps: ProofState | None) -> str:
    if ps is None:
        return "(no proof open)"
    if ps.complete:
        return "No goals left."
    out = [f"{len(ps.goals)} goal(s)"]
    size, shown = 0, 0
    for i, g in enumerate(ps.goals[:GOALS_LIMIT], 1):
        text = f"Goal {i}:\n{render_goal(g)}"
        if shown and size + len(text) > PROOF_STATE_CHARS:
            break
        out.append(text)
        size, shown = size + len(text), shown + 1
    if len(ps.goals) > shown:
        out.append(f"... and {len(ps.goals) - shown} more goal(s)")
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
        lines.append("  (hypotheses as in goal 1, plus any introduced for this case)")
    lines += ["  ============================", f"  {g.conclusion}"]
    return "\n".join(lines)


def _history(history: list[HistoryEntry], rich: bool) -> str:
    """The recent moves, the last `HISTORY_FULL` whole: a rejected attempt is worth its
    full script and rationale, not a clipped line. Binary mode: the moves alone."""
    shown = history[-HISTORY_LIMIT:]
    head = f"## Your recent moves ({len(shown)} of {len(history)}, oldest first)"
    lines = []
    for i, h in enumerate(shown):
        whole = i >= len(shown) - HISTORY_FULL
        # Binary mode: the one bit each move got at the time, not the checker's detail.
        tag = f"[{h.outcome}] " if rich else ("[accepted] " if h.outcome == "applied" else "[not accepted] ")
        result = f" — {h.summary}" if rich else ""
        if not whole:
            lines.append(f"- {tag}{describe_move(h.move)}{result}")
            continue
        body = _move_body(h.move)
        rationale = f"\n  rationale: {_clip(h.move.rationale, 600)}" if h.move.rationale else ""
        lines.append(f"- {tag}{describe_move(h.move, clip=False)}{rationale}"
                     + (f"\n```coq\n{body}\n```" if body else "") + (f"\n  result: {h.summary}" if rich else ""))
    return head + "\n" + "\n".join(lines)


def _move_body(m: Move) -> str:
    text = {"prove": "script", "decompose": "script", "define": "text", "repair": "text"}.get(m.kind)
    return _clip_middle(getattr(m, text).strip(), ATTEMPT_CHARS) if text else ""


def _per_hole_record(obs: Observation) -> str:
    """COPRA-style: per open hole (or failing item), what was tried and why it failed."""
    live = {h.item.rsplit(".", 1)[-1] for h in obs.holes}
    if obs.failure is not None:
        live.add(obs.failure.item.rsplit(".", 1)[-1])
    tried: dict[str, list[HistoryEntry]] = {}
    for h in obs.history:
        target = getattr(h.move, "hole", None) or getattr(h.move, "item", None)
        if h.outcome != "applied" and target in live:
            tried.setdefault(target, []).append(h)
    if not tried:
        return ""
    out = ["## What failed so far, per hole (do not repeat these)"]
    for hole, entries in tried.items():
        out.append(f"### `{hole}`: {len(entries)} failed attempt(s)")
        for h in entries[-PER_HOLE_ATTEMPTS:]:
            body = _move_body(h.move)
            out.append(f"- {h.move.kind}: {_clip(body, 240)} → {_clip(h.summary, 300)}")
    return "\n".join(out)


def describe_move(m: Move, clip: bool = True) -> str:
    """One line, from the move alone (so it is safe in binary mode); `clip=False`: without
    the script (shown whole beside it)."""
    match m:
        case Define():
            return f"define `{m.name}` ({m.where})"
        case Prove():
            return f"prove `{m.hole}` with: {_clip(m.script)}" if clip else f"prove `{m.hole}`"
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


def _clip_middle(s: str, n: int) -> str:
    """`s` bounded to about `n` characters, keeping its head and tail (where errors and the
    end of a script are)."""
    if len(s) <= n:
        return s
    half = n // 2
    return f"{s[:half]}\n(... {len(s) - 2 * half} characters left out ...)\n{s[-half:]}"


def _clip(s: str, n: int = 100) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


# -- fitting a context window ------------------------------------------------------------------

_TRIM_ORDER = ("## Lemmas that may help", "## Notes", "## Your recent moves", "## What failed so far",
               "## Your plan", "## Throughput")
"""Sections dropped first when a prompt is too long: help before memory, memory before the
task; the task, the document, the status, the holes and the failure are kept."""


def trim_prompt(prompt: Prompt, max_chars: int) -> Prompt:
    """`prompt` with its user message within `max_chars`: whole sections dropped in
    `_TRIM_ORDER`, then the longest remaining part clipped in its middle. A small local
    context (8 k tokens) otherwise silently loses the *end* of the prompt — the failure
    and the instruction — at the server."""
    if len(prompt.user) <= max_chars:
        return prompt
    parts = [p.split("\n\n## ") for p in prompt.parts]
    for head in _TRIM_ORDER:
        for i, sections in enumerate(parts):
            kept = [x for j, x in enumerate(sections) if not (("## " + x if j else x).startswith(head))]
            parts[i] = kept
        if _size(parts) <= max_chars:
            break
    joined = ["\n\n## ".join(s) for s in parts]
    excess = sum(map(len, joined)) - max_chars
    if excess > 0:
        i = max(range(len(joined)), key=lambda k: len(joined[k]))
        joined[i] = _clip_middle(joined[i], max(200, len(joined[i]) - excess - 80))
    # A part that ended with the blank line between sections still does (its last section may be gone).
    joined = [p + "\n\n" if prompt.parts[i].endswith("\n\n") and not p.endswith("\n\n") else p
              for i, p in enumerate(joined)]
    joined = [Block(p, cache=getattr(prompt.parts[i], "cache", False)) for i, p in enumerate(joined)]
    return Prompt(prompt.system, tuple(joined), prompt.schema)


def _size(parts: list[list[str]]) -> int:
    return sum(len("\n\n## ".join(s)) for s in parts)
