"""The restated KV model (issue 13): a spec may include a shared library; the shared library
`specs/kv/common/model.v` states the seven properties over any number of replicas with exact
read-from; every wrong store of the issue (and a few more) is proved, by real coqc, to VIOLATE
the restated properties, and is refuted by a witness of the restated drafts, which a correct
last-writer-wins store passes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from idsynth.audit import FindingKind, SpecError, audit_solution, check_spec, load_spec
from idsynth.audit.spec import copy_pristine
from idsynth.rocq.tools import compile_file

ROOT = Path(__file__).resolve().parents[2]
COMMON = ROOT / "specs" / "kv" / "common" / "model.v"
WRONG = ROOT / "tests" / "data" / "kv_wrong"
DRAFTS = ROOT / "tests" / "data" / "kv_restated"
NAMES = ["ryw", "monotonic_reads", "monotonic_writes", "writes_follow_reads", "causal", "convergence", "pram"]


def _spec_with_include(tmp_path: Path, include: str = "../common/model.v") -> Path:
    (tmp_path / "common").mkdir()
    shutil.copyfile(COMMON, tmp_path / "common" / "model.v")
    spec = tmp_path / "causal"
    spec.mkdir()
    shutil.copyfile(DRAFTS / "causal" / "spec.v", spec / "spec.v")
    toml = (DRAFTS / "causal" / "spec.toml").read_text(encoding="utf-8")
    (spec / "spec.toml").write_text(toml.replace("../../../../specs/kv/common/model.v", include), encoding="utf-8")
    return spec


# --- a spec may include files from a shared directory ---------------------------------------

def test_an_included_library_is_copied_and_compiled_before_the_spec(tmp_path):
    spec = load_spec(_spec_with_include(tmp_path))
    assert spec.modules == ["Spec.model", "Spec.spec"]
    assert spec.main_module == "Spec.spec"
    pristine = copy_pristine(spec, tmp_path / "pristine")
    assert (pristine / "model.v").read_bytes() == COMMON.read_bytes()
    check_spec(spec)  # compiles model.v then spec.v, and finds KV_SIG and CAUSAL_CORRECT


def test_the_spec_hash_covers_the_included_library(tmp_path):
    directory = _spec_with_include(tmp_path)
    before = load_spec(directory).sha256
    library = tmp_path / "common" / "model.v"
    library.write_text(library.read_text(encoding="utf-8") + "\n(* edited *)\n", encoding="utf-8")
    assert load_spec(directory).sha256 != before


def test_a_spec_without_include_keeps_its_hash():
    # The hash of an include-free spec is computed exactly as before the include field existed,
    # so recorded runs of the shipped specs still match.
    import hashlib
    directory = ROOT / "specs" / "kv" / "ryw"
    digest = hashlib.sha256((directory / "spec.toml").read_bytes())
    for name in ["model.v", "spec.v"]:
        digest.update(b"\0" + name.encode() + b"\0" + (directory / name).read_bytes())
    assert load_spec(directory).sha256 == digest.hexdigest()


@pytest.mark.parametrize("include, message", [
    ("../common/missing.v", "missing"),
    ("/etc/model.v", "must be a relative path to a .v file"),
    ("../common/model.txt", "must be a relative path to a .v file"),
    ("../causal/spec.v", "two files named 'spec'.v"),
])
def test_a_bad_include_is_a_one_line_spec_error(tmp_path, include, message):
    directory = _spec_with_include(tmp_path, include)
    with pytest.raises(SpecError) as exc:
        load_spec(directory)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_the_drafts_are_what_their_generator_writes():
    import importlib.util
    loader = importlib.util.spec_from_file_location("kv_restated_generate", DRAFTS / "generate.py")
    generate = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(generate)
    assert sorted(generate.SPECS) == sorted(NAMES)
    for name in NAMES:
        assert (DRAFTS / name / "spec.toml").read_text(encoding="utf-8") == generate.toml(name)
        assert (DRAFTS / name / "spec.v").read_text(encoding="utf-8") == generate.spec_v(name)


@pytest.mark.parametrize("name", NAMES)
def test_each_restated_draft_loads_and_checks(name):
    spec = load_spec(DRAFTS / name)
    assert spec.manifest.include == ["../../../../specs/kv/common/model.v"]
    check_spec(spec)


# --- negative proofs: each wrong store provably violates the restated properties -------------

#: file -> (store module, properties whose safety theorem the file proves false)
VIOLATIONS = {
    "flip_flop": ("FlipFlop", {p: f"flip_flop_violates_{p}" for p in NAMES}),
    "three_only": ("ThreeOnly", {p: f"three_only_violates_{p}" for p in NAMES}),
    "forget": ("Forget", {p: f"forget_violates_{p}" for p in ["monotonic_reads", "pram", "causal"]}),
    "fifo_only": ("FifoOnly", {p: f"fifo_only_violates_{p}" for p in ["ryw", "monotonic_reads"]}),
    "arrival_order": ("ArrivalOrder", {p: f"arrival_order_violates_{p}" for p in ["pram", "monotonic_reads"]}),
    "own_first": ("OwnFirst", {"convergence": "own_first_violates_convergence"}),
}


def _reachable(store: str) -> str:
    return (f"reachable ({store}.init nat) ({store}.put nat) ({store}.get nat) ({store}.deliverable nat) "
            f"({store}.deliver nat)")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    """The shared library and every negative-proof file, compiled by coqc from pristine copies."""
    work = tmp_path_factory.mktemp("kv_wrong")
    (work / "spec").mkdir()
    shutil.copyfile(COMMON, work / "spec" / "model.v")
    result = compile_file(work / "spec" / "model.v", [(str(work / "spec"), "Spec")])
    assert result.ok, result.one_line()
    (work / "wrong").mkdir()
    for name in ["lww", *VIOLATIONS, "blocked", "lww_examples"]:
        shutil.copyfile(WRONG / f"{name}.v", work / "wrong" / f"{name}.v")
        result = compile_file(work / "wrong" / f"{name}.v", _paths(work))
        assert result.ok, f"{name}.v: {result.one_line()}"
    return work


def _paths(work: Path) -> list[tuple[str, str]]:
    return [(str(work / "spec"), "Spec"), (str(work / "wrong"), "Wrong")]


def _check(work: Path, name: str, text: str) -> str:
    """Compile a checking file; return coqc's output (it must compile)."""
    path = work / "wrong" / f"check_{name}.v"
    path.write_text(text, encoding="utf-8")
    result = compile_file(path, _paths(work))
    assert result.ok, result.one_line()
    return result.output


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_each_wrong_store_provably_violates_the_restated_properties(compiled, name):
    store, theorems = VIOLATIONS[name]
    lines = [f"From Spec Require Import model.\nFrom Wrong Require Import lww {name}."]
    for prop, theorem in theorems.items():
        # The statement is written here, from the spec's own words, so the file cannot prove
        # something weaker under the same name: the negation of the spec's safety theorem.
        lines.append(f"Goal ~ (forall n s, 1 <= n -> {_reachable(store)} n s -> {prop} n (hist s)).\n"
                     f"Proof. exact {theorem}. Qed.")
        lines.append(f"Print Assumptions {theorem}.")
    output = _check(compiled, name, "\n".join(lines) + "\n")
    assert output.count("Closed under the global context") == len(theorems), output


def test_a_store_that_blocks_every_update_violates_liveness(compiled):
    output = _check(compiled, "blocked", f"""From Spec Require Import model.
From Wrong Require Import lww blocked.
Goal ~ (forall n s s', 1 <= n -> {_reachable("Blocked")} n s ->
  deliveries (Blocked.deliverable nat) (Blocked.deliver nat) s s' -> stuck (Blocked.deliverable nat) s' ->
  net s' = []).
Proof. exact blocked_violates_no_stuck_delivery. Qed.
Print Assumptions blocked_violates_no_stuck_delivery.
""")
    assert "Closed under the global context" in output


def test_the_three_replica_store_is_right_with_three_and_caught_with_four(compiled):
    # The first model fixed three replicas, so it could not tell this store apart.
    _check(compiled, "three", """From Spec Require Import model.
From Wrong Require Import lww three_only.
Goal run_schedule (ThreeOnly.init nat) (ThreeOnly.put nat) (ThreeOnly.get nat) (ThreeOnly.deliverable nat)
  (ThreeOnly.deliver nat) 3 [Put 2 1 7; DeliverAll; Get 0 1; Get 1 1; Get 2 1] = [Some 7; Some 7; Some 7].
Proof. vm_compute. reflexivity. Qed.
Goal run_schedule (ThreeOnly.init nat) (ThreeOnly.put nat) (ThreeOnly.get nat) (ThreeOnly.deliverable nat)
  (ThreeOnly.deliver nat) 4 [Put 3 1 7; DeliverAll; Get 0 1] = [None].
Proof. vm_compute. reflexivity. Qed.
""")


def test_the_properties_are_satisfiable_where_the_wrong_stores_fail(compiled):
    # Against an unsatisfiable property every negative proof would be empty: the correct LWW
    # store's history on the flip-flop schedule satisfies all seven, and its liveness holds for
    # every n, proved.
    output = _check(compiled, "examples", f"""From Spec Require Import model.
From Wrong Require Import lww flip_flop lww_examples.
Goal forall h, h = run_history (LWW.init nat) (LWW.put nat) (LWW.get nat) (LWW.deliverable nat)
    (LWW.deliver nat) 3 schedule ->
  ryw 3 h /\\ monotonic_reads 3 h /\\ monotonic_writes 3 h /\\ writes_follow_reads 3 h /\\ causal 3 h /\\
  convergence 3 h /\\ pram 3 h.
Proof. intros h ->. rewrite lww_run_eq. exact hL_all_seven. Qed.
Print Assumptions hL_all_seven.
Goal forall n s s', 1 <= n -> {_reachable("LWW")} n s ->
  deliveries (LWW.deliverable nat) (LWW.deliver nat) s s' -> stuck (LWW.deliverable nat) s' -> net s' = [].
Proof. exact lww_no_stuck_delivery. Qed.
Print Assumptions lww_no_stuck_delivery.
""")
    assert output.count("Closed under the global context") == 2, output


# --- witnesses of the restated drafts: a correct store passes, each wrong store is refuted ---

def _witnesses(name: str):
    return load_spec(DRAFTS / name).manifest.witness


def test_the_correct_lww_store_passes_every_draft_witness(compiled):
    goals = []
    for name in NAMES:
        for w in _witnesses(name):
            goals.append(f"(* {name}/{w.name} *)\nGoal ({w.expr}) = ({w.expect}).\nProof. vm_compute. reflexivity. Qed.")
    _check(compiled, "lww_witnesses",
           "From Spec Require Import model.\nFrom Wrong Require Import lww.\nModule M := LWW.\n" + "\n".join(goals) + "\n")


#: wrong store file -> (module, [(draft spec, the witness that refutes the store there)])
REFUTED = {
    "flip_flop": ("FlipFlop", [(n, "flip_flop_same_answer") for n in NAMES]),
    "three_only": ("ThreeOnly", [(n, "four_replicas") for n in NAMES]),
    "forget": ("Forget", [(n, "forget_not_none_after_some") for n in ["monotonic_reads", "causal", "pram"]]),
    "fifo_only": ("FifoOnly", [("monotonic_reads", "fifo_cross_origin_mr"), ("ryw", "fifo_cross_origin_ryw"),
                               ("causal", "fifo_cross_origin_mr"), ("causal", "fifo_cross_origin_ryw")]),
    "arrival_order": ("ArrivalOrder", [(n, "session_order_kept") for n in ["monotonic_reads", "causal", "pram"]]),
    "own_first": ("OwnFirst", [("convergence", "replicas_agree")]),
    "blocked": ("Blocked", [(n, "deliver_all_then_read") for n in NAMES]),
}


@pytest.mark.parametrize("name", sorted(REFUTED))
def test_each_wrong_store_is_refuted_by_a_draft_witness(compiled, name):
    store, cases = REFUTED[name]
    goals = []
    for spec, witness in cases:
        (w,) = [w for w in _witnesses(spec) if w.name == witness]
        goals.append(f"(* {spec}/{witness} *)\nGoal ({w.expr}) <> ({w.expect}).\n"
                     "Proof. vm_compute. discriminate. Qed.")
    _check(compiled, f"{name}_refuted", f"From Spec Require Import model.\nFrom Wrong Require Import lww {name}.\n"
           f"Module M := {store}.\n" + "\n".join(goals) + "\n")


# --- the audit: a wrong store is rejected even with its theorems smuggled in -----------------

def _solution_with_admitted_proofs(store_file: str, store: str, correctness: str, theorems: str) -> str:
    """The wrong store, pasted after its building blocks, with a proofs module that only
    admits the theorems (nothing can prove them: the negative proofs above)."""
    lww = (WRONG / "lww.v").read_text(encoding="utf-8").replace("From Spec Require Import model.",
                                                                  "From Spec Require Import model spec.")
    text = (WRONG / f"{store_file}.v").read_text(encoding="utf-8")
    module = text[text.index(f"Module {store} <: KV_SIG."):text.index(f"End {store}.") + len(f"End {store}.")]
    prelude = text[text.index("From Coq Require Import"):text.index(f"Module {store} <: KV_SIG.")]
    prelude = prelude.split("\n", 1)[1]  # helper definitions the store uses (e.g. newer_own)
    return f"{lww}\n{prelude}\n{module}\n\nModule {store}Proofs <: {correctness} {store}.\n{theorems}\nEnd {store}Proofs.\n"


def _admitted(store: str, prop: str) -> str:
    return (f"  Lemma {prop}_holds : forall n s, 1 <= n -> {_reachable(store)} n s -> {prop} n (hist s).\n"
            "  Admitted.\n"
            f"  Lemma no_stuck_delivery : forall n s s', 1 <= n -> {_reachable(store)} n s ->\n"
            f"    deliveries ({store}.deliverable nat) ({store}.deliver nat) s s' -> stuck ({store}.deliverable nat) s' ->\n"
            "    net s' = [].\n  Admitted.")


@pytest.mark.slow
@pytest.mark.parametrize("store_file, store, spec, correctness", [
    ("flip_flop", "FlipFlop", "causal", "CAUSAL_CORRECT"),
    ("three_only", "ThreeOnly", "convergence", "CONVERGENCE_CORRECT"),
    ("fifo_only", "FifoOnly", "ryw", "RYW_CORRECT"),
])
def test_the_audit_rejects_a_wrong_store_by_a_refuted_witness(tmp_path, store_file, store, spec, correctness):
    solution = tmp_path / "solution.v"
    solution.write_text(_solution_with_admitted_proofs(store_file, store, correctness, _admitted(store, spec)),
                        encoding="utf-8")
    # The building blocks hold a second KV_SIG module (LWW): name the implementation.
    verdict = audit_solution(load_spec(DRAFTS / spec), solution, impl=store, proofs=f"{store}Proofs")
    assert not verdict.accepted
    kinds = {f.kind for f in verdict.findings}
    assert FindingKind.COMPILE_ERROR not in kinds, verdict.findings
    # Not only the admitted proofs: a witness of the spec refutes the store itself.
    assert FindingKind.VACUITY in kinds, verdict.findings
    assert any(w.outcome == "refuted" for w in verdict.witnesses)
