"""Running one benchmark binary: bounded, in its own process group, with its peak RSS.

The child is reaped with `os.wait4`, whose resource usage is that child's alone (unlike
`getrusage(RUSAGE_CHILDREN)`, a maximum over all children so far). Caveat: Linux folds into
a process's `ru_maxrss` the pages it had before `exec`, i.e. those of this forking Python
process (tens of MB), so for a small program it is an overestimate; the benchmark driver
therefore also reports its own `VmHWM`, which starts afresh at `exec`. Output goes to files
in the given directory (no pipe can fill up and stall the child).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .types import RunResult


def run_binary(argv: list[str], cwd: Path, timeout: float) -> RunResult:
    """Run `argv` to completion, or kill its process group after `timeout` seconds."""
    cwd = Path(cwd)
    cwd.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=cwd) as out, tempfile.TemporaryFile(dir=cwd) as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        timed_out = False
        delay = 0.002
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    return RunResult(exit_code=None if timed_out else proc.returncode, stdout=stdout, stderr=stderr,
                     timed_out=timed_out, peak_rss_kb=int(usage.ru_maxrss), wall_s=wall)
