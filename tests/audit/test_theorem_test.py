"""The audit does not trust the kernel alone: it tests the correctness theorems on inputs.

Coq 8.16.1 proves `False` with no axiom through a guard-checker bug (rocq-prover#20455), so a
wrong implementation can be "closed" in every sense the kernel and coqchk know. Evaluating
the theorems on concrete inputs refutes it; genuine solutions pass.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from idsynth.audit import FindingKind, audit_solution, load_spec
from idsynth.audit.term_text import app_parts, split_forall, split_top, strip_parens, value_of_eval
from idsynth.audit.trusted_base import installed_version, known_bugs
from idsynth.audit.types import TheoremTestConfig

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
SOLUTIONS = ROOT / "tests" / "data" / "solutions"
GUARD_CHEAT = Path(__file__).parent / "cheats" / "70_guard_match_on_match.v"
FINITE_MAP = SPECS / "warmup" / "finite_map"


def _rocq_has_20455() -> bool:
    found = installed_version()
    return bool(found and found[1] and any(b.issue.endswith("#20455") for b in known_bugs(found[1])))


@pytest.mark.skipif(not _rocq_has_20455(), reason="this Rocq does not have the 8.16 guard-checker bug")
def test_without_theorem_tests_the_kernel_alone_accepts_the_guard_exploit():
    verdict = audit_solution(load_spec(FINITE_MAP), GUARD_CHEAT, theorem_tests=None)
    assert verdict.accepted, verdict.findings  # closed, sealed, coqchk-clean, witnesses hold: the bug
    assert verdict.witnesses and all(w.outcome == "holds" for w in verdict.witnesses)
    assert verdict.theorem_tests == []


def test_the_guard_exploit_is_refuted_with_the_input_and_the_computed_values():
    verdict = audit_solution(load_spec(FINITE_MAP), GUARD_CHEAT)
    assert not verdict.accepted
    refuted = [f for f in verdict.findings if f.kind == FindingKind.THEOREM_REFUTED_BY_TEST]
    assert refuted, verdict.findings
    finding = refuted[0]
    assert finding.where in {"get_put_same", "get_put_other"}
    # the counterexample writes a key >= 50 (the cheat's put drops those) and shows both sides
    keys = [int(k) for k in re.findall(r"\bk := (\d+)", finding.detail)]
    assert keys and keys[0] >= 50, finding.detail
    assert "computes to `None`" in finding.detail and "Some" in finding.detail
    by_name = {t.name: t for t in verdict.theorem_tests}
    assert by_name[finding.where].outcome == "refuted"
    assert by_name["get_empty"].outcome == "passed"  # true theorems of the cheat still pass


def test_the_genuine_finite_map_passes_every_theorem_and_says_how_many_cases():
    config = TheoremTestConfig(cases=40)
    verdict = audit_solution(load_spec(FINITE_MAP), SOLUTIONS / "finite_map.v", theorem_tests=config)
    assert verdict.accepted, verdict.findings
    assert [t.name for t in verdict.theorem_tests] == ["get_empty", "get_put_same", "get_put_other",
                                                       "get_remove_same", "get_remove_other"]
    for t in verdict.theorem_tests:
        assert t.outcome == "passed", t
        assert t.cases > 0 and t.cases + t.premise_false + t.undecided == 40, t
    other = next(t for t in verdict.theorem_tests if t.name == "get_put_other")
    assert other.premise_false > 0  # k = k' inputs are skipped, not counted as passes
    # the equational cases are kept for the OCaml binary, in the witness language over M
    assert any(re.search(r"M\.put \d+ \d+", w.expr) for w in other.binary_cases)


def test_the_number_of_cases_and_the_time_budget_are_settable():
    spec = load_spec(FINITE_MAP)
    few = audit_solution(spec, SOLUTIONS / "finite_map.v", theorem_tests=TheoremTestConfig(cases=3))
    assert few.accepted
    assert all(t.cases + t.premise_false + t.undecided <= 3 for t in few.theorem_tests)
    spent = audit_solution(spec, SOLUTIONS / "finite_map.v", theorem_tests=TheoremTestConfig(budget_seconds=0.001))
    assert spent.accepted  # an unfinished test is reported, not a rejection
    assert spent.theorem_tests and all(t.outcome == "unfinished" and "budget" in t.detail
                                       for t in spent.theorem_tests)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["counter", "bank_account", "bounded_queue"])
def test_every_genuine_warmup_solution_passes_its_theorem_tests(name):
    verdict = audit_solution(load_spec(SPECS / "warmup" / name), SOLUTIONS / f"{name}.v")
    assert verdict.accepted, verdict.findings
    assert verdict.theorem_tests
    assert not [t for t in verdict.theorem_tests if t.outcome == "refuted"]
    assert sum(t.outcome == "passed" for t in verdict.theorem_tests) >= len(verdict.theorem_tests) - 2
    for t in verdict.theorem_tests:
        assert t.outcome == "passed" and t.cases > 0 or t.detail, t


@pytest.mark.slow
def test_a_genuine_kv_solution_passes_and_its_theorems_are_reported_not_testable_with_the_reason():
    verdict = audit_solution(load_spec(SPECS / "kv" / "ryw"), SOLUTIONS / "kv_fast" / "ryw.v")
    assert verdict.accepted, verdict.findings
    assert {t.name for t in verdict.theorem_tests} == {"read_your_writes_holds", "no_thin_air", "progress",
                                                       "quiescent_reads"}
    for t in verdict.theorem_tests:
        # `reachable` states and history predicates are outside the decidable fragment: said, not guessed
        assert t.outcome == "untestable" and "gstate" in t.detail, t


@pytest.mark.slow
def test_on_the_binary_the_theorem_cases_catch_extracted_code_that_differs_from_the_verified(tmp_path):
    from idsynth.extraction import (StoreBinary, build_extracted_store, check_witnesses, split_theorem_findings,
                                    theorem_cases)

    spec = load_spec(FINITE_MAP)
    honest = SOLUTIONS / "finite_map.v"
    verdict = audit_solution(spec, honest)
    assert verdict.accepted, verdict.findings
    cases = theorem_cases(verdict.theorem_tests)
    assert cases
    outcomes = {}
    # The same verified Rocq code, extracted as is and with `put` swapped by Extract Constant.
    # The audit's scan rejects the swap directive itself, so to test the binary step alone the
    # swapped file gets its honest twin's verdict (same modules, same theorem cases), addressed
    # to its own bytes (extraction refuses a verdict of other bytes).
    swapped = ROOT / "tests" / "data" / "theorem_test" / "put_extracted_differently.v"
    twin = verdict.model_copy(update={"solution_sha256": hashlib.sha256(swapped.read_bytes()).hexdigest()})
    for label, solution, v in (("honest", honest, verdict), ("swapped", swapped, twin)):
        witnesses = [*spec.manifest.witness, *cases]
        store = build_extracted_store(spec, solution, tmp_path / label, verdict=v, witnesses=witnesses)
        assert isinstance(store, StoreBinary), store
        report = check_witnesses(store, witnesses, tmp_path)
        outcomes[label] = split_theorem_findings(report, verdict.theorem_tests)
    assert outcomes["honest"] == ([], [])
    vacuity, refuted = outcomes["swapped"]
    assert vacuity == []  # the manifest's witnesses use small keys only
    assert refuted and all(f.kind == FindingKind.THEOREM_REFUTED_BY_TEST for f in refuted)
    assert "extracted binary" in refuted[0].where and "differs from the verified one" in refuted[0].detail


# -- reading printed statements (no Rocq needed)

PRINTED = ("forall (k k' v : nat) (m : Candidate.AssocMap.t) (_ : not (@eq nat k k')), @eq (option nat) "
           "(Candidate.AssocMap.get k' (Candidate.AssocMap.put k v m)) (Candidate.AssocMap.get k' m)")


def test_a_printed_statement_splits_into_binders_premises_and_conclusion():
    binders, conclusion = split_forall(PRINTED)
    assert [(b.name, b.type) for b in binders] == [("k", "nat"), ("k'", "nat"), ("v", "nat"),
                                                   ("m", "Candidate.AssocMap.t"), ("_", "not (@eq nat k k')")]
    assert app_parts(conclusion) == ["@eq", "(option nat)", "(Candidate.AssocMap.get k' (Candidate.AssocMap.put k v m))",
                                     "(Candidate.AssocMap.get k' m)"]
    binders, body = split_forall("forall ops : list bank.txn, @eq nat (f ops) O")
    assert [(b.name, b.type) for b in binders] == [("ops", "list bank.txn")] and body == "@eq nat (f ops) O"
    assert strip_parens("((a b) c)") == "(a b) c"
    assert split_top("A : B | C (x | y)", "|") == ["A : B", "C (x | y)"]


def test_an_eval_answer_reads_as_value_and_type():
    assert value_of_eval("     = Some 5\n     : option nat") == ("Some 5", "option nat")
    assert value_of_eval("     = (true, 3 :: nil)\n     : bool * list nat") == ("(true, 3 :: nil)", "bool * list nat")
    assert value_of_eval("Error: nope") is None


def test_idsynth_audit_rejects_the_guard_exploit_and_prints_the_cases_tested_per_theorem():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "idsynth.cli.main", "audit", "--theorem-cases", "30",
                           str(FINITE_MAP), str(GUARD_CHEAT)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[theorem_refuted_by_test]" in proc.stdout and "counterexample" in proc.stdout
    assert re.search(r"theorem get_empty: passed on 30 tested inputs", proc.stdout), proc.stdout
    assert re.search(r"theorem get_put_other: passed on \d+ tested inputs, \d+ skipped \(premise false\)",
                     proc.stdout), proc.stdout
