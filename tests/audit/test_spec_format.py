"""Spec directories: the warm-ups load; malformed ones get one clear line and exit 2."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from idsynth.audit import SpecError, check_spec, load_spec

ROOT = Path(__file__).resolve().parents[2]
FINITE_MAP = ROOT / "specs" / "warmup" / "finite_map"


@pytest.mark.parametrize("name", ["finite_map", "counter", "bank_account", "bounded_queue"])
def test_warmup_specs_load_and_check(name):
    spec = load_spec(ROOT / "specs" / "warmup" / name)
    check_spec(spec)
    assert spec.manifest.witness, "every warm-up has witnesses"
    assert len(spec.sha256) == 64


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(FINITE_MAP, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


MALFORMED = {
    "not a directory": (lambda d: d / "nope", "not a directory"),
    "missing spec.toml": (lambda d: ((d / "spec.toml").unlink(), d)[1], "spec.toml: missing"),
    "TOML syntax error": (lambda d: ((d / "spec.toml").write_text("name = \n"), d)[1], "TOML error"),
    "unknown field": (lambda d: (_edit(d / "spec.toml", 'name = "finite_map"', 'name = "finite_map"\nsignatur = "X"'), d)[1],
                      "signatur: unknown field"),
    "missing required field": (lambda d: (_edit(d / "spec.toml", 'signature = "FMAP_SIG"\n', ""), d)[1],
                               "signature: Field required"),
    "missing spec.v": (lambda d: ((d / "spec.v").unlink(), d)[1], "spec.v: missing"),
    "spec.v does not compile": (lambda d: (_edit(d / "spec.v", "End FMAP_SIG.", "End FMAP_SIG"), d)[1],
                                "does not compile"),
    "signature not found": (lambda d: (_edit(d / "spec.toml", '"FMAP_SIG"', '"NO_SUCH_SIG"'), d)[1],
                            "module type 'NO_SUCH_SIG' not found"),
    "correctness not a functor over the signature": (
        lambda d: (_edit(d / "spec.toml", 'correctness = "FMAP_CORRECT"', 'correctness = "FMAP_SIG"'), d)[1],
        "correctness: 'FMAP_SIG' is not a module type functor"),
    "witness not a proposition": (lambda d: (_edit(d / "spec.toml", 'expect = "Some 7"', 'expect = "true"'), d)[1],
                                  "witness 'put_then_get'"),
    "not UTF-8": (lambda d: ((d / "spec.v").write_bytes(b"(* \xff *)\n"), d)[1], "spec.v: not UTF-8"),
    "file outside the spec directory": (lambda d: (_edit(d / "spec.toml", 'name = "finite_map"',
                                                         'name = "finite_map"\nfiles = ["../x.v"]'), d)[1],
                                        "must be a .v file inside the spec directory"),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_spec_gets_one_line_naming_the_file_and_exit_2(kind, tmp_path):
    make, message = MALFORMED[kind]
    target = make(_copy(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "idsynth.cli.main", "audit-spec", str(target)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
    assert str(tmp_path) in lines[0]


@pytest.mark.unit
def test_a_loader_error_is_a_spec_error_not_a_traceback(tmp_path):
    with pytest.raises(SpecError):
        load_spec(tmp_path / "missing")
