"""Best-of-k at the design level: `idsynth run --designs-in-parallel K`.

K child runs of the same engine go concurrently, child i restricted to one design: the
i-th the policy's reloader would give (`OneDesign`, with a branch budget of 1). Each child
writes an ordinary transcript under `<run>/branches/branch<i>/`; `merge_branches` then
writes the parent's `events.jsonl` as if one run had tried the K designs in turn: the
parent's `run_started`, then each child's events (its `run_started` and `run_finished`
dropped) with its branch renumbered to i, then one `run_finished` naming the fastest
audited design, as `--optimize throughput` does. Branch blocks stay contiguous because
`replay` and `fold` read a branch's events as one stretch after its `design_chosen`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .state import RunState, fold, verified_throughput
from .transcript import (
    SCHEMA_VERSION,
    AuditDone,
    Reloaded,
    RunFinished,
    RunStarted,
    TranscriptError,
    now,
    read_events,
)
from .types import Design, Observation, PostMortem


class OneDesign:
    """A policy restricted to its `index`-th design: the reloader's first answer skips the
    `index` designs before it (asked of the policy itself, so the order is the one a
    serial run would try), and it has nothing to offer after that one."""

    def __init__(self, policy: Any, index: int) -> None:
        self._policy = policy
        self._index = index
        self._given = False

    def design(self, obs: Observation, post_mortems: list[PostMortem]) -> Design | None:
        if self._given:
            return None
        self._given = True
        for _ in range(self._index):
            if self._policy.design(obs, post_mortems) is None:
                return None
        return self._policy.design(obs, post_mortems)

    def __getattr__(self, name: str) -> Any:
        # kind, name, choose, propose, close, run_config, checkpoint, drain_calls...
        return getattr(self._policy, name)


def child_argv(argv: list[str], index: int, branches_dir: Path) -> list[str]:
    """The `idsynth run` command line of child `index`: the parent's own options, then
    overrides (argparse keeps the last value of an option given twice)."""
    return [sys.executable, "-m", "idsynth.cli.main", *argv, "--designs-in-parallel", "1",
            "--design-index", str(index), "--branches", "1", "--runs-dir", str(branches_dir),
            "--run-id", f"branch{index}"]


def run_children(argv: list[str], k: int, run_dir: Path) -> list[Path]:
    """Start the K children at once and wait for all; their run directories, in order.
    Each child owns its Rocq processes, so K children hold K coqtops at a time."""
    branches_dir = run_dir / "branches"
    branches_dir.mkdir(parents=True, exist_ok=True)
    procs = []
    for i in range(k):
        log = open(branches_dir / f"branch{i}.log", "wb")
        procs.append((subprocess.Popen(child_argv(argv, i, branches_dir), stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL), log))
    try:
        for proc, log in procs:
            proc.wait()
            log.close()
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.terminate()
    return [branches_dir / f"branch{i}" for i in range(k)]


def _renumbered(event: Any, branch: int, run_id: str, seq: int, solution_names: dict[str, str]) -> Any:
    update: dict[str, Any] = {"run_id": run_id, "seq": seq}
    if hasattr(event, "branch"):
        update["branch"] = branch
    if isinstance(event, Reloaded):
        update["post_mortem"] = event.post_mortem.model_copy(update={"branch": branch})
    if isinstance(event, AuditDone):
        update["solution_path"] = solution_names.setdefault(event.solution_path,
                                                            f"solution-branch{branch}-v{event.version}.v")
    return event.model_copy(update=update)


def merge_branches(run_dir: Path, child_dirs: list[Path], run_id: str, k: int) -> RunState:
    """Write `run_dir/events.jsonl` from the children's transcripts (see the module doc) and
    copy each audited solution up under its merged name; the merged run's state."""
    path = run_dir / "events.jsonl"
    if path.exists():
        raise TranscriptError(f"{path}: a run with this id exists")
    children = []
    for d in child_dirs:
        try:
            events, _ = read_events(d / "events.jsonl")
        except TranscriptError:
            events = []  # a child that died before its first event tried nothing
        children.append((d, events))
    first = next((events[0] for _, events in children if events and isinstance(events[0], RunStarted)), None)
    if first is None:
        raise TranscriptError(f"{run_dir}: no branch wrote a transcript (see {run_dir / 'branches'}/*.log)")
    merged: list[Any] = []
    config = {**first.config, "designs_in_parallel": k}
    merged.append(first.model_copy(update={"run_id": run_id, "seq": 0, "config": config,
                                           "budget": first.budget.model_copy(update={"branches": k})}))
    reasons = []
    branch = 0
    for d, events in children:
        if not events:
            reasons.append(f"{d.name}: no transcript")
            continue
        finished = next((e for e in events if isinstance(e, RunFinished)), None)
        reasons.append(f"{d.name}: {finished.status}, {finished.reason}" if finished else f"{d.name}: unfinished")
        body = [e for e in events[1:] if not isinstance(e, RunFinished)]
        if not body:
            continue  # the policy had no design this far down its list
        names: dict[str, str] = {}
        for e in body:
            merged.append(_renumbered(e, branch, run_id, len(merged), names))
        for old, new in names.items():
            if (d / old).exists():
                shutil.copyfile(d / old, run_dir / new)
        branch += 1
    state = fold(merged)
    closed = [b for b in state.branches if b.audit is not None and b.audit.verdict.accepted]
    if closed:
        # The fastest audited design; without a benchmark (or on a tie) the lowest branch.
        best = max(closed, key=lambda b: (verified_throughput(b) or 0.0, -b.index))
        shutil.copyfile(run_dir / best.audit.solution_path, run_dir / "solution.v")
        (run_dir / "document.v").write_text(best.document.render())
        ops = verified_throughput(best)
        speed = f" ({ops:,.0f} ops/s)" if ops else " (not benchmarked: the first closed branch)"
        fields = dict(status="closed", branch=best.index, version=best.version, solution_path="solution.v",
                      reason=f"fastest audited design {best.design.name}{speed} of {len(closed)} closed "
                             f"among {k} designs tried in parallel")
    else:
        statuses = [e.status for _, events in children for e in events if isinstance(e, RunFinished)]
        status = "budget_spent" if "budget_spent" in statuses else ("error" if "error" in statuses else "exhausted")
        fields = dict(status=status, reason=f"no design closed among {k} tried in parallel: " + "; ".join(reasons))
    merged.append(RunFinished(run_id=run_id, seq=len(merged), time=now(), schema_version=SCHEMA_VERSION, **fields))
    with open(path, "wb") as f:
        for e in merged:
            f.write(e.model_dump_json().encode("utf-8") + b"\n")
        f.flush()
        os.fsync(f.fileno())
    return fold(merged)

