"""`idsynth report`: one self-contained HTML page per set of runs, from transcripts alone.

The page holds the spec, the final solution (highlighted with Pygments' Coq lexer), the
move timeline (holes left over moves, one line per branch), the design post-mortems, the
audit verdict, the benchmark table and throughput plot, and for several runs a side-by-side
comparison. With `--bench FILE.json` (a `bench/chapar.py` result) it also holds the stores'
comparison: the ratio table and the plots vs keys, history length and put rate. Plots are matplotlib PNGs inlined as data URIs: the file opens anywhere.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from idsynth.audit import load_spec

from .compare import compare_runs
from .run import locate_spec
from .skeleton import spec_text
from .state import fold
from .transcript import read_events

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
td, th { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
th { background: #f3f3f3; } .ok { color: #196c2e; font-weight: bold; } .bad { color: #a40e26; font-weight: bold; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: .85em; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: .6em 1em; }
img.plot { max-width: 100%; border: 1px solid #eee; }
table.moves td, table.holes td { vertical-align: top; } table.moves code { white-space: pre-wrap; }
"""


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _timeline_plot(state) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3.2))
    ax = fig.subplots()
    x0 = 0
    for b in state.branches:
        holes = [len(v.holes) for v in b.verdicts]
        ax.plot(range(x0, x0 + len(holes)), holes, marker="o", label=f"branch {b.index}: {b.design.name}")
        x0 += len(holes)
    ax.set_xlabel("document version (all branches)")
    ax.set_ylabel("holes left")
    ax.set_ylim(bottom=0)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # versions are whole numbers
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Below the axes, never over the lines it names.
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, frameon=False)
    ax.grid(alpha=.3)
    return _png(fig)


def _seconds_between(a: str, b: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()


def _duration(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} min {s:02d} s" if m else f"{seconds:.1f} s"


def move_rows(events: list) -> list[dict]:
    """One row per proposed move: wall-clock time since the run started, the move, its target,
    its tactic or text, and the verdict (holes before -> after, or why it was refused)."""
    rows: list[dict] = []
    t0 = events[0].time
    holes: dict[int, int] = {}
    pending: dict | None = None
    for e in events:
        kind = e.type
        if kind == "move_proposed":
            m = e.move
            if m is None:
                rows.append({"time": _seconds_between(t0, e.time), "branch": e.branch, "move": "—",
                             "target": "", "tactic": "", "verdict": f"nothing to offer: {e.note}"})
                continue
            target = getattr(m, "hole", None) or getattr(m, "name", None) or getattr(m, "item", None) or ""
            tactic = (getattr(m, "script", None) or getattr(m, "text", None) or "")
            if m.kind == "decompose":
                tactic = "helpers " + ", ".join(h.name for h in m.helpers) + "; " + m.script
            elif m.kind == "revert":
                tactic = f"to version {m.version}"
            pending = {"time": _seconds_between(t0, e.time), "branch": e.branch, "move": m.kind,
                       "target": target, "tactic": " ".join(tactic.split()), "verdict": "pending"}
            rows.append(pending)
        elif kind == "move_applied":
            before = holes.get(e.branch)
            holes[e.branch] = len(e.verdict.holes)
            if pending is not None:
                pending["verdict"] = (f"applied, holes {before} → {holes[e.branch]}" if before is not None
                                      else f"applied, {holes[e.branch]} holes")
                pending = None
        elif kind == "move_refused" and pending is not None:
            pending["verdict"], pending = f"refused: {e.reason}", None
        elif kind == "move_rejected" and pending is not None:
            f = e.verdict.first_failure
            pending["verdict"] = "rolled back: " + (" ".join(f.message.split()) if f else "error")
            pending = None
        elif kind == "design_chosen":
            holes.pop(e.branch, None)
    return rows


def _moves_table(events: list) -> str:
    esc = html.escape
    rows = move_rows(events)
    if not rows:
        return ""
    out = ["<h3>Moves</h3><table class='moves'><tr><th>time</th><th>branch</th><th>move</th><th>target</th>"
           "<th>tactic / text</th><th>verdict</th></tr>"]
    for r in rows:
        cls = "ok" if r["verdict"].startswith("applied") else ("bad" if r["verdict"].startswith(("refused", "rolled"))
                                                                 else "")
        out.append(f"<tr><td>{_duration(r['time'])}</td><td>{r['branch']}</td><td>{esc(r['move'])}</td>"
                   f"<td>{esc(r['target'])}</td><td><code>{esc(r['tactic'][:300])}</code></td>"
                   f"<td class='{cls}'>{esc(r['verdict'][:300])}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _explanation(state) -> str:
    from .explain import explain

    e = explain(state)
    if e is None:
        return ""
    esc = html.escape
    out = ["<h3>Why the run did not close</h3>", f"<p class='note'>{esc(e.status)} — {esc(e.reason)}</p>"]
    if e.design is not None:
        out.append(f"<p>Design kept: <b>{esc(e.design)}</b> ({esc(e.representation or '')}), branch {e.branch}</p>")
        out.append("<pre>" + esc("\n".join(e.definitions)) + "</pre>")
    if e.failure:
        out.append(f"<p class='bad'>The document does not check: {esc(e.failure)}</p>")
    if e.audit:
        out.append("<p>The audit rejected it:</p><ul>" + "".join(f"<li>{esc(a)}</li>" for a in e.audit) + "</ul>")
    if e.holes:
        out.append("<table class='holes'><tr><th>open hole</th><th>goal</th><th>tried</th><th>likely cause</th></tr>")
        for h in e.holes:
            tried = "<br>".join(esc(f"{a.what} → {a.outcome}") for a in h.tried) or "—"
            out.append(f"<tr><td>{esc(h.name)}</td><td><code>{esc(h.goal)}</code></td><td>{tried}</td>"
                       f"<td>{esc(h.cause)}</td></tr>")
        out.append("</table>")
    for sug in e.suggestions:
        first, _, rest = sug.partition("\n")
        out.append(f"<p><b>Next:</b> {esc(first)}</p>" + (f"<pre>{esc(rest)}</pre>" if rest else ""))
    return "\n".join(out)


def _throughput_plot(reports: list[dict]) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3.2))
    ax = fig.subplots()
    impls = list(dict.fromkeys(r["impl"] for r in reports))
    ax.bar(range(len(impls)), [max((r["ops_per_s_median"] for r in reports if r["impl"] == i), default=0)
                               for i in impls])
    ax.set_xticks(range(len(impls)), impls, rotation=15, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("ops/s (median)")
    ax.grid(alpha=.3, axis="y")
    return _png(fig)


def _run_section(run_dir: Path) -> str:
    events, _ = read_events(run_dir / "events.jsonl")
    state = fold(events)
    start = state.started
    esc = html.escape
    out = [f"<h2>Run {esc(run_dir.name)}</h2>"]
    policy_note = (" — <b>scripted</b>: moves written by hand, replayed through the real grader and audit; "
                   "not a synthesis by a model" if start.policy_kind == "scripted" else "")
    fin = state.finished
    wall = _seconds_between(events[0].time, events[-1].time)
    out.append(f"<p>spec <b>{esc(start.spec_name)}</b> (sha256 {start.spec_hash[:16]}), policy "
               f"<b>{esc(start.policy)}</b>{policy_note}. Outcome: "
               f"<b>{esc(fin.status if fin else 'stopped')}</b> — {esc(fin.reason if fin else '')}</p>"
               f"<p>Started {esc(events[0].time[:19].replace('T', ' '))} UTC; wall clock {_duration(wall)} "
               f"({_duration(state.seconds)} of it grading moves); {state.moves} moves on {len(state.branches)} "
               f"design(s).</p>")
    out.append(_explanation(state))
    try:
        spec = load_spec(locate_spec(start.spec_dir, run_dir.resolve()))
        out.append("<details><summary>The spec</summary>"
                   + highlight(spec_text(spec), get_lexer_by_name("coq"), HtmlFormatter()) + "</details>")
    except Exception as exc:  # noqa: BLE001 - a moved spec should not stop the report
        out.append(f"<p class='note'>spec not found: {esc(str(exc))}</p>")
    out.append(f"<h3>Move timeline</h3><img class='plot' alt='holes left over moves' src='{_timeline_plot(state)}'>")
    out.append(_moves_table(events))
    if state.post_mortems:
        out.append("<h3>Design post-mortems</h3><table><tr><th>branch</th><th>design</th><th>representation</th>"
                   "<th>stuck on</th><th>why</th><th>moves</th></tr>")
        for pm in state.post_mortems:
            out.append(f"<tr><td>{pm.branch}</td><td>{esc(pm.design)}</td><td>{esc(pm.representation)}</td>"
                       f"<td>{esc(pm.stuck_on)}</td><td>{esc(pm.why)}</td><td>{pm.moves}</td></tr>")
        out.append("</table>")
    audited = [b for b in state.branches if b.audit is not None]
    audits = [b.audit for b in audited]
    if audits:
        a = audits[-1].verdict
        cls, word = ("ok", "ACCEPTED") if a.accepted else ("bad", "REJECTED")
        out.append(f"<h3>Audit (branch {audited[-1].index}, design {esc(audited[-1].design.name)})</h3>"
                   f"<p class='{cls}'>{word}</p><p>implementation {esc(str(a.impl_module))}, proofs "
                   f"{esc(str(a.proofs_module))}; witnesses: "
                   + ", ".join(f"{esc(w.name)} {w.outcome}" for w in a.witnesses) + "</p>")
        if a.findings:
            out.append("<ul>" + "".join(f"<li>[{f.kind.value}] {esc(f.where)}: {esc(f.detail)}</li>"
                                        for f in a.findings) + "</ul>")
        solution = run_dir / audits[-1].solution_path
        if solution.is_file():
            out.append(f"<h3>{'Final solution' if a.accepted else 'The rejected solution'}</h3>" + highlight(solution.read_text(), get_lexer_by_name("coq"), HtmlFormatter()))
    benches = [b.benchmark for b in state.branches if b.benchmark is not None]
    if benches:
        bm = benches[-1]
        out.append(f"<h3>Benchmark</h3><p>{esc(bm.note)}</p>")
        if bm.reports:
            out.append("<table><tr><th>implementation</th><th>kind</th><th>keys</th><th>ops/s (median)</th>"
                       "<th>peak RSS KB</th></tr>")
            for r in bm.reports:
                out.append(f"<tr><td>{esc(r['impl'])}</td><td>{esc(r['kind'])}</td><td>{r['keys']}</td>"
                           f"<td>{r['ops_per_s_median']:,.0f}</td><td>{r.get('peak_rss_kb', 0)}</td></tr>")
            out.append(f"</table><img class='plot' alt='throughput' src='{_throughput_plot(bm.reports)}'>")
    return "\n".join(out)


def _prove_section(run_dir: Path) -> str:
    """An `idsynth prove` run: its holes, how each ended, and its moves."""
    esc = html.escape
    events, _ = read_events(run_dir / "events.jsonl")
    start = events[0]
    out = [f"<h2>Prove run {esc(run_dir.name)}</h2>",
           f"<p>file <b>{esc(start.file)}</b>, policy <b>{esc(start.policy)}</b>; wall clock "
           f"{_duration(_seconds_between(events[0].time, events[-1].time))}.</p>"]
    finished = [e for e in events if e.type == "prove_finished"]
    holes = [e for e in events if e.type == "hole_finished"]
    if not finished:
        out.append("<p class='note'>stopped before finishing (`idsynth resume` continues it)</p>")
    out.append("<table><tr><th>hole</th><th>outcome</th><th>how / why</th><th>time</th><th>moves</th></tr>")
    for h in holes:
        cls, word = ("ok", "closed") if h.closed else ("bad", "open")
        out.append(f"<tr><td>{esc(h.hole)}</td><td class='{cls}'>{word}</td>"
                   f"<td>{esc(h.strategy if h.closed else h.reason)}</td><td>{h.seconds:.1f} s</td>"
                   f"<td>{h.moves}</td></tr>")
    out.append("</table>")
    out.append(_moves_table(events))
    return "\n".join(out)


def _comparison_section(name: str, result) -> str:
    """A `bench/chapar.py` result: the ratio (in-process cell, or per replica count and put
    rate on the network) and the plots of `idsynth.extraction.comparison_plots`."""
    from idsynth.extraction.comparison import network_ratios
    from idsynth.extraction.comparison_plots import PLOTS, comparison_figures

    esc = html.escape
    out = [f"<h2>Against Chapar's stores: {esc(name)}</h2>"]
    if result.command:
        out.append(f"<p>Measured by <code>{esc(' '.join(result.command))}</code></p>")
    head = ("<table><tr><th>setting</th><th>idsynth's fastest store</th><th>ops/s</th>"
            "<th>Chapar's fastest store</th><th>ops/s</th><th>ratio</th></tr>")
    rows = []
    if result.ratio is not None:
        r = result.ratio
        cut = "" if r.complete else " (a pass stopped by its time budget)"
        rows.append(f"<tr><td>in one process, {r.keys:,} keys, {r.ops:,} operations{cut}</td><td>{esc(r.idsynth)}</td>"
                    f"<td>{r.idsynth_ops_per_s:,.0f}</td><td>{esc(r.chapar)}</td><td>{r.chapar_ops_per_s:,.0f}</td>"
                    f"<td><b>{r.ratio:.2f}×</b></td></tr>")
    for r in network_ratios(result):
        rows.append(f"<tr><td>loopback TCP, {r.replicas} replicas, {r.put_percent}% puts</td><td>{esc(r.idsynth)}</td>"
                    f"<td>{r.idsynth_ops_per_s:,.0f}</td><td>{esc(r.chapar)}</td><td>{r.chapar_ops_per_s:,.0f}</td>"
                    f"<td><b>{r.ratio:.2f}×</b></td></tr>")
    out.append(head + "".join(rows) + "</table>" if rows else
               "<p class='note'>no ratio: the result holds no cell where both idsynth's and Chapar's stores ran</p>")
    if result.network:
        out.append("<p>On loopback TCP each request crosses the Python runtime and a pipe to the store, so "
                   "those rows compare runtime-plus-store; runs with a killed replica are left out.</p>")
    for s in result.left_out:
        out.append(f"<p class='note'>left out: {esc(s)}</p>")
    for key, fig in comparison_figures(result).items():
        out.append(f"<h3>{esc(PLOTS[key][:1].upper() + PLOTS[key][1:])}</h3>"
                   f"<img class='plot' alt='{esc(PLOTS[key])}' src='{_png(fig)}'>")
    return "\n".join(out)


def render_report(run_dirs: list[Path], prove_dirs: list[Path] | None = None,
                  comparisons: list[tuple[str, object]] | None = None) -> str:
    """`comparisons`: (name, `idsynth.extraction.comparison.Comparison`) pairs, loaded by the caller."""
    esc = html.escape
    sections = ([_run_section(d) for d in run_dirs] + [_prove_section(d) for d in prove_dirs or []]
                + [_comparison_section(name, c) for name, c in comparisons or []])
    rows = compare_runs(run_dirs)
    table = [] if not rows else [  # a page of benchmark results alone has no runs to set side by side
        "<h2>Side by side</h2><table><tr><th>run</th><th>policy</th><th>branch</th><th>design</th><th>moves</th>"
        "<th>holes over time</th><th>proof lines</th><th>audit</th><th>outcome</th></tr>"]
    for r in rows:
        table.append(f"<tr><td>{esc(r.run)}</td><td>{esc(r.policy)}</td><td>{r.branch}</td><td>{esc(r.design)}</td>"
                     f"<td>{r.moves}</td><td>{' '.join(map(str, r.holes_over_time))}</td><td>{r.proof_lines}</td>"
                     f"<td>{esc(r.audit)}</td><td>{esc(r.outcome)}</td></tr>")
    table.append("</table>" if rows else "")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>idsynth report</title>"
            f"<style>{_CSS}{HtmlFormatter().get_style_defs('.highlight')}</style></head><body>"
            f"<h1>idsynth report: {len(run_dirs) + len(prove_dirs or [])} run(s)"
            + (f", {len(comparisons)} benchmark result(s)" if comparisons else "") + "</h1>"
            + "\n".join(table) + "\n".join(sections)
            + "</body></html>")


def write_report(run_dirs: list[Path], out: Path, prove_dirs: list[Path] | None = None,
                 comparisons: list[tuple[str, object]] | None = None) -> Path:
    """Written atomically (a temporary file renamed), so a failure never leaves half a page."""
    text = render_report(run_dirs, prove_dirs or [], comparisons)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
