"""The `auto` policy's design catalogue, against the real Rocq checker.

Every design the catalogue yields is checked again here, independently of the catalogue's
own verification: its skeleton, followed by `Module M := Impl.` and one
`Goal e = v. vm_compute. reflexivity. Qed.` per witness, is compiled by `coqc` against a
separately compiled pristine copy of the spec.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from idsynth.agent.auto.catalogue import (
    GRAMMAR,
    Catalogue,
    CatalogueLimits,
    _fill,
    _Pair,
    _Some,
    _Term,
    describe_signature,
    parse_type,
    pristine_config,
    render_type,
)
from idsynth.agent.skeleton import skeleton
from idsynth.agent.types import Design
from idsynth.audit.spec import load_spec
from idsynth.audit.types import Spec
from idsynth.rocq import Session, SessionConfig, SentenceOk
from idsynth.rocq.tools import compile_file

ROOT = Path(__file__).resolve().parents[2]
WARMUP = ROOT / "specs" / "warmup"


def _check_independently(spec: Spec, design: Design, tmp: Path) -> None:
    """The design's skeleton compiles (theorems Admitted) and every witness holds, by coqc."""
    doc = skeleton(spec, [d.text for d in design.moves if d.where == "impl"],
                   preamble=[d.text for d in design.moves if d.where == "preamble"])
    lines = [doc.render(), "Module M := Impl."]
    for w in spec.manifest.witness:
        lines.append(f"Goal ({w.expr}) = ({w.expect}). vm_compute. reflexivity. Qed.")
    tmp.mkdir(parents=True, exist_ok=True)
    config = pristine_config(spec, tmp)
    source = tmp / "solution.v"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = compile_file(source, config.load_paths, timeout=120)
    assert result.ok, f"{design.name}: {result.one_line()}\n{source.read_text()}"


def _impl_names(design: Design) -> set[str]:
    return {d.name for d in design.moves if d.where == "impl"}


def _first_design(spec: Spec, limits: CatalogueLimits | None = None) -> tuple[Design, Catalogue]:
    catalogue = Catalogue.open(spec, limits)
    design = next(catalogue.designs(), None)
    assert design is not None, f"{spec.manifest.name}: no design; notes: {catalogue.notes}"
    return design, catalogue


# -- pure: types and shapes ------------------------------------------------------------------


@pytest.mark.unit
def test_types_parse_and_render_back():
    for text in ["nat", "t -> option nat", "nat -> nat -> t -> t", "t -> bool * t", "t -> option nat * t",
                 "list (nat * nat)", "(nat -> nat) -> t", "nat * nat * nat", "nat * (bool * t)"]:
        assert render_type(parse_type(text)) == text
    assert parse_type("bool * t") == ("*", "bool", "t")
    assert parse_type("nat -> t -> t") == ("->", "nat", ("->", "t", "t"))


@pytest.mark.unit
def test_a_map_is_recognised_by_the_types_of_its_fields_in_any_argument_order():
    shape = describe_signature([("db", "Type"), ("blank", "db"), ("lookup", "db -> nat -> option bool"),
                                ("store", "bool -> nat -> db -> db"), ("forget", "nat -> db -> db"),
                                ("has", "nat -> db -> bool")])
    assert shape.kind == "map" and shape.state == "db"
    assert (shape.key, shape.value) == ("nat", "bool")
    roles = {f.name: f.role for f in shape.fields}
    assert roles == {"db": "state_type", "blank": "constant", "lookup": "lookup", "store": "insert",
                     "forget": "delete", "has": "member"}
    assert "map over db" in shape.summary()


@pytest.mark.unit
def test_everything_else_is_general_or_unsupported():
    bank = describe_signature([("t", "Type"), ("init", "t"), ("deposit", "nat -> t -> t"),
                               ("withdraw", "nat -> t -> bool * t"), ("balance", "t -> nat")])
    assert bank.kind == "general"
    assert {f.name: f.role for f in bank.fields}["deposit"] == "update"
    assert {f.name: f.role for f in bank.fields}["withdraw"] == "step"
    # a lookup and an insert, but also an observer no map entry provides
    sized = describe_signature([("t", "Type"), ("e", "t"), ("get", "nat -> t -> option nat"),
                                ("put", "nat -> nat -> t -> t"), ("size", "t -> nat")])
    assert sized.kind == "general"
    two = describe_signature([("k", "Type"), ("t", "Type"), ("e", "t")])
    assert two.kind == "unsupported" and "2 abstract type" in two.reason


# -- the grammar is data, and its Python shadow agrees with Rocq --------------------------------

_ARGS = {"nat": [0, 1, 3, 7], "bool": [True, False], "list nat": [(), (4,), (2, 5, 1)],
         "option nat": [None, _Some(3)]}


def _rocq(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        return "(@nil nat)" if not value else "(" + " :: ".join(map(str, value)) + " :: nil)"
    if isinstance(value, _Some):
        return f"(Some {_rocq(value.value)})"
    if isinstance(value, _Pair):
        return f"({_rocq(value.a)}, {_rocq(value.b)})"
    return "(@None nat)"


def test_every_snippet_means_in_python_what_it_means_in_rocq():
    instances = {"pair": ("nat", "list nat"), "guarded": ("bool", "nat", "nat")}
    with Session(SessionConfig()) as s:
        assert isinstance(s.add("Require Import Coq.Arith.PeanoNat Coq.Lists.List."), SentenceOk)
        assert isinstance(s.add("Import ListNotations."), SentenceOk)
        checked = 0
        for snip in GRAMMAR:
            holes = instances.get(snip.name, snip.holes)
            pools = [_ARGS[h] for h in holes]
            combos = [[]]
            for pool in pools:
                combos = [c + [v] for c in combos for v in pool]
            for args in combos:
                parts = [_Term(_rocq(a), 1, lambda x: None, None, frozenset(), "atom") for a in args]
                term = _fill(snip.template, parts)
                expected = _rocq(snip.py(*args))
                r = s.query(f"Check (ltac:(vm_compute; reflexivity) : ({term}) = {expected}).")
                assert isinstance(r, SentenceOk), f"{snip.name}: {term} is not {expected} in Rocq: {r}"
                checked += 1
        assert checked > 100


# -- the warm-up specs ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "finite_map",
    "counter",
    pytest.param("bank_account", marks=pytest.mark.slow),
    pytest.param("bounded_queue", marks=pytest.mark.slow),
])
def test_each_warmup_gets_a_design_that_compiles_and_satisfies_every_witness(name, tmp_path):
    spec = load_spec(WARMUP / name)
    design, catalogue = _first_design(spec)
    try:
        # No wall-clock bound here: the search is bounded by CatalogueLimits itself, and
        # the time it takes on a shared machine measures the load, not the catalogue.
        fields = {n for n, _ in catalogue.fields}
        assert fields <= _impl_names(design), "a Define for every signature field"
        assert design.notes.startswith(("catalogue:", "grammar:"))
        ok, why = catalogue.verify(design)
        assert ok, why
    finally:
        catalogue.close()
    _check_independently(spec, design, tmp_path / "check")


def test_the_finite_map_gets_an_association_list_and_a_closure(tmp_path):
    spec = load_spec(WARMUP / "finite_map")
    with Catalogue.open(spec) as catalogue:
        designs = list(catalogue.designs())
        assert catalogue.shape.kind == "map"
    by_name = {d.name: d for d in designs}
    assert {"assoc_list", "closure"} <= set(by_name)
    assert "association list" in by_name["assoc_list"].representation
    assert "closure" in by_name["closure"].representation
    for design in designs:
        _check_independently(spec, design, tmp_path / design.name)


def test_excluded_designs_are_skipped():
    spec = load_spec(WARMUP / "finite_map")
    with Catalogue.open(spec) as catalogue:
        names = [d.name for d in catalogue.designs(exclude={"assoc_list"})]
    assert names and names[0] == "closure" and "assoc_list" not in names


def test_the_queue_guard_uses_the_spec_constant_found_by_asking_rocq():
    spec = load_spec(WARMUP / "bounded_queue")
    with Catalogue.open(spec) as catalogue:
        assert ("capacity", 4) in catalogue.constants
        assert catalogue.shape.kind == "general"


# -- genericity: specs written here, with other names and argument orders ----------------------

DICT_V = """(** A dictionary from nat keys to boolean flags; lookups take the store first. *)
Module Type DICT_SIG.
  Parameter db : Type.
  Parameter blank : db.
  Parameter lookup : db -> nat -> option bool.
  Parameter store : bool -> nat -> db -> db.
  Parameter forget : nat -> db -> db.
  Parameter has : nat -> db -> bool.
End DICT_SIG.

Module Type DICT_CORRECT (Import D : DICT_SIG).
  Axiom lookup_blank : forall k, lookup blank k = None.
  Axiom lookup_store_same : forall v k d, lookup (store v k d) k = Some v.
  Axiom lookup_store_other : forall v k k' d, k <> k' -> lookup (store v k d) k' = lookup d k'.
  Axiom lookup_forget : forall k d, lookup (forget k d) k = None.
  Axiom has_lookup : forall k d, has k d = match lookup d k with Some _ => true | None => false end.
End DICT_CORRECT.
"""

DICT_TOML = """name = "dict"
signature = "DICT_SIG"
correctness = "DICT_CORRECT"

[[witness]]
name = "store_then_lookup"
expr = "M.lookup (M.store true 3 M.blank) 3"
expect = "Some true"

[[witness]]
name = "other_keys_kept"
expr = "M.lookup (M.store false 1 (M.store true 2 M.blank)) 2"
expect = "Some true"

[[witness]]
name = "overwrite"
expr = "M.lookup (M.store false 6 (M.store true 6 M.blank)) 6"
expect = "Some false"

[[witness]]
name = "forget_forgets"
expr = "M.has 5 (M.forget 5 (M.store true 5 M.blank))"
expect = "false"

[[witness]]
name = "has_sees_false_values"
expr = "M.has 4 (M.store false 4 M.blank)"
expect = "true"
"""

METER_V = """(** A meter: ticks, bulk additions, a reading, and a take that reads and resets. *)
Module Type METER_SIG.
  Parameter state : Type.
  Parameter zero : state.
  Parameter tick : state -> state.
  Parameter add_many : nat -> state -> state.
  Parameter peek : state -> nat.
  Parameter take : state -> nat * state.
End METER_SIG.

Module Type METER_CORRECT (Import M : METER_SIG).
  Axiom peek_zero : peek zero = 0.
  Axiom peek_tick : forall s, peek (tick s) = S (peek s).
  Axiom peek_add : forall n s, peek (add_many n s) = peek s + n.
  Axiom take_reads : forall s, fst (take s) = peek s.
  Axiom take_resets : forall s, peek (snd (take s)) = 0.
End METER_CORRECT.
"""

METER_TOML = """name = "meter"
signature = "METER_SIG"
correctness = "METER_CORRECT"

[[witness]]
name = "ticks_count"
expr = "M.peek (M.tick (M.tick M.zero))"
expect = "2"

[[witness]]
name = "bulk_adds"
expr = "M.peek (M.add_many 3 (M.tick M.zero))"
expect = "4"

[[witness]]
name = "take_reads"
expr = "fst (M.take (M.add_many 2 (M.tick M.zero)))"
expect = "3"

[[witness]]
name = "take_resets"
expr = "M.peek (snd (M.take (M.tick M.zero)))"
expect = "0"

[[witness]]
name = "counts_again_after_take"
expr = "M.peek (M.tick (snd (M.take (M.add_many 5 M.zero))))"
expect = "1"

# an infix the Python shadow does not read: Rocq alone checks this one during the search
[[witness]]
name = "bulk_of_a_sum"
expr = "M.peek (M.add_many (2 + 3) M.zero)"
expect = "5"
"""


def _write_spec(tmp: Path, name: str, v: str, toml: str) -> Spec:
    directory = tmp / name
    directory.mkdir(parents=True)
    (directory / "spec.v").write_text(v, encoding="utf-8")
    (directory / "spec.toml").write_text(toml, encoding="utf-8")
    return load_spec(directory)


def test_a_new_map_with_other_names_and_orders_gets_every_map_design(tmp_path):
    spec = _write_spec(tmp_path, "dict", DICT_V, DICT_TOML)
    with Catalogue.open(spec) as catalogue:
        shape = catalogue.shape
        designs = list(catalogue.designs())
    assert shape.kind == "map" and (shape.key, shape.value) == ("nat", "bool")
    assert [d.name for d in designs] == ["assoc_list", "closure", "bst"]
    for design in designs:
        assert {"db", "blank", "lookup", "store", "forget", "has"} <= _impl_names(design)
        _check_independently(spec, design, tmp_path / "check" / design.name)


def test_a_new_general_spec_with_other_names_gets_an_enumerated_design(tmp_path):
    spec = _write_spec(tmp_path, "meter", METER_V, METER_TOML)
    with Catalogue.open(spec) as catalogue:
        design = next(catalogue.designs(), None)
        notes = list(catalogue.notes)
    assert design is not None, notes  # bounded by CatalogueLimits, not by a wall-clock assert
    assert design.name.startswith("enum:") and design.notes.startswith("grammar:")
    assert {"state", "zero", "tick", "add_many", "peek", "take"} <= _impl_names(design)
    assert "Rocq witness checks" in design.notes
    _check_independently(spec, design, tmp_path / "check")


def test_an_unsupported_signature_yields_nothing_and_says_why(tmp_path):
    v = """Module Type TWO_SIG.
  Parameter k : Type.
  Parameter t : Type.
  Parameter e : t.
End TWO_SIG.
Module Type TWO_CORRECT (Import M : TWO_SIG).
  Axiom trivial : e = e.
End TWO_CORRECT.
"""
    spec = _write_spec(tmp_path, "two", v, 'name = "two"\nsignature = "TWO_SIG"\ncorrectness = "TWO_CORRECT"\n')
    with Catalogue.open(spec) as catalogue:
        assert list(catalogue.designs()) == []
        assert any("abstract type" in n for n in catalogue.notes)


ZMAP_V = """Require Import Coq.ZArith.ZArith.
Module Type ZMAP_SIG.
  Parameter m : Type.
  Parameter nothing : m.
  Parameter set : Z -> nat -> m -> m.
  Parameter find : Z -> m -> option nat.
End ZMAP_SIG.
Module Type ZMAP_CORRECT (Import M : ZMAP_SIG).
  Axiom find_set : forall k v x, find k (set k v x) = Some v.
End ZMAP_CORRECT.
"""

ZMAP_TOML = """name = "zmap"
signature = "ZMAP_SIG"
correctness = "ZMAP_CORRECT"

[[witness]]
name = "set_then_find"
expr = "M.find 3%Z (M.set 3%Z 7 (M.set (-2)%Z 1 M.nothing))"
expect = "Some 7"

[[witness]]
name = "set_keeps_other_keys"
expr = "M.find (-2)%Z (M.set 3%Z 7 (M.set (-2)%Z 1 M.nothing))"
expect = "Some 1"
"""


@pytest.mark.slow
def test_a_map_on_integer_keys_without_delete_imports_its_key_equality(tmp_path):
    spec = _write_spec(tmp_path, "zmap", ZMAP_V, ZMAP_TOML)
    with Catalogue.open(spec) as catalogue:
        designs = list(catalogue.designs())
    assert [d.name for d in designs] == ["assoc_list", "closure", "bst"]
    assert all("ZArith" in d.moves[0].text and d.moves[0].where == "preamble" for d in designs)
    for design in designs:
        _check_independently(spec, design, tmp_path / "check" / design.name)
