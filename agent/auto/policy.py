"""The `auto` policy: Rocq automation and a catalogue of representations, no model.

- design (the reloader): the next catalogue design not already abandoned (post-mortems);
- choose (the inner agent): for the first hole the portfolio has not failed on, a proof
  found and checked in the prover's own session (`Prove`, noting the strategy), or a
  decomposition (`Decompose`) when the portfolio fails but helpers close; if the proof
  needs CoqHammer, first a `Define` of its import in the preamble;
- propose (the outer proposer): a decomposition of a hole not yet tried, else nothing.
Everything it finds is re-graded by the engine and audited: the policy is never trusted.
"""

from __future__ import annotations

import time

import structlog

from idsynth.audit.types import Spec
from idsynth.rocq import Document, SessionConfig

from ..moves import margin_of
from ..types import Decompose, Define, Design, Observation, PolicyReply, PostMortem, Proposal, Prove
from ..refute import learned_witness
from .catalogue import Catalogue
from .decompose import propose_decomposition
from .prover import ProofSearch

log = structlog.get_logger(__name__)


class AutoPolicy:
    kind = "auto"
    name = "auto"

    def __init__(self, spec: Spec | None, config: SessionConfig, per_hole_seconds: float = 60.0) -> None:
        """`spec` None: proofs only (`idsynth prove`), no catalogue of designs."""
        self.spec = spec
        self.per_hole_seconds = per_hole_seconds
        self.search = ProofSearch(config)
        self.catalogue = Catalogue(spec, config) if spec is not None else None
        self._designs = None
        self._given: set[str] = set()
        self._failed: set[tuple[str, str]] = set()
        self._decomposed: set[tuple[str, str]] = set()
        self._design = ""

    # -- the reloader ----------------------------------------------------------------

    def design(self, obs: Observation, post_mortems: list[PostMortem]) -> Design | None:
        exclude = {pm.design for pm in post_mortems} | self._given
        if self.catalogue is None:
            return None
        if self._learn(post_mortems) and self._designs is not None:
            # A theorem refuted on an earlier design is a witness the next one must satisfy:
            # search again, pruned by it, rather than take the next design it would reject.
            self._designs.close()
            self._designs = None
        if self._designs is None:
            self._designs = self.catalogue.designs(exclude=exclude)
        for design in self._designs:
            if design.name not in exclude:
                self._given.add(design.name)
                self._design = design.name
                return design
        return None

    def _learn(self, post_mortems: list[PostMortem]) -> bool:
        """Add the refutations of abandoned designs to the catalogue's witnesses; True if any is new."""
        known = {(w.expr, w.expect) for w in self.catalogue.learned}
        added = False
        for pm in post_mortems:
            for r in pm.refutations:
                w = learned_witness(r)
                if (w.expr, w.expect) not in known:
                    known.add((w.expr, w.expect))
                    self.catalogue.learned.append(w.model_copy(update={"name": f"{w.name}_{len(known)}"}))
                    added = True
        return added

    def why_no_design(self) -> str:
        """The catalogue's own account (e.g. an unsupported signature shape)."""
        if self.catalogue is None:
            return "proofs only: no catalogue of designs"
        return "; ".join(dict.fromkeys(self.catalogue.notes))[:300]

    # -- the inner agent -------------------------------------------------------------

    def _holes(self, doc: Document, obs: Observation) -> list[int]:
        """The holes to work on, in order: those in the observation's focus, when it has one."""
        return [i for i, item in enumerate(doc.items)
                if item.is_hole and (not obs.focus or item.name in obs.focus)]

    def _search_budget(self, obs: Observation) -> float:
        """Seconds for the portfolio. Bounded by the engine (`prove`): a bit over half of what
        is left, most of the rest going to a decomposition, a margin to apply the moves."""
        if obs.seconds_left is None:
            return self.per_hole_seconds
        return min(self.per_hole_seconds, 0.55 * max(1.0, obs.seconds_left))

    def _decompose_budget(self, obs: Observation, started: float) -> float:
        """Seconds for a decomposition, the time spent since `started` already counted."""
        if obs.seconds_left is None:
            return max(30.0, 2 * self.per_hole_seconds)
        return max(1.0, 0.9 * obs.seconds_left - (time.monotonic() - started))

    def choose(self, obs: Observation) -> PolicyReply:
        doc = Document.from_source(obs.document)
        started = time.monotonic()
        search_s = self._search_budget(obs)
        for index in self._holes(doc, obs):
            item = doc.items[index]
            key = (obs.design, item.statement)
            if key in self._failed:
                continue
            found = self.search.find(doc, index, budget_s=search_s)
            if found is not None:
                if found.needs_import and found.needs_import not in obs.document:
                    return PolicyReply(move=Define(name="automation_import", text=found.needs_import,
                                                   where="preamble", rationale=f"needed by {found.strategy}"),
                                       note=f"auto: import for {found.strategy}")
                return PolicyReply(move=Prove(hole=item.name, script=found.script, rationale=found.strategy),
                                   note=f"auto: {found.strategy} ({found.attempts} attempts, {found.seconds:.1f} s)")
            self._failed.add(key)
            if key not in self._decomposed:
                self._decomposed.add(key)
                move = self._decompose(doc, index, self._decompose_budget(obs, started))
                if move is not None:
                    return PolicyReply(move=move, note="auto: decomposition (helpers checked to close)")
        return PolicyReply(move=None, note="auto: the portfolio failed on every remaining hole")

    def _decompose(self, doc: Document, index: int, budget_s: float) -> Decompose | None:
        # Proofs only (`idsynth prove`): helpers take the hole's own margin, as the moves do there.
        indent = margin_of(doc.items[index]) if self.spec is None else None
        proposal = propose_decomposition(doc, index, self.search, budget_s=budget_s, indent=indent)
        if proposal is None:
            return None
        helpers, script = proposal
        return Decompose(hole=doc.items[index].name, helpers=helpers, script=script,
                         rationale="auto: accumulator generalisation / induction skeleton")

    # -- the proposer ----------------------------------------------------------------

    def propose(self, obs: Observation) -> Proposal:
        doc = Document.from_source(obs.document)
        started = time.monotonic()
        for index in self._holes(doc, obs):
            key = (obs.design, doc.items[index].statement)
            if key in self._decomposed:
                continue
            self._decomposed.add(key)
            move = self._decompose(doc, index, self._decompose_budget(obs, started))
            if move is not None:
                return Proposal(move=move, note=f"auto: decomposed {doc.items[index].name}")
        return Proposal(move=None, note="auto: no decomposition of the remaining holes closes")

    def close(self) -> None:
        self.search.close()
        if self.catalogue is not None:
            self.catalogue.close()
