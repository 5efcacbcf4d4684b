"""The `scripted` policy: answers from a file of steps, in order.

Used for fixtures and for reference runs. A scripted run goes through the same graphs,
grader and audit as any run, and is labelled `scripted` everywhere: a staged stall and
pivot shows the machinery works, not that anything chose well.

Script file (JSON): {"description": "...", "steps": [step, ...]} where a step is one of
    {"role": "design",   "design":   {Design}}          answers `design`
    {"role": "move",     "move":     {Move} | null}     answers `choose` (null: nothing to offer)
    {"role": "proposal", "proposal": {Proposal}}        answers `propose`
A question whose next step has another role is a divergence: the policy answers "nothing"
(None / an empty proposal) and says why, it never guesses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..types import Design, Move, Observation, PolicyReply, PostMortem, Proposal


class DesignStep(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["design"] = "design"
    design: Design


class MoveStep(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["move"] = "move"
    move: Move | None
    note: str = ""


class ProposalStep(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["proposal"] = "proposal"
    proposal: Proposal


Step = Annotated[DesignStep | MoveStep | ProposalStep, Field(discriminator="role")]


class Script(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    steps: list[Step]


class ScriptError(Exception):
    """A script file that cannot be read; one line."""


def load_script(path: Path) -> Script:
    try:
        return Script.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScriptError(f"{path}: no such script") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ScriptError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None


class ScriptedPolicy:
    kind = "scripted"

    def __init__(self, script: Script, source: str = "") -> None:
        self.script = script
        self.name = f"scripted:{source}" if source else "scripted"
        self.cursor = 0
        self.divergence: str | None = None
        # Recorded in run_started so that `idsynth resume` can rebuild the policy.
        self.run_config = {"script": source} if source else {}

    def why_no_design(self) -> str:
        return self.divergence or ""

    def checkpoint(self) -> dict:
        """Recorded with every answer: a divergence answers without consuming a step, so
        counting answers would not say where the script stands."""
        return {"cursor": self.cursor}

    def restore(self, state: dict) -> None:
        self.cursor = int(state.get("cursor", 0))

    def _next(self, role: str):
        if self.cursor >= len(self.script.steps):
            self.divergence = f"script exhausted after {self.cursor} steps (asked for a {role})"
            return None
        step = self.script.steps[self.cursor]
        if step.role != role:
            self.divergence = f"step {self.cursor} is a {step.role}, but the engine asked for a {role}"
            return None
        self.cursor += 1
        return step

    def design(self, obs: Observation, post_mortems: list[PostMortem]) -> Design | None:
        step = self._next("design")
        return step.design if step else None

    def choose(self, obs: Observation) -> PolicyReply:
        step = self._next("move")
        if step is None:
            return PolicyReply(move=None, note=f"scripted: {self.divergence}")
        return PolicyReply(move=step.move, note=step.note or "scripted")

    def propose(self, obs: Observation) -> Proposal:
        step = self._next("proposal")
        if step is None:
            return Proposal(move=None, note=f"scripted: {self.divergence}")
        return step.proposal

    def close(self) -> None:
        pass


def script_from_json(data: dict) -> Script:
    return Script.model_validate(data)
