"""The nested agents: an inner deductive graph inside an outer inductive graph (LangGraph).

    outer:  design ──► inner ──► (closed) audit ──► accepted ──► finish
              ▲          │             └─ rejected ─┐
              │          ├─ (stalled) propose ──► inner (if the proposal applied)
              │          │                   └──► reload
              └─ reload ◄┴─ (budget spent) ──► finish
    inner:  choose ──► act (validate, apply, grade) ──► route: continue | closed | stalled | budget

Heavy things (the Rocq session, the policy, the transcript writer) live on the `Engine`;
the graphs carry only a status string. Every step first writes its event, so the state
can always be re-derived from the transcript (`state.fold`) — that is how `resume` works:
fold the events, then enter the outer graph at the node the state calls for.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable, TypedDict

import structlog
from langgraph.graph import END, START, StateGraph

from idsynth.audit import audit_solution
from idsynth.audit.types import Spec
from idsynth.rocq import Document, Grader, Session, SessionConfig

from .moves import Refused, design_document, protected_statements, validate_and_apply
from .policy import Policy, PolicyStopped, drain_llm_calls, policy_state
from .retrieval import search_lemmas, similar_proofs
from .skeleton import mark_readonly, spec_text
from .state import RunState, apply_event, summarize, verified_throughput
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
    Stalled,
    TranscriptWriter,
)
from .types import Budget, Define, Design, Observation, PostMortem, Revert

log = structlog.get_logger(__name__)
_RECURSION_LIMIT = 100_000


class _Status(TypedDict):
    status: str


class Engine:
    """Runs one spec with one policy, writing every step to the transcript."""

    def __init__(self, spec: Spec, policy: Policy, writer: TranscriptWriter, state: RunState, run_dir: Path,
                 session_config: SessionConfig, spec_names: set[str],
                 on_event: Callable[[object, RunState], None] | None = None) -> None:
        self.spec = spec
        self.policy = policy
        self.writer = writer
        self.state = state
        self.run_dir = run_dir
        self.budget: Budget = state.started.budget
        self.feedback = state.started.feedback
        self.session = Session(session_config)
        self.grader = Grader(self.session)
        self.spec_names = spec_names
        self.on_event = on_event
        self._spec_text = spec_text(spec)
        self._clock = time.monotonic()
        self._retrieved: dict[str, list] = {}
        self.benchmark_enabled = bool(state.started.config.get("benchmark", True))
        self.optimize = state.started.config.get("optimize")
        """"throughput": keep searching after a closed design for a faster verified one."""
        self._seconds_at_start = state.seconds

    # -- events --------------------------------------------------------------------

    def emit(self, event_cls, **fields):
        event = self.writer.append(event_cls, **fields)
        self.state = apply_event(self.state, event)
        log.info(event.type, seq=event.seq, branch=getattr(event, "branch", None),
                 version=getattr(event, "version", None))
        if self.on_event is not None:
            self.on_event(event, self.state)
        return event

    def emit_llm_calls(self) -> None:
        """Record the LLM calls a policy made (cost is counted from these records)."""
        branch = self.state.branch.index if self.state.branch else 0
        for record, usage in drain_llm_calls(self.policy):
            self.emit(LLMCallEvent, branch=branch, record=record, usage=usage)

    def _policy_state(self) -> dict:
        return policy_state(self.policy)

    # -- budget --------------------------------------------------------------------

    def elapsed(self) -> float:
        return self._seconds_at_start + (time.monotonic() - self._clock)

    def budget_spent(self) -> str | None:
        b, s = self.budget, self.state
        if s.moves >= b.moves:
            return f"move budget spent ({s.moves}/{b.moves})"
        if self.elapsed() >= b.seconds:
            return f"time budget spent ({self.elapsed():.0f}/{b.seconds:.0f} s)"
        if s.usage.tokens_in + s.usage.tokens_out >= b.tokens:
            return f"token budget spent ({s.usage.tokens_in + s.usage.tokens_out}/{b.tokens})"
        if s.usage.dollars >= b.dollars:
            return f"dollar budget spent (${s.usage.dollars:.2f}/${b.dollars:.2f})"
        return None

    # -- observation -----------------------------------------------------------------

    def observe(self) -> Observation:
        b = self.state.branch
        verdict = b.verdict if b else None
        rich = self.feedback == "rich"
        accepted = bool(verdict and verdict.first_failure is None
                        and (not b.history or b.history[-1].outcome == "applied"))
        return Observation(
            spec_name=self.spec.manifest.name,
            spec_text=self._spec_text,
            signature=self.spec.manifest.signature,
            correctness=self.spec.manifest.correctness,
            document=b.document.render() if b and b.documents else "",
            version=b.version if b else 0,
            branch=b.index if b else 0,
            design=b.design.name if b else "",
            feedback=self.feedback,
            accepted=accepted,
            holes=list(verdict.holes) if (rich and verdict) else [],
            failure=((b.last_rejection or verdict.first_failure) if (rich and verdict) else None),
            # The policy's own past moves are its memory, not the checker's detail: kept in
            # both modes; binary mode drops only the summaries (goals, error messages).
            history=[h if rich else h.model_copy(update={"summary": ""}) for h in b.history[-40:]] if b else [],
            # Notes carry checker diagnostics (post-mortems): rich mode only.
            notes=list(self.state.notes) if rich else [],
            retrieved=self._retrieve(verdict) if rich and verdict else [],
            throughput={c.design.name: self._throughput(c) for c in self._closed_branches()},
        )

    def _retrieve(self, verdict) -> list:
        """Search results and similar earlier proofs for the hole being worked on — the one
        the last move targeted, if still open, else the first (cached per statement)."""
        if not verdict.holes:
            return []
        b = self.state.branch
        last = getattr(b.history[-1].move, "hole", None) if b.history else None
        hole = next((h for h in verdict.holes if h.item.rsplit(".", 1)[-1] == last), verdict.holes[0])
        if hole.statement not in self._retrieved:
            found = search_lemmas(self.session, hole, self.state.branch.document)
            found += similar_proofs(self.run_dir.parent, self.spec.manifest.name, hole, spec_dir=self.spec.directory)
            self._retrieved[hole.statement] = found
        return self._retrieved[hole.statement]

    # -- outer nodes -------------------------------------------------------------------

    def node_design(self, _: _Status) -> _Status:
        branch = len(self.state.branches)
        if branch >= self.budget.branches:
            return self._finish("exhausted", f"branch budget spent ({branch}/{self.budget.branches})")
        started = time.monotonic()
        design = self.policy.design(self.observe(), list(self.state.post_mortems))
        self.emit_llm_calls()
        if design is None:
            why = getattr(self.policy, "why_no_design", lambda: "")()
            return self._finish("exhausted", "the policy has no further design to try" + (f": {why}" if why else ""))
        self.emit(DesignChosen, branch=branch, design=design, policy_state=self._policy_state())
        doc = self._skeleton_for(design)
        self._grade_and_record(doc, started)
        return {"status": "inner"}

    def _skeleton_for(self, design: Design) -> Document:
        return design_document(self.spec, design)

    def _grade_and_record(self, doc: Document, started: float) -> None:
        self._record(doc, self.grader.grade(doc), started)

    def _record(self, doc: Document, verdict, started: float) -> None:
        """A new version of the branch, on record and in `document.v`."""
        b = self.state.branch
        text = doc.render()
        self.emit(MoveApplied, branch=b.index, version=len(b.documents), document=text,
                  verdict=verdict, seconds=round(time.monotonic() - started, 3))
        (self.run_dir / "document.v").write_text(text)

    def node_inner(self, _: _Status) -> _Status:
        result = self._inner_graph().invoke({"status": "choose"}, {"recursion_limit": _RECURSION_LIMIT})
        return {"status": result["status"]}

    def node_propose(self, _: _Status) -> _Status:
        b = self.state.branch
        if b.proposals >= self.budget.proposals:
            return {"status": "reload"}
        proposal = self.policy.propose(self.observe())
        self.emit_llm_calls()
        self.emit(ProposalMade, branch=b.index, proposal=proposal, policy_state=self._policy_state())
        if proposal.move is None:
            # A proposer that failed to answer does not abandon the design and its proofs
            # while proposer calls are left: the inner agent goes on.
            if not proposal.abandon and self.state.branch.proposals < self.budget.proposals:
                return {"status": "inner"}
            return {"status": "reload"}
        self.emit(MoveProposed, branch=b.index, version=b.version, move=proposal.move, note=proposal.note,
                  role="proposer")
        self._act()
        return {"status": "inner"}

    def node_audit(self, _: _Status) -> _Status:
        b = self.state.branch
        path = self.run_dir / f"solution-branch{b.index}-v{b.version}.v"
        path.write_text(b.document.render())
        verdict = audit_solution(self.spec, path)
        # Paths in events are relative to the run directory, so a run can be moved or committed.
        self.emit(AuditDone, branch=b.index, version=b.version, verdict=verdict, solution_path=path.name)
        if verdict.accepted:
            shutil.copyfile(path, self.run_dir / "solution.v")
            self._benchmark(path, verdict)
            if self.optimize == "throughput":
                ops = self._throughput(b)
                self.state.notes.append(f"design {b.design.name} closed and audited at {ops:,.0f} ops/s; "
                                        "looking for a faster verified design")
                return {"status": "reload"}
            return self._finish("closed", f"closed and accepted by the audit (design {b.design.name})",
                                solution=self.run_dir / "solution.v")
        reasons = "; ".join(f"{f.kind.value}: {f.detail}" for f in verdict.findings[:3])
        self.state.notes.append(f"the audit rejected design {b.design.name}: {reasons}")
        return {"status": "reload"}

    def _benchmark(self, path: Path, verdict) -> None:
        """Extract, build and benchmark the accepted solution beside the baselines (a short
        workload: the full comparison is `idsynth bench`). A spec whose shape the driver
        does not support is recorded as skipped, with the reason."""
        if not self.benchmark_enabled:
            return
        b = self.state.branch
        try:
            from idsynth.extraction import bench
            from idsynth.extraction.errors import ExtractionError

            keys = (self.spec.manifest.bench.get("keys") or [1000])[:1]
            reports = bench(self.spec, [path], keys=keys, workdir=self.run_dir / "bench", ops=20000,
                            repetitions=3, verdicts={path: verdict})
            note = "extracted, built and benchmarked (short workload)"
            data = [r.model_dump(mode="json") for r in reports]
        except Exception as exc:  # noqa: BLE001 - a benchmark failure must not lose the closed run
            data, note = [], f"benchmark skipped: {' '.join(str(exc).split())[:300]}"
        self.emit(Benchmarked, branch=b.index, version=b.version, reports=data, note=note)

    def node_reload(self, _: _Status) -> _Status:
        b = self.state.branch
        verdict = b.verdict
        if b.audit is not None and b.audit.verdict.accepted:
            pm = PostMortem(branch=b.index, design=b.design.name, representation=b.design.representation,
                            stuck_on="nothing: closed and audited",
                            why=f"throughput {self._throughput(b):,.0f} ops/s; searching for a faster design",
                            moves=b.moves)
            self.emit(Reloaded, branch=b.index, post_mortem=pm)
            return {"status": "design"}
        if b.last_rejection is not None:
            stuck = b.last_rejection.item
            why = f"last attempt rejected: {b.last_rejection.message}"
        elif verdict and verdict.first_failure:
            stuck, why = verdict.first_failure.item, verdict.first_failure.message
        elif verdict and verdict.holes:
            stuck = verdict.holes[0].item
            why = f"no progress in {b.no_progress} moves; {len(verdict.holes)} holes left"
        elif b.audit is not None and not b.audit.verdict.accepted:
            stuck, why = "audit", "; ".join(f.detail for f in b.audit.verdict.findings[:2])
        else:
            stuck, why = "?", "abandoned"
        refutations = self._refutations(b)
        if refutations:
            # The likeliest cause outranks "no progress": the design itself is wrong.
            stuck = f"ImplProofs.{refutations[0].theorem}" if "." in stuck else refutations[0].theorem
            why = refutations[0].sentence() + "; the witnesses did not rule this design out"
        pm = PostMortem(branch=b.index, design=b.design.name, representation=b.design.representation,
                        stuck_on=stuck, why=" ".join(why.split())[:500], moves=b.moves, refutations=refutations)
        self.emit(Reloaded, branch=b.index, post_mortem=pm)
        return {"status": "design"}

    def _refutations(self, b) -> list:
        """Open theorems Rocq proves false for this design on sampled inputs (bounded; a
        failure of the check itself is logged, never fatal: it only explains)."""
        verdict = b.verdict
        if verdict is None or not verdict.holes or verdict.first_failure is not None:
            return []
        try:
            from .refute import refute_holes

            return refute_holes(self.spec, b.document, verdict, self.session.config, seconds=30.0)
        except Exception as exc:  # noqa: BLE001 - an explanation must not lose the run
            log.warning("refutation_check_failed", error=str(exc)[:300])
            return []

    def _throughput(self, branch) -> float:
        return verified_throughput(branch) or 0.0

    def _closed_branches(self):
        return [b for b in self.state.branches if b.audit is not None and b.audit.verdict.accepted]

    def _finish(self, status: str, reason: str, solution: Path | None = None) -> _Status:
        closed = self._closed_branches()
        if status != "closed" and closed:
            # Throughput search: the result is the fastest audited design found.
            best = max(closed, key=self._throughput)
            solution = self.run_dir / "solution.v"
            shutil.copyfile(self.run_dir / best.audit.solution_path, solution)
            status, reason = "closed", (f"fastest audited design {best.design.name} "
                                        f"({self._throughput(best):,.0f} ops/s) of {len(closed)} closed; then {reason}")
            self.emit(RunFinished, status=status, reason=reason, branch=best.index, version=best.version,
                      solution_path=solution.name)
            return {"status": "finished"}
        b = self.state.branch
        refutations = self._refutations(b) if b is not None and status != "closed" and self.state.branch_open else []
        self.emit(RunFinished, status=status, reason=reason, branch=b.index if b else None,
                  version=b.version if b else None, solution_path=solution.name if solution else None,
                  refutations=refutations)
        return {"status": "finished"}

    # -- inner nodes -------------------------------------------------------------------

    def node_choose(self, _: _Status) -> _Status:
        spent = self.budget_spent()
        if spent:
            return {"status": "budget"}
        b = self.state.branch
        if b.verdict is not None and b.verdict.closed:
            return {"status": "closed"}
        reply = self.policy.choose(self.observe())
        self.emit_llm_calls()
        self.emit(MoveProposed, branch=b.index, version=b.version, move=reply.move, note=reply.note,
                  usage=reply.usage, policy_state=self._policy_state())
        if reply.move is None:
            return {"status": "stalled"}  # the policy has nothing more to offer
        return {"status": "act"}

    def node_act(self, _: _Status) -> _Status:
        self._act()
        b = self.state.branch
        if b.verdict is not None and b.verdict.closed:
            return {"status": "closed"}
        if b.no_progress >= self.budget.stall_after:
            return {"status": "stalled"}
        return {"status": "choose"}

    def _act(self) -> None:
        """Validate, apply and grade the pending move (also used on resume)."""
        b = self.state.branch
        pending = b.pending
        assert pending is not None and pending.move is not None
        move = pending.move
        started = time.monotonic()
        if isinstance(move, Revert):
            if move.version >= len(b.documents):
                self.emit(MoveRefused, branch=b.index, version=b.version,
                          reason=f"no version {move.version} (latest is {b.version})")
                return
            self._grade_and_record(b.documents[move.version], started)
            return
        try:
            doc = validate_and_apply(move, b.document, protected_statements(b.documents[0]), self.spec_names)
        except Refused as exc:
            self.emit(MoveRefused, branch=b.index, version=b.version, reason=str(exc))
            return
        doc = mark_readonly(doc)
        verdict = self.grader.grade(doc)
        before = b.verdict
        if verdict.first_failure is not None and (before is None or before.first_failure is None):
            # Transactional: a move that breaks a checking document is rolled back; its
            # diagnostics go to the transcript and into the next observation.
            self.emit(MoveRejected, branch=b.index, version=b.version, document=doc.render(), verdict=verdict,
                      seconds=round(time.monotonic() - started, 3))
            return
        self._record(doc, verdict, started)

    def route_inner(self, s: _Status) -> str:
        return s["status"]

    def _inner_graph(self):
        g = StateGraph(_Status)
        g.add_node("choose", self.node_choose)
        g.add_node("act", self.node_act)
        g.add_edge(START, "choose")
        g.add_conditional_edges("choose", self.route_inner,
                                {"act": "act", "stalled": END, "budget": END, "closed": END})
        g.add_conditional_edges("act", self.route_inner,
                                {"choose": "choose", "closed": END, "stalled": END})
        return g.compile()

    def _on_inner_end(self, s: _Status) -> str:
        status = s["status"]
        if status == "stalled":
            b = self.state.branch
            self.emit(Stalled, branch=b.index, version=b.version, moves_without_progress=b.no_progress)
            return "propose"
        if status == "closed":
            return "audit"
        if status == "budget":
            self._finish("budget_spent", self.budget_spent() or "budget spent")
            return "end"
        return "propose"

    def outer_graph(self):
        g = StateGraph(_Status)
        g.add_node("design", self.node_design)
        g.add_node("inner", self.node_inner)
        g.add_node("propose", self.node_propose)
        g.add_node("audit", self.node_audit)
        g.add_node("reload", self.node_reload)
        g.add_node("act_pending", self.node_act_pending)
        g.add_conditional_edges(START, self.entry, {"design": "design", "inner": "inner", "act_pending": "act_pending",
                                                    "audit": "audit", "end": END})
        g.add_conditional_edges("design", lambda s: "end" if s["status"] == "finished" else "inner",
                                {"inner": "inner", "end": END})
        g.add_conditional_edges("act_pending", lambda s: s["status"],
                                {"inner": "inner", "audit": "audit"})
        g.add_conditional_edges("inner", self._on_inner_end,
                                {"propose": "propose", "audit": "audit", "end": END})
        g.add_conditional_edges("propose", lambda s: s["status"], {"inner": "inner", "reload": "reload"})
        g.add_conditional_edges("audit", lambda s: "end" if s["status"] == "finished" else "reload",
                                {"reload": "reload", "end": END})
        g.add_edge("reload", "design")
        return g.compile()

    def node_act_pending(self, _: _Status) -> _Status:
        """Resume: a move was proposed but not yet applied when the run stopped."""
        self._act()
        b = self.state.branch
        return {"status": "audit" if b.verdict is not None and b.verdict.closed else "inner"}

    def entry(self, _: _Status) -> str:
        s = self.state
        if s.finished is not None:
            return "end"
        b = s.branch
        if b is None or not s.branch_open:
            return "design"
        if not b.documents:
            # The design was chosen but its skeleton not graded yet.
            self._grade_and_record(self._skeleton_for(b.design), time.monotonic())
        if b.pending is not None and b.pending.move is not None:
            return "act_pending"
        if b.verdict is not None and b.verdict.closed and b.audit is None:
            return "audit"
        return "inner"

    def run(self) -> RunState:
        try:
            self.outer_graph().invoke({"status": "start"}, {"recursion_limit": _RECURSION_LIMIT})
        except PolicyStopped:
            # Not finished: the transcript ends where the provider stopped us, and what
            # was spent is on record, so `idsynth resume` continues from here.
            self.emit_llm_calls()
            raise
        finally:
            self.session.close()
            self.policy.close()
            self.writer.close()
        return self.state


__all__ = ["Engine", "summarize"]
