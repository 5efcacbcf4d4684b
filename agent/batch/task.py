"""One unit of a batch, as a Ray task runs it: the serial command in a scratch directory.

The task does not re-implement `run` or `prove`: it runs the very command a user would type
(`python -m idsynth.cli.main run|prove ... --json`) as a child process, in a scratch directory
on the worker's own disk, and sends back the command's JSON summary and the transcript
directory it wrote (`runs/<id>/`, gzipped). So a node needs no shared file system, and a
unit whose worker dies leaves nothing half-written in the batch directory: only the driver
writes there (store.BatchStore.install).

The child process owns the unit's Rocq processes (each coqtop in its own process group).
Every wait is bounded: at the unit's time limit the whole process tree — the command, its
coqtops, CoqHammer's provers — is killed. The child is also told to die with the worker
(PR_SET_PDEATHSIG), so a killed worker does not leave its unit running on; Ray then retries
the unit (the driver resubmits it, bounded by `max_retries`). A child that dies of a signal
we did not send is a crash: `UnitCrashed` is raised, and the driver retries it the same way.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .store import pack_dir, unpack_dir
from .types import Unit, UnitResult


class UnitCrashed(Exception):
    """The unit's command died of a signal it was not sent, or exited with no known code."""


class UnitPayload(BaseModel):
    """Everything a worker needs, shipped with the task (no shared file system assumed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Unit
    unit_args: list[str]
    input_tar: bytes
    unit_seconds: float
    attempt: int = 1
    scratch_prefix: str = "idsynth-batch-"


def unit_argv(unit: Unit, unit_args: list[str]) -> list[str]:
    """The serial command for `unit`, run from the scratch directory (relative paths)."""
    runs = ["--runs-dir", "runs", "--run-id", unit.id, "--json"]
    if unit.kind == "run":
        return ["run", f"inputs/{unit.id}", *unit_args, *unit.extra_args, *runs]
    return ["prove", f"inputs/{unit.id}/{unit.input_name}", *unit_args, *unit.extra_args, *runs,
            "-o", f"runs/{unit.id}/proved.v"]


def _die_with_parent() -> None:
    """In the child between fork and exec: SIGKILL when the worker dies; own process group."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the time limit still bounds the unit
        pass


def _descendants(pid: int) -> list[int]:
    """Every process under `pid` (coqtops start their own sessions, so a process group is not
    enough), found through /proc's parent links."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_tree(pid: int) -> None:
    """SIGKILL `pid` and everything under it (stopped first so none can fork in between)."""
    tree = [pid, *_descendants(pid)] if os.path.isdir("/proc") else [pid]
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for p in tree:
            try:
                os.kill(p, sig)
            except (ProcessLookupError, PermissionError):
                pass


def _status(code: int) -> str:
    return {0: "closed", 1: "open"}.get(code, "failed")


def execute_unit(payload: UnitPayload) -> tuple[UnitResult, bytes]:
    """Run one unit to its end or its time limit; (result, gzipped transcript directory).

    Raises `UnitCrashed` when the command dies of something other than its time limit.
    """
    unit = payload.unit
    scratch = Path(tempfile.mkdtemp(prefix=f"{payload.scratch_prefix}{unit.id}-"))
    try:
        unpack_dir(payload.input_tar, scratch / "inputs" / unit.id)
        (scratch / "runs").mkdir()
        argv = [sys.executable, "-m", "idsynth.cli.main", *unit_argv(unit, payload.unit_args)]
        started = time.monotonic()
        with open(scratch / "stdout", "wb") as out, open(scratch / "stderr", "wb") as err:
            proc = subprocess.Popen(argv, cwd=scratch, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    preexec_fn=_die_with_parent)
            timed_out = False
            try:
                code = proc.wait(timeout=payload.unit_seconds)
            except subprocess.TimeoutExpired:
                timed_out = True
                kill_tree(proc.pid)
                code = proc.wait(timeout=60)
            # After a normal exit there is nothing to kill by pid: the pid is reaped (it could be
            # reused), and the command closes its own coqtops (rocq/ kills them on close).
        seconds = time.monotonic() - started
        stdout = (scratch / "stdout").read_text(errors="replace")
        stderr = (scratch / "stderr").read_text(errors="replace")
        if not timed_out and code not in (0, 1, 2, 3):
            raise UnitCrashed(f"{unit.id}: `idsynth {argv[3]}` exited with {code}: {stderr.strip()[-400:]}")
        try:
            summary = json.loads(stdout) if stdout.strip() and not timed_out else {}
        except ValueError:
            summary = {}
        run_dir = scratch / "runs" / unit.id
        transcript = pack_dir(run_dir) if run_dir.is_dir() else b""
        status = "timeout" if timed_out else _status(code)
        detail = ""
        if timed_out:
            detail = f"time limit of {payload.unit_seconds:g} s reached; the process tree was killed"
        elif status == "failed":
            detail = stderr.strip()[-1000:]
        result = UnitResult(unit=unit.id, kind=unit.kind, status=status, exit_code=None if timed_out else code,
                            seconds=round(seconds, 2), attempt=payload.attempt, node=socket.gethostname(), summary=summary, detail=detail,
                            transcript_bytes=len(transcript))
        return result, transcript
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
