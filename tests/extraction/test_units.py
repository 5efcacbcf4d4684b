"""Pure parts of `idsynth.extraction`: signatures, map shapes, witness translation, workloads,
refusals. No OCaml compiler and no Rocq here (those are in test_binaries.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from idsynth.audit import load_spec
from idsynth.audit.types import AuditVerdict, Finding, FindingKind, Witness
from idsynth.extraction import DriverError, Workload, extract, map_shape
from idsynth.extraction.libraries import needs_for
from idsynth.extraction.mli import TCon, parse_type, read_signature
from idsynth.extraction.types import BenchSection
from idsynth.extraction.witness import Translator, Untranslatable, translate_witnesses

pytestmark = pytest.mark.unit  # pure Python, starts no checker (tests/tiers.py enforces it)

ROOT = Path(__file__).resolve().parents[2]

FINITE_MAP_MLI = """
type nat =
| O
| S of nat

module type FMAP_SIG =
 sig
  type t

  val empty : t

  val get : nat -> t -> nat option

  val put : nat -> nat -> t -> t

  val remove : nat -> t -> t
 end

module AssocMap :
 sig
  type t = (nat * nat) list

  val empty : t

  val get : nat -> t -> nat option
 end

module IdsynthImpl :
 FMAP_SIG
"""

RENAMED_MLI = """
module type STORE =
 sig
  type store

  val fresh : store

  val lookup_key :
    Uint63.t -> store -> Uint63.t option

  val write : Uint63.t -> Uint63.t -> store -> store

  val size : store -> Uint63.t
 end

module IdsynthImpl :
 STORE
"""


def test_types_of_the_extracted_signature_are_read():
    info = read_signature(FINITE_MAP_MLI, "IdsynthImpl")
    assert info.signature == "FMAP_SIG" and info.peano_nat
    assert info.abstract_types == ["t"]
    assert str(info.values["get"]) == "nat -> t -> nat option"
    assert parse_type("tree -> tree * (Uint63.t * Uint63.t)") == parse_type("tree -> (tree * (Uint63.t * Uint63.t))")
    assert parse_type("(nat * nat) list").name == "list"


def test_map_roles_come_from_types_and_names_from_the_spec():
    shape = map_shape(read_signature(FINITE_MAP_MLI, "IdsynthImpl"))
    assert (shape.empty, shape.lookup, shape.insert, shape.delete) == ("empty", "get", "put", "remove")
    assert shape.key == shape.value == "nat"
    other = map_shape(read_signature(RENAMED_MLI, "IdsynthImpl"))
    assert (other.state_type, other.empty, other.lookup, other.insert, other.delete) == \
        ("store", "fresh", "lookup_key", "write", None)
    assert other.key == "uint63" and other.operations == ["lookup_key", "write"]


def test_an_ambiguous_or_non_map_signature_is_a_clear_error():
    twice = FINITE_MAP_MLI.replace("  val remove", "  val find : nat -> t -> nat option\n\n  val remove")
    with pytest.raises(DriverError, match="several fields could be the lookup \\(get, find\\)"):
        map_shape(read_signature(twice, "IdsynthImpl"))
    assert map_shape(read_signature(twice, "IdsynthImpl"), roles={"lookup": "find"}).lookup == "find"
    counter = "module type C =\n sig\n  type t\n\n  val zero : t\n\n  val incr : t -> t\n end\n\nmodule IdsynthImpl :\n C\n"
    with pytest.raises(DriverError, match="not map-shaped: no lookup"):
        map_shape(read_signature(counter, "IdsynthImpl"))


def test_witnesses_translate_by_type_and_the_rest_is_unprintable():
    nat = Translator(read_signature(FINITE_MAP_MLI, "IdsynthImpl"))
    code = nat.witness(Witness(name="w", expr="M.get 1 (M.put 1 7 M.empty)", expect="Some 7"))
    assert "(Impl.IdsynthImpl.get (idsynth_nat_of_int 1) (Impl.IdsynthImpl.put" in code
    assert "(Some (idsynth_nat_of_int 7))" in code
    u63 = Translator(read_signature(RENAMED_MLI, "IdsynthImpl"))
    big = u63.witness(Witness(name="w", expr="M.lookup_key 9223372036854775807%uint63 M.fresh",
                              expect="None"))
    assert "(Uint63.of_int (-1))" in big  # 2^63-1 is -1 as an OCaml int
    assert "Uint63.of_int (5)" in u63.witness(Witness(name="w", expr="M.size (M.write 5 6 M.fresh)", expect="(5)%uint63"))
    code, skipped = translate_witnesses([
        Witness(name="state", expr="M.put 1 2 M.empty", expect="M.empty"),
        Witness(name="foreign", expr="M.get (Nat.add 1 2) M.empty", expect="None"),
        Witness(name="list", expr="M.get 1 M.empty", expect="[1]"),
        Witness(name="ok", expr="M.get 1 M.empty", expect="None"),
    ], read_signature(FINITE_MAP_MLI, "IdsynthImpl"))
    assert list(code) == ["ok"]
    assert "not printed" in skipped["state"]
    assert "Nat.add" in skipped["foreign"]
    assert "list" in skipped
    with pytest.raises(Untranslatable):
        nat.witness(Witness(name="w", expr="M.get 1%uint63 M.empty", expect="None"))


def test_library_needs_and_unsound_opt_ins():
    int63 = needs_for(["ExtrOcamlBasic", "ExtrOCamlInt63"])
    assert int63.packages == ["coq-core.vm"] and ("coq-core.kernel", "uint63.ml") in int63.sources
    assert not int63.unsound
    assert needs_for(["ExtrOcamlNatInt", "ExtrOcamlZInt"]).unsound == ["ExtrOcamlNatInt", "ExtrOcamlZInt"]
    assert needs_for(["ExtrSomethingElse"]).unknown == ["ExtrSomethingElse"]


def test_workloads_are_validated():
    with pytest.raises(ValidationError, match="sum to 100"):
        BenchSection(mix={"get": 50, "put": 40})
    with pytest.raises(ValidationError, match="power of two"):
        Workload(keys=10, ops=10, mix={"get": 100}, sample_every=3)
    args = Workload(keys=10, ops=20, mix={"get": 70, "put": 30}, time_budget_s=0.25).driver_args()
    assert args[args.index("--mix") + 1] == "get=70,put=30" and args[args.index("--budget-ms") + 1] == "250"


def _verdict(**kw) -> AuditVerdict:
    base = dict(accepted=True, findings=[], spec_name="finite_map", spec_hash="0" * 64,
                solution_sha256="0" * 64, impl_module="AssocMap", proofs_module="AssocMapProofs")
    return AuditVerdict(**{**base, **kw})


def test_extraction_is_refused_without_an_accepting_verdict_for_that_file(tmp_path):
    spec = load_spec(ROOT / "specs" / "warmup" / "finite_map")
    solution = ROOT / "tests" / "data" / "solutions" / "finite_map.v"
    rejected = _verdict(accepted=False, findings=[Finding(kind=FindingKind.HOLE, where="x", detail="Admitted")])
    r = extract(spec, solution, tmp_path / "w", verdict=rejected)
    assert not r.ok and r.refused and "rejected" in r.message and "hole" in r.message
    r = extract(spec, solution, tmp_path / "w", verdict=_verdict(spec_hash=spec.sha256))
    assert r.refused and "changed since it was audited" in r.message
    import hashlib
    sha = hashlib.sha256(solution.read_bytes()).hexdigest()
    r = extract(spec, solution, tmp_path / "w", verdict=_verdict(solution_sha256=sha))
    assert r.refused and "the verdict is for spec" in r.message
    r = extract(spec, solution, tmp_path / "w", "OtherModule", verdict=_verdict(solution_sha256=sha, spec_hash=spec.sha256))
    assert r.refused and "not the one the audit checked" in r.message
    assert not (tmp_path / "w").exists()  # nothing was compiled
