"""Replicated key-value throughput: each closed KV store against the closure-chain reference.

    .venv/bin/python bench/kv_replicated.py --specs ryw          # one spec, about 1-2 minutes
    .venv/bin/python bench/kv_replicated.py                      # all seven specs
    .venv/bin/python bench/kv_replicated.py my_stores/ --json out.json

One run per spec: the reference run's first closed store (`runs/reference/<spec>/solution-branch*.v`, the
closure-chain reference) and any extra solutions are audited, extracted and built, then run
by the replicated driver in round-robin, on the spec's `[bench]` workload: 3 replicas in one
process, 12 clients each sticky to a random replica, 40% put / 40% get / 20% delivery steps
over uniformly drawn keys, messages delivered in a seeded random order, each pass from the
initial state. A pass stops at `--budget` seconds, so ops/s is over the operations it did
("done" column). After the passes an untimed check delivers every message and reads every
key at every replica ("conv": yes, NO (a violation, see the notes) or ? (check budget ran out)).

Extra solutions: positional files (`<spec>.v`, used for the spec of that name) or directories
(their `<spec>.v`); with none given, `tests/data/solutions/kv_fast/` when it exists. Honest
caveat: the reference runs' first closed store IS a closure chain (its replica state is a function
wrapped once more at every put and delivery, see `extraction/baselines.py`), so the seven
reference columns measure one and the same store on seven workloads that differ only in name.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs" / "kv"
KV = ["ryw", "monotonic_reads", "monotonic_writes", "writes_follow_reads", "causal", "convergence", "pram"]
KV_FAST = ROOT / "tests" / "data" / "solutions" / "kv_fast"
REFERENCE = "closure-chain"


def _human(x: float) -> str:
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:.2f}{unit}"
    return f"{x:.0f}"


def _extras(spec: str, given: list[Path], only_one_spec: bool) -> list[Path]:
    """The extra solutions for `spec`: files named `<spec>.v` (any name with a single spec),
    `<dir>/<spec>.v` for directories; default the kv_fast directory when it exists."""
    out = []
    for g in given or ([KV_FAST] if KV_FAST.is_dir() else []):
        if g.is_dir():
            if (g / f"{spec}.v").is_file():
                out.append(g / f"{spec}.v")
        elif g.stem == spec or only_one_spec:
            out.append(g)
    return out


def _conv(r) -> str:
    if r.replication is None:
        return "-"
    if r.replication.problems():
        return "NO"
    return "yes" if r.replication.status == "done" else "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("solutions", type=Path, nargs="*", help="extra solution files or directories")
    ap.add_argument("--specs", nargs="+", choices=KV, default=KV)
    ap.add_argument("--keys", type=int, nargs="+", help="key-space sizes (default: the spec's [bench] keys)")
    ap.add_argument("--ops", type=int, help="operations per pass (default: the spec's [bench] ops)")
    ap.add_argument("--reps", type=int, default=3, help="timed passes per run")
    ap.add_argument("--rounds", type=int, default=1, help="runs of each implementation per key count")
    ap.add_argument("--budget", type=float, default=2.0, help="seconds after which a pass stops")
    ap.add_argument("--check-budget", type=float, default=5.0, help="seconds for the final deliver-all and reads")
    ap.add_argument("--json", type=Path, help="write every report here")
    ap.add_argument("--workdir", type=Path, help="keep builds here (default: a temporary directory)")
    args = ap.parse_args(argv)
    for g in args.solutions:
        if not g.exists():
            ap.error(f"{g}: no such file or directory")

    from idsynth.audit import load_spec
    from idsynth.extraction import bench, save_reports
    from idsynth.extraction.bench import store_names

    started = time.monotonic()
    reports, seconds, labels = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="idsynth-kvrep-") as tmp:
        workdir = args.workdir or Path(tmp)
        for name in args.specs:
            spec = load_spec(SPECS / name)
            extras = _extras(name, args.solutions, len(args.specs) == 1)
            # A column per source directory (kv_fast, ...): the files all share the spec's name.
            for impl, path in zip(store_names(extras), extras):
                labels[(name, impl)] = path.parent.name if path.stem == name else path.stem
            t0 = time.monotonic()
            got = bench(spec, extras, args.keys, workdir=workdir / name, ops=args.ops, repetitions=args.reps,
                             rounds=args.rounds, time_budget_s=args.budget, check_budget_s=args.check_budget,
                             baselines=(REFERENCE,))
            reports += [r.model_copy(update={"impl": labels.get((name, r.impl), r.impl)}) for r in got]
            seconds[name] = time.monotonic() - t0
    elapsed = time.monotonic() - started
    if args.json:
        save_reports(reports, args.json)

    first = reports[0].workload if reports else None
    print(f"\nreplicated KV: ops/s, median of {args.reps} passes x {args.rounds} rounds"
          + (f" ({first.ops} ops/pass, {first.replicas} replicas, {first.clients} clients, mix "
             + ", ".join(f"{k} {v}%" for k, v in first.mix.items()) + f", pass budget {args.budget:g} s)"
             if first else "") + "\n")
    impls = [REFERENCE] + list(dict.fromkeys(labels.values()))
    header = f"{'spec':<20} {'keys':>6} " + " ".join(f"{i[:16]:>16} {'done':>7} {'conv':>4}" for i in impls) \
        + "".join(f" {(i[:12] + '/ref'):>16}" for i in impls[1:])
    print(header)
    print("-" * len(header))
    by = {(r.spec, r.impl, r.keys): r for r in reports}
    for name in args.specs:
        for k in sorted({r.keys for r in reports if r.spec == name}):
            cells, ratios = [], []
            ref = by.get((name, REFERENCE, k))
            for impl in impls:
                r = by.get((name, impl, k))
                if r is None:
                    cells.append(f"{'-':>16} {'':>7} {'':>4}")
                elif not r.ok:
                    cells.append(f"{'failed':>16} {'':>7} {'':>4}")
                else:
                    cells.append(f"{_human(r.ops_per_s_median):>16} {_human(r.ops_done_median):>7} {_conv(r):>4}")
                if impl != REFERENCE:
                    ok = r and r.ok and ref and ref.ok and ref.ops_per_s_median
                    ratios.append(f"{r.ops_per_s_median / ref.ops_per_s_median:>15.0f}x" if ok else f"{'-':>16}")
            print(f"{name:<20} {k:>6} " + " ".join(cells) + "".join(f" {x}" for x in ratios))

    # One line per distinct note (the reference's incomplete check recurs in every run).
    notes: dict[tuple[str, str], list[str]] = {}
    for r in reports:
        if r.message:
            notes.setdefault((r.impl, r.message), []).append(f"{r.spec}@{r.keys}")
    for (impl, message), where in notes.items():
        print(f"note: {impl} ({', '.join(where) if len(where) < 4 else f'{len(where)} runs'}): {message}")
    print()
    for r in reports:
        samples = sum(s.samples for s in r.latency.values())
        if r.ok and samples >= 30:  # a budget-stopped reference pass has a handful of samples: no percentile
            lat = ", ".join(f"{op} {s.p50_ns / 1e3:.1f}/{s.p99_ns / 1e3:.1f}" for op, s in sorted(r.latency.items()))
            print(f"p50/p99 us: {r.spec}/{r.impl} @ {r.keys}: {lat}; peak RSS {r.peak_rss_kb // 1024} MB")
    print("\ntime per spec (audits, extraction, builds and runs): "
          + ", ".join(f"{n} {s:.0f} s" for n, s in seconds.items()) + f"; total {elapsed:.0f} s")
    if args.json:
        print(f"reports: {args.json}")
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
