"""The test tiers, as pytest hooks (imported by `tests/conftest.py`).

`unit`: pure Python, the quick tier (`pytest -m unit`). A unit test may not start the
checker or the OCaml tool chain, and this is enforced rather than trusted: while a unit test
runs (set-up, call and tear-down), the first directory on PATH holds tripwires named like
those programs. A tripwire records its name and exits 127, and a unit test during which one
ran fails with a message naming it. Child processes inherit the PATH, so an `idsynth`
subprocess that calls `coqc` trips it too. Every tool of ours finds these programs on PATH
(`shutil.which` or a bare name), so the tripwires shadow the real ones.

The default suite runs in parallel when pytest-xdist is installed: `-n auto` unless the
command line says `-n`/`--numprocesses` (`-n 0` runs serially) or selects only `-m unit`;
`-p no:xdist` disables it, and without xdist the suite runs serially with the same command. Workers are processes,
so the PATH switch above is never seen by a test running at the same time.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

# What "starting the checker" means: Rocq's programs, the OCaml tool chain the extraction
# builds with, CoqHammer's provers and the browser of the report test.
TRIPPED_PROGRAMS = (
    "coqtop", "coqc", "coqchk", "coqdep", "coq_makefile", "coqidetop", "coqtop.opt", "coqc.opt",
    "ocaml", "ocamlc", "ocamlopt", "ocamlfind", "ocamlrun", "ocamldep", "dune",
    "eprover", "z3", "cvc4", "vampire", "htimeout",
    "chromium", "chromedriver",
)
LOG_ENV = "IDSYNTH_TRIPWIRE_LOG"
_TRIPWIRE = """#!/bin/sh
echo "$(basename "$0")" >> "${IDSYNTH_TRIPWIRE_LOG:-/dev/null}"
echo "tripwire: $(basename "$0") started by a test marked unit" >&2
exit 127
"""
_DEFAULT_WORKERS = "auto"

_tripwire_dir: Path | None = None


def _tripwires() -> Path:
    """One directory of tripwires per process (each xdist worker makes its own)."""
    global _tripwire_dir
    if _tripwire_dir is None:
        directory = Path(tempfile.mkdtemp(prefix="idsynth-tripwires-"))
        for name in TRIPPED_PROGRAMS:
            path = directory / name
            path.write_text(_TRIPWIRE)
            path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        _tripwire_dir = directory
    return _tripwire_dir


def _is_unit(item: pytest.Item) -> bool:
    return item.get_closest_marker("unit") is not None


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Parallel by default: xdist's `-n auto` when the command line gave no `-n`."""
    if not config.pluginmanager.hasplugin("xdist"):
        return  # not installed, or `-p no:xdist`: the same command runs serially
    if hasattr(config, "workerinput"):
        return  # an xdist worker (its numprocesses is None too): it must not start workers
    if config.option.numprocesses is None:
        # The quick tier alone runs serially: its tests take milliseconds, and starting and
        # collecting in each worker cost more than they save (measured: 28 s serial against
        # 94 s with -n auto on the shared 2-core machine).
        quick_tier_only = (config.option.markexpr or "").strip() == "unit"
        config.option.numprocesses = 0 if quick_tier_only else _DEFAULT_WORKERS
    if config.option.dist == "no":
        config.option.dist = "loadgroup"  # xdist sets "no" again for -n 0


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests sharing one of our module- or session-scoped fixtures (a built store, a
    prover session) go to the same xdist worker, so the fixture is built once."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        for name in info.names_closure:
            defs = info.name2fixturedefs.get(name)
            if defs and defs[-1].scope in ("module", "package", "session") and defs[-1].baseid:
                item.add_marker(pytest.mark.xdist_group(name))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _tripwire_dir is not None:
        shutil.rmtree(_tripwire_dir, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # tryfirst: before any fixture is set up, so module- and session-scoped fixtures
    # first built for a unit test are checked too.
    if not _is_unit(item):
        return
    directory = _tripwires()
    log = directory / f"started-{os.getpid()}.log"
    log.write_text("")
    item.stash[_SAVED] = (os.environ.get("PATH"), os.environ.get(LOG_ENV))
    item.stash[_LOG] = log
    os.environ["PATH"] = f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ[LOG_ENV] = str(log)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    yield
    saved = item.stash.get(_SAVED, None)
    if saved is None:
        return
    for name, value in zip(("PATH", LOG_ENV), saved):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    del item.stash[_SAVED]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    log = item.stash.get(_LOG, None)
    if log is None or not log.exists():
        return
    started = sorted(set(log.read_text().split()))
    if not started:
        return
    log.write_text("")  # reported once, in the phase where it happened
    report = outcome.get_result()
    report.outcome = "failed"
    report.longrepr = (
        f"a test marked unit started {', '.join(started)} during {call.when}: "
        f"it is not a unit test (unmark it, or keep the process out of it)\n"
        f"{report.longreprtext if hasattr(report, 'longreprtext') else ''}"
    )


_SAVED = pytest.StashKey[tuple]()
_LOG = pytest.StashKey[Path]()
