"""`idsynth doctor`: is this machine ready? Says exactly what to install."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


from . import exit_codes

# (check name, command, Debian package, required?)
_TOOLS = [
    ("coqc", ["coqc", "--version"], "coq", True),
    ("coqtop", ["coqtop", "--version"], "coq", True),
    ("coqchk", ["coqchk", "--version"], "coq", True),
    ("eprover", ["eprover", "--version"], "eprover", False),
    ("z3", ["z3", "--version"], "z3", False),
    ("cvc4", ["cvc4", "--version"], "cvc4", False),
    ("ocamlfind", ["ocamlfind", "ocamlopt", "-version"], "ocaml-findlib ocaml-nox", True),
    ("chromium", ["chromium", "--version"], "chromium", False),
    ("chromedriver", ["chromedriver", "--version"], "chromium-driver", False),
]


def _version(argv: list[str]) -> str | None:
    if shutil.which(argv[0]) is None:
        return None
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = (proc.stdout or proc.stderr).strip().splitlines()
    return out[0].strip() if out else "present"


def _coq_library(require: str) -> bool:
    if shutil.which("coqc") is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "probe.v"
        f.write_text(require + "\n")
        try:
            return subprocess.run(["coqc", str(f)], capture_output=True, timeout=60, cwd=tmp).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False


def _ocamlfind_package(name: str) -> bool:
    if shutil.which("ocamlfind") is None:
        return False
    try:
        return subprocess.run(["ocamlfind", "query", name], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def diagnose() -> list[dict]:
    checks = []
    for name, argv, package, required in _TOOLS:
        version = _version(argv)
        ok = version is not None
        if ok and name == "coqc" and "8.16" not in version:
            ok, version = False, f"{version} (idsynth is tested with 8.16.x)"
        checks.append({"check": name, "ok": ok, "detail": version or "not on PATH", "required": required,
                       "fix": None if ok else f"apt-get install {package}"})
    checks.append(_kernel_check(next((c["detail"] for c in checks if c["check"] == "coqc"), None)))
    hammer = _coq_library("From Hammer Require Import Tactics.")
    checks.append({"check": "CoqHammer", "ok": hammer, "required": True,
                   "detail": "From Hammer Require Import Tactics." + (" loads" if hammer else " fails"),
                   "fix": None if hammer else "apt-get install libcoq-hammer"})
    kernel = _ocamlfind_package("coq-core.kernel")
    checks.append({"check": "coq-core.kernel (OCaml Uint63)", "ok": kernel, "required": False,
                   "detail": "ocamlfind query coq-core.kernel", "fix": None if kernel else "apt-get install libcoq-core-ocaml-dev"})
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY"):
        present = bool(os.environ.get(var))
        checks.append({"check": var, "ok": True, "required": False,
                       "detail": "set" if present else "not set (only needed for --policy llm)", "fix": None})
    return checks


def _kernel_check(coqc_version: str | None) -> dict:
    """A warning (never a failure: no newer Rocq may be installable) when the installed Rocq
    has known soundness bugs."""
    from idsynth.audit.trusted_base import known_bugs, parse_version

    version = parse_version(coqc_version or "")
    if version is None:
        return {"check": "Rocq soundness", "ok": True, "required": False, "warning": False,
                "detail": "no coqc version to look up", "fix": None, "known_bugs": []}
    bugs = known_bugs(version)
    shown = ".".join(map(str, version))
    detail = (f"Rocq {shown} has {len(bugs)} known soundness bugs that can matter to an audit "
              f"({', '.join(b.issue.split('#')[1] for b in bugs)}); the audit does not trust the kernel alone: "
              "it tests the theorems on concrete inputs (see the trusted base below)" if bugs
              else f"no known soundness bug of Rocq {shown} in idsynth's list")
    return {"check": "Rocq soundness", "ok": not bugs, "required": False, "warning": bool(bugs), "detail": detail,
            "fix": "Rocq 9.3 fixes all but the open ones (no such Rocq is packaged for Debian 12)" if bugs else None,
            "known_bugs": [b.model_dump(mode="json") | {"versions": b.versions} for b in bugs]}


def add_doctor_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check the environment and say what to install",
                       description="Check Rocq 8.16.x (and warn about its known soundness bugs, printing the "
                       "trusted base), CoqHammer and its provers, OCaml tooling, Chromium (report "
                       "tests) and API keys; print exactly what to install. Exit 3 when something required is missing.",
                       epilog="examples:\n  idsynth doctor\n  idsynth doctor --json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from idsynth.audit.trusted_base import TRUSTED_COMPONENTS

    checks = diagnose()
    missing = [c for c in checks if c["required"] and not c["ok"]]
    kernel = next(c for c in checks if c["check"] == "Rocq soundness")
    if args.json:
        print(json.dumps({"ok": not missing, "checks": checks,
                          "trusted_base": {"components": TRUSTED_COMPONENTS, "known_bugs": kernel["known_bugs"]}},
                         indent=2))
    else:
        for c in checks:
            mark = "ok " if c["ok"] else ("WARNING" if c.get("warning") else
                                          "MISSING" if c["required"] else "missing (optional)")
            fix = f"  -> {c['fix']}" if c["fix"] else ""
            print(f"{mark:>18}  {c['check']}: {c['detail']}{fix}")
        print("\ntrusted base (what an accepted solution rests on):")
        for component in TRUSTED_COMPONENTS:
            print(f"  - {component}")
        if kernel["known_bugs"]:
            print("known soundness bugs of this Rocq, and what the audit does about each:")
            for b in kernel["known_bugs"]:
                print(f"  - {b['issue']} ({b['versions']}): {b['title']}. Audit: {b['audit']}")
        if missing:
            packages = sorted({c["fix"].removeprefix("apt-get install ") for c in missing})
            print(f"\nmissing required tools; install with: apt-get install {' '.join(packages)} (or run ./setup.sh)")
        else:
            print("\nready")
    return exit_codes.ENVIRONMENT if missing else exit_codes.OK
