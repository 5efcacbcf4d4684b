"""Wall 1 of the newcomer's hour: a run that does not close says why.

The story (tests/data/specs/weak_stack): a stack spec whose three witnesses never pop, so
`pop s := s` passes them; `audit-spec` finds no weakness. `auto` picks that design first.

- Given one design (`--branches 1`), the run stops and prints the design it kept, each open
  hole with its goal and what was tried, and the likely cause: `elems_pop` is false for this
  design, shown on an input, with the witness to add. The same in `--json` and the report.
- Given its default budget, `auto` turns that refutation into a witness of its own, takes the
  next design that satisfies it (`pop := tl`), and closes the spec, audited.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from idsynth.agent.report import render_report

ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests/data/specs/weak_stack"


def idsynth(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "idsynth.cli.main", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def one_design(tmp_path_factory):
    runs = tmp_path_factory.mktemp("story") / "runs"
    proc = idsynth("run", SPEC, "--branches", "1", "--no-bench", "--runs-dir", str(runs), "--run-id", "one")
    return proc, runs / "one"


@pytest.mark.slow
def test_the_summary_names_the_design_the_open_hole_its_goal_and_the_cause(one_design):
    proc, run_dir = one_design
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "exhausted" in out
    assert "design kept: enum:list_nat#1" in out and "Definition pop (s : t) : t := s." in out
    assert "open holes (1):" in out and "ImplProofs.elems_pop" in out
    assert "goal: ⊢ forall s : t, elems (pop s) = tl (elems s)" in out
    assert "tried: auto: the portfolio failed on every remaining hole" in out
    assert ("likely cause: the design is wrong: elems_pop is false for this design: with s := push 0 empty, "
            "`elems (pop (push 0 empty))` computes to `[0]` but `tl (elems (push 0 empty))` to `[]`") in out
    assert 'expr = "M.elems (M.pop (M.push 0 M.empty))"' in out and 'expect = "[]"' in out
    assert "audit not audited (no design closed)" in out and "audit None" not in out
    assert "tokens" not in out  # an offline policy has no token budget to show
    assert proc.stderr == ""


@pytest.mark.slow
def test_the_json_and_the_report_say_the_same(one_design, tmp_path):
    _, run_dir = one_design
    proc = idsynth("resume", str(run_dir), "--json")  # a finished run: resume only prints its summary
    assert proc.returncode == 1
    e = json.loads(proc.stdout)["explanation"]
    assert e["design"] == "enum:list_nat#1"
    (hole,) = e["holes"]
    assert hole["name"] == "ImplProofs.elems_pop"
    assert hole["refutation"]["assignment"] == {"s": "push 0 empty"}
    assert hole["refutation"]["lhs_value"] == "[0]" and hole["refutation"]["rhs_value"] == "[]"
    page = render_report([run_dir])
    assert "Why the run did not close" in page and "elems_pop is false for this design" in page
    assert "<h3>Moves</h3>" in page and "reflexivity" in page


@pytest.mark.slow
def test_auto_learns_the_witness_and_closes_the_stack(tmp_path):
    proc = idsynth("run", SPEC, "--no-bench", "--runs-dir", str(tmp_path), "--run-id", "full", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["status"] == "closed" and summary["audit"] == "accepted"
    solution = (tmp_path / "full" / "solution.v").read_text()
    assert "Definition pop (s : t) : t := tl s." in solution
    events = [json.loads(line) for line in (tmp_path / "full" / "events.jsonl").read_text().splitlines()]
    (first,) = [e for e in events if e["type"] == "reloaded"]
    assert first["post_mortem"]["refutations"][0]["theorem"] == "elems_pop"
