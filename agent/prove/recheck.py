"""Re-checking `prove`'s output from scratch, and what each claimed proof rests on.

The output file is compiled by `coqc` alone (no session state carried over), under a
logical name of its own; then, in a fresh session that only `Require`s the compiled file,
`Print Assumptions` of every lemma `prove` claims. An assumption that is a lemma of the
file still `Admitted` makes the claim conditional on it; any other axiom is the user's own
and is reported, not hidden.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from idsynth.audit.assumptions import parse_print_assumptions
from idsynth.rocq import Session, SessionConfig
from idsynth.rocq.tools import compile_file
from idsynth.rocq.types import SentenceOk

_LIBRARY = "IdsynthProve"
_MODULE = "Output"


class Recheck(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool
    message: str = ""
    depends_on_holes: dict[str, list[str]] = Field(default_factory=dict)
    """Claimed lemma -> holes of the file its proof rests on."""
    axioms: dict[str, list[str]] = Field(default_factory=dict)
    """Claimed lemma -> other assumptions (the user's axioms and parameters)."""
    unchecked: list[str] = Field(default_factory=list)
    """Claimed lemmas whose `Print Assumptions` failed (reported, never counted closed)."""


def _matches(printed: str, hole: str) -> bool:
    name = printed.removeprefix(f"{_LIBRARY}.{_MODULE}.")
    return name == hole or name.rsplit(".", 1)[-1] == hole.rsplit(".", 1)[-1]


def recheck(source: str, load_paths: list[tuple[str, str]], claimed: list[str], holes: list[str], *,
            timeout: float = 900) -> Recheck:
    """Compile `source` from scratch and classify what each `claimed` lemma rests on."""
    work = Path(tempfile.mkdtemp(prefix="idsynth-prove-"))
    try:
        path = work / f"{_MODULE}.v"
        path.write_text(source, encoding="utf-8")
        paths = list(load_paths) + [(str(work), _LIBRARY)]
        compiled = compile_file(path, paths, timeout=timeout)
        if not compiled.ok:
            where = f"line {compiled.line}: " if compiled.line else ""
            return Recheck(ok=False, message=f"coqc rejects the output: {where}{compiled.message}"[:2000])
        depends: dict[str, list[str]] = {}
        axioms: dict[str, list[str]] = {}
        unchecked: list[str] = []
        with Session(SessionConfig(load_paths=paths, sentence_timeout=120.0, cwd=str(work))) as session:
            for sentence in (f"Require {_LIBRARY}.{_MODULE}.", "Set Printing Width 10000."):
                if not isinstance(session.add(sentence), SentenceOk):
                    return Recheck(ok=False, message=f"cannot load the compiled output ({sentence})")
            for name in claimed:
                r = session.query(f"Print Assumptions {_LIBRARY}.{_MODULE}.{name}.")
                if not isinstance(r, SentenceOk):
                    unchecked.append(name)
                    continue
                found = parse_print_assumptions("\n".join(r.messages)) or []
                on = [h for h in holes if h != name and any(_matches(a.name, h) for a in found)]
                other = [a.text for a in found if not any(_matches(a.name, h) for h in holes)]
                if on:
                    depends[name] = on
                if other:
                    axioms[name] = other
        return Recheck(ok=True, depends_on_holes=depends, axioms=axioms, unchecked=unchecked)
    finally:
        shutil.rmtree(work, ignore_errors=True)
