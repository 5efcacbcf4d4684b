"""Run transcripts: `runs/<run-id>/events.jsonl`, append-only, one typed event per line.

Each event is written, flushed and fsynced before the run goes on, so a run killed at any
point loses at most the event being written. A torn last line (no newline, or not JSON)
is detected on reading and dropped; `open_for_resume` also cuts it off the file so the
next event starts on a clean line. Every event carries `schema_version`, `run_id`, `seq`
and `time`; `seq` is contiguous from 0, so a lost or duplicated event is visible.

The transcript alone is enough to resume, replay, compare and report a run.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from idsynth.audit.types import AuditVerdict
from idsynth.rocq.types import Verdict

from .types import Budget, Design, Move, PostMortem, Proposal, Refutation, Usage

SCHEMA_VERSION = 1


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    run_id: str
    seq: int
    time: str


class RunStarted(_Event):
    type: Literal["run_started"] = "run_started"
    spec_name: str
    spec_dir: str
    spec_hash: str
    policy: str
    policy_kind: Literal["auto", "scripted", "llm"]
    feedback: Literal["rich", "binary"]
    budget: Budget
    config: dict[str, Any] = Field(default_factory=dict)
    tool_versions: dict[str, str] = Field(default_factory=dict)
    git_sha: str | None = None


class DesignChosen(_Event):
    type: Literal["design_chosen"] = "design_chosen"
    branch: int
    design: Design
    usage: Usage = Field(default_factory=Usage)
    policy_state: dict[str, Any] = Field(default_factory=dict)
    """The policy's own resumable state after answering (e.g. a script's cursor)."""


class MoveProposed(_Event):
    type: Literal["move_proposed"] = "move_proposed"
    branch: int
    version: int
    """The document version the move applies to."""
    move: Move | None
    note: str = ""
    usage: Usage = Field(default_factory=Usage)
    role: Literal["inner", "proposer"] = "inner"
    policy_state: dict[str, Any] = Field(default_factory=dict)
    """The policy's own resumable state after answering (e.g. a script's cursor)."""


class MoveRefused(_Event):
    type: Literal["move_refused"] = "move_refused"
    branch: int
    version: int
    reason: str


class VersionSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")
    holes: list[str]
    failure: str | None
    failure_timeout: bool = False
    statuses: list[str]


class MoveApplied(_Event):
    type: Literal["move_applied"] = "move_applied"
    branch: int
    version: int
    """The new document version."""
    document: str
    verdict: Verdict
    seconds: float


class MoveRejected(_Event):
    """Rocq rejected the document the move produced; the branch stays at `version`."""

    type: Literal["move_rejected"] = "move_rejected"
    branch: int
    version: int
    document: str
    verdict: Verdict
    seconds: float


class LLMCallEvent(_Event):
    type: Literal["llm_call"] = "llm_call"
    branch: int
    record: dict[str, Any]
    usage: Usage


class Stalled(_Event):
    type: Literal["stalled"] = "stalled"
    branch: int
    version: int
    moves_without_progress: int


class ProposalMade(_Event):
    type: Literal["proposal"] = "proposal"
    branch: int
    proposal: Proposal
    usage: Usage = Field(default_factory=Usage)
    policy_state: dict[str, Any] = Field(default_factory=dict)
    """The policy's own resumable state after answering (e.g. a script's cursor)."""


class Reloaded(_Event):
    type: Literal["reloaded"] = "reloaded"
    branch: int
    post_mortem: PostMortem


class AuditDone(_Event):
    type: Literal["audit"] = "audit"
    branch: int
    version: int
    verdict: AuditVerdict
    solution_path: str


class Benchmarked(_Event):
    """Extracted-code throughput of an audited solution, with baselines, in one run."""

    type: Literal["benchmark"] = "benchmark"
    branch: int
    version: int
    reports: list[dict[str, Any]] = Field(default_factory=list)
    """`idsynth.extraction.BenchReport`s as JSON (kept untyped here: extraction owns them)."""
    note: str = ""


class RunFinished(_Event):
    type: Literal["run_finished"] = "run_finished"
    status: Literal["closed", "budget_spent", "exhausted", "error"]
    reason: str
    branch: int | None = None
    version: int | None = None
    solution_path: str | None = None
    refutations: list[Refutation] = Field(default_factory=list)
    """Open theorems of the last design refuted on sampled inputs, when the run stopped
    without a post-mortem of that design (a spent budget)."""


# -- `idsynth prove` runs: the same move events (`branch` is the hole's ordinal), framed by
# these. Their `MoveApplied.document` is the hole's working document (the file cut after the
# hole), the input itself is `input.v` in the run directory, its hash in `ProveStarted`.


class ProveStarted(_Event):
    type: Literal["prove_started"] = "prove_started"
    file: str
    file_hash: str
    """sha256 of the input file's bytes (`input.v` in the run directory is a copy)."""
    load_paths: list[tuple[str, str]] = Field(default_factory=list)
    holes: list[str]
    """Every hole of the input, in file order."""
    selected: list[str]
    """The holes to work on, in the order they are worked on."""
    policy: str
    policy_kind: Literal["auto", "scripted", "llm"]
    config: dict[str, Any] = Field(default_factory=dict)
    tool_versions: dict[str, str] = Field(default_factory=dict)
    git_sha: str | None = None


class HoleStarted(_Event):
    type: Literal["hole_started"] = "hole_started"
    branch: int
    hole: str


class HoleFinished(_Event):
    """The hole's work is over: committed to the file (`closed`) or dropped (`open`)."""

    type: Literal["hole_finished"] = "hole_finished"
    branch: int
    hole: str
    closed: bool
    strategy: str = ""
    helpers: list[str] = Field(default_factory=list)
    imports: list[str] = Field(default_factory=list)
    seconds: float
    moves: int
    reason: str = ""
    document: str = ""
    """The whole file after this hole (unchanged from the one before when not closed)."""


class ProveFinished(_Event):
    type: Literal["prove_finished"] = "prove_finished"
    report: dict[str, Any]
    """`idsynth.agent.prove.types.ProveReport` as JSON."""


Event = Annotated[
    RunStarted | DesignChosen | MoveProposed | MoveRefused | MoveApplied | MoveRejected | LLMCallEvent | Stalled
    | ProposalMade | Reloaded | AuditDone | Benchmarked | RunFinished | ProveStarted | HoleStarted | HoleFinished
    | ProveFinished,
    Field(discriminator="type"),
]
_EVENT = TypeAdapter(Event)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class TranscriptError(Exception):
    """A transcript that cannot be read (not a torn last line: a real corruption)."""


def read_events(path: Path) -> tuple[list[Any], bool]:
    """All complete events, and whether a torn last line was dropped."""
    if not path.exists():
        raise TranscriptError(f"{path}: no transcript")
    data = path.read_bytes()
    lines = data.split(b"\n")
    torn = False
    if lines and lines[-1] == b"":
        lines = lines[:-1]
    elif lines:
        torn = True  # the last write did not reach its newline
        lines = lines[:-1]
    events = []
    for n, raw in enumerate(lines):
        try:
            event = _EVENT.validate_json(raw)
        except ValidationError as exc:
            if n == len(lines) - 1 and not torn:
                torn = True
                break
            raise TranscriptError(f"{path}: line {n + 1} is not a valid event: {exc.errors()[0]['msg']}") from None
        if event.seq != n:
            raise TranscriptError(f"{path}: line {n + 1} has seq {event.seq}, expected {n} (lost or duplicated event)")
        if event.schema_version != SCHEMA_VERSION:
            raise TranscriptError(f"{path}: schema version {event.schema_version}, this idsynth reads {SCHEMA_VERSION}")
        events.append(event)
    return events, torn


class TranscriptWriter:
    """Appends events; each one is on disk (fsynced) before `append` returns."""

    def __init__(self, path: Path, run_id: str, next_seq: int = 0) -> None:
        self.path = path
        self.run_id = run_id
        self.seq = next_seq
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "ab")

    @classmethod
    def open_for_resume(cls, path: Path) -> tuple["TranscriptWriter", list[Any]]:
        events, torn = read_events(path)
        if torn:
            # Cut the torn tail so the next event starts on its own line.
            data = path.read_bytes()
            good = 0
            for _ in events:
                good = data.index(b"\n", good) + 1
            with open(path, "r+b") as f:
                f.truncate(good)
        if not events or not isinstance(events[0], (RunStarted, ProveStarted)):
            raise TranscriptError(f"{path}: does not start with run_started or prove_started")
        return cls(path, events[0].run_id, next_seq=len(events)), events

    def append(self, event_cls: type, **fields: Any) -> Any:
        event = event_cls(run_id=self.run_id, seq=self.seq, time=now(), **fields)
        line = event.model_dump_json().encode("utf-8") + b"\n"
        self._file.write(line)
        self._file.flush()
        os.fsync(self._file.fileno())
        self.seq += 1
        return event

    def close(self) -> None:
        self._file.close()


def dump_event(event: Any) -> str:
    return json.dumps(event.model_dump(mode="json"))
