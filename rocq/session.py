"""A live, sentence-level Rocq session: the middle layer of `idsynth.rocq`.

`Session` feeds one sentence at a time to coqtop and keeps the *committed prefix*: the
sentences Rocq accepted, each with the state number after it. Callers address states by
position in that prefix (`len(session)`), never by coqtop's state numbers, so a restart
that renumbers everything is invisible to them.

Bounds, in the order they act (every wait has one):
1. Rocq's own `Timeout n` prefix on the sentence (reported as `how="rocq"`);
2. if no prompt arrives `grace` seconds later, SIGINT (`how="interrupt"`), then the
   reader re-synchronises: it sends a probe naming a fresh identifier and discards
   everything up to the prompt after the probe's answer. A late SIGINT (the sentence
   finished just before the signal) is swallowed by the probe, whose "User interrupt"
   or "not found" answer both name the identifier;
3. if still nothing, kill the process group and restart (`how="killed"`), replaying the
   committed prefix.
A coqtop that died (SIGKILL, segfault, out of memory) is restarted the same way on the
next call; the sentence it died on is reported as an error.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

import structlog
from pydantic import BaseModel, ConfigDict, Field

from .errors import RocqCrashed
from .output import byte_range_to_chars, parse_error, parse_ok
from .process import CoqtopProcess, ProcessDied, ProcessTimeout, Reply
from .types import ProofState, SentenceError, SentenceOk, SentenceResult, SentenceTimeout

log = structlog.get_logger(__name__)

# Printing settings the output parser relies on. They change no logical content.
_SETUP = (
    "Set Printing Unfocused.",
    "Set Printing Width 1000.",
)
_ROCQ_TIMEOUT_MESSAGE = "Timeout!"


class SessionConfig(BaseModel):
    """How to run coqtop. Every field has a safe default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    load_paths: list[tuple[str, str]] = Field(default_factory=list)
    """`-Q DIR NAME` mappings, as (DIR, NAME) pairs."""
    extra_args: list[str] = Field(default_factory=list)
    """More coqtop flags, e.g. `-noinit` for files of the prelude itself."""
    sentence_timeout: float = 30.0
    """Wall-clock bound of one sentence, in seconds (Rocq's `Timeout`)."""
    grace: float = 2.0
    """Seconds past the bound before SIGINT, and again before kill."""
    rocq_timeout: bool = True
    """Prefix sentences with Rocq's own `Timeout`. Turning it off leaves only the SIGINT and
    kill backstops (tests use that to exercise them)."""
    memory_limit_mb: int | None = 8192
    """RLIMIT_AS of coqtop (and the provers it spawns); None for no bound."""
    startup_timeout: float = 60.0
    executable: str = "coqtop"
    cwd: str | None = None

    def coqtop_args(self) -> list[str]:
        args: list[str] = []
        for directory, name in self.load_paths:
            args += ["-Q", directory, name]
        return args + list(self.extra_args)


@dataclass
class _Committed:
    text: str
    state: int  # coqtop state number after the sentence
    proof_state: ProofState | None
    proof_state_known: bool


@dataclass
class _Stats:
    restarts: int = 0
    interrupts: int = 0
    sentences_sent: int = 0


@dataclass
class _Live:
    process: CoqtopProcess
    initial_state: int
    current_state: int


class Session:
    """A live coqtop whose accepted sentences form a committed prefix."""

    def __init__(self, config: SessionConfig | None = None) -> None:
        self.config = config or SessionConfig()
        self._committed: list[_Committed] = []
        self._live: _Live | None = None
        self.stats = _Stats()

    # -- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> "Session":
        self._ensure_live()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._live is not None:
            self._live.process.kill()
            self._live = None

    def __del__(self) -> None:  # a forgotten session must not leave coqtop behind
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    @property
    def pid(self) -> int | None:
        return self._live.process.pid if self._live else None

    def __len__(self) -> int:
        return len(self._committed)

    @property
    def sentences(self) -> list[str]:
        return [c.text for c in self._committed]

    # -- the API -----------------------------------------------------------------

    def add(self, text: str) -> SentenceResult:
        """Run one sentence. Accepted sentences join the committed prefix."""
        result, reply = self._run(text, timeout=self.config.sentence_timeout)
        if isinstance(result, SentenceOk) and reply is not None:
            known = result.proof_state is not None or not reply.prompt.in_proof
            self._committed.append(
                _Committed(text, reply.prompt.state, result.proof_state, known)
            )
        return result

    def cancel_to(self, length: int) -> None:
        """Forget the committed sentences from position `length` on."""
        if not 0 <= length <= len(self._committed):
            raise ValueError(f"cannot cancel to {length}: {len(self._committed)} committed")
        if length == len(self._committed):
            return
        del self._committed[length:]
        if self._live is None or not self._live.process.alive():
            return  # the restart will replay the shorter prefix
        target = self._state_at(length)
        try:
            reply = self._exchange(f"BackTo {target}.", timeout=self.config.sentence_timeout)
        except (ProcessTimeout, ProcessDied):
            self._discard_process()
            return
        self._live.current_state = reply.prompt.state
        if reply.prompt.state != target:
            log.warning("backto_mismatch", wanted=target, got=reply.prompt.state)
            self._discard_process()

    def proof_state(self) -> ProofState | None:
        """Goals after the last committed sentence; None when no proof is open."""
        if not self._committed:
            return None
        last = self._committed[-1]
        if not last.proof_state_known:
            result = self.query("Show.")
            if isinstance(result, SentenceOk):
                last.proof_state = result.proof_state
                last.proof_state_known = True
        return last.proof_state

    def query(self, text: str) -> SentenceResult:
        """Run a command for its output (`Print Assumptions x.`, `Check t.`, `About x.`).

        The environment is restored afterwards, so a query can never change what the
        committed prefix means.
        """
        result, reply = self._run(text, timeout=self.config.sentence_timeout)
        if reply is not None and self._live is not None and reply.prompt.state != self._state_at(len(self._committed)):
            self._back_to_committed()
        return result

    def reset(self, keep: int = 0) -> None:
        """Kill coqtop and forget all but the first `keep` committed sentences."""
        del self._committed[keep:]
        self._discard_process()

    def restart(self) -> None:
        """Kill coqtop; the next call starts a fresh one and replays the prefix."""
        self._discard_process()

    # -- internals ---------------------------------------------------------------

    def _state_at(self, length: int) -> int:
        assert self._live is not None
        return self._committed[length - 1].state if length else self._live.initial_state

    def _discard_process(self) -> None:
        if self._live is not None:
            self._live.process.kill()
            self._live = None

    def _ensure_live(self) -> _Live:
        if self._live is not None and self._live.process.alive():
            return self._live
        if self._live is not None:
            log.warning("coqtop_died", pid=self._live.process.pid)
            self.stats.restarts += 1
        self._discard_process()
        self._live = self._start()
        self._replay()
        return self._live

    def _start(self) -> _Live:
        cfg = self.config
        process = CoqtopProcess(
            cfg.coqtop_args(),
            executable=cfg.executable,
            cwd=cfg.cwd,
            memory_bytes=cfg.memory_limit_mb * 2**20 if cfg.memory_limit_mb else None,
        )
        prompt = process.start(timeout=cfg.startup_timeout)
        live = _Live(process, prompt.state, prompt.state)
        self._live = live
        for command in _SETUP:
            reply = self._exchange(command, timeout=cfg.startup_timeout)
            live.current_state = reply.prompt.state
        live.initial_state = live.current_state
        return live

    def _replay(self) -> None:
        """Re-execute the committed prefix in a fresh process."""
        assert self._live is not None
        for entry in self._committed:
            before = self._live.current_state
            try:
                reply = self._exchange(
                    self._with_timeout(entry.text), timeout=self.config.sentence_timeout + self.config.grace
                )
            except (ProcessTimeout, ProcessDied) as exc:
                self._discard_process()
                raise RocqCrashed(f"replaying the committed prefix failed at {entry.text!r}: {exc}") from None
            if reply.prompt.state == before:
                err = parse_error(reply.output)
                self._discard_process()
                raise RocqCrashed(
                    f"replaying the committed prefix failed at {entry.text!r}: {err.message}"
                )
            self._live.current_state = reply.prompt.state
            entry.state = reply.prompt.state

    def _exchange(self, text: str, timeout: float) -> Reply:
        assert self._live is not None
        self._live.process.send(text)
        self.stats.sentences_sent += 1
        reply = self._live.process.read_reply(timeout)
        self._live.current_state = reply.prompt.state
        return reply

    def _with_timeout(self, text: str) -> str:
        stripped = text.lstrip()
        if not self.config.rocq_timeout or not stripped.endswith("."):
            return text  # bullets and braces take no control prefix (and are instant)
        return f"Timeout {max(1, math.ceil(self.config.sentence_timeout))} {text}"

    def _run(self, text: str, timeout: float) -> tuple[SentenceResult, Reply | None]:
        live = self._ensure_live()
        before = live.current_state
        wire = self._with_timeout(text)
        prefix_bytes = len(wire.encode("utf-8")) - len(text.encode("utf-8"))
        try:
            reply = self._exchange(wire, timeout=timeout + self.config.grace)
        except ProcessTimeout:
            return self._recover_from_hang(before, timeout), None
        except ProcessDied as exc:
            self._discard_process()
            self.stats.restarts += 1
            return (
                SentenceError(
                    message=f"coqtop died while checking this sentence (exit status {exc.returncode}); "
                    "it was restarted and the committed prefix replayed",
                ),
                None,
            )
        if reply.prompt.state != before:
            messages, proof_state, printed = parse_ok(reply.output, reply.prompt.in_proof)
            return SentenceOk(messages=messages, proof_state=proof_state if printed else None), reply
        err = parse_error(reply.output)
        self._resync(before)
        if err.message.strip() == _ROCQ_TIMEOUT_MESSAGE:
            return SentenceTimeout(seconds=timeout, how="rocq"), None
        span = None
        if err.byte_range is not None:
            a, b = err.byte_range
            span = byte_range_to_chars(text, (max(a - prefix_bytes, 0), max(b - prefix_bytes, 0)))
        return SentenceError(message=err.message, span=span, messages=err.messages), None

    def _resync(self, expected_state: int) -> None:
        """Drain stale output with a probe, then make sure we stand at `expected_state`.

        Needed after an error (coqtop may go on reading the rest of a multi-line
        sentence as new commands) and after SIGINT (a late signal interrupts whatever
        comes next, and may come with an extra prompt).
        """
        assert self._live is not None
        nonce = f"idsynth_sync_{secrets.token_hex(6)}"
        try:
            self._live.process.send(f"Check {nonce}.")
            while True:
                reply = self._live.process.read_reply(self.config.grace + 5)
                self._live.current_state = reply.prompt.state
                if nonce in reply.output:
                    break
        except (ProcessTimeout, ProcessDied):
            self._discard_process()
            self.stats.restarts += 1
            return
        if self._live.current_state != expected_state:
            self._back_to(expected_state)

    def _back_to_committed(self) -> None:
        self._back_to(self._state_at(len(self._committed)))

    def _back_to(self, state: int) -> None:
        assert self._live is not None
        try:
            reply = self._exchange(f"BackTo {state}.", timeout=self.config.sentence_timeout)
        except (ProcessTimeout, ProcessDied):
            self._discard_process()
            return
        if reply.prompt.state != state:
            log.warning("backto_mismatch", wanted=state, got=reply.prompt.state)
            self._discard_process()

    def _recover_from_hang(self, before: int, timeout: float) -> SentenceResult:
        assert self._live is not None
        self.stats.interrupts += 1
        self._live.process.interrupt()
        try:
            self._live.process.read_reply(self.config.grace)
        except (ProcessTimeout, ProcessDied):
            log.warning("coqtop_unresponsive_killing", pid=self._live.process.pid)
            self._discard_process()
            self.stats.restarts += 1
            return SentenceTimeout(seconds=timeout, how="killed")
        self._resync(before)
        return SentenceTimeout(seconds=timeout, how="interrupt")

