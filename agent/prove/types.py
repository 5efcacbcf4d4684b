"""Boundary types of `idsynth prove`: what was asked, what happened to each hole, the report.

`idsynth prove` works on a user's own development. Its contract, which these types carry:
the implementation is frozen (only the proofs of `Admitted` lemmas change, plus helper
lemmas and imports it adds, each listed), every claim is re-checked from scratch, and a
lemma whose new proof leans on a lemma that is still a hole is closed only *conditionally*.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProveOptions(_Model):
    """One `idsynth prove` request (the CLI's flags, typed)."""

    file: Path
    load_paths: list[tuple[str, str]] = Field(default_factory=list)
    """`-Q DIR NAME` pairs, DIR absolute."""
    only: list[str] = Field(default_factory=list)
    """Work on these holes only (short or module-qualified names); empty: every hole."""
    hole_seconds: float = Field(default=60.0, gt=0)
    """Wall clock per hole, the policy's search and every grade included."""
    budget_seconds: float = Field(default=3600.0, gt=0)
    """Wall clock for the whole file; holes not reached are reported `skipped`."""
    moves_per_hole: int = Field(default=12, gt=0)
    """Moves (applied, refused or rejected) per hole."""
    sentence_timeout: float = Field(default=30.0, gt=0)
    output: Path | None = None
    """Where the new file goes; None with `in_place` False: `<file>.proved.v` beside it."""
    in_place: bool = False
    """Overwrite `file` (a backup `<file>.orig` is kept)."""


HoleStatus = Literal["closed", "conditional", "open", "skipped"]


class HoleOutcome(_Model):
    """What happened to one hole."""

    name: str
    """As the document names it: short, or qualified by the enclosing modules (`M.lemma`)."""
    status: HoleStatus
    """closed: proved, and `Print Assumptions` shows no hole of the file behind it;
    conditional: proved from lemmas that are still holes (`conditional_on`); open: not
    proved (the input's text is kept); skipped: not attempted (`--only`, or no budget left)."""
    strategy: str = ""
    """How: the portfolio entry (`lia`, `induction l; ...`, `sauto`), `decompose: ...`, or
    the policy's own words for an LLM or scripted proof."""
    seconds: float = 0.0
    moves: int = 0
    helpers: list[str] = Field(default_factory=list)
    """Helper lemmas added for it (inserted just before it, each proved)."""
    conditional_on: list[str] = Field(default_factory=list)
    axioms: list[str] = Field(default_factory=list)
    """Axioms of the user's own file (not holes) its proof relies on, as printed."""
    reason: str = ""
    """For open holes: why (the last checker error, or the policy had nothing)."""


class ProveReport(_Model):
    """The result of one `idsynth prove` run."""

    file: str
    output: str | None
    """The file written (None when nothing changed or nothing could be written)."""
    backup: str | None = None
    run_dir: str
    policy: str
    holes: list[HoleOutcome]
    added_imports: list[str] = Field(default_factory=list)
    frozen_ok: bool
    """Every sentence outside the holes (and outside what was added) is byte-for-byte the input's."""
    frozen_problems: list[str] = Field(default_factory=list)
    recheck_ok: bool
    """`coqc` of the output file from scratch."""
    recheck_message: str = ""
    seconds: float

    def count(self, status: HoleStatus) -> int:
        return sum(1 for h in self.holes if h.status == status)

    @property
    def all_closed(self) -> bool:
        """Every hole that was asked for is closed unconditionally."""
        return all(h.status == "closed" for h in self.holes if h.status != "skipped") and \
            not any(h.status == "skipped" for h in self.holes if h.reason != "not selected (--only)")
