"""The blind evaluation corpus for `auto` (`tests/data/auto_specs/`): every spec is sound and
satisfiable.

For each spec: the probe (`idsynth audit-spec`) finds it strong enough — every trivial
implementation is caught by a witness — and the hand-written `solution.v` beside it is
accepted by the real audit (compile, sealing, `Print Assumptions`, witnesses by
`vm_compute`, coqchk). One test per spec and per check, so they spread over
`pytest -n` workers; each is bounded by the audit's own timeouts and the suite's
`timeout = 600`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from idsynth.audit import audit_solution, load_spec

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "auto_specs"
SPECS = sorted(p.name for p in CORPUS.iterdir() if (p / "spec.toml").is_file())


def test_the_corpus_has_at_least_thirty_specs_each_with_a_solution():
    assert len(SPECS) >= 30
    for name in SPECS:
        assert (CORPUS / name / "spec.v").is_file(), name
        assert (CORPUS / name / "solution.v").is_file(), name


def test_every_spec_has_witnesses_and_a_unique_name():
    names = []
    for name in SPECS:
        manifest = tomllib.loads((CORPUS / name / "spec.toml").read_text(encoding="utf-8"))
        assert manifest["name"] == name, f"{name}: manifest name {manifest['name']!r} differs from its directory"
        assert len(manifest.get("witness", [])) >= 3, f"{name} has fewer than 3 witnesses"
        names.append(manifest["name"])
    assert len(set(names)) == len(names)


def test_the_corpus_uses_varied_key_and_value_types():
    text = " ".join((CORPUS / n / "spec.v").read_text(encoding="utf-8") for n in SPECS)
    for typ in ("nat", "bool", " N ", "Z", "positive", "option", "list nat", "* "):
        assert typ in text, f"no spec of the corpus mentions {typ!r}"


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_the_hand_written_solution_is_accepted_by_the_audit(name):
    verdict = audit_solution(load_spec(CORPUS / name), CORPUS / name / "solution.v")
    assert verdict.accepted, verdict.findings
    assert verdict.witnesses and all(w.outcome == "holds" for w in verdict.witnesses)
    assert verdict.checked_fields  # Print Assumptions was really read


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_the_spec_passes_the_probe_with_every_trivial_implementation_caught(name):
    proc = subprocess.run([sys.executable, "-m", "idsynth.cli.main", "audit-spec", "--json", str(CORPUS / name)],
                          capture_output=True, text=True, timeout=540)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and not report["weak"], report.get("warnings")
    for probe in report["probes"]:
        assert probe["built"], f"{probe['implementation']}: {probe.get('build_error')}"
        assert probe["refuted_by"], f"{probe['implementation']} is caught by no witness"


# ---------- bench/auto_specs.py (the measurement script; bench/ is not a package) ----------

def _bench():
    sys.path.insert(0, str(ROOT / "bench"))
    import auto_specs
    return auto_specs


def test_the_measurement_covers_the_corpus_then_the_four_warmups():
    names = [p.name for p in _bench().spec_dirs()]
    assert names[:len(SPECS)] == SPECS
    assert sorted(names[len(SPECS):]) == ["bank_account", "bounded_queue", "counter", "finite_map"]


def test_the_measurement_refuses_an_unknown_spec_name():
    with pytest.raises(SystemExit):
        _bench().spec_dirs(["no_such_spec"])


def test_the_table_counts_only_closed_and_audited_runs(tmp_path):
    bench = _bench()
    row = {"spec": "toggle", "corpus": "auto_specs", "seconds": 1.0, "exit_code": 1, "killed": False,
           "status": "exhausted", "design": None}
    rows = [{**row, "closed_and_audited": False, "holes_left": 1},
            {**row, "spec": "counter", "corpus": "warmup", "closed_and_audited": True, "holes_left": 0,
             "exit_code": 0, "status": "closed"},
            {**row, "spec": "stack", "closed_and_audited": False, "holes_left": None, "killed": True,
             "exit_code": None, "status": None}]
    text = bench.table(rows)
    assert "total: closed & audited 1/3" in text
    assert "auto_specs: closed & audited 0/2" in text
    assert "killed at the wall-clock limit" in text
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path, part in ((a, rows[:1]), (b, rows[1:])):
        path.write_text(json.dumps({"date": "d", "command": "c", "seconds_per_spec": 1, "grace": 1,
                                    "finished": True, "rows": part}), encoding="utf-8")
    merged = bench.merge([a, b])
    assert merged["closed"] == 1 and merged["total"] == 3
    with pytest.raises(SystemExit):
        bench.merge([a, a])
