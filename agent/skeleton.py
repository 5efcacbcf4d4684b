"""The shape of a solution document, and the skeleton a new design starts from.

    From Spec Require Import spec.          (read-only: the spec's import, every spec file)
    <preamble items>                        (imports, helpers shared by code and proofs)
    Module Impl <: SIG.
      <implementation items>                (Define moves land here)
    End Impl.
    Module ImplProofs <: CORRECT Impl.
      Import Impl.
      <helper lemmas>                       (Decompose inserts them before their user)
      Lemma <field> : <statement>. Admitted.  (one hole per correctness theorem)
    End ImplProofs.

The correctness statements are copied from the spec's own text (its `Axiom`s become
`Lemma`s), so they read exactly as the user wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from idsynth.audit.types import Spec
from idsynth.rocq import Document, split_sentences

IMPL = "Impl"
PROOFS = "ImplProofs"
_FIELD = re.compile(r"^(?:Axiom|Parameter|Conjecture)\s+(?P<name>[A-Za-z_][\w']*)\s*:(?P<stmt>.*)\.$", re.S)
_FUNCTOR = re.compile(r"^Module\s+Type\s+(?P<name>[A-Za-z_][\w']*)\s*\(\s*(?:Import\s+)?(?P<param>[A-Za-z_][\w']*)\s*:")


@dataclass(frozen=True)
class Theorem:
    name: str
    statement: str


def spec_text(spec: Spec) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for _, path in spec.sources)


def correctness_theorems(spec: Spec) -> tuple[str | None, list[Theorem]]:
    """The functor parameter's name and the theorems of the correctness module type."""
    text = (spec.directory / spec.manifest.files[-1]).read_text(encoding="utf-8")
    param: str | None = None
    inside = False
    theorems: list[Theorem] = []
    for s in split_sentences(text):
        body = " ".join(s.text.split())
        m = _FUNCTOR.match(body)
        if m and m.group("name") == spec.manifest.correctness:
            inside, param = True, m.group("param")
            continue
        if inside and body.startswith(f"End {spec.manifest.correctness}"):
            break
        if inside:
            f = _FIELD.match(s.text.strip())
            if f:
                theorems.append(Theorem(f.group("name"), " ".join(f.group("stmt").split())))
    return param, theorems


def skeleton(spec: Spec, impl_items: list[str], preamble: list[str] | None = None) -> Document:
    """A complete solution document: the given implementation, every theorem a hole."""
    param, theorems = correctness_theorems(spec)
    m = spec.manifest
    lines = [f"From {m.logical_path} Require Import {' '.join(mod.split('.', 1)[1] for mod in spec.modules)}."]
    lines += list(preamble or [])
    lines.append(f"\nModule {IMPL} <: {m.signature}.")
    lines += ["  " + item.strip().replace("\n", "\n  ") for item in impl_items]
    lines.append(f"End {IMPL}.\n")
    lines.append(f"Module {PROOFS} <: {m.correctness} {IMPL}.")
    lines.append(f"  Import {IMPL}.")
    if param and param != IMPL:
        # The spec's statements may name the implementation through the functor parameter.
        lines.append(f"  Module {param} := {IMPL}.")
    for t in theorems:
        lines.append(f"  Lemma {t.name} : {t.statement}.\n  Admitted.")
    lines.append(f"End {PROOFS}.")
    return Document.from_source("\n".join(lines) + "\n", readonly_imports=False).model_copy()


def mark_readonly(doc: Document) -> Document:
    """The spec import line is read-only; so are the theorem statements (checked by moves)."""
    items = list(doc.items)
    if items:
        items[0] = items[0].model_copy(update={"readonly": True})
    return Document(items=items, trailing=doc.trailing)
