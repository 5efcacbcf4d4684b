"""Progress display: an observer of the event stream (the engine never calls the UI).

On a terminal: a live status line (rich) with branch/design, holes left, last move and its
verdict, moves/tokens/dollars/time against the budget. Not on a terminal (CI): quiet.
"""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.live import Live
from rich.text import Text

from idsynth.agent.state import RunState, summarize


class Progress:
    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stdout.isatty() if enabled is None else enabled
        self.console = Console()
        self.live: Live | None = None
        self.last = ""
        self.phase = "choosing a design"
        self.line = ""
        self.started = time.monotonic()

    def __enter__(self) -> "Progress":
        if self.enabled:
            self.live = Live(Text("starting..."), console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)

    def __call__(self, event, state: RunState) -> None:
        if not self.enabled or self.live is None:
            return
        kind = getattr(event, "type", "")
        if kind == "move_proposed" and event.move is not None:
            self.last = f"{event.move.kind} {getattr(event.move, 'hole', '') or getattr(event.move, 'name', '') or getattr(event.move, 'item', '')}"
        elif kind == "move_refused":
            self.last += f" → refused: {event.reason[:80]}"
        elif kind == "move_applied":
            self.last += f" → {summarize(event.verdict)[:80]}"
        self.phase = _phase(event, state, self.phase)
        b = state.branch
        budget = state.started.budget
        holes = len(b.verdict.holes) if b and b.verdict else "?"
        cost = (f"  tokens {state.usage.tokens_in + state.usage.tokens_out}/{budget.tokens}  "
                f"${state.usage.dollars:.2f}/${budget.dollars:.2f}") if state.started.policy_kind == "llm" else ""
        line = (f"branch {b.index if b else '-'} [{b.design.name if b else '-'}]  holes {holes}  "
                f"moves {state.moves}/{budget.moves}{cost}  "
                f"{time.monotonic() - self.started:.0f}s/{budget.seconds:.0f}s"
                + (f"  — {self.phase}" if self.phase else "") + f"\nlast: {self.last}")
        self.line = line
        self.live.update(Text(line))


def _phase(event, state: RunState, current: str) -> str:
    """What the run is doing between events that take long: the audit, the benchmark, the
    choice of the next design (the engine emits nothing while they run)."""
    kind = getattr(event, "type", "")
    b = state.branch
    if kind == "move_applied" and event.verdict.closed:
        return "auditing the closed design"
    if kind == "audit":
        if event.verdict.accepted and state.started.config.get("benchmark", True):
            return "benchmarking: extracting, building and running the solution"
        return "choosing the next design"
    if kind in ("reloaded",):
        return "choosing the next design"
    if kind == "stalled":
        return "stalled: looking for a decomposition"
    if kind in ("design_chosen", "move_proposed", "benchmarked", "run_finished"):
        return ""
    return current if b is not None else "choosing a design"
