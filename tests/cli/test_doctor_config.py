"""`idsynth doctor` and configuration precedence (defaults < file < environment < flags)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idsynth.cli.main import build_parser
from idsynth.cli.config import apply_defaults


def run(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "idsynth.cli.main", *args], capture_output=True, text=True,
                          timeout=300, env=env, cwd=cwd)


def test_doctor_on_this_machine_is_ready():
    proc = run("doctor", "--json")
    assert proc.returncode == 0, proc.stdout
    checks = {c["check"]: c for c in json.loads(proc.stdout)["checks"]}
    assert checks["coqc"]["ok"] and "8.16" in checks["coqc"]["detail"]
    assert checks["CoqHammer"]["ok"]


@pytest.mark.unit
def test_doctor_without_coqc_names_the_package_and_exits_3(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # the venv only: no coqc
    proc = run("doctor", env=env)
    assert proc.returncode == 3
    assert "MISSING" in proc.stdout and "apt-get install coq" in proc.stdout


def _run_parser():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return parser, sub.choices["run"]


@pytest.mark.unit
def test_config_file_then_environment_then_flags(tmp_path, monkeypatch):
    (tmp_path / "idsynth.toml").write_text('[defaults]\ntimeout = 7\n[run]\nmax-dollars = 3.5\nmax-moves = 40\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IDSYNTH_MAX_MOVES", "55")
    parser, run_parser = _run_parser()
    apply_defaults(run_parser, "run")
    args = parser.parse_args(["run", "specs/x"])
    assert (args.timeout, args.max_dollars, args.max_moves) == (7, 3.5, 55)  # file, file, env
    args = parser.parse_args(["run", "specs/x", "--max-moves", "9"])
    assert args.max_moves == 9  # the flag wins


@pytest.mark.unit
def test_an_unknown_config_key_is_bad_input(tmp_path):
    (tmp_path / "idsynth.toml").write_text("[run]\nmax-dolars = 3\n")
    proc = run("run", "specs/x", cwd=tmp_path)
    assert proc.returncode == 2 and "max_dolars" in proc.stderr


@pytest.mark.unit
def test_every_subcommand_has_help_with_examples():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        text = p.format_help()
        assert "example" in text, name
