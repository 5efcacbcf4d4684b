"""`--help` is instant: the parsers are built without importing the agents, Rocq or the LLM SDKs.

Story: a newcomer types `idsynth run --help`; it answers at once (it took 1.5–2.8 s when every
subcommand imported LangGraph and the Rocq machinery to build its parser) and shows the
budgets' defaults.
"""

from __future__ import annotations

import subprocess
import sys

from idsynth.cli.batch_cmd import RESOURCE_DEFAULTS
from idsynth.cli.prove_cmd import PROVE_DEFAULTS
from idsynth.cli.run_cmd import BUDGET_DEFAULTS

_HEAVY = ("langgraph", "langchain_core", "pexpect", "idsynth.rocq", "idsynth.agent", "idsynth.audit",
          "structlog", "anthropic", "openai", "matplotlib")


def test_building_every_parser_imports_nothing_heavy():
    code = ("import sys; from idsynth.cli.main import build_parser; build_parser(); "
            f"print([m for m in sys.modules if m.split('.')[0] in {_HEAVY!r} or m.startswith({_HEAVY!r})])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_run_help_shows_the_budget_defaults_and_exits_zero():
    proc = subprocess.run([sys.executable, "-m", "idsynth.cli.main", "run", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "moves per run (default: 200)" in text and "designs the reloader may try (default: 4)" in text


def test_the_help_defaults_are_the_agents_own():
    from idsynth.agent.prove import ProveOptions
    from idsynth.agent.types import Budget

    b = Budget()
    assert BUDGET_DEFAULTS == {k: getattr(b, k) for k in BUDGET_DEFAULTS}
    assert PROVE_DEFAULTS == {k: ProveOptions.model_fields[k].default for k in PROVE_DEFAULTS}
    from idsynth.agent.batch import Resources

    r = Resources()
    assert RESOURCE_DEFAULTS == {k: getattr(r, k) for k in RESOURCE_DEFAULTS}
