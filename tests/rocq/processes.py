"""Observable conditions on a process, for tests that signal coqtop: a test waits for the
signal to have taken effect (bounded poll of /proc) instead of sleeping a guessed delay."""

from __future__ import annotations

import signal
import time


def wait_until(condition, bound: float = 10.0) -> bool:
    """Poll an observable condition, at most `bound` seconds (a bound, not a synchronisation delay)."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _proc_status(pid: int) -> dict[str, str]:
    try:
        lines = open(f"/proc/{pid}/status").read().splitlines()
    except FileNotFoundError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def dead(pid: int) -> bool:
    """SIGKILL has taken effect: the process is a zombie (not yet reaped by its session) or gone."""
    return _proc_status(pid).get("State", "Z").startswith(("Z", "X"))


def sigint_delivered(pid: int) -> bool:
    """No SIGINT pending on coqtop: its handler has run."""
    status = _proc_status(pid)
    mask = 1 << (signal.SIGINT - 1)
    return not any(int(status.get(field, "0"), 16) & mask for field in ("SigPnd", "ShdPnd"))
