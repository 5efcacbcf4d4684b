"""The grader: per-item verdicts, holes with their goals, the first failure, incrementality."""

from __future__ import annotations

import os
import signal
import time

import pytest

from idsynth.rocq import Document, Grader, Session, SessionConfig, split_sentences
from idsynth.rocq.types import ItemStatus

from .processes import dead, wait_until


def grade(source: str, **config) -> "object":
    with Session(SessionConfig(**config)) as s:
        return Grader(s).grade(Document.from_source(source))


def test_three_admitted_lemmas_are_exactly_the_three_holes(data_dir):
    verdict = grade((data_dir / "three_holes.v").read_text())
    assert [h.item for h in verdict.holes] == ["double_plus", "double_even", "sum_to_formula"]
    assert verdict.first_failure is None
    by_name = {h.item: h for h in verdict.holes}
    plus = by_name["double_plus"].proof_state.goals[0]
    assert plus.conclusion == "n + m + (n + m) = n + n + (m + m)"
    assert [h.names for h in plus.hypotheses] == [["n", "m"]]
    assert by_name["double_even"].proof_state.goals[0].conclusion.startswith("forall n : nat, exists k")
    formula = by_name["sum_to_formula"].proof_state
    assert len(formula.goals) == 1 and formula.goals[0].conclusion == "S (p + sum_to p + S (p + sum_to p + 0)) = S (p + 1 + p * S (p + 1))"
    assert [h.names for h in formula.goals[0].hypotheses] == [["p"], ["IH"]]
    assert by_name["double_even"].statement.startswith("Lemma double_even")


def test_the_failing_40th_sentence_is_located_with_its_goals(data_dir):
    source = (data_dir / "fails_at_40.v").read_text()
    fortieth = split_sentences(source)[39]
    verdict = grade(source)
    failure = verdict.first_failure
    assert failure is not None
    assert failure.sentence == fortieth.text
    line = source.count("\n", 0, fortieth.start) + 1
    assert failure.location.line == line == 41
    # The error names the unknown lemma, which starts 8 characters into the sentence.
    assert source[failure.location.start:failure.location.end] == "le_n_S_does_not_exist"
    assert failure.location.column == 3 + len("apply ")
    goal = failure.proof_state_before.goals[0]
    assert goal.conclusion == "S x <= S y"
    assert [h.names for h in goal.hypotheses] == [["x", "y"], ["H"]]
    statuses = [i.status for i in verdict.items]
    assert statuses[-2:] == [ItemStatus.FAILED, ItemStatus.NOT_REACHED]
    assert all(s is ItemStatus.CHECKED for s in statuses[:-2])


def test_non_ascii_text_before_an_error_gives_character_columns(data_dir):
    source = (data_dir / "unicode_error.v").read_text()
    verdict = grade(source)
    loc = verdict.first_failure.location
    assert loc.line == 6
    expected_col = source.splitlines()[5].index("plus_n_Ox") + 1
    assert len(source.splitlines()[5][:expected_col].encode()) > expected_col  # bytes != chars
    assert loc.column == expected_col
    assert source[loc.start:loc.end] == "plus_n_Ox"


def test_an_endless_vm_compute_times_out_and_the_next_lemma_is_checked(data_dir):
    source = (data_dir / "bounded.v").read_text()
    started = time.monotonic()
    verdict = grade(source, sentence_timeout=3, grace=1)
    assert time.monotonic() - started < 3 + 5 + 5  # bound + 5 s, plus start-up
    failure = verdict.first_failure
    assert failure.timeout and failure.item == "runs_forever"
    assert failure.sentence == "vm_compute."


def test_after_a_timeout_the_session_still_checks_the_next_lemma(data_dir):
    source = (data_dir / "bounded.v").read_text()
    with Session(SessionConfig(sentence_timeout=3, grace=1)) as s:
        grader = Grader(s)
        doc = Document.from_source(source)
        assert grader.grade(doc).first_failure.timeout
        fixed = doc.replace(1, "Lemma runs_forever : True.\nProof. exact I. Qed.")
        verdict = grader.grade(fixed)
        assert verdict.first_failure is None
        assert [i.status for i in verdict.items] == [ItemStatus.CHECKED] * 3


def test_a_stack_overflow_is_reported_as_an_error(data_dir):
    verdict = grade((data_dir / "stack_overflow.v").read_text(), sentence_timeout=30)
    failure = verdict.first_failure
    assert failure.item == "overflows" and not failure.timeout
    assert "Stack overflow" in failure.message


def test_regrading_rechecks_only_the_changed_suffix(data_dir):
    source = (data_dir / "three_holes.v").read_text()
    with Session() as s:
        grader = Grader(s)
        doc = Document.from_source(source)
        first = grader.grade(doc)
        total = sum(len(i.sentences) for i in doc.items)
        assert first.sentences_checked == total
        last = len(doc.items) - 1
        proved = doc.replace(last, doc.items[last].text.replace("Admitted.", "Abort."))
        second = grader.grade(proved)
        assert second.sentences_checked == len(doc.items[last].sentences)
        assert grader.grade(proved).sentences_checked == 0


def test_a_kill_between_two_grades_gives_the_same_verdict(data_dir):
    source = (data_dir / "fails_at_40.v").read_text()
    doc = Document.from_source(source)
    with Session() as s:
        grader = Grader(s)
        before = grader.grade(doc)
        pid = s.pid
        os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: dead(pid))
        after = grader.grade(doc)
    assert after == before.model_copy(update={"sentences_checked": after.sentences_checked})
    with Session() as fresh:
        assert Grader(fresh).grade(doc).model_dump(exclude={"sentences_checked"}) == after.model_dump(
            exclude={"sentences_checked"})


def test_a_proof_left_open_at_the_end_is_a_failure():
    verdict = grade("Lemma open : True.\nProof.\n")
    assert verdict.first_failure is not None
    assert "not finished" in verdict.first_failure.message


def test_an_unterminated_sentence_is_a_failure_at_its_location():
    verdict = grade("Definition a := 1.\nDefinition b := a")
    assert verdict.first_failure.message.startswith("incomplete sentence")
    assert verdict.first_failure.location.line == 2
