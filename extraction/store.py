"""From a solution to a benchmark binary, and the spec's witnesses run on that binary.

    audit (unless a verdict is given) -> extract -> read the signature from impl.mli
      -> map shape (or replicated-store shape) + witness translation -> driver.ml
      -> ocamlfind ocamlopt

Every stage's failure is a `PrepareFailure` value naming the stage and carrying the
message (and, for a build, the whole `BuildResult` with the compiler output and exit code).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import structlog

from idsynth.audit import audit_solution
from idsynth.audit.types import AuditVerdict, Finding, FindingKind, Spec, TheoremTest, Witness

from .build import build, package_dir
from .driver import driver_source, extracted_store, map_shape, write_driver
from .errors import DriverError
from .extract import OCAML_MODULE, extract
from .libraries import OcamlNeeds, needs_for
from .mli import read_signature
from .replicated import REPLICATED_PACKAGES, kv_shape, kv_store, replicated_source
from .run import run_binary
from .types import KVShape, MapShape, PrepareFailure, StoreBinary, WitnessCheck, WitnessReport
from .witness import translate_witnesses

log = structlog.get_logger(__name__)


def build_extracted_store(spec: Spec, solution: Path, workdir: Path, *, name: str | None = None,
                          kind: Literal["verified", "baseline-verified"] = "verified",
                          verdict: AuditVerdict | None = None, witnesses: list[Witness] | None = None,
                          roles: dict[str, str] | None = None,
                          library_table: dict[str, OcamlNeeds] | None = None,
                          timeout: float = 600) -> StoreBinary | PrepareFailure:
    """Audit (unless `verdict` is given), extract and build `solution` into
    `workdir/bin/<name>`. `witnesses` (default: the manifest's) are compiled in for
    `check_witnesses`; `library_table` overrides how extraction libraries are built."""
    solution = Path(solution)
    name = name or solution.stem
    workdir = Path(workdir).resolve()
    if verdict is None:
        verdict = audit_solution(spec, solution)
    if not verdict.accepted:
        detail = "; ".join(f"{f.kind.value} at {f.where}: {f.detail}" for f in verdict.findings[:3])
        return PrepareFailure(name=name, stage="audit", message=f"{solution.name}: rejected by the audit: {detail}")
    ext = extract(spec, solution, workdir, verdict=verdict, timeout=timeout)
    if not ext.ok:
        return PrepareFailure(name=name, stage="extract", message=ext.message)
    assert ext.directory is not None
    try:
        info = read_signature((ext.directory / "impl.mli").read_text(encoding="utf-8"), OCAML_MODULE)
        shape = _shape(info, roles)
    except DriverError as exc:
        return PrepareFailure(name=name, stage="driver", message=str(exc))
    ws = spec.manifest.witness if witnesses is None else witnesses
    code, unprintable = translate_witnesses(ws, info)
    if isinstance(shape, KVShape):
        source = replicated_source(kv_store(shape), code, peano_nat=info.peano_nat)
    else:
        source = driver_source(extracted_store(shape), code, peano_nat=info.peano_nat)
    driver, stub = write_driver(workdir / "driver", source)

    needs = needs_for(ext.libraries_used, library_table)
    packages = [*needs.packages, *(REPLICATED_PACKAGES if isinstance(shape, KVShape) else ())]
    sources: list[Path] = []
    for package, filename in needs.sources:
        directory = package_dir(package)
        path = directory / filename if directory else None
        if path is None or not path.is_file():
            return PrepareFailure(name=name, stage="build",
                                  message=f"ocamlfind package {package!r} (needed for {filename}, by extraction "
                                          f"libraries {ext.libraries_used}) is not installed or has no {filename}")
        sources.append(path)
    result = build(ext.directory, driver, workdir / "bin" / name, packages, sources=sources,
                   c_files=[stub], flags=needs.flags, timeout=timeout)
    if not result.ok or result.binary is None:
        return PrepareFailure(name=name, stage="build", message=result.message, build=result)
    log.info("store built", name=name, binary=str(result.binary), shape=shape.model_dump())
    return StoreBinary(name=name, kind=kind, binary=result.binary, shape=shape, solution=solution,
                       libraries_used=ext.libraries_used, unsound_opt_ins=ext.unsound_opt_ins,
                       witness_names=list(code), unprintable=unprintable)


def _shape(info, roles: dict[str, str] | None) -> MapShape | KVShape:
    """A map shape, else a replicated-store shape; neither is a `DriverError` saying why not."""
    try:
        return map_shape(info, roles)
    except DriverError as not_map:
        try:
            return kv_shape(info)
        except DriverError as not_kv:
            raise DriverError(f"{not_map}; nor a replicated store: {not_kv}") from None


def check_witnesses(store: StoreBinary, witnesses: list[Witness], workdir: Path,
                    timeout: float = 120) -> WitnessReport:
    """Evaluate the witnesses compiled into `store.binary`; untranslatable ones are
    `unprintable`. `ok` is False when a witness is refuted or the binary fails."""
    run = run_binary([str(store.binary), "--witnesses"], Path(workdir), timeout)
    if not run.ok:
        why = "timed out" if run.timed_out else f"exit {run.exit_code}"
        return WitnessReport(ok=False, message=f"{store.binary.name} --witnesses {why}: {run.stderr.strip()[-500:]}")
    try:
        payload = json.loads(run.stdout.strip().splitlines()[-1])
        got = {w["name"]: w for w in payload["witnesses"]}
    except (ValueError, KeyError, IndexError) as exc:
        return WitnessReport(ok=False, message=f"{store.binary.name} --witnesses printed no JSON ({exc}): "
                                               f"{run.stdout[-300:]!r}")
    checks: list[WitnessCheck] = []
    for w in witnesses:
        if w.name in got:
            g = got[w.name]
            checks.append(WitnessCheck(name=w.name, outcome=g["outcome"], got=g["got"], expect=w.expect,
                                       detail="" if g["outcome"] == "holds" else
                                       f"the extracted code computes {g['got']}, not {w.expect}"))
        else:
            checks.append(WitnessCheck(name=w.name, outcome="unprintable", expect=w.expect,
                                       detail=store.unprintable.get(w.name, "not compiled into this binary")))
    refuted = [c.name for c in checks if c.outcome == "refuted"]
    message = (f"vacuity on the extracted binary: {', '.join(refuted)} refuted" if refuted
               else f"{sum(c.outcome == 'holds' for c in checks)} of {len(checks)} witnesses hold on the binary")
    return WitnessReport(ok=not refuted, checks=checks, message=message)


def vacuity_findings(report: WitnessReport) -> list[Finding]:
    """Refuted witnesses on the binary, as the audit's `vacuity` findings."""
    return [Finding(kind=FindingKind.VACUITY, where=f"witness {c.name} (extracted binary)", detail=c.detail)
            for c in report.refuted]


def theorem_cases(tests: list[TheoremTest]) -> list[Witness]:
    """The audit's theorem-test cases that can run on the binary, as witnesses."""
    return [w for t in tests for w in t.binary_cases]


def split_theorem_findings(report: WitnessReport, tests: list[TheoremTest]) -> tuple[list[Finding], list[Finding]]:
    """(vacuity findings of the manifest's witnesses, `theorem_refuted_by_test` findings of
    the theorem cases) refuted on the binary: the verified code holds on these inputs (the
    audit checked them by `vm_compute`), so the shipped code is not the verified code."""
    owner = {w.name: (t.name, w) for t in tests for w in t.binary_cases}
    vacuity: list[Finding] = []
    refuted: list[Finding] = []
    for c in report.refuted:
        if c.name in owner:
            theorem, w = owner[c.name]
            refuted.append(Finding(kind=FindingKind.THEOREM_REFUTED_BY_TEST, where=f"{theorem} (extracted binary)",
                                   detail=f"on the extracted binary `{w.expr}` computes {c.got}, which differs from "
                                          f"`{w.expect}`: the same case holds by vm_compute, so the extracted code "
                                          "differs from the verified one"))
        else:
            vacuity.append(Finding(kind=FindingKind.VACUITY, where=f"witness {c.name} (extracted binary)", detail=c.detail))
    return vacuity, refuted
