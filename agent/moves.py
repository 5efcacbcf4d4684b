"""Validating and applying moves to a solution document: pure functions, no Rocq.

A move is refused *before* it reaches Rocq when it would touch the spec (the spec import,
a theorem's statement, a name the spec defines), add an axiom, `Admitted` or `admit`
outside the hole mechanism, bypass a kernel check, or smuggle extraction directives —
the same scan the audit runs, so a refused move explains itself in the audit's words.
"""

from __future__ import annotations

import re

from idsynth.audit.scan import scan_solution
from idsynth.rocq import Document
from idsynth.rocq.types import ItemKind

from .skeleton import IMPL, PROOFS
from .types import Decompose, Define, Helper, Move, Prove, Repair, Revert


# Binders before the colon: `h i j : P`, `(l : list nat) {A} : P` (not `forall ...,`).
_BINDERS = re.compile(r"^(?!(?:forall|exists|fun|let)\b)(?:(?:[A-Za-z_][\w']*|\([^()]*\)|\{[^{}]*\})\s*)+:(?!=)\s")


class Refused(Exception):
    """The move cannot be applied; `str(exc)` is fed back to the policy."""


def _scan(text: str, what: str) -> None:
    findings = scan_solution(text)
    if findings:
        f = findings[0]
        raise Refused(f"{what} contains a forbidden construct ({f.kind.value}): {f.detail}")


def _index(doc: Document, name: str) -> int:
    i = doc.index_of(name)
    if i is None:
        known = ", ".join(it.name for it in doc.items if it.kind in (ItemKind.LEMMA, ItemKind.DEFINITION))
        raise Refused(f"no item named {name!r} (items: {known})")
    return i


def _module_bounds(doc: Document, module: str) -> tuple[int, int]:
    start = next((i for i, it in enumerate(doc.items) if it.kind is ItemKind.MODULE and it.name == module), None)
    end = next((i for i, it in enumerate(doc.items) if it.kind is ItemKind.MODULE and it.name == f"End {module}"),
               None)
    if start is None or end is None:
        raise Refused(f"the document has no module {module} (it was removed or renamed)")
    return start, end


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line.strip() else line for line in text.strip("\n").splitlines())


def protected_statements(doc: Document) -> dict[str, str]:
    """Statements of the correctness theorems (holes of the skeleton): never edited."""
    return {it.name: " ".join(it.statement.split()) for it in doc.items
            if it.kind is ItemKind.LEMMA and it.name.startswith(PROOFS + ".")}


def validate_and_apply(move: Move, doc: Document, protected: dict[str, str], spec_names: set[str], *,
                       indent: str | None = None) -> Document:
    """The new document, or `Refused` with the reason. `indent`: the margin of proofs and
    helpers (None: the skeleton's, two spaces inside its modules; `idsynth prove` passes the
    hole's own margin, so a user's top-level lemma gets a top-level proof)."""
    if isinstance(move, Revert):
        raise Refused("Revert is handled by the engine, not applied to a document")
    if isinstance(move, Define):
        return _define(move, doc, spec_names)
    if isinstance(move, Prove):
        return _prove(move, doc, indent)
    if isinstance(move, Decompose):
        return _decompose(move, doc, protected, indent)
    if isinstance(move, Repair):
        return _repair(move, doc, protected, spec_names)
    raise Refused(f"unknown move {move!r}")


def _defined_names(text: str) -> list[str]:
    return [it.name for it in Document.from_source(text).items if it.kind is not ItemKind.OTHER]


def _define(move: Define, doc: Document, spec_names: set[str]) -> Document:
    _scan(move.text, f"Define {move.name}")
    items = Document.from_source(move.text).items
    if not items or any(not it.complete for it in items):
        raise Refused(f"Define {move.name}: the text is not complete Rocq sentences")
    if any(it.kind is ItemKind.MODULE for it in items):
        return _define_helper_modules(move, items, doc, spec_names)
    names = [it.name for it in items]
    if move.name not in names and move.where == "impl":
        raise Refused(f"Define {move.name}: the text defines {names}, not {move.name!r}")
    clash = sorted(set(names) & spec_names)
    if clash and move.where == "preamble":
        raise Refused(f"Define {move.name}: would shadow the spec's {', '.join(clash)}")
    if move.where == "proofs":
        start, end = _module_bounds(doc, PROOFS)
        existing = next((i for i in range(start + 1, end) if doc.items[i].name == f"{PROOFS}.{move.name}"), None)
        if existing is not None:
            if doc.items[existing].kind is ItemKind.LEMMA and doc.items[existing].name in protected_statements(doc):
                raise Refused(f"Define {move.name}: that is a correctness theorem")
            return doc.replace(existing, _indent(move.text).lstrip())
        first_lemma = next((i for i in range(start + 1, end) if doc.items[i].kind is ItemKind.LEMMA), end)
        return doc.insert(first_lemma, _indent(move.text).lstrip(), leading="\n  ")
    if move.where == "impl":
        start, end = _module_bounds(doc, IMPL)
        existing = next((i for i in range(start + 1, end) if doc.items[i].name == f"{IMPL}.{move.name}"), None)
        if existing is not None:
            return doc.replace(existing, _indent(move.text).lstrip())
        return doc.insert(end, _indent(move.text).lstrip(), leading="\n  ")
    start, _ = _module_bounds(doc, IMPL)
    existing = next((i for i in range(1, start) if doc.items[i].name == move.name), None)
    if existing is not None:
        if doc.items[existing].readonly:
            raise Refused(f"Define {move.name}: that item belongs to the spec")
        return doc.replace(existing, move.text.strip())
    return doc.insert(start, move.text.strip(), leading="\n")


# `Module [Import|Export] X ...`, `Module Type X ...`, `Declare Module X ...`; `Section X.`; `End X.`
_MODULE_HEAD = re.compile(r"^(?P<declare>Declare\s+)?Module\s+(?P<type>Type\s+)?(?:(?:Import|Export)\s+)?"
                          r"(?P<name>[A-Za-z_][\w']*)(?P<rest>.*)$", re.S)
_SECTION_HEAD = re.compile(r"^Section\s+(?P<name>[A-Za-z_][\w']*)\s*\.$")
_END = re.compile(r"^End\s+(?P<name>[A-Za-z_][\w']*)\s*\.$")


def module_names(text: str) -> set[str]:
    """Names of the modules and module types `text` declares (e.g. a spec's signature)."""
    names = set()
    for it in Document.from_source(text).items:
        m = _MODULE_HEAD.match(" ".join(it.text.split())) if it.kind is ItemKind.MODULE else None
        if m:
            names.add(m["name"])
    return names


def _define_helper_modules(move: Define, items, doc: Document, spec_names: set[str]) -> Document:
    """A preamble Define may carry complete helper modules (a reference model and its facts,
    say) as long as none of them claims what the spec asks of `Impl` and `ImplProofs`: no
    module type, no declared module, no header (sealing, functor parameter, alias) naming the
    spec's signature, its correctness type, anything else the spec declares or the skeleton's
    own modules, and every `Module`/`Section` closed by its own `End` within the text."""
    what = f"Define {move.name}"
    if move.where != "preamble":
        raise Refused(f"{what}: modules are not implementation items here (a helper module goes in the preamble)")
    reserved = set(spec_names) | {IMPL, PROOFS}
    clash = sorted({it.name for it in items if it.kind is not ItemKind.MODULE} & set(spec_names))
    if clash:
        raise Refused(f"{what}: would shadow the spec's {', '.join(clash)}")
    opened: list[str] = []
    top: list[str] = []
    for it in items:
        if it.kind is not ItemKind.MODULE:
            continue
        text = " ".join(it.text.split())
        end = _END.match(text)
        if end:
            if not opened or opened[-1] != end["name"]:
                raise Refused(f"{what}: `{text}` does not close {opened[-1] if opened else 'any open module'}")
            opened.pop()
            continue
        section = _SECTION_HEAD.match(text)
        head = section or _MODULE_HEAD.match(text)
        if head is None:
            raise Refused(f"{what}: `{text[:80]}` is not a module or section this move can carry")
        name = head["name"]
        if not section:
            if head["type"] or head["declare"]:
                raise Refused(f"{what}: a module type or declared module is not a helper module "
                              "(the spec owns the signatures)")
            claimed = sorted(set(re.findall(r"[A-Za-z_][\w']*", head["rest"])) & reserved)
            if claimed:
                raise Refused(f"{what}: module {name} names {', '.join(claimed)} in its header; only {IMPL} "
                              f"claims the spec's signature and only {PROOFS} its correctness")
            if name in reserved:
                raise Refused(f"{what}: a module named {name} would shadow the spec's or the skeleton's {name}")
        if not opened:
            top.append(name)
        if section or ":=" not in head["rest"]:
            opened.append(name)
    if opened:
        raise Refused(f"{what}: module {opened[-1]} is not closed by `End {opened[-1]}.`")
    if move.name not in top:
        raise Refused(f"{what}: the text defines the modules {top}, not {move.name!r}")
    start, _ = _module_bounds(doc, IMPL)
    existing = next((i for i in range(1, start) if doc.items[i].kind is ItemKind.MODULE
                     and doc.items[i].name == move.name), None)
    if existing is None:
        return doc.insert(start, move.text.strip(), leading="\n")
    if doc.items[existing].readonly:
        raise Refused(f"{what}: that item belongs to the spec")
    # Replace the whole module, through its own `End`.
    last = next((i for i in range(existing + 1, start) if doc.items[i].name == f"End {move.name}"), existing)
    trimmed = Document(items=doc.items[:existing + 1] + doc.items[last + 1:], trailing=doc.trailing)
    return trimmed.replace(existing, move.text.strip())


def _hole(doc: Document, name: str) -> int:
    i = _index(doc, name)
    if not doc.items[i].is_hole:
        raise Refused(f"{doc.items[i].name} is not a hole (it has no `Admitted.`)")
    return i


def _proof_text(statement: str, script: str, indent: str | None = None) -> str:
    margin = "  " if indent is None else indent
    body = script.strip()
    body = re.sub(r"^Proof\.\s*", "", body)
    body = re.sub(r"\s*(Qed|Defined)\.\s*$", "", body)
    return f"{statement}\n{margin}Proof.\n{_indent(body, margin + '  ')}\n{margin}Qed."


def _prove(move: Prove, doc: Document, indent: str | None = None) -> Document:
    # A lemma whose earlier proof failed may be proved again: the statement is kept.
    i = _index(doc, move.hole)
    if doc.items[i].kind not in (ItemKind.LEMMA, ItemKind.DEFINITION) or not doc.items[i].has_proof:
        raise Refused(f"{doc.items[i].name} is not a lemma with a proof to give")
    _scan(move.script, f"Prove {move.hole}")
    return doc.replace(i, _proof_text(doc.items[i].statement, move.script, indent))


def _decompose(move: Decompose, doc: Document, protected: dict[str, str], indent: str | None = None) -> Document:
    i = _hole(doc, move.hole)
    _scan(move.script, f"Decompose {move.hole}")
    existing = {it.name.rsplit(".", 1)[-1] for it in doc.items}
    for h in move.helpers:
        if h.name in existing:
            raise Refused(f"Decompose {move.hole}: a helper named {h.name!r} already exists")
        _scan(f"Lemma {h.name} : {h.statement}.", f"helper {h.name}")
    statement = doc.items[i].statement
    doc = doc.replace(i, _proof_text(statement, move.script, indent))
    return insert_helpers(doc, i, move.helpers, indent)


def insert_helpers(doc: Document, index: int, helpers: list[Helper], indent: str | None = None) -> Document:
    """The helpers, as holes, just before item `index` (in the order given)."""
    margin = "  " if indent is None else indent
    for h in reversed(helpers):
        statement = h.statement.strip().rstrip(".")
        head = f"Lemma {h.name} {statement}" if _BINDERS.match(statement) else f"Lemma {h.name} : {statement}"
        doc = doc.insert(index, f"{head}.\n{margin}Admitted.", leading="\n" + margin)
    return doc


def margin_of(item) -> str:
    """The blanks an item's first line starts with (its indentation)."""
    last = item.leading.rsplit("\n", 1)[-1]
    return last if not last.strip() else ""


def _repair(move: Repair, doc: Document, protected: dict[str, str], spec_names: set[str]) -> Document:
    i = _index(doc, move.item)
    item = doc.items[i]
    if item.readonly:
        raise Refused(f"Repair {item.name}: that item belongs to the spec")
    _scan(move.text, f"Repair {item.name}")
    new_items = Document.from_source(move.text).items
    if not new_items or new_items[0].name.rsplit(".", 1)[-1] != item.name.rsplit(".", 1)[-1]:
        raise Refused(f"Repair {item.name}: the new text must define {item.name.rsplit('.', 1)[-1]!r} first")
    if item.name in protected and " ".join(new_items[0].statement.split()) != protected[item.name]:
        raise Refused(f"Repair {item.name}: the statement of a correctness theorem is part of the spec")
    if item.kind is ItemKind.MODULE:
        raise Refused(f"Repair {item.name}: module boundaries are fixed")
    return doc.replace(i, move.text.strip())


def design_document(spec, design) -> Document:
    """The starting document of a design: the skeleton with its implementation and preamble,
    then its proof-side definitions (`where="proofs"`) inserted like any Define."""
    from .skeleton import mark_readonly, skeleton

    impl = [m.text for m in design.moves if m.where == "impl"]
    pre = [m.text for m in design.moves if m.where == "preamble"]
    base = mark_readonly(skeleton(spec, impl, pre))
    doc = base
    try:
        for m in design.moves:
            if m.where == "proofs":
                doc = mark_readonly(validate_and_apply(m, doc, protected_statements(doc), set()))
    except Refused:
        # A design whose proof-side definitions are refused starts without them.
        return base
    return doc
