"""Raw process I/O with `coqtop -emacs`: the bottom layer of `idsynth.rocq`.

This module owns the pipe. It sends text, waits (always with a bound) for the next
prompt, interrupts and kills. It knows nothing of sentences or goals. Its failures are
two private exceptions that `session.py` turns into values or `RocqCrashed`.

Why pipes and not a pty: a pty's canonical mode truncates input lines at 4096 bytes and
echoes input back; with pipes coqtop still prints its `-emacs` prompts, and writes
errors to stdout, so one stream carries everything.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import time
from dataclasses import dataclass

import pexpect
from pexpect.popen_spawn import PopenSpawn
import structlog

from .errors import RocqNotInstalled, RocqStartupFailed
from .prompt import PROMPT_END, Prompt, split_reply

log = structlog.get_logger(__name__)
_HAMMER_LIBEXEC = "/usr/libexec/coq-hammer"


class ProcessTimeout(Exception):
    """No prompt arrived within the bound. Carries what was read so far."""

    def __init__(self, partial: str) -> None:
        super().__init__("no prompt within the time bound")
        self.partial = partial


class ProcessDied(Exception):
    """coqtop's output ended: the process is gone."""

    def __init__(self, partial: str, returncode: int | None) -> None:
        super().__init__(f"coqtop exited (status {returncode})")
        self.partial = partial
        self.returncode = returncode


@dataclass(frozen=True)
class Reply:
    output: str
    prompt: Prompt


def _limit_child(memory_bytes: int | None):
    """Runs in the child between fork and exec: own process group, memory bound."""

    def apply() -> None:
        os.setsid()  # so that close() can kill coqtop and anything it spawned (hammer's provers)
        if memory_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return apply


class CoqtopProcess:
    """One live `coqtop -emacs` process."""

    def __init__(
        self,
        args: list[str],
        *,
        executable: str = "coqtop",
        cwd: str | None = None,
        memory_bytes: int | None = None,
    ) -> None:
        path = shutil.which(executable)
        if path is None:
            raise RocqNotInstalled(
                f"{executable!r} not found on PATH; install Debian's 'coq' package (./setup.sh does)"
            )
        self._argv = [path, "-emacs", "-quiet", *args]
        self._cwd = cwd
        self._memory_bytes = memory_bytes
        self._child: PopenSpawn | None = None

    # -- lifecycle ---------------------------------------------------------------

    def start(self, timeout: float) -> Prompt:
        """Spawn coqtop and wait for its first prompt."""
        env = dict(os.environ)
        # Debian installs CoqHammer's helpers (htimeout, predict) off PATH; `hammer`
        # needs them to run its provers.
        if os.path.isdir(_HAMMER_LIBEXEC) and _HAMMER_LIBEXEC not in env.get("PATH", ""):
            env["PATH"] = env.get("PATH", "") + os.pathsep + _HAMMER_LIBEXEC
        self._child = PopenSpawn(
            self._argv,
            encoding="utf-8",
            codec_errors="replace",
            cwd=self._cwd,
            env=env,
            preexec_fn=_limit_child(self._memory_bytes),
            maxread=65536,
        )
        try:
            return self.read_reply(timeout).prompt
        except (ProcessTimeout, ProcessDied) as exc:
            self.kill()
            detail = getattr(exc, "partial", "").strip()
            raise RocqStartupFailed(
                f"coqtop {' '.join(self._argv[1:])} did not start: {detail or exc}"
            ) from None

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    def alive(self) -> bool:
        return self._child is not None and self._child.proc.poll() is None

    def kill(self) -> None:
        """Kill coqtop and its whole process group; never raises."""
        child, self._child = self._child, None
        if child is None:
            return
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            child.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001 - best effort on a dying process
            pass
        for stream in (child.proc.stdin, child.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    def interrupt(self) -> None:
        """Send SIGINT to coqtop alone (not the provers in its group)."""
        if self._child is not None:
            try:
                os.kill(self._child.pid, signal.SIGINT)
            except ProcessLookupError:
                pass

    # -- I/O ----------------------------------------------------------------------

    def send(self, text: str) -> None:
        assert self._child is not None, "send() before start()"
        try:
            self._child.send(text if text.endswith("\n") else text + "\n")
        except (BrokenPipeError, OSError) as exc:
            raise ProcessDied("", self._child.proc.poll()) from exc

    def read_reply(self, timeout: float) -> Reply:
        """Read up to and including the next prompt, waiting at most `timeout` s."""
        assert self._child is not None, "read_reply() before start()"
        deadline = time.monotonic() + timeout
        collected = ""
        while True:
            remaining = deadline - time.monotonic()
            try:
                self._child.expect_exact(PROMPT_END, timeout=max(remaining, 0.0))
            except pexpect.TIMEOUT:
                raise ProcessTimeout(collected + (self._child.before or "")) from None
            except pexpect.EOF:
                partial = collected + (self._child.before or "")
                code = self._child.proc.poll()
                if code is None:
                    try:
                        code = self._child.proc.wait(timeout=2)
                    except Exception:  # noqa: BLE001
                        code = None
                raise ProcessDied(partial, code) from None
            before = self._child.before or ""
            parsed = split_reply(before)
            if parsed is None:
                # A `</prompt>` that closes no prompt (e.g. printed by a Print of a
                # string): keep reading, it is ordinary output.
                collected += before + PROMPT_END
                continue
            output, prompt = parsed
            return Reply(output=collected + output, prompt=prompt)
