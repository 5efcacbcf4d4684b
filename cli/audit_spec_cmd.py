"""`idsynth audit-spec SPEC_DIR`: validate a spec and probe it for weakness."""

from __future__ import annotations

import argparse
import json
import sys


from . import exit_codes

EXAMPLES = """examples:
  idsynth audit-spec specs/warmup/finite_map
  idsynth audit-spec --json specs/examples/weak_store"""


def add_audit_spec_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit-spec",
        help="validate a spec and probe it with trivial implementations",
        description="Load and compile the spec, check its module types and witnesses, then build trivial "
        "implementations (unit state, no-op updates, fixed results) and report for each whether a witness "
        "refutes it and which theorems automation proves about it. A trivial implementation that slips "
        "through every theorem and witness makes the spec weak.",
        epilog=EXAMPLES + "\n\nexit codes: 0 no weakness found, 1 weak spec, 2 malformed spec, 3 Rocq missing",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec_dir", metavar="SPEC_DIR")
    p.add_argument("--json", action="store_true", help="print the probe report as JSON")
    p.set_defaults(func=run_audit_spec)


def run_audit_spec(args: argparse.Namespace) -> int:
    from idsynth.audit import SpecError, check_spec, load_spec
    from idsynth.audit.probe import probe_spec
    from idsynth.rocq import RocqError, RocqNotInstalled

    try:
        spec = load_spec(args.spec_dir)
        check_spec(spec)
        report = probe_spec(spec)
    except SpecError as exc:
        print(f"idsynth audit-spec: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except RocqNotInstalled as exc:
        print(f"idsynth audit-spec: {exc}", file=sys.stderr)
        return exit_codes.ENVIRONMENT
    except RocqError as exc:
        print(f"idsynth audit-spec: the checker failed: {exc}", file=sys.stderr)
        return exit_codes.ENVIRONMENT
    if args.json:
        data = report.model_dump(mode="json")
        data["weak"] = report.weak
        data["warnings"] = report.warnings()
        print(json.dumps(data, indent=2))
    else:
        print(f"spec {report.spec_name} (sha256 {report.spec_hash[:16]}): {len(spec.manifest.witness)} witnesses")
        for p in report.probes:
            if not p.built:
                print(f"  {p.implementation}: could not be built ({p.build_error})")
                continue
            caught = f"refuted by witness {', '.join(p.refuted_by)}" if p.refuted_by else "NOT refuted by any witness"
            print(f"  {p.implementation} — {p.description}: {caught}")
            for t in p.theorems:
                how = f" by `{t.by}`" if t.by else " (automation gave up; not evidence either way)"
                print(f"    {t.theorem}: {t.outcome}{how}")
        for w in report.warnings():
            print(f"WARNING: {w}")
        if not report.weak:
            print("no weakness found: every trivial implementation is refuted by a witness or escapes a theorem")
    return exit_codes.NEGATIVE if report.weak else exit_codes.OK
