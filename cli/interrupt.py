"""Ctrl-C and `kill`: stop cleanly, say how to resume, never a traceback.

SIGINT and SIGTERM raise `KeyboardInterrupt` in the main thread wherever it is (a Rocq
sentence, a proof search, a build). That is a safe point for idsynth: every event is fsynced
before the next step starts, so the transcript on disk is a complete prefix of the run (a
torn last line is repaired on resume), and the `finally` blocks of the engines close every
Rocq session and policy, killing their process groups. Further signals are ignored while
that cleanup runs, so a second Ctrl-C cannot leave a coqtop behind.
"""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import exit_codes

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _on_signal(signum, frame) -> None:
    for s in _SIGNALS:
        signal.signal(s, signal.SIG_IGN)  # the cleanup must run to its end
    raise KeyboardInterrupt


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT/SIGTERM become `KeyboardInterrupt` inside the block; the old handlers come back after."""
    old = {s: signal.getsignal(s) for s in _SIGNALS}
    for s in _SIGNALS:
        signal.signal(s, _on_signal)
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def interrupted(command: str, run_dir: Path) -> int:
    """The one line a stopped run prints (stderr), and its exit code."""
    if (run_dir / "events.jsonl").exists():
        print(f"interrupted; resume with idsynth resume {run_dir}", file=sys.stderr)
    else:
        print(f"idsynth {command}: interrupted before the run started; nothing to resume", file=sys.stderr)
    return exit_codes.INTERRUPTED
