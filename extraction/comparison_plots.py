"""The plots of a `bench/chapar.py` result: one per comparison the issue asks for.

- throughput vs keys (operations fixed), in-process, every store;
- throughput vs history length (keys fixed), in-process, every store;
- throughput and put latency vs put rate, replicas on loopback TCP, one column per replica count.

The bench writes them as PNGs next to its JSON; `idsynth report --bench` inlines the same
figures. matplotlib's object API only (no pyplot: no global backend or figure state), imported
here and nowhere at CLI start-up.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from .comparison import Comparison
from .network import NetworkReport
from .types import BenchReport

#: File-name suffix and what each plot shows, in the order they are drawn.
PLOTS = {"keys": "throughput vs keys", "history": "throughput vs history length",
         "put_rate": "throughput and put latency vs put rate (replicas on loopback TCP)"}


def _middle(values: set[int]) -> int:
    return sorted(values)[len(values) // 2]


def throughput_figure(reports: list[BenchReport], axis: str, fixed: int) -> Figure:
    """Median ops/s against `axis` ("keys" or "ops") at `fixed` of the other; hollow markers
    where a pass hit its time budget (fewer operations done than asked)."""
    other = "ops" if axis == "keys" else "keys"
    fig = Figure(figsize=(7.5, 4.8))
    ax = fig.subplots()
    for impl in dict.fromkeys(r.impl for r in reports):
        pts = sorted((getattr(r, axis), r.ops_per_s_median, r.ops_done_median < r.ops)
                     for r in reports if r.impl == impl and r.ok and getattr(r, other) == fixed)
        if not pts:
            continue
        line = ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=impl)[0]
        cut = [p for p in pts if p[2]]
        if cut:
            ax.plot([p[0] for p in cut], [p[1] for p in cut], "o", mfc="white", color=line.get_color())
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("keys" if axis == "keys" else "operations per pass (history length)")
    ax.set_ylabel("ops/s (median)")
    spec = reports[0].spec if reports else ""
    ax.set_title(f"{spec}: throughput vs {'keys' if axis == 'keys' else 'history'} "
                 f"({other} = {fixed:,}; hollow: pass stopped by its budget)", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def put_rate_figure(network: list[NetworkReport]) -> Figure:
    """Per replica count (a column): ops/s (top) and put latency p50 solid, p99 dashed (bottom)
    against the put percentage, one colour per store. Killed-replica runs are left out."""
    counts = sorted({r.replicas for rep in network for r in rep.results})
    fig = Figure(figsize=(4.2 * max(len(counts), 1) + 1, 7))
    axes = fig.subplots(2, max(len(counts), 1), sharex=True, squeeze=False)
    colours = {impl: f"C{i}" for i, impl in enumerate(dict.fromkeys(rep.impl for rep in network))}
    for col, n in enumerate(counts):
        top, bottom = axes[0][col], axes[1][col]
        for rep in network:
            pts = sorted((r.put_percent, r.ops_per_s, r.put_p50_us / 1e3, r.put_p99_us / 1e3)
                         for r in rep.results if r.replicas == n and r.killed is None)
            if not pts:
                continue
            xs, c = [p[0] for p in pts], colours[rep.impl]
            top.plot(xs, [p[1] for p in pts], marker="o", color=c, label=rep.impl)
            bottom.plot(xs, [p[2] for p in pts], marker="o", color=c, label=f"{rep.impl} p50")
            bottom.plot(xs, [p[3] for p in pts], marker="s", ls="--", color=c, label=f"{rep.impl} p99")
        top.set_title(f"{n} replicas", fontsize=9)
        top.set_yscale("log")
        bottom.set_yscale("log")
        bottom.set_xlabel("put percentage")
        bottom.set_xticks(sorted({r.put_percent for rep in network for r in rep.results if r.replicas == n}))
        for ax in (top, bottom):
            ax.grid(True, which="both", alpha=0.3)
        if col == 0:
            top.set_ylabel("ops/s (all clients)")
            bottom.set_ylabel("put latency, ms (solid p50, dashed p99)")
            top.legend(fontsize=8)
    fig.suptitle("replicas on loopback TCP: throughput and put latency vs put rate", fontsize=10)
    fig.tight_layout()
    return fig


def comparison_figures(result: Comparison, at: tuple[int, int] | None = None) -> dict[str, Figure]:
    """The plots the result has data for, keyed as in `PLOTS`. `at` = (keys, operations): the
    cell the throughput plots hold fixed (default: the ratio's cell, else the middle values)."""
    out: dict[str, Figure] = {}
    ok = [r for r in result.reports if r.ok]
    if ok:
        if at is None:
            at = (result.ratio.keys, result.ratio.ops) if result.ratio else \
                (_middle({r.keys for r in ok}), _middle({r.ops for r in ok}))
        keys, ops = at
        out["keys"] = throughput_figure(ok, "keys", ops)
        out["history"] = throughput_figure(ok, "ops", keys)
    if any(rep.results for rep in result.network):
        out["put_rate"] = put_rate_figure(result.network)
    return out


def save_comparison_plots(result: Comparison, out_json: Path, at: tuple[int, int] | None = None) -> list[Path]:
    """`<stem>_keys.png`, `<stem>_history.png`, `<stem>_put_rate.png` beside `out_json`."""
    out_json = Path(out_json)
    written = []
    for name, fig in comparison_figures(result, at).items():
        png = out_json.with_name(f"{out_json.stem}_{name}.png")
        png.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(png, dpi=110)
        written.append(png)
    return written
