"""Native OCaml builds with `ocamlfind ocamlopt`, bounded, with every error kept.

`build` copies the sources into a private directory next to the binary, sorts them with
`ocamldep -sort`, compiles and links in one command, and returns a `BuildResult`: on
failure the compiler's full output, its exit code and the command, never swallowed; on
success the binary, and the temporary directory is removed. `-O3` is passed only when the
compiler is an flambda compiler (otherwise ocamlopt ignores it with a warning).
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import structlog

from idsynth.rocq.tools import run_bounded

from .errors import ToolchainMissing
from .types import BuildResult

log = structlog.get_logger(__name__)

_ERROR_LOC = re.compile(r'^File "(?P<file>[^"]+)", line (?P<line>\d+)', re.M)


def ocamlfind() -> str:
    path = shutil.which("ocamlfind")
    if path is None:
        raise ToolchainMissing("'ocamlfind' not found on PATH; install Debian's 'ocaml-findlib' "
                               "and 'ocaml-nox' packages (./setup.sh does)")
    return path


@functools.cache
def flambda_enabled() -> bool:
    """`ocamlfind ocamlopt -config` says `flambda: true`."""
    code, out = run_bounded([ocamlfind(), "ocamlopt", "-config"], Path.cwd(), 30)
    return code == 0 and re.search(r"^flambda:\s*true\s*$", out, re.M) is not None


def package_dir(package: str, timeout: float = 30) -> Path | None:
    """The directory of an installed ocamlfind package, or None when it is not installed."""
    code, out = run_bounded([ocamlfind(), "query", package], Path.cwd(), timeout)
    if code != 0:
        return None
    lines = [ln for ln in out.splitlines() if ln.strip()]
    return Path(lines[-1].strip()) if lines else None


def _summary(output: str) -> str:
    """`file:line: Error: ...` from a compiler's output, or its last lines."""
    idx = output.find("Error")
    if idx < 0:
        tail = [ln for ln in output.strip().splitlines() if ln.strip()][-3:]
        return " ".join(" ".join(tail).split()) or "no output"
    before = output[:idx]
    locs = list(_ERROR_LOC.finditer(before))
    where = f"{Path(locs[-1].group('file')).name}:{locs[-1].group('line')}: " if locs else ""
    err = output[idx:].strip().split("\n\n")[0]
    return where + " ".join(err.split())[:500]


def build(ml_dir: Path, driver_ml: Path, out_binary: Path, packages: list[str] | tuple[str, ...] = (), *,
          sources: list[Path] | tuple[Path, ...] = (), c_files: list[Path] | tuple[Path, ...] = (),
          flags: list[str] | tuple[str, ...] = (), timeout: float = 300) -> BuildResult:
    """Compile every `.ml`/`.mli` of `ml_dir`, the extra `sources`, the C `c_files` and
    `driver_ml` (the main program, linked last) into `out_binary`.

    Temporary files live in `<out_binary's directory>/.<name>.build/`, removed on success
    and kept on failure (the result's message says where).
    """
    tool = ocamlfind()
    ml_dir, driver_ml, out_binary = Path(ml_dir), Path(driver_ml), Path(out_binary).resolve()
    out_binary.parent.mkdir(parents=True, exist_ok=True)
    build_dir = out_binary.parent / f".{out_binary.name}.build"
    if build_dir.exists():
        shutil.rmtree(build_dir)
    build_dir.mkdir()
    if out_binary.exists():
        out_binary.unlink()

    copied: list[str] = []
    for src in [*sources, *sorted(ml_dir.glob("*.mli")), *sorted(ml_dir.glob("*.ml"))]:
        shutil.copyfile(src, build_dir / src.name)
        copied.append(src.name)
    driver_name = "idsynth_main.ml" if driver_ml.name in copied else driver_ml.name
    shutil.copyfile(driver_ml, build_dir / driver_name)
    c_names = []
    for c in c_files:
        shutil.copyfile(c, build_dir / c.name)
        c_names.append(c.name)

    flambda = flambda_enabled()
    common = [*(["-O3"] if flambda else []), "-w", "-a", *flags]
    pkg = ["-package", ",".join(packages)] if packages else []

    units = [n for n in copied if n.endswith((".ml", ".mli"))]
    order = units
    if units:
        dep_cmd = [tool, "ocamldep", "-sort", *units]
        code, out = run_bounded(dep_cmd, build_dir, timeout)
        if code is None:
            return BuildResult(ok=False, compiler_output=out, timed_out=True, command=dep_cmd, flambda=flambda,
                               message=f"ocamldep timed out after {timeout:g} s (sources kept in {build_dir})")
        if code != 0:
            return BuildResult(ok=False, compiler_output=out, exit_code=code, command=dep_cmd, flambda=flambda,
                               message=f"ocamldep failed (exit {code}): {_summary(out)} "
                                       f"(sources kept in {build_dir})")
        order = out.split()
    command = [tool, "ocamlopt", *common, *pkg, "-linkpkg", *c_names, *order, driver_name,
               "-o", str(out_binary)]
    log.info("ocamlopt", binary=str(out_binary), packages=list(packages))
    code, out = run_bounded(command, build_dir, timeout)
    if code is None:
        return BuildResult(ok=False, compiler_output=out, timed_out=True, command=command, flambda=flambda,
                           message=f"ocamlopt timed out after {timeout:g} s (sources kept in {build_dir})")
    if code != 0 or not out_binary.is_file():
        return BuildResult(ok=False, compiler_output=out, exit_code=code, command=command, flambda=flambda,
                           message=f"ocamlopt failed (exit {code}): {_summary(out)} "
                                   f"(sources kept in {build_dir})")
    shutil.rmtree(build_dir, ignore_errors=True)
    return BuildResult(ok=True, binary=out_binary, compiler_output=out, exit_code=0, command=command,
                       flambda=flambda, message=f"built {out_binary}")

