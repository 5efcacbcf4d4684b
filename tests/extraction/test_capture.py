"""Extraction refuses OCaml whose module names would capture calls meant for OCaml's runtime.

The audit's scan rejects a solution that binds such a name (cheats 62-66); this is the
second line: even a verdict that (wrongly) accepted the `Module Obj` cheat does not get it
extracted, because the real `impl.ml` is read."""

from __future__ import annotations

import hashlib
from pathlib import Path

from idsynth.audit import load_spec
from idsynth.audit.capture import ml_captures
from idsynth.audit.types import AuditVerdict
from idsynth.extraction import extract

ROOT = Path(__file__).resolve().parents[2]
FINITE_MAP = ROOT / "specs" / "warmup" / "finite_map"
OBJ_CHEAT = ROOT / "tests" / "audit" / "cheats" / "62_obj_module_captures_magic.v"
HONEST = ROOT / "tests" / "data" / "solutions" / "finite_map.v"


def _accepting_verdict(spec, solution: Path) -> AuditVerdict:
    """A verdict as if the audit had accepted `solution` (the gate extraction checks)."""
    return AuditVerdict(accepted=True, findings=[], spec_name=spec.manifest.name, spec_hash=spec.sha256,
                        solution_sha256=hashlib.sha256(solution.read_bytes()).hexdigest(), impl_module="AssocMap")


def test_extraction_refuses_a_module_obj_that_captures_the_casts_it_inserts(tmp_path):
    spec = load_spec(FINITE_MAP)
    result = extract(spec, OBJ_CHEAT, tmp_path, verdict=_accepting_verdict(spec, OBJ_CHEAT))
    assert not result.ok and result.refused
    assert "extraction_capture" in result.message and "Obj" in result.message
    ml = (tmp_path / "extract" / "impl.ml").read_text(encoding="utf-8")
    assert "Obj.magic" in ml and ml_captures(ml) == ["Obj"]  # the cast really would have called the solution


def test_an_honest_extraction_binds_no_reserved_module_name(tmp_path):
    spec = load_spec(FINITE_MAP)
    result = extract(spec, HONEST, tmp_path, verdict=_accepting_verdict(spec, HONEST))
    assert result.ok, result.message
    assert ml_captures((tmp_path / "extract" / "impl.ml").read_text(encoding="utf-8")) == []
