"""Boundary types of `idsynth.audit`: the spec manifest, findings and the audit verdict."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Witness(_Strict):
    """`expr` must evaluate (vm_compute) to `expect` on an honest implementation `M`."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_']*$")
    expr: str = Field(min_length=1)
    expect: str = Field(min_length=1)


class ExtractionSection(_Strict):
    libraries: list[str] = Field(default_factory=lambda: ["ExtrOcamlBasic"])
    """Standard extraction libraries idsynth may add when extracting (e.g. ExtrOcamlBasic,
    ExtrOCamlInt63; ExtrOcamlNatInt is unsound for overflow and must be opted into here)."""


class Manifest(_Strict):
    """`spec.toml`. Unknown fields are an error, so a typo never silently does nothing."""

    name: str = Field(min_length=1)
    description: str = ""
    signature: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_']*$")
    """Name of the module type the implementation must provide."""
    correctness: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_']*$")
    """Name of the functor module type over the signature whose fields are the theorems."""
    files: list[str] = Field(default_factory=lambda: ["spec.v"])
    """The spec's Rocq files, compiled in this order."""
    logical_path: str = Field(default="Spec", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    allowed_axioms: list[str] = Field(default_factory=list)
    """Fully qualified axioms a solution may depend on (default: none)."""
    witness: list[Witness] = Field(default_factory=list)
    extraction: ExtractionSection = Field(default_factory=ExtractionSection)
    bench: dict = Field(default_factory=dict)
    """The benchmark workload (validated by `idsynth.extraction`)."""


class Spec(BaseModel):
    """A loaded, validated spec directory."""

    model_config = ConfigDict(frozen=True)

    directory: Path
    manifest: Manifest
    sha256: str
    """Hash over spec.toml and every file of `files`, in order."""

    @property
    def main_module(self) -> str:
        """The logical name of the last spec file, which a solution `Require`s."""
        return f"{self.manifest.logical_path}.{Path(self.manifest.files[-1]).stem}"

    @property
    def modules(self) -> list[str]:
        return [f"{self.manifest.logical_path}.{Path(f).stem}" for f in self.manifest.files]


class FindingKind(str, Enum):
    COMPILE_ERROR = "compile_error"
    NOT_SEALED = "not_sealed"
    HOLE = "hole"
    ASSUMPTION = "assumption"
    KERNEL_BYPASS = "kernel_bypass"
    FORBIDDEN_COMMAND = "forbidden_command"
    FORBIDDEN_LIBRARY = "forbidden_library"
    VACUITY = "vacuity"
    WITNESS_UNDETERMINED = "witness_undetermined"
    SPEC_TAMPERING = "spec_tampering"
    COQCHK = "coqchk"
    EXTRACTION_CAPTURE = "extraction_capture"
    """A module name the extracted OCaml relies on (`Obj`, `Uint63`, `List`, ...) is taken by the
    solution, so extracted calls would resolve into the solution (see `audit/capture.py`)."""


class Finding(_Strict):
    kind: FindingKind
    where: str
    """A field, a module, a line of the solution: where to look."""
    detail: str


WitnessOutcome = Literal["holds", "refuted", "undetermined"]


class WitnessResult(_Strict):
    name: str
    outcome: WitnessOutcome
    detail: str = ""


class AuditVerdict(_Strict):
    accepted: bool
    findings: list[Finding]
    spec_name: str
    spec_hash: str
    solution_sha256: str
    impl_module: str | None = None
    proofs_module: str | None = None
    witnesses: list[WitnessResult] = Field(default_factory=list)
    checked_fields: list[str] = Field(default_factory=list)
    """Every name whose `Print Assumptions` was read."""
    coqchk_axioms: list[str] = Field(default_factory=list)
