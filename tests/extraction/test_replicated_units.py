"""Pure parts of the replicated benchmark: the `[bench]` of the KV specs, the replicated-store
shape read from extracted types, the convergence check's wording, reports on disk. No OCaml
compiler and no Rocq here (those are in test_replicated_binaries.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from idsynth.audit import load_spec
from idsynth.extraction import DriverError, load_reports, save_reports, workloads
from idsynth.extraction.mli import read_signature
from idsynth.extraction.replicated import kv_shape, kv_store, replicated_source
from idsynth.extraction.types import (
    BenchReport,
    BenchSection,
    ReplicatedBench,
    ReplicatedWorkload,
    ReplicationCheck,
    bench_section,
)

pytestmark = pytest.mark.unit  # pure Python, starts no checker (tests/tiers.py enforces it)

ROOT = Path(__file__).resolve().parents[2]
KV = ["ryw", "monotonic_reads", "monotonic_writes", "writes_follow_reads", "causal", "convergence", "pram"]

#: The signature part of `impl.mli` as Rocq 8.16 extracts `specs/kv/ryw`'s solution.
KV_MLI = """
type nat =
| O
| S of nat

module type KV_SIG =
 sig
  type t

  type msg

  val init : nat -> t

  val put : nat -> nat -> nat -> t -> t * msg

  val get : nat -> t -> nat option

  val deliverable : t -> msg -> bool

  val deliver : t -> msg -> t
 end

module IdsynthImpl :
 KV_SIG
"""

RENAMED_MLI = """
module type REPLICA =
 sig
  type update

  type replica

  val apply : replica -> update -> replica

  val fresh : int -> replica

  val write : int -> int -> int -> replica -> replica * update

  val ready : replica -> update -> bool

  val read : int -> replica -> int option
 end

module IdsynthImpl :
 REPLICA
"""


@pytest.mark.parametrize("spec", KV)
def test_every_kv_spec_bench_table_is_a_replicated_workload(spec):
    section = bench_section(load_spec(ROOT / "specs" / "kv" / spec).manifest.bench)
    assert isinstance(section, ReplicatedBench)
    assert (section.replicas, section.clients, section.ops, section.keys) == (3, 12, 100_000, [10, 100, 1000])
    assert section.mix == {"put": 40, "get": 40, "deliver": 20} and section.delivery == "seeded_random"


def test_a_section_without_replicas_is_a_single_store_section_and_unknown_keys_are_rejected():
    assert isinstance(bench_section({"ops": 10}), BenchSection)
    with pytest.raises(ValidationError, match="clientz\n  Extra inputs are not permitted"):
        bench_section({"replicas": 3, "clientz": 12})
    with pytest.raises(ValidationError, match="delivery\n  Extra inputs are not permitted"):
        bench_section({"delivery": "seeded_random"})  # replicated-only without `replicas`
    with pytest.raises(ValidationError, match="sum to 100"):
        bench_section({"replicas": 3, "mix": {"put": 50, "get": 40}})
    with pytest.raises(ValidationError, match="greater than 1"):
        bench_section({"replicas": 1})
    with pytest.raises(ValidationError, match="'uniform'"):
        bench_section({"replicas": 3, "distribution": "zipf"})


def test_workloads_of_a_kv_spec_are_replicated_and_map_only_overrides_are_refused():
    spec = load_spec(ROOT / "specs" / "kv" / "ryw")
    loads = workloads(spec, [10], ops=500, time_budget_s=0.5)
    assert [type(w) for w in loads] == [ReplicatedWorkload] and loads[0].keys == 10 and loads[0].ops == 500
    args = loads[0].driver_args()
    assert args[args.index("--replicas") + 1] == "3" and args[args.index("--clients") + 1] == "12"
    assert args[args.index("--mix") + 1] == "put=40,get=40,deliver=20"
    assert args[args.index("--budget-ms") + 1] == "500" and "--check-budget-ms" in args
    assert [w.keys for w in workloads(spec)] == [10, 100, 1000]
    with pytest.raises(DriverError, match="not applicable to a replicated workload: distribution"):
        workloads(spec, distribution="zipf")
    with pytest.raises(DriverError, match="replicated workloads only"):
        workloads(load_spec(ROOT / "specs" / "warmup" / "finite_map"), check_budget_s=1.0)


def test_replica_roles_come_from_types_and_names_from_the_spec():
    shape = kv_shape(read_signature(KV_MLI, "IdsynthImpl"))
    assert (shape.state_type, shape.msg_type) == ("t", "msg")
    assert (shape.init, shape.put, shape.get, shape.deliverable, shape.deliver) == \
        ("init", "put", "get", "deliverable", "deliver")
    assert shape.replica == shape.key == shape.value == "nat"
    other = kv_shape(read_signature(RENAMED_MLI, "IdsynthImpl"))
    assert (other.state_type, other.msg_type, other.init, other.put, other.get, other.deliverable, other.deliver) == \
        ("replica", "update", "fresh", "write", "read", "ready", "apply")
    assert other.key == "int" and other.operations == ["write", "read", "apply"]
    source = replicated_source(kv_store(shape), peano_nat=True)
    assert "let put : replica -> key -> value -> t -> t * msg = Impl.IdsynthImpl.put" in source
    assert "idsynth_nat_table" in source and "Unix.setitimer" in source


def test_a_signature_that_is_not_a_replicated_store_is_a_clear_error():
    no_deliver = KV_MLI.replace("  val deliver : t -> msg -> t\n", "")
    with pytest.raises(DriverError, match=r"no deliver field \(t -> msg -> t\)"):
        kv_shape(read_signature(no_deliver, "IdsynthImpl"))
    map_mli = "module type M =\n sig\n  type t\n\n  val empty : t\n end\n\nmodule IdsynthImpl :\n M\n"
    with pytest.raises(DriverError, match="needs a state and a message type"):
        kv_shape(read_signature(map_mli, "IdsynthImpl"))


def test_the_convergence_check_names_violations_and_an_unfinished_check_is_not_one():
    clean = ReplicationCheck(status="done", after_ops=100, in_flight=40, delivered=40, keys_checked=10)
    assert clean.converged and clean.problems() == [] and clean.incomplete() == ""
    split = clean.model_copy(update={"disagreeing_keys": 3, "written_none": 2})
    assert not split.converged
    assert split.problems() == ["replicas disagree on 3 of 10 keys after every message was delivered",
                                "2 written keys read as None after delivery"]
    stuck = clean.model_copy(update={"undeliverable": 5})
    assert stuck.problems() == ["5 of 40 in-flight messages never became deliverable"]
    slow = ReplicationCheck(status="budget", after_ops=70, in_flight=47, delivered=47)
    assert not slow.converged and slow.problems() == []
    assert "time budget ran out after 47 of 47 deliveries and 0 key reads" in slow.incomplete()


def test_replicated_reports_round_trip_and_version_1_files_still_load(tmp_path):
    w = ReplicatedWorkload(replicas=3, clients=12, keys=10, ops=100, mix={"put": 40, "get": 40, "deliver": 20})
    check = ReplicationCheck(status="done", after_ops=100, in_flight=4, delivered=4, keys_checked=10)
    rep = BenchReport(impl="x", kind="verified", spec="ryw", keys=10, ops=100, workload=w, replication=check)
    assert load_reports(save_reports([rep], tmp_path / "r.json")) == [rep]
    v2 = (tmp_path / "r.json").read_text()
    v1 = v2.replace('"format_version": 2', '"format_version": 1')
    assert v1 != v2
    (tmp_path / "v1.json").write_text(v1)
    assert load_reports(tmp_path / "v1.json") == [rep]
