"""Replay: re-apply a run's recorded moves against a fresh Rocq session, no policy at all.

The same code paths as a run (skeleton, `validate_and_apply`, the grader) are fed the
recorded designs and moves; each new document must equal the recorded one, and its
verdict must agree on item statuses, hole names and error messages (not on timings). A
timeout that does or does not recur is flagged as machine-dependent, not as divergence.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from idsynth.audit import load_spec
from idsynth.rocq import Document, Grader, Session
from idsynth.rocq.types import Verdict

from .moves import Refused, design_document, protected_statements, validate_and_apply
from .run import _session_config, locate_spec, spec_defined_names
from .skeleton import mark_readonly
from .transcript import DesignChosen, MoveApplied, MoveProposed, MoveRefused, MoveRejected, ProveStarted, read_events
from .types import Revert


class Divergence(BaseModel):
    model_config = ConfigDict(frozen=True)
    seq: int
    what: str
    machine_dependent: bool = False


class ReplayReport(BaseModel):
    model_config = ConfigDict(frozen=True)
    run_dir: str
    policy: str
    events: int
    versions_checked: int
    divergences: list[Divergence]

    @property
    def diverged(self) -> bool:
        return any(not d.machine_dependent for d in self.divergences)


def _verdict_key(v: Verdict) -> tuple:
    f = v.first_failure
    return (
        tuple((i.name, i.status.value) for i in v.items),
        tuple(h.item for h in v.holes),
        (f.item, " ".join(f.message.split())) if f and not f.timeout else None,
    )


def compare_verdicts(seq: int, recorded: Verdict, fresh: Verdict, out: list[Divergence]) -> None:
    rt = bool(recorded.first_failure and recorded.first_failure.timeout)
    ft = bool(fresh.first_failure and fresh.first_failure.timeout)
    if rt or ft:
        if rt != ft:
            out.append(Divergence(seq=seq, machine_dependent=True,
                                  what=f"a timeout {'did not recur' if rt else 'occurred'} "
                                       f"({(recorded.first_failure or fresh.first_failure).item})"))
        return
    if _verdict_key(recorded) != _verdict_key(fresh):
        out.append(Divergence(seq=seq, what=f"verdict differs: recorded {_describe(recorded)}; "
                                            f"replayed {_describe(fresh)}"))


def _describe(v: Verdict) -> str:
    f = v.first_failure
    fail = f"failure in {f.item}: {' '.join(f.message.split())[:120]}" if f else "no failure"
    return f"holes {[h.item for h in v.holes]}, {fail}"


def replay_run(run_dir: Path) -> ReplayReport:
    run_dir = run_dir.resolve()
    events, _ = read_events(run_dir / "events.jsonl")
    started = events[0]
    if isinstance(started, ProveStarted):
        from .prove.replay import replay_prove

        return replay_prove(run_dir)
    spec = load_spec(locate_spec(started.spec_dir, run_dir))
    names = spec_defined_names(spec)
    config = _session_config(spec, run_dir, started.config.get("sentence_timeout", 30.0))
    out: list[Divergence] = []
    documents: list[Document] = []
    pending = None
    checked = 0
    if spec.sha256 != started.spec_hash:
        out.append(Divergence(seq=0, what=f"the spec changed since the run ({spec.sha256[:12]} != "
                                          f"{started.spec_hash[:12]})"))
    with Session(config) as session:
        grader = Grader(session)
        for e in events:
            if isinstance(e, DesignChosen):
                documents = [design_document(spec, e.design)]
                pending = "design"
            elif isinstance(e, MoveProposed):
                pending = e
            elif isinstance(e, MoveRefused):
                if isinstance(pending, MoveProposed) and pending.move is not None and not isinstance(pending.move, Revert):
                    try:
                        validate_and_apply(pending.move, documents[-1], protected_statements(documents[0]), names)
                        out.append(Divergence(seq=e.seq, what=f"recorded refusal ({e.reason}) but the move applies now"))
                    except Refused:
                        pass
                pending = None
            elif isinstance(e, MoveRejected):
                if isinstance(pending, MoveProposed) and pending.move is not None:
                    try:
                        doc = mark_readonly(validate_and_apply(pending.move, documents[-1],
                                                               protected_statements(documents[0]), names))
                        if doc.render() != e.document:
                            out.append(Divergence(seq=e.seq, what="the rejected document differs from the recorded one"))
                        compare_verdicts(e.seq, e.verdict, grader.grade(doc), out)
                        checked += 1
                    except Refused as exc:
                        out.append(Divergence(seq=e.seq, what=f"recorded move was graded, now refused: {exc}"))
                pending = None
            elif isinstance(e, MoveApplied):
                if pending == "design":
                    doc = documents[-1]
                    documents = []
                elif isinstance(pending, MoveProposed) and isinstance(pending.move, Revert):
                    doc = documents[pending.move.version]
                elif isinstance(pending, MoveProposed) and pending.move is not None:
                    try:
                        doc = mark_readonly(validate_and_apply(pending.move, documents[-1],
                                                               protected_statements(documents[0]), names))
                    except Refused as exc:
                        out.append(Divergence(seq=e.seq, what=f"recorded move applied, now refused: {exc}"))
                        doc = mark_readonly(Document.from_source(e.document))
                else:
                    doc = mark_readonly(Document.from_source(e.document))
                if doc.render() != e.document:
                    out.append(Divergence(seq=e.seq, what=f"version {e.version}: the document differs from the recorded one"))
                documents.append(doc)
                compare_verdicts(e.seq, e.verdict, grader.grade(doc), out)
                checked += 1
                pending = None
    return ReplayReport(run_dir=str(run_dir), policy=started.policy, events=len(events), versions_checked=checked,
                        divergences=out)
