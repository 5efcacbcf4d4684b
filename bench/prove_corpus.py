"""Hole corpora for `idsynth prove`: standard-library files with their `Qed` proofs admitted.

`build_stdlib_corpus(dest, sources)` copies named files of the *installed* standard
library (never committed: they are rebuilt at test/bench time) into `dest`, bound to a
fresh logical namespace (`coqc -Q dest Corpus`), with every `Qed`-closed proof replaced
by `Admitted.`: the statement sentence is kept byte for byte, and so is a `Proof using
...` sentence (it decides which section variables the lemma abstracts over, which later
items depend on). `Defined` proofs are kept: they compute. Everything between proofs is
kept as is. Each file's own `Require`s still load the ORIGINAL modules of the *other*
stdlib files they name (with `-Q`, short names never resolve into `dest`).

Contamination. A hole is only a fair test if its original proof is not in scope. The
prover may add imports (`PROVER_IMPORTS`); `Print Libraries` shows what they load, and
in Coq 8.16 that is a lot: `From Coq Require Import Lia.` alone loads ~190 modules,
including Coq.Lists.List, all of Arith (Between, EqNat, Le, Gt, Max, ...), Bool.Bool and
most of ZArith (Zabs, Zmin, Zmax, Zeven, Zdiv, Znumtheory, ...); CoqHammer's `Tactics`
adds ssreflect, Program.Equality and Logic.JMeq/Eqdep. `CorpusFile.contaminated_by` lists
the import sentences (the file's own or the prover's) under which the file's original
module is loaded; `DEFAULT_STDLIB` holds only files for which it is empty. Module-level
only: a loaded module may still state an equivalent lemma under another name (e.g.
`Nat.div2_double` in PeanoNat for Arith/Div2's `div2_double`), which this check cannot see.

Use: `bench/` is not a package; put it on `sys.path` and `import prove_corpus` (the
tests do so), or run `.venv/bin/python bench/prove_corpus.py DEST [FILE.v ...]` to
build, compile and summarise a corpus.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from idsynth.rocq.document import Document, Item
from idsynth.rocq.splitter import split_sentences
from idsynth.rocq.types import ItemKind

__all__ = [
    "DEFAULT_STDLIB", "PROVER_IMPORTS", "CompileResult", "CorpusFile", "Hole", "admit_proofs", "build_stdlib_corpus",
    "compile_corpus_file", "loaded_modules", "qed_proofs", "QedProof", "sample_holes", "stdlib_theories",
]

PROVER_IMPORTS: tuple[str, ...] = (
    "From Coq Require Import Arith Lia List.",
    "From Hammer Require Import Tactics.",
    "From Hammer Require Import Hammer.",
)
"""The imports `agent/auto/prover.py` may add to a document (`_imports_for`, `_hammer`)."""

DEFAULT_STDLIB: tuple[str, ...] = (
    "Lists/ListSet.v",     # 40 holes: set operations on lists, a section over a decidable type
    "Bool/BoolOrder.v",    # 15: the order on bool, inside a module implementing an interface
    "Sorting/Sorted.v",    #  8: Sorted/LocallySorted/StronglySorted on lists
    "Arith/Div2.v",        #  7: div2 and double on nat
    "Arith/Cantor.v",      #  7: the Cantor pairing of nat
    "ZArith/Zpow_alt.v",   #  7: an alternative Z power by binary exponent
    "Lists/ListDec.v",     #  7: decidability of list predicates (`Proof using` kept)
    "Bool/IfProp.v",       #  6: IfProp on bool
    "Bool/Zerob.v",        #  4: zerob on nat
)
"""101 holes, none contaminated by `PROVER_IMPORTS`; each admitted copy compiles in under a second."""

_QED = re.compile(r"^Qed\s*\.$")
_PROOF_USING = re.compile(r"^Proof\s+using\b")
_KEYWORD = re.compile(r"^(?:#\[[^\]]*\]\s*)*(?:(?:Local|Global|Program)\s+)*(\S*)")
_CLOSER = re.compile(r"^(?:Qed|Defined|Admitted|Abort|Save)\b")
_PROOF_TERM = re.compile(r"^Proof\s+(?!using\b|with\b)\S")
_REQUIRE = re.compile(r"\bRequire\b")
_MODULE_NAME = re.compile(r"^\s+([A-Za-z_][\w']*(?:\.[A-Za-z_][\w']*)+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Hole:
    """One `Qed`-closed proof of a stdlib file, admitted in the corpus copy."""

    name: str
    """The declared name, qualified by enclosing modules as `Document` qualifies it."""
    statement: str
    """The statement sentence, identical in the original and the copy."""
    line: int
    """1-based line of the statement in the corpus copy."""


@dataclass(frozen=True)
class CorpusFile:
    """A stdlib file copied into the corpus with its `Qed` proofs admitted."""

    source: str
    """The file's path under the stdlib `theories/` folder, e.g. `Lists/ListSet.v`."""
    original: Path
    """The installed file it was copied from."""
    original_module: str
    """The original's logical name, e.g. `Coq.Lists.ListSet`."""
    path: Path
    """The corpus copy."""
    logical_name: str
    """The copy's logical name, e.g. `Corpus.Lists.ListSet`."""
    holes: list[Hole]
    coqc_command: list[str]
    """Compiles the copy (from any working directory)."""
    own_imports: list[str] = field(default_factory=list)
    """The file's `Require` sentences."""
    contaminated_by: list[str] = field(default_factory=list)
    """Import sentences (own or prover's) under which `original_module` is loaded."""

    @property
    def hole_names(self) -> list[str]:
        return [h.name for h in self.holes]


def stdlib_theories() -> Path:
    """The installed standard library's `theories/` folder."""
    out = subprocess.run(["coqc", "-where"], capture_output=True, text=True, check=True, timeout=60)
    return Path(out.stdout.strip()) / "theories"


@dataclass(frozen=True)
class QedProof:
    """Where a `Qed`-closed proof sits in a source (character offsets)."""

    name: str
    statement: str
    start: int
    """Start of the statement sentence."""
    body_start: int
    """End of the statement sentence, or of a `Proof using ...` sentence right after it."""
    end: int
    """End of the `Qed.` sentence."""
    keyword: str
    """The statement's command, e.g. `Lemma`, `Instance`, `Let` (attributes and `Local` skipped)."""


def _opener(sentence: str) -> Item | None:
    """The item `sentence` alone parses to, if it can start a proof; None for tactics."""
    items = Document.from_source(sentence).items
    return items[0] if items and items[0].kind in (ItemKind.LEMMA, ItemKind.DEFINITION) else None


def _ends_elsewhere(sentence: str) -> bool:
    """A sentence that cannot be inside the proof being walked back through: a command
    that is no statement (imports, modules), or `Proof term.`, a proof that is complete."""
    items = Document.from_source(sentence).items
    if items and items[0].kind in (ItemKind.IMPORT, ItemKind.MODULE):
        return True
    return bool(_PROOF_TERM.match(sentence))


def qed_proofs(source: str) -> list[QedProof]:
    """Every proof of `source` that ends in `Qed.`, with its statement.

    Cut at the sentence level, from each `Qed.` back to the nearest statement, rather than
    taken from `Document` items: a `Program Instance x : C.` opens an item that runs through
    its first obligation, while here each `Next Obligation. ... Qed.` is a proof of its own
    (checked on the installed library: the two readings differ in 17 of 562 files, on
    obligations and a few `Definition`s with tactic bodies). Names are qualified by
    enclosing modules as the `Document` item holding the statement is."""
    sentences = split_sentences(source)
    doc = Document.from_source(source)
    items = list(zip(doc.item_offsets(), doc.items))
    proofs: list[QedProof] = []
    for j, qed in enumerate(sentences):
        if not _QED.match(qed.text):
            continue
        opener = None
        for k in range(j - 1, -1, -1):
            text = sentences[k].text
            if _CLOSER.match(text) or _ends_elsewhere(text):
                break
            opener = _opener(text)
            if opener is not None:
                break
        if opener is None:
            continue  # a `Qed` with no statement we can see: left as it is
        stmt = sentences[k]
        body_end = stmt.end
        if k + 1 < j and _PROOF_USING.match(sentences[k + 1].text):
            body_end = sentences[k + 1].end
        proofs.append(QedProof(name=_qualified(items, stmt.start, opener.name), statement=stmt.text,
                               start=stmt.start, body_start=body_end, end=qed.end,
                               keyword=_KEYWORD.match(stmt.text).group(1)))
    return proofs


def _qualified(items: list[tuple[int, Item]], start: int, name: str) -> str:
    """`name` qualified by the modules enclosing the `Document` item around `start`."""
    holder = max((it for it in items if it[0] <= start), key=lambda it: it[0], default=None)
    if holder is None:
        return name
    offset, item = holder
    if offset == start:
        return item.name
    return item.name[: item.name.rfind(".") + 1] + name if item.kind in (ItemKind.LEMMA, ItemKind.DEFINITION) else name


def admit_proofs(source: str) -> tuple[str, list[Hole]]:
    """`source` with the body of every `Qed`-closed proof replaced by `Proof. Admitted.`
    (the statement kept; a `Proof using` sentence kept instead of `Proof.`), and the holes
    made. `Proof.` is always there so that `Document` sees a hole even after statements
    it does not know open a proof (`Instance x : T.`).

    Kept as they are: `Let` proofs (an admitted `Let` outlives its section as an axiom and
    clashes with later names) and the setoid commands `Add Morphism` & co., which are not
    statements. Proofs in sections without `Proof using` may discharge differently once
    admitted (Coq then abstracts the section variables the statement needs, not those the
    proof used): a few such files (FSets/MSets functors) no longer compile; the default
    selection is checked to compile."""
    proofs = [p for p in qed_proofs(source) if p.keyword != "Let"]
    parts: list[str] = []
    holes: list[Hole] = []
    pos = 0
    shift = 0  # lines removed so far
    for proof in proofs:
        parts.append(source[pos: proof.body_start])
        parts.append("\nAdmitted." if proof.body_start > proof.start + len(proof.statement) else "\nProof.\nAdmitted.")
        line = source.count("\n", 0, proof.start) + 1 - shift
        holes.append(Hole(name=proof.name, statement=proof.statement, line=line))
        shift += source.count("\n", proof.body_start, proof.end) - parts[-1].count("\n")
        pos = proof.end
    parts.append(source[pos:])
    return "".join(parts), holes


def _print_libraries(imports: Sequence[str], timeout: float) -> frozenset[str]:
    with tempfile.TemporaryDirectory(prefix="prove_corpus_") as scratch:
        probe = Path(scratch) / "libraries_probe.v"
        probe.write_text("\n".join([*imports, "Print Libraries."]) + "\n", encoding="utf-8")
        try:
            out = subprocess.run(["coqc", probe.name], cwd=scratch, capture_output=True, text=True,
                                 timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"coqc took over {timeout}s to load {list(imports)}") from exc
    if out.returncode != 0:
        raise RuntimeError(f"coqc cannot load {list(imports)}: {(out.stdout + out.stderr)[-500:]}")
    return frozenset(_MODULE_NAME.findall(out.stdout))


@lru_cache(maxsize=None)
def _loaded_by(import_sentence: str) -> frozenset[str]:
    return _print_libraries([import_sentence], timeout=120)


def loaded_modules(imports: Sequence[str]) -> frozenset[str]:
    """Logical names of the libraries loaded after `imports` (plus the prelude), by coqc's
    `Print Libraries`. Each sentence's answer is cached for the process."""
    loaded: set[str] = set()
    for sentence in imports:
        loaded |= _loaded_by(sentence)
    return frozenset(loaded)


def _logical(relpath: str, root: str) -> str:
    return ".".join([root, *Path(relpath).with_suffix("").parts])


def build_stdlib_corpus(dest: Path, sources: Sequence[str] = DEFAULT_STDLIB, namespace: str = "Corpus",
                        prover_imports: Sequence[str] = PROVER_IMPORTS,
                        check_contamination: bool = True) -> list[CorpusFile]:
    """Copy `sources` (paths under the stdlib `theories/`) into `dest` with `Qed` proofs
    admitted; see the module docstring. Does not compile them: `compile_corpus_file`.

    Contamination is measured with one `coqc` per distinct import sentence (cached), so
    the first call costs a few seconds; `check_contamination=False` skips it."""
    theories = stdlib_theories()
    dest = Path(dest).resolve()
    files: list[CorpusFile] = []
    for relpath in sources:
        original = theories / relpath
        if not original.is_file():
            raise FileNotFoundError(f"no stdlib file {relpath} under {theories}")
        text, holes = admit_proofs(original.read_text(encoding="utf-8"))
        copy = dest / relpath
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        module = _logical(relpath, "Coq")
        doc = Document.from_source(text)
        own = [it.text for it in doc.items if it.kind is ItemKind.IMPORT and _REQUIRE.search(it.text)]
        contaminated: list[str] = []
        if check_contamination:
            contaminated = [s for s in [*own, *prover_imports] if module in loaded_modules([s])]
        files.append(CorpusFile(
            source=relpath, original=original, original_module=module, path=copy,
            logical_name=_logical(relpath, namespace), holes=holes,
            coqc_command=["coqc", "-Q", str(dest), namespace, str(copy)],
            own_imports=own, contaminated_by=contaminated,
        ))
    return files


@dataclass(frozen=True)
class CompileResult:
    """What `coqc` made of a corpus file; a timeout is `ok=False`, not an exception."""

    ok: bool
    seconds: float
    output: str


def compile_corpus_file(corpus_file: CorpusFile, timeout: float = 300) -> CompileResult:
    """Run the file's `coqc_command`; a timeout is reported as a failure, not raised."""
    started = time.monotonic()
    try:
        out = subprocess.run(corpus_file.coqc_command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return CompileResult(ok=False, seconds=time.monotonic() - started, output=f"timeout after {timeout}s")
    return CompileResult(ok=out.returncode == 0, seconds=round(time.monotonic() - started, 2),
                         output=out.stdout + out.stderr)


def sample_holes(files: Sequence[CorpusFile], n: int, seed: int = 0) -> list[tuple[CorpusFile, Hole]]:
    """`n` holes drawn without replacement, deterministically for a given `seed` and corpus
    (independent of the order of `files`), returned in corpus order (file, then position)."""
    pool = sorted(((f, h) for f in files for h in f.holes), key=lambda fh: (fh[0].source, fh[1].line))
    if n >= len(pool):
        return pool
    chosen = random.Random(seed).sample(range(len(pool)), n)
    return [pool[i] for i in sorted(chosen)]


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("sources", nargs="*", default=list(DEFAULT_STDLIB))
    parser.add_argument("--namespace", default="Corpus")
    args = parser.parse_args(argv)
    if args.dest.exists():
        shutil.rmtree(args.dest)
    files = build_stdlib_corpus(args.dest, args.sources, args.namespace)
    failures = 0
    for f in files:
        result = compile_corpus_file(f)
        failures += not result.ok
        print(f"{f.source:28} holes={len(f.holes):3} compiles={result.ok!s:5} {result.seconds:6.1f}s"
              f" contaminated_by={f.contaminated_by}")
        if not result.ok:
            print(result.output[-800:])
    print(f"total holes: {sum(len(f.holes) for f in files)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(_main())
