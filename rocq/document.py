"""A development as ordered items: the unit the grader re-checks and agents edit.

An item is a run of sentences that stands or falls together: a lemma with its proof (up
to `Qed.`/`Defined.`/`Admitted.`/`Abort.`), one definition, one import, one `Module X.`
or `End X.`. Items keep the blanks and comments before them (`leading`), so rendering a
document gives back its source byte for byte.

Grouping is lexical (pure); Rocq remains the judge of what each sentence means. A proof
is recognised when a theorem keyword opens it, or when the next sentence is `Proof`.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .splitter import split_with_tail
from .syntax import parse
from .types import ItemKind, Sentence, Span

_THEOREM = ("Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property", "Example", "Goal")
_DEFINITION = (
    "Definition", "Fixpoint", "CoFixpoint", "Inductive", "CoInductive", "Variant", "Record",
    "Structure", "Class", "Instance", "Let", "Function", "Equations", "Abbreviation",
)
_IMPORT = ("Require", "From", "Import", "Export")
_MODULE = ("Module", "Section", "End", "Declare")
_PROOF_CLOSERS = ("Qed", "Defined", "Admitted", "Abort", "Save")
_INTERACTIVE = ("Definition", "Instance", "Let", "Fixpoint", "CoFixpoint")
"""Declarations that open a proof when they have no `:=` body."""
_PROOF_TERM = re.compile(r"^Proof\s+(?!using\b|with\b)\S")
"""`Proof <term>.` gives the whole proof in one sentence and closes it."""
_OBLIGATION = re.compile(r"^(?:Next\s+Obligation|Obligation\s+\d+)\b")


class SourceError(ValueError):
    """A file that cannot be read as a Rocq source (missing, unreadable, not UTF-8); one line.
    Bad input, not a checker failure: not a `RocqError`."""


def read_source(path: Path) -> str:
    """The file's text exactly as its bytes decode (no newline translation: a document must
    render back to the same bytes, and the frozen check of `prove` compares them)."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start})") from None


class Item(BaseModel):
    """One unit of a development."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: ItemKind
    leading: str = ""
    """Blanks and comments between the previous item and this one."""
    text: str
    """From the item's first sentence to its last, inclusive, with any gaps inside."""
    readonly: bool = False
    """Part of the spec: agents may not edit it."""
    complete: bool = True
    """False for a trailing fragment with no terminating `.`."""

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences of `text`, offsets relative to `text`."""
        if not self.complete:
            return [Sentence(text=self.text, start=0, end=len(self.text))]
        sentences, _ = split_with_tail(self.text)
        return sentences

    @property
    def is_hole(self) -> bool:
        last = self.sentences[-1].text if self.sentences else ""
        return self.has_proof and _keyword(last) in ("Admitted", "Abort")

    @property
    def has_proof(self) -> bool:
        return len(self.sentences) > 1 and _keyword(self.sentences[-1].text) in _PROOF_CLOSERS

    @property
    def statement(self) -> str:
        return self.sentences[0].text if self.sentences else self.text


class Document(BaseModel):
    """Ordered items plus the text after the last one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: list[Item]
    trailing: str = ""

    @classmethod
    def from_source(cls, source: str, readonly_imports: bool = False) -> "Document":
        sentences, tail = split_with_tail(source)
        items = _group(source, sentences, readonly_imports)
        end = sentences[-1].end if sentences else 0
        if tail is not None:
            items.append(
                Item(
                    name=f"incomplete@{len(items)}",
                    kind=ItemKind.OTHER,
                    leading=source[end: tail.start],
                    text=tail.text,
                    complete=False,
                )
            )
            end = tail.end
        return cls(items=items, trailing=source[end:])

    def render(self) -> str:
        return "".join(i.leading + i.text for i in self.items) + self.trailing

    def item_offsets(self) -> list[int]:
        """Character offset in `render()` at which each item's `text` starts."""
        offsets, pos = [], 0
        for item in self.items:
            pos += len(item.leading)
            offsets.append(pos)
            pos += len(item.text)
        return offsets

    def replace(self, index: int, text: str) -> "Document":
        """A new document with item `index` re-parsed from `text` (may become several items)."""
        old = self.items[index]
        new_items = Document.from_source(text).items
        if new_items:
            new_items[0] = new_items[0].model_copy(update={"leading": old.leading + new_items[0].leading})
        items = self.items[:index] + new_items + self.items[index + 1:]
        return self._reparsed(Document(items=items, trailing=self.trailing))

    def _reparsed(self, edited: "Document") -> "Document":
        """Re-group the edited source so names are qualified by their enclosing modules;
        items keep their read-only marks (matched by text)."""
        readonly = {it.text for it in self.items if it.readonly}
        fresh = Document.from_source(edited.render())
        items = [it.model_copy(update={"readonly": True}) if it.text in readonly else it for it in fresh.items]
        return Document(items=items, trailing=fresh.trailing)

    def insert(self, index: int, text: str, leading: str = "\n") -> "Document":
        """A new document with the items parsed from `text` inserted before item `index`."""
        new_items = Document.from_source(text).items
        if new_items:
            new_items[0] = new_items[0].model_copy(update={"leading": leading + new_items[0].leading.lstrip("\n")})
        return self._reparsed(Document(items=self.items[:index] + new_items + self.items[index:], trailing=self.trailing))

    def index_of(self, name: str) -> int | None:
        """Index of the item called `name` (qualified, or the unique short name)."""
        exact = [i for i, it in enumerate(self.items) if it.name == name]
        if exact:
            return exact[0]
        short = [i for i, it in enumerate(self.items) if it.name.rsplit(".", 1)[-1] == name]
        return short[0] if len(short) == 1 else None

    def span(self, start: int, end: int) -> Span:
        """A `Span` for a character range of `render()`."""
        return span_of(self.render(), start, end)


def span_of(source: str, start: int, end: int) -> Span:
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    return Span(start=start, end=end, line=line, column=column)


def _body(sentence: str) -> str:
    """The command without its control prefixes, attributes and comments."""
    return parse(sentence).body


def _keyword(sentence: str) -> str:
    return parse(sentence).keyword


def _declared_name(sentence: str) -> str | None:
    return parse(sentence).name


def _kind(keyword: str) -> ItemKind:
    if keyword in _THEOREM:
        return ItemKind.LEMMA
    if keyword in _DEFINITION:
        return ItemKind.DEFINITION
    if keyword in _IMPORT:
        return ItemKind.IMPORT
    if keyword in _MODULE:
        return ItemKind.MODULE
    return ItemKind.OTHER


def _opens_proof(sentences: list[Sentence], i: int) -> bool:
    kw = _keyword(sentences[i].text)
    if kw in _THEOREM or _OBLIGATION.match(_body(sentences[i].text)):
        return True
    if kw in _INTERACTIVE and ":=" not in parse(sentences[i].text).code:
        return True  # `Definition x : T.`, `Instance i : C.`: the body is given by tactics
    nxt = sentences[i + 1].text if i + 1 < len(sentences) else ""
    return _keyword(nxt) == "Proof" and kw != "Proof"


def _group(source: str, sentences: list[Sentence], readonly_imports: bool) -> list[Item]:
    items: list[Item] = []
    path: list[tuple[str, bool]] = []  # open (name, is_module) scopes, for qualified names
    prev_end = 0
    i = 0
    while i < len(sentences):
        first = sentences[i]
        kw = _keyword(first.text)
        last = i
        if _opens_proof(sentences, i):
            # The proof runs to its closer, or to the end of the file if it has none.
            last = i + 1
            while last < len(sentences) and _keyword(sentences[last].text) not in _PROOF_CLOSERS \
                    and not _PROOF_TERM.match(_body(sentences[last].text)):
                last += 1
            last = min(last, len(sentences) - 1)
        kind = _kind(kw)
        if _OBLIGATION.match(_body(first.text)):
            kind = ItemKind.LEMMA
        name = _declared_name(first.text) if kind is not ItemKind.OTHER else None
        if kind is ItemKind.MODULE:
            name = _module_event(first.text, kw, path)
        elif name is None:
            name = f"{kw or 'item'}@{len(items)}"
        modules = [n for n, is_module in path if is_module]
        if kind in (ItemKind.LEMMA, ItemKind.DEFINITION) and modules and name:
            name = ".".join(modules + [name])
        items.append(
            Item(
                name=name,
                kind=kind,
                leading=source[prev_end: first.start],
                text=source[first.start: sentences[last].end],
                readonly=readonly_imports and kind is ItemKind.IMPORT,
            )
        )
        prev_end = sentences[last].end
        i = last + 1
    return items


def _module_event(text: str, keyword: str, path: list[tuple[str, bool]]) -> str:
    """Track `Module`/`Section`/`End` nesting; return the item's name.

    Only modules qualify names: a section's contents keep their short names."""
    command = parse(text)
    if command.scope == "end":
        name = command.name or "End"
        if path:
            path.pop()
        return f"End {name}"
    name = command.name or keyword
    # `Module X := M.` and `Declare Module X : T.` define without opening a scope.
    if command.scope is not None:
        path.append((name, command.scope != "section"))
    return name
