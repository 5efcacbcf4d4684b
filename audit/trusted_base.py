"""What "verified" rests on, written down: the Rocq version and its known soundness bugs.

The audit trusts Rocq's kernel (through `coqc`, `Print Assumptions` and `coqchk`), its `vm_compute`
(witnesses, theorem tests), extraction and the OCaml compiler. Every Rocq release has known
soundness bugs; the ones below are those of Rocq's own list (`dev/doc/critical-bugs.md` in
rocq-prover/rocq) whose impacted versions include the Coq 8.16.1 that Debian 12 ships and that
can matter to an audited solution, each with what the audit does about it. `idsynth doctor`
prints this and warns when the installed Rocq has any.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from pydantic import BaseModel, ConfigDict

Version = tuple[int, ...]


class KnownBug(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    issue: str
    """`rocq-prover/rocq#N`."""
    title: str
    introduced: Version
    fixed_in: Version | None
    """First release without the bug; None while it is open."""
    component: str
    exploit: str
    """What a solution would need to exploit it."""
    audit: str
    """What the audit does about it."""

    def affects(self, version: Version) -> bool:
        return self.introduced <= version and (self.fixed_in is None or version < self.fixed_in)

    @property
    def versions(self) -> str:
        intro = ".".join(map(str, self.introduced))
        return f"{intro} until {'.'.join(map(str, self.fixed_in))}" if self.fixed_in else f"{intro} and later (open)"


_THEOREM_TESTS = ("theorem tests: each decidable correctness theorem is evaluated on generated inputs (vm_compute; "
                  "the OCaml binary too with --extracted), a counterexample is theorem_refuted_by_test; no help "
                  "for theorems the audit reports not testable")

KNOWN_BUGS: list[KnownBug] = [
    KnownBug(issue="rocq-prover/rocq#20455", title="guard checker takes a match on a match for a subterm",
             introduced=(8, 16), fixed_in=(9, 0, 1), component="kernel guard checker (coqchk shares it)",
             exploit="a Fixpoint whose recursive argument is `match (if b then x else n') with ...`: `False` with no "
                     "axiom; Print Assumptions says closed (cheat tests/audit/cheats/70_guard_match_on_match.v)",
             audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#20413", title="guard checker forgets the non-structural arguments of a fixpoint",
             introduced=(8, 16), fixed_in=(9, 0, 1), component="kernel guard checker (coqchk shares it)",
             exploit="an ill-guarded call hidden in a non-recursive argument (also produced by Program)",
             audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#20555", title="guard checker reduces across an inner fixpoint wrongly",
             introduced=(8, 16), fixed_in=(9, 0, 1), component="kernel guard checker (coqchk shares it)",
             exploit="a nested fixpoint accepted as guarded although it is not", audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#21839", title="guard checker sometimes reduces in the wrong context",
             introduced=(8, 16), fixed_in=(9, 3), component="kernel guard checker (coqchk shares it)",
             exploit="a wrong fixpoint accepted", audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#22389", title="cofixpoint guard checker uses the wrong tree for nested mutual "
             "cofixpoints", introduced=(7, 0), fixed_in=(9, 2, 1), component="kernel guard checker (coqchk shares it)",
             exploit="nested mutual cofixpoints", audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#22378", title="conversion under contexts done in the wrong environment",
             introduced=(8, 14), fixed_in=(9, 2, 1), component="kernel lazy conversion (coqchk shares it)",
             exploit="see the issue", audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#22387", title="module subtyping confuses inductives with let-ins in constructor "
             "types", introduced=(8, 14), fixed_in=(9, 2), component="kernel module subtyping",
             exploit="a module sealed against a type whose inductive differs in its let-ins",
             audit="the audit seals against the spec's own module types by fully qualified name, whose inductives "
                   "have no let-ins; " + _THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#21051", title="missing substitution when strengthening functors",
             introduced=(8, 5), fixed_in=(9, 0, 1), component="kernel modules (coqchk 8.10+ shares it)",
             exploit="heavy functor machinery", audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#21685", title="missing substitution when strengthening aliased functors",
             introduced=(8, 5), fixed_in=(9, 2), component="kernel modules (coqchk 8.10+ shares it)",
             exploit="aliased functors", audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#18503", title="module subtyping takes a Primitive for convertible to anything",
             introduced=(8, 11), fixed_in=(8, 19), component="kernel module subtyping (coqchk shares it)",
             exploit="a `Primitive` field in a module type", audit="the specs' module types have no Primitive "
             "field; " + _THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#22385", title="wrong variance inference with let-ins in constructor types",
             introduced=(8, 6), fixed_in=(9, 2, 1), component="kernel, cumulative universe-polymorphic inductives",
             exploit="a cumulative inductive with a let-in in a constructor type", audit=_THEOREM_TESTS),
    KnownBug(issue="rocq-prover/rocq#21690", title="missing stack conversion for an irrelevant-to-relevant match",
             introduced=(8, 16), fixed_in=(9, 2), component="kernel conversion, SProp",
             exploit="with Definitional UIP (without it no axiom-free False is known)",
             audit="`Set Definitional UIP` is rejected as kernel_bypass (scan and Print Assumptions, cheat 29)"),
    KnownBug(issue="rocq-prover/rocq#12155", title="Print Assumptions misses inconsistent flags with Parameter Inline",
             introduced=(8, 6), fixed_in=None, component="Print Assumptions",
             exploit="Parameter Inline with unsafe flags", audit="coqchk re-checks the compiled files and rejects them"),
    KnownBug(issue="rocq-prover/rocq#16646", title="Print Assumptions misses Unset Universe Checking during functor "
             "application", introduced=(8, 11), fixed_in=None, component="Print Assumptions",
             exploit="Unset Universe Checking around a functor application",
             audit="the scan rejects the command (forbidden_command) and coqchk rejects the files"),
    KnownBug(issue="rocq-prover/rocq#19402", title="VM computes addmuldiv wrongly for large shifts",
             introduced=(8, 10), fixed_in=(8, 20), component="vm_compute (not in coqchk)",
             exploit="Uint63 addmuldiv with shifts >= 63 in a computation the proof or a witness relies on",
             audit="coqchk (no VM) re-checks proofs; witnesses and theorem cases are also run on the OCaml binary "
                   "with --extracted"),
    KnownBug(issue="rocq-prover/rocq#16957", title="tactics can mutate the VM's cache of section variables",
             introduced=(8, 1), fixed_in=(8, 17), component="vm_compute (not in coqchk)",
             exploit="`Definition := ltac:(...)` with change_no_check on a section variable",
             audit="coqchk (no VM) re-checks every proof from the compiled files"),
    KnownBug(issue="rocq-prover/rocq#7609", title="kernel and checker accept wrong name-aliasing information",
             introduced=(8, 0), fixed_in=(9, 2), component="kernel and coqchk",
             exploit="a plugin or a hand-crafted .vo file",
             audit="the audit compiles the solution from source in a fresh directory and rejects plugins "
                   "(Declare ML Module) and libraries outside the standard library"),
    KnownBug(issue="rocq-prover/rocq#13439", title="VM buffer overflow on large records and closures",
             introduced=(8, 1), fixed_in=None, component="vm_compute (not in coqchk)",
             exploit="very many arguments, fix blocks or nested let-ins",
             audit="coqchk (no VM) re-checks proofs; the witnesses' and theorem cases' values are small"),
]


def parse_version(text: str) -> Version | None:
    """`The Coq Proof Assistant, version 8.16.1` (or `9.0.1`, `8.16+rc1`) -> (8, 16, 1)."""
    m = re.search(r"version\s+(\d+)\.(\d+)(?:\.(\d+))?", text) or re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not m:
        return None
    return tuple(int(g) for g in m.groups() if g is not None)


def known_bugs(version: Version) -> list[KnownBug]:
    """The known soundness bugs of this Rocq version that can matter to an audit."""
    return [b for b in KNOWN_BUGS if b.affects(version)]


def installed_version() -> tuple[str, Version | None] | None:
    """(first line of `coqc --version`, parsed version), or None without coqc."""
    if shutil.which("coqc") is None:
        return None
    try:
        proc = subprocess.run(["coqc", "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    line = (proc.stdout or proc.stderr).strip().splitlines()[0] if (proc.stdout or proc.stderr).strip() else ""
    return line, parse_version(line)


TRUSTED_COMPONENTS = [
    "Rocq's kernel as run by coqc (compilation, module sealing, Print Assumptions)",
    "coqchk (an independent re-check of the compiled files; it shares the kernel's guard checker)",
    "vm_compute (witnesses and theorem tests)",
    "Rocq's OCaml extraction and the OCaml compiler (shipped binaries)",
]
