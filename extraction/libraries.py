"""What each standard Rocq extraction library needs from OCaml, and whether it is sound.

A manifest's `[extraction] libraries` lists the libraries idsynth may `Require` when it
extracts; this table says how to compile the result. Machine-integer mappings of unary or
binary numbers (`ExtrOcamlNatInt`, `ExtrOcamlZInt`, `ExtrOcamlIntConv`) are unsound (they
overflow silently): allowed only when the manifest lists them, and always reported.

`ExtrOCamlInt63` maps Rocq's primitive integers to the `Uint63` module of Coq's kernel
(`coq-core.kernel`). Debian builds that library with `-opaque`, so linking against it makes
every `Uint63.lt` an unknown function call. We instead compile the kernel's own installed
source (`uint63.ml`/`.mli`, the same file Coq's kernel and VM run) next to the extracted
code, so that its `[@inline]` comparisons are inlined, and link the C stub library of
`coq-core.vm` that the source declares (`coq_uint63_to_float`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OcamlNeeds:
    packages: tuple[str, ...] = ()
    """ocamlfind packages to link."""
    sources: tuple[tuple[str, str], ...] = ()
    """(ocamlfind package, file) sources compiled into the program, in order."""
    flags: tuple[str, ...] = ()
    unsound: bool = False
    note: str = ""


LIBRARIES: dict[str, OcamlNeeds] = {
    "ExtrOcamlBasic": OcamlNeeds(),
    "ExtrOcamlString": OcamlNeeds(),
    "ExtrOcamlNativeString": OcamlNeeds(),
    "ExtrOcamlChar": OcamlNeeds(),
    "ExtrOcamlNatInt": OcamlNeeds(unsound=True, note="nat as OCaml int: arithmetic overflows silently"),
    "ExtrOcamlZInt": OcamlNeeds(unsound=True, note="Z/positive/N as OCaml int: arithmetic overflows silently"),
    "ExtrOcamlIntConv": OcamlNeeds(unsound=True, note="conversions to OCaml int overflow silently"),
    "ExtrOcamlNatBigInt": OcamlNeeds(packages=("zarith",)),
    "ExtrOcamlZBigInt": OcamlNeeds(packages=("zarith",)),
    "ExtrOCamlInt63": OcamlNeeds(
        packages=("coq-core.vm",),
        sources=(("coq-core.kernel", "uint63.mli"), ("coq-core.kernel", "uint63.ml")),
        note="primitive integers: Coq's kernel Uint63, compiled from its installed source"),
    "ExtrOCamlFloats": OcamlNeeds(packages=("coq-core.kernel",), flags=("-rectypes", "-thread"),
                                  note="primitive floats: Coq's kernel Float64"),
    "ExtrOCamlPArray": OcamlNeeds(packages=("coq-core.kernel",), flags=("-rectypes", "-thread"),
                                  note="primitive arrays: Coq's kernel Parray"),
}


@dataclass
class BuildNeeds:
    packages: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unsound: list[str] = field(default_factory=list)


def needs_for(libraries: list[str], table: dict[str, OcamlNeeds] | None = None) -> BuildNeeds:
    """The union of the OCaml needs of these extraction libraries, in order, without repeats.
    A library missing from the table is returned in `unknown` (built with no extra package:
    if it needs one, the compiler says which module is unbound)."""
    table = LIBRARIES if table is None else table
    out = BuildNeeds()
    for lib in libraries:
        needs = table.get(lib)
        if needs is None:
            out.unknown.append(lib)
            continue
        if needs.unsound:
            out.unsound.append(lib)
        for p in needs.packages:
            if p not in out.packages:
                out.packages.append(p)
        for s in needs.sources:
            if s not in out.sources:
                out.sources.append(s)
        for f in needs.flags:
            if f not in out.flags:
                out.flags.append(f)
    return out


def is_unsound(library: str) -> bool:
    needs = LIBRARIES.get(library)
    return bool(needs and needs.unsound)
