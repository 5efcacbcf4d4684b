"""`idsynth prove --policy auto` against plain `sauto` alone, on two corpora, in one run.

    .venv/bin/python bench/prove_auto.py                      # both corpora, defaults below
    .venv/bin/python bench/prove_auto.py --stdlib-sample 40 --hole-seconds 20 --json out.json

Corpora:
* **exercises** — `tests/data/prove/exercises.v`: programming-exercise lemmas written for
  idsynth (precondition, reference implementation, postcondition), every proof `Admitted`
  (`exercises_solved.v` shows each statement is true);
* **stdlib** — files of the *installed* standard library that nobody here wrote, copied at
  run time into a fresh namespace with their `Qed` proofs admitted, restricted to files
  whose original module is not loaded by their own imports or the prover's
  (`bench/prove_corpus.py`), a deterministic sample of `--stdlib-sample` holes.

Both contestants go through the same `idsynth prove` engine (same frozen check, same coqc
re-check, same `Print Assumptions` classification), hole by hole with `--only`:
* `auto`: the portfolio (closers, unfolding, case analysis, induction, `sauto`/`hammer`,
  decomposition into helper lemmas), `--hole-seconds` per hole;
* `sauto`: the baseline, one `sauto.` per hole (after importing CoqHammer's tactics), the
  same per-hole bound as its sentence timeout.
"closed" counts unconditional closures; "conditional" ones rest on lemmas that are still
holes in the corpus file (in the stdlib corpus every earlier lemma is a hole). The ratio is
auto/sauto on closed + conditional, and on closed alone.

`--batch` runs the `auto` contestant through the batch runner: one `idsynth batch prove`
over every corpus file (one unit per file, its `--only` holes and `-Q` path on the unit's
line), on a private local Ray or on a cluster (`--address`); its transcripts stay in the
batch directory under the work directory. The `sauto` baseline is not a command-line policy
and still runs in this process, file after file.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import prove_corpus  # noqa: E402  (bench/ is not a package)

from idsynth.agent.auto.policy import AutoPolicy  # noqa: E402
from idsynth.agent.prove import ProveOptions, start_prove  # noqa: E402
from idsynth.agent.types import Define, Observation, PolicyReply, Proposal, Prove  # noqa: E402
from idsynth.cli.logging_setup import configure_logging  # noqa: E402

EXERCISES = ROOT / "tests" / "data" / "prove" / "exercises.v"
HAMMER = "From Hammer Require Import Tactics."


class SautoBaseline:
    """The baseline: CoqHammer's `sauto`, once per hole, nothing else."""

    kind = "auto"
    name = "baseline:sauto"

    def __init__(self) -> None:
        self.tried: set[str] = set()

    def design(self, obs, post_mortems):
        return None

    def choose(self, obs: Observation) -> PolicyReply:
        if HAMMER not in obs.document:
            return PolicyReply(move=Define(name="hammer", text=HAMMER, where="preamble"), note="sauto: import")
        for hole in obs.focus:
            if hole not in self.tried:
                self.tried.add(hole)
                return PolicyReply(move=Prove(hole=hole, script="sauto.", rationale="sauto"), note="sauto")
        return PolicyReply(move=None, note="sauto failed")

    def propose(self, obs: Observation) -> Proposal:
        return Proposal(move=None, note="baseline: no decomposition")

    def close(self) -> None:
        pass


def _run(file: Path, load_paths, only: list[str], contestant: str, hole_seconds: float, runs: Path) -> dict:
    if contestant == "auto":
        options = ProveOptions(file=file, load_paths=load_paths, only=only, hole_seconds=hole_seconds,
                               budget_seconds=10 ** 6, output=runs / f"{file.stem}_{contestant}.v")
        make = lambda cfg, opts: AutoPolicy(None, cfg, per_hole_seconds=opts.hole_seconds)  # noqa: E731
    else:
        options = ProveOptions(file=file, load_paths=load_paths, only=only, hole_seconds=hole_seconds + 30,
                               sentence_timeout=hole_seconds, budget_seconds=10 ** 6, moves_per_hole=3,
                               output=runs / f"{file.stem}_{contestant}.v")
        make = lambda cfg, opts: SautoBaseline()  # noqa: E731
    started = time.monotonic()
    report = start_prove(options, make, runs_dir=runs)
    picked = [h for h in report.holes if h.status != "skipped"]
    return {"holes": len(picked), "closed": report.count("closed"), "conditional": report.count("conditional"),
            "open": report.count("open"), "seconds": round(time.monotonic() - started, 1),
            "frozen_ok": report.frozen_ok, "recheck_ok": report.recheck_ok, "run_dir": report.run_dir,
            "closed_names": [h.name for h in picked if h.status in ("closed", "conditional")],
            "strategies": {h.name: h.strategy for h in picked if h.status in ("closed", "conditional")}}


def _summarise(report: dict, seconds: float, run_dir: str) -> dict:
    """A prove report (JSON) as one row of the comparison (the fields `_run` gives)."""
    picked = [h for h in report["holes"] if h["status"] != "skipped"]
    good = [h for h in picked if h["status"] in ("closed", "conditional")]
    return {"holes": len(picked), "closed": sum(h["status"] == "closed" for h in picked),
            "conditional": sum(h["status"] == "conditional" for h in picked),
            "open": sum(h["status"] == "open" for h in picked), "seconds": round(seconds, 1),
            "frozen_ok": report["frozen_ok"], "recheck_ok": report["recheck_ok"], "run_dir": run_dir,
            "closed_names": [h["name"] for h in good], "strategies": {h["name"]: h["strategy"] for h in good}}


def _run_batch(jobs, hole_seconds: float, work: Path, address: str | None) -> dict[int, dict]:
    """The `auto` contestant on every job as one `idsynth batch prove`; job index -> row."""
    listing = work / "batch-units.txt"
    lines = []
    for _, file, load_paths, only in jobs:
        words = [str(file)] + [w for d, n in load_paths for w in ("-Q", d, n)] + [w for h in only for w in ("--only", h)]
        lines.append(shlex.join(words))
    listing.write_text("\n".join(lines) + "\n")
    out = work / "batch"
    cmd = [sys.executable, "-m", "idsynth.cli.main", "batch", "prove", "--from", str(listing), "--out", str(out),
           "--policy", "auto", "--hole-seconds", str(hole_seconds), "--budget-seconds", str(10 ** 6),
           "--unit-seconds", str(10 ** 6), "--json", *(["--address", address] if address else [])]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"idsynth batch prove failed with exit code {proc.returncode}")
    manifest = json.loads((out / "manifest.json").read_text())
    results = {r["unit"]: r for r in json.loads(proc.stdout)["units"]}
    rows = {}
    for i, unit in enumerate(manifest["units"]):
        r = results[unit["id"]]
        if r["status"] in ("closed", "open") and r["summary"]:
            rows[i] = _summarise(r["summary"], r["seconds"], str(out / "runs" / unit["id"]))
        else:
            rows[i] = {"error": f"{r['status']}: {r['detail'][:300]}"}
    return rows


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}x" if b else ("inf" if a else "n/a")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hole-seconds", type=float, default=30.0, help="per hole, both contestants (default 30)")
    ap.add_argument("--stdlib-sample", type=int, default=60, help="stdlib holes sampled (default 60; 0: skip)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-exercises", action="store_true")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--keep", type=Path, help="keep the work directory (transcripts, outputs) here")
    ap.add_argument("--batch", action="store_true",
                    help="run the auto contestant through `idsynth batch prove` (Ray; local unless --address)")
    ap.add_argument("--address", help="with --batch: an existing Ray cluster")
    args = ap.parse_args(argv)
    configure_logging("warning")

    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="idsynth-prove-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, Path, list, list[str]]] = []  # (corpus, file, load paths, holes)
    if not args.no_exercises:
        copy = work / "exercises" / "exercises.v"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXERCISES, copy)
        jobs.append(("exercises", copy, [], []))
    if args.stdlib_sample:
        dest = work / "stdlib"
        files = prove_corpus.build_stdlib_corpus(dest)
        for f in files:
            compiled = prove_corpus.compile_corpus_file(f)
            if not compiled.ok:
                print(f"stdlib corpus: {f.source} does not compile; left out", file=sys.stderr)
        by_file: dict[Path, list[str]] = defaultdict(list)
        for f, hole in prove_corpus.sample_holes(files, args.stdlib_sample, seed=args.seed):
            by_file[f.path].append(hole.name)
        for path, names in by_file.items():
            jobs.append(("stdlib", path, [(str(dest), "Corpus")], names))

    results: dict[str, dict[str, dict]] = {"auto": defaultdict(dict), "sauto": defaultdict(dict)}
    totals = {c: defaultdict(lambda: defaultdict(int)) for c in ("auto", "sauto")}
    batched = _run_batch(jobs, args.hole_seconds, work, args.address) if args.batch else {}
    for i, (corpus, file, load_paths, only) in enumerate(jobs):
        for contestant in ("sauto", "auto"):
            try:
                if contestant == "auto" and args.batch:
                    r = batched[i]
                    if "error" in r:
                        raise RuntimeError(r["error"])
                else:
                    r = _run(file, load_paths, only, contestant, args.hole_seconds, work / "runs")
            except Exception as exc:  # noqa: BLE001 - one unusable file must not end the comparison
                print(f"{corpus:9} {file.name:24} {contestant:5}: ERROR {exc}", flush=True)
                continue
            results[contestant][corpus][str(file.relative_to(work))] = r
            for key in ("holes", "closed", "conditional", "open"):
                totals[contestant][corpus][key] += r[key]
            totals[contestant][corpus]["seconds"] += r["seconds"]
            print(f"{corpus:9} {file.name:24} {contestant:5}: {r['closed']:3} closed, {r['conditional']:3} conditional,"
                  f" {r['open']:3} open of {r['holes']:3} ({r['seconds']:.0f} s)", flush=True)

    print()
    print(f"| corpus | holes | auto closed | auto conditional | sauto closed | sauto conditional | "
          f"ratio (closed+cond.) | ratio (closed) | auto s | sauto s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for corpus in ("exercises", "stdlib"):
        a, s = totals["auto"].get(corpus), totals["sauto"].get(corpus)
        if not a:
            continue
        print(f"| {corpus} | {a['holes']} | {a['closed']} | {a['conditional']} | {s['closed']} | {s['conditional']} | "
              f"{_ratio(a['closed'] + a['conditional'], s['closed'] + s['conditional'])} | "
              f"{_ratio(a['closed'], s['closed'])} | {a['seconds']:.0f} | {s['seconds']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps({"hole_seconds": args.hole_seconds, "stdlib_sample": args.stdlib_sample,
                                         "seed": args.seed, "results": results,
                                         "totals": {c: {k: dict(v) for k, v in t.items()} for c, t in totals.items()}},
                                        indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
