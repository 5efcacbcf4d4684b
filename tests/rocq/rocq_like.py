"""Hypothesis strategies for Rocq-like text whose intended reading is known.

A generated file is a list of `Definition dN := N.` commands, each behind a random stack
of control prefixes and attributes, with comments slipped between its tokens. The
comments are the hard part of Rocq's lexer: they nest, they contain strings whose text is
`*)`, `(*` or `""`, and they contain decoy commands (`Definition zN := 0.`) that must
never run. `Generated.defined` is what coqc must define; `Generated.keywords` what a
reader must see.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

STRING_BODIES = ['*)', '(*', '""', '"" *)', ". Definition zs := 0. (*", "*) Definition zt := 0. (*", "", "é"]

_strings = st.sampled_from(STRING_BODIES).map(lambda body: '"' + body.replace('"', '""') + '"')
_comment_atoms = st.one_of(
    st.sampled_from(["", " c ", ". ", " Definition zc := 0. ", "*", "(", ")", "- { ", "Time", "\n"]),
    _strings,
)
comments = st.recursive(
    st.lists(_comment_atoms, max_size=4).map(lambda parts: "(* " + " ".join(parts) + " *)"),
    lambda inner: st.lists(st.one_of(_comment_atoms, inner), min_size=1, max_size=4).map(
        lambda parts: "(* " + " ".join(parts) + " *)"),
    max_leaves=6,
)
_gap = st.one_of(st.just(" "), st.just("\n"), comments.map(lambda c: f" {c} "))

# What may stand before `Definition`, in the order Coq 8.16 accepts, and whether the
# definition survives it.
_CONTROLS = [("Time", True), ("Timeout 5", True), ('Redirect "r"', True), ("Succeed", False)]
_ATTRIBUTES = ["", "#[local]", "Local", "#[global]", "Global"]


@dataclass(frozen=True)
class Generated:
    source: str
    defined: frozenset[str]
    """Names coqc defines: every `dN` not behind `Succeed`/`Fail`."""
    keywords: tuple[str, ...]
    """The command keyword of each sentence, in order."""
    controls: tuple[tuple[str, ...], ...]


@st.composite
def rocq_files(draw, max_sentences: int = 5) -> Generated:
    n = draw(st.integers(min_value=1, max_value=max_sentences))
    parts, defined, keywords, controls = [], set(), [], []
    for i in range(n):
        chosen = draw(st.lists(st.sampled_from(_CONTROLS), max_size=3))
        failing = draw(st.booleans()) and draw(st.booleans())  # Fail in front, about one in four
        attribute = draw(st.sampled_from(_ATTRIBUTES))
        words = [c for c, _ in chosen] + (["Fail"] if failing else []) + ([attribute] if attribute else [])
        body = f"Definition d{i} := {'no_such_name' if failing else i}."
        tokens = words + body.split(" ")
        text = ""
        for k, token in enumerate(tokens):
            text += token
            if k < len(tokens) - 1:
                text += draw(_gap)
        parts.append(draw(_gap) + text + "\n")
        if all(survives for _, survives in chosen) and not failing:
            defined.add(f"d{i}")
        keywords.append("Definition")
        controls.append(tuple(w.split()[0] for w in words if w and w[0] != "#" and w not in ("Local", "Global")))
    return Generated("".join(parts), frozenset(defined), tuple(keywords), tuple(controls))


def all_names(generated: Generated) -> list[str]:
    """Every name a reader could wrongly think defined: the real ones and the decoys."""
    real = [f"d{i}" for i in range(len(generated.keywords))]
    return real + ["zc", "zs", "zt"]
