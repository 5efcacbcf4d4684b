"""Starting and resuming runs: the run directory, the transcript, the engine.

    runs/<run-id>/
      events.jsonl    the transcript (append-only, fsynced per event)
      spec/           a compiled pristine copy of the spec the run grades against
      document.v      the current document
      solution.v      the audited solution, when the run closes
"""

from __future__ import annotations

import platform
import secrets
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from idsynth.audit import load_spec
from idsynth.audit.spec import compile_spec, copy_pristine
from idsynth.audit.types import Spec
from idsynth.rocq import Document, SessionConfig
from idsynth.rocq.types import ItemKind

from .engine import Engine
from .moves import module_names
from .policy import Policy
from .skeleton import spec_text
from .state import RunState, fold
from .transcript import RunStarted, TranscriptError, TranscriptWriter
from .types import Budget


def new_run_id(spec_name: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{spec_name}-{secrets.token_hex(3)}"


def tool_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for tool, args in (("coqc", ["--version"]), ("ocamlfind", ["ocamlopt", "-version"])):
        try:
            proc = subprocess.run([tool, *args], capture_output=True, text=True, timeout=10)
            out[tool] = proc.stdout.strip().splitlines()[0] if proc.stdout.strip() else "?"
        except (OSError, subprocess.TimeoutExpired):
            out[tool] = "missing"
    return out


def git_sha() -> str | None:
    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10,
                              cwd=Path(__file__).resolve().parent)
        return proc.stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


def spec_defined_names(spec: Spec) -> set[str]:
    """Top-level names the spec defines, its modules and module types included (a move may
    not shadow them, nor a helper module claim them)."""
    text = spec_text(spec)
    doc = Document.from_source(text)
    names = {it.name for it in doc.items if it.kind in (ItemKind.DEFINITION, ItemKind.LEMMA) and "." not in it.name}
    return names | module_names(text)


def locate_spec(recorded: str, run_dir: Path) -> Path:
    """The spec directory a transcript names: as recorded (absolute, or relative to the
    working directory), else relative to an ancestor of the run directory (a committed
    reference run replayed from another clone)."""
    path = Path(recorded)
    if path.is_absolute() or path.is_dir():
        return path
    for ancestor in run_dir.resolve().parents:
        if (ancestor / path).is_dir():
            return ancestor / path
    return path


def _recorded_spec_dir(spec_dir: Path) -> str:
    """Relative to the working directory when inside it, so transcripts travel with a clone."""
    resolved = spec_dir.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)


def _session_config(spec: Spec, run_dir: Path, sentence_timeout: float) -> SessionConfig:
    pristine = run_dir / "spec"
    if not (pristine / f"{Path(spec.manifest.files[-1]).stem}.vo").exists():
        if pristine.exists():
            import shutil

            shutil.rmtree(pristine)
        copy_pristine(spec, pristine)
        compile_spec(spec, pristine)
    return SessionConfig(load_paths=[(str(pristine), spec.manifest.logical_path)],
                         sentence_timeout=sentence_timeout, cwd=str(run_dir))


PolicyFactory = Callable[[Spec, SessionConfig], Policy]


def start_run(spec_dir: Path, make_policy: PolicyFactory, *, runs_dir: Path, budget: Budget,
              feedback: str = "rich", run_id: str | None = None, sentence_timeout: float = 30.0,
              config: dict | None = None, on_event=None) -> tuple[Path, RunState]:
    spec = load_spec(spec_dir)
    run_id = run_id or new_run_id(spec.manifest.name)
    run_dir = runs_dir.resolve() / run_id
    if (run_dir / "events.jsonl").exists():
        raise TranscriptError(f"{run_dir}: a run with this id exists; use `idsynth resume {run_dir}`")
    run_dir.mkdir(parents=True, exist_ok=True)
    session_config = _session_config(spec, run_dir, sentence_timeout)
    policy = make_policy(spec, session_config)
    writer = TranscriptWriter(run_dir / "events.jsonl", run_id)
    started = writer.append(
        RunStarted, spec_name=spec.manifest.name, spec_dir=_recorded_spec_dir(spec_dir), spec_hash=spec.sha256,
        policy=policy.name, policy_kind=policy.kind, feedback=feedback, budget=budget,
        config={"sentence_timeout": sentence_timeout, **getattr(policy, "run_config", {}), **(config or {})},
        tool_versions=tool_versions(), git_sha=git_sha(),
    )
    state = fold([started])
    if on_event:
        on_event(started, state)
    engine = Engine(spec, policy, writer, state, run_dir, session_config, spec_defined_names(spec), on_event)
    return run_dir, engine.run()


def resume_run(run_dir: Path, make_policy: PolicyFactory, on_event=None) -> RunState:
    run_dir = run_dir.resolve()
    writer, events = TranscriptWriter.open_for_resume(run_dir / "events.jsonl")
    state = fold(events)
    if state.finished is not None:
        writer.close()
        return state
    started = state.started
    spec = load_spec(locate_spec(started.spec_dir, run_dir))
    if spec.sha256 != started.spec_hash:
        writer.close()
        raise TranscriptError(f"{started.spec_dir}: the spec changed since the run started "
                              f"({spec.sha256[:12]} != {started.spec_hash[:12]})")
    session_config = _session_config(spec, run_dir, started.config.get("sentence_timeout", 30.0))
    policy = make_policy(spec, session_config)
    restore = getattr(policy, "restore", None)
    if restore is not None:
        restore(state.policy_state)
    engine = Engine(spec, policy, writer, state, run_dir, session_config, spec_defined_names(spec), on_event)
    return engine.run()
