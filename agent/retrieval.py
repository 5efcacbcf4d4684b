"""Retrieved context for observations: lemmas Rocq's `Search` finds, and proofs of similar
holes from earlier closed runs of *other* specs (never of the same spec: that would hand a
policy the answer it is being measured on).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from idsynth.rocq import Document, Session, SentenceOk
from idsynth.rocq.types import Hole, ItemKind

from .transcript import AuditDone, RunFinished, RunStarted, TranscriptError, read_events
from .types import RetrievedLemma

_IDENT = re.compile(r"(?<![\w'.])([A-Za-z_][\w']*(?:\.[A-Za-z_][\w']*)*)")
_KEYWORDS = {"forall", "exists", "fun", "match", "with", "end", "let", "in", "if", "then", "else", "Type", "Prop",
             "Set", "True", "False", "nat", "bool", "option", "list", "Some", "None", "true", "false", "nil", "cons"}
_RESULT = re.compile(r"^(?P<name>[\w'.]+):\s*(?P<type>.+)$")


def _constants(text: str, local: set[str]) -> list[str]:
    seen: list[str] = []
    for m in _IDENT.finditer(text):
        name = m.group(1)
        if name in _KEYWORDS or name in local or name in seen or name[0].isupper() and "." not in name:
            continue
        seen.append(name)
    return seen


def search_lemmas(session: Session, hole: Hole, document: Document | None = None,
                  limit: int = 8) -> list[RetrievedLemma]:
    """Lemmas about the constants of the hole's goal (hypothesis names excluded), and about
    the constants used by the document's own definitions that the goal mentions (one level
    of unfolding: a goal about `get` is usually proved with lemmas about what `get` uses)."""
    state = hole.proof_state
    goal = state.goals[0] if state and state.goals else None
    text = goal.conclusion if goal else hole.statement
    local = {n for h in (goal.hypotheses if goal else []) for n in h.names}
    constants = _constants(text, local)
    if document is not None:
        bodies = {it.name.rsplit(".", 1)[-1]: it.text for it in document.items if it.kind is ItemKind.DEFINITION}
        for name in [c for c in constants if c in bodies]:
            constants.remove(name)
            constants += [c for c in _constants(bodies[name], local | set(bodies)) if c not in constants]
    found: list[RetrievedLemma] = []
    for const in constants[:6]:
        r = session.query(f"Search {const}.")
        if not isinstance(r, SentenceOk):
            continue
        for line in " ".join(r.messages).replace("\n ", " ").split("\n"):
            m = _RESULT.match(line.strip())
            if m and len(found) < limit and all(f.name != m.group("name") for f in found):
                found.append(RetrievedLemma(name=m.group("name"), statement=" ".join(m.group("type").split()),
                                            source="search"))
    return found


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[\w']+|[^\s\w]", text))


def _closed_proofs(runs_dir: Path) -> list[tuple[str, str, str]]:
    """(spec_name, statement, proof text) of lemmas in accepted solutions under runs_dir.

    Each transcript is read once per (path, size): a run that closes later has grown, so
    it is read again then."""
    out = []
    for events_path in sorted(runs_dir.rglob("events.jsonl")):
        out.extend(_proofs_of_run(str(events_path), events_path.stat().st_size))
    return out


@lru_cache(maxsize=256)
def _proofs_of_run(events_path: str, size: int) -> tuple[tuple[str, str, str], ...]:
    path = Path(events_path)
    try:
        events, _ = read_events(path)
    except TranscriptError:
        return ()
    start = events[0] if events and isinstance(events[0], RunStarted) else None
    audits = [e for e in events if isinstance(e, AuditDone) and e.verdict.accepted]
    if start is None or not audits or not any(isinstance(e, RunFinished) and e.status == "closed" for e in events):
        return ()
    solution = path.parent / audits[-1].solution_path
    if not solution.is_file():
        return ()
    return tuple((start.spec_name, " ".join(item.statement.split()), item.text)
                 for item in Document.from_source(solution.read_text()).items
                 if item.kind is ItemKind.LEMMA and item.has_proof and not item.is_hole)


def similar_proofs(runs_dir: Path, spec_name: str, hole: Hole, limit: int = 3) -> list[RetrievedLemma]:
    if not runs_dir.is_dir():
        return []
    proofs = _closed_proofs(runs_dir)
    want = _tokens(hole.statement)
    scored = []
    for other_spec, statement, text in proofs:
        if other_spec == spec_name:
            continue  # never from runs of the same spec
        have = _tokens(statement)
        score = len(want & have) / max(1, len(want | have))
        scored.append((score, statement, text))
    scored.sort(key=lambda t: -t[0])
    return [RetrievedLemma(name=f"from an earlier run (similarity {s:.2f})", statement=text, source="earlier_run")
            for s, _, text in scored[:limit] if s > 0.2]
