"""Best-of-k designs (`idsynth run --designs-in-parallel K`): K concurrent one-design runs
merged into one transcript that replay, compare and report read like any other run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from idsynth.agent.best_of_k import merge_branches
from idsynth.agent.compare import compare_runs
from idsynth.agent.replay import replay_run
from idsynth.agent.state import fold
from idsynth.agent.transcript import AuditDone, RunFinished, read_events

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "runs" / "reference" / "ryw"


def _split_into_children(run_dir: Path, out: Path) -> list[Path]:
    """One child run per branch of a serial run: what `--designs-in-parallel` children write
    (each child's only branch is its branch 0, its seq contiguous from 0)."""
    events, _ = read_events(run_dir / "events.jsonl")
    branches = sorted({e.branch for e in events if hasattr(e, "branch") and not isinstance(e, RunFinished)})
    children = []
    for i, branch in enumerate(branches):
        child = out / f"branch{i}"
        child.mkdir(parents=True)
        body = [events[0]] + [e for e in events if getattr(e, "branch", None) == branch
                              and not isinstance(e, RunFinished)]
        lines = []
        for seq, e in enumerate(body):
            update = {"seq": seq, "run_id": f"branch{i}"}
            if hasattr(e, "branch"):
                update["branch"] = 0
            if isinstance(e, AuditDone):
                shutil.copyfile(run_dir / e.solution_path, child / f"solution-branch0-v{e.version}.v")
                update["solution_path"] = f"solution-branch0-v{e.version}.v"
            lines.append(e.model_copy(update=update).model_dump_json())
        lines.append(RunFinished(run_id=f"branch{i}", seq=len(body), time=events[-1].time, status="exhausted",
                                 reason="branch budget spent (1/1)").model_dump_json())
        (child / "events.jsonl").write_text("\n".join(lines) + "\n")
        children.append(child)
    return children


@pytest.mark.unit
def test_merging_the_branches_of_a_throughput_search_keeps_the_design_the_serial_search_kept(tmp_path):
    serial = fold(read_events(REFERENCE / "events.jsonl")[0])
    children = _split_into_children(REFERENCE, tmp_path / "r" / "branches")
    assert len(children) == len(serial.branches) == 2

    state = merge_branches(tmp_path / "r", children, "r", k=2)

    events, torn = read_events(tmp_path / "r" / "events.jsonl")  # seq contiguous, one run_id
    assert not torn and {e.run_id for e in events} == {"r"}
    assert [e.type for e in events].count("run_started") == 1 and events[-1].type == "run_finished"
    assert [b.index for b in state.branches] == [0, 1]
    assert [b.design.name for b in state.branches] == [b.design.name for b in serial.branches]
    assert state.started.config["designs_in_parallel"] == 2 and state.started.budget.branches == 2
    assert state.finished.status == "closed"
    assert state.finished.branch == serial.finished.branch  # the fastest audited design, as serially
    kept = state.branches[state.finished.branch]
    assert (tmp_path / "r" / "solution.v").read_text() == (tmp_path / "r" / kept.audit.solution_path).read_text()
    assert (tmp_path / "r" / "solution.v").read_text() == (REFERENCE / "solution.v").read_text()
    rows = compare_runs([tmp_path / "r"])
    assert [r.branch for r in rows] == [0, 1] and [r.chosen for r in rows].count(True) == 1


@pytest.mark.unit
def test_a_child_that_had_no_design_left_adds_no_branch_and_nothing_closed_is_not_called_closed(tmp_path):
    children = _split_into_children(REFERENCE, tmp_path / "r" / "branches")
    # Child 1 keeps only its design choice's lead-up: no audit, so nothing of it closed.
    events, _ = read_events(children[1] / "events.jsonl")
    keep = [e for e in events if not isinstance(e, AuditDone) and e.type not in ("benchmark",)]
    keep = [e.model_copy(update={"seq": n}) for n, e in enumerate(keep)]
    (children[1] / "events.jsonl").write_text("".join(e.model_dump_json() + "\n" for e in keep))
    # Child 0 died before it wrote anything.
    (children[0] / "events.jsonl").unlink()

    state = merge_branches(tmp_path / "r", children, "r", k=2)

    assert [b.index for b in state.branches] == [0]
    assert state.finished.status == "exhausted" and state.finished.solution_path is None
    assert "branch0: no transcript" in state.finished.reason
    assert not (tmp_path / "r" / "solution.v").exists()


def idsynth(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "idsynth.cli.main", *args], capture_output=True, text=True,
                          timeout=900, cwd=ROOT)


@pytest.mark.slow
def test_two_designs_of_counter_run_concurrently_into_one_transcript_that_replays(tmp_path):
    proc = idsynth("run", "specs/warmup/counter", "--designs-in-parallel", "2", "--no-bench",
                   "--runs-dir", str(tmp_path), "--run-id", "k2", "--json")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    summary = json.loads(proc.stdout)
    assert summary["status"] == "closed" and summary["audit"] == "accepted"
    run = tmp_path / "k2"
    state = fold(read_events(run / "events.jsonl")[0])
    assert [b.index for b in state.branches] == [0, 1]
    assert len({b.design.name for b in state.branches}) == 2  # two different designs, one each
    kept = state.branches[state.finished.branch]
    assert kept.audit is not None and kept.audit.verdict.accepted
    report = replay_run(run)
    assert not report.diverged, report.divergences
    applied = [e for e in read_events(run / "events.jsonl")[0] if e.type == "move_applied"]
    assert report.versions_checked >= len(applied) > 0  # every version of both branches re-graded
    compare = idsynth("compare", str(run), "--json")
    assert compare.returncode == 0, compare.stderr
    rows = json.loads(compare.stdout)
    assert [r["branch"] for r in rows] == [0, 1] and sum(r["chosen"] for r in rows) == 1
