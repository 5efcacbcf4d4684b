"""Planning a batch: from the paths a user gave to a manifest of units.

Paths come from arguments or a list file (one unit a line: a path, then that unit's own
options, e.g. `lemmas/Sort.v --only insert_sorted`; blank lines and `#` comments skipped).
"""

from __future__ import annotations

import secrets
import shlex
from datetime import datetime, timezone
from pathlib import Path

from .store import BatchError, unit_id
from .types import Manifest, Resources, Unit, UnitKind


def read_list_file(path: Path) -> list[tuple[Path, list[str]]]:
    """(path, extra options) per line; relative paths are relative to the list file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BatchError(f"{path}: {exc.strerror}") from None
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise BatchError(f"{path}:{n}: {exc}") from None
        out.append(((path.parent / words[0]) if not Path(words[0]).is_absolute() else Path(words[0]), words[1:]))
    return out


def _check(kind: UnitKind, source: Path) -> None:
    if kind == "run" and not (source / "spec.toml").is_file():
        raise BatchError(f"{source}: not a spec directory (no spec.toml)")
    if kind == "prove" and (source.suffix != ".v" or not source.is_file()):
        raise BatchError(f"{source}: not a .v file")


def new_batch_id() -> str:
    return f"{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


def plan_batch(kind: UnitKind, sources: list[tuple[Path, list[str]]], *, unit_args: list[str],
               resources: Resources, git_sha: str | None = None, batch_id: str | None = None) -> Manifest:
    if not sources:
        raise BatchError("no units: give paths as arguments or with --from LIST")
    units = []
    for i, (source, extra) in enumerate(sources):
        source = source.resolve()
        _check(kind, source)
        units.append(Unit(id=unit_id(i, source), kind=kind, source=str(source), extra_args=list(extra),
                          input_name="" if kind == "run" else source.name))
    return Manifest(batch_id=batch_id or new_batch_id(), kind=kind,
                    created=datetime.now(timezone.utc).isoformat(timespec="seconds"), unit_args=list(unit_args),
                    resources=resources, units=units, git_sha=git_sha)
