"""The deterministic audit: what "verified" means in idsynth.

`audit_solution` compiles a solution against a pristine copy of the spec in a fresh
temporary directory and collects every reason to reject it (see `FindingKind`). There is
no model anywhere here, and when in doubt the audit says no: an undetermined witness, an
unparsable answer, a disagreement with `coqchk` are all rejections.

Steps, each adding findings:
1. text scan of the solution's sentences (holes, extraction directives, kernel bypasses);
2. `coqc` of the solution, as a fixed file name under its own logical path;
3. in a live session: `Print Libraries` / `Print ML Modules` against allow-lists; the
   implementation and proofs modules re-sealed against the spec's module types by fully
   qualified name; `Print Assumptions` of every field and witness with notations off;
   the witnesses evaluated with `vm_compute` (holds / refuted / undetermined);
4. `coqchk -o` on the compiled solution and spec;
5. on a solution every check above accepts, the correctness theorems evaluated on concrete
   inputs (`theorem_test.py`): the kernel alone is not trusted (Coq 8.16 has known guard
   checker bugs that prove `False` without an axiom).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import structlog

from idsynth.rocq import Session, SessionConfig, SentenceOk, split_sentences
from idsynth.rocq.tools import compile_file, run_coqchk
from idsynth.rocq.types import failure_text

from .assumptions import parse_print_assumptions
from idsynth.rocq.syntax import parse

from .scan import scan_solution
from .spec import compile_spec, copy_pristine
from .theorem_test import run_theorem_tests
from .types import (AuditVerdict, Finding, FindingKind, Spec, TheoremTest, TheoremTestConfig, Witness,
                    WitnessResult)

log = structlog.get_logger(__name__)

CANDIDATE_PATH = "IdsynthCandidate"
CANDIDATE_FILE = "Candidate"
CANDIDATE = f"{CANDIDATE_PATH}.{CANDIDATE_FILE}"
#: Library prefixes a solution may load besides the spec: Rocq's standard library and
#: CoqHammer's reconstruction tactics (which add no axioms; Print Assumptions would say).
ALLOWED_LIBRARY_PREFIXES = ("Coq.", "Hammer.Tactics")
_MODULE_DECL = re.compile(r"^Module\s+(?P<name>[A-Za-z_][\w']*)\s*(?:<:|:)\s*(?P<type>[A-Za-z_][\w'.]*)(?P<args>[^:=]*)")
_FIELD = re.compile(r"(?<![\w'.])(?:Parameter|Axiom|Definition|Inductive|Fixpoint)\s+(?P<name>[A-Za-z_][\w']*)")
_OPAQUE_HINT = ("Fetching opaque proofs",)


def declared_modules(source: str, signature: str, correctness: str) -> tuple[list[str], list[str]]:
    """Every `Module I <: SIG` and `Module P <: CORRECT I` of the solution, in order."""
    impls: list[str] = []
    proofs: list[str] = []
    for s in split_sentences(source):
        m = _MODULE_DECL.match(parse(s.text).code)
        if not m:
            continue
        short = m.group("type").rstrip(".").split(".")[-1]
        if short == signature:
            impls.append(m.group("name"))
        elif short == correctness:
            proofs.append(m.group("name"))
    return impls, proofs


def find_modules(source: str, signature: str, correctness: str) -> tuple[str | None, str | None]:
    """The conventional implementation and proofs modules, when each is unique. Only a
    hint: Rocq re-checks them by fully qualified name."""
    impls, proofs = declared_modules(source, signature, correctness)
    return (impls[0] if len(impls) == 1 else None), (proofs[0] if len(proofs) == 1 else None)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Findings:
    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, kind: FindingKind, where: str, detail: str) -> None:
        f = Finding(kind=kind, where=where, detail=" ".join(detail.split()))
        if f not in self.items:
            self.items.append(f)

    def extend(self, findings: list[Finding]) -> None:
        for f in findings:
            if f not in self.items:
                self.items.append(f)


def audit_solution(
    spec: Spec,
    solution: Path,
    *,
    impl: str | None = None,
    proofs: str | None = None,
    expected_spec_hash: str | None = None,
    sentence_timeout: float = 60.0,
    witness_timeout: float = 20.0,
    theorem_tests: TheoremTestConfig | None = TheoremTestConfig(),
) -> AuditVerdict:
    """`theorem_tests=None` skips testing the theorems on concrete inputs (the kernel is then
    trusted alone)."""
    source = solution.read_text(encoding="utf-8")
    found = _Findings()
    m = spec.manifest
    if expected_spec_hash is not None and expected_spec_hash != spec.sha256:
        found.add(FindingKind.SPEC_TAMPERING, "spec", f"spec hash {spec.sha256[:12]} differs from the expected "
                  f"{expected_spec_hash[:12]}: the spec was edited")
    found.extend(scan_solution(source))
    impls, proofss = declared_modules(source, m.signature, m.correctness)
    if impl is None and len(impls) > 1:
        # Which one would be extracted and shipped? Ambiguity is a rejection, not a guess.
        found.add(FindingKind.NOT_SEALED, "solution", f"several modules claim {m.signature}: {', '.join(impls)}; "
                  "name the implementation with --impl")
    if proofs is None and len(proofss) > 1:
        found.add(FindingKind.NOT_SEALED, "solution", f"several modules claim {m.correctness}: {', '.join(proofss)}; "
                  "name the proofs with --proofs")
    impl = impl or (impls[0] if impls else None)
    proofs = proofs or (proofss[0] if proofss else None)
    verdict_base = dict(spec_name=m.name, spec_hash=spec.sha256, solution_sha256=_sha256(solution),
                        impl_module=impl, proofs_module=proofs)

    with tempfile.TemporaryDirectory(prefix="idsynth-audit-") as tmp:
        root = Path(tmp)
        pristine = copy_pristine(spec, root / "spec")
        compile_spec(spec, pristine)
        cand_dir = root / "candidate"
        cand_dir.mkdir()
        shutil.copyfile(solution, cand_dir / f"{CANDIDATE_FILE}.v")
        load_paths = [(str(pristine), m.logical_path), (str(cand_dir), CANDIDATE_PATH)]
        compiled = compile_file(cand_dir / f"{CANDIDATE_FILE}.v", load_paths)
        if not compiled.ok:
            # The candidate is a byte copy of the user's file: their name, the same lines.
            found.add(FindingKind.COMPILE_ERROR, str(solution),
                      compiled.one_line().replace(f"{CANDIDATE_FILE}.v", solution.name))
            return AuditVerdict(accepted=False, findings=found.items, **verdict_base)
        if impl is None:
            found.add(FindingKind.NOT_SEALED, "solution",
                      f"no implementation module: expected `Module X <: {m.signature}`")
        if proofs is None:
            found.add(FindingKind.NOT_SEALED, "solution",
                      f"no proofs module: expected `Module Y <: {m.correctness} X`")
        config = SessionConfig(load_paths=load_paths, sentence_timeout=sentence_timeout, cwd=tmp)
        with Session(config) as session:
            checked, witnesses = _session_checks(session, spec, impl, proofs, found, witness_timeout)
        coqchk = run_coqchk([CANDIDATE, *spec.modules], load_paths, cwd=root)
        _coqchk_findings(coqchk, spec, found)
        tested: list[TheoremTest] = []
        if theorem_tests is not None and not found.items and impl is not None:
            # Last, and only when nothing else objects: it is the costliest step.
            tested, refuted = run_theorem_tests(spec, f"{CANDIDATE}.{impl}", [CANDIDATE, *spec.modules],
                                                load_paths, tmp, theorem_tests)
            found.extend(refuted)

    return AuditVerdict(accepted=not found.items, findings=found.items, witnesses=witnesses,
                        checked_fields=checked, coqchk_axioms=coqchk.axioms, theorem_tests=tested,
                        **verdict_base)


def _output(result) -> str:
    if not isinstance(result, SentenceOk):
        return ""
    return "\n".join(msg for msg in result.messages if not msg.startswith(_OPAQUE_HINT))


def _session_checks(session: Session, spec: Spec, impl: str | None, proofs: str | None,
                    found: _Findings, witness_timeout: float) -> tuple[list[str], list[WitnessResult]]:
    m = spec.manifest
    main = spec.main_module
    for command in (f"Require {CANDIDATE}.", *(f"Require {mod}." for mod in spec.modules)):
        result = session.add(command)
        if not isinstance(result, SentenceOk):
            found.add(FindingKind.COMPILE_ERROR, "solution", f"cannot load: {failure_text(result)}")
            return [], []
    _library_checks(session, spec, found)

    checked: list[str] = []
    sig_fields = _fields(session, f"{main}.{m.signature}")
    correct_fields = _fields(session, f"{main}.{m.correctness}")
    impl_ok = proofs_ok = False
    if impl is not None:
        r = session.add(f"Module IdsynthSealImpl : {main}.{m.signature} := {CANDIDATE}.{impl}.")
        impl_ok = isinstance(r, SentenceOk)
        if not impl_ok:
            found.add(FindingKind.NOT_SEALED, impl,
                      f"{impl} does not implement {main}.{m.signature}: {failure_text(r)}")
    if impl_ok and proofs is not None:
        r = session.add(
            f"Module IdsynthSealProofs : {main}.{m.correctness} {CANDIDATE}.{impl} := {CANDIDATE}.{proofs}.")
        proofs_ok = isinstance(r, SentenceOk)
        if not proofs_ok:
            found.add(FindingKind.NOT_SEALED, proofs,
                      f"{proofs} does not prove {main}.{m.correctness} {impl}: {failure_text(r)}")

    names: list[tuple[str, str]] = []
    if impl_ok:
        names += [(f"{CANDIDATE}.{impl}.{f}", f"{impl}.{f}") for f in sig_fields]
    if proofs_ok:
        names += [(f"{CANDIDATE}.{proofs}.{f}", f"{proofs}.{f}") for f in correct_fields]
    witnesses: list[WitnessResult] = []
    if impl_ok:
        session.add(f"Require Import {' '.join(spec.modules)}.")
        session.add(f"Module M := {CANDIDATE}.{impl}.")
        # Witnesses are read with the standard list notations (`[1; 2]`), as the `auto`
        # catalogue and `audit-spec` read them: a spec's own `Import` does not reach here.
        for sentence in WITNESS_NOTATIONS:
            session.add(sentence)
        for w in m.witness:
            r = session.add(f"Definition idsynth_witness_{w.name} : Prop := (({w.expr}) = ({w.expect})).")
            if isinstance(r, SentenceOk):
                names.append((f"idsynth_witness_{w.name}", f"witness {w.name}"))
            witnesses.append(_evaluate_witness(session, w, witness_timeout))
    # From here on nothing a solution declared can disguise an axiom's type.
    for option in ("Unset Printing Notations.", "Set Printing Width 10000."):
        session.add(option)
    for qualified, shown in names:
        r = session.query(f"Print Assumptions {qualified}.")
        checked.append(shown)
        if not isinstance(r, SentenceOk):
            found.add(FindingKind.ASSUMPTION, shown, f"Print Assumptions failed: {failure_text(r)}")
            continue
        assumptions = parse_print_assumptions(_output(r))
        for a in assumptions or []:
            if a.kind in ("guard", "positivity", "universes", "uip"):
                found.add(FindingKind.KERNEL_BYPASS, shown, a.text)
            elif a.name not in m.allowed_axioms:
                found.add(FindingKind.ASSUMPTION, shown, f"depends on {a.text}")
    for w in witnesses:
        if w.outcome == "refuted":
            found.add(FindingKind.VACUITY, f"witness {w.name}", w.detail)
        elif w.outcome == "undetermined":
            found.add(FindingKind.WITNESS_UNDETERMINED, f"witness {w.name}", w.detail)
    return checked, witnesses


WITNESS_NOTATIONS = ("Require Import Coq.Lists.List.", "Import ListNotations.")


def _fields(session: Session, module_type: str) -> list[str]:
    r = session.query(f"Print Module Type {module_type}.")
    return [m.group("name") for m in _FIELD.finditer(_output(r))]


def _library_checks(session: Session, spec: Spec, found: _Findings) -> None:
    """Libraries and plugins by what they are, not by one spelling.

    `Coq.extraction.Extraction` only loads the extraction plugin (standard libraries such as
    `Coq.funind.FunInd` need it): allowed, because every extraction directive is caught by
    the scan wherever it stands. Every other `Coq.extraction.*` library carries directives
    and must be in the manifest's `[extraction]` allow-list. An OCaml plugin is allowed only
    if the allowed libraries load it: a fresh session requiring them is the reference, so a
    `Declare ML Module` of the solution shows up under whatever name coqtop prints."""
    allowed_extraction = set(spec.manifest.extraction.libraries)
    libs = _output(session.query("Print Libraries."))
    loaded = [ln.strip() for ln in libs.splitlines()[1:] if ln.strip()]
    reference: list[str] = []
    for lib in loaded:
        if lib == CANDIDATE:
            continue
        if lib in spec.modules or lib == EXTRACTION_PLUGIN_LIBRARY:
            reference.append(lib)
            continue
        if lib.startswith("Coq.extraction."):
            stem = lib.rsplit(".", 1)[-1]
            if stem not in allowed_extraction:
                found.add(FindingKind.FORBIDDEN_LIBRARY, lib,
                          "extraction library not in the manifest's [extraction] allow-list "
                          "(extraction directives survive Require)")
            else:
                reference.append(lib)
            continue
        if not lib.startswith(ALLOWED_LIBRARY_PREFIXES):
            found.add(FindingKind.FORBIDDEN_LIBRARY, lib,
                      "library outside Rocq's standard library and the spec")
        else:
            reference.append(lib)
    loaded_ml = ml_module_names(_output(session.query("Print ML Modules.")))
    with Session(session.config) as fresh:
        for lib in reference:
            fresh.add(f"Require {lib}.")
        expected_ml = set(ml_module_names(_output(fresh.query("Print ML Modules."))))
    for plugin in loaded_ml:
        if plugin not in expected_ml:
            what = "Rocq's extraction plugin" if plugin == "extraction" else f"the OCaml plugin {plugin}"
            found.add(FindingKind.FORBIDDEN_LIBRARY, plugin,
                      f"the solution itself loads {what} (no allowed library it requires loads it)")


EXTRACTION_PLUGIN_LIBRARY = "Coq.extraction.Extraction"
_ML_NAME = re.compile(r"^(?:coq-core\.plugins\.)?(?P<name>[\w.-]+?)(?:_plugin)?(?:\.cmx[sa]|\.cma|\.cmo)?"
                      r"(?:\s+\(using legacy method\))?$")


def ml_module_names(output: str) -> list[str]:
    """The plugins of a `Print ML Modules` answer, each under one name whatever way it was
    loaded: `extraction_plugin.cmxs (using legacy method)` (by `Require`) and
    `coq-core.plugins.extraction` (by findlib name) are both `extraction`."""
    names = []
    for line in output.splitlines()[1:]:
        line = line.strip()
        if not line:
            continue
        m = _ML_NAME.match(line)
        names.append(m.group("name") if m else line)
    return names


def _evaluate_witness(session: Session, w: Witness, timeout: float) -> WitnessResult:
    """holds: `expr = expect` by vm_compute; refuted: `expr <> expect` proved; else undetermined."""
    attempts = [
        ("holds", f"Lemma idsynth_w_{w.name} : (({w.expr}) = ({w.expect})).",
         ["Proof.", "vm_compute.", "reflexivity.", "Qed."]),
        ("refuted", f"Lemma idsynth_nw_{w.name} : (({w.expr}) <> ({w.expect})).",
         ["Proof.", "vm_compute.", "intro idsynth_H.", "discriminate idsynth_H.", "Qed."]),
        ("refuted", f"Lemma idsynth_nw2_{w.name} : (({w.expr}) <> ({w.expect})).",
         ["Proof.", "vm_compute.", "congruence.", "Qed."]),
    ]
    start = len(session)
    last_error = ""
    for outcome, statement, script in attempts:
        ok = True
        for sentence in [statement, *script]:
            r = session.add(sentence)
            if not isinstance(r, SentenceOk):
                ok = False
                last_error = failure_text(r)
                break
        session.cancel_to(start)
        if ok:
            detail = ("" if outcome == "holds"
                      else f"`{w.expr}` computes to `{_computed(session, w.expr)}`, not `{w.expect}`")
            return WitnessResult(name=w.name, outcome=outcome, detail=detail)
    value = session.query(f"Eval vm_compute in ({w.expr}).")
    shown = " ".join(_output(value).split())[:200] if isinstance(value, SentenceOk) else failure_text(value)
    return WitnessResult(name=w.name, outcome="undetermined",
                         detail=f"`{w.expr}` evaluates to `{shown}`, neither provably `{w.expect}` nor "
                                f"different (implementations should compute: avoid Qed-opaque definitions); "
                                f"last error: {last_error}")


def _computed(session: Session, expr: str) -> str:
    """What `expr` computes to (`Eval vm_compute`), for the user to compare with the witness."""
    value = session.query(f"Eval vm_compute in ({expr}).")
    text = " ".join(_output(value).split())
    m = re.match(r"=\s*(.*?)\s*:\s*[^:]*$", text)
    return (m.group(1) if m else text or "?")[:200]


def _coqchk_findings(result, spec: Spec, found: _Findings) -> None:
    mine = (CANDIDATE + ".", *(mod + "." for mod in spec.modules))
    if result.timed_out:
        found.add(FindingKind.COQCHK, "coqchk", "coqchk timed out")
        return
    if not result.ok:
        tail = " ".join(result.output.strip().splitlines()[-3:])
        found.add(FindingKind.COQCHK, "coqchk", f"coqchk rejected the compiled files: {tail}")
        return
    for name in result.axioms:
        if name.startswith(mine) and name not in spec.manifest.allowed_axioms:
            found.add(FindingKind.COQCHK, name,
                      "coqchk lists it as an axiom (an assumption, or a field of a module sealed with `:`; "
                      "seal with `<:`)")
    for title, names in (("type-in-type", result.type_in_type), ("unsafe (co)fixpoints", result.unsafe_fixpoints),
                         ("assumed positivity", result.assumed_positive)):
        for name in names:
            if name.startswith(mine):
                found.add(FindingKind.COQCHK, name, f"coqchk: relies on {title}")
