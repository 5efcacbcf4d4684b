"""Wall 7 of the first hour: `compare` fits the terminal it prints to.

Story: a newcomer runs `idsynth compare runs/reference/ryw runs/reference/causal` in a
100-column terminal; before, the ~230-column table wrapped into fragments. Now every line fits
the width (rich reads `COLUMNS`), on a narrow terminal as one short block per design, on a wide
one as a table, and the runs' facts (designs, the chosen one) are all still there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNS = [str(ROOT / "runs" / "reference" / "ryw"), str(ROOT / "runs" / "reference" / "causal")]


@pytest.mark.parametrize("width", [80, 100, 160, 240])
def test_compare_fits_the_terminal_width_and_keeps_every_design(width):
    env = {**os.environ, "COLUMNS": str(width)}
    proc = subprocess.run([sys.executable, "-m", "idsynth.cli.main", "compare", *RUNS], capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    text = " ".join(proc.stdout.split())
    for design in ("per-key-causal-lww", "fast-lww", "blob-of-state"):
        assert design in text.replace(" ", "") or design in text
    assert "chosen" in text
