"""idsynth's audited KV stores against Chapar's three verified stores, side by side, one run.

    .venv/bin/python bench/chapar.py /work/scratch/chapar                 # default grid, a few minutes
    .venv/bin/python bench/chapar.py CHAPAR_DIR --keys 1000 --ops 100000  # just the ratio cell
    .venv/bin/python bench/chapar.py CHAPAR_DIR --ops 10000 100000 1000000 10000000 --budget 30  # bigger
    .venv/bin/python bench/chapar.py CHAPAR_DIR --solutions my/causal.v   # any audited solution

CHAPAR_DIR is a checkout of coq-community/chapar (the `fetch` tool or `git clone`); nothing
of it is copied into idsynth. Its theories are compiled into the work directory (about a
minute here), its three algorithms extracted by its own directives with MaxNId = the spec's
replica count, and each is wrapped by `idsynth.extraction.chapar`'s adapter into the same
replicated driver idsynth's stores run in (`extraction/replicated.py`): the spec's `[bench]`
workload (3 replicas in one process, 12 sticky clients, 40% put / 40% get / 20% delivery of
a seeded-random ready message), the same seed, so the same operation stream for every store.
The solutions (default: FastLWW `tests/data/solutions/kv_fast/<spec>.v` and CausalLWW
`tests/data/solutions/kv/<spec>.v`) are audited before they are extracted; a rejected one is
reported and left out.

Every cell (keys x operations) runs every store in round-robin, `--reps` passes each from the
initial state; a pass stops at `--budget` seconds (ops/s is then over the operations done,
column "done"). Printed: median ops/s, p50/p99 latency of put/get/deliver (sampled single
operations), peak RSS, the convergence check ("conv": yes / NO with the reason / ? budget),
and the ratio of idsynth's fastest audited store to Chapar's fastest at `--ratio-at`
(default 1,000 keys, 10^5 operations). JSON and plots (throughput vs keys, vs history
length; with --network also throughput and put latency vs put rate) go next to each other (`--json`,
default bench/data/chapar.json: `chapar_keys.png`, `chapar_history.png`, `chapar_put_rate.png`);
`idsynth report --bench FILE.json` puts the same plots in a report page.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs" / "kv"
SOLUTIONS = ROOT / "tests" / "data" / "solutions"
#: Column labels for the solution directories this repository ships.
KNOWN = {"kv_fast": "FastLWW", "kv": "CausalLWW"}


def _human(x: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:.2f}{unit}"
    return f"{x:.0f}"


def _label(path: Path, spec: str, taken: list[str]) -> str:
    base = KNOWN.get(path.parent.name, path.parent.name) if path.stem == spec else path.stem
    label, n = f"idsynth:{base}", 2
    while label in taken:
        label, n = f"idsynth:{base}-{n}", n + 1
    return label


def _conv(r) -> str:
    if not r.ok:
        return "fail"
    if r.replication is None:
        return "-"
    if r.replication.problems():
        return "NO"
    return "yes" if r.replication.status == "done" else "?"


def _plots(out_json: Path, at: tuple[int, int] | None = None) -> list[Path]:
    """Every plot the written result has data for (keys, history, put rate), beside it."""
    from idsynth.extraction.comparison import load_comparison

    try:
        from idsynth.extraction.comparison_plots import save_comparison_plots
    except ImportError:
        print("plots skipped: matplotlib is not installed (pip install matplotlib)")
        return []
    return save_comparison_plots(load_comparison(out_json), out_json, at)


def _write(args, ratio, skipped, reports, network) -> None:
    from idsynth.extraction.types import REPORT_FORMAT_VERSION

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"format_version": REPORT_FORMAT_VERSION, "command": sys.argv, "ratio": ratio,
                                     "left_out": skipped, "reports": [r.model_dump(mode="json") for r in reports],
                                     "network": [n.model_dump(mode="json") for n in network]},
                                    indent=1) + "\n", encoding="utf-8")


def _network(args, spec, sols, stores, theories, names, workdir) -> list:
    """idsynth's first audited store and Chapar's `--network-algs` as replica processes."""
    from idsynth.extraction.chapar import chapar_store, extract_algorithm
    from idsynth.extraction.network import format_results, run_network
    from idsynth.extraction.node import build_extracted_node, build_node

    ours = next(s for s in stores if s.name.startswith("idsynth:"))
    out = []
    # One node binary for every replica count: idsynth's store is not parameterised by it.
    built = build_extracted_node(spec, ours.solution, workdir / "net" / "idsynth", "node-idsynth")
    if not built.ok:
        print(f"network: {ours.name}: {built.message}")
    for n in args.replicas:
        nodes = [(ours.name, built.binary)] if built.ok else []
        for alg in args.network_algs:
            ml = extract_algorithm(theories, alg, n, workdir / "chapar" / "extracted")
            b = build_node(chapar_store(f"KVSAlg{alg}.KVSAlg{alg}", names), ml, workdir / "net" / f"alg{alg}-{n}",
                           f"node-chapar-alg{alg}")
            if not b.ok:
                raise SystemExit(f"building Chapar's algorithm {alg} node: {b.message}")
            nodes.append((f"chapar-alg{alg}", b.binary))
        for name, binary in nodes:
            rep = run_network(binary, name, replicas=n, keys=args.network_keys, put_percents=args.put_percents,
                              seconds=args.seconds, kill_restart=args.kill_restart,
                              logdir=workdir / "net" / "logs" / f"{name.replace(':', '_')}-{n}")
            print(format_results(rep), flush=True)
            out.append(rep)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("chapar", type=Path, help="a checkout of coq-community/chapar")
    ap.add_argument("--spec", default="causal", help="the specs/kv spec whose workload and audit apply")
    ap.add_argument("--solutions", type=Path, nargs="+", help="idsynth solutions (default: FastLWW and CausalLWW)")
    ap.add_argument("--algs", type=int, nargs="+", default=[1, 2, 3], choices=[1, 2, 3], help="Chapar's algorithms")
    ap.add_argument("--keys", type=int, nargs="+", default=[10, 100, 1000, 10000])
    ap.add_argument("--ops", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--reps", type=int, default=3, help="timed passes per store and cell")
    ap.add_argument("--budget", type=float, default=2.0, help="seconds after which a pass stops")
    ap.add_argument("--check-budget", type=float, default=5.0, help="seconds for the final deliver-all and reads")
    ap.add_argument("--seed", type=int, help="workload seed (default: the spec's)")
    ap.add_argument("--ratio-at", type=int, nargs=2, default=[1000, 100_000], metavar=("KEYS", "OPS"))
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "data" / "chapar.json")
    ap.add_argument("--workdir", type=Path, help="keep builds here (default: a temporary directory)")
    net = ap.add_argument_group("replicas on loopback TCP (idsynth.extraction.network)")
    net.add_argument("--network", action="store_true", help="also run the networked comparison")
    net.add_argument("--network-only", action="store_true", help="skip the in-process grid")
    net.add_argument("--replicas", type=int, nargs="+", default=[3, 5])
    net.add_argument("--put-percents", type=int, nargs="+", default=[10, 50, 90])
    net.add_argument("--network-algs", type=int, nargs="+", default=[1, 2], choices=[1, 2, 3],
                     help="Chapar's algorithms on the network (3 never delivers an update: see the README)")
    net.add_argument("--network-keys", type=int, default=100)
    net.add_argument("--seconds", type=float, default=3.0, help="load duration per put rate")
    net.add_argument("--kill-restart", action="store_true", help="one more run per store and N: a replica killed")
    args = ap.parse_args(argv)

    from idsynth.audit import load_spec
    from idsynth.extraction import build_extracted_store, workloads
    from idsynth.extraction.bench import _report  # the same report as `idsynth bench` makes
    from idsynth.extraction.chapar import build_chapar_store, build_theories, check_checkout, extract_algorithm
    from idsynth.extraction.run import run_binary
    from idsynth.extraction.types import KVShape, StoreBinary

    try:
        check_checkout(args.chapar)
    except Exception as exc:
        ap.error(str(exc))
    spec = load_spec(SPECS / args.spec)
    sols = args.solutions or [p for p in (SOLUTIONS / "kv_fast" / f"{args.spec}.v", SOLUTIONS / "kv" / f"{args.spec}.v")
                              if p.is_file()]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="idsynth-chapar-") as tmp:
        workdir = (args.workdir or Path(tmp)).resolve()
        stores: list[StoreBinary] = []
        skipped: list[str] = []
        for sol in sols:
            label = _label(sol, args.spec, [s.name for s in stores])
            t0 = time.monotonic()
            got = build_extracted_store(spec, sol, workdir / "idsynth" / label.replace(":", "_"), name=label)
            if isinstance(got, StoreBinary):
                stores.append(got)
                print(f"{label}: {sol} audited, extracted and built in {time.monotonic() - t0:.0f} s")
            else:
                skipped.append(f"{label} ({sol}): {got.stage}: {got.message}")
                print(f"{label}: LEFT OUT, {got.stage}: {got.message}")
        if not stores:
            print("no idsynth store passed the audit and built")
            return 1
        shape = stores[0].shape
        assert isinstance(shape, KVShape)
        names = (shape.put, shape.get, shape.deliver)
        t0 = time.monotonic()
        theories = build_theories(args.chapar, workdir / "chapar")
        replicas = workloads(spec, [10])[0].replicas
        for alg in args.algs:
            ml = extract_algorithm(theories, alg, replicas, workdir / "chapar" / "extracted")
            stores.append(build_chapar_store(ml, alg, workdir / "chapar" / "bin", names))
        print(f"chapar: theories compiled, algorithms {args.algs} extracted (MaxNId = {replicas}) and built "
              f"in {time.monotonic() - t0:.0f} s")

        reports = []
        network = _network(args, spec, sols, stores, theories, names, workdir) if args.network or args.network_only \
            else []
        for ops in ([] if args.network_only else args.ops):
            for w in workloads(spec, args.keys, ops=ops, repetitions=args.reps, time_budget_s=args.budget,
                               check_budget_s=args.check_budget, seed=args.seed):
                for s in stores:
                    r = run_binary([str(s.binary), *w.driver_args()], workdir / "runs",
                                   timeout=args.reps * args.budget + args.check_budget + 120)
                    runs, errors = [], []
                    if r.ok:
                        runs.append(json.loads(r.stdout.strip().splitlines()[-1]))
                    else:
                        errors.append(("timed out" if r.timed_out else f"exit {r.exit_code}")
                                      + f": {r.stderr.strip()[-300:]}")
                    rep = _report(s, spec, w, runs, errors, r.peak_rss_kb)
                    reports.append(rep)
                    print(f"  {s.name:<18} keys {w.keys:>6} ops {ops:>8}: {_human(rep.ops_per_s_median):>8} ops/s "
                          f"(done {_human(rep.ops_done_median)}, conv {_conv(rep)})", flush=True)

    if args.network_only:
        _write(args, None, skipped, [], network)
        for png in _plots(args.json):
            print(f"plot: {png}")
        return 0 if all(r.converged for n in network for r in n.results if r.killed is None) else 1
    names_order = [s.name for s in stores]
    by = {(r.impl, r.keys, r.ops): r for r in reports}
    print(f"\n{args.spec} workload: {w.replicas} replicas, {w.clients} clients, mix "
          + ", ".join(f"{k} {v}%" for k, v in w.mix.items()) + f", seed {w.seed}; median of {args.reps} passes, "
          f"pass budget {args.budget:g} s\n")
    header = f"{'keys':>6} {'ops':>8} | " + " | ".join(f"{n[:18]:>18} {'done':>6} {'conv':>4}" for n in names_order)
    print(header)
    print("-" * len(header))
    for ops in args.ops:
        for k in args.keys:
            cells = []
            for n in names_order:
                r = by.get((n, k, ops))
                cells.append(f"{'failed':>18} {'':>6} {'':>4}" if r is None or not r.ok else
                             f"{_human(r.ops_per_s_median):>18} {_human(r.ops_done_median):>6} {_conv(r):>4}")
            print(f"{k:>6} {ops:>8} | " + " | ".join(cells))
    print("\nlatency p50/p99 in us (put, get, deliver) and peak RSS:")
    for r in reports:
        if r.ok:
            lat = ", ".join(f"{op} {s.p50_ns / 1e3:.2f}/{s.p99_ns / 1e3:.2f}" for op, s in sorted(r.latency.items())
                            if s.samples >= 10)
            print(f"  {r.impl:<18} keys {r.keys:>6} ops {r.ops:>8}: {lat or 'too few samples'}; "
                  f"RSS {r.peak_rss_kb / 1024:.0f} MB")
    notes: dict[tuple[str, str], list[str]] = {}
    for r in reports:
        if r.message:
            notes.setdefault((r.impl, r.message), []).append(f"{r.keys}k/{r.ops}")
    for (impl, message), where in notes.items():
        print(f"note: {impl} ({', '.join(where) if len(where) < 4 else f'{len(where)} cells'}): {message}")
    for s in skipped:
        print(f"left out: {s}")

    rk, ro = args.ratio_at
    ratio = None
    ours = [by[(s.name, rk, ro)] for s in stores if s.name.startswith("idsynth:") and (s.name, rk, ro) in by]
    theirs = [by[(s.name, rk, ro)] for s in stores if s.name.startswith("chapar") and (s.name, rk, ro) in by]
    ours, theirs = [r for r in ours if r.ok], [r for r in theirs if r.ok]
    if ours and theirs:
        best, rival = max(ours, key=lambda r: r.ops_per_s_median), max(theirs, key=lambda r: r.ops_per_s_median)
        value = best.ops_per_s_median / rival.ops_per_s_median
        ratio = {"keys": rk, "ops": ro, "idsynth": best.impl, "idsynth_ops_per_s": best.ops_per_s_median,
                 "chapar": rival.impl, "chapar_ops_per_s": rival.ops_per_s_median, "ratio": value,
                 "complete": best.ops_done_median == ro and rival.ops_done_median == ro}
        print(f"\nRATIO at {rk:,} keys, {ro:,} operations: idsynth's fastest audited store ({best.impl}, "
              f"{_human(best.ops_per_s_median)} ops/s) / Chapar's fastest ({rival.impl}, "
              f"{_human(rival.ops_per_s_median)} ops/s) = {value:.2f}x"
              + ("" if ratio["complete"] else " (a pass was stopped by its budget: see 'done')"))
    else:
        print(f"\nno ratio: the cell {rk} keys / {ro} ops was not run (see --ratio-at) or a store failed")

    _write(args, ratio, skipped, reports, network)
    pngs = _plots(args.json, (rk, ro))
    print(f"\nreports: {args.json}" + "".join(f"\nplot: {p}" for p in pngs)
          + f"\ntotal {time.monotonic() - started:.0f} s")
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
