"""Runs through the real engine, grader and audit: scripted closes, pivots, resumes, replays."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from idsynth.agent.compare import compare_runs
from idsynth.agent.policies.scripted import ScriptedPolicy, load_script
from idsynth.agent.replay import replay_run
from idsynth.agent.run import start_run
from idsynth.agent.transcript import read_events
from idsynth.agent.types import Budget

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "warmup" / "finite_map"
SCRIPTS = ROOT / "tests" / "data" / "scripts"


def idsynth(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "idsynth.cli.main", *args], capture_output=True, text=True,
                          timeout=600, **kw)


def types(run_dir: Path) -> list[str]:
    return [json.loads(line)["type"] for line in (run_dir / "events.jsonl").read_text().splitlines()]


def test_a_scripted_run_closes_passes_the_audit_and_says_it_was_scripted(tmp_path):
    proc = idsynth("run", str(SPEC), "--policy", "scripted", "--script", str(SCRIPTS / "finite_map_assoc.json"),
                   "--runs-dir", str(tmp_path), "--run-id", "r", "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["status"] == "closed" and summary["audit"] == "accepted"
    assert summary["policy"].startswith("scripted")
    events, torn = read_events(tmp_path / "r" / "events.jsonl")
    assert not torn
    assert events[0].policy_kind == "scripted" and events[0].spec_hash and events[0].tool_versions["coqc"]
    assert events[-1].type == "run_finished" and events[-1].status == "closed"
    assert (tmp_path / "r" / "solution.v").read_text().startswith("From Spec Require Import spec.")


def test_a_bad_design_stalls_triggers_the_proposer_then_the_reloader_and_the_second_design_closes(tmp_path):
    proc = idsynth("run", str(SPEC), "--policy", "scripted", "--script", str(SCRIPTS / "finite_map_pivot.json"),
                   "--runs-dir", str(tmp_path), "--run-id", "p", "--stall-after", "3")
    assert proc.returncode == 0, proc.stderr
    kinds = types(tmp_path / "p")
    order = [k for k in kinds if k in ("design_chosen", "stalled", "proposal", "reloaded", "audit", "run_finished")]
    assert order == ["design_chosen", "stalled", "proposal", "stalled", "proposal", "reloaded", "design_chosen",
                     "audit", "run_finished"]
    assert "move_rejected" in kinds  # failed proofs were rolled back with their diagnostics
    rows = compare_runs([tmp_path / "p"])
    assert [(r.design, r.outcome) for r in rows] == [
        ("closure-no-write", "abandoned (stuck on ImplProofs.put_stores)"), ("assoc-list", "closed")]
    assert rows[1].audit == "accepted" and rows[1].holes_over_time[-1] == 0
    shown = idsynth("compare", str(tmp_path / "p"))
    assert "closure-no-write" in shown.stdout and "assoc-list" in shown.stdout


def test_replay_of_the_test_transcripts_reports_no_divergence(tmp_path):
    for script, run_id in (("finite_map_assoc.json", "a"), ("finite_map_pivot.json", "b")):
        policy = ScriptedPolicy(load_script(SCRIPTS / script), script)
        start_run(SPEC, lambda spec, cfg, p=policy: p, runs_dir=tmp_path, budget=Budget(stall_after=3), run_id=run_id)
        report = replay_run(tmp_path / run_id)
        assert not report.diverged, report.divergences
        assert report.versions_checked >= 7


def test_replay_detects_a_doctored_transcript(tmp_path):
    policy = ScriptedPolicy(load_script(SCRIPTS / "finite_map_assoc.json"))
    start_run(SPEC, lambda spec, cfg: policy, runs_dir=tmp_path, budget=Budget(), run_id="d")
    path = tmp_path / "d" / "events.jsonl"
    lines = path.read_text().splitlines()
    # Pretend the first proof had left a hole open.
    patched = []
    for line in lines:
        e = json.loads(line)
        if e["type"] == "move_applied" and e["version"] == 1:
            e["verdict"]["holes"] = e["verdict"]["holes"] + [dict(e["verdict"]["holes"][0], item="ghost")]
        patched.append(json.dumps(e))
    path.write_text("\n".join(patched) + "\n")
    report = replay_run(tmp_path / "d")
    assert report.diverged
    assert idsynth("replay", str(tmp_path / "d")).returncode == 1


def test_a_torn_last_line_is_dropped_on_resume(tmp_path):
    script = SCRIPTS / "finite_map_assoc.json"
    policy = ScriptedPolicy(load_script(script), str(script))
    start_run(SPEC, lambda spec, cfg: policy, runs_dir=tmp_path, budget=Budget(), run_id="t")
    path = tmp_path / "t" / "events.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:5]) + lines[5][: len(lines[5]) // 2])  # killed mid-write
    events, torn = read_events(path)
    assert torn and len(events) == 5
    proc = idsynth("resume", str(tmp_path / "t"), "--json")
    assert proc.returncode == 0, proc.stderr
    events, torn = read_events(path)
    assert not torn and [e.seq for e in events] == list(range(len(events)))
    assert events[-1].type == "run_finished" and events[-1].status == "closed"


@pytest.mark.slow
def test_sigkill_at_five_random_points_then_resume_gives_the_same_final_document(tmp_path):
    args = ["--policy", "scripted", "--script", str(SCRIPTS / "finite_map_pivot.json"), "--stall-after", "3"]
    reference = idsynth("run", str(SPEC), *args, "--runs-dir", str(tmp_path), "--run-id", "ref")
    assert reference.returncode == 0
    expected = (tmp_path / "ref" / "solution.v").read_text()
    total = len(types(tmp_path / "ref"))
    rng = random.Random(5)
    for point in sorted(rng.sample(range(1, total - 1), 5)):
        run_id = f"k{point}"
        events = tmp_path / run_id / "events.jsonl"
        proc = subprocess.Popen([sys.executable, "-m", "idsynth.cli.main", "run", str(SPEC), *args,
                                 "--runs-dir", str(tmp_path), "--run-id", run_id],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if events.exists() and events.read_bytes().count(b"\n") >= point:
                break
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        resumed = idsynth("resume", str(tmp_path / run_id), "--json")
        assert resumed.returncode == 0, (point, resumed.stderr)
        assert (tmp_path / run_id / "solution.v").read_text() == expected
        evs, torn = read_events(events)
        assert [e.seq for e in evs] == list(range(len(evs)))
        assert [e.type for e in evs].count("run_finished") == 1
        assert not replay_run(tmp_path / run_id).diverged


@pytest.mark.slow
def test_optimize_throughput_keeps_searching_and_returns_the_fastest_audited_design(tmp_path):
    proc = idsynth("run", str(SPEC), "--policy", "scripted", "--script", str(SCRIPTS / "finite_map_two_designs.json"),
                   "--runs-dir", str(tmp_path), "--run-id", "o", "--optimize", "throughput", "--json")
    assert proc.returncode == 0, proc.stderr
    events, _ = read_events(tmp_path / "o" / "events.jsonl")
    benches = [e for e in events if e.type == "benchmark"]
    assert len(benches) == 2 and all(b.reports for b in benches)
    rows = compare_runs([tmp_path / "o"])
    assert all(r.ops_per_s and r.audit == "accepted" for r in rows)
    fastest = max(rows, key=lambda r: r.ops_per_s)
    final = events[-1]
    assert final.status == "closed" and final.branch == fastest.branch
    assert (tmp_path / "o" / "solution.v").read_text() == (
        tmp_path / "o" / f"solution-branch{fastest.branch}-v{final.version}.v").read_text()
