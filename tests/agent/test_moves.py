"""Moves are validated before they reach Rocq: what touches the spec or cheats is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from idsynth.agent.moves import Refused, protected_statements, validate_and_apply
from idsynth.agent.run import spec_defined_names
from idsynth.agent.skeleton import mark_readonly, skeleton
from idsynth.agent.types import Decompose, Define, Helper, Prove, Repair
from idsynth.audit import load_spec

# Not `unit`: validating a move runs the audit's scan, whose extraction-capture check reads the
# installed OCaml and Rocq (`ocamlfind`, `coqc -where`) once per process (tests/tiers.py caught it).

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def setup():
    spec = load_spec(ROOT / "specs" / "warmup" / "finite_map")
    doc = mark_readonly(skeleton(spec, ["Definition t := list (nat * nat).", "Definition empty : t := nil."]))
    return doc, protected_statements(doc), spec_defined_names(spec)


def apply(move, setup):
    doc, protected, names = setup
    return validate_and_apply(move, doc, protected, names)


def test_define_adds_an_item_inside_the_implementation_module(setup):
    doc = apply(Define(name="get", text="Definition get (k : nat) (m : t) : option nat := None."), setup)
    names = [i.name for i in doc.items]
    assert names.index("Impl.get") < names.index("End Impl")


def test_define_replaces_an_existing_item(setup):
    doc = apply(Define(name="empty", text="Definition empty : t := cons (0, 0) nil."), setup)
    assert "cons (0, 0) nil" in doc.render() and doc.render().count("Definition empty") == 1


def test_prove_replaces_admitted_and_keeps_the_statement(setup):
    doc = apply(Prove(hole="get_empty", script="reflexivity."), setup)
    item = doc.items[doc.index_of("ImplProofs.get_empty")]
    assert item.statement == "Lemma get_empty : forall k, get k empty = None."
    assert item.text.endswith("Qed.") and not item.is_hole


def test_decompose_inserts_helpers_as_holes_before_the_lemma(setup):
    doc = apply(Decompose(hole="get_put_same", helpers=[Helper(name="aux", statement="forall k, k = k")],
                          script="intros. apply aux."), setup)
    names = [i.name for i in doc.items]
    assert names.index("ImplProofs.aux") == names.index("ImplProofs.get_put_same") - 1
    assert doc.items[doc.index_of("ImplProofs.aux")].is_hole


@pytest.mark.parametrize("move, reason", [
    (Define(name="cheat", text="Axiom cheat : False."), "assumption"),
    (Define(name="get", text="Definition get (k : nat) (m : t) : option nat := None.\nExtract Constant get => \"x\"."),
     "forbidden_command"),
    (Prove(hole="get_empty", script="admit."), "hole"),
    (Prove(hole="get_empty", script="Admitted."), "hole"),
    (Define(name="f", text="Unset Guard Checking.\nFixpoint f (n : nat) : nat := f n."), "kernel_bypass"),
    (Repair(item="get_empty", text="Lemma get_empty : True.\nProof. exact I. Qed."), "statement of a correctness theorem"),
    (Define(name="model_get", text="Definition model_get (k : nat) (m : nat) := m.", where="preamble"),
     "would shadow the spec"),
    (Prove(hole="no_such_lemma", script="auto."), "no item named"),
])
def test_cheating_or_spec_touching_moves_are_refused_with_a_reason(setup, move, reason):
    with pytest.raises(Refused, match=reason):
        apply(move, setup)


def test_the_spec_import_is_read_only(setup):
    doc, protected, names = setup
    first = doc.items[0]
    assert first.readonly and first.text.startswith("From Spec Require Import")
    with pytest.raises(Refused, match="belongs to the spec"):
        validate_and_apply(Repair(item=first.name, text="From Spec Require Import spec."), doc, protected, names)


def test_helper_statements_with_binders_or_forall_both_render(setup):
    doc = apply(Decompose(hole="get_put_same", script="intros. apply a.", helpers=[
        Helper(name="a", statement="forall k v m, get k (put k v m) = Some v"),
        Helper(name="b", statement="(n : nat) : n = n")]), setup)
    assert "Lemma a : forall k v m, get k (put k v m) = Some v." in doc.render()
    assert "Lemma b (n : nat) : n = n." in doc.render()


_REFERENCE_MODEL = """Module Reference.
  Definition t := list (nat * nat).
  Definition get (k : nat) (m : t) : option nat := None.
End Reference.
Module ReferenceFacts.
  Import Reference.
  Section S.
    Variable m : t.
    Lemma get_none k : get k m = None.
    Proof. reflexivity. Qed.
  End S.
End ReferenceFacts."""


def test_a_preamble_define_may_carry_complete_helper_modules(setup):
    doc = apply(Define(name="Reference", text=_REFERENCE_MODEL, where="preamble"), setup)
    names = [i.name for i in doc.items]
    assert names.index("End ReferenceFacts") < names.index("Impl")
    assert "ReferenceFacts.get_none" in names
    # Defining the module again replaces it whole, through its `End`.
    again = validate_and_apply(Define(name="Reference", text="Module Reference.\n  Definition t := nat.\nEnd Reference.",
                                      where="preamble"), doc, setup[1], setup[2])
    assert again.render().count("Module Reference.") == 1 and "Reference.get" not in [i.name for i in again.items]


@pytest.mark.parametrize("text, where, reason", [
    ("Module Fake <: FMAP_SIG.\n  Definition t := nat.\nEnd Fake.", "preamble", "names FMAP_SIG"),
    ("Module Fake : FMAP_SIG := Impl.", "preamble", "names FMAP_SIG, Impl"),
    ("Module Fake (M : FMAP_SIG).\nEnd Fake.", "preamble", "names FMAP_SIG"),
    ("Module Type Fake.\n  Parameter t : Type.\nEnd Fake.", "preamble", "module type"),
    ("Declare Module Fake : FMAP_SIG.", "preamble", "declared module"),
    ("Module Impl.\nEnd Impl.", "preamble", "would shadow"),
    ("Module Fake.\n  Definition t := nat.\nEnd Other.", "preamble", "does not close"),
    ("Module Fake.\n  Definition t := nat.", "preamble", "not closed"),
    ("Module Fake.\n  Axiom cheat : False.\nEnd Fake.", "preamble", "assumption"),
    ("Module Fake.\nEnd Fake.", "impl", "not implementation items"),
])
def test_a_helper_module_that_claims_the_spec_or_is_not_closed_is_refused(setup, text, where, reason):
    with pytest.raises(Refused, match=reason):
        apply(Define(name="Fake", text=text, where=where), setup)
