"""Wall 9's small items, read off the user's terminal: the live line says what phase a run is
in (auditing, benchmarking) and shows no token budget under an offline policy; a non-map spec's
skipped benchmark is one short line; a verified design slower than a baseline is said so."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from idsynth.agent.state import apply_event
from idsynth.agent.transcript import read_events
from idsynth.cli.progress import Progress
from idsynth.cli.run_cmd import _print_summary

ROOT = Path(__file__).resolve().parents[2]


def _lines_seen(run: str) -> list[str]:
    """Every status line the live display showed while the recorded run's events went by."""
    events, _ = read_events(ROOT / "runs" / "reference" / run / "events.jsonl")
    progress = Progress(enabled=True)
    progress.console = Console(file=io.StringIO(), force_terminal=True, width=200)
    seen: list[str] = []
    state = None
    with progress:
        for e in events:
            state = apply_event(state, e)
            progress(e, state)
            seen.append(progress.line)
    return seen


def test_the_live_line_names_the_audit_and_the_benchmark_phases():
    seen = _lines_seen("ryw")
    assert any("— auditing the closed design" in line for line in seen)
    assert any("— benchmarking: extracting, building and running the solution" in line for line in seen)
    assert not any("tokens" in line or "$" in line for line in seen)  # a scripted run spends none


def _summary(**over) -> dict:
    s = {"run_dir": "runs/x", "policy": "auto", "policy_kind": "auto", "status": "closed", "reason": "closed",
         "branches": 1, "design": "enum:list_nat#2", "holes_left": 0, "moves": 7, "tokens": 0, "dollars": 0.0,
         "audit": "accepted", "solution": "runs/x/solution.v", "ops_per_s": None, "benchmark_note": None,
         "baselines_faster": [], "explanation": None}
    s.update(over)
    return s


def test_a_skipped_benchmark_of_a_non_map_spec_is_one_short_line(capsys):
    note = ("benchmark skipped: signature STACK_SIG is not map-shaped: no lookup field (nat -> t -> option nat) "
            "with nat, Uint63.t or int keys/values")
    _print_summary(_summary(benchmark_note=note), as_json=False)
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "  benchmark skipped: the extracted benchmark driver handles map-shaped signatures only"
    assert not any("tokens" in line or "None" in line for line in out)


def test_a_verified_design_slower_than_a_baseline_is_said_so(capsys):
    _print_summary(_summary(ops_per_s={"solution@1000": 60000, "closure-chain@1000": 90000},
                            baselines_faster=["closure-chain"]), as_json=False)
    out = capsys.readouterr().out
    assert "the verified design is slower than closure-chain" in out and "idsynth bench" in out
