"""The replicated driver on real binaries (slow: coqc, coqchk, ocamlopt): an audited KV store
extracted and simulated as three replicas, hand-written broken stores caught by the
convergence check, and `bench` end to end on a KV spec. The audit is never faked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsynth.audit import audit_solution, load_spec
from idsynth.extraction import StoreBinary, bench, build_extracted_store
from idsynth.extraction.replicated import build_handwritten
from idsynth.extraction.run import run_binary
from idsynth.extraction.types import KVShape, ReplicatedWorkload, ReplicationCheck

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RYW = ROOT / "specs" / "kv" / "ryw"
RYW_SOLUTION = ROOT / "tests" / "data" / "solutions" / "kv" / "ryw.v"
MIX = {"put": 40, "get": 40, "deliver": 20}

#: A hand-written last-writer-wins store (state = the whole map, message = a snapshot), with
#: `DELIVER` and `GUARD` left open so that tests can break it.
LWW = """module Store = struct
  module M = Map.Make (Int)
  type t = { clock : int; kv : (int * int * int) M.t }
  type msg = t
  type replica = int
  type key = int
  type value = int
  let init _ = { clock = 0; kv = M.empty }
  let newer (t1, o1, _) (t2, o2, _) = t1 > t2 || (t1 = t2 && o1 > o2)
  let put r k v st = let c = st.clock + 1 in let st' = { clock = c; kv = M.add k (c, r, v) st.kv } in (st', st')
  let get k st = match M.find_opt k st.kv with Some (_, _, v) -> Some v | None -> None
  let deliverable (_ : t) (_ : msg) = GUARD
  let deliver st m = DELIVER
  let replica_table n = Array.init n (fun i -> i)
  let key_table n = Array.init n (fun i -> i)
  let value_table n = Array.init n (fun i -> i)
  let value_to_int (v : int) = v
  let names = [| "put"; "get"; "deliver" |]
end
"""
MERGE = "{ clock = max st.clock m.clock; kv = M.union (fun _ a b -> Some (if newer a b then a else b)) st.kv m.kv }"


@pytest.fixture(scope="module")
def ryw(tmp_path_factory):
    spec = load_spec(RYW)
    verdict = audit_solution(spec, RYW_SOLUTION)
    assert verdict.accepted, verdict.findings
    workdir = tmp_path_factory.mktemp("ryw")
    store = build_extracted_store(spec, RYW_SOLUTION, workdir, name="ryw", verdict=verdict)
    assert isinstance(store, StoreBinary), store
    return spec, verdict, store


def _run(binary: Path, w: ReplicatedWorkload, cwd: Path) -> dict:
    r = run_binary([str(binary), *w.driver_args()], cwd, timeout=120)
    assert r.ok, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1, r.stdout
    return json.loads(lines[0])


def _handwritten(tmp_path: Path, name: str, guard: str = "true", deliver: str = MERGE) -> Path:
    result = build_handwritten(LWW.replace("GUARD", guard).replace("DELIVER", deliver), tmp_path / name, name)
    assert result.ok and result.binary is not None, result.compiler_output
    return result.binary


def test_the_extracted_kv_store_runs_as_three_replicas_and_converges(ryw, tmp_path):
    _, _, store = ryw
    assert isinstance(store.shape, KVShape) and store.shape.key == "nat"
    # A short history: the store's state is a chain of closures, exponential in its length.
    w = ReplicatedWorkload(replicas=3, clients=12, keys=4, ops=30, mix=MIX, repetitions=2, time_budget_s=20,
                           check_budget_s=60, sample_every=4)
    out = _run(store.binary, w, tmp_path)
    assert out["mode"] == "replicated" and (out["replicas"], out["keys"], out["ops"]) == (3, 4, 30)
    assert len(out["passes"]) == 2 and all(p["ops_done"] == 30 and p["ns"] > 0 for p in out["passes"])
    untimed = [{k: v for k, v in p.items() if k not in ("ns", "ops_per_s")} for p in out["passes"]]
    assert untimed[0] == untimed[1]  # the same seeded schedule in every pass
    assert all(p["ops_per_s"] == pytest.approx(30 / (p["ns"] / 1e9), rel=1e-3) for p in out["passes"])
    assert set(out["latency"]) <= {"put", "get", "deliver"} and out["vm_hwm_kb"] > 0
    check = ReplicationCheck.model_validate(out["check"])
    assert check.converged and check.after_ops == 30 and check.delivered == check.in_flight > 0
    assert check.keys_checked == 4


def test_the_pass_budget_stops_a_slow_store_inside_an_operation(ryw, tmp_path):
    _, _, store = ryw
    w = ReplicatedWorkload(replicas=3, clients=12, keys=10, ops=100_000, mix=MIX, repetitions=1,
                           time_budget_s=0.3, check_budget_s=0.3)
    out = _run(store.binary, w, tmp_path)
    (p,) = out["passes"]
    assert 0 < p["ops_done"] < 1000 and 0.3e9 <= p["ns"] < 0.6e9
    check = ReplicationCheck.model_validate(out["check"])
    assert check.status == "budget" and check.after_ops == p["ops_done"] and check.incomplete()


def test_a_store_that_drops_messages_or_never_delivers_is_reported(tmp_path):
    w = ReplicatedWorkload(replicas=3, clients=12, keys=50, ops=20_000, mix=MIX, repetitions=1,
                           time_budget_s=30, check_budget_s=30)
    good = ReplicationCheck.model_validate(_run(_handwritten(tmp_path, "lww"), w, tmp_path)["check"])
    assert good.converged and good.keys_checked == 50
    dropped = ReplicationCheck.model_validate(_run(_handwritten(tmp_path, "drop", deliver="st"), w, tmp_path)["check"])
    assert not dropped.converged and dropped.disagreeing_keys > 0 and dropped.undeliverable == 0
    assert dropped.checksum != good.checksum
    stuck = ReplicationCheck.model_validate(_run(_handwritten(tmp_path, "stuck", guard="false"), w, tmp_path)["check"])
    assert stuck.status == "done" and stuck.delivered == 0 and stuck.undeliverable == stuck.in_flight > 0
    assert "never became deliverable" in stuck.problems()[0]


def test_bench_on_a_kv_spec_runs_the_store_beside_its_closure_chain_reference(ryw, tmp_path):
    spec, verdict, _ = ryw
    reports = bench(spec, [RYW_SOLUTION], [4], workdir=tmp_path / "bench", ops=30, repetitions=2,
                    time_budget_s=20, check_budget_s=60, verdicts={RYW_SOLUTION: verdict})
    assert [(r.impl, r.kind) for r in reports] == [("ryw", "verified"), ("closure-chain", "baseline-verified")]
    for r in reports:
        assert r.ok and r.passes == 2 and r.ops_done_median == 30 and r.ops_per_s_median > 0, r
        assert isinstance(r.workload, ReplicatedWorkload) and r.hits is None
        assert r.replication is not None and r.replication.converged and r.message == ""
    # The two files hold the same store: the same schedule gives the same answers.
    assert reports[0].replication.checksum == reports[1].replication.checksum
