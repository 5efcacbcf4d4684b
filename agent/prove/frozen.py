"""The frozen-implementation check of `idsynth prove`: a pure comparison of two sources.

The output is re-split from scratch (never trusted from the edit history) and walked
against the input: the items `prove` declares it added (helper lemmas, imports) are set
aside, and what remains must pair one to one with the input's items, each byte for byte
(its leading comments and blanks included), except that a hole of the input may have a new
proof after its unchanged statement. Anything else is a problem, named.
"""

from __future__ import annotations

from idsynth.rocq import Document
from idsynth.rocq.types import ItemKind

from .moves import proof_opener


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def frozen_problems(original: str, output: str, *, helpers: set[str], imports: set[str]) -> list[str]:
    """Empty when `output` is `original` with only hole proofs replaced and `helpers` (lemma
    names, as the document names them) and `imports` (sentence texts) added."""
    old = Document.from_source(original)
    new = Document.from_source(output)
    problems: list[str] = []
    kept = []
    for item in new.items:
        if item.name in helpers:
            if item.kind is not ItemKind.LEMMA or not item.has_proof or item.is_hole:
                problems.append(f"added helper {item.name} is not a proved lemma")
            continue
        if item.kind is ItemKind.IMPORT and item.text.strip() in imports:
            continue
        kept.append(item)
    if len(kept) != len(old.items):
        problems.append(f"the output has {len(kept)} items besides its additions, the input {len(old.items)}")
    for o, n in zip(old.items, kept):
        if o.leading + o.text == n.leading + n.text:
            continue
        if not o.is_hole:
            problems.append(f"{o.name}: changed, but it is not a hole")
        elif o.leading != n.leading or o.statement != n.statement or n.kind is not o.kind:
            problems.append(f"{o.name}: the statement (or the text before it) changed")
        elif not n.has_proof:
            problems.append(f"{o.name}: the new text has no proof")
        elif proof_opener(o) is not None and proof_opener(o) != proof_opener(n):
            problems.append(f"{o.name}: its `{proof_opener(o)}` changed")
        if len(problems) > 20:
            break
    if old.trailing != new.trailing:
        problems.append("the text after the last sentence changed")
    missing = helpers - {it.name for it in new.items}
    if missing:
        problems.append(f"declared helpers not in the output: {', '.join(sorted(missing))}")
    return problems
