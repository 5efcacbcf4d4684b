"""The runs folder as the user sees it: every run directory holds a transcript, and commands
over a glob (`compare runs/*`) take what is theirs and say in one line what they skipped.

A command that fails before its first event leaves no run directory behind (the directory it
made for its log is removed), so `runs/` never collects folders no command can read.
"""

from __future__ import annotations

import json
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .logging_setup import close_run_log


def run_kind(path: Path) -> str | None:
    """"run" or "prove" from the transcript's first event; None when `path` is not a run."""
    try:
        with open(path / "events.jsonl", "rb") as f:
            first = json.loads(f.readline())
    except (OSError, ValueError):
        return None
    kind = first.get("type") if isinstance(first, dict) else None
    return {"run_started": "run", "prove_started": "prove"}.get(kind)


def select_runs(paths: list[str], command: str, kinds: tuple[str, ...] = ("run",)) -> list[Path]:
    """The paths that are runs of `kinds`, in order; the others are named in one warning line
    on stderr (a glob such as `runs/*` also matches `runs/README.md`)."""
    taken: list[Path] = []
    skipped: list[str] = []
    for p in paths:
        path = Path(p)
        kind = run_kind(path)
        if kind in kinds:
            taken.append(path)
        else:
            what = "an `idsynth prove` run" if kind == "prove" else "not a run"
            skipped.append(f"{p} ({what})")
    if skipped:
        shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        print(f"idsynth {command}: skipped {len(skipped)} path(s): {shown}", file=sys.stderr)
    return taken


@contextmanager
def discard_if_no_transcript(run_dir: Path) -> Iterator[None]:
    """Remove `run_dir` on the way out if this command created it and no transcript was
    started in it (the spec did not compile, the input file was unreadable, ...)."""
    existed = run_dir.exists()
    try:
        yield
    finally:
        if not existed and run_dir.is_dir() and not (run_dir / "events.jsonl").exists():
            close_run_log()
            shutil.rmtree(run_dir, ignore_errors=True)
