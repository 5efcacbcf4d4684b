"""`idsynth batch report DIR`: one HTML page over a batch, from the batch directory alone.

The page gives the closed share, the distributions of wall time and of cost per unit (plots
and quantiles), and a row per unit linking to its own page: a run unit's page is
`idsynth report` of its transcript (agent/report.py, the same renderer), a prove unit links
its transcript and its proved file. Failed and timed-out units are counted, never hidden.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from idsynth.agent.report import _CSS, _png, write_report

from .store import BatchStore
from .types import UnitResult


def batch_run_dirs(root: Path, kind: str | None = "run") -> list[Path]:
    """Transcript directories of the finished units of a batch (`kind` None: every kind)."""
    store = BatchStore.open(root)
    out = []
    for unit in store.manifest.units:
        r = store.result(unit.id)
        if r is not None and (kind is None or r.kind == kind) and (store.run_dir(unit.id) / "events.jsonl").is_file():
            out.append(store.run_dir(unit.id))
    return out


def expand_batch_dirs(paths: list[Path]) -> list[Path]:
    """Run directories as given, a batch directory replaced by its finished run units'."""
    out: list[Path] = []
    for p in paths:
        out.extend(batch_run_dirs(p) if BatchStore.is_batch(p) else [p])
    return out


def _quantiles(values: list[float]) -> str:
    if not values:
        return "—"
    v = sorted(values)

    def q(p: float) -> float:
        return v[min(int(p * (len(v) - 1) + 0.5), len(v) - 1)]

    return f"min {v[0]:.1f} · median {q(.5):.1f} · p90 {q(.9):.1f} · max {v[-1]:.1f} · total {sum(v):.1f}"


def _histogram(values: list[float], xlabel: str) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 2.6))
    ax = fig.subplots()
    ax.hist(values, bins=min(max(len(values), 1), 20), color="#4472c4")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("units")
    ax.grid(alpha=.3)
    return _png(fig)


def _holes(r: UnitResult) -> tuple[int, int]:
    """(closed, attempted) holes of a prove unit."""
    holes = [h for h in r.summary.get("holes", []) if h.get("status") != "skipped"]
    return sum(1 for h in holes if h.get("status") == "closed"), len(holes)


def _link(target: Path, out_dir: Path, text: str) -> str:
    return f"<a href='{html.escape(os.path.relpath(target, out_dir))}'>{html.escape(text)}</a>"


def render_batch_report(root: Path, out: Path, unit_pages: bool = True) -> str:
    store = BatchStore.open(root)
    m = store.manifest
    results = store.results()
    esc = html.escape
    out_dir = out.parent.resolve()
    pages = out_dir / f"{out.stem}_units"
    finished = list(results.values())
    count = {s: sum(1 for r in finished if r.status == s) for s in ("closed", "open", "failed", "timeout")}
    share = f"{count['closed'] / len(finished):.0%}" if finished else "—"
    seconds = [r.seconds for r in finished]
    dollars = [r.dollars for r in finished]
    body = [f"<h1>idsynth batch {esc(m.batch_id)}</h1>",
            f"<p>{len(m.units)} <b>{m.kind}</b> units, created {esc(m.created)}; options "
            f"<code>{esc(' '.join(m.unit_args) or '(defaults)')}</code>; per unit {m.resources.cpus:g} CPU, "
            f"{m.resources.memory_gb:g} GB, {m.resources.unit_seconds:g} s, up to {m.resources.max_retries} retries.</p>",
            "<h2>Outcome</h2><table><tr><th>finished</th><th>closed</th><th>open</th><th>failed</th><th>timeout</th>"
            "<th>not finished</th><th>closed share</th></tr>",
            f"<tr><td>{len(finished)} of {len(m.units)}</td><td class='ok'>{count['closed']}</td><td>{count['open']}</td>"
            f"<td class='bad'>{count['failed']}</td><td>{count['timeout']}</td><td>{len(m.units) - len(finished)}</td>"
            f"<td><b>{share}</b></td></tr></table>"]
    if m.kind == "prove" and finished:
        closed = sum(_holes(r)[0] for r in finished)
        attempted = sum(_holes(r)[1] for r in finished)
        body.append(f"<p>Holes: {closed} of {attempted} closed unconditionally "
                    f"({closed / attempted:.0%}).</p>" if attempted else "<p>No hole attempted.</p>")
    body.append(f"<h2>Time per unit (s)</h2><p>{_quantiles(seconds)}</p>")
    if seconds:
        body.append(f"<img class='plot' alt='time per unit' src='{_histogram(seconds, 'wall seconds per unit')}'>")
    body.append(f"<h2>Cost per unit (USD)</h2><p>{_quantiles(dollars)}</p>")
    if any(dollars):
        body.append(f"<img class='plot' alt='cost per unit' src='{_histogram(dollars, 'USD per unit')}'>")
    else:
        body.append("<p class='note'>No unit spent money (offline policies, or unknown prices).</p>")
    body.append("<h2>Units</h2><table><tr><th>unit</th><th>input</th><th>status</th><th>result</th><th>s</th>"
                "<th>$</th><th>attempt</th><th>node</th><th>transcript</th></tr>")
    for unit in m.units:
        r = results.get(unit.id)
        run_dir = store.run_dir(unit.id)
        links = []
        if r is not None and (run_dir / "events.jsonl").is_file():
            links.append(_link(run_dir / "events.jsonl", out_dir, "events"))
            if unit.kind == "run" and unit_pages:
                pages.mkdir(parents=True, exist_ok=True)
                page = pages / f"{unit.id}.html"
                try:
                    write_report([run_dir], page)
                    links.insert(0, _link(page, out_dir, "report"))
                except Exception as exc:  # noqa: BLE001 - one unreadable transcript must not lose the page
                    links.append(f"(no report: {esc(str(exc)[:80])})")
            if (run_dir / "proved.v").is_file():
                links.append(_link(run_dir / "proved.v", out_dir, "proved.v"))
        if r is None:
            row = "<td>not finished</td><td></td><td></td><td></td><td></td><td></td>"
        else:
            if unit.kind == "prove":
                c, a = _holes(r)
                what = f"{c}/{a} holes closed"
            else:
                s = r.summary
                what = f"{s.get('design') or '—'}, holes left {s.get('holes_left')}, audit {s.get('audit')}" if s else ""
            if r.detail:
                what += f" — {r.detail[:160]}"
            cls = {"closed": "ok", "failed": "bad"}.get(r.status, "")
            row = (f"<td class='{cls}'>{r.status}</td><td>{esc(what)}</td><td>{r.seconds:.1f}</td>"
                   f"<td>{r.dollars:.2f}</td><td>{r.attempt}</td><td>{esc(r.node)}</td>")
        body.append(f"<tr><td>{esc(unit.id)}</td><td>{esc(unit.source)} {esc(' '.join(unit.extra_args))}</td>{row}"
                    f"<td>{' · '.join(links)}</td></tr>")
    body.append("</table>")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>idsynth batch report</title>"
            f"<style>{_CSS}</style></head><body>" + "\n".join(body) + "</body></html>")


def write_batch_report(root: Path, out: Path) -> Path:
    out.write_text(render_batch_report(root, out), encoding="utf-8")
    return out
