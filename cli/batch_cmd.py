"""`idsynth batch run|prove|resume|report`: many runs or proofs as Ray tasks, in one batch directory.

`batch run` and `batch prove` take exactly the options of `run` and `prove`: their parsers
are built from the serial commands' own (so a new option there is a batch option too), and
the values given are forwarded to every unit's command unchanged, paths made absolute.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from . import exit_codes
from .prove_cmd import add_prove_parser
from .run_cmd import add_run_parsers

if TYPE_CHECKING:
    from idsynth.agent.batch import BatchStore, UnitResult

# `idsynth.agent.batch.Resources`' defaults, repeated so that `--help` does not import the
# agents or Ray (tests/cli/test_help.py checks that the two agree).
RESOURCE_DEFAULTS = {"cpus": 1.0, "memory_gb": 1.0, "unit_seconds": 3600.0, "max_retries": 2}

# Options of `run`/`prove` that the batch sets per unit itself (where the transcript and
# the proved file go, the JSON summary it reads back) or that make no sense for a batch.
_NOT_FORWARDED = {"help", "spec_dir", "file", "runs_dir", "run_id", "json", "in_place", "output"}
# Options whose values are paths: made absolute, since a unit runs in a scratch directory.
_PATH_OPTIONS = {"script", "prices"}

EPILOG = """examples:
  idsynth batch run specs/warmup/* --out batches/warmup --max-seconds 600
  idsynth batch prove lemmas/*.v --out batches/lemmas -Q lemmas Lib --hole-seconds 30
  idsynth batch prove --from corpus.txt --out batches/corpus --address auto   # an existing Ray cluster
  idsynth batch resume batches/warmup          # after a crash or kill: only unfinished units run
  idsynth batch report batches/warmup -o warmup.html
  idsynth export batches/warmup -o data.jsonl

A list file (--from) has one unit a line: a path, then that unit's own options
(e.g. `Sort.v --only insert_sorted`); relative paths are relative to the list file.

exit codes: 0 every unit closed, 1 some unit open, failed or timed out, 2 bad input,
3 environment problem (Ray or Rocq cannot start)"""


def _template(command: str) -> argparse.ArgumentParser:
    """The serial command's own parser."""
    sub = argparse.ArgumentParser().add_subparsers()
    (add_run_parsers if command == "run" else add_prove_parser)(sub)
    return sub.choices[command]


def _forwarded_actions(command: str) -> list[argparse.Action]:
    return [a for a in _template(command)._actions if a.dest not in _NOT_FORWARDED]


def unit_args(args: argparse.Namespace, command: str) -> list[str]:
    """The `run`/`prove` options given to `batch`, as an argv every unit gets."""
    argv: list[str] = []
    for a in _forwarded_actions(command):
        value = getattr(args, a.dest, a.default)
        if value == a.default or value is None:
            continue
        flag = a.option_strings[0]
        if isinstance(a, argparse._StoreTrueAction):
            argv.append(flag)
        elif isinstance(a, argparse._AppendAction):
            for item in value:
                if a.dest == "Q":  # -Q DIR NAME
                    argv += [flag, str(Path(item[0]).resolve()), item[1]]
                else:
                    argv += [flag, *(map(str, item) if isinstance(item, (list, tuple)) else [str(item)])]
        else:
            argv += [flag, str(Path(value).resolve()) if a.dest in _PATH_OPTIONS else str(value)]
    return argv


def _add_runtime_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("Ray")
    g.add_argument("--address", help="an existing Ray cluster (`auto`, `HEAD:6379`, `ray://HEAD:10001`); "
                                     "default: a private Ray on this machine")
    g.add_argument("--cpus", type=int, help="CPUs of the private Ray (default: all of this machine's cores)")


def add_batch_parser(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("batch", help="many runs or proofs as Ray tasks: durable, resumable, one directory",
                       description="Run many `idsynth run` or `idsynth prove` units in parallel on Ray (this "
                                   "machine by default, a cluster with --address). One directory holds the "
                                   "manifest, each unit's input snapshot, transcript (runs/<id>/) and result.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    bsub = b.add_subparsers(dest="batch_command", metavar="BATCH_COMMAND")
    for command, what, meta in (("run", "SPEC_DIR", "spec directories"), ("prove", "FILE.v", ".v files")):
        p = bsub.add_parser(command, help=f"one `idsynth {command}` per {what}, as Ray tasks",
                            description=f"One `idsynth {command}` per {what} ({meta} as arguments or in --from "
                                        f"LIST), every unit with the `{command}` options given here.",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("paths", metavar=what, nargs="*")
        p.add_argument("--from", dest="list_file", metavar="LIST", help="a file with one unit a line")
        p.add_argument("--out", required=True, metavar="DIR", help="the batch directory (new, or empty)")
        for action in _forwarded_actions(command):
            p._add_action(action)
        r = p.add_argument_group("per unit")
        r.add_argument("--cpus-per-unit", type=float, default=RESOURCE_DEFAULTS["cpus"])
        r.add_argument("--memory-gb", type=float, default=RESOURCE_DEFAULTS["memory_gb"], help="memory reserved per unit")
        r.add_argument("--unit-seconds", type=float, default=RESOURCE_DEFAULTS["unit_seconds"],
                       help="wall clock per unit attempt; then its processes are killed (default %(default)s)")
        r.add_argument("--max-retries", type=int, default=RESOURCE_DEFAULTS["max_retries"],
                       help="re-runs of a unit whose worker or process crashed (default %(default)s)")
        _add_runtime_options(p)
        p.add_argument("--json", action="store_true", help="print every unit's result as JSON")
        p.set_defaults(func=run_batch_cmd, batch_kind=command)

    r = bsub.add_parser("resume", help="finish a stopped or killed batch: only units without a result run",
                        epilog="examples:\n  idsynth batch resume batches/warmup",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("batch_dir", metavar="DIR")
    _add_runtime_options(r)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=run_resume_cmd)

    rep = bsub.add_parser("report", help="one HTML page over a batch: closed share, time and cost, per-unit pages",
                          epilog="examples:\n  idsynth batch report batches/warmup -o warmup.html",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    rep.add_argument("batch_dir", metavar="DIR")
    rep.add_argument("-o", "--output", metavar="OUT.html", help="default: DIR/report.html")
    rep.set_defaults(func=run_report_cmd)
    b.set_defaults(func=lambda args: (b.print_help(), exit_codes.BAD_INPUT)[1])


def _err(message: str) -> None:
    print(f"idsynth batch: {message}", file=sys.stderr)


def _print_results(store: BatchStore, results: dict[str, UnitResult], as_json: bool) -> int:
    from rich.console import Console
    from rich.table import Table

    if as_json:
        print(json.dumps({"batch_dir": str(store.root),
                          "units": [r.model_dump(mode="json") for r in results.values()]}, indent=2))
    else:
        table = Table(title=f"batch {store.manifest.batch_id} ({store.root})")
        for col in ("unit", "status", "s", "attempt", "detail"):
            table.add_column(col)
        for u in store.manifest.units:
            r = results.get(u.id)
            if r is None:
                table.add_row(u.id, "not finished", "", "", "")
                continue
            holes = [h for h in r.summary.get("holes", []) if h.get("status") != "skipped"]
            detail = r.detail or (f"{sum(1 for h in holes if h.get('status') == 'closed')}/{len(holes)} holes closed"
                                  if u.kind == "prove" else str(r.summary.get("reason", "")))
            table.add_row(u.id, r.status, f"{r.seconds:.1f}", str(r.attempt), detail[:100])
        Console().print(table)
        closed = sum(1 for r in results.values() if r.status == "closed")
        print(f"{closed} of {len(store.manifest.units)} units closed; results in {store.root}")
    done = len(results) == len(store.manifest.units)
    return exit_codes.OK if done and all(r.status == "closed" for r in results.values()) else exit_codes.NEGATIVE


def _drive(store_or_dir, args, resume: bool) -> int:
    from idsynth.agent.batch import BatchError, resume_batch, run_batch
    
    from .batch_progress import BatchProgress

    try:
        with BatchProgress() as progress:
            if resume:
                store, results = resume_batch(Path(store_or_dir), address=args.address, num_cpus=args.cpus,
                                              observer=progress)
            else:
                store = store_or_dir
                results = run_batch(store, address=args.address, num_cpus=args.cpus, observer=progress)
    except BatchError as exc:
        _err(str(exc))
        return exit_codes.BAD_INPUT
    except (ConnectionError, RuntimeError) as exc:  # Ray could not start or connect
        _err(f"Ray: {' '.join(str(exc).split())[:300]}")
        return exit_codes.ENVIRONMENT
    return _print_results(store, results, args.json)


def run_batch_cmd(args: argparse.Namespace) -> int:
    from idsynth.agent.batch import BatchError, BatchStore, Resources, plan_batch, read_list_file
    from idsynth.agent.run import git_sha

    try:
        sources = [(Path(p), []) for p in args.paths]
        if args.list_file:
            sources += read_list_file(Path(args.list_file))
        for directory, _ in getattr(args, "Q", []):
            if not Path(directory).is_dir():
                raise BatchError(f"-Q {directory}: no such directory")
        resources = Resources(cpus=args.cpus_per_unit, memory_gb=args.memory_gb, unit_seconds=args.unit_seconds,
                              max_retries=args.max_retries)
        manifest = plan_batch(args.batch_kind, sources, unit_args=unit_args(args, args.batch_kind),
                              resources=resources, git_sha=git_sha())
        store = BatchStore.create(Path(args.out), manifest)
    except (BatchError, ValueError) as exc:
        _err(" ".join(str(exc).split())[:400])
        return exit_codes.BAD_INPUT
    print(f"batch {manifest.batch_id}: {len(manifest.units)} units in {store.root}", file=sys.stderr)
    return _drive(store, args, resume=False)


def run_resume_cmd(args: argparse.Namespace) -> int:
    return _drive(args.batch_dir, args, resume=True)


def run_report_cmd(args: argparse.Namespace) -> int:
    from idsynth.agent.batch import BatchError, write_batch_report

    root = Path(args.batch_dir)
    out = Path(args.output) if args.output else root / "report.html"
    try:
        write_batch_report(root, out)
    except BatchError as exc:
        _err(str(exc))
        return exit_codes.BAD_INPUT
    print(f"wrote {out}")
    return exit_codes.OK
