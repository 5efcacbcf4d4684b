"""`idsynth batch`: units on a private local Ray, against the real checker.

What a batch must give: per unit the same answer (closed/open, hole by hole for prove) as
the serial command; a batch directory from which a driver killed with SIGKILL resumes and
finishes every unit exactly once; a unit whose worker is killed retried and finished.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from idsynth.agent.batch import BatchStore, Resources, init_ray, plan_batch, run_batch

ROOT = Path(__file__).resolve().parents[2]
PROVE_DATA = ROOT / "tests" / "data" / "prove"
IDSYNTH = [sys.executable, "-m", "idsynth.cli.main"]
PROVE_ARGS = ["--hole-seconds", "30"]
RUN_ARGS = ["--no-bench", "--max-seconds", "400"]


def _wait_for(what: str, predicate, timeout: float):
    """Poll `predicate` until it returns something true (the event waited for), bounded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _serial(command: str, path: Path, args: list[str], tmp: Path) -> dict:
    """The serial command's own --json answer."""
    extra = ["-o", str(tmp / f"{path.stem}_serial.v")] if command == "prove" else []
    proc = subprocess.run([*IDSYNTH, command, str(path), *args, "--runs-dir", str(tmp / "serial-runs"), "--json",
                           *extra], capture_output=True, text=True, timeout=1200, cwd=tmp)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _hole_statuses(report: dict) -> dict[str, str]:
    return {h["name"]: h["status"] for h in report["holes"]}


@pytest.fixture(scope="module")
def local_ray():
    ray, ours = init_ray(None, 2)
    yield ray
    if ours:
        ray.shutdown()


def _batch(kind: str, sources: list[tuple[Path, list[str]]], args: list[str], out: Path) -> BatchStore:
    manifest = plan_batch(kind, sources, unit_args=args, resources=Resources(unit_seconds=900))
    return BatchStore.create(out, manifest)


def test_a_prove_batch_closes_the_same_holes_as_serial_prove(local_ray, tmp_path):
    files = [PROVE_DATA / "needs_helper.v", PROVE_DATA / "false_lemma.v"]
    store = _batch("prove", [(f, []) for f in files], PROVE_ARGS, tmp_path / "batch")
    results = run_batch(store)
    assert set(results) == {u.id for u in store.manifest.units}
    for unit, f in zip(store.manifest.units, files):
        r = results[unit.id]
        serial = _serial("prove", f, PROVE_ARGS, tmp_path)
        assert _hole_statuses(r.summary) == _hole_statuses(serial), unit.id
        assert r.status == ("closed" if all(s == "closed" for s in _hole_statuses(serial).values()) else "open")
        # the transcript came back with the result, and replays as any prove run
        assert (store.run_dir(unit.id) / "events.jsonl").is_file()
        assert (store.run_dir(unit.id) / "proved.v").is_file() == (r.summary["output"] is not None)
    # the false lemma stays open in both: a negative result is not a failure of the batch
    assert results[store.manifest.units[1].id].status == "open"
    assert results[store.manifest.units[0].id].status == "closed"


def test_a_run_batch_closes_counter_like_serial_run(local_ray, tmp_path):
    spec = ROOT / "specs" / "warmup" / "counter"
    store = _batch("run", [(spec, [])], RUN_ARGS, tmp_path / "batch")
    (result,) = run_batch(store).values()
    serial = _serial("run", spec, RUN_ARGS, tmp_path)
    assert (result.summary["status"], result.summary["audit"]) == (serial["status"], serial["audit"]) \
        == ("closed", "accepted")
    assert result.status == "closed"
    # the batch's transcripts feed `idsynth export` and `idsynth batch report`
    out = tmp_path / "data.jsonl"
    proc = subprocess.run([*IDSYNTH, "export", str(store.root), "-o", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert any(json.loads(line)["kind"] == "solution" for line in out.read_text().splitlines())
    page = tmp_path / "report.html"
    proc = subprocess.run([*IDSYNTH, "batch", "report", str(store.root), "-o", str(page)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    text = page.read_text()
    assert "closed share" in text and "100%" in text
    unit_page = tmp_path / "report_units" / f"{result.unit}.html"
    assert f"href='report_units/{result.unit}.html'" in text and "ACCEPTED" in unit_page.read_text()


def _list_file(tmp: Path) -> Path:
    listing = tmp / "units.txt"
    listing.write_text("\n".join([
        f"{PROVE_DATA / 'needs_helper.v'}",
        f"{PROVE_DATA / 'exercises.v'} --only sum_app --only sum_singleton",
        f"{PROVE_DATA / 'exercises.v'} --only len_acc_correct",
        f"{PROVE_DATA / 'false_lemma.v'}",
    ]) + "\n")
    return listing


def _events(out: Path) -> list[dict]:
    try:
        text = (out / "events.jsonl").read_text()
    except FileNotFoundError:
        return []
    events = []
    for line in text.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            pass  # a line torn by the kill
    return events


def _finished(out: Path) -> list[str]:
    return [e["unit"] for e in _events(out) if e["type"] == "unit_finished"]


def _start_driver(args: list[str], log: Path) -> subprocess.Popen:
    # Its own session, so that whatever Ray leaves behind after the SIGKILL can be reaped by
    # this process group's id at the end of the test.
    return subprocess.Popen([*IDSYNTH, *args], stdout=open(log, "wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _unit_processes(batch_id: str) -> list[tuple[int, int]]:
    """(pid, parent pid) of unit commands of this batch: their working directory is the unit's
    scratch directory, named after the batch."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{entry}/cwd")
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            stat = Path(f"/proc/{entry}/stat").read_bytes()
        except OSError:
            continue
        if f"idsynth-batch-{batch_id}-" in cwd and b"idsynth.cli.main" in cmdline:
            out.append((int(entry), int(stat.rsplit(b")", 1)[1].split()[1])))
    return out


def _reap(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


@pytest.mark.slow
def test_a_driver_killed_mid_batch_resumes_and_finishes_every_unit_exactly_once(tmp_path):
    out = tmp_path / "batch"
    driver = _start_driver(["batch", "prove", "--from", str(_list_file(tmp_path)), "--out", str(out), "--cpus", "1",
                            *PROVE_ARGS], tmp_path / "driver.log")
    try:
        first = _wait_for("a first finished unit", lambda: _finished(out), timeout=600)
        assert driver.poll() is None, "the batch ended before it could be killed"
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(timeout=30)
    finally:
        _reap(driver)
    store = BatchStore.open(out)
    done_before = store.results()
    assert first[0] in done_before and len(done_before) < len(store.manifest.units)
    kept = {u: (store.root / "results" / f"{u}.json").read_bytes() for u in done_before}
    # the killed driver's units die with their workers: nothing keeps running unseen
    _wait_for("the killed batch's unit processes to end", lambda: not _unit_processes(store.manifest.batch_id),
              timeout=60)

    proc = subprocess.run([*IDSYNTH, "batch", "resume", str(out), "--json"], capture_output=True, text=True,
                          timeout=1200, start_new_session=True)
    assert proc.returncode in (0, 1), proc.stdout[-2000:] + proc.stderr[-2000:]
    results = BatchStore.open(out).results()
    assert set(results) == {u.id for u in store.manifest.units}
    finished = _finished(out)
    assert sorted(finished) == sorted(results), "every unit finished exactly once"
    for unit, data in kept.items():  # finished before the kill: never redone, never rewritten
        assert (store.root / "results" / f"{unit}.json").read_bytes() == data
    resumed = [e for e in _events(out) if e["type"] == "batch_started"][-1]["session"]
    resubmitted = {e["unit"] for e in _events(out) if e["type"] == "unit_submitted" and e["session"] == resumed}
    assert resubmitted == set(results) - set(kept)
    for unit in store.manifest.units:
        assert (store.run_dir(unit.id) / "events.jsonl").is_file()
    # every unit gave an answer (which holes of the exercises close within 30 s on a loaded
    # machine is the prover's business; the serial comparison is test_a_prove_batch_...)
    for unit in store.manifest.units:
        r = results[unit.id]
        assert r.status in ("closed", "open") and r.exit_code in (0, 1), (unit.id, r.detail)
        selected = [h["name"] for h in r.summary["holes"] if h["status"] != "skipped"]
        assert selected == ([a for a in unit.extra_args if a != "--only"] or selected)
    by_file = {Path(u.source).name: results[u.id].status for u in store.manifest.units}
    assert (by_file["needs_helper.v"], by_file["false_lemma.v"]) == ("closed", "open")


@pytest.mark.slow
def test_a_unit_whose_worker_is_killed_is_retried_and_finishes(tmp_path):
    out = tmp_path / "batch"
    driver = _start_driver(["batch", "prove", str(PROVE_DATA / "needs_helper.v"), "--out", str(out),
                            "--max-retries", "1", *PROVE_ARGS, "--json"], tmp_path / "driver.log")
    try:
        manifest = _wait_for("the manifest", lambda: (out / "manifest.json").is_file() and BatchStore.open(out),
                             timeout=120).manifest
        (unit_pid, worker_pid), = _wait_for("the unit's command to start",
                                            lambda: _unit_processes(manifest.batch_id), timeout=300)
        os.kill(worker_pid, signal.SIGKILL)
        # the unit's command dies with its worker (it is not left running beside the retry)
        _wait_for("the first attempt's command to die", lambda: not Path(f"/proc/{unit_pid}").exists()
                  or b"zombie" in Path(f"/proc/{unit_pid}/status").read_bytes().lower(), timeout=30)
        assert driver.wait(timeout=900) == 0, (tmp_path / "driver.log").read_text()[-3000:]
    finally:
        _reap(driver)
    (result,) = BatchStore.open(out).results().values()
    assert (result.status, result.attempt) == ("closed", 2)
    events = _events(out)
    assert [e["attempt"] for e in events if e["type"] == "unit_retried"] == [2]
    assert _finished(out) == [result.unit]
