"""Replay of an `idsynth prove` run: every recorded move re-applied and re-graded, no policy.

The same functions as the run (`apply_prove_move`, the cut after the hole, `HoleWork`'s
book-keeping, the splice back into the file) are fed the transcript's moves, starting from
the run's `input.v`; each document must equal the recorded one and each verdict agree on
statuses, holes and errors. The report type and the verdict comparison are the run
replay's own (`idsynth replay` dispatches on the transcript's first event).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from idsynth.agent.moves import Refused
from idsynth.agent.replay import Divergence, ReplayReport, compare_verdicts
from idsynth.agent.transcript import (
    HoleFinished,
    HoleStarted,
    MoveApplied,
    MoveProposed,
    MoveRefused,
    MoveRejected,
    ProveStarted,
    read_events,
)
from idsynth.rocq import Document, Grader, Session
from idsynth.rocq.document import read_source

from .engine import HoleWork, cut_after, short_names, splice
from .moves import apply_prove_move
from .run import session_config
from .types import ProveOptions


def replay_prove(run_dir: Path) -> ReplayReport:
    run_dir = run_dir.resolve()
    events, _ = read_events(run_dir / "events.jsonl")
    started: ProveStarted = events[0]
    source = read_source(run_dir / "input.v")
    out: list[Divergence] = []
    if hashlib.sha256(source.encode()).hexdigest() != started.file_hash:
        out.append(Divergence(seq=0, what="input.v is not the file the run started from"))
    options = ProveOptions.model_validate(started.config["options"])
    doc = Document.from_source(source)
    work: HoleWork | None = None
    index = 0
    taken: set[str] = set()
    pending = None
    checked = 0
    with Session(session_config(options)) as session:
        grader = Grader(session)
        for e in events:
            if isinstance(e, HoleStarted):
                index = doc.index_of(e.hole)
                if index is None:
                    out.append(Divergence(seq=e.seq, what=f"no hole {e.hole} in the file at this point"))
                    break
                cut = cut_after(doc, index)
                work = HoleWork(e.branch, e.hole, cut, grader.grade(cut))
                taken = short_names(doc)
                pending = None
            elif work is None:
                continue
            elif isinstance(e, MoveProposed):
                pending = e.move
            elif isinstance(e, MoveApplied) and e.version == 0:
                if e.document != work.cut.render():
                    out.append(Divergence(seq=e.seq, what=f"{work.target}: the starting document differs"))
                compare_verdicts(e.seq, e.verdict, work.verdict, out)
                checked += 1
            elif isinstance(e, (MoveRefused, MoveRejected, MoveApplied)):
                if pending is None:
                    out.append(Divergence(seq=e.seq, what="a graded move with no move proposed before it"))
                    continue
                try:
                    new = apply_prove_move(pending, work.cut, target=work.target, focus=work.focus(),
                                           added=work.added, taken=taken)
                except Refused as exc:
                    if not isinstance(e, MoveRefused):
                        out.append(Divergence(seq=e.seq, what=f"recorded as graded, now refused: {exc}"))
                    pending = None
                    continue
                if isinstance(e, MoveRefused):
                    out.append(Divergence(seq=e.seq, what=f"recorded refusal ({e.reason}) but the move applies now"))
                    pending = None
                    continue
                verdict = grader.grade(new)
                checked += 1
                if new.render() != e.document:
                    out.append(Divergence(seq=e.seq, what=f"{work.target}: the document differs from the recorded one"))
                compare_verdicts(e.seq, e.verdict, verdict, out)
                if isinstance(e, MoveApplied):
                    work.applied(pending, new, verdict)
                pending = None
            elif isinstance(e, HoleFinished):
                if e.closed != work.closed():
                    out.append(Divergence(seq=e.seq, what=f"{e.hole}: recorded {'closed' if e.closed else 'open'}, "
                                                          f"replayed {'closed' if work.closed() else 'open'}"))
                if e.closed:
                    doc = splice(doc, index, work.cut)
                if doc.render() != e.document:
                    out.append(Divergence(seq=e.seq, what=f"{e.hole}: the file after this hole differs"))
                    doc = Document.from_source(e.document)
                work = None
    return ReplayReport(run_dir=str(run_dir), policy=started.policy, events=len(events), versions_checked=checked,
                        divergences=out)
