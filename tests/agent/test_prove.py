"""`idsynth prove`: closing a user's own holes, the implementation frozen.

Everything here runs the real checker. The `auto` runs are marked slow; the scripted ones
(no proof search) are quick and pin down the contract: what may change, what is refused,
what counts as closed, resume and replay.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsynth.agent.policies.scripted import ScriptedPolicy, script_from_json
from idsynth.agent.prove import InputError, ProveOptions, replay_prove, resume_prove, start_prove
from idsynth.agent.prove.frozen import frozen_problems
from idsynth.agent.transcript import HoleFinished, read_events
from idsynth.cli.main import main

SUM = """Require Import List.
Import ListNotations.

(* The sum of a list. *)
Fixpoint sum (l : list nat) : nat := match l with [] => 0 | x :: r => x + sum r end.

Lemma sum_nil : sum [] = 0.
Admitted.

Lemma sum_cons : forall x l, sum (x :: l) = x + sum l.
Proof. Admitted.
"""


def _scripted(steps: list[dict]):
    script = script_from_json({"steps": steps})
    return lambda cfg, opts: ScriptedPolicy(script, "test")


def _prove(tmp_path: Path, text: str, steps: list[dict], **options) -> tuple[Path, object]:
    f = tmp_path / "dev.v"
    f.write_text(text)
    opts = ProveOptions(file=f, hole_seconds=60, **options)
    return f, start_prove(opts, _scripted(steps), runs_dir=tmp_path / "runs")


def _move(kind: str, **fields) -> dict:
    return {"role": "move", "move": {"kind": kind, **fields}}


# -- the frozen check (pure) ---------------------------------------------------------------


@pytest.mark.unit
def test_a_new_proof_of_a_hole_is_the_only_change_allowed():
    out = SUM.replace("Lemma sum_nil : sum [] = 0.\nAdmitted.", "Lemma sum_nil : sum [] = 0.\nProof. reflexivity. Qed.")
    assert frozen_problems(SUM, out, helpers=set(), imports=set()) == []


@pytest.mark.unit
def test_a_changed_statement_or_definition_is_a_problem():
    stmt = SUM.replace("sum [] = 0.\nAdmitted.", "sum [] = 0 /\\ True.\nProof. auto. Qed.")
    assert any("statement" in p for p in frozen_problems(SUM, stmt, helpers=set(), imports=set()))
    body = SUM.replace("x + sum r", "sum r + x")
    assert any("not a hole" in p for p in frozen_problems(SUM, body, helpers=set(), imports=set()))
    comment = SUM.replace("(* The sum of a list. *)", "(* edited *)")
    assert frozen_problems(SUM, comment, helpers=set(), imports=set())


@pytest.mark.unit
def test_additions_must_be_declared_and_helpers_proved():
    # As the engine inserts it: the helper brings its own leading blank, the lemma keeps its.
    out = SUM.replace("\n\nLemma sum_nil", "\nLemma h : True.\nProof. exact I. Qed.\n\nLemma sum_nil")
    assert frozen_problems(SUM, out, helpers={"h"}, imports=set()) == []
    assert frozen_problems(SUM, out, helpers=set(), imports=set())
    admitted = SUM.replace("\n\nLemma sum_nil", "\nLemma h : True.\nAdmitted.\n\nLemma sum_nil")
    assert any("not a proved lemma" in p for p in frozen_problems(SUM, admitted, helpers={"h"}, imports=set()))
    imported = SUM.replace("Import ListNotations.\n", "Import ListNotations.\nFrom Coq Require Import Lia.\n")
    assert frozen_problems(SUM, imported, helpers=set(), imports={"From Coq Require Import Lia."}) == []


# -- scripted runs: the contract ----------------------------------------------------------


def test_scripted_proofs_close_holes_and_only_those_change(tmp_path):
    f, report = _prove(tmp_path, SUM, [
        _move("prove", hole="sum_nil", script="reflexivity."),
        _move("prove", hole="sum_cons", script="reflexivity."),
    ])
    assert [(h.name, h.status) for h in report.holes] == [("sum_nil", "closed"), ("sum_cons", "closed")]
    assert report.frozen_ok and report.recheck_ok
    out = Path(report.output)
    assert out == tmp_path / "dev_proved.v" and f.read_text() == SUM  # the input is never touched
    assert "Admitted" not in out.read_text()
    assert frozen_problems(SUM, out.read_text(), helpers=set(), imports=set()) == []


def test_moves_outside_the_holes_are_refused_and_leave_the_hole_open(tmp_path):
    _, report = _prove(tmp_path, SUM, [
        _move("define", name="sum", text="Definition sum (l : list nat) := 0."),
        _move("repair", item="sum", text="Fixpoint sum (l : list nat) : nat := 0."),
        _move("prove", hole="sum_cons", script="reflexivity."),  # not the hole in focus
        {"role": "move", "move": None},
        {"role": "proposal", "proposal": {"move": None, "note": "nothing"}},
    ], only=["sum_nil"])
    events, _ = read_events(Path(report.run_dir) / "events.jsonl")
    refusals = [e.reason for e in events if e.type == "move_refused"]
    assert len(refusals) == 3
    assert "only add imports" in refusals[0] and "repairs only the helpers" in refusals[1]
    assert "not a hole being worked on now" in refusals[2]
    assert [(h.name, h.status) for h in report.holes] == [("sum_nil", "open"), ("sum_cons", "skipped")]
    assert report.output is None  # nothing closed: nothing written


def test_a_proof_resting_on_a_remaining_hole_is_only_conditional(tmp_path):
    text = """Parameter P : nat -> Prop.
Lemma all_P : forall n, P n.
Admitted.
Lemma P3 : P 3.
Admitted.
"""
    _, report = _prove(tmp_path, text, [_move("prove", hole="P3", script="apply all_P.")], only=["P3"])
    (p3,) = [h for h in report.holes if h.name == "P3"]
    assert p3.status == "conditional" and p3.conditional_on == ["all_P"]
    assert any("P" in a for a in p3.axioms)  # the user's own Parameter, reported
    assert main(["prove", str(tmp_path / "dev.v"), "--policy", "scripted", "--script", _script_file(
        tmp_path, [_move("prove", hole="P3", script="apply all_P.")]), "--only", "P3",
        "--runs-dir", str(tmp_path / "runs2"), "-o", str(tmp_path / "o.v")]) == 1


def _script_file(tmp_path: Path, steps: list[dict]) -> str:
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"steps": steps}))
    return str(path)


def test_in_place_keeps_a_backup_and_replay_agrees(tmp_path):
    f = tmp_path / "dev.v"
    f.write_text(SUM)
    script = _script_file(tmp_path, [_move("prove", hole="sum_nil", script="reflexivity."),
                                      _move("prove", hole="sum_cons", script="simpl. reflexivity.")])
    code = main(["prove", str(f), "--policy", "scripted", "--script", script, "--in-place", "--json",
                 "--runs-dir", str(tmp_path / "runs")])
    assert code == 0
    assert (tmp_path / "dev.v.orig").read_text() == SUM
    assert "Admitted" not in f.read_text()
    (run,) = (tmp_path / "runs").iterdir()
    report = replay_prove(run)
    assert not report.diverged and report.versions_checked >= 4
    assert main(["replay", str(run)]) == 0


def test_a_killed_run_resumes_at_the_first_unfinished_hole(tmp_path):
    steps = [_move("prove", hole="sum_nil", script="reflexivity."),
             _move("prove", hole="sum_cons", script="reflexivity.")]
    _, whole = _prove(tmp_path, SUM, steps)
    run = Path(whole.run_dir)
    lines = (run / "events.jsonl").read_bytes().split(b"\n")
    first_done = next(i for i, line in enumerate(lines) if b'"hole_finished"' in line)
    # Killed while working on the second hole, half-way through writing an event.
    (run / "events.jsonl").write_bytes(b"\n".join(lines[: first_done + 3]) + b"\n" + lines[first_done + 3][:17])
    resumed = resume_prove(run, _scripted(steps))
    assert [(h.name, h.status) for h in resumed.holes] == [(h.name, h.status) for h in whole.holes]
    assert (run / "output.v").read_text() == Path(whole.output).read_text()
    events, torn = read_events(run / "events.jsonl")
    assert not torn and sum(isinstance(e, HoleFinished) for e in events) == 2
    assert not replay_prove(run).diverged


def test_an_input_that_does_not_check_is_bad_input_with_its_location(tmp_path, capsys):
    f = tmp_path / "bad.v"
    f.write_text("Lemma ok : True.\nAdmitted.\nDefinition x : nat := true.\n")
    with pytest.raises(InputError, match=r"bad.v:3:.*does not check"):
        start_prove(ProveOptions(file=f), _scripted([]), runs_dir=tmp_path / "runs")
    assert main(["prove", str(f), "--runs-dir", str(tmp_path / "runs")]) == 2
    assert "does not check" in capsys.readouterr().err
    assert main(["prove", str(tmp_path / "dev.v"), "--only", "nope"]) == 2


# -- the auto policy ------------------------------------------------------------------------

FALSE_AND_TRUE = """Require Import List.
Import ListNotations.

Lemma app_nil_end' : forall (l : list nat), l ++ [] = l.
Admitted.

Lemma rev_is_identity : forall l : list nat, rev l = l.
Admitted.

Lemma length_app' : forall (a b : list nat), length (a ++ b) = length a + length b.
Admitted.
"""


@pytest.mark.slow
def test_auto_leaves_a_false_lemma_open_closes_the_rest_and_exits_one(tmp_path):
    f = tmp_path / "dev.v"
    f.write_text(FALSE_AND_TRUE)
    code = main(["prove", str(f), "--hole-seconds", "25", "--json", "--runs-dir", str(tmp_path / "runs")])
    assert code == 1
    out = (tmp_path / "dev_proved.v").read_text()
    assert f.read_text() == FALSE_AND_TRUE
    assert "Lemma rev_is_identity : forall l : list nat, rev l = l.\nAdmitted." in out
    assert out.count("Admitted.") == 1
    (run,) = (tmp_path / "runs").iterdir()
    events, _ = read_events(run / "events.jsonl")
    report = events[-1].report
    assert [(h["name"], h["status"]) for h in report["holes"]] == [
        ("app_nil_end'", "closed"), ("rev_is_identity", "open"), ("length_app'", "closed")]
    assert all(h["strategy"] for h in report["holes"] if h["status"] == "closed")


NEEDS_HELPER = """Require Import List.
Import ListNotations.

Fixpoint rev_acc (l acc : list nat) : list nat :=
  match l with [] => acc | x :: r => rev_acc r (x :: acc) end.

Theorem rev_acc_is_rev : forall l, rev_acc l [] = rev l.
Admitted.
"""


@pytest.mark.slow
def test_auto_closes_a_hole_that_needs_an_inductive_helper_through_decompose(tmp_path):
    f = tmp_path / "dev.v"
    f.write_text(NEEDS_HELPER)
    report = start_prove(ProveOptions(file=f, hole_seconds=90), _auto, runs_dir=tmp_path / "runs")
    (hole,) = report.holes
    assert hole.status == "closed" and hole.helpers and hole.strategy.startswith("decompose")
    events, _ = read_events(Path(report.run_dir) / "events.jsonl")
    kinds = [e.move.kind for e in events if e.type == "move_proposed" and e.move is not None]
    assert "decompose" in kinds
    out = Path(report.output).read_text()
    helper = hole.helpers[0]
    assert out.index(f"Lemma {helper}") < out.index("Theorem rev_acc_is_rev")
    assert "induction" in out[out.index(f"Lemma {helper}"):out.index("Theorem rev_acc_is_rev")]
    assert not replay_prove(Path(report.run_dir)).diverged


def _auto(cfg, opts):
    from idsynth.agent.auto.policy import AutoPolicy

    return AutoPolicy(None, cfg, per_hole_seconds=opts.hole_seconds)


def test_idsynth_resume_continues_a_killed_prove_run_from_the_command_line(tmp_path):
    f = tmp_path / "dev.v"
    f.write_text(SUM)
    script = _script_file(tmp_path, [_move("prove", hole="sum_nil", script="reflexivity."),
                                      _move("prove", hole="sum_cons", script="reflexivity.")])
    assert main(["prove", str(f), "--policy", "scripted", "--script", script, "--runs-dir", str(tmp_path / "runs"),
                 "-o", str(tmp_path / "out.v")]) == 0
    (run,) = (tmp_path / "runs").iterdir()
    lines = (run / "events.jsonl").read_bytes().splitlines(keepends=True)
    first_done = next(i for i, line in enumerate(lines) if b'"hole_finished"' in line)
    (run / "events.jsonl").write_bytes(b"".join(lines[: first_done + 2]))
    (tmp_path / "out.v").unlink()
    assert main(["resume", str(run)]) == 0
    assert "Admitted" not in (tmp_path / "out.v").read_text()
    assert main(["resume", str(run)]) == 0  # a finished run just reports


def test_a_proof_using_line_is_part_of_the_interface_and_is_kept(tmp_path):
    text = """Section S.
Variable n : nat.
Lemma n_eq : n = n.
Proof using n.
Admitted.
End S.
Lemma use : forall m : nat, m = m.
Proof. exact n_eq. Qed.
"""
    _, report = _prove(tmp_path, text, [_move("prove", hole="n_eq", script="reflexivity.")])
    assert [h.status for h in report.holes] == ["closed"] and report.frozen_ok
    assert "Lemma n_eq : n = n.\nProof using n.\n  reflexivity.\nQed." in Path(report.output).read_text()
    changed = Path(report.output).read_text().replace("Proof using n.", "Proof.")
    assert any("Proof using n." in p for p in frozen_problems(text, changed, helpers=set(), imports=set()))


def test_report_renders_a_prove_run_and_compare_skips_it_with_one_line(tmp_path, capsys):
    _, report = _prove(tmp_path, SUM, [_move("prove", hole="sum_nil", script="reflexivity.")], only=["sum_nil"])
    assert main(["report", report.run_dir, "-o", str(tmp_path / "r.html")]) == 0
    page = (tmp_path / "r.html").read_text()
    assert "Prove run" in page and "sum_nil" in page and "reflexivity." in page
    capsys.readouterr()
    assert main(["compare", report.run_dir]) == 2  # nothing of its kind left
    err = capsys.readouterr().err
    assert "skipped 1 path(s)" in err and "an `idsynth prove` run" in err


def test_a_file_with_crlf_line_ends_keeps_its_bytes_outside_the_holes(tmp_path):
    f = tmp_path / "dev.v"
    f.write_bytes(SUM.replace("\n", "\r\n").encode())
    report = start_prove(ProveOptions(file=f, only=["sum_nil"]), _scripted([_move("prove", hole="sum_nil",
                                                                                   script="reflexivity.")]),
                         runs_dir=tmp_path / "runs")
    assert [h.status for h in report.holes if h.name == "sum_nil"] == ["closed"] and report.frozen_ok
    out = Path(report.output).read_bytes().decode()
    assert "(* The sum of a list. *)\r\nFixpoint sum" in out and "Lemma sum_cons : forall x l, sum (x :: l) = x + " \
        "sum l.\r\nProof. Admitted.\r\n" in out
    assert not replay_prove(Path(report.run_dir)).diverged
