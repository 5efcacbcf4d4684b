"""Progress of a batch: an observer of the driver's snapshots (the driver never calls the UI).

On a terminal: a live panel (rich) — done/total, closed, open, failed, timeout, running,
queued, retries, elapsed and ETA, and the last unit that finished. Not on a terminal: one
plain line on stderr per finished unit, so a log still shows the batch moving.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.live import Live
from rich.text import Text

from idsynth.agent.batch import Snapshot


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def render(s: Snapshot) -> str:
    line = (f"done {s.done}/{s.total}  [green]closed {s.closed}[/green]  open {s.open}  "
            f"[red]failed {s.failed}[/red]  timeout {s.timeout}  running {s.running}  queued {s.queued}"
            + (f"  retries {s.retries}" if s.retries else "")
            + f"  elapsed {_clock(s.elapsed)}  ETA {_clock(s.eta)}")
    if s.last is not None:
        line += f"\nlast: {s.last.unit} {s.last.status} ({s.last.seconds:.1f} s, attempt {s.last.attempt})"
    return line


class BatchProgress:
    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.console = Console(stderr=True)
        self.live: Live | None = None

    def __enter__(self) -> "BatchProgress":
        if self.enabled:
            self.live = Live(Text("starting Ray ..."), console=self.console, refresh_per_second=2)
            self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)

    def __call__(self, snapshot: Snapshot) -> None:
        if self.live is not None:
            self.live.update(Text.from_markup(render(snapshot)))
        elif snapshot.last is not None:
            r = snapshot.last
            print(f"[{snapshot.done}/{snapshot.total}] {r.unit}: {r.status} ({r.seconds:.1f} s, attempt {r.attempt}); "
                  f"running {snapshot.running}, ETA {_clock(snapshot.eta)}", file=sys.stderr, flush=True)
