"""Extraction name capture: solution modules that would shadow the OCaml the extractor calls.

Extraction does not rename a module of the solution whose name the extracted code uses for
something else: a solution's `Module Obj` becomes `module Obj = struct ... end` in
`impl.ml`, and every `Obj.magic` the extractor inserts afterwards calls the solution's
`magic` (issue #19: the proofs are genuine, the shipped binary is not). The same holds for
the primitive-type modules the extraction libraries name (`Uint63.add`, `Float64.of_float`)
and for any OCaml standard library module (`Stdlib`, `List`, `Array`, ...): OCaml resolves
`M.x` to the innermost `M` in scope, so a module of the solution wins at any depth, and so
does a functor parameter.

So the audit rejects such names twice, with the same list:
* in the solution's text (`bound_module_names`: every `Module X`, `Declare Module X`, and
  functor parameter `(X : T)` outside module types), and
* in extracted OCaml (`ml_captures`): a `module X` or functor parameter `X` defined in the
  `.ml` whose name the list reserves.

`reserved_module_names()` is derived, not typed in: the OCaml standard library's modules
(`stdlib__X.cmi` in `ocamlfind ocamlc -where`, plus `Stdlib` itself), every module named
inside a string of Rocq's OCaml extraction libraries (`theories/extraction/ExtrO*.v`: the
code those libraries splice in), and the modules the extractor's own output refers to
(`Obj` for casts and `__`, `Lazy` for coinductives, `Uint63`/`Float64`/`Parray` for
primitive types), which are kept as a floor in case a tool cannot be asked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from idsynth.rocq.lexer import Kind, marks, tokenize
from idsynth.rocq.syntax import Command

__all__ = ["reserved_module_names", "bound_module_names", "ml_captures", "EXTRACTOR_MODULES"]

EXTRACTOR_MODULES = frozenset({"Obj", "Lazy", "Stdlib", "Pervasives", "Uint63", "Float64", "Parray"})
"""Modules the OCaml the extractor itself writes may name (Coq 8.16 `plugins/extraction/ocaml.ml`)."""

_QUALIFIED = re.compile(r"(?<![\w'.])([A-Z][\w']*)\.(?=[\w(])")
_ML_MODULE = re.compile(r"\bmodule\s+(?:rec\s+)?(?!type\b)(?P<name>[A-Z][\w']*)")
_ML_FUNCTOR = re.compile(r"\bfunctor\s*\(\s*(?P<name>[A-Z][\w']*)\s*:")


@lru_cache(maxsize=1)
def reserved_module_names() -> frozenset[str]:
    """OCaml module names no module of a solution may take (see the module docstring)."""
    return frozenset(EXTRACTOR_MODULES | _stdlib_modules() | _extraction_library_modules())


def _stdlib_modules() -> set[str]:
    where = _ask(["ocamlfind", "ocamlc", "-where"]) or _ask(["ocamlc", "-where"])
    if where is None:
        return set()
    names = {"Stdlib", "Std_exit"}
    for cmi in Path(where).glob("*.cmi"):
        stem = cmi.stem
        if stem.startswith("stdlib__"):
            stem = stem[len("stdlib__"):]
        if stem[:1].isalpha() and "__" not in stem:
            names.add(stem[0].upper() + stem[1:])
    return names


def _extraction_library_modules() -> set[str]:
    where = _ask(["coqc", "-where"])
    if where is None:
        return set()
    names: set[str] = set()
    for path in sorted((Path(where) / "theories" / "extraction").glob("ExtrO*.v")):
        source = path.read_text(encoding="utf-8")
        for token in marks(source):
            if token.kind is Kind.STRING:
                names.update(_QUALIFIED.findall(token.text(source)))
    return names


def _ask(command: list[str]) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def bound_module_names(command: Command) -> list[str]:
    """The OCaml module names a Rocq command binds once extracted: `Module X`,
    `Declare Module X`, and the parameters of a functor `Module F (X : T) (Y Z : U)`.
    Extraction capitalises, so `Module obj` is OCaml's `Obj` too. Module types bind none."""
    code = command.code
    tokens = [t.text(code) for t in tokenize(code) if t.kind is not Kind.BLANK]
    i = 1 if tokens[:1] == ["Declare"] else 0
    if tokens[i:i + 1] != ["Module"] or tokens[i + 1:i + 2] == ["Type"]:
        return []
    i += 1
    while i < len(tokens) and tokens[i] in ("Import", "Export"):
        i += 1
    if i >= len(tokens):
        return []
    names = [tokens[i]]
    i += 1
    while i < len(tokens) and tokens[i] == "(":  # functor parameters `(X Y : T)`
        depth, j = 0, i
        group: list[str] = []
        while j < len(tokens):
            depth += tokens[j].count("(") - tokens[j].count(")")  # `))` lexes as one symbol
            group.append(tokens[j])
            j += 1
            if depth == 0:
                break
        colon = group.index(":") if ":" in group else len(group)
        names += [w for w in group[1:colon] if w not in ("Import", "Export", "(")]
        i = j
    return [n[0].upper() + n[1:] for n in names if n[:1].isalpha() or n[:1] == "_"]


def ml_captures(ml_source: str) -> list[str]:
    """Reserved names that extracted OCaml binds as a module or functor parameter, in order:
    any of them makes a reference like `Obj.magic` resolve into the solution."""
    code = ml_source  # a reserved name in a comment or string only makes this stricter
    reserved = reserved_module_names()
    bound = [m.group("name") for m in _ML_MODULE.finditer(code)] + [m.group("name") for m in _ML_FUNCTOR.finditer(code)]
    seen: list[str] = []
    for name in bound:
        if name in reserved and name not in seen:
            seen.append(name)
    return seen
