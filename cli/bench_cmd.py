"""`idsynth bench SPEC_DIR SOLUTION.v...`: extracted throughput beside the baselines."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path


from . import exit_codes


def add_bench_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="benchmark audited solutions against closure-chain, OCaml Map and Hashtbl",
        description="Audit, extract, build (ocamlfind ocamlopt) and benchmark each solution in its own process, "
        "with the baselines: a Chapar-style closure chain (verified, extracted like any solution) and hand-written "
        "OCaml Map and Hashtbl stores (unverified). Workload from the spec's [bench], overridable. A replicated "
        "spec (its [bench] sets replicas: specs/kv/*) runs every replica in one process, with the closure chain "
        "as the only baseline, and checks that the replicas converge once every message is delivered.",
        epilog="""examples:
  idsynth bench specs/examples/finite_map_int63 tests/data/solutions/finite_map_int63_avl.v --keys 100 1000 10000
  idsynth bench specs/warmup/finite_map runs/x/solution.v --json --plot throughput.png
  idsynth bench specs/kv/ryw tests/data/solutions/kv/ryw.v --keys 10 --ops 2000
  idsynth bench specs/kv/causal tests/data/solutions/kv_fast/causal.v --network --replicas 3 5 --kill-restart

exit codes: 0 ok, 1 a build or run failed, 2 bad input, 3 toolchain missing""",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("spec_dir", metavar="SPEC_DIR")
    p.add_argument("solutions", metavar="SOLUTION.v", nargs="+")
    p.add_argument("--keys", type=int, nargs="+", help="key counts (default: the spec's [bench] keys)")
    p.add_argument("--ops", type=int, help="operations per timed pass")
    p.add_argument("--repetitions", type=int, help="timed passes per round")
    p.add_argument("--rounds", type=int, default=1, help="round-robin rounds over the implementations")
    p.add_argument("--workdir", help="where builds and reports go (default: a temporary directory)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", metavar="OUT.png", help="throughput vs key count, log scale, one line per implementation "
                   "(--network: throughput and put latency vs put rate, a column per replica count)")
    net = p.add_argument_group("replicas on a real network (replicated specs: --network)")
    net.add_argument("--network", action="store_true",
                     help="run each solution as replica processes on loopback TCP with closed-loop clients "
                          "(idsynth.extraction.network) instead of the in-process driver")
    net.add_argument("--replicas", type=int, nargs="+", default=[3], help="replica counts (default 3)")
    net.add_argument("--put-percents", type=int, nargs="+", default=[10, 50, 90], help="put rates, one run each")
    net.add_argument("--seconds", type=float, default=3.0, help="load duration of each run")
    net.add_argument("--clients", type=int, help="closed-loop clients (default: 2 per replica)")
    net.add_argument("--kill-restart", action="store_true",
                     help="one more run per replica count: the last replica is killed halfway and restarted")
    p.set_defaults(func=run_bench)


def run_bench(args: argparse.Namespace) -> int:
    if args.network:
        return _run_network(args)
    from idsynth.audit import SpecError, load_spec
    from idsynth.extraction import BenchError, DriverError, ToolchainMissing, bench, plot
    from idsynth.rocq import RocqError

    try:
        spec = load_spec(args.spec_dir)
        solutions = [Path(s) for s in args.solutions]
        for s in solutions:
            if not s.is_file():
                raise SpecError(f"{s}: no such file")
        with tempfile.TemporaryDirectory(prefix="idsynth-bench-") as tmp:
            workdir = Path(args.workdir) if args.workdir else Path(tmp)
            reports = bench(spec, solutions, keys=args.keys, workdir=workdir, ops=args.ops,
                            repetitions=args.repetitions, rounds=args.rounds)
            if args.plot:
                plot(reports, Path(args.plot), title=f"{spec.manifest.name}: throughput vs keys")
    except (SpecError, DriverError) as exc:
        print(f"idsynth bench: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except ToolchainMissing as exc:
        print(f"idsynth bench: {exc}", file=sys.stderr)
        return exit_codes.ENVIRONMENT
    except (BenchError, RocqError) as exc:
        print(f"idsynth bench: {exc}", file=sys.stderr)
        return exit_codes.NEGATIVE
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in reports], indent=2))
    else:
        print(f"{'implementation':<28} {'kind':<18} {'keys':>7} {'ops/s (median)':>15} {'p50 get ns':>11} {'rss KB':>8}")
        for r in reports:
            get = next((v for k, v in r.latency.items() if "get" in k or "lookup" in k), None)
            status = f"{r.ops_per_s_median:>15,.0f}" if r.ok else f"{'FAILED: ' + r.message[:60]:>15}"
            p50 = f"{get.p50_ns:>11.0f}" if get is not None and hasattr(get, "p50_ns") else f"{'—':>11}"
            print(f"{r.impl:<28} {r.kind:<18} {r.keys:>7} {status} {p50} {r.peak_rss_kb:>8}")
        for r in reports:
            if r.ok and r.message:
                print(f"note: {r.impl} @ {r.keys}: {r.message}")
    return exit_codes.OK if all(r.ok for r in reports) else exit_codes.NEGATIVE


def _run_network(args: argparse.Namespace) -> int:
    from idsynth.audit import SpecError, load_spec
    from idsynth.extraction import DriverError, ToolchainMissing
    from idsynth.extraction.network import format_results, run_network
    from idsynth.rocq import RocqError
    from idsynth.extraction.node import build_extracted_node

    keys = (args.keys or [100])[0]
    reports = []
    try:
        spec = load_spec(args.spec_dir)
        with tempfile.TemporaryDirectory(prefix="idsynth-net-") as tmp:
            workdir = Path(args.workdir) if args.workdir else Path(tmp)
            for sol in map(Path, args.solutions):
                if not sol.is_file():
                    raise SpecError(f"{sol}: no such file")
                built = build_extracted_node(spec, sol, workdir / sol.stem, sol.stem)
                if not built.ok or built.binary is None:
                    print(f"idsynth bench: {sol}: {built.message}", file=sys.stderr)
                    return exit_codes.NEGATIVE
                for n in args.replicas:
                    rep = run_network(built.binary, sol.stem, replicas=n, keys=keys, put_percents=args.put_percents,
                                      clients=args.clients, seconds=args.seconds, kill_restart=args.kill_restart,
                                      logdir=workdir / sol.stem / f"logs-{n}")
                    reports.append(rep)
                    if not args.json:
                        print(format_results(rep), flush=True)
    except (SpecError, DriverError, ValueError) as exc:
        print(f"idsynth bench: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except ToolchainMissing as exc:
        print(f"idsynth bench: {exc}", file=sys.stderr)
        return exit_codes.ENVIRONMENT
    except (RocqError, RuntimeError) as exc:
        print(f"idsynth bench: {exc}", file=sys.stderr)
        return exit_codes.NEGATIVE
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in reports], indent=2))
    if args.plot and reports:
        from idsynth.extraction.comparison_plots import put_rate_figure

        Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        put_rate_figure(reports).savefig(args.plot, dpi=110)
        if not args.json:
            print(f"plot: {args.plot}")
    # Converged, except where a replica was deliberately killed (the stores have no recovery).
    return exit_codes.OK if all(r.converged for rep in reports for r in rep.results if r.killed is None) \
        else exit_codes.NEGATIVE
