"""How a document groups proofs that do not end in `Qed`: one-sentence `Proof <term>.` and
declarations whose body is given by tactics. A wrong grouping would swallow the items after
them into one (and `idsynth prove` would take a whole region for one hole)."""

from __future__ import annotations

import pytest

from idsynth.rocq import Document

pytestmark = pytest.mark.unit  # pure Python, starts no checker (tests/tiers.py enforces it)

SOURCE = """Theorem t : True. Proof I.
Lemma u : True. Proof. exact I. Qed.
Definition d : nat. exact 0. Defined.
Instance i : Inhabited nat. Admitted.
Definition e : nat := 3.
Lemma v : True.
Proof using. exact I. Qed.
"""


def test_each_declaration_is_its_own_item_whatever_closes_its_proof():
    doc = Document.from_source(SOURCE)
    assert [it.name for it in doc.items] == ["t", "u", "d", "i", "e", "v"]
    assert doc.render() == SOURCE


def test_a_tactic_body_is_a_proof_and_an_admitted_one_a_hole():
    doc = Document.from_source(SOURCE)
    by_name = {it.name: it for it in doc.items}
    assert by_name["d"].has_proof and not by_name["d"].is_hole
    assert by_name["i"].is_hole
    assert not by_name["e"].has_proof
    assert by_name["v"].text.endswith("Qed.")
