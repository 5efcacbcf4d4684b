"""The batch directory and the batch command line, without Ray or Rocq: what "finished" means
on disk, what a resumed batch would redo, and which options reach every unit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from idsynth.agent.batch import BatchError, BatchStore, Resources, UnitResult, plan_batch, read_list_file
from idsynth.agent.batch.resume import reconcile_log
from idsynth.agent.batch.store import pack_dir
from idsynth.agent.batch.task import unit_argv
from idsynth.agent.batch.types import BatchEvent
from idsynth.cli.main import build_parser
from idsynth.cli.batch_cmd import unit_args

ROOT = Path(__file__).resolve().parents[2]
PROVE = ROOT / "tests" / "data" / "prove"


def _store(tmp_path: Path) -> BatchStore:
    manifest = plan_batch("prove", [(PROVE / "needs_helper.v", []), (PROVE / "false_lemma.v", ["--only", "x"])],
                          unit_args=["--hole-seconds", "5"], resources=Resources())
    return BatchStore.create(tmp_path / "b", manifest)


def _transcript(tmp_path: Path, text: str) -> bytes:
    d = tmp_path / f"t-{abs(hash(text))}"
    d.mkdir()
    (d / "events.jsonl").write_text(text)
    return pack_dir(d)


def test_a_new_batch_snapshots_its_inputs_and_every_unit_is_unfinished(tmp_path):
    store = _store(tmp_path)
    assert [u.id for u in store.unfinished()] == ["u000-needs_helper", "u001-false_lemma"]
    assert (store.input_dir("u000-needs_helper") / "needs_helper.v").read_bytes() == \
        (PROVE / "needs_helper.v").read_bytes()
    assert BatchStore.open(store.root).manifest == store.manifest
    with pytest.raises(BatchError, match="batch resume"):
        _store(tmp_path)  # never overwrite a batch


def test_a_unit_is_finished_exactly_when_its_result_is_installed(tmp_path):
    store = _store(tmp_path)
    # a transcript left by an attempt whose result was never written does not finish the unit
    (store.run_dir("u000-needs_helper")).mkdir()
    (store.run_dir("u000-needs_helper") / "events.jsonl").write_text("stale\n")
    assert len(store.unfinished()) == 2
    result = UnitResult(unit="u000-needs_helper", kind="prove", status="closed", exit_code=0)
    store.install(result, _transcript(tmp_path, "fresh\n"))
    assert (store.run_dir("u000-needs_helper") / "events.jsonl").read_text() == "fresh\n"
    assert store.result("u000-needs_helper") == result
    assert [u.id for u in store.unfinished()] == ["u001-false_lemma"]
    leftovers = [p for p in (store.root / "results").iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the atomic write left no temporary file behind


def test_a_torn_event_line_is_ended_and_a_lost_finish_line_is_logged_once(tmp_path):
    store = _store(tmp_path)
    store.log(BatchEvent(type="batch_started", time="t", session="s1", pending=2))
    with open(store.root / "events.jsonl", "ab") as f:
        f.write(b'{"type":"unit_fin')  # the driver was killed mid-line
    store.install(UnitResult(unit="u001-false_lemma", kind="prove", status="open", exit_code=1), None)
    assert reconcile_log(store) == ["u001-false_lemma"]
    assert reconcile_log(store) == []
    finished = [e.unit for e in store.events() if e.type == "unit_finished"]
    assert finished == ["u001-false_lemma"]


def test_a_list_file_gives_paths_relative_to_itself_and_per_unit_options(tmp_path):
    listing = tmp_path / "units.txt"
    (tmp_path / "a.v").write_text("")
    listing.write_text("# corpus\n\na.v --only 'foo bar'\n/abs/b.v\n")
    assert read_list_file(listing) == [(tmp_path / "a.v", ["--only", "foo bar"]), (Path("/abs/b.v"), [])]


def test_batch_prove_forwards_the_prove_options_given_with_paths_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib").mkdir()
    args = build_parser().parse_args(["batch", "prove", "x.v", "--out", "d", "-Q", "lib", "Lib", "--only", "l1",
                                      "--hole-seconds", "5", "--policy", "auto", "--cpus-per-unit", "2"])
    assert unit_args(args, "prove") == ["-Q", str(tmp_path / "lib"), "Lib", "--only", "l1", "--hole-seconds", "5.0"]
    assert (args.cpus_per_unit, args.out) == (2.0, "d")
    # where the transcript and the output go is the batch's to decide, per unit
    with pytest.raises(SystemExit):
        build_parser().parse_args(["batch", "prove", "x.v", "--out", "d", "--runs-dir", "r"])


def test_a_units_command_is_the_serial_command_with_its_own_run_directory(tmp_path):
    store = _store(tmp_path)
    unit = store.manifest.units[1]
    assert unit_argv(unit, store.manifest.unit_args) == [
        "prove", "inputs/u001-false_lemma/false_lemma.v", "--hole-seconds", "5", "--only", "x",
        "--runs-dir", "runs", "--run-id", "u001-false_lemma", "--json", "-o", "runs/u001-false_lemma/proved.v"]
    assert os.path.isabs(unit.source)
