"""Extraction, OCaml builds and the benchmark driver, on real binaries (slow: coqc, coqchk,
ocamlopt). The audit is never faked: every extracted solution was accepted by it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsynth.audit import audit_solution, load_spec
from idsynth.audit.types import FindingKind, Witness
from idsynth.extraction import (
    BenchReport,
    PrepareFailure,
    StoreBinary,
    Workload,
    bench,
    build,
    build_extracted_store,
    check_witnesses,
    load_reports,
    plot,
    vacuity_findings,
)
from idsynth.extraction.baselines import build_ocaml_baseline
from idsynth.extraction.libraries import LIBRARIES, OcamlNeeds
from idsynth.extraction.run import run_binary

pytestmark = pytest.mark.slow


def _run(store: StoreBinary, workload: Workload, cwd: Path) -> dict:
    r = run_binary([str(store.binary), *workload.driver_args()], cwd, timeout=120)
    assert r.ok, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_the_genuine_finite_map_solution_builds_and_its_witnesses_hold_on_the_binary(assoc_map, tmp_path):
    store = assoc_map.store
    assert store.shape.key == "nat" and store.libraries_used == ["ExtrOcamlBasic"] and not store.unsound_opt_ins
    assert not list(store.binary.parent.glob(".*.build"))  # temporary build files removed on success
    report = check_witnesses(store, assoc_map.spec.manifest.witness, tmp_path)
    assert report.ok, report
    assert [c.outcome for c in report.checks] == ["holds"] * len(assoc_map.spec.manifest.witness)
    assert report.checks[0].got == "Some 7"
    # Same operation stream, same answers as OCaml's Map: the extracted code computes.
    w = Workload(keys=50, ops=3000, mix={"get": 50, "put": 30, "remove": 20}, repetitions=1)
    mine = _run(store, w, tmp_path)
    ocaml = build_ocaml_baseline("ocaml-map", store.shape, tmp_path / "map")
    assert isinstance(ocaml, StoreBinary), ocaml
    theirs = _run(ocaml, w, tmp_path)
    assert mine["passes"][0]["hits"] == theirs["passes"][0]["hits"] > 0
    assert mine["vm_hwm_kb"] > 0 and set(mine["latency"]) <= {"get", "put", "remove"}


def test_the_verified_avl_store_passes_its_witnesses_on_the_binary(avl, tmp_path):
    assert avl.store.libraries_used == ["ExtrOcamlBasic", "ExtrOCamlInt63"]
    assert avl.store.shape.key == "uint63"
    report = check_witnesses(avl.store, avl.spec.manifest.witness, tmp_path)
    assert report.ok and all(c.outcome == "holds" for c in report.checks), report
    assert any(c.got == "Some 1%uint63" for c in report.checks)  # the 2^63-1 key


def test_an_unsound_library_is_used_only_when_listed_and_is_reported(tmp_path):
    spec_dir = tmp_path / "finite_map_natint"
    spec_dir.mkdir()
    src = Path(__file__).resolve().parents[2] / "specs" / "warmup" / "finite_map"
    (spec_dir / "spec.v").write_text((src / "spec.v").read_text())
    toml = (src / "spec.toml").read_text().replace('libraries = ["ExtrOcamlBasic"]',
                                                   'libraries = ["ExtrOcamlBasic", "ExtrOcamlNatInt"]')
    (spec_dir / "spec.toml").write_text(toml)
    spec = load_spec(spec_dir)
    solution = Path(__file__).resolve().parents[2] / "tests" / "data" / "solutions" / "finite_map.v"
    store = build_extracted_store(spec, solution, tmp_path / "w")
    assert isinstance(store, StoreBinary), store
    assert store.unsound_opt_ins == ["ExtrOcamlNatInt"] and store.shape.key == "int"  # nat became int
    report = check_witnesses(store, spec.manifest.witness, tmp_path)
    assert report.ok and report.checks[0].got == "Some 7", report


def test_an_extraction_library_whose_ocaml_module_is_missing_fails_with_the_compilers_message(chain63, tmp_path):
    table = {**LIBRARIES, "ExtrOCamlInt63": OcamlNeeds()}  # as if Coq's Uint63 were not installed
    got = build_extracted_store(chain63.spec, chain63.solution, tmp_path, verdict=chain63.verdict,
                                library_table=table)
    assert isinstance(got, PrepareFailure) and got.stage == "build" and got.build is not None
    assert got.build.exit_code == 2 and not got.build.timed_out
    assert "Unbound module Uint63" in got.build.compiler_output
    assert "exit 2" in got.message and "Unbound module Uint63" in got.message
    assert "ocamlopt" in got.build.command[1]


def test_an_extraction_library_whose_ocaml_package_is_missing_fails_clearly(chain63, tmp_path):
    needs = LIBRARIES["ExtrOCamlInt63"]
    table = {**LIBRARIES, "ExtrOCamlInt63": OcamlNeeds(packages=("idsynth-no-such-ocaml-package",),
                                                       sources=needs.sources)}
    got = build_extracted_store(chain63.spec, chain63.solution, tmp_path, verdict=chain63.verdict,
                                library_table=table)
    assert isinstance(got, PrepareFailure) and got.build is not None
    assert got.build.exit_code == 2
    assert "idsynth-no-such-ocaml-package" in got.message and "not found" in got.message


def test_a_driver_that_does_not_type_check_returns_the_compiler_error(assoc_map, tmp_path):
    bad = tmp_path / "bad_driver.ml"
    bad.write_text('let () = ignore (Impl.IdsynthImpl.get "one" Impl.IdsynthImpl.empty)\n')
    result = build(assoc_map.workdir / "extract", bad, tmp_path / "bin" / "bad")
    assert not result.ok and result.binary is None
    assert result.exit_code == 2
    assert 'This expression has type string but an expression was expected of type' in result.compiler_output
    assert result.message.startswith("ocamlopt failed (exit 2): bad_driver.ml:1: Error: This expression has type")
    assert (tmp_path / "bin" / ".bad.build").is_dir()  # kept for inspection, and the message says where
    assert ".bad.build" in result.message


WEAK_SPEC_V = """Require Import Coq.Arith.PeanoNat.
Module Type WMAP_SIG.
  Parameter t : Type.
  Parameter empty : t.
  Parameter get : nat -> t -> option nat.
  Parameter put : nat -> nat -> t -> t.
End WMAP_SIG.
Module Type WMAP_CORRECT (Import M : WMAP_SIG).
  Axiom get_empty : forall k, get k empty = None.
End WMAP_CORRECT.
"""

WEAK_SPEC_TOML = """name = "weak_map"
signature = "WMAP_SIG"
correctness = "WMAP_CORRECT"

[[witness]]
name = "empty_is_empty"
expr = "M.get 3 M.empty"
expect = "None"
"""

NOOP_SOLUTION = """From Spec Require Import spec.
Module NoopMap <: WMAP_SIG.
  Definition t := unit.
  Definition empty : t := tt.
  Definition get (k : nat) (m : t) : option nat := None.
  Definition put (k v : nat) (m : t) : t := m.
End NoopMap.
Module NoopMapProofs <: WMAP_CORRECT NoopMap.
  Lemma get_empty : forall k, NoopMap.get k NoopMap.empty = None.
  Proof. reflexivity. Qed.
End NoopMapProofs.
"""


def test_a_witness_the_binary_fails_is_a_vacuity_failure_from_the_binary(tmp_path):
    spec_dir = tmp_path / "weak_map"
    spec_dir.mkdir()
    (spec_dir / "spec.v").write_text(WEAK_SPEC_V)
    (spec_dir / "spec.toml").write_text(WEAK_SPEC_TOML)
    solution = tmp_path / "noop.v"
    solution.write_text(NOOP_SOLUTION)
    spec = load_spec(spec_dir)
    verdict = audit_solution(spec, solution)
    assert verdict.accepted, verdict.findings  # the Rocq-side witnesses are fine
    extra = [*spec.manifest.witness,
             Witness(name="put_then_get", expr="M.get 1 (M.put 1 7 M.empty)", expect="Some 7"),
             Witness(name="uses_the_model", expr="M.get (Nat.add 1 1) M.empty", expect="None")]
    store = build_extracted_store(spec, solution, tmp_path / "w", verdict=verdict, witnesses=extra)
    assert isinstance(store, StoreBinary), store
    report = check_witnesses(store, extra, tmp_path)
    outcomes = {c.name: c.outcome for c in report.checks}
    assert outcomes == {"empty_is_empty": "holds", "put_then_get": "refuted", "uses_the_model": "unprintable"}
    assert not report.ok and "vacuity on the extracted binary: put_then_get refuted" in report.message
    bad = report.refuted[0]
    assert bad.got == "None" and bad.expect == "Some 7"
    findings = vacuity_findings(report)
    assert [f.kind for f in findings] == [FindingKind.VACUITY]
    assert "computes None, not Some 7" in findings[0].detail


def _p50_get(store: StoreBinary, keys: int, cwd: Path) -> float:
    w = Workload(keys=keys, ops=4000, mix={"get": 90, "put": 10}, repetitions=3, warmup_ops=1000,
                 sample_every=4, time_budget_s=5)
    return _run(store, w, cwd)["latency"]["get"]["p50_ns"]


def test_closure_chain_latency_grows_with_keys_and_the_trees_does_not(chain63, avl, tmp_path):
    chain = [_p50_get(chain63.store, k, tmp_path) for k in (100, 10_000)]
    tree = [_p50_get(avl.store, k, tmp_path) for k in (100, 10_000)]
    assert chain[1] / chain[0] > 5, chain
    assert tree[1] / tree[0] < 3, tree
    assert tree[1] < chain[1] / 10


def test_bench_end_to_end_with_baselines(avl, tmp_path):
    out = tmp_path / "reports.json"
    seen: list[BenchReport] = []
    reports = bench(avl.spec, [avl.solution], [100, 1000], workdir=tmp_path / "bench", ops=3000,
                    repetitions=2, rounds=2, verdicts={avl.solution: avl.verdict}, out_json=out,
                    on_report=seen.append)
    assert seen == reports
    impls = {"finite_map_int63_avl", "closure-chain", "ocaml-map", "ocaml-hashtbl"}
    assert {r.impl for r in reports} == impls and len(reports) == 8
    for r in reports:
        assert r.ok and r.passes == 4 and r.ops_per_s_min <= r.ops_per_s_median <= r.ops_per_s_max, r
        assert r.peak_rss_source == "VmHWM" and r.peak_rss_kb > 0
        assert set(r.latency) == {"get", "put"} and r.clock.startswith("clock_gettime")
        assert "WARNING" not in r.message
    for k in (100, 1000):
        hits = {r.hits for r in reports if r.keys == k}
        assert len(hits) == 1 and None not in hits  # every store answered the same lookups
    assert load_reports(out) == reports
    png = plot(reports, tmp_path / "kv.png")
    assert png.stat().st_size > 1000
