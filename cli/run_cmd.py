"""`idsynth run`, `resume`, `replay`, `compare`: runs and their transcripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from . import exit_codes
from .interrupt import interrupted, stop_on_signals
from .policies import PolicyArgsError, add_policy_arguments, policy_factory, resume_policy_factory
from .run_folder import discard_if_no_transcript

if TYPE_CHECKING:
    from rich.console import Console

    from idsynth.agent.state import RunState

# The defaults of `idsynth.agent.types.Budget`, repeated here so that `--help` shows them
# without importing the agents (tests/cli/test_help.py checks that the two agree).
BUDGET_DEFAULTS = {"moves": 200, "seconds": 1800.0, "tokens": 2_000_000, "dollars": 10.0, "stall_after": 6,
                   "branches": 4, "proposals": 2}


def _err(cmd: str, message: str) -> None:
    print(f"idsynth {cmd}: {message}", file=sys.stderr)


def add_run_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run", help="grow an implementation and its proof for a spec",
        description="Run the nested agents on SPEC_DIR: choose a design, then graded moves until every "
        "theorem is proved; the result must pass the audit. Every step is written to runs/<id>/events.jsonl.",
        epilog="""examples:
  idsynth run specs/warmup/finite_map                       # offline `auto` policy, no key needed
  idsynth run specs/warmup/counter --policy scripted --script my_moves.json
  idsynth run specs/kv/ryw --policy llm --provider anthropic --model claude-sonnet-4-5 --max-dollars 5
  idsynth run specs/kv/ryw --policy llm --provider openai --base-url http://localhost:8000/v1 --model qwen

exit codes: 0 closed and accepted by the audit, 1 not closed (budget spent, designs exhausted),
2 bad input, 3 environment problem""",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("spec_dir", metavar="SPEC_DIR")
    add_policy_arguments(p)
    p.add_argument("--feedback", choices=["rich", "binary"], default="rich",
                   help="rich: goals, errors and locations; binary: accepted/rejected only (ablation)")
    d = BUDGET_DEFAULTS
    p.add_argument("--max-moves", type=int, default=d["moves"], help="moves per run (default: %(default)s)")
    p.add_argument("--max-seconds", type=float, default=d["seconds"], help="wall clock per run (default: %(default)s)")
    p.add_argument("--max-tokens", type=int, default=d["tokens"],
                   help="LLM token budget of the whole run, input + output, --policy llm only (the reply limit per "
                        "request is --max-output-tokens; default: %(default)s)")
    p.add_argument("--max-dollars", type=float,
                   help=f"LLM dollar budget of the whole run (default {d['dollars']:g}; with --policy llm and a model "
                        "the price table does not know, refused unless --prices prices it)")
    p.add_argument("--proposals", type=int, default=d["proposals"],
                   help="proposer calls per design before the reloader takes over (default: %(default)s)")
    p.add_argument("--stall-after", type=int, default=d["stall_after"],
                   help="moves without progress before the inner agent reports a stall (default: %(default)s)")
    p.add_argument("--branches", type=int, default=d["branches"],
                   help="designs the reloader may try (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per Rocq sentence (default: %(default)s)")
    p.add_argument("--runs-dir", default="runs", help="where run directories go (default: %(default)s)")
    p.add_argument("--run-id", help="name of the run directory (default: time-spec-random)")
    p.add_argument("--no-bench", action="store_true", help="do not extract and benchmark the closed solution")
    p.add_argument("--optimize", choices=["throughput"],
                   help="after a design closes, keep searching (within budget) for a faster verified design; the "
                        "result is the fastest audited one")
    p.add_argument("--designs-in-parallel", type=int, default=1, metavar="K",
                   help="best-of-k: try the policy's first K designs as K concurrent runs (one design each, the "
                        "run's budgets each), merged into one transcript; the result is the fastest audited design "
                        "(default: %(default)s)")
    # Internal: child i of --designs-in-parallel tries only the policy's i-th design.
    p.add_argument("--design-index", type=int, help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print the final summary as JSON")
    p.set_defaults(func=run_run)

    r = sub.add_parser("resume", help="continue a stopped or killed run from its transcript",
                       description="Resume RUN_DIR from its last complete event (a torn last line is dropped).",
                       epilog="examples:\n  idsynth resume runs/20261123-101500-finite_map-ab12cd",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("run_dir", metavar="RUN_DIR")
    add_policy_arguments(r, for_resume=True)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=run_resume)

    rp = sub.add_parser("replay", help="re-check a run's recorded moves against a fresh Rocq, without any model",
                        description="Re-apply every recorded design and move, compare documents and verdicts "
                        "(statuses, holes, errors; not timings). Exit 1 on divergence.",
                        epilog="examples:\n  idsynth replay runs/reference/causal\n  idsynth replay --json runs/reference/ryw",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    rp.add_argument("run_dir", metavar="RUN_DIR")
    rp.add_argument("--json", action="store_true")
    rp.set_defaults(func=run_replay)

    x = sub.add_parser("export", help="turn closed, audited runs into training examples (JSONL)",
                       description="One example per applied move of the closing branch (observation -> move) and one "
                       "spec -> solution pair per run; deduplicated; each records the run's policy (scripted ones "
                       "are marked).",
                       epilog="examples:\n  idsynth export runs/reference/* -o data.jsonl",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    x.add_argument("run_dirs", metavar="RUN_DIR", nargs="+", help="run directories, or batch directories "
                   "(`idsynth batch run --out DIR`: its finished run units)")
    x.add_argument("-o", "--output", required=True, metavar="OUT.jsonl")
    x.set_defaults(func=run_export)

    rep = sub.add_parser("report", help="one self-contained HTML page for one or more runs",
                         description="The spec, the final solution (highlighted), the move timeline plot, design "
                         "post-mortems, the audit verdict, benchmark table and plot, and a side-by-side comparison. "
                         "--bench adds a bench/chapar.py result: the ratio of idsynth's fastest store to Chapar's "
                         "and the plots of throughput vs keys, vs history length and vs put rate.",
                         epilog="examples:\n  idsynth report runs/reference/causal -o causal.html\n"
                                "  idsynth report runs/a runs/b -o both.html\n"
                                "  idsynth report runs/reference/causal --bench bench/data/chapar.json "
                                "bench/data/chapar_network.json -o chapar.html\n\n"
                                "exit codes: 0 written, 2 bad input (no run, or a --bench file that is not a result)",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    rep.add_argument("run_dirs", metavar="RUN_DIR", nargs="*", help="run directories (none: --bench alone)")
    rep.add_argument("-o", "--output", required=True, metavar="OUT.html")
    rep.add_argument("--bench", metavar="RESULT.json", nargs="+", default=[],
                     help="bench/chapar.py results (bench/data/chapar*.json): ratio table and comparison plots "
                     "(it takes every path after it: put RUN_DIRs before it)")
    rep.set_defaults(func=run_report)

    c = sub.add_parser("compare", help="compare runs side by side",
                       description="One row per design branch: representation, moves, holes over time, proof "
                       "size, time, tokens, dollars, audit.",
                       epilog="examples:\n  idsynth compare runs/a runs/b\n  idsynth compare --json runs/*",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("run_dirs", metavar="RUN_DIR", nargs="+")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=run_compare)


def _summary(run_dir: Path, state: RunState) -> dict:
    from idsynth.agent.explain import explain

    explanation = explain(state)
    f = state.finished
    # The run's result is the branch its end names (best-of-k, a throughput search), else the last.
    b = next((x for x in state.branches if f is not None and x.index == f.branch), state.branch)
    audit = b.audit.verdict if b and b.audit else None
    return {
        "run_dir": str(run_dir),
        "policy": state.started.policy,
        "status": f.status if f else "stopped",
        "reason": f.reason if f else "",
        "branches": len(state.branches),
        "design": b.design.name if b else None,
        "holes_left": len(b.verdict.holes) if b and b.verdict else None,
        "moves": state.moves,
        "tokens": state.usage.tokens_in + state.usage.tokens_out,
        "dollars": state.usage.dollars,
        "audit": None if audit is None else ("accepted" if audit.accepted else "rejected"),
        "solution": str(Path(run_dir) / f.solution_path) if f and f.solution_path else None,
        "ops_per_s": _ops(b),
        "benchmark_note": b.benchmark.note if b and b.benchmark else None,
        "baselines_faster": _baselines_faster(b),
        "policy_kind": state.started.policy_kind,
        "seconds": round(state.seconds, 1),
        "explanation": None if explanation is None else explanation.model_dump(mode="json"),
    }


def _ops(branch) -> dict | None:
    if branch is None or branch.benchmark is None or not branch.benchmark.reports:
        return None
    return {f"{r['impl']}@{r['keys']}": round(r["ops_per_s_median"]) for r in branch.benchmark.reports if r.get("ok")}


def _print_summary(s: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(s, indent=2))
        return
    print(f"run {s['run_dir']} ({s['policy']}): {s['status']} — {s['reason']}")
    if s["design"] is not None:
        # Tokens and dollars mean something only for a model-backed policy.
        cost = f", tokens {s['tokens']}, ${s['dollars']:.2f}" if s["policy_kind"] == "llm" else ""
        audit = s["audit"] or "not audited (no design closed)"
        print(f"  design {s['design']} (branch {s['branches'] - 1}), holes left "
              f"{s['holes_left']}, moves {s['moves']}{cost}, audit {audit}")
    else:
        print("  no design was chosen")
    if s["explanation"] is not None:
        from idsynth.agent.explain import Explanation, render_text

        print("\n".join(render_text(Explanation.model_validate(s["explanation"]))))
        print(f"  report: idsynth report {s['run_dir']} -o report.html")
    if s["solution"]:
        print(f"  solution: {s['solution']}")
    if s["ops_per_s"]:
        print("  extracted throughput (ops/s, short workload): "
              + ", ".join(f"{k} {v:,}" for k, v in s["ops_per_s"].items()))
    elif s["benchmark_note"]:
        note = s["benchmark_note"]
        if "is not map-shaped" in note:
            # One short line: the full reason is in the transcript and `--json`.
            note = "benchmark skipped: the extracted benchmark driver handles map-shaped signatures only"
        print(f"  {note[:160]}")
    if s.get("baselines_faster"):
        print(f"  note: on this short workload (20,000 ops, one key-space size) the verified design is slower than "
              f"{', '.join(s['baselines_faster'])}; `idsynth bench` runs the full comparison")


def _baselines_faster(branch) -> list[str]:
    """Baselines that beat the verified design in the run's short benchmark (said in the
    summary, so nobody takes it for a regression nobody noticed)."""
    if branch is None or branch.benchmark is None:
        return []
    reports = [r for r in branch.benchmark.reports if r.get("ok")]
    mine = [r["ops_per_s_median"] for r in reports if r.get("kind") == "verified"]
    if not mine:
        return []
    return [r["impl"] for r in reports if r.get("kind") != "verified" and r["ops_per_s_median"] > max(mine)]


def _budget(args):
    from idsynth.agent.types import Budget

    dollars = BUDGET_DEFAULTS["dollars"] if args.max_dollars is None else args.max_dollars
    return Budget(moves=args.max_moves, seconds=args.max_seconds, tokens=args.max_tokens, dollars=dollars,
                  stall_after=args.stall_after, branches=args.branches, proposals=args.proposals)


def run_run(args: argparse.Namespace) -> int:
    from idsynth.agent.policies.scripted import ScriptError
    from idsynth.agent.policy import PolicyStopped
    from idsynth.agent.run import new_run_id, start_run
    from idsynth.agent.transcript import TranscriptError
    from idsynth.audit import SpecError, load_spec
    from idsynth.rocq import RocqError, RocqNotInstalled

    from .logging_setup import log_run_to
    from .progress import Progress


    target = None
    try:
        factory, config = policy_factory(args)
        config = {**config, "benchmark": not args.no_bench, "optimize": args.optimize}
        if args.optimize and args.no_bench:
            raise PolicyArgsError("--optimize throughput needs the benchmark: drop --no-bench")
        if args.designs_in_parallel < 1:
            raise PolicyArgsError("--designs-in-parallel must be at least 1")
        if args.design_index is not None:
            from idsynth.agent.best_of_k import OneDesign

            factory = _one_design(factory, args.design_index, OneDesign)
        run_id = args.run_id or new_run_id(load_spec(args.spec_dir).manifest.name)
        target = Path(args.runs_dir).resolve() / run_id
        if args.designs_in_parallel > 1:
            return _run_in_parallel(args, target, run_id)
        with stop_on_signals(), discard_if_no_transcript(target):
            log_run_to(target, run_id)
            with Progress() as progress:
                run_dir, state = start_run(Path(args.spec_dir), factory, runs_dir=Path(args.runs_dir),
                                           budget=_budget(args), feedback=args.feedback, run_id=run_id,
                                           sentence_timeout=args.timeout, config=config, on_event=progress)
    except (SpecError, ScriptError, PolicyArgsError, TranscriptError) as exc:
        _err("run", str(exc))
        return exit_codes.BAD_INPUT
    except PolicyStopped as exc:
        _err("run", provider_stopped(exc, Path(args.runs_dir) / run_id))
        return exit_codes.ENVIRONMENT
    except RocqNotInstalled as exc:
        _err("run", str(exc))
        return exit_codes.ENVIRONMENT
    except RocqError as exc:
        _err("run", f"the checker failed: {exc}")
        return exit_codes.ENVIRONMENT
    except KeyboardInterrupt:
        if target is None:
            return exit_codes.INTERRUPTED
        return interrupted("run", target)
    summary = _summary(run_dir, state)
    _print_summary(summary, args.json)
    return exit_codes.OK if summary["status"] == "closed" else exit_codes.NEGATIVE


def _one_design(factory, index: int, wrapper):
    return lambda spec, config: wrapper(factory(spec, config), index)


def _run_in_parallel(args: argparse.Namespace, target: Path, run_id: str) -> int:
    """`--designs-in-parallel K`: K child runs, one design each, merged into `target`."""
    from idsynth.agent.best_of_k import merge_branches, run_children
    from idsynth.agent.transcript import TranscriptError

    if (target / "events.jsonl").exists():
        _err("run", f"{target}: a run with this id exists")
        return exit_codes.BAD_INPUT
    argv = list(getattr(args, "argv", None) or sys.argv[1:])
    try:
        children = run_children(argv, args.designs_in_parallel, target)
        state = merge_branches(target, children, run_id, args.designs_in_parallel)
    except TranscriptError as exc:
        _err("run", str(exc))
        return exit_codes.ENVIRONMENT
    summary = _summary(target, state)
    _print_summary(summary, args.json)
    return exit_codes.OK if summary["status"] == "closed" else exit_codes.NEGATIVE


def run_resume(args: argparse.Namespace) -> int:
    from idsynth.agent.policies.scripted import ScriptError
    from idsynth.agent.policy import PolicyStopped
    from idsynth.agent.run import resume_run
    from idsynth.agent.transcript import TranscriptError
    from idsynth.audit import SpecError
    from idsynth.rocq import RocqError

    from .logging_setup import log_run_to
    from .progress import Progress
    from .run_folder import run_kind

    run_dir = Path(args.run_dir)
    if run_kind(run_dir) == "prove":
        from .prove_cmd import resume_prove_run

        return resume_prove_run(args, run_dir)
    try:
        factory = resume_policy_factory(args, run_dir)
        log_run_to(run_dir.resolve(), run_dir.name)
        with stop_on_signals(), Progress() as progress:
            state = resume_run(run_dir, factory, on_event=progress)
    except (SpecError, ScriptError, PolicyArgsError, TranscriptError) as exc:
        _err("resume", str(exc))
        return exit_codes.BAD_INPUT
    except PolicyStopped as exc:
        _err("resume", provider_stopped(exc, run_dir))
        return exit_codes.ENVIRONMENT
    except RocqError as exc:
        _err("resume", str(exc))
        return exit_codes.ENVIRONMENT
    except KeyboardInterrupt:
        return interrupted("resume", run_dir)
    summary = _summary(run_dir, state)
    _print_summary(summary, args.json)
    return exit_codes.OK if summary["status"] == "closed" else exit_codes.NEGATIVE


def provider_stopped(exc: Exception, run_dir: Path) -> str:
    return (f"stopped by the model's provider: {exc}. The run is not finished: fix the cause (key, model name, "
            f"quota) or wait for the provider, then continue it with `idsynth resume {run_dir}`")


def run_replay(args: argparse.Namespace) -> int:
    from idsynth.agent.replay import replay_run
    from idsynth.agent.transcript import TranscriptError
    from idsynth.audit import SpecError
    from idsynth.rocq import RocqError


    try:
        report = replay_run(Path(args.run_dir))
    except (SpecError, TranscriptError) as exc:
        _err("replay", str(exc))
        return exit_codes.BAD_INPUT
    except RocqError as exc:
        _err("replay", str(exc))
        return exit_codes.ENVIRONMENT
    if args.json:
        data = report.model_dump(mode="json")
        data["diverged"] = report.diverged
        print(json.dumps(data, indent=2))
    else:
        print(f"replayed {report.run_dir} ({report.policy}): {report.versions_checked} versions re-graded")
        for d in report.divergences:
            tag = "machine-dependent" if d.machine_dependent else "DIVERGENCE"
            print(f"  [{tag}] event {d.seq}: {d.what}")
        print("no divergence" if not report.diverged else "the replay diverged")
    return exit_codes.NEGATIVE if report.diverged else exit_codes.OK


def _holes_trend(holes: list[int], keep: int = 12) -> str:
    """The holes after each version; a long run shows its first and last versions (the JSON
    output has them all)."""
    if len(holes) <= keep:
        return " ".join(map(str, holes))
    head, tail = holes[: keep // 2], holes[-keep // 2:]
    return f"{' '.join(map(str, head))} … {' '.join(map(str, tail))} ({len(holes)} versions)"


def run_compare(args: argparse.Namespace) -> int:
    from rich.console import Console

    from idsynth.agent.compare import compare_runs
    from idsynth.agent.transcript import TranscriptError

    from .run_folder import select_runs

    run_dirs = select_runs(args.run_dirs, "compare")
    if not run_dirs:
        _err("compare", "no `idsynth run` transcripts among the paths given")
        return exit_codes.BAD_INPUT
    try:
        rows = compare_runs(run_dirs)
    except TranscriptError as exc:
        _err("compare", str(exc))
        return exit_codes.BAD_INPUT
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return exit_codes.OK
    print_compare_table(rows, Console())
    return exit_codes.OK


def print_compare_table(rows, console: Console) -> None:
    """The rows as a table that fits the terminal: columns that say nothing for these runs
    (cost under offline policies, ops/s without a benchmark) are left out, and on a narrow
    terminal the secondary ones too; rich wraps what remains inside its cells."""
    if console.width < 120:
        _print_compare_cards(rows, console)
        return
    from rich.table import Table

    narrow = console.width < 200
    columns: list[tuple[str, object]] = [
        ("run", lambda r: r.run), ("policy", lambda r: r.policy), ("branch", lambda r: str(r.branch)),
        ("design", lambda r: r.design)]
    if not narrow:
        columns.append(("representation", lambda r: r.representation))
    columns += [("moves", lambda r: str(r.moves))]
    if not narrow:
        columns.append(("refused", lambda r: str(r.refused)))
    columns.append(("holes over time", lambda r: _holes_trend(r.holes_over_time, keep=6 if narrow else 12)))
    if not narrow:
        columns.append(("code lines", lambda r: str(r.code_lines)))
    columns += [("proof lines", lambda r: str(r.proof_lines)), ("check s", lambda r: f"{r.seconds:.1f}")]
    if any(r.tokens or r.dollars for r in rows):
        columns += [("tokens", lambda r: str(r.tokens)), ("$", lambda r: f"{r.dollars:.2f}")]
    columns += [("audit", lambda r: r.audit), ("outcome", lambda r: r.outcome)]
    if any(r.ops_per_s for r in rows):
        columns.append(("ops/s", lambda r: f"{r.ops_per_s:.0f}" if r.ops_per_s else "—"))
    if any(r.chosen for r in rows):
        columns.append(("chosen", lambda r: "yes" if r.chosen else ""))
    table = Table(title="runs side by side", expand=False)
    for name, _ in columns:
        # Identifiers stay whole; the free-text columns (policy, outcome) give way.
        table.add_column(name, overflow="fold", no_wrap=name in ("run", "design", "branch", "chosen"))
    for r in rows:
        table.add_row(*[get(r) for _, get in columns])
    console.print(table)


def _print_compare_cards(rows, console: Console) -> None:
    """A terminal too narrow for the table: one short block per design branch."""
    from rich.markup import escape

    for r in rows:
        cost = f", {r.tokens} tokens, ${r.dollars:.2f}" if (r.tokens or r.dollars) else ""
        ops = f", {r.ops_per_s:,.0f} ops/s" if r.ops_per_s else ""
        chosen = "  [bold]← chosen[/bold]" if r.chosen else ""
        console.print(f"[bold]{escape(r.run)}[/bold] ({escape(r.policy)}) branch {r.branch}: "
                      f"{escape(r.design)} — {escape(r.representation)}{chosen}")
        console.print(f"  {escape(r.outcome)}; audit {escape(r.audit)}; {r.moves} moves ({r.refused} refused); "
                      f"holes {_holes_trend(r.holes_over_time, keep=8)}; {r.code_lines} code / {r.proof_lines} proof "
                      f"lines; {r.seconds:.1f} s checking{cost}{ops}", highlight=False)


def run_export(args: argparse.Namespace) -> int:
    from idsynth.agent.batch.report import expand_batch_dirs
    from idsynth.agent.export import export_runs
    from idsynth.agent.transcript import TranscriptError
    from idsynth.audit import SpecError

    from .run_folder import select_runs

    run_dirs = select_runs([str(d) for d in expand_batch_dirs([Path(d) for d in args.run_dirs])], "export")
    if not run_dirs:
        _err("export", "no `idsynth run` transcripts among the paths given; nothing written")
        return exit_codes.BAD_INPUT
    try:
        count = export_runs(run_dirs, Path(args.output))
    except (SpecError, TranscriptError) as exc:
        _err("export", f"{exc}; {args.output} not written")
        return exit_codes.BAD_INPUT
    print(f"wrote {count} examples to {args.output}")
    return exit_codes.OK if count else exit_codes.NEGATIVE


def run_report(args: argparse.Namespace) -> int:
    from idsynth.agent.report import write_report
    from idsynth.agent.transcript import TranscriptError

    from .run_folder import run_kind, select_runs

    taken = select_runs(args.run_dirs, "report", kinds=("run", "prove"))
    run_dirs = [d for d in taken if run_kind(d) == "run"]
    prove_dirs = [d for d in taken if run_kind(d) == "prove"]
    if not taken and not args.bench:
        _err("report", "no run transcripts among the paths given; nothing written")
        return exit_codes.BAD_INPUT
    comparisons = []
    if args.bench:
        from idsynth.extraction.comparison import ComparisonError, load_comparison

        try:  # every file before any rendering: a bad one costs nothing and writes nothing
            comparisons = [(Path(b).name, load_comparison(Path(b))) for b in args.bench]
        except ComparisonError as exc:
            _err("report", f"{exc}; nothing written")
            return exit_codes.BAD_INPUT
    try:
        out = write_report(run_dirs, Path(args.output), prove_dirs, comparisons)
    except TranscriptError as exc:
        _err("report", str(exc))
        return exit_codes.BAD_INPUT
    print(f"wrote {out}")
    return exit_codes.OK
