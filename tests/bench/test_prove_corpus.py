"""The corpora `idsynth prove` is evaluated on: our own exercises and admitted stdlib files.

`bench/` is not a package: its `prove_corpus` module is imported with `bench/` put on
`sys.path`. The slow tests run the real `coqc`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from idsynth.rocq import Document, split_sentences

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import prove_corpus  # noqa: E402

from prove_corpus import (  # noqa: E402
    DEFAULT_STDLIB, PROVER_IMPORTS, admit_proofs, build_stdlib_corpus, compile_corpus_file, qed_proofs,
    sample_holes,
)

PROVE = ROOT / "tests" / "data" / "prove"
_HELPER = "(* helper *)"


def _coqc(path: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["coqc", path.name], cwd=path.parent, capture_output=True, text=True, timeout=timeout)


def _compiled_copy(name: str, tmp_path: Path) -> subprocess.CompletedProcess:
    copy = tmp_path / name
    copy.write_text((PROVE / name).read_text(encoding="utf-8"), encoding="utf-8")
    return _coqc(copy)


def _statements(source: str, *, skip_helpers: bool = False) -> dict[str, str]:
    """Lemma name -> statement sentence, for the items that hold a proof (or a hole)."""
    doc = Document.from_source(source)
    return {
        item.name: item.statement for item in doc.items
        if item.has_proof and not (skip_helpers and _HELPER in item.leading)
    }


def _holes(source: str) -> list[str]:
    return [item.name for item in Document.from_source(source).items if item.is_hole]


# ---------- own corpus: exercises ----------

@pytest.mark.unit
def test_exercises_have_at_least_forty_holes_and_nothing_proved():
    source = (PROVE / "exercises.v").read_text(encoding="utf-8")
    doc = Document.from_source(source)
    proofs = [item for item in doc.items if item.has_proof]
    assert len(_holes(source)) >= 40
    assert all(item.is_hole for item in proofs)


@pytest.mark.unit
def test_solved_exercises_state_exactly_the_exercises():
    exercises = _statements((PROVE / "exercises.v").read_text(encoding="utf-8"))
    solved_source = (PROVE / "exercises_solved.v").read_text(encoding="utf-8")
    solved = _statements(solved_source, skip_helpers=True)
    assert solved == exercises
    # Helpers are extra lemmas only; every non-helper proof is closed by Qed.
    helpers = set(_statements(solved_source)) - set(solved)
    assert len(helpers) >= 3
    assert not _holes(solved_source)


@pytest.mark.unit
def test_solved_exercises_keep_the_definitions_of_the_exercises():
    def non_proofs(source: str) -> list[str]:
        return [it.text for it in Document.from_source(source).items if not it.has_proof]

    assert non_proofs((PROVE / "exercises_solved.v").read_text(encoding="utf-8")) == \
        non_proofs((PROVE / "exercises.v").read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["exercises.v", "exercises_solved.v", "false_lemma.v", "needs_helper.v"])
def test_prove_fixture_compiles(name, tmp_path):
    result = _compiled_copy(name, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_solved_exercises_use_no_axioms(tmp_path):
    """Every exercise is proved, not assumed: `Print Assumptions` of each is closed."""
    solved = (PROVE / "exercises_solved.v").read_text(encoding="utf-8")
    names = list(_statements(solved, skip_helpers=True))
    copy = tmp_path / "exercises_solved.v"
    copy.write_text(solved + "\n" + "\n".join(f"Print Assumptions {n}." for n in names) + "\n", encoding="utf-8")
    result = _coqc(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("Closed under the global context") == len(names), result.stdout[-2000:]


# ---------- stdlib corpus builder: pure parts ----------

@pytest.mark.unit
def test_admit_proofs_keeps_statements_proof_using_and_defined_proofs():
    source = (
        "Section S.\nVariable A : Type.\n"
        "Lemma a : forall x : A, x = x.\nProof using A.\n  reflexivity.\nQed.\n"
        "Definition d : nat.\nProof. exact 0. Defined.\n"
        "Theorem t (n : nat) :\n  n = n.\nProof.\n  (* . *) reflexivity.\nQed.\n"
        "End S.\n"
    )
    text, holes = admit_proofs(source)
    assert [h.name for h in holes] == ["a", "t"]
    assert "Lemma a : forall x : A, x = x.\nProof using A.\nAdmitted." in text
    assert "Definition d : nat.\nProof. exact 0. Defined." in text
    assert "Theorem t (n : nat) :\n  n = n.\nProof.\nAdmitted." in text
    assert [h.statement for h in holes] == ["Lemma a : forall x : A, x = x.", "Theorem t (n : nat) :\n  n = n."]
    lines = text.splitlines()
    assert [lines[h.line - 1] for h in holes] == ["Lemma a : forall x : A, x = x.", "Theorem t (n : nat) :"]


@pytest.mark.unit
def test_admit_proofs_finds_proofs_document_groups_badly():
    # `Proof (term).` closes a proof with no closer; `Let ... Qed` has no `Proof.` and is kept.
    source = (
        "Theorem k : True.\nProof (I).\n\n"
        "Require Import Bool.\n"
        "Lemma l : True.\nProof. exact I. Qed.\n"
        "Module M.\nLemma m : True.\n  exact I.\nQed.\nEnd M.\n"
        "Section S.\nLet x : True.\n  exact I.\nQed.\nEnd S.\n"
    )
    text, holes = admit_proofs(source)
    assert [h.name for h in holes] == ["l", "M.m"]
    assert "Proof (I).\n\nRequire Import Bool.\nLemma l : True.\nProof.\nAdmitted." in text
    assert "Lemma m : True.\nProof.\nAdmitted.\nEnd M." in text
    assert "Let x : True.\n  exact I.\nQed." in text
    assert [p.keyword for p in qed_proofs(source)] == ["Lemma", "Lemma", "Let"]


def test_sample_holes_is_deterministic_and_order_independent(tmp_path):
    files = build_stdlib_corpus(tmp_path / "c", DEFAULT_STDLIB, check_contamination=False)
    total = sum(len(f.holes) for f in files)
    first = sample_holes(files, 20, seed=7)
    again = sample_holes(list(reversed(files)), 20, seed=7)
    assert [(f.source, h.name) for f, h in first] == [(f.source, h.name) for f, h in again]
    assert len({(f.source, h.name) for f, h in first}) == 20
    assert sample_holes(files, 20, seed=8) != first
    assert len(sample_holes(files, total + 5, seed=0)) == total


def test_default_selection_size():
    assert 60 <= sum(len(admit_proofs((prove_corpus.stdlib_theories() / s).read_text())[1])
                     for s in DEFAULT_STDLIB) <= 120


# ---------- stdlib corpus builder: against coqc ----------

@pytest.fixture(scope="module")
def default_corpus(tmp_path_factory):
    return build_stdlib_corpus(tmp_path_factory.mktemp("corpus"), DEFAULT_STDLIB)


@pytest.mark.slow
def test_default_corpus_compiles_quickly(default_corpus):
    for corpus_file in default_corpus:
        result = compile_corpus_file(corpus_file, timeout=120)
        assert result.ok, f"{corpus_file.source}: {result.output[-800:]}"
        assert result.seconds < 30
        assert corpus_file.path.with_suffix(".vo").is_file()


@pytest.mark.slow
def test_default_corpus_holes_are_the_original_qed_proofs(default_corpus):
    for corpus_file in default_corpus:
        original = corpus_file.original.read_text(encoding="utf-8")
        copy = corpus_file.path.read_text(encoding="utf-8")
        qeds = [s for s in split_sentences(original) if re.fullmatch(r"Qed\s*\.", s.text)]
        assert len(corpus_file.holes) == len(qeds), corpus_file.source
        # Each hole's statement is the original's, byte for byte, and it is a hole in the copy.
        originals = {p.name: p.statement for p in qed_proofs(original)}
        assert {h.name: h.statement for h in corpus_file.holes} == originals
        assert set(_holes(copy)) == set(corpus_file.hole_names), corpus_file.source
        assert "Qed." not in {s.text for s in split_sentences(copy)}
        # Nothing but proof bodies changed: the non-proof items are identical.
        keep = [it.text for it in Document.from_source(original).items if not it.has_proof]
        assert keep == [it.text for it in Document.from_source(copy).items if not it.has_proof]
        assert corpus_file.logical_name == "Corpus." + corpus_file.source[:-2].replace("/", ".")


@pytest.mark.slow
def test_default_corpus_is_not_contaminated(default_corpus):
    assert all(f.contaminated_by == [] for f in default_corpus)


@pytest.mark.slow
def test_contamination_is_reported(tmp_path):
    """Lia loads Coq.Lists.List and Coq.Arith.*: such files are reported contaminated."""
    files = build_stdlib_corpus(tmp_path / "c", ["Arith/Between.v", "Sorting/Sorted.v"])
    between, sorted_ = files
    assert "From Coq Require Import Arith Lia List." in between.contaminated_by
    assert "From Hammer Require Import Tactics." in between.contaminated_by
    assert sorted_.contaminated_by == []
    assert "Coq.Lists.List" in prove_corpus.loaded_modules(["From Coq Require Import Lia."])
    assert "Coq.Sorting.Sorted" not in prove_corpus.loaded_modules(PROVER_IMPORTS)
