"""What each feedback mode lets a policy see (the paper's ablation as a switch)."""

from __future__ import annotations

from pathlib import Path

from idsynth.agent.policies.scripted import ScriptedPolicy, load_script
from idsynth.agent.run import start_run
from idsynth.agent.types import Budget

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "warmup" / "finite_map"
SCRIPT = ROOT / "tests" / "data" / "scripts" / "finite_map_pivot.json"


class Recording(ScriptedPolicy):
    """The scripted policy, keeping every observation it was shown."""

    def __init__(self):
        super().__init__(load_script(SCRIPT), str(SCRIPT))
        self.seen = []
        self.moves = []

    def choose(self, obs):
        self.seen.append(obs)
        reply = super().choose(obs)
        self.moves.append(reply.move)
        return reply

    def propose(self, obs):
        proposal = super().propose(obs)
        self.moves.append(proposal.move)
        return proposal


def _observations(tmp_path, feedback: str, policy: Recording | None = None):
    policy = policy or Recording()
    start_run(SPEC, lambda spec, cfg: policy, runs_dir=tmp_path, budget=Budget(stall_after=3), feedback=feedback,
              run_id=feedback)
    return policy.seen


def test_rich_feedback_shows_goals_errors_locations_and_history(tmp_path):
    seen = _observations(tmp_path, "rich")
    assert all(o.feedback == "rich" for o in seen)
    first = seen[0]
    assert first.holes and first.holes[0].proof_state.goals[0].conclusion
    after_rejection = next(o for o in seen if o.failure is not None)
    assert after_rejection.failure.message and after_rejection.failure.location.line > 0
    assert after_rejection.failure.proof_state_before is not None
    assert any(h.outcome == "rejected" for h in after_rejection.history)
    assert any("abandoned design" in n for n in seen[-1].notes)  # the post-mortem reaches the next design


def test_binary_feedback_shows_only_accepted_or_rejected(tmp_path):
    policy = Recording()
    seen = _observations(tmp_path, "binary", policy)
    assert seen and all(o.feedback == "binary" for o in seen)
    for o in seen:
        assert o.holes == [] and o.failure is None and o.notes == [] and o.retrieved == []
        # Its own past moves stay (its memory), without the checker's summary of each.
        assert all(h.summary == "" for h in o.history)
    # The ablation hides the checker's detail, not the policy's memory: its own moves are
    # there, including the ones the checker turned down.
    shown = [h for o in seen for h in o.history]
    assert shown and all(h.move in policy.moves for h in shown)
    assert any(h.outcome != "applied" for h in shown)
    flags = [o.accepted for o in seen]
    assert True in flags and False in flags  # the one bit still moves
    # The document itself is the agent's own work and stays visible in both modes.
    assert all("Module Impl" in o.document for o in seen)


def test_rich_observations_carry_retrieved_lemmas_from_search(tmp_path):
    seen = _observations(tmp_path, "rich")
    retrieved = [r for o in seen for r in o.retrieved]
    assert any(r.source == "search" for r in retrieved)


def test_similar_proofs_come_from_closed_runs_of_other_specs_never_the_same_spec(tmp_path):
    from idsynth.agent.retrieval import similar_proofs

    runs = tmp_path / "runs"
    policy = ScriptedPolicy(load_script(SCRIPT.parent / "finite_map_assoc.json"))
    start_run(SPEC, lambda spec, cfg: policy, runs_dir=runs, budget=Budget(), run_id="closed")
    hole = _observations(tmp_path / "obs", "rich")[0].holes[0]  # a finite_map hole
    assert similar_proofs(runs, "finite_map", hole) == []  # the same spec: nothing
    found = similar_proofs(runs, "some_other_spec", hole)  # seen from another spec
    assert found and all(r.source == "earlier_run" for r in found)
    assert any("get k empty = None" in r.statement for r in found)


def test_retrieval_never_draws_on_runs_of_the_same_family_or_a_spec_sharing_a_file(tmp_path):
    """The committed reference run of specs/kv/ryw holds exact proofs of helpers every KV
    spec needs: a KV spec must not be handed them, nor a spec elsewhere built on the same
    model.v. An unrelated spec may learn from them."""
    import shutil

    from idsynth.agent.retrieval import similar_proofs
    from idsynth.rocq import Document
    from idsynth.rocq.types import Hole, ItemKind, Span

    runs = tmp_path / "runs"
    shutil.copytree(ROOT / "runs" / "reference" / "ryw", runs / "reference" / "ryw")
    lemma = next(it for it in Document.from_source((runs / "reference" / "ryw" / "solution.v").read_text()).items
                 if it.kind is ItemKind.LEMMA and it.has_proof and not it.is_hole)
    hole = Hole(item=lemma.name, item_index=0, statement=lemma.statement, location=Span(start=0, end=1, line=1, column=1))

    def spec_dir(family: str, name: str, model: bytes) -> Path:
        d = tmp_path / "specs" / family / name
        d.mkdir(parents=True)
        (d / "model.v").write_bytes(model)
        return d

    ryw_model = (ROOT / "specs" / "kv" / "ryw" / "model.v").read_bytes()
    assert similar_proofs(runs, "causal", hole, spec_dir=ROOT / "specs" / "kv" / "causal") == []  # its family
    shares = spec_dir("elsewhere", "ryw_copy", ryw_model)
    assert similar_proofs(runs, "ryw_copy", hole, spec_dir=shares) == []  # the same model.v
    unrelated = spec_dir("other", "queue", b"(* an unrelated model *)\n")
    found = similar_proofs(runs, "queue", hole, spec_dir=unrelated)
    assert found and any(lemma.text.strip() in r.statement for r in found)
