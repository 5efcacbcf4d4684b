"""`idsynth check`: what a user sees, and the exit codes they can script against."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idsynth.cli.main import main


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "idsynth.cli.main", *args],
        capture_output=True, text=True, timeout=300, env=env,
    )


def test_json_lists_exactly_the_three_holes_with_their_goals(data_dir):
    proc = run_cli("check", "--json", str(data_dir / "three_holes.v"))
    assert proc.returncode == 1, proc.stderr
    verdict = json.loads(proc.stdout)
    assert [h["item"] for h in verdict["holes"]] == ["double_plus", "double_even", "sum_to_formula"]
    for hole in verdict["holes"]:
        assert hole["proof_state"]["goals"][0]["conclusion"]
    assert verdict["first_failure"] is None


def test_a_closed_file_exits_zero(tmp_path):
    f = tmp_path / "ok.v"
    f.write_text("Lemma t : True.\nProof. exact I. Qed.\n")
    assert main(["check", str(f)]) == 0


def test_a_syntax_error_is_a_failure_with_its_location(tmp_path):
    f = tmp_path / "syntax.v"
    f.write_text("Definition a := 1.\nDefinition b := (a + .\n")
    proc = run_cli("check", "--json", str(f))
    assert proc.returncode == 1
    failure = json.loads(proc.stdout)["first_failure"]
    assert failure["location"]["line"] == 2 and "Syntax error" in failure["message"]


def test_the_human_table_names_holes_and_the_failure(data_dir):
    proc = run_cli("check", str(data_dir / "fails_at_40.v"))
    assert proc.returncode == 1
    assert "error in bad_step at line 41, column 9" in proc.stdout
    assert "H : x <= y" in proc.stdout


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.v", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "latin1.v").write_bytes(b"(* caf\xe9 *)\n") and d / "latin1.v", "not UTF-8"),
    ],
)
@pytest.mark.unit
def test_bad_input_exits_two_with_one_clear_line(tmp_path, make, message):
    target = make(tmp_path)
    proc = run_cli("check", str(target))
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.unit
def test_bad_options_exit_two(tmp_path):
    assert run_cli("check").returncode == 2
    assert run_cli("check", "--timeout", "-1", str(tmp_path)).returncode == 2
    assert run_cli("check", "-Q", str(tmp_path / "nope"), "X", str(tmp_path / "a.v")).returncode == 2


def test_load_paths_map_a_user_library(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "Base.v").write_text("Definition base := 42.\n")
    subprocess.run(["coqc", "-Q", str(lib), "My", str(lib / "Base.v")], check=True, capture_output=True)
    user = tmp_path / "user.v"
    user.write_text("From My Require Import Base.\nLemma l : base = 42.\nProof. reflexivity. Qed.\n")
    assert main(["check", "-Q", str(lib), "My", str(user)]) == 0


@pytest.mark.unit
def test_missing_rocq_is_an_environment_problem(tmp_path):
    f = tmp_path / "ok.v"
    f.write_text("Definition a := 1.\n")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    proc = run_cli("check", str(f), env=env)
    assert proc.returncode == 3
    assert "coq" in proc.stderr
