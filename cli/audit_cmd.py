"""`idsynth audit SPEC_DIR SOLUTION.v`: accept or reject a solution, with every reason."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path


from . import exit_codes

EXAMPLES = """examples:
  idsynth audit specs/warmup/finite_map tests/data/solutions/finite_map.v
  idsynth audit --json specs/warmup/counter my_counter.v
  idsynth audit --impl Store --proofs StoreProofs specs/kv/ryw runs/abc/solution.v"""


def add_audit_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="accept or reject a solution of a spec (deterministic, no model)",
        description="Compile SOLUTION.v against a pristine copy of the spec and reject it for any hole, "
        "assumption, kernel-check bypass, extraction smuggling, failed witness, module not sealed "
        "against the spec's module types, or objection of coqchk; then each decidable correctness theorem is "
        "evaluated on generated inputs (a counterexample is theorem_refuted_by_test). Every reason is listed.",
        epilog=EXAMPLES + "\n\nexit codes: 0 accepted, 1 rejected, 2 bad input (malformed spec, missing "
        "file), 3 Rocq missing",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec_dir", metavar="SPEC_DIR")
    p.add_argument("solution", metavar="SOLUTION.v")
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p.add_argument("--impl", help="implementation module (default: the `Module X <: SIGNATURE`)")
    p.add_argument("--proofs", help="proofs module (default: the `Module Y <: CORRECTNESS X`)")
    p.add_argument("--spec-hash", help="reject unless the spec's files hash to this (sha256)")
    p.add_argument("--extracted", action="store_true",
                   help="also extract and build an accepted solution and run the witnesses on the OCaml binary "
                        "(map-shaped signatures); a witness the binary fails is a vacuity rejection")
    p.add_argument("--theorem-cases", type=int, default=60, metavar="N",
                   help="inputs tried per correctness theorem by the theorem tests (default 60)")
    p.add_argument("--theorem-budget", type=float, default=120.0, metavar="SECONDS",
                   help="time bound of the theorem tests; theorems not reached are reported unfinished (default 120)")
    p.add_argument("--no-theorem-tests", action="store_true",
                   help="trust the kernel alone: do not test the theorems on inputs (Coq 8.16.1 has known "
                        "kernel bugs; see `idsynth doctor`)")
    p.set_defaults(func=run_audit)


def _error(message: str) -> None:
    print(f"idsynth audit: {message}", file=sys.stderr)


def run_audit(args: argparse.Namespace) -> int:
    from idsynth.audit import SpecError, audit_solution, check_spec, load_spec
    from idsynth.audit.types import TheoremTestConfig
    from idsynth.rocq import RocqError, RocqNotInstalled

    try:
        spec = load_spec(args.spec_dir)
        check_spec(spec)
        solution = Path(args.solution)
        if not solution.is_file():
            raise SpecError(f"{solution}: no such file")
        try:
            solution.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise SpecError(f"{solution}: not UTF-8") from None
        tests = None if args.no_theorem_tests else TheoremTestConfig(cases=args.theorem_cases,
                                                                      budget_seconds=args.theorem_budget)
        verdict = audit_solution(spec, solution, impl=args.impl, proofs=args.proofs,
                                 expected_spec_hash=args.spec_hash, theorem_tests=tests)
        binary_note = None
        if args.extracted and verdict.accepted:
            verdict, binary_note = _binary_witnesses(spec, solution, verdict)
    except SpecError as exc:
        _error(str(exc))
        return exit_codes.BAD_INPUT
    except RocqNotInstalled as exc:
        _error(str(exc))
        return exit_codes.ENVIRONMENT
    except RocqError as exc:
        _error(f"the checker failed: {exc}")
        return exit_codes.ENVIRONMENT
    if args.json:
        print(json.dumps(verdict.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        state = "ACCEPTED" if verdict.accepted else "REJECTED"
        print(f"{state}: {args.solution} against spec {verdict.spec_name} (sha256 {verdict.spec_hash[:16]})")
        print(f"  implementation module: {verdict.impl_module or 'not found'}, proofs module: "
              f"{verdict.proofs_module or 'not found'}")
        for w in verdict.witnesses:
            print(f"  witness {w.name}: {w.outcome}" + (f" — {w.detail}" if w.outcome == "refuted" else ""))
        if any(f.kind.value == "compile_error" for f in verdict.findings):
            # Say only what ran: nothing after a failed compile.
            print("  the solution does not compile: witnesses, Print Assumptions and coqchk did not run")
        else:
            print(f"  Print Assumptions read for {len(verdict.checked_fields)} names; coqchk re-checked the files")
        for t in verdict.theorem_tests:
            print(f"  theorem {t.name}: {_tested(t)}")
        if binary_note:
            print(f"  extracted binary: {binary_note}")
        for f in verdict.findings:
            print(f"  [{f.kind.value}] {_user_words(f.where, args.solution)}: {_user_words(f.detail, args.solution)}")
    return exit_codes.OK if verdict.accepted else exit_codes.NEGATIVE


def _tested(t) -> str:
    if t.outcome in ("passed", "refuted"):
        skipped = f", {t.premise_false} skipped (premise false)" if t.premise_false else ""
        undecided = f", {t.undecided} undecided" if t.undecided else ""
        return f"{t.outcome} on {t.cases} tested inputs{skipped}{undecided}"
    return f"{'not testable' if t.outcome == 'untestable' else 'unfinished'}: {t.detail}"


def _user_words(text: str, solution: str) -> str:
    """The audit's internal names in the user's terms: the audit compiles a copy of the file as
    `IdsynthCandidate.Candidate`; the user knows their file and their modules."""
    if text.startswith("line "):
        return f"{solution}:{text[5:]}"
    return re.sub(r"\b(?:IdsynthCandidate\.)?Candidate\.", "", text)


def _binary_witnesses(spec, solution: Path, verdict):
    """The audit's vacuity check on the real binary (where the driver supports the shape),
    and the theorem-test cases re-run there: an extraction mismatch is a rejection."""
    import tempfile

    from idsynth.extraction import (PrepareFailure, build_extracted_store, check_witnesses, split_theorem_findings,
                                    theorem_cases)

    cases = theorem_cases(verdict.theorem_tests)
    witnesses = [*spec.manifest.witness, *cases]
    with tempfile.TemporaryDirectory(prefix="idsynth-audit-bin-") as tmp:
        store = build_extracted_store(spec, solution, Path(tmp), verdict=verdict, witnesses=witnesses)
        if isinstance(store, PrepareFailure):
            return verdict, f"not checked ({store.stage}: {' '.join(store.message.split())[:200]})"
        report = check_witnesses(store, witnesses, Path(tmp))
        vacuity, refuted = split_theorem_findings(report, verdict.theorem_tests)
        ran = sum(c.outcome != "unprintable" for c in report.checks if c.name in {w.name for w in cases})
        note = (f"{len(spec.manifest.witness) - len(vacuity)} of {len(spec.manifest.witness)} witnesses hold or are "
                f"unprintable; {ran} theorem-test cases run, {len(refuted)} refuted")
        if not report.ok and not report.checks:
            note += f" ({report.message[:200]})"
        findings = vacuity + refuted
        if findings:
            verdict = verdict.model_copy(update={"accepted": False, "findings": verdict.findings + findings})
        return verdict, note
