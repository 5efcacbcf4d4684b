"""Starting and resuming `idsynth prove` runs.

    runs/<run-id>/
      events.jsonl    the transcript (prove_started, per hole: hole_started, the moves,
                      hole_finished with the file so far; prove_finished with the report)
      input.v         the file as it was given (its sha256 is in prove_started)
      output.v        the file as `prove` left it (written to the user's path only if it
                      passed the frozen check and the re-check from scratch)
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

from idsynth.agent.policy import Policy
from idsynth.agent.run import git_sha, new_run_id, tool_versions
from idsynth.agent.transcript import (
    HoleFinished,
    MoveProposed,
    ProposalMade,
    ProveFinished,
    ProveStarted,
    TranscriptError,
    TranscriptWriter,
)
from idsynth.rocq import Document, Grader, Session, SessionConfig
from idsynth.rocq.document import SourceError, read_source
from idsynth.rocq.types import ItemKind

from .engine import InputError, ProveEngine, select_holes
from .types import ProveOptions, ProveReport

ProvePolicyFactory = Callable[[SessionConfig, ProveOptions], Policy]


def _read_input(path: Path) -> str:
    try:
        return read_source(path)
    except SourceError as exc:
        raise InputError(str(exc)) from None


def session_config(options: ProveOptions) -> SessionConfig:
    return SessionConfig(load_paths=list(options.load_paths), sentence_timeout=options.sentence_timeout,
                         cwd=str(options.file.resolve().parent))


def _grade_input(grader: Grader, source: str, path: Path) -> list[str]:
    """The input's holes, in file order; `InputError` when it does not check."""
    verdict = grader.grade(Document.from_source(source))
    f = verdict.first_failure
    if f is not None:
        what = "times out" if f.timeout else "does not check"
        raise InputError(f"{path}:{f.location.line}:{f.location.column}: the input {what} at {f.item}: "
                         f"{' '.join(f.message.split())[:400]}")
    # `Abort`ed lemmas are not in the environment: proving one would add a lemma, not close a
    # hole. An admitted `Definition x : T.` is a hole like a lemma: `Admitted` and the `Qed`
    # that replaces it are both opaque, so no computation changes.
    doc = Document.from_source(source)
    return [h.item for h in verdict.holes if doc.items[h.item_index].kind in (ItemKind.LEMMA, ItemKind.DEFINITION)
            and doc.items[h.item_index].sentences[-1].text.strip().startswith("Admitted")]


def start_prove(options: ProveOptions, make_policy: ProvePolicyFactory, *, runs_dir: Path,
                on_event: Callable[[object], None] | None = None, run_id: str | None = None) -> ProveReport:
    source = _read_input(options.file)
    run_id = run_id or new_run_id(f"prove-{options.file.stem}")
    run_dir = runs_dir.resolve() / run_id
    if (run_dir / "events.jsonl").exists():
        raise TranscriptError(f"{run_dir}: a run with this id exists")
    config = session_config(options)
    with Session(config) as session:
        grader = Grader(session)
        holes = _grade_input(grader, source, options.file)
        selected = select_holes(holes, options.only)
        run_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(options.file, run_dir / "input.v")
        policy = make_policy(config, options)
        writer = TranscriptWriter(run_dir / "events.jsonl", run_id)
        started = writer.append(
            ProveStarted, file=str(options.file), file_hash=hashlib.sha256(source.encode()).hexdigest(),
            load_paths=list(options.load_paths), holes=holes, selected=selected, policy=policy.name,
            policy_kind=policy.kind, config={"options": options.model_dump(mode="json"),
                                             **getattr(policy, "run_config", {})},
            tool_versions=tool_versions(), git_sha=git_sha())
        if on_event:
            on_event(started)
        engine = ProveEngine(options, policy, writer, run_dir, grader, source, on_event=on_event)
        return engine.run(holes, selected)


def resume_prove(run_dir: Path, make_policy: ProvePolicyFactory,
                 on_event: Callable[[object], None] | None = None) -> ProveReport:
    """Go on from the first hole not finished; a finished run just gives its report."""
    run_dir = run_dir.resolve()
    writer, events = TranscriptWriter.open_for_resume(run_dir / "events.jsonl")
    if not isinstance(events[0], ProveStarted):
        writer.close()
        raise TranscriptError(f"{run_dir}: not an `idsynth prove` run")
    if isinstance(events[-1], ProveFinished):
        writer.close()
        return ProveReport.model_validate(events[-1].report)
    started: ProveStarted = events[0]
    source = read_source(run_dir / "input.v")
    if hashlib.sha256(source.encode()).hexdigest() != started.file_hash:
        writer.close()
        raise TranscriptError(f"{run_dir}/input.v changed since the run started")
    options = ProveOptions.model_validate(started.config["options"])
    done = {e.hole: e for e in events if isinstance(e, HoleFinished)}
    finished = [e for e in events if isinstance(e, HoleFinished)]
    current = finished[-1].document if finished else source
    config = session_config(options)
    policy = make_policy(config, options)
    restore = getattr(policy, "restore", None)
    # A hole cut short restarts from its beginning, so the policy restarts where it stood
    # when the last hole finished (a script then replays that hole's steps again).
    last = max((i for i, e in enumerate(events) if isinstance(e, HoleFinished)), default=-1)
    answers = [e for e in events[: last + 1] if isinstance(e, (MoveProposed, ProposalMade)) and e.policy_state]
    if restore is not None and answers:
        restore(answers[-1].policy_state)
    with Session(config) as session:
        grader = Grader(session)
        engine = ProveEngine(options, policy, writer, run_dir, grader, source, on_event=on_event)
        return engine.run(started.holes, started.selected, done=done, current=current)
