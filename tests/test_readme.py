"""The README's commands, run exactly as written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _command_after(heading_text: str) -> str:
    block = README.split(heading_text, 1)[1]
    return re.search(r"\n    (\S.*)\n", block).group(1)


@pytest.mark.unit
def test_the_readme_test_command_is_what_ci_runs():
    command = _command_after("The tests (exactly what")
    ci = (ROOT / ".ci" / "run").read_text()
    assert command.startswith(".venv/bin/python -m pytest")
    assert command in ci


@pytest.mark.slow
@pytest.mark.timeout(1800)  # the subprocess's own bound; the suite's 600 s would cut it short
def test_the_readme_main_job_runs_verbatim_and_closes_the_warmup_with_auto():
    command = _command_after("warm-up finite map:")
    assert command == "./setup.sh && .venv/bin/idsynth run specs/warmup/finite_map"
    proc = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    out = proc.stdout
    assert "(auto): closed" in out and "holes left 0" in out and "audit accepted" in out
    assert "extracted throughput (ops/s" in out
