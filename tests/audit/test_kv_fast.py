"""The fast replicated key-value store (`tests/data/solutions/kv_fast/`): `FastLWW`, proved
by simulation of `CausalLWW`, is accepted for each of the seven `specs/kv/` specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from idsynth.audit import audit_solution, load_spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs" / "kv"
FAST = ROOT / "tests" / "data" / "solutions" / "kv_fast"
NAMES = ["ryw", "monotonic_reads", "monotonic_writes", "writes_follow_reads", "causal", "convergence", "pram"]


def _shared(name: str) -> str:
    """The file without its header comment and its final proofs module."""
    text = (FAST / f"{name}.v").read_text(encoding="utf-8")
    return text[text.index("From Spec Require Import"):text.index("Module FastLWWProofs")]


def test_the_seven_fast_solutions_share_store_and_simulation():
    assert {p.stem for p in FAST.glob("*.v")} == set(NAMES)
    first = _shared(NAMES[0])
    assert all(_shared(n) == first for n in NAMES[1:])


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_each_fast_kv_solution_is_accepted(name):
    verdict = audit_solution(load_spec(SPECS / name), FAST / f"{name}.v")
    assert verdict.accepted, verdict.findings
    assert (verdict.impl_module, verdict.proofs_module) == ("FastLWW", "FastLWWProofs")
