"""Throughput of verified stores against baselines, each implementation in its own process.

`bench` prepares one binary per implementation (the solutions under test, the spec's
closure-chain solution, OCaml `Map` and `Hashtbl`), then for each key count runs them in
round-robin `rounds` times (so a change of machine load hits every implementation alike),
each run doing `repetitions` timed passes over the same pre-generated operation stream.
A report per (implementation, key count) gives the median ops/s over all passes with
min/max/IQR, per-operation p50/p99 from sampled single operations, and the process's peak
RSS. Lookups that hit are counted: correct stores given the same complete stream agree,
and a disagreement is reported.

A replicated spec (its `[bench]` sets `replicas`: `specs/kv`) runs the replicated driver
(`replicated.py`) instead: replicas simulated in one process, the baseline is the spec's
closure-chain store only (OCaml `Map`/`Hashtbl` are single maps and do not apply), and each
report carries the end-of-pass convergence check (`ReplicationCheck`); a store that fails
it gets a WARNING in its message.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path

import structlog

from idsynth.audit.types import AuditVerdict, Spec

from .baselines import build_ocaml_baseline, closure_chain_for
from .errors import BenchError, DriverError, ExtractionError
from .replicated import replicated_workloads, replication_check
from .run import run_binary
from .store import build_extracted_store
from .types import (
    REPORT_FORMAT_VERSION,
    BenchReport,
    KVShape,
    LatencyStats,
    PrepareFailure,
    ReplicatedBench,
    ReplicatedWorkload,
    StoreBinary,
    Workload,
    bench_section,
)

log = structlog.get_logger(__name__)

DEFAULT_BASELINES = ("closure-chain", "ocaml-map", "ocaml-hashtbl")
#: Per-pass time budget when neither the caller nor the spec's `[bench]` sets one: a slow
#: store (the closure chain) then runs fewer operations instead of running for minutes.
DEFAULT_TIME_BUDGET_S = 2.0


def workloads(spec: Spec, keys: list[int] | None = None,
              **overrides) -> list[Workload] | list[ReplicatedWorkload]:
    """One workload per key count from the spec's `[bench]`, with `overrides` (None = keep);
    replicated workloads when the section sets `replicas`."""
    try:
        section = bench_section(spec.manifest.bench)
    except ValueError as exc:
        raise DriverError(f"{spec.directory / 'spec.toml'}: [bench]: {exc}") from None
    if isinstance(section, ReplicatedBench):
        try:
            return replicated_workloads(section, keys, default_budget_s=DEFAULT_TIME_BUDGET_S, **overrides)
        except ValueError as exc:
            raise DriverError(f"{spec.manifest.name}: replicated workload: {exc}") from None
    o = {k: v for k, v in overrides.items() if v is not None}
    if o.get("check_budget_s") is not None:
        raise DriverError("check_budget_s applies to replicated workloads only")
    ops = o.get("ops", section.ops)
    out = []
    for k in keys or section.keys:
        out.append(Workload(
            keys=k, ops=ops, mix=o.get("mix", section.mix),
            distribution=o.get("distribution", section.distribution),
            zipf_exponent=o.get("zipf_exponent", section.zipf_exponent), seed=o.get("seed", section.seed),
            warmup_ops=o.get("warmup_ops", section.warmup_ops if section.warmup_ops is not None else ops // 10),
            repetitions=o.get("repetitions", section.repetitions),
            time_budget_s=o.get("time_budget_s", section.time_budget_s or DEFAULT_TIME_BUDGET_S),
            sample_every=o.get("sample_every", 64)))
    return out


def store_names(solutions: list[Path]) -> list[str]:
    """The implementation name each solution's reports carry: its file stem, made unique."""
    names: list[str] = []
    for sol in solutions:
        stem = Path(sol).stem
        names.append(stem if stem not in names else f"{stem}-{len(names)}")
    return names


def prepare(spec: Spec, solutions: list[Path], workdir: Path, *,
            baselines: tuple[str, ...] | list[str] = DEFAULT_BASELINES,
            verdicts: dict[Path, AuditVerdict] | None = None,
            timeout: float = 600) -> list[StoreBinary]:
    """Build every implementation's binary, or raise `BenchError` listing every failure."""
    workdir = Path(workdir).resolve()
    verdicts = {Path(p).resolve(): v for p, v in (verdicts or {}).items()}
    stores: list[StoreBinary] = []
    failures: list[PrepareFailure] = []
    for sol, name in zip(solutions, store_names(solutions)):
        sol = Path(sol).resolve()
        got = build_extracted_store(spec, sol, workdir / name, name=name, verdict=verdicts.get(sol), timeout=timeout)
        (stores if isinstance(got, StoreBinary) else failures).append(got)
    if "closure-chain" in baselines:
        chain = closure_chain_for(spec)
        if chain is None:
            log.warning("no closure-chain baseline for this spec", spec=spec.manifest.name)
        else:
            got = build_extracted_store(spec, chain, workdir / "closure-chain", name="closure-chain",
                                        kind="baseline-verified", timeout=timeout)
            (stores if isinstance(got, StoreBinary) else failures).append(got)
    if failures:
        lines = "; ".join(f"{f.name} ({f.stage}): {f.message}" for f in failures)
        raise BenchError(f"cannot benchmark: {lines}", failures)
    shape = stores[0].shape if stores else None
    for which in ("ocaml-map", "ocaml-hashtbl"):
        if which in baselines and isinstance(shape, KVShape):
            log.info("baseline does not apply to a replicated store", baseline=which)
        elif which in baselines:
            if shape is None:
                raise BenchError(f"the {which} baseline needs the operation names of an extracted store")
            got = build_ocaml_baseline(which, shape, workdir / which, timeout=timeout)  # type: ignore[arg-type]
            if isinstance(got, PrepareFailure):
                raise BenchError(f"cannot benchmark: {which} (build): {got.message}", [got])
            stores.append(got)
    return stores


def _quantiles(xs: list[float]) -> tuple[float, float]:
    if len(xs) < 2:
        return (xs[0], xs[0]) if xs else (0.0, 0.0)
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[2]


def _report(store: StoreBinary, spec: Spec, w: Workload, runs: list[dict], failures: list[str],
            peak: int) -> BenchReport:
    hwm = [r.get("vm_hwm_kb", 0) for r in runs]
    rss = dict(peak_rss_kb=max(hwm), peak_rss_source="VmHWM") if hwm and all(hwm) else \
        dict(peak_rss_kb=peak, peak_rss_source="wait4")
    base = dict(impl=store.name, kind=store.kind, spec=spec.manifest.name, keys=w.keys, ops=w.ops,
                workload=w, repetitions=w.repetitions, rounds=len(runs) + len(failures), **rss)
    if failures or not runs:
        return BenchReport(ok=False, message="; ".join(failures) or "no run", **base)
    passes = [p for r in runs for p in r["passes"]]
    rates = [p["ops_done"] / (p["ns"] / 1e9) for p in passes if p["ns"] > 0]
    q1, q3 = _quantiles(rates)
    latency: dict[str, LatencyStats] = {}
    for op in {op for r in runs for op in r["latency"]}:
        stats = [r["latency"][op] for r in runs if op in r["latency"]]
        latency[op] = LatencyStats(op=op, samples=sum(s["samples"] for s in stats),
                                   p50_ns=statistics.median(s["p50_ns"] for s in stats),
                                   p99_ns=statistics.median(s["p99_ns"] for s in stats),
                                   max_ns=max(s["max_ns"] for s in stats))
    complete = [p["hits"] for p in passes if p["ops_done"] == w.ops]
    extra: dict = {"hits": complete[0] if complete else None}
    if isinstance(w, ReplicatedWorkload):
        # Hits are not compared across replicated stores: a different guard is a different schedule.
        checks = [replication_check(r) for r in runs]
        problems = sorted({p for c in checks for p in c.problems()})
        notes = (["WARNING: " + "; ".join(problems)] if problems else []) + [checks[-1].incomplete()]
        extra = {"replication": checks[-1], "message": "; ".join(n for n in notes if n)}
    return BenchReport(
        ops_done_median=statistics.median(p["ops_done"] for p in passes),
        ops_per_s_median=statistics.median(rates) if rates else 0.0,
        ops_per_s_min=min(rates, default=0.0), ops_per_s_max=max(rates, default=0.0),
        ops_per_s_iqr=q3 - q1, passes=len(passes), latency=latency, clock=runs[0]["clock"],
        clock_overhead_ns=statistics.median(r["clock_overhead_ns"] for r in runs), **extra, **base)


def bench(spec: Spec, solutions: list[Path], keys: list[int] | None = None, *, workdir: Path,
          ops: int | None = None, repetitions: int | None = None, rounds: int = 1,
          mix: dict[str, int] | None = None, distribution: str | None = None,
          zipf_exponent: float | None = None, seed: int | None = None, warmup_ops: int | None = None,
          time_budget_s: float | None = None, sample_every: int | None = None,
          check_budget_s: float | None = None,
          baselines: tuple[str, ...] | list[str] = DEFAULT_BASELINES,
          verdicts: dict[Path, AuditVerdict] | None = None, run_timeout: float = 600,
          out_json: Path | None = None,
          on_report: Callable[[BenchReport], None] | None = None) -> list[BenchReport]:
    """Benchmark `solutions` of `spec` (and `baselines`) at each key count.

    Workload defaults come from the spec's `[bench]`; keyword arguments override them.
    `check_budget_s` bounds a replicated run's final check (replicated specs only).
    `verdicts` (solution path -> accepting verdict) skips re-auditing. Each run is bounded by
    `run_timeout` seconds; a crashed or timed-out run makes that report `ok=False`.
    `on_report` is called as each report is ready; `out_json` receives all of them.
    """
    workdir = Path(workdir).resolve()
    loads = workloads(spec, keys, ops=ops, repetitions=repetitions, mix=mix, distribution=distribution,
                      zipf_exponent=zipf_exponent, seed=seed, warmup_ops=warmup_ops,
                      time_budget_s=time_budget_s, sample_every=sample_every, check_budget_s=check_budget_s)
    stores = prepare(spec, solutions, workdir / "impls", baselines=baselines, verdicts=verdicts,
                     timeout=run_timeout)
    reports: list[BenchReport] = []
    for w in loads:
        runs: dict[str, list[dict]] = {s.name: [] for s in stores}
        errors: dict[str, list[str]] = {s.name: [] for s in stores}
        peaks: dict[str, int] = {s.name: 0 for s in stores}
        for _ in range(max(1, rounds)):
            for s in stores:
                r = run_binary([str(s.binary), *w.driver_args()], workdir / "runs", run_timeout)
                peaks[s.name] = max(peaks[s.name], r.peak_rss_kb)
                if not r.ok:
                    why = f"timed out after {run_timeout:g} s" if r.timed_out else f"exit {r.exit_code}"
                    errors[s.name].append(f"{why}: {r.stderr.strip()[-300:]}")
                    continue
                try:
                    runs[s.name].append(json.loads(r.stdout.strip().splitlines()[-1]))
                except (ValueError, IndexError):
                    errors[s.name].append(f"no JSON result: {r.stdout[-200:]!r}")
        batch = [_report(s, spec, w, runs[s.name], errors[s.name], peaks[s.name]) for s in stores]
        batch = _cross_check(batch)
        for rep in batch:
            log.info("bench", impl=rep.impl, keys=rep.keys, ops_per_s=round(rep.ops_per_s_median))
            if on_report:
                on_report(rep)
        reports += batch
    if out_json is not None:
        save_reports(reports, out_json)
    return reports


def _cross_check(batch: list[BenchReport]) -> list[BenchReport]:
    """Flag stores whose hit count on the complete stream differs from the majority."""
    hits = [r.hits for r in batch if r.ok and r.hits is not None]
    if len(set(hits)) <= 1:
        return batch
    majority = max(set(hits), key=hits.count)
    out = []
    for r in batch:
        if r.hits is not None and r.hits != majority:
            note = f"WARNING: {r.hits} lookups hit, the other stores {majority}: a store disagrees"
            r = r.model_copy(update={"message": (r.message + "; " if r.message else "") + note})
        out.append(r)
    return out


def save_reports(reports: list[BenchReport], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format_version": REPORT_FORMAT_VERSION, "reports": [r.model_dump(mode="json") for r in reports]}
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return path


def load_reports(path: Path) -> list[BenchReport]:
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    version = payload.get("format_version")
    if version not in (1, REPORT_FORMAT_VERSION):
        raise ValueError(f"{path}: report format {version}, expected {REPORT_FORMAT_VERSION} (or 1)")
    # A version-1 report is a version-2 report without the replicated fields.
    return [BenchReport.model_validate({**r, "format_version": REPORT_FORMAT_VERSION}) for r in payload["reports"]]


def plot(reports: list[BenchReport], out_png: Path, title: str | None = None) -> Path:
    """Throughput (median ops/s) against key count, log-log, one line per implementation.
    Needs matplotlib (`pip install matplotlib`)."""
    try:
        from matplotlib.figure import Figure  # no pyplot: no global backend or figure state
    except ImportError:
        raise ExtractionError("plot needs matplotlib: pip install matplotlib") from None

    fig = Figure(figsize=(7, 4.5))
    ax = fig.subplots()
    for impl in dict.fromkeys(r.impl for r in reports):
        pts = sorted((r.keys, r.ops_per_s_median, r.ops_per_s_min, r.ops_per_s_max)
                     for r in reports if r.impl == impl and r.ok)
        if not pts:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        err = [[p[1] - p[2] for p in pts], [p[3] - p[1] for p in pts]]
        ax.errorbar(xs, ys, yerr=err, marker="o", capsize=3, label=impl)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("keys (prefilled)")
    ax.set_ylabel("operations per second (median; bars: min-max)")
    ax.set_title(title or (f"{reports[0].spec}: throughput" if reports else "throughput"))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_png, dpi=120)
    return out_png
