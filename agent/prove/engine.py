"""The `idsynth prove` loop: the file's holes one at a time, against a live Rocq session.

    grade the input ─► for each selected hole, in file order:
        cut the file right after the hole (later items cannot matter to it)
        inner agent: policy.choose ─► validate (prove/moves.py) ─► grade ─► applied | rejected (rolled back)
        stalled (no move): the proposer, policy.propose, may offer a decomposition
        the hole and its helpers all closed ─► commit to the file; else drop the work
    ─► re-split and compare with the input (frozen.py) ─► coqc from scratch + Print
       Assumptions of every claim (recheck.py) ─► write the output

There is no reloader: the implementation is the user's and stays as it is. Every step is
an event of the run's transcript (fsynced), so a killed run resumes at the first hole not
finished, and `idsynth replay` re-checks every recorded move.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import structlog

from idsynth.agent.moves import Refused
from idsynth.agent.policy import Policy, PolicyStopped, drain_llm_calls, policy_state
from idsynth.agent.transcript import (
    HoleFinished,
    HoleStarted,
    LLMCallEvent,
    MoveApplied,
    MoveProposed,
    MoveRefused,
    MoveRejected,
    ProposalMade,
    ProveFinished,
    ProveStarted,
    TranscriptWriter,
)
from idsynth.agent.types import Decompose, Define, HistoryEntry, Move, Observation, Prove
from idsynth.rocq import Document, Grader
from idsynth.rocq.types import Verdict

from .frozen import frozen_problems
from .moves import apply_prove_move, import_sentences
from .recheck import recheck
from .types import HoleOutcome, ProveOptions, ProveReport

log = structlog.get_logger(__name__)


class InputError(Exception):
    """The input cannot be worked on (it does not check, an unknown `--only` name); one line."""


def cut_after(doc: Document, index: int) -> Document:
    """The document up to and including item `index`: what a hole's proof can depend on."""
    return Document(items=doc.items[: index + 1], trailing="")


def splice(doc: Document, index: int, cut: Document) -> Document:
    """`doc` with its items up to `index` replaced by the (edited) cut document's."""
    return Document(items=list(cut.items) + list(doc.items[index + 1:]), trailing=doc.trailing)


def short_names(doc: Document) -> set[str]:
    return {it.name.rsplit(".", 1)[-1] for it in doc.items}


def select_holes(holes: list[str], only: list[str]) -> list[str]:
    """The holes to work on, in file order; `only` names short or qualified."""
    if not only:
        return list(holes)
    unknown = [o for o in only if not any(h == o or h.rsplit(".", 1)[-1] == o for h in holes)]
    if unknown:
        raise InputError(f"--only {', '.join(unknown)}: no such hole (holes: {', '.join(holes) or 'none'})")
    return [h for h in holes if h in only or h.rsplit(".", 1)[-1] in only]


class HoleWork:
    """The inner agent's state on one hole (a branch of the transcript)."""

    def __init__(self, ordinal: int, target: str, cut: Document, verdict: Verdict,
                 deadline: float | None = None) -> None:
        self.ordinal = ordinal
        self.target = target
        self.cut = cut
        self.verdict = verdict
        self.version = 0
        self.moves = 0
        self.added: set[str] = set()
        self.imports: list[str] = []
        self.history: list[HistoryEntry] = []
        self.strategies: dict[str, str] = {}
        self.last_error = ""
        self.proposals = 0
        self.deadline = deadline

    def applied(self, move: Move, new: Document, verdict: Verdict, note: str = "") -> None:
        """Book-keeping of an applied move (shared with replay, which must agree)."""
        before = {it.name for it in self.cut.items}
        self.added |= {it.name for it in new.items} - before
        if isinstance(move, Define):
            self.imports += import_sentences(move)
        elif isinstance(move, Prove):
            self.strategies[new.items[new.index_of(move.hole)].name] = move.rationale or note
        elif isinstance(move, Decompose):
            self.strategies[new.items[new.index_of(move.hole)].name] = (
                f"decompose into {', '.join(h.name for h in move.helpers)}"
                + (f" ({move.rationale})" if move.rationale else ""))
        self.version += 1
        self.cut, self.verdict = new, verdict

    def focus(self) -> list[str]:
        return [h.item for h in self.verdict.holes if h.item == self.target or h.item in self.added]

    def closed(self) -> bool:
        return self.verdict.first_failure is None and not self.focus() and \
            not any(h.item == self.target for h in self.verdict.holes)


class ProveEngine:
    """Runs `idsynth prove` on one file with one policy, writing every step to the transcript."""

    def __init__(self, options: ProveOptions, policy: Policy, writer: TranscriptWriter, run_dir: Path,
                 grader: Grader, source: str, *, on_event: Callable[[object], None] | None = None,
                 proposals_per_hole: int = 1) -> None:
        self.options = options
        self.policy = policy
        self.writer = writer
        self.run_dir = run_dir
        self.grader = grader
        self.source = source
        self.on_event = on_event
        self.proposals_per_hole = proposals_per_hole
        self.started = time.monotonic()

    def emit(self, event_cls, **fields):
        event = self.writer.append(event_cls, **fields)
        log.info(event.type, seq=event.seq, hole=getattr(event, "hole", None))
        if self.on_event is not None:
            self.on_event(event)
        return event

    def _policy_state(self) -> dict:
        return policy_state(self.policy)

    # -- the run ---------------------------------------------------------------------------

    def run(self, holes: list[str], selected: list[str], done: dict[str, HoleFinished] | None = None,
            current: str | None = None) -> ProveReport:
        """Work on `selected` (file order). `done` and `current` (the file so far) come from
        a resumed transcript: finished holes are not worked on again."""
        done = dict(done or {})
        doc = Document.from_source(current if current is not None else self.source)
        outcomes: dict[str, HoleFinished] = dict(done)
        ordinal = 0
        try:
            for ordinal, name in enumerate(selected):
                if name in done:
                    continue
                if time.monotonic() - self.started >= self.options.budget_seconds:
                    break
                index = doc.index_of(name)
                if index is None or not doc.items[index].is_hole:
                    continue
                outcomes[name], doc = self._work(ordinal, name, doc, index)
        except PolicyStopped:
            # Not finished: what was spent is on record, `idsynth resume` goes on from here.
            self._emit_llm_calls(ordinal)
            self.writer.close()
            raise
        finally:
            self.policy.close()
        report = self._finish(doc, holes, selected, outcomes)
        self.emit(ProveFinished, report=report.model_dump(mode="json"))
        self.writer.close()
        return report

    # -- one hole ----------------------------------------------------------------------------

    def _work(self, ordinal: int, name: str, doc: Document, index: int) -> tuple[HoleFinished, Document]:
        """The hole's outcome and the file after it (`doc` itself unless the hole closed)."""
        started = time.monotonic()
        deadline = min(started + self.options.hole_seconds, self.started + self.options.budget_seconds)
        self.emit(HoleStarted, branch=ordinal, hole=name)
        cut = cut_after(doc, index)
        work = HoleWork(ordinal, name, cut, self.grader.grade(cut), deadline)
        taken = short_names(doc)
        if work.verdict.first_failure is not None:
            return self._end(work, doc, index, started, "the file does not check up to this hole: "
                             + " ".join(work.verdict.first_failure.message.split())[:300])
        self.emit(MoveApplied, branch=ordinal, version=0, document=cut.render(), verdict=work.verdict, seconds=0.0)
        while not work.closed() and time.monotonic() < deadline and work.moves < self.options.moves_per_hole:
            reply = self.policy.choose(self._observe(work))
            self._emit_llm_calls(ordinal)
            self.emit(MoveProposed, branch=ordinal, version=work.version, move=reply.move, note=reply.note,
                      usage=reply.usage, policy_state=self._policy_state())
            move = reply.move
            if move is None:
                move = self._propose(work)
                if move is None:
                    work.last_error = work.last_error or reply.note or "the policy had nothing to offer"
                    break
            self._act(work, move, taken, reply.note)
        reason = "" if work.closed() else (work.last_error or ("time bound reached" if time.monotonic() >= deadline
                                                               else "move bound reached"))
        return self._end(work, doc, index, started, reason)

    def _propose(self, work: HoleWork) -> Move | None:
        if work.proposals >= self.proposals_per_hole:
            return None
        work.proposals += 1
        proposal = self.policy.propose(self._observe(work))
        self._emit_llm_calls(work.ordinal)
        self.emit(ProposalMade, branch=work.ordinal, proposal=proposal, policy_state=self._policy_state())
        if proposal.move is None:
            work.last_error = work.last_error or proposal.note
            return None
        self.emit(MoveProposed, branch=work.ordinal, version=work.version, move=proposal.move, note=proposal.note,
                  role="proposer")
        return proposal.move

    def _act(self, work: HoleWork, move: Move, taken: set[str], note: str) -> None:
        work.moves += 1
        started = time.monotonic()
        try:
            new = apply_prove_move(move, work.cut, target=work.target, focus=work.focus(), added=work.added,
                                   taken=taken)
        except Refused as exc:
            self.emit(MoveRefused, branch=work.ordinal, version=work.version, reason=str(exc))
            work.history.append(HistoryEntry(move=move, outcome="refused", summary=str(exc)[:300]))
            work.last_error = f"refused: {exc}"
            return
        verdict = self.grader.grade(new)
        seconds = round(time.monotonic() - started, 3)
        if verdict.first_failure is not None:
            self.emit(MoveRejected, branch=work.ordinal, version=work.version, document=new.render(),
                      verdict=verdict, seconds=seconds)
            message = " ".join(verdict.first_failure.message.split())[:300]
            work.history.append(HistoryEntry(move=move, outcome="rejected", summary=message))
            work.last_error = f"{verdict.first_failure.item}: {message}"
            return
        work.applied(move, new, verdict, note)
        self.emit(MoveApplied, branch=work.ordinal, version=work.version, document=new.render(), verdict=verdict,
                  seconds=seconds)
        work.history.append(HistoryEntry(move=move, outcome="applied",
                                         summary=f"holes in focus: {', '.join(work.focus()) or 'none'}"))

    def _end(self, work: HoleWork, doc: Document, index: int, started: float,
             reason: str) -> tuple[HoleFinished, Document]:
        closed = work.closed() and not reason
        strategy, helpers = "", []
        if closed:
            doc = splice(doc, index, work.cut)
            helpers = sorted(work.added & set(work.strategies))
            strategy = work.strategies.get(work.target, "")
            if helpers:
                strategy += "; " + "; ".join(f"{h}: {work.strategies[h]}" for h in helpers)
        finished = self.emit(HoleFinished, branch=work.ordinal, hole=work.target, closed=closed, strategy=strategy,
                             helpers=helpers, imports=work.imports if closed else [],
                             seconds=round(time.monotonic() - started, 3), moves=work.moves, reason=reason,
                             document=doc.render())
        return finished, doc

    def _observe(self, work: HoleWork) -> Observation:
        focus = work.focus()
        return Observation(
            spec_name=self.options.file.name, spec_text="", signature="", correctness="",
            document=work.cut.render(), version=work.version, branch=work.ordinal, design="frozen implementation",
            feedback="rich", accepted=work.verdict.first_failure is None,
            holes=[h for h in work.verdict.holes if h.item in focus], failure=work.verdict.first_failure,
            history=work.history[-12:], focus=focus,
            seconds_left=None if work.deadline is None else max(0.0, work.deadline - time.monotonic()),
            notes=["idsynth prove: the implementation is frozen. Only Prove and Decompose on the holes in focus, "
                   "Repair of helpers added here, or a Define that only adds imports."])

    def _emit_llm_calls(self, ordinal: int) -> None:
        for record, usage in drain_llm_calls(self.policy):
            self.emit(LLMCallEvent, branch=ordinal, record=record, usage=usage)

    # -- the end: frozen check, re-check, output ------------------------------------------------

    def _finish(self, doc: Document, holes: list[str], selected: list[str],
                outcomes: dict[str, HoleFinished]) -> ProveReport:
        output = doc.render()
        (self.run_dir / "output.v").write_text(output, encoding="utf-8")
        helpers = {h for f in outcomes.values() if f.closed for h in f.helpers}
        imports = [i for f in outcomes.values() if f.closed for i in f.imports]
        problems = frozen_problems(self.source, output, helpers=helpers, imports=set(imports))
        claimed = [n for n, f in outcomes.items() if f.closed]
        remaining = [it.name for it in doc.items if it.is_hole]
        checked = recheck(output, self.options.load_paths, claimed, remaining) if claimed and not problems else None
        sound = not problems and (checked is None or checked.ok)
        results = []
        for name in holes:
            f = outcomes.get(name)
            if name not in selected:
                results.append(HoleOutcome(name=name, status="skipped", reason="not selected (--only)"))
            elif f is None:
                results.append(HoleOutcome(name=name, status="skipped", reason="the overall budget ran out first"))
            elif not f.closed or not sound:
                why = f.reason if not f.closed else "the output failed its final check; nothing was written"
                results.append(HoleOutcome(name=name, status="open", seconds=f.seconds, moves=f.moves, reason=why))
            elif checked is not None and name in checked.unchecked:
                results.append(HoleOutcome(name=name, status="open", seconds=f.seconds, moves=f.moves,
                                           strategy=f.strategy, reason="Print Assumptions failed on it"))
            else:
                on = checked.depends_on_holes.get(name, []) if checked else []
                results.append(HoleOutcome(
                    name=name, status="conditional" if on else "closed", strategy=f.strategy, seconds=f.seconds,
                    moves=f.moves, helpers=f.helpers, conditional_on=on,
                    axioms=checked.axioms.get(name, []) if checked else []))
        written, backup = (self._write(output) if sound and claimed else (None, None))
        return ProveReport(
            file=str(self.options.file), output=str(written) if written else None, backup=str(backup) if backup else None,
            run_dir=str(self.run_dir), policy=self.policy.name, holes=results, added_imports=imports,
            frozen_ok=not problems, frozen_problems=problems, recheck_ok=checked.ok if checked else not problems,
            recheck_message=checked.message if checked else "", seconds=round(time.monotonic() - self.started, 3))

    def _write(self, output: str) -> tuple[Path, Path | None]:
        src = self.options.file
        if self.options.in_place:
            backup = src.with_name(src.name + ".orig")
            n = 1
            while backup.exists():
                backup = src.with_name(f"{src.name}.orig.{n}")
                n += 1
            backup.write_bytes(src.read_bytes())
            target = src
        else:
            backup = None
            target = self.options.output or src.with_name(f"{src.stem}_proved.v")
        target.write_text(output, encoding="utf-8")
        return target, backup
