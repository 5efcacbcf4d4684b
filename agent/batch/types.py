"""Boundary types of a batch: what was asked (the manifest), what each unit gave (results).

A batch is many independent units of work — one `idsynth run SPEC_DIR` or one
`idsynth prove FILE.v` each — run as Ray tasks. The manifest is written once when the batch
is created and never changes: it fixes the units, the command-line options every unit gets
and the resources each task asks for, so `idsynth batch resume` redoes exactly the units
that have no result, with exactly the same options.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MANIFEST_SCHEMA = "idsynth.batch/1"

UnitKind = Literal["run", "prove"]
UnitStatus = Literal["closed", "open", "failed", "timeout"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Unit(_Model):
    """One unit of work: one serial command's worth."""

    id: str
    """Unique in the batch, also the name of its transcript directory `runs/<id>/`."""
    kind: UnitKind
    source: str
    """The spec directory (run) or the .v file (prove) as given, absolute."""
    input_name: str
    """The snapshot under `inputs/<id>/`: the spec directory's copy is `inputs/<id>` itself
    (`""`), a prove file is `inputs/<id>/<input_name>`."""
    extra_args: list[str] = Field(default_factory=list)
    """Options of this unit only (e.g. `--only LEMMA` from a list file), after the batch's."""


class Resources(_Model):
    """What each Ray task asks the scheduler for, and how long it may take."""

    cpus: float = Field(default=1.0, gt=0)
    """CPUs reserved per unit. A unit runs one coqtop at a time (plus CoqHammer's provers for
    a moment), so 1 keeps a node from running more units than it has cores."""
    memory_gb: float = Field(default=1.0, ge=0)
    """Memory reserved per unit (Ray's `memory` resource); 0 asks for none."""
    unit_seconds: float = Field(default=3600.0, gt=0)
    """Wall clock per unit attempt; the unit's process tree is killed at the limit and the
    unit is recorded `timeout` with the transcript it had written so far."""
    max_retries: int = Field(default=2, ge=0)
    """Attempts after the first when the worker or the unit's process dies (a crash, not a
    negative result); bounded so a unit that kills its worker every time still ends."""


class Manifest(_Model):
    """`manifest.json`: the batch, fixed at creation."""

    schema_id: str = MANIFEST_SCHEMA
    batch_id: str
    kind: UnitKind
    created: str
    unit_args: list[str]
    """The options every unit's command gets (the `run`/`prove` flags given to `batch`), with
    paths made absolute, so the units do not depend on the driver's working directory."""
    resources: Resources
    units: list[Unit]
    git_sha: str | None = None


class UnitResult(_Model):
    """`results/<id>.json`: a finished unit. Its presence is what "finished" means."""

    unit: str
    kind: UnitKind
    status: UnitStatus
    """closed: the command's exit code 0 (run: closed and audited; prove: every selected hole
    closed unconditionally); open: exit code 1 (a negative result); failed: bad input,
    environment problem, or a crash after every retry; timeout: the unit's time limit."""
    exit_code: int | None = None
    seconds: float = 0.0
    """Wall clock of the attempt that finished."""
    attempt: int = 1
    """Which attempt finished it (retries after a worker or process crash)."""
    node: str = ""
    """The host that ran it."""
    summary: dict = Field(default_factory=dict)
    """The command's own `--json` output (run: the run summary; prove: the prove report)."""
    detail: str = ""
    """For failed/timeout units: why (the end of stderr, or the error)."""
    transcript_bytes: int = 0
    """Size of the unit's transcript directory as shipped back to the driver."""

    @property
    def dollars(self) -> float:
        return float(self.summary.get("dollars") or 0.0)


class BatchEvent(_Model):
    """One line of the batch's `events.jsonl` (fsynced; informational, results are the truth)."""

    type: Literal["batch_started", "unit_submitted", "unit_retried", "unit_finished"]
    time: str
    session: str
    """Which driver process (each `batch run`/`resume` is one session)."""
    unit: str | None = None
    status: UnitStatus | None = None
    pending: int | None = None
    attempt: int | None = None
    detail: str | None = None


class Snapshot(_Model):
    """What a progress display is told after every change (and about once a second)."""

    total: int
    done: int
    closed: int
    open: int
    failed: int
    timeout: int
    running: int
    """Units in flight up to the cluster's capacity (Ray does not report a task's start)."""
    queued: int
    retries: int
    elapsed: float
    eta: float | None
    """Seconds left: units left × mean unit time so far ÷ parallel capacity; None before the
    first unit of this session finishes."""
    last: UnitResult | None = None
