"""The offline `auto` policy closes warm-up specs on its own: no model, audited.

finite_map is closed by the README's main job (tests/test_readme.py); here counter and
bounded_queue (the latter through an invariant-generalisation decomposition).
bank_account is not closed yet (see the README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from idsynth.agent.auto.policy import AutoPolicy
from idsynth.agent.run import start_run
from idsynth.agent.types import Budget

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["counter", "bounded_queue"])
def test_auto_closes_the_warmup_with_zero_llm_calls_and_the_audit_accepts(name, tmp_path):
    _, state = start_run(ROOT / "specs" / "warmup" / name, lambda spec, cfg: AutoPolicy(spec, cfg),
                         runs_dir=tmp_path, budget=Budget(seconds=900), run_id=name, config={"benchmark": False})
    assert state.started.policy_kind == "auto"
    assert state.finished.status == "closed", state.finished.reason
    assert state.branch.audit.verdict.accepted
    assert state.llm_calls == 0 and state.usage.tokens_in == 0
