"""The `idsynth` command line: argument parsing and dispatch to subcommands.

Exit codes are those of `exit_codes.py`. Logging is configured here, once, never at import.
"""

from __future__ import annotations

import argparse
import sys

from . import exit_codes
from .audit_cmd import add_audit_parser
from .audit_spec_cmd import add_audit_spec_parser
from .batch_cmd import add_batch_parser
from .bench_cmd import add_bench_parser
from .check import add_check_parser
from .config import ConfigError, apply_defaults
from .doctor import add_doctor_parser
from .prove_cmd import add_prove_parser
from .run_cmd import add_run_parsers
from .logging_setup import configure_logging

EPILOG = """exit codes: 0 ok, 1 negative result (holes, failures, rejection),
2 bad input, 3 environment problem (e.g. Rocq not installed)"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="idsynth",
        description="Verified implementations and their Rocq proofs, grown together against a live checker.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--log-level", default="error",
                        help="log level on stderr (default: error; every event is in runs/<id>/idsynth.log.jsonl)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_check_parser(sub)
    add_audit_parser(sub)
    add_audit_spec_parser(sub)
    add_run_parsers(sub)
    add_prove_parser(sub)
    add_doctor_parser(sub)
    add_bench_parser(sub)
    add_batch_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    command = next((a for a in argv if a in subparsers.choices), None)
    if command is not None:
        try:
            apply_defaults(subparsers.choices[command], command)
        except ConfigError as exc:
            print(f"idsynth: {exc}", file=sys.stderr)
            return exit_codes.BAD_INPUT
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad options, 0 on --help
        return int(exc.code or 0)
    configure_logging(args.log_level)
    args.argv = argv  # `run --designs-in-parallel` starts its children with the same options
    if not getattr(args, "func", None):
        parser.print_help()
        return exit_codes.BAD_INPUT
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
