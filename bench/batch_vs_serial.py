"""Wall time of `idsynth batch` against the same units run one after another, in one run.

    .venv/bin/python bench/batch_vs_serial.py                         # warm-up specs + a prove corpus
    .venv/bin/python bench/batch_vs_serial.py --no-specs --json out.json

Both sides run the very same commands: serially, `idsynth run SPEC --json` /
`idsynth prove FILE --only ... --json` one after the other; batched, one
`idsynth batch run|prove ... --out DIR` (a private local Ray with every core of this
machine; its startup is included in the batch's wall time). Each unit's answer is compared
(run: status and audit; prove: every hole's status) — a batch that is faster but answers
differently is reported as such. Budgets are wall-clock bounds, so on a loaded machine an
answer near a bound can differ between the two sides; the table says which unit did.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IDSYNTH = [sys.executable, "-m", "idsynth.cli.main"]
EXERCISES = ROOT / "tests" / "data" / "prove" / "exercises.v"
# A prove corpus: groups of holes of the exercises file, one unit each (`--only`).
PROVE_UNITS = [
    ["sum_app", "sum_singleton", "sum_repeat"],
    ["sum_tr_correct", "len_acc_correct"],
    ["rev_acc_correct", "rev_acc_length"],
    ["sum_le_max_times_length"],
]


def _only(names: list[str]) -> list[str]:
    return [a for n in names for a in ("--only", n)]


def _answer(kind: str, summary: dict) -> object:
    if kind == "run":
        return {"status": summary.get("status"), "audit": summary.get("audit")}
    return {h["name"]: h["status"] for h in summary.get("holes", []) if h["status"] != "skipped"}


def serial(kind: str, units: list[tuple[Path, list[str]]], args: list[str], work: Path) -> tuple[float, list]:
    started = time.monotonic()
    answers = []
    for i, (path, extra) in enumerate(units):
        out = ["-o", str(work / f"serial_{i}.v")] if kind == "prove" else []
        proc = subprocess.run([*IDSYNTH, kind, str(path), *args, *extra, "--runs-dir", str(work / "serial-runs"),
                               "--json", *out], capture_output=True, text=True, cwd=work)
        answers.append(_answer(kind, json.loads(proc.stdout)) if proc.returncode in (0, 1) else
                       {"error": proc.stderr[-300:]})
        print(f"  serial {kind} {path.name} {' '.join(extra)}: {answers[-1]} ({time.monotonic() - started:.0f} s so far)",
              flush=True)
    return time.monotonic() - started, answers


def batch(kind: str, units: list[tuple[Path, list[str]]], args: list[str], work: Path,
          cpus: int | None) -> tuple[float, list, list[float]]:
    listing = work / f"{kind}-units.txt"
    listing.write_text("".join(f"{p} {' '.join(extra)}\n" for p, extra in units))
    out = work / f"batch-{kind}"
    started = time.monotonic()
    proc = subprocess.run([*IDSYNTH, "batch", kind, "--from", str(listing), "--out", str(out), *args,
                           *(["--cpus", str(cpus)] if cpus else []), "--json"], capture_output=True, text=True,
                          cwd=work)
    wall = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch {kind} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    results = {r["unit"]: r for r in json.loads(proc.stdout)["units"]}
    manifest = json.loads((out / "manifest.json").read_text())
    ordered = [results[u["id"]] for u in manifest["units"]]
    return wall, [_answer(kind, r["summary"]) for r in ordered], [r["seconds"] for r in ordered]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--specs", nargs="*", type=Path,
                    default=sorted((ROOT / "specs" / "warmup").iterdir()), help="default: specs/warmup/*")
    ap.add_argument("--no-specs", action="store_true")
    ap.add_argument("--no-prove", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=600.0, help="run budget per spec (default 600)")
    ap.add_argument("--hole-seconds", type=float, default=20.0, help="per hole (default 20)")
    ap.add_argument("--cpus", type=int, help="cores of the local Ray (default: all)")
    ap.add_argument("--json", type=Path, help="write the measurements here")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="idsynth-batch-bench-"))
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at start; work in {work}")
    jobs = []
    if not args.no_specs:
        jobs.append(("run", [(p.resolve(), []) for p in args.specs], ["--no-bench", "--max-seconds",
                                                                     str(args.max_seconds)]))
    if not args.no_prove:
        jobs.append(("prove", [(EXERCISES, _only(names)) for names in PROVE_UNITS],
                     ["--hole-seconds", str(args.hole_seconds)]))
    rows = []
    for kind, units, options in jobs:
        print(f"{kind}: {len(units)} units, serial ...", flush=True)
        s_wall, s_answers = serial(kind, units, options, work)
        print(f"{kind}: batch ...", flush=True)
        b_wall, b_answers, b_units = batch(kind, units, options, work, args.cpus)
        same = [a == b for a, b in zip(s_answers, b_answers)]
        rows.append({"kind": kind, "units": len(units), "options": options, "serial_s": round(s_wall, 1),
                     "batch_s": round(b_wall, 1), "speedup": round(s_wall / b_wall, 2),
                     "batch_unit_s": b_units, "identical": all(same),
                     "per_unit": [{"unit": f"{p.name} {' '.join(e)}".strip(), "serial": s, "batch": b, "same": m}
                                  for (p, e), s, b, m in zip(units, s_answers, b_answers, same)]})
        print(f"{kind}: serial {s_wall:.0f} s, batch {b_wall:.0f} s ({s_wall / b_wall:.2f}x), "
              f"identical answers: {all(same)}", flush=True)
    load = os.getloadavg()
    print(f"\nload average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end")
    print("| units | serial s | batch s (Ray start included) | speed-up | identical answers |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['units']} {r['kind']} | {r['serial_s']:.0f} | {r['batch_s']:.0f} | {r['speedup']:.2f}x | "
              f"{'yes' if r['identical'] else 'NO: ' + ', '.join(u['unit'] for u in r['per_unit'] if not u['same'])} |")
    if args.json:
        args.json.write_text(json.dumps({"cores": os.cpu_count(), "rows": rows}, indent=2))
    return 0 if all(r["identical"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
