"""The networked runtime (`extraction/network.py`) on idsynth's genuine, audited KV store
(slow: coqc, coqchk, ocamlopt, real processes on loopback TCP). The audit is never faked."""

from __future__ import annotations

from pathlib import Path

import pytest

from idsynth.audit import load_spec
from idsynth.extraction.network import run_network
from idsynth.extraction.node import build_extracted_node

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CAUSAL = ROOT / "specs" / "kv" / "causal"
FAST = ROOT / "tests" / "data" / "solutions" / "kv_fast" / "causal.v"


@pytest.fixture(scope="module")
def node(tmp_path_factory) -> Path:
    built = build_extracted_node(load_spec(CAUSAL), FAST, tmp_path_factory.mktemp("node"), "fast")
    assert built.ok and built.binary is not None, built.message
    return built.binary


def test_three_replica_processes_converge_after_the_load_stops(node, tmp_path):
    report = run_network(node, "FastLWW", replicas=3, keys=40, put_percents=[50], seconds=1.5, logdir=tmp_path)
    (r,) = report.results
    assert r.replicas == 3 and r.ops > 0 and r.ops_per_s > 0
    # Every update sent reached its peer, none is left buffered, and every key reads alike everywhere.
    assert r.settled and r.pending_after == 0 and r.updates_lost == 0
    assert r.updates_sent > 0
    assert r.disagreeing_keys == 0 and r.written_missing == 0 and r.converged
    assert r.put_p50_us > 0 and r.get_p99_us >= r.get_p50_us


def test_a_killed_and_restarted_replica_comes_back_without_its_updates(node, tmp_path):
    # The stores keep their state in memory only and the runtime does not retransmit: what the
    # README says about recovery is this test's outcome.
    report = run_network(node, "FastLWW", replicas=3, keys=20, put_percents=[50], seconds=2.0, kill_restart=True,
                         logdir=tmp_path)
    killed = report.results[-1]
    assert killed.killed == 2 and killed.settled
    assert killed.killed_disagrees_on > 0 and not killed.converged
