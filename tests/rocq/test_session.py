"""The live session: typed results, bounds on every wait, survival of crashes."""

from __future__ import annotations

import os
import signal
import time

import pytest

from idsynth.rocq import Session, SessionConfig, SentenceError, SentenceOk, SentenceTimeout

from .processes import dead, sigint_delivered, wait_until


@pytest.fixture
def session():
    with Session(SessionConfig(sentence_timeout=5, grace=1)) as s:
        yield s


def test_accepted_sentences_join_the_committed_prefix(session):
    assert isinstance(session.add("Definition x := 1."), SentenceOk)
    assert isinstance(session.add("Definition y := x + 1."), SentenceOk)
    assert len(session) == 2


def test_a_rejected_sentence_is_a_value_with_a_character_range(session):
    result = session.add("Check (é + undefined_thing).")
    assert isinstance(result, SentenceError)
    assert "undefined_thing" not in result.message or "was not found" in result.message
    # `é` is two UTF-8 bytes; the range is in characters of the sentence text.
    text = "Check (é + undefined_thing)."
    assert result.span is not None
    a, b = result.span
    assert text[a:b] in ("é", "undefined_thing")
    assert len(session) == 0


def test_goals_are_typed_with_hypotheses_and_unfocused_goals(session):
    session.add("Lemma l : forall n m : nat, n = n /\\ m = m.")
    session.add("Proof.")
    session.add("intros n m.")
    session.add("split.")
    state = session.add("-").proof_state
    assert state is not None
    [goal] = state.goals
    assert goal.hypotheses[0].names == ["n", "m"]
    assert goal.hypotheses[0].type == "nat"
    assert goal.conclusion == "n = n"
    assert [g.conclusion for g in state.unfocused] == ["m = m"]


def test_let_bound_hypotheses_and_shelved_goals(session):
    session.add("Goal forall (x : nat), let y := 3 in exists k, k = x + y.")
    session.add("intros x y.")
    state = session.add("eexists.").proof_state
    assert state is not None and state.shelved == 1
    hyp_y = [h for h in state.goals[0].hypotheses if h.names == ["y"]][0]
    assert hyp_y.body == "3" and hyp_y.type == "nat"


def test_proof_state_is_fetched_when_coqtop_printed_none(session):
    session.add("Lemma t : True.")
    session.add("Proof.")  # coqtop prints no goals after `Proof.`
    state = session.proof_state()
    assert state is not None and state.goals[0].conclusion == "True"


def test_cancel_goes_back_to_an_earlier_state(session):
    session.add("Definition a := 1.")
    session.add("Definition b := 2.")
    session.cancel_to(1)
    assert len(session) == 1
    assert isinstance(session.add("Definition b := 3."), SentenceOk)
    out = session.query("Print b.")
    assert isinstance(out, SentenceOk) and "3" in " ".join(out.messages)


def test_queries_leave_the_environment_unchanged(session):
    session.add("Definition a := 1.")
    result = session.query("Print Assumptions a.")
    assert isinstance(result, SentenceOk)
    assert result.messages[-1] == "Closed under the global context"
    session.query("Definition sneaky := 2.")
    assert isinstance(session.add("Check sneaky."), SentenceError)


def test_an_endless_computation_is_a_timeout_and_the_session_stays_usable():
    with Session(SessionConfig(sentence_timeout=2, grace=1)) as s:
        s.add("Require Import PArith.")
        s.add("Goal Pos.iter (fun n : nat => n) 0 1000000000000%positive = 0.")
        started = time.monotonic()
        result = s.add("vm_compute.")
        elapsed = time.monotonic() - started
        assert isinstance(result, SentenceTimeout)
        # The bound is the behaviour under test (every wait has one), so this real-checker
        # test keeps a wall-clock assertion; it is not a unit test.
        assert elapsed < 2 + 5
        assert isinstance(s.add("Abort."), SentenceOk)
        assert isinstance(s.add("Definition after := 1."), SentenceOk)


def test_a_stack_overflow_is_an_error_not_a_crash():
    with Session(SessionConfig(sentence_timeout=30, grace=2)) as s:
        s.add("Ltac loop := idtac; loop.")
        s.add("Goal True.")
        result = s.add("loop.")
        assert isinstance(result, SentenceError)
        assert "Stack overflow" in result.message
        assert isinstance(s.add("exact I."), SentenceOk)


def test_sigint_backstop_bounds_a_sentence_when_rocq_timeout_is_off():
    with Session(SessionConfig(sentence_timeout=2, grace=1, rocq_timeout=False)) as s:
        s.add("Require Import PArith.")
        s.add("Goal Pos.iter (fun n : nat => n) 0 1000000000000%positive = 0.")
        started = time.monotonic()
        result = s.add("vm_compute.")
        elapsed = time.monotonic() - started
        assert isinstance(result, SentenceTimeout) and result.how == "interrupt"
        # The bound is the behaviour under test (every wait has one), so this real-checker
        # test keeps a wall-clock assertion; it is not a unit test.
        assert elapsed < 2 + 5
        assert isinstance(s.add("idtac."), SentenceOk)
        state = s.proof_state()  # still in the same proof, goal intact
        assert state is not None and state.goals[0].conclusion.startswith("Pos.iter")
        assert isinstance(s.add("Abort."), SentenceOk)
        assert isinstance(s.add("Definition after := 1."), SentenceOk)


def test_kill_backstop_restarts_an_unresponsive_coqtop():
    with Session(SessionConfig(sentence_timeout=1, grace=1)) as s:
        s.add("Definition kept := 1.")
        os.kill(s.pid, signal.SIGSTOP)  # a checker that answers nothing, not even SIGINT
        started = time.monotonic()
        result = s.add("Definition lost := 2.")
        assert isinstance(result, SentenceTimeout) and result.how == "killed"
        assert time.monotonic() - started < 1 + 5  # the kill backstop's bound is what is tested
        assert isinstance(s.add("Check kept."), SentenceOk)
        assert len(s) == 2


def test_a_late_interrupt_is_absorbed_and_the_reader_resynchronises(session):
    session.add("Definition a := 1.")
    # A SIGINT that arrives while coqtop is idle interrupts whatever comes next.
    os.kill(session.pid, signal.SIGINT)
    assert wait_until(lambda: sigint_delivered(session.pid))
    session._resync(session._live.current_state)  # what the session does after SIGINT
    assert isinstance(session.add("Definition b := a."), SentenceOk)
    assert len(session) == 2


def test_a_killed_coqtop_is_restarted_and_the_prefix_replayed(session):
    session.add("Definition a := 41.")
    session.add("Lemma l : a + 1 = 42.")
    session.add("Proof.")
    pid = session.pid
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: dead(pid))
    assert isinstance(session.add("reflexivity."), SentenceOk)
    assert session.pid != pid
    assert session.stats.restarts == 1
    assert isinstance(session.add("Qed."), SentenceOk)


def test_a_multiline_syntax_error_does_not_desynchronise(session):
    result = session.add("Definition x := (1 + .\n Definition y := 2.")
    assert isinstance(result, SentenceError)
    # The second line must not have been executed as a command of its own.
    assert isinstance(session.add("Check y."), SentenceError)
    assert isinstance(session.add("Definition z := 3."), SentenceOk)
    assert len(session) == 1


def test_memory_bound_is_applied_to_coqtop():
    with Session(SessionConfig(memory_limit_mb=2048)) as s:
        limits = open(f"/proc/{s.pid}/limits").read()
        line = [ln for ln in limits.splitlines() if ln.startswith("Max address space")][0]
        assert str(2048 * 2**20) in line


def test_close_kills_the_process():
    s = Session()
    s.add("Definition a := 1.")
    pid = s.pid
    s.close()  # kills the group and reaps coqtop before returning
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
