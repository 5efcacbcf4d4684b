"""The session on a corpus nobody here wrote: Rocq's own standard library.

For each named file, `coqc` compiles a copy; wherever it succeeds, feeding the file's
sentences one by one to the live session must succeed sentence by sentence.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from idsynth.rocq import Session, SessionConfig, SentenceOk, split_sentences

SAMPLE = """
Init/Nat.v Init/Peano.v Init/Wf.v Init/Tactics.v Init/Tauto.v Init/Decimal.v
Logic/Decidable.v Logic/Eqdep_dec.v Logic/ProofIrrelevanceFacts.v Logic/Berardi.v Logic/Hurkens.v
Bool/Bool.v Bool/Sumbool.v Bool/BoolEq.v Lists/List.v Lists/ListDec.v Lists/ListTactics.v
Sorting/Permutation.v Sorting/Sorted.v Arith/PeanoNat.v Arith/Compare_dec.v Arith/Between.v
Arith/Euclid.v Arith/Wf_nat.v Arith/Factorial.v Arith/EqNat.v Arith/Peano_dec.v
Relations/Relation_Operators.v Relations/Operators_Properties.v Sets/Ensembles.v
Sets/Relations_1.v Sets/Partial_Order.v Wellfounded/Well_Ordering.v
Wellfounded/Lexicographic_Product.v Classes/RelationClasses.v Structures/Equalities.v
Structures/Orders.v ZArith/Zcompare.v ZArith/Zeven.v PArith/BinPosDef.v NArith/Ndiv_def.v
Program/Basics.v Program/Combinators.v Vectors/Fin.v Unicode/Utf8.v setoid_ring/Ring_theory.v
Numbers/NatInt/NZAxioms.v Strings/Ascii.v Strings/String.v Lists/SetoidList.v
""".split()


def _theories() -> Path:
    out = subprocess.run(["coqc", "-where"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip()) / "theories"


def test_the_sample_names_at_least_thirty_files():
    assert len(set(SAMPLE)) >= 30


@pytest.mark.slow
@pytest.mark.parametrize("relpath", SAMPLE)
def test_stdlib_file_checks_sentence_by_sentence_where_coqc_succeeds(relpath, tmp_path):
    source_path = _theories() / relpath
    flags = ["-noinit"] if relpath.startswith("Init/") else []
    copy = tmp_path / source_path.name
    shutil.copy(source_path, copy)
    compiled = subprocess.run(["coqc", *flags, copy.name], cwd=tmp_path, capture_output=True, timeout=600)
    # The sample is chosen among files coqc compiles; a failure here means the set-up changed.
    assert compiled.returncode == 0, f"coqc fails on {relpath}: {compiled.stdout[-500:]!r}"
    source = source_path.read_text(encoding="utf-8")
    sentences = split_sentences(source)
    assert sentences
    config = SessionConfig(extra_args=flags, cwd=str(tmp_path / "live"), sentence_timeout=120)
    (tmp_path / "live").mkdir()
    with Session(config) as session:
        for n, sentence in enumerate(sentences, 1):
            result = session.add(sentence.text)
            assert isinstance(result, SentenceOk), (
                f"{relpath}: sentence {n} (line {source.count(chr(10), 0, sentence.start) + 1}) "
                f"{sentence.text[:80]!r} -> {result}"
            )
        assert len(session) == len(sentences)
