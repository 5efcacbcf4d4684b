"""Mutation cheats generated from a genuine solution (for the audit's tests).

- every `Qed.` of the proofs turned into `Admitted.` (one mutant each): must be a `hole`;
- every operation of the implementation (a definition with binders whose name is a field of
  the signature) replaced by a trivial body — return a state argument (a no-op update) or a
  fixed default — with all proofs admitted so that it still compiles: the witnesses must
  catch it (`vacuity`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from idsynth.rocq import Document, split_sentences

_DEF = re.compile(r"^(?P<kw>Definition|Fixpoint)\s+(?P<name>[A-Za-z_][\w']*)(?P<rest>.*)$", re.S)
# A no-op update returns its state argument; any other result is a fixed default (for a
# pair, each component: `bool * t` becomes `(false, s)`).
NO_OP = "assumption"
CONSTANT = ("first [ exact None | exact nil | exact 0 | exact false | "
            "(split; first [ exact false | exact None | exact nil | exact 0 | assumption ]) ]")


@dataclass(frozen=True)
class Mutant:
    name: str
    source: str
    expect: str


def _header_and_body(rest: str) -> tuple[str, str] | None:
    depth = 0
    for i, c in enumerate(rest):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and rest.startswith(":=", i):
            return rest[:i], rest[i + 2:]
    return None


def _admit_all(source: str) -> str:
    """Every proof replaced by `Admitted.` (whole proofs: a broken script would not compile)."""
    doc = Document.from_source(source)
    for i, item in enumerate(doc.items):
        if item.has_proof and item.sentences[-1].text == "Qed.":
            doc = doc.replace(i, item.statement + " Admitted.")
    return doc.render()


def mutants(source: str, operations: list[str]) -> list[Mutant]:
    out: list[Mutant] = []
    sentences = split_sentences(source)
    qeds = [s for s in sentences if s.text == "Qed."]
    for n, s in enumerate(qeds):
        out.append(Mutant(f"qed{n}_admitted", source[: s.start] + "Admitted." + source[s.end:], "hole"))
    for s in sentences:
        m = _DEF.match(s.text)
        if not m or m.group("name") not in operations:
            continue
        split = _header_and_body(m.group("rest"))
        if split is None:
            continue
        header = re.sub(r"\{\s*struct\s+\w+\s*\}", "", split[0]).rstrip()
        if "(" not in header or ":" not in header.split(")")[-1]:
            continue  # no binders or no result type: not an operation we can trivialise
        result_type = header.split(")")[-1].split(":", 1)[1].strip()
        tactic = NO_OP if result_type == "t" else CONSTANT
        trivial = f"Definition {m.group('name')}{header}.\nProof. intros; {tactic}. Defined."
        mutated = source[: s.start] + trivial + source[s.end:]
        out.append(Mutant(f"{m.group('name')}_trivial", _admit_all(mutated), "vacuity"))
    return out
