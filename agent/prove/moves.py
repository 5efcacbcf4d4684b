"""Which moves `idsynth prove` accepts, applied to a hole's working document. Pure.

The implementation is frozen: a move may give a proof of a hole in focus (`Prove`), split
such a hole into helper lemmas inserted just before it (`Decompose`), `Repair` an item
that this run added, or add imports (a `Define` whose text is import sentences only, such
as the `From Hammer Require Import Tactics.` a CoqHammer proof needs). Nothing else: no
definition, no edit of the user's items. A refusal explains itself to the policy.
"""

from __future__ import annotations

import re

from idsynth.agent.auto.prover import import_position
from idsynth.agent.moves import Refused, margin_of, validate_and_apply
from idsynth.agent.types import Decompose, Define, Move, Prove, Repair, Revert
from idsynth.rocq import Document
from idsynth.rocq.types import ItemKind


def import_sentences(move: Define) -> list[str]:
    """The import sentences of an imports-only `Define`, else `Refused`."""
    items = Document.from_source(move.text).items
    if not items or any(it.kind is not ItemKind.IMPORT or not it.complete for it in items):
        raise Refused("idsynth prove keeps the implementation frozen: a Define may only add imports "
                      "(Require/Import sentences); use Prove or Decompose on the hole")
    return [it.text.strip() for it in items]


_OPENER = re.compile(r"^Proof\s+(?:using|with)\b")


def proof_opener(item) -> str | None:
    """The hole's `Proof using ...`/`Proof with ...` sentence, if it has one: it is part of the
    lemma's interface (which section variables it abstracts), so a new proof keeps it."""
    if len(item.sentences) > 1 and _OPENER.match(item.sentences[1].text.strip()):
        return item.sentences[1].text.strip()
    return None


def _keep_proof_opener(hole, new: Document) -> Document:
    opener = proof_opener(hole)
    if opener is None:
        return new
    i = new.index_of(hole.name)
    item = new.items[i]
    second = item.sentences[1]
    text = item.text[: second.start] + opener + item.text[second.end:]
    return new.replace(i, text)


def apply_prove_move(move: Move, doc: Document, *, target: str, focus: list[str], added: set[str],
                     taken: set[str]) -> Document:
    """`doc` (the file cut right after `target`) with `move` applied, or `Refused`.

    `focus`: the holes open to `Prove`/`Decompose`; `added`: items this run added (open to
    `Repair`); `taken`: every short name of the whole file (helpers must not clash with a
    later item the cut document does not show)."""
    if isinstance(move, Revert):
        raise Refused("idsynth prove works forward; a failed move is already rolled back")
    if isinstance(move, Define):
        sentences = import_sentences(move)
        fresh = [s for s in sentences if s not in {it.text.strip() for it in doc.items}]
        if not fresh:
            raise Refused(f"Define {move.name}: the file already has these imports")
        at = import_position(doc, doc.index_of(target) or len(doc.items))
        return doc.insert(at, "\n".join(fresh), leading="\n")
    if isinstance(move, (Prove, Decompose)):
        i = doc.index_of(move.hole)
        if i is None or doc.items[i].name not in focus:
            raise Refused(f"{move.hole} is not a hole being worked on now (holes in focus: {', '.join(focus)})")
        if isinstance(move, Decompose):
            clash = sorted({h.name for h in move.helpers} & taken)
            if clash:
                raise Refused(f"Decompose {move.hole}: the file already has {', '.join(clash)}")
        new = validate_and_apply(move, doc, {}, set(), indent=margin_of(doc.items[i]))
        return _keep_proof_opener(doc.items[i], new)
    if isinstance(move, Repair):
        i = doc.index_of(move.item)
        if i is None or doc.items[i].name not in added:
            raise Refused(f"Repair {move.item}: idsynth prove repairs only the helpers it added "
                          f"({', '.join(sorted(added)) or 'none yet'})")
        return validate_and_apply(move, doc, {}, set())
    raise Refused(f"unknown move {move!r}")
