"""`idsynth check FILE.v`: grade a file as a document and print its verdict."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from . import exit_codes

if TYPE_CHECKING:
    from rich.console import Console

    from idsynth.rocq import Verdict
    from idsynth.rocq.types import ProofState

EXAMPLES = """examples:
  idsynth check theories/Lemmas.v
  idsynth check --json -Q theories MyLib theories/Lemmas.v
  idsynth check --timeout 10 scratch.v"""


def add_check_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="grade a .v file: holes, first failure with its goals",
        description="Grade FILE.v sentence by sentence in a live Rocq session and print, per item, "
        "checked / hole / failed / not reached; every hole with its goal; the first failure "
        "with its location and the goals before it.",
        epilog=EXAMPLES + "\n\nexit codes: 0 checks with no holes, 1 holes or a failure, 2 bad input, "
        "3 Rocq missing",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE.v")
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p.add_argument("-Q", nargs=2, action="append", default=[], metavar=("DIR", "NAME"),
                   help="map DIR to the logical path NAME (as coqc -Q); repeatable")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds allowed per sentence (default 30)")
    p.add_argument("--noinit", action="store_true", help="do not load Rocq's prelude (coqtop -noinit)")
    p.set_defaults(func=run_check)


def _read_source(path: Path) -> str:
    from idsynth.rocq.document import SourceError, read_source

    try:
        return read_source(path)
    except SourceError as exc:
        raise _BadInput(str(exc)) from None


class _BadInput(Exception):
    pass


def _error(message: str) -> None:
    """One plain line on stderr: never wrapped, never styled."""
    print(f"idsynth check: {message}", file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `idsynth --help` must not pay for Rocq's machinery.
    from rich.console import Console

    from idsynth.rocq import Document, Grader, RocqError, RocqNotInstalled, Session, SessionConfig

    path = Path(args.file)
    with tempfile.TemporaryDirectory(prefix="idsynth-check-") as scratch:
        try:
            source = _read_source(path)
            load_paths = []
            for directory, name in args.Q:
                d = Path(directory)
                if not d.is_dir():
                    raise _BadInput(f"-Q {directory} {name}: {directory} is not a directory")
                load_paths.append((_compiled_spec(d, name, Path(scratch)) or str(d.resolve()), name))
            if args.timeout <= 0:
                raise _BadInput("--timeout must be positive")
        except _BadInput as exc:
            _error(f"error: {exc}")
            return exit_codes.BAD_INPUT
        config = SessionConfig(
            load_paths=load_paths,
            sentence_timeout=args.timeout,
            extra_args=["-noinit"] if args.noinit else [],
            cwd=str(path.resolve().parent),
        )
        try:
            with Session(config) as session:
                verdict = Grader(session).grade(Document.from_source(source))
        except RocqNotInstalled as exc:
            _error(str(exc))
            return exit_codes.ENVIRONMENT
        except RocqError as exc:
            _error(f"the checker failed: {exc}")
            return exit_codes.ENVIRONMENT
    if args.json:
        print(json.dumps(verdict.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print_verdict(verdict, path, Console(soft_wrap=True))
    return exit_codes.OK if verdict.closed else exit_codes.NEGATIVE


def _compiled_spec(directory: Path, name: str, scratch: Path) -> str | None:
    """A spec directory (it has `spec.toml`) mapped with -Q: compile a pristine copy of it in
    `scratch` and map that, so `From Spec Require Import spec.` works without running `coqc`
    by hand and without writing `.vo` files into the user's directory. None: not a spec."""
    if not (directory / "spec.toml").is_file():
        return None
    from idsynth.audit import SpecError, load_spec
    from idsynth.audit.spec import compile_spec, copy_pristine

    try:
        spec = load_spec(directory)
        if spec.manifest.logical_path != name:
            raise _BadInput(f"-Q {directory} {name}: the spec's logical path is {spec.manifest.logical_path!r} "
                            f"(spec.toml); map it as -Q {directory} {spec.manifest.logical_path}")
        target = copy_pristine(spec, scratch / f"spec{len(list(scratch.iterdir()))}")
        compile_spec(spec, target)
    except SpecError as exc:
        raise _BadInput(str(exc)) from None
    return str(target)


def _goals_text(state: ProofState | None) -> str:
    if state is None:
        return "  (no proof open)"
    if not state.goals:
        extra = f" ({len(state.unfocused)} unfocused, {state.shelved} shelved)" if state.unfocused or state.shelved else ""
        return "  no focused goals" + extra
    out = []
    for n, goal in enumerate(state.goals, 1):
        out.append(f"  goal {n}:")
        for h in goal.hypotheses:
            body = f" := {h.body}" if h.body else ""
            out.append(f"    {', '.join(h.names)}{body} : {h.type}")
        out.append("    " + "=" * 28)
        out.append("    " + goal.conclusion.replace("\n", "\n    "))
    if state.unfocused:
        out.append(f"  ({len(state.unfocused)} unfocused goals)")
    return "\n".join(out)


def print_verdict(verdict: Verdict, path: Path, console: Console) -> None:
    from rich.table import Table

    from idsynth.rocq.types import ItemStatus

    table = Table(title=f"{path}", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("item")
    table.add_column("kind")
    table.add_column("status")
    style = {ItemStatus.CHECKED: "green", ItemStatus.HOLE: "yellow", ItemStatus.FAILED: "red",
             ItemStatus.NOT_REACHED: "dim"}
    for item in verdict.items:
        table.add_row(str(item.index), item.name, item.kind.value,
                      f"[{style[item.status]}]{item.status.value}[/]")
    console.print(table)
    for hole in verdict.holes:
        console.print(f"hole {hole.item} at line {hole.location.line}:", markup=False, highlight=False)
        console.print(_goals_text(hole.proof_state), markup=False, highlight=False)
    f = verdict.first_failure
    if f is not None:
        kind = "timeout" if f.timeout else "error"
        console.print(f"{kind} in {f.item} at line {f.location.line}, column {f.location.column}: {f.message}",
                      markup=False, highlight=False)
        console.print(f"  sentence: {f.sentence}", markup=False, highlight=False)
        console.print("  goals before it:", markup=False, highlight=False)
        console.print(_goals_text(f.proof_state_before), markup=False, highlight=False)
    n_checked = sum(i.status is ItemStatus.CHECKED for i in verdict.items)
    console.print(f"{n_checked}/{len(verdict.items)} items checked, {len(verdict.holes)} holes, "
                  f"{'1 failure' if f else 'no failure'}", markup=False, highlight=False)
