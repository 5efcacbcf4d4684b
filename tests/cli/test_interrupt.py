"""Wall 3 of the newcomer's hour: Ctrl-C (or `kill`) during `idsynth run` / `prove`.

The user's story: `idsynth run` on a spec that takes a while (tests/data/specs/weak_stack,
about a minute), Ctrl-C once the first design is on the screen. They see one line, `interrupted; resume with idsynth resume RUN_DIR`, exit code 130,
no traceback, no coqtop left running, and `idsynth resume RUN_DIR` goes on from there.
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

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> set[int]:
    """Every live descendant of `pid` (read from /proc: no extra dependency)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _survivors(children: set[int], grace: float = 5.0) -> list[int]:
    """Children still alive `grace` seconds after the run exited (a killed process takes a
    moment to be reaped)."""
    deadline = time.monotonic() + grace
    alive = [p for p in children if _alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _alive(p)]
    return alive


def _wait_for_event(transcript: Path, kind: str, proc: subprocess.Popen, timeout: float = 240.0) -> None:
    """Block until the transcript holds an event of `kind` (the run's own progress is the
    synchronisation; the poll interval only bounds how late we notice it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before a {kind} event: {proc.communicate()}")
        if transcript.exists():
            for line in transcript.read_text().splitlines():
                try:
                    if json.loads(line).get("type") == kind:
                        return
                except ValueError:
                    continue
        time.sleep(0.05)
    pytest.fail(f"no {kind} event within {timeout} s")


def _interrupt(tmp_path: Path, argv: list[str], run_dir: Path, event: str, sig: int) -> tuple[int, str, str, set[int]]:
    proc = subprocess.Popen([sys.executable, "-m", "idsynth.cli.main", *argv], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for_event(run_dir / "events.jsonl", event, proc)
        children = _children(proc.pid)
        assert children, "the run should have a live Rocq session at this point"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, err, children


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_a_signal_during_run_stops_with_one_line_and_the_run_resumes(tmp_path, sig):
    run_dir = tmp_path / "runs" / "stopped"
    rc, out, err, children = _interrupt(
        tmp_path, ["run", "tests/data/specs/weak_stack", "--runs-dir", str(tmp_path / "runs"), "--run-id", "stopped",
                   "--no-bench"], run_dir, "design_chosen", sig)
    assert rc == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines() == [f"interrupted; resume with idsynth resume {run_dir}"]
    assert not _survivors(children), "a child process outlived the interrupted run"
    # The transcript survived: resume takes it from there to the end.
    resumed = subprocess.run([sys.executable, "-m", "idsynth.cli.main", "resume", str(run_dir), "--json"],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["status"] == "closed"


@pytest.mark.slow
def test_ctrl_c_during_prove_stops_cleanly(tmp_path):
    runs = tmp_path / "runs"
    proc = subprocess.Popen([sys.executable, "-m", "idsynth.cli.main", "prove", "tests/data/prove/exercises.v",
                             "--runs-dir", str(runs), "-o", str(tmp_path / "out.v")], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while not list(runs.glob("*/events.jsonl")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        (transcript,) = list(runs.glob("*/events.jsonl"))
        _wait_for_event(transcript, "hole_started", proc)
        children = _children(proc.pid)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"interrupted; resume with idsynth resume {transcript.parent}"
    assert not _survivors(children)
    assert not (tmp_path / "out.v").exists(), "an interrupted prove writes no output file"
