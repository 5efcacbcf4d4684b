"""The committed KV reference runs (runs/reference/): scripted, replayable, audited.

Each run searches for throughput (`--optimize throughput`): it closes the per-key design
(CausalLWW, a closure chain), audits and benchmarks it, then closes the refined `fast-lww`
design (FastLWW, proved by simulation of CausalLWW) and finishes with the faster one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsynth.agent.compare import compare_runs
from idsynth.agent.replay import replay_run
from idsynth.agent.state import fold, verified_throughput
from idsynth.agent.transcript import read_events
from idsynth.audit import audit_solution, load_spec

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "runs" / "reference"
KV = ["ryw", "monotonic_reads", "monotonic_writes", "writes_follow_reads", "causal", "convergence", "pram"]


@pytest.mark.parametrize("spec", KV)
@pytest.mark.unit
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
@pytest.mark.unit
def test_a_blob_of_state_design_stalls_and_pivots_to_the_per_key_design(spec):
    rows = compare_runs([REFERENCE / spec])
    assert [r.design for r in rows] == ["blob-of-state", "per-key-causal-lww", "fast-lww"]
    assert rows[0].outcome.startswith("abandoned") and rows[1].outcome == "closed"
    assert rows[1].audit == "accepted" and rows[1].proof_lines > 100
    kinds = [json.loads(line)["type"] for line in (REFERENCE / spec / "events.jsonl").read_text().splitlines()]
    assert kinds.count("design_chosen") == 3 and "stalled" in kinds and "reloaded" in kinds


@pytest.mark.parametrize("spec", KV)
def test_the_throughput_search_closes_a_faster_refined_design_and_keeps_it(spec):
    events, _ = read_events(REFERENCE / spec / "events.jsonl")
    state = fold(events)
    assert state.started.config.get("optimize") == "throughput" and state.started.config.get("benchmark")
    closed = [b for b in state.branches if b.audit is not None and b.audit.verdict.accepted]
    assert [b.design.name for b in closed] == ["per-key-causal-lww", "fast-lww"]
    chain, fast = (verified_throughput(b) for b in closed)
    assert chain and fast and fast > 10 * chain, (chain, fast)
    # The refined design reuses the closed store as its reference model, in the preamble.
    assert "reference model" in closed[1].design.notes
    assert closed[1].design.moves[0].where == "preamble"
    assert {m.name for m in closed[1].design.moves if m.where == "preamble"} >= {"CausalLWW", "CausalLWWFacts"}
    # The result is the fastest audited design, FastLWW.
    assert state.finished.status == "closed" and state.finished.branch == closed[1].index
    solution = (REFERENCE / spec / "solution.v").read_text()
    assert solution == (REFERENCE / spec / closed[1].audit.solution_path).read_text()
    assert "Module CausalLWW." in solution and "PositiveMap.t cand" in solution
    rows = compare_runs([REFERENCE / spec])
    assert [(r.design, r.outcome, r.chosen) for r in rows if r.audit == "accepted"] == [
        ("per-key-causal-lww", "closed", False), ("fast-lww", "closed", True)]
    assert all(r.ops_per_s for r in rows if r.audit == "accepted")


def test_compare_and_report_show_the_designs_of_the_reference_runs_side_by_side(tmp_path):
    from idsynth.agent.report import write_report
    from idsynth.cli.main import main

    out = write_report([REFERENCE / s for s in KV], tmp_path / "report.html")
    html = out.read_text()
    assert "fast-lww" in html and "per-key-causal-lww" in html
    assert main(["compare", "--json", str(REFERENCE / "ryw")]) == 0


def test_export_of_the_reference_runs_loads_back_as_the_typed_schema(tmp_path):
    from idsynth.agent.export import export_runs, load_examples

    out = tmp_path / "data.jsonl"
    count = export_runs([REFERENCE / s for s in KV], out)
    examples = load_examples(out)
    assert count == len(examples) > 7
    solutions = [e for e in examples if e.kind == "solution"]
    assert len(solutions) == len(KV) and all(e.design == "fast-lww" for e in solutions)
    assert {e.design for e in examples if e.kind == "move"} == {"per-key-causal-lww", "fast-lww"}
    assert all(e.scripted and e.policy_kind == "scripted" for e in examples)
    moves = [e for e in examples if e.kind == "move"]
    assert moves and all(e.document and e.target["kind"] in ("prove", "decompose", "define", "repair") for e in moves)
