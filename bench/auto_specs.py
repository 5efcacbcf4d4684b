"""`idsynth run --policy auto` on the blind spec corpus and the four warm-ups, one spec at a time.

    .venv/bin/python bench/auto_specs.py                          # 300 s per spec, every spec
    nice .venv/bin/python bench/auto_specs.py --seconds 180 --json out.json
    .venv/bin/python bench/auto_specs.py --only toggle --only stack --seconds 60
    .venv/bin/python bench/auto_specs.py --merge a.json b.json --json all.json   # two partial runs

Corpus: `tests/data/auto_specs/*` (written blind, without reading the auto policy; see its
README) followed by `specs/warmup/*`. Each spec gets `idsynth run SPEC --policy auto
--max-seconds S --no-bench --json`, with its runs directory in a temporary directory
(never in the repository) and a hard wall-clock limit of S + `--grace` seconds after which
the run is killed (a run that does not stop on its own budget counts as not closed).

A spec counts as "closed & audited" only if the run exits 0 and its summary says `closed`
with audit `accepted`, and then — unless `--no-reaudit` — a separate `idsynth audit` of
the solution file it wrote, against the pristine spec, accepts it too (that second audit
is not counted in the spec's time). The table gives spec, closed & audited, seconds,
holes left (`?` when the run was killed before it reported) and the totals; `--json`
writes the same rows after every spec, so an interrupted measurement still leaves a file.
`--batch` runs the same commands as the units of one `idsynth batch run` on Ray (local
unless `--address`), every unit bounded by S + `--grace`; rows and re-audits are the same.
`--merge` combines the files of runs over disjoint parts of the corpus (e.g. two streams run
side by side to fit a deadline) into one, keeping every command.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "auto_specs"
WARMUPS = ROOT / "specs" / "warmup"


def spec_dirs(only: list[str] | None = None) -> list[Path]:
    """The corpus specs (sorted), then the warm-ups; `only` filters by directory name."""
    dirs = sorted(p for p in CORPUS.iterdir() if (p / "spec.toml").is_file())
    dirs += sorted(p for p in WARMUPS.iterdir() if (p / "spec.toml").is_file())
    if only:
        wanted = set(only)
        unknown = wanted - {p.name for p in dirs}
        if unknown:
            raise SystemExit(f"unknown spec(s): {', '.join(sorted(unknown))}")
        dirs = [p for p in dirs if p.name in wanted]
    return dirs


def _idsynth() -> list[str]:
    return [sys.executable, "-m", "idsynth.cli.main"]


def _run_bounded(cmd: list[str], limit: float, cwd: Path) -> tuple[int | None, str, str]:
    """Run `cmd` in its own process group; kill that group (ours) after `limit` seconds.
    Returns (exit code or None when killed, stdout, stderr)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=limit)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out, err


def _summary(stdout: str) -> dict | None:
    """The JSON summary `idsynth run --json` prints last (None if absent or unreadable)."""
    text = stdout.strip()
    start = text.find("{")
    if start < 0:
        return None
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError:
        return None


def reaudit(spec: Path, solution: Path, limit: float = 600) -> bool:
    """An independent `idsynth audit` of the run's solution against the pristine spec."""
    code, _, _ = _run_bounded([*_idsynth(), "audit", str(spec), str(solution)], limit, ROOT)
    return code == 0


def run_one(spec: Path, seconds: float, grace: float, runs_dir: Path, check_again: bool) -> dict:
    cmd = [*_idsynth(), "run", str(spec), "--policy", "auto", "--max-seconds", str(seconds),
           "--runs-dir", str(runs_dir), "--no-bench", "--json"]
    t0 = time.monotonic()
    code, out, err = _run_bounded(cmd, seconds + grace, runs_dir)
    elapsed = time.monotonic() - t0
    summary = _summary(out) or {}
    solution = summary.get("solution")
    return _row(spec, summary, code, elapsed, Path(solution) if solution else None, err, check_again)


def _row(spec: Path, summary: dict, code: int | None, elapsed: float, solution: Path | None, err: str,
         check_again: bool) -> dict:
    """One table row from a run's summary, whichever way the run was made (serial or batch)."""
    run_closed = code == 0 and summary.get("status") == "closed" and summary.get("audit") == "accepted"
    reaudited = None
    if run_closed and check_again:
        reaudited = solution is not None and solution.is_file() and reaudit(spec, solution)
    closed = run_closed and (reaudited is not False)
    return {
        "spec": spec.name,
        "corpus": "warmup" if spec.parent == WARMUPS else "auto_specs",
        "closed_and_audited": closed,
        "seconds": round(elapsed, 1),
        "holes_left": summary.get("holes_left"),
        "exit_code": code,
        "killed": code is None,
        "status": summary.get("status"),
        "reason": summary.get("reason"),
        "design": summary.get("design"),
        "moves": summary.get("moves"),
        "run_audit": summary.get("audit"),
        "reaudit_accepted": reaudited,
        "stderr_tail": "" if closed else err.strip()[-400:],
    }


def run_batch(specs: list[Path], seconds: float, grace: float, work: Path, check_again: bool,
              address: str | None) -> list[dict]:
    """Every spec as one unit of a single `idsynth batch run` (Ray; local unless `address`),
    each unit bounded by S + grace like the serial runs; rows in the corpus order."""
    out = work / "batch"
    cmd = [*_idsynth(), "batch", "run", *map(str, specs), "--out", str(out), "--policy", "auto",
           "--max-seconds", str(seconds), "--no-bench", "--unit-seconds", str(seconds + grace),
           "--max-retries", "0", "--json", *(["--address", address] if address else [])]
    proc = subprocess.run(cmd, cwd=work, stdout=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"idsynth batch run failed with exit code {proc.returncode}")
    manifest = json.loads((out / "manifest.json").read_text())
    results = {r["unit"]: r for r in json.loads(proc.stdout)["units"]}
    rows = []
    for spec, unit in zip(specs, manifest["units"]):
        r = results[unit["id"]]
        # The unit ran in a scratch directory on its worker; its solution came back with the
        # transcript into the batch directory.
        solution = out / "runs" / unit["id"] / "solution.v"
        code = None if r["status"] == "timeout" else r.get("exit_code")
        rows.append(_row(spec, r.get("summary") or {}, code, r["seconds"], solution, r.get("detail", ""),
                         check_again))
    return rows


def table(rows: list[dict]) -> str:
    lines = [f"{'spec':<22} {'closed & audited':<17} {'time (s)':>9} {'holes left':>11}  status / design",
             "-" * 90]
    for r in rows:
        holes = "?" if r["holes_left"] is None else str(r["holes_left"])
        status = "killed at the wall-clock limit" if r["killed"] else (r["status"] or f"exit {r['exit_code']}")
        lines.append(f"{r['spec']:<22} {'yes' if r['closed_and_audited'] else 'no':<17} {r['seconds']:>9.1f} "
                     f"{holes:>11}  {status} / {r['design'] or '-'}")
    closed = sum(r["closed_and_audited"] for r in rows)
    lines.append("-" * 90)
    for corpus in ("auto_specs", "warmup"):
        part = [r for r in rows if r["corpus"] == corpus]
        if part:
            lines.append(f"{corpus}: closed & audited {sum(r['closed_and_audited'] for r in part)}/{len(part)}")
    lines.append(f"total: closed & audited {closed}/{len(rows)}")
    return "\n".join(lines)


def merge(files: list[Path]) -> dict:
    """One result from runs over disjoint parts of the corpus, rows in corpus order."""
    parts = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    rows = [r for p in parts for r in p["rows"]]
    names = [r["spec"] for r in rows]
    if len(set(names)) != len(names):
        raise SystemExit("the files overlap: a spec appears twice")
    order = {p.name: i for i, p in enumerate(spec_dirs())}
    rows.sort(key=lambda r: order.get(r["spec"], len(order)))
    return {
        "date": min(p["date"] for p in parts), "command": [p["command"] for p in parts],
        "seconds_per_spec": sorted({p["seconds_per_spec"] for p in parts}),
        "grace": sorted({p["grace"] for p in parts}),
        "finished": all(p["finished"] for p in parts), "merged_from": [str(f) for f in files],
        "specs_planned": [p.name for p in spec_dirs()], "closed": sum(r["closed_and_audited"] for r in rows),
        "total": len(rows), "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=300.0, help="--max-seconds per spec (default 300)")
    ap.add_argument("--grace", type=float, default=60.0,
                    help="extra wall-clock seconds before a run that overruns its budget is killed (default 60)")
    ap.add_argument("--only", action="append", help="run only this spec (repeatable)")
    ap.add_argument("--no-reaudit", action="store_true", help="trust the run's own audit verdict")
    ap.add_argument("--json", type=Path, help="write the results here (rewritten after every spec)")
    ap.add_argument("--keep", type=Path, help="keep the runs (transcripts, solutions) here instead of a temp dir")
    ap.add_argument("--batch", action="store_true",
                    help="run every spec as one unit of `idsynth batch run` (Ray; local unless --address)")
    ap.add_argument("--address", help="with --batch: an existing Ray cluster")
    ap.add_argument("--merge", type=Path, nargs="+", metavar="FILE",
                    help="run nothing: combine these --json files (disjoint parts of the corpus) and print the table")
    args = ap.parse_args(argv)

    if args.merge:
        merged = merge(args.merge)
        if args.json:
            args.json.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
        print(table(merged["rows"]))
        return 0

    specs = spec_dirs(args.only)
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    command = " ".join([Path(sys.executable).name, *sys.argv]) if argv is None else "main(" + repr(argv) + ")"
    rows: list[dict] = []

    def dump(finished: bool) -> None:
        if args.json:
            args.json.write_text(json.dumps({
                "date": started, "command": command, "seconds_per_spec": args.seconds, "grace": args.grace,
                "finished": finished, "specs_planned": [p.name for p in specs],
                "closed": sum(r["closed_and_audited"] for r in rows), "total": len(rows), "rows": rows,
            }, indent=2) + "\n", encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="idsynth-auto-specs-") as tmp:
        runs = args.keep or Path(tmp)
        runs.mkdir(parents=True, exist_ok=True)
        if args.batch:
            rows.extend(run_batch(specs, args.seconds, args.grace, runs.resolve(), not args.no_reaudit,
                                  args.address))
        for i, spec in enumerate([] if args.batch else specs, 1):
            row = run_one(spec, args.seconds, args.grace, runs.resolve(), not args.no_reaudit)
            rows.append(row)
            print(f"[{i}/{len(specs)}] {row['spec']}: {'closed & audited' if row['closed_and_audited'] else 'not closed'}"
                  f" in {row['seconds']} s", file=sys.stderr, flush=True)
            dump(finished=False)
    dump(finished=True)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
