"""Compare runs side by side, from their transcripts alone: one row per design branch.

The designs of one run are rows too: a throughput search (`--optimize throughput`) shows
each closed design with its proof size, moves and extracted ops/s, and which one it chose."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from idsynth.rocq.types import ItemKind

from .skeleton import IMPL, PROOFS
from .state import fold, verified_throughput
from .transcript import read_events


class BranchRow(BaseModel):
    model_config = ConfigDict(frozen=True)
    run: str
    policy: str
    branch: int
    design: str
    representation: str
    moves: int
    applied: int
    refused: int
    holes_over_time: list[int]
    proof_lines: int
    code_lines: int
    seconds: float
    tokens: int
    dollars: float
    audit: str
    outcome: str
    ops_per_s: float | None = None
    """The branch's own extracted throughput in its benchmark (the engine's short workload)."""
    chosen: bool = False
    """This branch's solution is the run's result (with `--optimize throughput`: the fastest)."""


def _lines(doc, inside_proofs: bool) -> int:
    """Non-blank lines of code (the implementation module, the preamble's imports and shared
    definitions) or of proof (the proofs module and the preamble's helper modules, such as a
    refined design's reference model and its facts: not extracted, there for the proofs)."""
    total = 0
    for item in doc.items:
        in_proofs = item.name.startswith(PROOFS + ".") or ("." in item.name and not item.name.startswith(IMPL + "."))
        if item.kind is ItemKind.MODULE or in_proofs != inside_proofs:
            continue
        total += len([ln for ln in item.text.splitlines() if ln.strip()])
    return total


def compare_runs(run_dirs: list[Path]) -> list[BranchRow]:
    rows: list[BranchRow] = []
    for run_dir in run_dirs:
        events, _ = read_events(run_dir / "events.jsonl")
        state = fold(events)
        seconds = {}
        for e in events:
            if getattr(e, "type", "") == "move_applied":
                seconds[e.branch] = seconds.get(e.branch, 0.0) + e.seconds
        for b in state.branches:
            refused = sum(1 for h in b.history if h.outcome == "refused")
            applied = sum(1 for h in b.history if h.outcome == "applied")
            doc = b.documents[-1] if b.documents else None
            audit = "—"
            if b.audit is not None:
                audit = "accepted" if b.audit.verdict.accepted else "rejected: " + ", ".join(
                    sorted({f.kind.value for f in b.audit.verdict.findings}))
            abandoned = next((p for p in state.post_mortems if p.branch == b.index), None)
            if b.audit is not None and b.audit.verdict.accepted:
                # Under `--optimize throughput` a closed design is reloaded too: still closed.
                outcome = "closed"
            elif abandoned:
                outcome = f"abandoned (stuck on {abandoned.stuck_on})"
            elif b.verdict is not None and b.verdict.closed:
                outcome = "closed"
            else:
                outcome = state.finished.status if state.finished else "running"
            rows.append(BranchRow(
                run=run_dir.name, policy=state.started.policy, branch=b.index, design=b.design.name,
                representation=b.design.representation, moves=b.moves, applied=applied, refused=refused,
                holes_over_time=[len(v.holes) for v in b.verdicts],
                proof_lines=_lines(doc, True) if doc else 0, code_lines=_lines(doc, False) if doc else 0,
                seconds=round(seconds.get(b.index, 0.0), 2),
                tokens=state.usage.tokens_in + state.usage.tokens_out, dollars=state.usage.dollars,
                audit=audit, outcome=outcome, ops_per_s=verified_throughput(b),
                chosen=bool(state.finished and state.finished.solution_path and state.finished.branch == b.index),
            ))
    return rows

