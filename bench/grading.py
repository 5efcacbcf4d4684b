"""Incremental re-grading vs whole-file `coqc`, measured side by side in one run.

A fixed development (bench/data/development.v, ordinary lemmas, >300 sentences) is graded
once. Then its last lemma is edited so that its verdict changes (its final tactic is
replaced by one that fails, and back), and each version is re-graded incrementally by
the live session. The same edited file is compiled from scratch by `coqc`, which is what
a tool without a live session must do. Medians of several repetitions; the ratio is
coqc / incremental.

    .venv/bin/python bench/grading.py [--reps 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from idsynth.rocq import Document, Grader, Session, SessionConfig

DEVELOPMENT = Path(__file__).parent / "data" / "development.v"


def _broken_variant(doc: Document) -> Document:
    last = len(doc.items) - 1
    text = doc.items[last].text
    cut = text.rstrip().rfind("Qed.")
    # Replace the final tactic before Qed by one that cannot close the goal.
    body = text[:cut].rstrip()
    prev_dot = body[:-1].rfind(".")
    broken = body[: prev_dot + 1] + "\n    exact I.\n" + text[cut:]
    return doc.replace(last, broken)


def _time_coqc(source: str, reps: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "development.v"
        path.write_text(source)
        for _ in range(reps):
            started = time.perf_counter()
            subprocess.run(["coqc", path.name], cwd=tmp, capture_output=True, check=False)
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()

    original = Document.from_source(DEVELOPMENT.read_text())
    broken = _broken_variant(original)
    n_sentences = sum(len(i.sentences) for i in original.items)

    incremental: list[float] = []
    with Session(SessionConfig()) as session:
        grader = Grader(session)
        started = time.perf_counter()
        first = grader.grade(original)
        full_grade = time.perf_counter() - started
        assert first.closed, "the benchmark development must check cleanly"
        for _ in range(args.reps):
            for doc, expect_closed in ((broken, False), (original, True)):
                started = time.perf_counter()
                verdict = grader.grade(doc)
                incremental.append(time.perf_counter() - started)
                assert verdict.closed is expect_closed, "the edit must change the verdict"
                assert 0 < verdict.sentences_checked <= len(doc.items[-1].sentences), "only the last lemma is re-checked"

    coqc = _time_coqc(broken.render(), args.reps) + _time_coqc(original.render(), args.reps)
    inc, whole = statistics.median(incremental), statistics.median(coqc)
    print(f"development: {DEVELOPMENT.name}, {len(original.items)} items, {n_sentences} sentences")
    print(f"first full grade in the live session: {full_grade * 1000:.0f} ms")
    print(f"edit of the last lemma, re-graded incrementally: median {inc * 1000:.1f} ms "
          f"(min {min(incremental) * 1000:.1f}, max {max(incremental) * 1000:.1f}, n={len(incremental)})")
    print(f"coqc on the whole edited file:                 median {whole * 1000:.1f} ms "
          f"(min {min(coqc) * 1000:.1f}, max {max(coqc) * 1000:.1f}, n={len(coqc)})")
    print(f"ratio coqc / incremental: {whole / inc:.1f}x (target >= 20x)")


if __name__ == "__main__":
    main()
