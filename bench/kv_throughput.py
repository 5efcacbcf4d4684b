"""Key-value throughput: the verified AVL store against the closure chain, OCaml Map and Hashtbl.

    .venv/bin/python bench/kv_throughput.py                 # 10^2..10^5 keys, about 2-3 minutes
    .venv/bin/python bench/kv_throughput.py --json out.json --plot out.png

One run: every implementation is audited (the two Rocq ones), extracted, built, then run in
its own process, in round-robin, `--rounds` times per key count with `--reps` timed passes
each; the table shows median ops/s over all passes and the ratios verified/closure and
verified/Map. Workload: the store is prefilled with every key, then 50% get / 50% put over
uniformly drawn keys. A pass stops at `--budget` seconds (only the closure chain reaches it
at large key counts), so its ops/s is over the operations it did.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "examples" / "finite_map_int63"
VERIFIED = ROOT / "tests" / "data" / "solutions" / "finite_map_int63_avl.v"

#: (ratio, key counts, minimum) targets: verified within 1.5x of Map at 10^3 and 10^4, within
#: 2x at 10^5, and at least 10x the closure chain at 10^5.
TARGETS = [("verified/Map", [1000, 10000], 1 / 1.5), ("verified/Map", [100000], 1 / 2),
           ("verified/closure", [100000], 10.0)]


def _human(x: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:.2f}{unit}"
    return f"{x:.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keys", type=int, nargs="+", default=[100, 1000, 10000, 100000])
    ap.add_argument("--ops", type=int, default=200_000, help="operations per pass")
    ap.add_argument("--reps", type=int, default=3, help="timed passes per run")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each implementation per key count")
    ap.add_argument("--budget", type=float, default=0.5, help="seconds after which a pass stops")
    ap.add_argument("--json", type=Path, help="write the reports here")
    ap.add_argument("--plot", type=Path, help="write a throughput plot here (needs matplotlib)")
    ap.add_argument("--workdir", type=Path, help="keep builds here (default: a temporary directory)")
    args = ap.parse_args(argv)

    from idsynth.audit import load_spec
    from idsynth.extraction import bench, plot

    spec = load_spec(SPEC)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="idsynth-kv-") as tmp:
        workdir = args.workdir or Path(tmp)
        reports = bench(spec, [VERIFIED], args.keys, workdir=workdir, ops=args.ops, repetitions=args.reps,
                        rounds=args.rounds, mix={"get": 50, "put": 50}, distribution="uniform",
                        warmup_ops=args.ops // 10, time_budget_s=args.budget, out_json=args.json)
    elapsed = time.monotonic() - started

    verified = VERIFIED.stem
    by = {(r.impl, r.keys): r for r in reports}
    cols = [("closure-chain", "closure chain"), (verified, "verified AVL"), ("ocaml-map", "OCaml Map"),
            ("ocaml-hashtbl", "Hashtbl")]
    print(f"\nspec {spec.manifest.name}: ops/s, median of {args.reps} passes x {args.rounds} rounds "
          f"({args.ops} ops/pass, 50% get / 50% put, uniform keys, pass budget {args.budget:g} s)\n")
    header = f"{'keys':>8} " + " ".join(f"{title:>14}" for _, title in cols) \
        + f" {'verified/closure':>17} {'verified/Map':>13}"
    print(header)
    print("-" * len(header))
    ratios: dict[tuple[str, int], float] = {}
    for k in args.keys:
        cells = []
        for impl, _ in cols:
            r = by.get((impl, k))
            cells.append(f"{_human(r.ops_per_s_median):>14}" if r and r.ok else f"{'failed':>14}")
        v, c, m = by.get((verified, k)), by.get(("closure-chain", k)), by.get(("ocaml-map", k))
        vc = v.ops_per_s_median / c.ops_per_s_median if v and c and c.ops_per_s_median else float("nan")
        vm = v.ops_per_s_median / m.ops_per_s_median if v and m and m.ops_per_s_median else float("nan")
        ratios[("verified/closure", k)], ratios[("verified/Map", k)] = vc, vm
        print(f"{k:>8} " + " ".join(cells) + f" {vc:>16.1f}x {vm:>12.2f}x")

    print(f"\n{'keys':>8} " + " ".join(f"{'p50 get/put ns':>22}" for _ in cols[:1]) + "   (per implementation)")
    for k in args.keys:
        parts = []
        for impl, title in cols:
            r = by.get((impl, k))
            if r and r.ok:
                lat = "/".join(f"{r.latency[op].p50_ns:.0f}" for op in ("get", "put") if op in r.latency)
                parts.append(f"{title}: {lat} ({r.peak_rss_kb // 1024} MB)")
        print(f"{k:>8}  " + "; ".join(parts))

    notes = [f"{r.impl} @ {r.keys}: {r.message}" for r in reports if r.message]
    for n in notes:
        print(f"note: {n}")
    print("\ntargets:")
    all_met = True
    for name, ks, minimum in TARGETS:
        for k in ks:
            if k not in args.keys:
                continue
            got = ratios.get((name, k), float("nan"))
            met = got >= minimum
            all_met &= met
            print(f"  {name} at {k:>6} keys >= {minimum:.2f}: {got:.2f}  {'met' if met else 'NOT MET'}")
    if args.plot:
        print(f"plot: {plot(reports, args.plot)}")
    print(f"\n(total {elapsed:.0f} s, including audits and builds)")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
