"""Retrieved context for observations: lemmas Rocq's `Search` finds, and proofs of similar
holes from earlier closed runs of *unrelated* specs. Never from a run of the same spec, of a
spec of the same family (the same parent directory: specs/kv/ryw and specs/kv/causal) or
of a spec sharing a file with the current one (the same model.v): those hand the policy
exact proofs of the same helpers — the answer it is being measured on.
"""

from __future__ import annotations

import hashlib
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


def _closed_proofs(runs_dir: Path) -> list[tuple[str, str, str, str, frozenset[str]]]:
    """(spec_name, spec_dir, statement, proof text, hashes of the spec's files) of lemmas in
    accepted solutions under runs_dir.

    Each transcript is read once per (path, size): a run that closes later has grown, so
    it is read again then."""
    out = []
    for events_path in sorted(runs_dir.rglob("events.jsonl")):
        out.extend(_proofs_of_run(str(events_path), events_path.stat().st_size))
    return out


@lru_cache(maxsize=256)
def _proofs_of_run(events_path: str, size: int) -> tuple[tuple[str, str, str, str, frozenset[str]], ...]:
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
    hashes = _run_spec_hashes(start.spec_dir, path.parent)
    return tuple((start.spec_name, start.spec_dir, " ".join(item.statement.split()), item.text, hashes)
                 for item in Document.from_source(solution.read_text()).items
                 if item.kind is ItemKind.LEMMA and item.has_proof and not item.is_hole)


def _file_hashes(directory: Path) -> frozenset[str]:
    if not directory.is_dir():
        return frozenset()
    return frozenset(hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(directory.glob("*.v")))


def _run_spec_hashes(recorded: str, run_dir: Path) -> frozenset[str]:
    """Hashes of the Rocq files of a run's spec: its pristine copy in the run directory,
    and the spec directory it names (as recorded, or under an ancestor of the run)."""
    found = _file_hashes(run_dir / "spec")
    path = Path(recorded)
    candidates = [path] if path.is_absolute() else [path, *(a / path for a in run_dir.resolve().parents)]
    for c in candidates:
        if c.is_dir():
            return found | _file_hashes(c)
    return found


def related_spec(spec_name: str, spec_dir: Path | None, other_name: str, other_dir: str,
                 other_hashes: frozenset[str]) -> bool:
    """Whether a run of `other_name` could leak the answer for the current spec: the same
    name, the same family (parent directory), or a Rocq file in common."""
    if other_name == spec_name:
        return True
    if spec_dir is None:
        return False
    family = Path(spec_dir).resolve().parent.name
    if family and Path(other_dir).parent.name == family:
        return True
    return bool(other_hashes & _file_hashes(Path(spec_dir)))


def similar_proofs(runs_dir: Path, spec_name: str, hole: Hole, limit: int = 3,
                   spec_dir: Path | None = None) -> list[RetrievedLemma]:
    if not runs_dir.is_dir():
        return []
    proofs = _closed_proofs(runs_dir)
    want = _tokens(hole.statement)
    scored = []
    for other_spec, other_dir, statement, text, hashes in proofs:
        if related_spec(spec_name, spec_dir, other_spec, other_dir, hashes):
            continue  # never from runs of the same spec, its family, or a spec sharing a file
        have = _tokens(statement)
        score = len(want & have) / max(1, len(want | have))
        scored.append((score, statement, text))
    scored.sort(key=lambda t: -t[0])
    seen: set[str] = set()
    scored = [t for t in scored if not (t[2] in seen or seen.add(t[2]))]  # deduplicated
    return [RetrievedLemma(name=f"from an earlier run (similarity {s:.2f})", statement=text, source="earlier_run")
            for s, _, text in scored[:limit] if s > 0.2]
