"""The `auto` policy's proof search and decomposer, against the real Rocq checker.

Every script the search returns is checked again here, independently: in a fresh
session, or by `coqc` on a standalone file with the import the search said it needs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from idsynth.agent.auto.decompose import propose_decomposition
from idsynth.agent.auto.prover import Found, ProofSearch, boolean_tests, find_for_statement, parse_print
from idsynth.agent.moves import validate_and_apply
from idsynth.agent.types import Decompose, Prove
from idsynth.rocq import Document, Grader, Session, SessionConfig, SentenceOk
from idsynth.rocq.tools import compile_file

IMPORTS = "From Coq Require Import List Arith Lia.\nImport ListNotations.\n"
DEFS = """
Fixpoint double_all (l : list nat) : list nat :=
  match l with [] => [] | x :: r => 2 * x :: double_all r end.
Fixpoint sum (l : list nat) : nat := match l with [] => 0 | x :: r => x + sum r end.
Definition max' (x y : nat) : nat := if x <? y then y else x.
Inductive ev : nat -> Prop := ev0 : ev 0 | evSS n : ev n -> ev (S (S n)).
Fixpoint rev_acc (l acc : list nat) : list nat :=
  match l with [] => acc | x :: r => rev_acc r (x :: acc) end.
"""
PRELUDE = IMPORTS + DEFS
HAMMER_TOOLS = Path("/usr/libexec/coq-hammer")


@pytest.fixture(scope="module")
def search():
    with ProofSearch(SessionConfig(), attempt_timeout=5.0) as s:
        yield s


def compiles_standalone(tmp_path: Path, statement: str, found: Found, imports: str = IMPORTS,
                        defs: str = DEFS) -> bool:
    """`coqc` on imports + the import the search asked for + definitions + the proof."""
    source = f"{imports}{found.needs_import or ''}\n{defs}\n{statement}\nProof.\n  {found.script}\nQed.\n"
    path = tmp_path / "Standalone.v"
    path.write_text(source)
    result = compile_file(path, [], timeout=120)
    assert result.ok, result.output
    return True


def test_arithmetic_goals_close_with_lia(search):
    for statement in ("forall a b : nat, a + b = b + a", "forall x y : nat, x < y -> S x <= y",
                      "forall n m : nat, n <= m -> 2 * n <= n + m"):
        found = find_for_statement(PRELUDE, statement, search=search, budget_s=20)
        assert found is not None, statement
        assert (found.strategy, found.script, found.needs_import) == ("lia", "lia.", None)
        assert found.attempts == 2  # `reflexivity` failed first
        assert found.seconds < 10


def test_a_list_lemma_closes_by_induction(search, tmp_path):
    statement = "Lemma sum_double : forall l, sum (double_all l) = 2 * sum l."
    found = find_for_statement(PRELUDE, statement, search=search, budget_s=30)
    assert found is not None
    assert "induction l" in found.strategy
    # the `solve [...]` alternatives were reduced to the one closer that works
    assert "solve" not in found.script
    assert compiles_standalone(tmp_path, statement, found)


def test_a_boolean_test_is_split_with_its_equation(search, tmp_path):
    statement = "Lemma max_ge : forall x y, x <= max' x y."
    found = find_for_statement(PRELUDE, statement, search=search, budget_s=30)
    assert found is not None
    assert "unfold max' in *" in found.script
    assert "destruct (x <? y) eqn:E" in found.script
    assert found.strategy.startswith("intros; unfold max' in *; destruct (x <? y) eqn:E")
    assert compiles_standalone(tmp_path, statement, found)


def test_an_inversion_lemma_needs_sauto_and_says_which_import(search, tmp_path):
    statement = "Lemma ev_inv : forall n, ev (S (S n)) -> ev n."
    found = find_for_statement(PRELUDE, statement, search=search, budget_s=40)
    assert found is not None
    assert found.strategy in ("sauto", "hauto")
    assert found.needs_import == "From Hammer Require Import Tactics."
    assert compiles_standalone(tmp_path, statement, found)


def test_a_missing_lia_import_is_reported_and_suffices(tmp_path):
    statement = "Lemma succ_le : forall a b : nat, a < b -> a + 1 <= b."
    with ProofSearch(SessionConfig(), attempt_timeout=5.0, hammer=False) as s:
        found = find_for_statement("", statement, search=s, budget_s=30)
    assert found is not None and found.strategy == "lia"
    # tried with every missing import (Arith, Lia, List, CoqHammer), then re-checked with
    # only the one the script mentions
    assert found.needs_import == "From Coq Require Import Lia."
    assert compiles_standalone(tmp_path, statement, found, imports="", defs="")


def test_a_false_lemma_is_not_closed_within_its_budget(search):
    started = time.monotonic()
    found = find_for_statement(PRELUDE, "forall n, n + 1 = n", search=search, budget_s=15)
    assert found is None
    config = SessionConfig()
    assert time.monotonic() - started < 15 + 1 + config.grace


SKELETON = f"""{IMPORTS}
Module Impl.
  Definition add3 (n : nat) : nat := n + 3.
  Fixpoint count (x : nat) (l : list nat) : nat :=
    match l with [] => 0 | y :: r => if x =? y then S (count x r) else count x r end.
End Impl.

Module ImplProofs.
  Import Impl.
  Lemma add3_gt : forall n, n < add3 n.
  Admitted.
  Lemma count_le : forall x l, count x l <= length l.
  Admitted.
  Lemma later : forall l : list nat, length (l ++ l) = 2 * length l.
  Proof. intros; rewrite app_length; lia. Qed.
End ImplProofs.
"""


def test_holes_inside_a_module_close_and_the_proof_checks_in_the_whole_document(search):
    doc = Document.from_source(SKELETON)
    holes = [i for i, item in enumerate(doc.items) if item.is_hole]
    assert [doc.items[i].name for i in holes] == ["ImplProofs.add3_gt", "ImplProofs.count_le"]
    for i in holes:
        found = search.find(doc, i, budget_s=30)
        assert found is not None, doc.items[i].name
        doc = validate_and_apply(Prove(hole=doc.items[i].name, script=found.script), doc, {}, set())
    assert "unfold add3" in search.find(Document.from_source(SKELETON), holes[0]).script  # cached
    with Session(SessionConfig()) as session:
        verdict = Grader(session).grade(doc)
    assert verdict.closed, verdict.first_failure


def test_term_helpers_read_what_rocq_prints():
    tests = boolean_tests("x <= (if x + 1 <? y * 2 then y else (if a =? b then 0 else c <=? d))")
    assert [(t[1], t[2], t[3]) for t in tests] == [("<?", "x + 1", "y * 2"), ("=?", "a", "b"),
                                                   ("<=?", "c", "d")]
    with Session(SessionConfig()) as session:
        session.add("From Coq Require Import List.")
        printed = session.query("Print fold_left.")
        assert isinstance(printed, SentenceOk)
    kind, info = parse_print("fold_left", "\n".join(printed.messages))
    assert kind == "fixpoint"
    assert info is not None and info.params == ["f", "l", "a0"] and info.struct == 1


@pytest.mark.slow
def test_an_accumulator_lemma_needs_a_helper_and_the_decomposition_closes(search, tmp_path):
    doc = Document.from_source(f"{PRELUDE}\nLemma rev_acc_rev : forall l, rev_acc l [] = rev l.\nAdmitted.\n")
    hole = len(doc.items) - 1
    assert search.find(doc, hole, budget_s=12) is None

    started = time.monotonic()
    proposal = propose_decomposition(doc, hole, search, budget_s=60)
    assert proposal is not None
    helpers, script = proposal
    assert time.monotonic() - started < 20
    assert [h.statement for h in helpers] == ["forall l acc : list nat, rev_acc l acc = rev l ++ acc"]
    assert "rewrite rev_acc_gen" in script

    # Apply it as the engine does, then prove each helper hole (found again: cached).
    doc = validate_and_apply(Decompose(hole="rev_acc_rev", helpers=helpers, script=script), doc, {}, set())
    for helper in helpers:
        i = doc.index_of(helper.name)
        found = search.find(doc, i, budget_s=30)
        assert found is not None and found.needs_import is None
        assert "induction l" in found.strategy
        doc = validate_and_apply(Prove(hole=helper.name, script=found.script), doc, {}, set())
    source = doc.render()
    assert "Admitted" not in source
    path = tmp_path / "RevAcc.v"
    path.write_text(source)
    assert compile_file(path, [], timeout=120).ok


@pytest.mark.slow
def test_hammer_returns_its_checked_reconstruction_not_itself(monkeypatch, tmp_path):
    # Debian installs CoqHammer's `htimeout` outside PATH; coqtop inherits ours.
    monkeypatch.setenv("PATH", f"{HAMMER_TOOLS}{os.pathsep}{os.environ['PATH']}")
    statement = "Lemma in_rev_in : forall (l : list nat) x, In x (rev l) -> In x l."
    # Short attempts: the `sauto` variants that fail first then cost ~2 s each, and
    # `hammer` (20-60 s, mostly feature extraction, longer on a loaded machine) gets the rest.
    with ProofSearch(SessionConfig(), attempt_timeout=2.0) as s:
        found = find_for_statement(PRELUDE, statement, search=s, budget_s=120)
    assert found is not None
    assert found.strategy == "hammer"
    assert "hammer" not in found.script and "in_rev" in found.script
    assert found.needs_import == "From Hammer Require Import Tactics."
    assert compiles_standalone(tmp_path, statement, found)
