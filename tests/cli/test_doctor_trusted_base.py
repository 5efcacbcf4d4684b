"""`idsynth doctor` prints the trusted base and warns about a Rocq with known kernel bugs."""

from __future__ import annotations

import json
import subprocess
import sys

from idsynth.audit.trusted_base import KNOWN_BUGS, installed_version, known_bugs, parse_version


def _doctor(*args):
    return subprocess.run([sys.executable, "-m", "idsynth.cli.main", "doctor", *args], capture_output=True,
                          text=True, timeout=300)


def test_the_known_bug_list_is_keyed_by_version():
    assert parse_version("The Coq Proof Assistant, version 8.16.1") == (8, 16, 1)
    assert parse_version("The Rocq Prover, version 9.0.1") == (9, 0, 1)
    on_816 = {b.issue for b in known_bugs((8, 16, 1))}
    assert "rocq-prover/rocq#20455" in on_816 and "rocq-prover/rocq#20413" in on_816
    assert "rocq-prover/rocq#20455" not in {b.issue for b in known_bugs((9, 0, 1))}
    assert "rocq-prover/rocq#20455" not in {b.issue for b in known_bugs((8, 15, 2))}  # introduced in 8.16
    assert all(b.audit for b in KNOWN_BUGS)  # each says what the audit does about it


def test_doctor_warns_about_the_kernel_bugs_of_the_installed_rocq_and_prints_the_trusted_base():
    found = installed_version()
    assert found is not None and found[1] is not None
    expected = {b.issue for b in known_bugs(found[1])}
    proc = _doctor("--json")
    assert proc.returncode == 0, proc.stdout  # a warning, not a missing tool
    report = json.loads(proc.stdout)
    kernel = next(c for c in report["checks"] if c["check"] == "Rocq soundness")
    assert {b["issue"] for b in kernel["known_bugs"]} == expected
    assert kernel["warning"] == bool(expected)
    assert report["trusted_base"]["components"]
    text = _doctor().stdout
    assert "trusted base" in text
    if expected:  # Coq 8.16.1 here: the guard-checker bug is named, with the audit's answer
        assert "WARNING" in text and "Rocq soundness" in text
        assert "rocq-prover/rocq#20455" in text and "theorem_refuted_by_test" in text
