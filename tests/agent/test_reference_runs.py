"""The committed KV reference runs (runs/reference/): scripted, replayable, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsynth.agent.compare import compare_runs
from idsynth.agent.replay import replay_run
from idsynth.agent.transcript import read_events
from idsynth.audit import audit_solution, load_spec

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "runs" / "reference"
KV = ["ryw", "monotonic_reads", "monotonic_writes", "writes_follow_reads", "causal", "convergence", "pram"]


@pytest.mark.parametrize("spec", KV)
def test_each_reference_run_is_scripted_closed_and_labelled(spec):
    events, torn = read_events(REFERENCE / spec / "events.jsonl")
    assert not torn
    assert events[0].policy_kind == "scripted" and events[0].policy.startswith("scripted:")
    assert events[-1].type == "run_finished" and events[-1].status == "closed"


@pytest.mark.slow
@pytest.mark.parametrize("spec", KV)
def test_each_reference_run_replays_without_divergence_and_its_solution_passes_the_audit(spec):
    report = replay_run(REFERENCE / spec)
    assert not report.diverged, report.divergences
    verdict = audit_solution(load_spec(ROOT / "specs" / "kv" / spec), REFERENCE / spec / "solution.v")
    assert verdict.accepted, verdict.findings


@pytest.mark.parametrize("spec", ["monotonic_writes", "causal"])
def test_a_blob_of_state_design_stalls_and_pivots_to_the_per_key_design(spec):
    rows = compare_runs([REFERENCE / spec])
    assert [r.design for r in rows] == ["blob-of-state", "per-key-causal-lww"]
    assert rows[0].outcome.startswith("abandoned") and rows[1].outcome == "closed"
    assert rows[1].audit == "accepted" and rows[1].proof_lines > 100
    kinds = [json.loads(line)["type"] for line in (REFERENCE / spec / "events.jsonl").read_text().splitlines()]
    assert kinds.count("design_chosen") == 2 and "stalled" in kinds and "reloaded" in kinds


def test_export_of_the_reference_runs_loads_back_as_the_typed_schema(tmp_path):
    from idsynth.agent.export import export_runs, load_examples

    out = tmp_path / "data.jsonl"
    count = export_runs([REFERENCE / s for s in KV], out)
    examples = load_examples(out)
    assert count == len(examples) > 7
    assert sum(e.kind == "solution" for e in examples) == len(KV)
    assert all(e.scripted and e.policy_kind == "scripted" for e in examples)
    moves = [e for e in examples if e.kind == "move"]
    assert moves and all(e.document and e.target["kind"] in ("prove", "decompose", "define", "repair") for e in moves)
