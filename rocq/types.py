"""Boundary types of the `rocq` package.

Everything that leaves `idsynth.rocq` is one of these pydantic models: sentences, proof
states, the result of one sentence, documents' items and the grader's verdict. Nothing
here mentions processes or pipes, and nothing mentions agents.

Offsets are *character* offsets into the Python string of the source (coqtop's UTF-8
byte offsets are converted at the session boundary). Lines and columns are 1-based.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Sentence(_Frozen):
    """One Rocq sentence: `source[start:end] == text`.

    `text` runs from the first character of the sentence proper (after blanks and
    comments) to its terminator inclusive: the final `.` of a command or tactic, or the
    bullet/brace itself for `-`, `+`, `*`, `{`, `}` and `N: {`.
    """

    text: str
    start: int
    end: int

    @property
    def is_bullet_or_brace(self) -> bool:
        return not self.text.endswith(".")


class Span(_Frozen):
    """A range of characters in some source, with its 1-based line/column start."""

    start: int
    end: int
    line: int
    column: int


class Hypothesis(_Frozen):
    """One hypothesis of a goal. `names` has several entries for `a, b : nat`."""

    names: list[str]
    type: str
    body: str | None = None  # for let-bound hypotheses `x := body : type`


class Goal(_Frozen):
    """One goal. Rocq prints hypotheses only for the first focused goal."""

    id: int | None = None
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    conclusion: str
    hypotheses_shown: bool = True


class ProofState(_Frozen):
    """The goals after a sentence, while a proof is open."""

    goals: list[Goal] = Field(default_factory=list)
    unfocused: list[Goal] = Field(default_factory=list)
    shelved: int = 0
    given_up: int = 0

    @property
    def complete(self) -> bool:
        return not self.goals and not self.unfocused and self.shelved == 0


class SentenceOk(_Frozen):
    kind: Literal["ok"] = "ok"
    messages: list[str] = Field(default_factory=list)
    """What Rocq printed (infos, warnings, query output), goals excluded."""
    proof_state: ProofState | None = None
    """The goals after the sentence, or None when no proof is open."""


class SentenceError(_Frozen):
    kind: Literal["error"] = "error"
    message: str
    span: tuple[int, int] | None = None
    """Character range of the error inside the sentence's text, when Rocq gave one."""
    messages: list[str] = Field(default_factory=list)


class SentenceTimeout(_Frozen):
    kind: Literal["timeout"] = "timeout"
    seconds: float
    how: Literal["rocq", "interrupt", "killed"]
    """Which backstop stopped it: Rocq's own `Timeout`, SIGINT, or a kill and restart."""


SentenceResult = Annotated[
    SentenceOk | SentenceError | SentenceTimeout, Field(discriminator="kind")
]


def failure_text(result: SentenceOk | SentenceError | SentenceTimeout) -> str:
    """A sentence's error message on one line, or which backstop timed it out (for reports
    that quote why a query failed)."""
    return " ".join(getattr(result, "message", f"timed out ({getattr(result, 'how', '?')})").split())


class ItemKind(str, Enum):
    """What a document item is. Only `lemma` items can hold holes."""

    IMPORT = "import"
    DEFINITION = "definition"
    LEMMA = "lemma"
    MODULE = "module"
    OTHER = "other"


class ItemStatus(str, Enum):
    CHECKED = "checked"
    HOLE = "hole"
    FAILED = "failed"
    NOT_REACHED = "not_reached"


class Failure(_Frozen):
    """The first failure of a graded document: the rich feedback an agent reads."""

    item: str
    item_index: int
    sentence: str
    message: str
    location: Span
    timeout: bool = False
    proof_state_before: ProofState | None = None


class Hole(_Frozen):
    """An `Admitted` lemma: its name, statement and the goals where the proof stops."""

    item: str
    item_index: int
    statement: str
    proof_state: ProofState | None = None
    location: Span


class ItemVerdict(_Frozen):
    index: int
    name: str
    kind: ItemKind
    status: ItemStatus


class Verdict(_Frozen):
    """The grade of a whole document."""

    items: list[ItemVerdict]
    holes: list[Hole]
    first_failure: Failure | None = None
    sentences_checked: int = 0
    """How many sentences were (re-)sent to Rocq for this grade (incrementality)."""

    @property
    def closed(self) -> bool:
        """Every item checked, no hole and no failure."""
        return self.first_failure is None and not self.holes and all(
            i.status is ItemStatus.CHECKED for i in self.items
        )
