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
    include: list[str] = Field(default_factory=list)
    """Shared Rocq files from outside the spec directory (paths relative to it, e.g.
    `../common/model.v`), compiled before `files` and mapped under the same logical path by
    their file name, so several specs share one library instead of identical copies."""
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
    """Hash over spec.toml, every file of `include` and every file of `files`, in order."""

    @property
    def sources(self) -> list[tuple[str, Path]]:
        """(name in the pristine copy, file on disk) of every Rocq file, in compilation order:
        the shared `include` files first (under their file name), then `files`."""
        shared = [(Path(f).name, (self.directory / f).resolve()) for f in self.manifest.include]
        return shared + [(f, self.directory / f) for f in self.manifest.files]

    @property
    def main_module(self) -> str:
        """The logical name of the last spec file, which a solution `Require`s."""
        return f"{self.manifest.logical_path}.{Path(self.manifest.files[-1]).stem}"

    @property
    def modules(self) -> list[str]:
        """Logical names of every Rocq file (shared includes first), in compilation order."""
        return [f"{self.manifest.logical_path}.{Path(name).stem}" for name, _ in self.sources]


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
    THEOREM_REFUTED_BY_TEST = "theorem_refuted_by_test"
    """A correctness theorem evaluated on concrete inputs (by `vm_compute`, or on the
    extracted binary) is false: the kernel accepted a proof of something untrue."""
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


class TheoremTestConfig(_Strict):
    """How hard the audit tests the correctness theorems on concrete inputs."""

    cases: int = Field(default=60, ge=0)
    """Inputs tried per theorem (small exhaustive ones first, then seeded random ones)."""
    seed: int = 0
    budget_seconds: float = Field(default=120.0, gt=0)
    """Wall-clock bound of the whole step; theorems not reached are reported unfinished."""
    eval_timeout: float = Field(default=30.0, gt=0)
    """Bound of one evaluation. Rocq functions terminate: one that does not finish on a small
    input is a rejection (a kernel-bug fixpoint may loop)."""
    max_ops: int = Field(default=8, ge=0)
    """Longest sequence of operations that builds an abstract state."""
    binary_cases: int = Field(default=20, ge=0)
    """Cases per theorem also run on the extracted OCaml binary (`audit --extracted`)."""


TheoremTestOutcome = Literal["passed", "refuted", "untestable", "unfinished"]


class TheoremTest(_Strict):
    """What testing one correctness theorem on concrete inputs found."""

    name: str
    outcome: TheoremTestOutcome
    cases: int = 0
    """Inputs whose premises held and whose conclusion was evaluated."""
    premise_false: int = 0
    """Inputs skipped because a premise was false on them."""
    undecided: int = 0
    """Inputs whose values could not be compared (e.g. functions)."""
    detail: str = ""
    """Why untestable or unfinished; the counterexample when refuted."""
    binary_cases: list[Witness] = Field(default_factory=list)
    """Cases of the conclusion as witnesses over `M`, to re-run on the extracted binary."""


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
    theorem_tests: list[TheoremTest] = Field(default_factory=list)
    """The correctness theorems tested on concrete inputs (empty when the step did not run)."""
