"""`idsynth prove FILE.v`: close the `Admitted` holes of one's own development."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from typing import TYPE_CHECKING

from . import exit_codes
from .logging_setup import log_run_to
from .interrupt import interrupted, stop_on_signals
from .run_folder import discard_if_no_transcript
from .policies import PolicyArgsError, add_policy_arguments, policy_factory, resume_policy_factory

if TYPE_CHECKING:
    from idsynth.agent.prove import ProveReport

# `idsynth.agent.prove.ProveOptions`'s defaults, repeated so that `--help` shows them without
# importing the agents (tests/cli/test_help.py checks that they agree).
PROVE_DEFAULTS = {"hole_seconds": 60.0, "budget_seconds": 3600.0, "moves_per_hole": 12}

EPILOG = """examples:
  idsynth prove theories/Sorting.v                       # writes theories/Sorting_proved.v
  idsynth prove src/Lemmas.v -Q src MyLib --in-place      # keeps src/Lemmas.v.orig
  idsynth prove Lemmas.v --only app_assoc' --only rev_involutive -o out.v --json
  idsynth prove Lemmas.v --policy llm --provider anthropic --model claude-sonnet-4-5

What it changes: only the proofs of `Admitted` lemmas, plus helper lemmas (inserted just before
the lemma that uses them, each proved) and imports a proof needs, all listed. The output is
re-split and compared with the input sentence by sentence, compiled from scratch with coqc, and
every claimed lemma's `Print Assumptions` is read: a proof resting on a lemma still `Admitted`
is reported as closed only conditionally. Nothing is written if any of that fails.

exit codes: 0 every selected hole closed (unconditionally), 1 some hole open or conditional,
2 bad input (the file does not check, unknown --only, bad options), 3 environment problem"""


def add_prove_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("prove", help="close the Admitted holes of your own Rocq file",
                       description="Work hole by hole through FILE.v with the same agents as `run`, the "
                                   "implementation frozen. A transcript goes to runs/<id>/ (replayable, resumable "
                                   "with `idsynth resume`).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE.v")
    p.add_argument("-Q", nargs=2, action="append", default=[], metavar=("DIR", "NAME"),
                   help="map DIR to the logical name NAME (as coqc -Q); repeatable")
    add_policy_arguments(p)
    p.add_argument("--only", action="append", default=[], metavar="LEMMA",
                   help="work on this hole only (short or Module.qualified name); repeatable")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--in-place", action="store_true", help="overwrite FILE.v, keeping FILE.v.orig")
    out.add_argument("-o", "--output", metavar="OUT.v", help="where to write (default: FILE_proved.v beside FILE.v)")
    p.add_argument("--hole-seconds", type=float, default=PROVE_DEFAULTS["hole_seconds"],
                   help="wall clock per hole (default %(default)s)")
    p.add_argument("--budget-seconds", type=float, default=PROVE_DEFAULTS["budget_seconds"],
                   help="wall clock for the whole file; holes not reached are reported skipped (default %(default)s)")
    p.add_argument("--moves-per-hole", type=int, default=PROVE_DEFAULTS["moves_per_hole"],
                   help="moves per hole (default %(default)s)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per Rocq sentence (default %(default)s)")
    p.add_argument("--runs-dir", default="runs", help="where run directories go (default %(default)s)")
    p.add_argument("--run-id", help="name of the run directory (default: time-prove-file-random)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run_prove)


def _err(message: str) -> None:
    print(f"idsynth prove: {message}", file=sys.stderr)


def prove_policy(args: argparse.Namespace, factory=None):
    """A `(SessionConfig, ProveOptions) -> Policy` factory from the policy flags (`factory`:
    the one `resume` rebuilt from the transcript)."""
    if args.policy == "auto":
        from idsynth.agent.auto.policy import AutoPolicy

        return lambda cfg, opts: AutoPolicy(None, cfg, per_hole_seconds=opts.hole_seconds)
    make = factory or policy_factory(args)[0]
    return lambda cfg, opts: make(None, cfg)


class _Progress:
    """One line per finished hole on a terminal; quiet otherwise (an observer of events)."""

    def __init__(self) -> None:
        from rich.console import Console

        self.enabled = sys.stderr.isatty()
        self.console = Console(stderr=True)
        self.total = 0
        self.done = 0
        self.started = time.monotonic()

    def __call__(self, event) -> None:
        kind = getattr(event, "type", "")
        if kind == "prove_started":
            self.total = len(event.selected)
        if not self.enabled:
            return
        if kind == "hole_started":
            self.console.print(f"[dim]{self.done + 1}/{self.total} {event.hole} ...[/dim]")
        elif kind == "hole_finished":
            self.done += 1
            status = "[green]closed[/green]" if event.closed else "[red]open[/red]"
            how = event.strategy if event.closed else event.reason
            self.console.print(f"{self.done}/{self.total} {event.hole}: {status} {how[:100]} "
                               f"({event.seconds:.1f} s, {time.monotonic() - self.started:.0f} s in all)")


def print_report(report: ProveReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.model_dump(mode="json"), indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"idsynth prove {report.file} (policy {report.policy})")
    for col in ("hole", "result", "how", "time", "moves"):
        table.add_column(col)
    for h in report.holes:
        how = h.strategy if h.status in ("closed", "conditional") else h.reason
        if h.conditional_on:
            how += f"  [on holes: {', '.join(h.conditional_on)}]"
        table.add_row(h.name, h.status, how[:120], f"{h.seconds:.1f}s", str(h.moves))
    console.print(table)
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("closed", "conditional", "open", "skipped") if report.count(s))
    console.print(f"{counts}; {report.seconds:.0f} s; transcript {report.run_dir}")
    if report.added_imports:
        console.print(f"added imports: {' '.join(report.added_imports)}")
    if not report.frozen_ok:
        console.print("[red]frozen check failed, nothing written:[/red] " + "; ".join(report.frozen_problems[:5]))
    elif not report.recheck_ok:
        console.print(f"[red]re-check from scratch failed, nothing written:[/red] {report.recheck_message}")
    elif report.output:
        console.print(f"wrote {report.output}" + (f" (backup {report.backup})" if report.backup else ""))
    else:
        console.print("no hole closed: nothing written")


def exit_code(report: ProveReport) -> int:
    return exit_codes.OK if report.all_closed and report.frozen_ok and report.recheck_ok else exit_codes.NEGATIVE


def run_prove(args: argparse.Namespace) -> int:
    from idsynth.agent.policies.scripted import ScriptError
    from idsynth.agent.policy import PolicyStopped
    from idsynth.agent.prove import InputError, ProveOptions, start_prove
    from idsynth.agent.run import new_run_id
    from idsynth.agent.transcript import TranscriptError
    from idsynth.rocq import RocqError, RocqNotInstalled

    file = Path(args.file)
    target = None
    try:
        if file.suffix != ".v":
            raise InputError(f"{file}: expected a .v file")
        for directory, _ in args.Q:
            if not Path(directory).is_dir():
                raise InputError(f"-Q {directory}: no such directory")
        options = ProveOptions(
            file=file.resolve(), load_paths=[(str(Path(d).resolve()), n) for d, n in args.Q], only=args.only,
            hole_seconds=args.hole_seconds, budget_seconds=args.budget_seconds, moves_per_hole=args.moves_per_hole,
            sentence_timeout=args.timeout, output=Path(args.output).resolve() if args.output else None,
            in_place=args.in_place)
        make = prove_policy(args)
        run_id = args.run_id or new_run_id(f"prove-{file.stem}")
        target = Path(args.runs_dir).resolve() / run_id
        with stop_on_signals(), discard_if_no_transcript(target):
            log_run_to(target, run_id)
            report = start_prove(options, make, runs_dir=Path(args.runs_dir), on_event=_Progress(), run_id=run_id)
    except (InputError, ScriptError, PolicyArgsError, TranscriptError, ValueError) as exc:
        _err(" ".join(str(exc).split("\n")[:3]))
        return exit_codes.BAD_INPUT
    except PolicyStopped as exc:
        from .run_cmd import provider_stopped

        _err(provider_stopped(exc, Path(args.runs_dir) / run_id))
        return exit_codes.ENVIRONMENT
    except RocqNotInstalled as exc:
        _err(str(exc))
        return exit_codes.ENVIRONMENT
    except RocqError as exc:
        _err(f"the checker failed: {exc}")
        return exit_codes.ENVIRONMENT
    except KeyboardInterrupt:
        return interrupted("prove", target) if target is not None else exit_codes.INTERRUPTED
    print_report(report, args.json)
    return exit_code(report)


def resume_prove_run(args: argparse.Namespace, run_dir: Path) -> int:
    """`idsynth resume` of a prove run (dispatched from run_cmd)."""
    from idsynth.agent.policies.scripted import ScriptError
    from idsynth.agent.policy import PolicyStopped
    from idsynth.agent.prove import InputError, resume_prove
    from idsynth.agent.transcript import TranscriptError
    from idsynth.rocq import RocqError

    try:
        factory = resume_policy_factory(args, run_dir)
        log_run_to(run_dir.resolve(), run_dir.name)
        with stop_on_signals():
            report = resume_prove(run_dir, prove_policy(args, factory), on_event=_Progress())
    except (InputError, ScriptError, PolicyArgsError, TranscriptError) as exc:
        _err(str(exc))
        return exit_codes.BAD_INPUT
    except PolicyStopped as exc:
        from .run_cmd import provider_stopped

        _err(provider_stopped(exc, run_dir))
        return exit_codes.ENVIRONMENT
    except RocqError as exc:
        _err(str(exc))
        return exit_codes.ENVIRONMENT
    except KeyboardInterrupt:
        return interrupted("resume", run_dir)
    print_report(report, args.json)
    return exit_code(report)
