"""Shared test helpers. Tests run against the real Rocq checker; nothing here fakes it."""

from __future__ import annotations

from pathlib import Path

import pytest

# The `unit` tier's tripwires and the parallel default; see tests/tiers.py.
from .tiers import (  # noqa: F401 - pytest finds hooks by name in a conftest
    pytest_cmdline_main,
    pytest_collection_modifyitems,
    pytest_runtest_makereport,
    pytest_runtest_setup,
    pytest_runtest_teardown,
    pytest_unconfigure,
)

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA
