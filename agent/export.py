"""Training data from closed, audited runs (as the ATLAS and VeruSyn papers do).

Two kinds of examples, one JSON object per line:
- `move`: one per applied move of a branch that closed and passed the audit (a throughput
  search closes several) — the observation the policy had (spec, document with holes, goals
  at the holes, the first failure) and the move as target;
- `solution`: the whole spec → the run's accepted solution (the fastest one, when it searched).
Deduplicated on (spec hash, observation hash, move). Each example records the run's policy;
`scripted` examples are marked as such (hand-written moves, not a model's).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from idsynth.audit import load_spec

from .run import locate_spec
from .skeleton import spec_text
from .transcript import AuditDone, DesignChosen, MoveApplied, MoveProposed, RunFinished, read_events

SCHEMA = "idsynth.example/1"


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_id: str = SCHEMA
    kind: Literal["move", "solution"]
    spec_name: str
    spec_hash: str
    spec: str
    policy: str
    policy_kind: Literal["auto", "scripted", "llm"]
    scripted: bool
    run_id: str
    design: str
    document: str = ""
    """The document the move was made on (holes end with `Admitted.`)."""
    goals: list[dict] = []
    """Each hole: name, statement, goals with hypotheses."""
    failure: dict | None = None
    target: dict
    """The move (kind `move`) or {"solution": text} (kind `solution`)."""
    observation_hash: str


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()


def examples_from_run(run_dir: Path) -> list[Example]:
    events, _ = read_events(run_dir / "events.jsonl")
    start = events[0]
    audits = [e for e in events if isinstance(e, AuditDone) and e.verdict.accepted]
    if not audits:
        return []
    closed_branches = {a.branch for a in audits}
    finished = next((e for e in reversed(events) if isinstance(e, RunFinished) and e.solution_path), None)
    result = next((a for a in audits if finished is not None and a.branch == finished.branch), audits[-1])
    spec = load_spec(locate_spec(start.spec_dir, run_dir.resolve()))
    text = spec_text(spec)
    common = dict(spec_name=start.spec_name, spec_hash=start.spec_hash, spec=text, policy=start.policy,
                  policy_kind=start.policy_kind, scripted=start.policy_kind == "scripted", run_id=start.run_id)
    out: list[Example] = []
    design, designs = "", {}
    last_applied: MoveApplied | None = None
    pending: MoveProposed | None = None
    for e in events:
        if isinstance(e, DesignChosen):
            design, last_applied = e.design.name, None
            designs[e.branch] = design
        elif isinstance(e, MoveProposed):
            pending = e
        elif isinstance(e, MoveApplied):
            if (pending is not None and pending.move is not None and last_applied is not None
                    and e.branch in closed_branches):
                verdict = last_applied.verdict
                goals = [h.model_dump(mode="json", include={"item", "statement", "proof_state"}) for h in verdict.holes]
                failure = verdict.first_failure.model_dump(mode="json") if verdict.first_failure else None
                obs_hash = _hash(last_applied.document, json.dumps(goals, sort_keys=True))
                out.append(Example(kind="move", design=design, document=last_applied.document, goals=goals,
                                   failure=failure, target=pending.move.model_dump(mode="json"),
                                   observation_hash=obs_hash, **common))
            last_applied, pending = e, None
    solution = (run_dir / result.solution_path).read_text()
    out.append(Example(kind="solution", design=designs.get(result.branch, design), target={"solution": solution},
                       observation_hash=_hash(text), **common))
    return out


def export_runs(run_dirs: list[Path], out: Path) -> int:
    """Write the examples to `out` atomically: a failure part-way leaves `out` as it was."""
    seen: set[str] = set()
    lines: list[str] = []
    for run_dir in run_dirs:
        for ex in examples_from_run(run_dir):
            key = _hash(ex.spec_hash, ex.observation_hash, json.dumps(ex.target, sort_keys=True))
            if key in seen:
                continue
            seen.add(key)
            lines.append(ex.model_dump_json() + "\n")
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.writelines(lines)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return len(lines)


def load_examples(path: Path) -> list[Example]:
    return [Example.model_validate_json(line) for line in path.read_text().splitlines() if line.strip()]
