"""Fixtures of the agent tests: no real network, and a local stub of the LLM APIs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from idsynth.agent.llm.network import ENV_VAR

from .stub_llm_server import StubLLMServer


@pytest.fixture(autouse=True)
def _forbid_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any LLM client built in these tests may only talk to loopback."""
    monkeypatch.setenv(ENV_VAR, "1")


@pytest.fixture
def stub_llm() -> Iterator[StubLLMServer]:
    with StubLLMServer() as server:
        yield server
