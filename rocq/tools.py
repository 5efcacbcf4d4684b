"""The batch Rocq tools: `coqc` (compile) and `coqchk` (independent kernel re-check).

Both run under a wall-clock bound in their own process group; a compiler error comes
back as a value with the file, line and message, never as an exception.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .errors import RocqNotInstalled

_FILE_LOC = re.compile(r'^File "(?P<file>[^"]+)", line (?P<line>\d+), characters (?P<a>\d+)-(?P<b>\d+):$', re.M)


class CompileResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    output: str
    timed_out: bool = False
    file: str | None = None
    line: int | None = None
    message: str = ""

    def one_line(self) -> str:
        where = f"{Path(self.file).name}:{self.line}: " if self.file and self.line else ""
        msg = " ".join(self.message.split()) if self.message else "compilation failed"
        return f"{where}{msg}"


class CoqchkResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    output: str
    timed_out: bool = False
    axioms: list[str] = []
    type_in_type: list[str] = []
    unsafe_fixpoints: list[str] = []
    assumed_positive: list[str] = []


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise RocqNotInstalled(f"{tool!r} not found on PATH; install Debian's 'coq' package (./setup.sh does)")
    return path


def run_bounded(argv: list[str], cwd: Path, timeout: float) -> tuple[int | None, str]:
    """Run to completion, output and errors merged, or kill the whole process group at
    `timeout` (exit code None). Shared by every batch tool idsynth drives."""
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace", start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out


def load_path_args(load_paths: list[tuple[str, str]]) -> list[str]:
    args: list[str] = []
    for directory, name in load_paths:
        args += ["-Q", str(directory), name]
    return args


def compile_file(path: Path, load_paths: list[tuple[str, str]], timeout: float = 600,
                 extra_args: list[str] | None = None) -> CompileResult:
    """`coqc` one file in its own directory."""
    coqc = _require("coqc")
    code, out = run_bounded([coqc, *load_path_args(load_paths), *(extra_args or []), str(path)], path.parent, timeout)
    if code is None:
        return CompileResult(ok=False, output=out, timed_out=True, message=f"coqc timed out after {timeout:g} s")
    if code == 0:
        return CompileResult(ok=True, output=out)
    loc = _FILE_LOC.search(out)
    err = out[out.find("Error:"):] if "Error:" in out else out
    message = err.removeprefix("Error:").strip()
    return CompileResult(
        ok=False, output=out,
        file=loc.group("file") if loc else None,
        line=int(loc.group("line")) if loc else None,
        message=message,
    )


_SECTION = re.compile(r"^\* (?P<title>[^:]+):(?P<rest>.*)$")


def parse_coqchk_summary(output: str) -> dict[str, list[str]]:
    """The CONTEXT SUMMARY of `coqchk -o`: section title -> names (`<none>` is empty)."""
    summary: dict[str, list[str]] = {}
    if "CONTEXT SUMMARY" not in output:
        return summary
    text = output[output.index("CONTEXT SUMMARY"):]
    current: str | None = None
    for line in text.splitlines():
        m = _SECTION.match(line)
        if m:
            current = m.group("title").strip()
            rest = m.group("rest").strip()
            summary[current] = [] if rest in ("", "<none>") else [rest]
        elif current is not None and line.startswith("    ") and line.strip():
            summary[current].append(line.strip())
    return summary


def run_coqchk(libraries: list[str], load_paths: list[tuple[str, str]], cwd: Path,
               timeout: float = 600) -> CoqchkResult:
    """`coqchk -o -norec LIB...`: re-check these libraries' own constants with Rocq's
    separate kernel checker, trusting their (installed, Debian-built) dependencies."""
    coqchk = _require("coqchk")
    argv = [coqchk, "-o", "-silent", *load_path_args(load_paths)]
    for lib in libraries:
        argv += ["-norec", lib]
    code, out = run_bounded(argv, cwd, timeout)
    if code is None:
        return CoqchkResult(ok=False, output=out, timed_out=True)
    summary = parse_coqchk_summary(out)
    return CoqchkResult(
        ok=code == 0 and bool(summary),
        output=out,
        axioms=summary.get("Axioms", []),
        type_in_type=summary.get("Constants/Inductives relying on type-in-type", []),
        unsafe_fixpoints=summary.get("Constants/Inductives relying on unsafe (co)fixpoints", []),
        assumed_positive=summary.get("Inductives whose positivity is assumed", []),
    )
