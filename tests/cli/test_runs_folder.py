"""Wall 2 of the newcomer's hour: the runs folder stays usable.

Stories: a `run` on a spec that does not compile, or a `prove` on a file that cannot be
read, leaves no run folder; `compare runs/*`, `export runs/*` and `report runs/*` — the
examples of their `--help` — take the runs that are theirs and skip the rest (the
`runs/README.md` the glob also matches, an empty folder, a prove run) in one warning line;
`report` renders prove runs too; a failed `export` leaves its output file as it was.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEAK_STACK = ROOT / "tests" / "data" / "specs" / "weak_stack"


def idsynth(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "idsynth.cli.main", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def test_run_on_a_spec_that_does_not_compile_leaves_no_run_folder(tmp_path):
    spec = tmp_path / "broken"
    shutil.copytree(WEAK_STACK, spec)
    text = (spec / "spec.v").read_text().replace("Parameter pop : t -> t.", "Parameter pop : t -> .")
    (spec / "spec.v").write_text(text)
    proc = idsynth("run", str(spec), "--runs-dir", str(tmp_path / "runs"))
    assert proc.returncode == 2
    assert "spec.v:13: Syntax error" in proc.stderr  # the line of `Parameter pop`
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.parametrize("content", [None, b"\x00\xff\xfe binary", b"Lemma broken : ."], ids=["missing", "binary",
                                                                                          "unparsable"])
def test_prove_on_a_file_it_cannot_use_leaves_no_run_folder(tmp_path, content):
    f = tmp_path / "mine.v"
    if content is not None:
        f.write_bytes(content)
    proc = idsynth("prove", str(f), "--runs-dir", str(tmp_path / "runs"))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("idsynth prove: ")
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.fixture(scope="module")
def runs_folder(tmp_path_factory) -> Path:
    """A runs folder as a user has it: two committed reference runs, the README, an empty
    folder, and one prove run of their own (a real one: three holes, one of them false)."""
    runs = tmp_path_factory.mktemp("folder") / "runs"
    runs.mkdir()
    for name in ("causal", "ryw"):
        shutil.copytree(ROOT / "runs" / "reference" / name, runs / name)
    shutil.copyfile(ROOT / "runs" / "README.md", runs / "README.md")
    (runs / "empty").mkdir()
    proc = idsynth("prove", "tests/data/prove/false_lemma.v", "--runs-dir", str(runs), "--hole-seconds", "10",
                   "-o", str(runs.parent / "false_lemma_proved.v"))
    assert proc.returncode == 1, proc.stderr  # the false lemma stays open
    return runs


def _glob(runs: Path) -> list[str]:
    return sorted(str(p) for p in runs.iterdir())


@pytest.mark.slow
def test_compare_over_the_glob_skips_what_is_not_a_run_in_one_line(runs_folder):
    proc = idsynth("compare", "--json", *_glob(runs_folder))
    assert proc.returncode == 0, proc.stderr
    assert {row["run"] for row in json.loads(proc.stdout)} == {"causal", "ryw"}
    (warning,) = proc.stderr.strip().splitlines()
    assert warning.startswith("idsynth compare: skipped 3 path(s): ")
    assert "README.md (not a run)" in warning and "an `idsynth prove` run" in warning


@pytest.mark.slow
def test_export_over_the_glob_writes_the_runs_examples(runs_folder, tmp_path):
    out = tmp_path / "data.jsonl"
    proc = idsynth("export", *_glob(runs_folder), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("wrote ") and len(out.read_text().splitlines()) > 10
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_failed_export_leaves_the_output_file_as_it_was(runs_folder, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(runs_folder / "ryw", bad)
    lines = (bad / "events.jsonl").read_text().splitlines()
    lines[3] = lines[3][: len(lines[3]) // 2]  # a corrupt line in the middle, not a torn last one
    (bad / "events.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "data.jsonl"
    out.write_text("earlier export\n")
    proc = idsynth("export", str(runs_folder / "causal"), str(bad), "-o", str(out))
    assert proc.returncode == 2
    assert "line 4 is not a valid event" in proc.stderr and "not written" in proc.stderr
    assert out.read_text() == "earlier export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
def test_report_over_the_glob_renders_the_runs_and_the_prove_run(runs_folder, tmp_path):
    out = tmp_path / "all.html"
    proc = idsynth("report", *_glob(runs_folder), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    page = out.read_text()
    assert "Run causal" in page and "Run ryw" in page
    assert "Prove run" in page and "rev_is_identity" in page and "app_nil_end" in page
    assert "skipped 2 path(s)" in proc.stderr


def test_nothing_of_their_kind_is_bad_input(tmp_path):
    (tmp_path / "README.md").write_text("# runs\n")
    proc = idsynth("compare", str(tmp_path / "README.md"))
    assert proc.returncode == 2
    assert "no `idsynth run` transcripts" in proc.stderr
