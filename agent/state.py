"""The state of a run, as a pure fold over its transcript events.

Nothing here talks to Rocq or a policy: resuming a run is folding its events and going on
from the state they describe; replaying, comparing and reporting read the same fold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from idsynth.rocq import Document
from idsynth.rocq.types import Failure, Verdict

from .skeleton import mark_readonly
from .transcript import (
    AuditDone,
    Benchmarked,
    DesignChosen,
    LLMCallEvent,
    MoveApplied,
    MoveProposed,
    MoveRefused,
    MoveRejected,
    ProposalMade,
    Reloaded,
    RunFinished,
    RunStarted,
    TranscriptError,
    Stalled,
)
from .types import Design, HistoryEntry, PostMortem, Usage


def score(verdict: Verdict) -> tuple[int, int, int]:
    """Lower is better: a failure first, then holes, then open goals at the holes."""
    goals = sum(len(h.proof_state.goals) if h.proof_state else 1 for h in verdict.holes)
    return (1 if verdict.first_failure else 0, len(verdict.holes), goals)


def summarize(verdict: Verdict) -> str:
    if verdict.closed:
        return "closed: no holes, no failure"
    parts = [f"{len(verdict.holes)} holes"]
    if verdict.first_failure:
        f = verdict.first_failure
        parts.append(f"{'timeout' if f.timeout else 'error'} in {f.item} at line {f.location.line}: "
                     f"{' '.join(f.message.split())[:200]}")
    return "; ".join(parts)


@dataclass
class Branch:
    index: int
    design: Design
    documents: list[Document] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    best: tuple[int, int, int] | None = None
    no_progress: int = 0
    stalls: int = 0
    proposals: int = 0
    moves: int = 0
    pending: MoveProposed | None = None
    audit: AuditDone | None = None
    benchmark: Benchmarked | None = None
    last_rejection: Failure | None = None
    """The checker's diagnostics for the last rolled-back move, while it is the latest news."""
    gave_up: list[str] = field(default_factory=list)
    """What the policy and the proposer said when they had nothing to offer (e.g. "the
    portfolio failed on every remaining hole"): part of what was tried on the open holes."""

    @property
    def version(self) -> int:
        return len(self.documents) - 1

    @property
    def document(self) -> Document:
        return self.documents[-1]

    @property
    def verdict(self) -> Verdict | None:
        return self.verdicts[-1] if self.verdicts else None


@dataclass
class RunState:
    started: RunStarted
    branches: list[Branch] = field(default_factory=list)
    post_mortems: list[PostMortem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    moves: int = 0
    seconds: float = 0.0
    finished: RunFinished | None = None
    llm_calls: int = 0
    policy_state: dict = field(default_factory=dict)
    """The latest state a policy recorded with an answer: where it resumes."""

    @property
    def branch(self) -> Branch | None:
        return self.branches[-1] if self.branches else None

    @property
    def branch_open(self) -> bool:
        b = self.branch
        return b is not None and not any(p.branch == b.index for p in self.post_mortems)


def _record_version(branch: Branch, document: Document, verdict: Verdict, structural: bool = False) -> bool:
    """Add a version; return whether it made progress over the branch's best.

    A decomposition that applies is progress by construction: it trades one hole for
    smaller ones, so the hole count rises and the branch's best is reset to the new state."""
    branch.documents.append(document)
    branch.verdicts.append(verdict)
    s = score(verdict)
    progress = branch.best is None or s < branch.best or (structural and verdict.first_failure is None)
    if progress:
        branch.best = s
        branch.no_progress = 0
    else:
        branch.no_progress += 1
    return progress


def apply_event(state: RunState | None, event) -> RunState:
    if isinstance(event, RunStarted):
        return RunState(started=event)
    assert state is not None, "a transcript starts with run_started"
    b = state.branch
    if isinstance(event, (DesignChosen, MoveProposed, ProposalMade)) and event.policy_state:
        state.policy_state = dict(event.policy_state)
    if isinstance(event, DesignChosen):
        state.branches.append(Branch(index=event.branch, design=event.design))
    elif isinstance(event, MoveProposed):
        # Cost is counted from `llm_call` events only, once per call, so a call that was
        # in flight when a run was killed is re-issued on resume and counted once.
        if event.move is not None:
            state.moves += 1
            b.moves += 1
            b.pending = event
        else:
            b.no_progress += 1
            if event.note:
                b.gave_up.append(event.note)
    elif isinstance(event, MoveRefused):
        b.last_rejection = None
        if b.pending is not None and b.pending.move is not None:
            b.history.append(HistoryEntry(move=b.pending.move, outcome="refused", summary=event.reason))
        b.pending = None
        b.no_progress += 1
    elif isinstance(event, MoveRejected):
        state.seconds += event.seconds
        failure = event.verdict.first_failure
        if b.pending is not None and b.pending.move is not None:
            b.history.append(HistoryEntry(move=b.pending.move, outcome="rejected",
                                          summary=f"rolled back: {summarize(event.verdict)}"))
        b.pending = None
        b.no_progress += 1
        b.last_rejection = failure
    elif isinstance(event, MoveApplied):
        b.last_rejection = None
        doc = mark_readonly(Document.from_source(event.document))
        before = b.verdict
        structural = b.pending is not None and b.pending.move is not None and b.pending.move.kind == "decompose"
        _record_version(b, doc, event.verdict, structural)
        state.seconds += event.seconds
        if b.pending is not None and b.pending.move is not None:
            summary = summarize(event.verdict)
            if before is not None:
                summary = f"holes {len(before.holes)} -> {len(event.verdict.holes)}; {summary}"
            b.history.append(HistoryEntry(move=b.pending.move, outcome="applied", summary=summary))
        b.pending = None
    elif isinstance(event, LLMCallEvent):
        state.llm_calls += 1
        state.usage += event.usage
    elif isinstance(event, Stalled):
        b.stalls += 1
    elif isinstance(event, ProposalMade):
        b.proposals += 1
        if event.proposal.note:
            state.notes.append(f"proposer: {event.proposal.note}")
            if event.proposal.move is None:
                b.gave_up.append(f"proposer: {event.proposal.note}")
    elif isinstance(event, Reloaded):
        state.post_mortems.append(event.post_mortem)
        pm = event.post_mortem
        state.notes.append(f"abandoned design {pm.design} ({pm.representation}): stuck on {pm.stuck_on}: {pm.why}")
    elif isinstance(event, AuditDone):
        b.audit = event
    elif isinstance(event, Benchmarked):
        b.benchmark = event
    elif isinstance(event, RunFinished):
        state.finished = event
    return state


def fold(events: list) -> RunState:
    """The state of an `idsynth run` transcript (`TranscriptError` for any other kind)."""
    if events and getattr(events[0], "type", "") == "prove_started":
        raise TranscriptError(f"run {events[0].run_id} is an `idsynth prove` run: its report is its last event "
                              "(`idsynth prove --json` prints it); `replay` and `resume` work on it, "
                              "`report`, `compare` and `export` read `idsynth run` transcripts")
    if not events:
        raise TranscriptError("an empty transcript")
    state: RunState | None = None
    for e in events:
        state = apply_event(state, e)
    assert state is not None
    return state



def verified_throughput(branch: Branch) -> float | None:
    """The branch's solution's own throughput in its benchmark (not the baselines'), if any."""
    if branch.benchmark is None:
        return None
    ops = [r.get("ops_per_s_median", 0.0) for r in branch.benchmark.reports
           if r.get("kind") == "verified" and r.get("ok")]
    return max(ops) if ops else None
