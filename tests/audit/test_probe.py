"""`audit-spec` flags the deliberately weak spec and passes the warm-ups."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _audit_spec(path: Path) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "idsynth.cli.main", "audit-spec", "--json", str(path)],
                          capture_output=True, text=True, timeout=600)
    return proc.returncode, json.loads(proc.stdout)


def test_the_weak_store_is_flagged_loudly():
    code, report = _audit_spec(ROOT / "specs" / "examples" / "weak_store")
    assert code == 1 and report["weak"]
    assert any("WEAK SPEC" in w for w in report["warnings"])
    noop = report["probes"][0]
    assert noop["built"] and not noop["refuted_by"]
    assert all(t["outcome"] == "proved" for t in noop["theorems"])


@pytest.mark.parametrize("name", ["finite_map", "counter", "bank_account", "bounded_queue"])
def test_warmups_pass_the_probe_with_every_trivial_implementation_caught(name):
    code, report = _audit_spec(ROOT / "specs" / "warmup" / name)
    assert code == 0 and not report["weak"]
    for probe in report["probes"]:
        assert probe["built"]
        assert probe["refuted_by"], f"{probe['implementation']} is caught by no witness"
