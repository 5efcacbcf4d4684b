"""Shared test helpers. Tests run against the real Rocq checker; nothing here fakes it."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA
