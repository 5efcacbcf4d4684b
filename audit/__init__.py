"""`idsynth.audit`: the spec format and the deterministic audit of solutions.

Public surface: `load_spec`, `check_spec`, `SpecError`, `audit_solution`, and the types
of `types.py` (`Spec`, `Manifest`, `Witness`, `Finding`, `FindingKind`, `AuditVerdict`).
"""

from .auditor import audit_solution
from .spec import SpecError, check_spec, load_spec
from .types import AuditVerdict, Finding, FindingKind, Manifest, Spec, Witness, WitnessResult

__all__ = ["AuditVerdict", "Finding", "FindingKind", "Manifest", "Spec", "SpecError", "Witness",
           "WitnessResult", "audit_solution", "check_spec", "load_spec"]
