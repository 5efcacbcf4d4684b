"""Shared, session-scoped builds: auditing and building a store takes seconds (the AVL
solution's proofs and coqchk take the most), so each is built once for all tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from idsynth.audit import audit_solution, load_spec
from idsynth.audit.types import AuditVerdict, Spec
from idsynth.extraction.store import build_extracted_store
from idsynth.extraction.types import StoreBinary

ROOT = Path(__file__).resolve().parents[2]
FINITE_MAP = ROOT / "specs" / "warmup" / "finite_map"
FINITE_MAP_INT63 = ROOT / "specs" / "examples" / "finite_map_int63"
SOLUTIONS = ROOT / "tests" / "data" / "solutions"
BASELINES = ROOT / "extraction" / "baselines"


@dataclass
class Built:
    spec: Spec
    solution: Path
    verdict: AuditVerdict
    store: StoreBinary
    workdir: Path


def _build(tmp_path_factory, spec_dir: Path, solution: Path, name: str) -> Built:
    spec = load_spec(spec_dir)
    verdict = audit_solution(spec, solution)
    assert verdict.accepted, verdict.findings
    workdir = tmp_path_factory.mktemp(name)
    store = build_extracted_store(spec, solution, workdir, name=name, verdict=verdict)
    assert isinstance(store, StoreBinary), store
    return Built(spec, solution, verdict, store, workdir)


@pytest.fixture(scope="session")
def assoc_map(tmp_path_factory) -> Built:
    return _build(tmp_path_factory, FINITE_MAP, SOLUTIONS / "finite_map.v", "assoc-map")


@pytest.fixture(scope="session")
def chain63(tmp_path_factory) -> Built:
    return _build(tmp_path_factory, FINITE_MAP_INT63, BASELINES / "closure_chain_int63.v", "closure-chain")


@pytest.fixture(scope="session")
def avl(tmp_path_factory) -> Built:
    return _build(tmp_path_factory, FINITE_MAP_INT63, SOLUTIONS / "finite_map_int63_avl.v", "avl")
