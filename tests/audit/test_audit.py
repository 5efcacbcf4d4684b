"""The audit accepts honest solutions and rejects every cheat, for the right reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idsynth.audit import FindingKind, audit_solution, load_spec
from idsynth.audit.auditor import find_modules

from .mutations import mutants

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs" / "warmup"
SOLUTIONS = ROOT / "tests" / "data" / "solutions"
CHEATS = Path(__file__).parent / "cheats"
WARMUPS = ["finite_map", "counter", "bank_account", "bounded_queue"]


@pytest.mark.parametrize("name", WARMUPS)
def test_each_warmup_solution_is_accepted(name):
    verdict = audit_solution(load_spec(SPECS / name), SOLUTIONS / f"{name}.v")
    assert verdict.accepted, verdict.findings
    assert verdict.witnesses and all(w.outcome == "holds" for w in verdict.witnesses)
    assert verdict.checked_fields  # Print Assumptions was really read


def _cheats() -> list[tuple[str, str]]:
    out = []
    for path in sorted(CHEATS.glob("*.v")):
        m = re.search(r"expect:\s*([a-z_]+)", path.read_text(encoding="utf-8"))
        assert m, f"{path.name} has no `expect:` header"
        out.append((path.name, m.group(1)))
    return out


@pytest.mark.unit
def test_the_cheat_corpus_has_at_least_25_hand_written_cheats():
    assert sum(1 for _, expect in _cheats() if expect != "accepted") >= 25


@pytest.mark.parametrize("name, expect", _cheats())
def test_each_cheat_is_rejected_for_its_reason(name, expect):
    verdict = audit_solution(load_spec(SPECS / "finite_map"), CHEATS / name)
    kinds = {f.kind.value for f in verdict.findings}
    if expect == "accepted":
        assert verdict.accepted, verdict.findings
    else:
        assert not verdict.accepted
        assert expect in kinds, f"expected {expect}, got {verdict.findings}"


def _mutants():
    cases = []
    for name in WARMUPS:
        spec = load_spec(SPECS / name)
        source = (SOLUTIONS / f"{name}.v").read_text()
        ops = _operations(spec)
        for m in mutants(source, ops):
            cases.append(pytest.param(name, m, id=f"{name}-{m.name}"))
    return cases


def _operations(spec) -> list[str]:
    text = (spec.directory / spec.manifest.files[-1]).read_text()
    block = text.split(f"Module Type {spec.manifest.signature}", 1)[1].split("End", 1)[0]
    return re.findall(r"Parameter\s+([A-Za-z_][\w']*)", block)


@pytest.mark.unit
def test_mutations_cover_every_warmup_with_both_kinds():
    by_spec = {}
    for p in _mutants():
        name, m = p.values
        by_spec.setdefault(name, set()).add(m.expect)
    assert by_spec == {n: {"hole", "vacuity"} for n in WARMUPS}


@pytest.mark.slow
@pytest.mark.parametrize("spec_name, mutant", _mutants())
def test_each_mutation_of_a_genuine_solution_is_rejected_for_its_reason(spec_name, mutant, tmp_path):
    path = tmp_path / "mutant.v"
    path.write_text(mutant.source)
    verdict = audit_solution(load_spec(SPECS / spec_name), path)
    assert not verdict.accepted
    assert mutant.expect in {f.kind.value for f in verdict.findings}, verdict.findings


@pytest.mark.unit
def test_a_look_alike_signature_in_the_solution_does_not_fool_the_convention(tmp_path):
    source = (SOLUTIONS / "finite_map.v").read_text()
    impl, proofs = find_modules(source, "FMAP_SIG", "FMAP_CORRECT")
    assert (impl, proofs) == ("AssocMap", "AssocMapProofs")


def test_the_verdict_records_the_spec_hash_and_flags_tampering():
    spec = load_spec(SPECS / "finite_map")
    verdict = audit_solution(spec, SOLUTIONS / "finite_map.v", expected_spec_hash="0" * 64)
    assert verdict.spec_hash == spec.sha256
    assert [f.kind for f in verdict.findings] == [FindingKind.SPEC_TAMPERING]
