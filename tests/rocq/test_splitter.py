"""Specification of the sentence splitter: Rocq source to sentences with exact offsets."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from idsynth.rocq.splitter import is_blank, split_sentences, split_with_tail
from idsynth.rocq.types import Sentence


def texts(source: str) -> list[str]:
    return [s.text for s in split_sentences(source)]


def _comment_end(text: str, i: int) -> int | None:
    """Independent oracle: `text[i:]` starts with `(*`; the index past its matching `*)`."""
    depth = 0
    while i < len(text):
        if text.startswith('"', i):
            i += 1
            while not text.startswith('"', i) or text.startswith('""', i):
                if i >= len(text):
                    return None
                i += 2 if text.startswith('""', i) else 1
            i += 1
        elif text.startswith("(*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*)", i):
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
        else:
            i += 1
    return None


def _is_gap(text: str) -> bool:
    """Only blanks (space, tab, newline, carriage return) and whole comments."""
    i = 0
    while i < len(text):
        if text[i] in " \t\n\r":
            i += 1
        elif text.startswith("(*", i) and (end := _comment_end(text, i)) is not None:
            i = end
        else:
            return False
    return True


def assert_partition(source: str, sentences: list[Sentence], tail: Sentence | None) -> None:
    """Gaps + sentences (+ tail) rebuild `source`; offsets increase; gaps are blank/comments."""
    pieces, prev = [], 0
    for s in sentences + ([tail] if tail else []):
        assert prev <= s.start < s.end <= len(source)
        assert source[s.start : s.end] == s.text
        gap = source[prev : s.start]
        assert _is_gap(gap), (gap, s)
        pieces.append(gap + s.text)
        prev = s.end
    pieces.append(source[prev:])
    assert "".join(pieces) == source
    if tail is None:
        assert _is_gap(source[prev:]), source[prev:]
    else:
        assert source[prev:].strip(" \t\n\r") == ""
    for s in sentences:
        assert not is_blank(s.text[0]) and not is_blank(s.text[-1])
        assert not s.text.startswith("(*")  # a whole comment there would be gap


# --- Comments and strings ---------------------------------------------------------------


@pytest.mark.unit
def test_comments_between_sentences_belong_to_no_sentence():
    source = "(* header *)\nLemma a : True.  (* after *)\nProof. exact I. Qed.\n"
    sentences = split_sentences(source)
    assert [s.text for s in sentences] == ["Lemma a : True.", "Proof.", "exact I.", "Qed."]
    assert sentences[0].start == source.index("Lemma")


@pytest.mark.unit
def test_comments_nest():
    assert texts("(* outer (* inner. *) still comment. *) x.") == ["x."]


@pytest.mark.unit
def test_a_comment_inside_a_sentence_is_part_of_it():
    assert texts("intros (* not. an end. *) x. y.") == ["intros (* not. an end. *) x.", "y."]


@pytest.mark.unit
def test_strings_inside_comments_are_lexed_so_a_quoted_closer_does_not_close():
    assert texts('(* "*)" *) a.') == ["a."]
    assert texts('(* "(*" *) a.') == ["a."]


@pytest.mark.unit
def test_open_paren_star_close_paren_opens_a_comment():
    assert texts("(*) still a comment. *) a.") == ["a."]


@pytest.mark.unit
def test_dots_and_comment_markers_in_strings_are_text():
    assert texts('Notation "x . y" := (pair x y). b.') == ['Notation "x . y" := (pair x y).', "b."]
    assert texts('Check "(*". b.') == ['Check "(*".', "b."]


@pytest.mark.unit
def test_doubled_quote_escapes_a_quote_in_a_string():
    # Boundaries cannot tell `"a""b"` from two adjacent strings; this pins the behaviour.
    assert texts('Check "a"". b". c.') == ['Check "a"". b".', "c."]
    assert texts('Check """". c.') == ['Check """".', "c."]


# --- Dots -------------------------------------------------------------------------------


@pytest.mark.unit
def test_dot_ends_a_sentence_only_before_a_blank_or_the_end():
    assert texts("a.\tb.\nc.\rd.") == ["a.", "b.", "c.", "d."]


@pytest.mark.unit
def test_qualified_names_and_fields_are_not_ends():
    source = "Require Import Coq.Lists.List. Check Nat.add x.1 r.(f) p.(Coq.fst)."
    assert texts(source) == ["Require Import Coq.Lists.List.", "Check Nat.add x.1 r.(f) p.(Coq.fst)."]


@pytest.mark.unit
def test_dot_followed_by_a_comment_is_not_an_end_as_in_rocq():
    assert texts("Qed.(* c *) Lemma b. x.") == ["Qed.(* c *) Lemma b.", "x."]


@pytest.mark.unit
def test_double_dot_is_one_token_and_never_an_end():
    source = 'Notation "[ x ; .. ; y ]" := (cons x .. (cons y nil) ..). z.'
    assert texts(source) == ['Notation "[ x ; .. ; y ]" := (cons x .. (cons y nil) ..).', "z."]
    assert texts("f x .. y. z.") == ["f x .. y.", "z."]


@pytest.mark.unit
def test_triple_dot_before_a_blank_ends_a_sentence_like_ltac_use_default():
    # Init/Datatypes.v: `rewrite H...` under `Proof with`.
    assert texts("rewrite H...\n  auto.") == ["rewrite H...", "auto."]
    assert texts("a.... b.") == ["a.... b."]


@pytest.mark.unit
def test_proof_and_qed():
    source = "Lemma t : True.\nProof.\n  exact I.\nQed.\n"
    assert texts(source) == ["Lemma t : True.", "Proof.", "exact I.", "Qed."]


# --- Bullets, braces, focus ---------------------------------------------------------------


@pytest.mark.unit
def test_bullets_at_several_depths_are_sentences_without_dots():
    source = "split.\n- split.\n  + auto.\n  + split.\n    * auto.\n    * auto.\n- auto.\n"
    assert texts(source) == [
        "split.", "-", "split.", "+", "auto.", "+", "split.", "*", "auto.", "*", "auto.", "-", "auto.",
    ]


@pytest.mark.unit
def test_a_bullet_is_a_maximal_run_of_one_character():
    assert texts("-- auto. +++ auto. ** auto. -+ x.") == ["--", "auto.", "+++", "auto.", "**", "auto.", "-", "+", "x."]


@pytest.mark.unit
def test_bullet_characters_inside_a_sentence_are_text():
    assert texts("rewrite <- H; omega - 1 * 2 + 3. x.") == ["rewrite <- H; omega - 1 * 2 + 3.", "x."]


@pytest.mark.unit
def test_braces_at_sentence_start_are_sentences():
    assert texts("- { reflexivity. }") == ["-", "{", "reflexivity.", "}"]
    assert texts("{ { auto. } }") == ["{", "{", "auto.", "}", "}"]


@pytest.mark.unit
def test_braces_inside_a_sentence_are_text():
    assert texts("exists {x : nat | x = 0}. }") == ["exists {x : nat | x = 0}.", "}"]


@pytest.mark.unit
def test_record_braces_at_sentence_start_are_not_a_brace_sentence():
    assert texts("{| a := 1 |}. b.") == ["{| a := 1 |}.", "b."]


@pytest.mark.parametrize("focus", ["2: {", "2:{", "12 :  {", "[x]: {", "[goal_1]:{"])
@pytest.mark.unit
def test_goal_selector_focus_is_one_sentence(focus: str):
    assert texts(f"{focus} auto. }}") == [focus, "auto.", "}"]


@pytest.mark.unit
def test_goal_selector_without_brace_is_an_ordinary_sentence():
    assert texts("2: reflexivity. all: auto.") == ["2: reflexivity.", "all: auto."]


@pytest.mark.unit
def test_bullet_then_comment_then_tactic():
    assert texts("-(* c *) auto.") == ["-", "auto."]


# --- Text and offsets ---------------------------------------------------------------------


@pytest.mark.unit
def test_non_ascii_offsets_are_character_offsets():
    source = "(* é *) Lemma l : ∀ n, n = n → True. x."
    sentences = split_sentences(source)
    assert [s.text for s in sentences] == ["Lemma l : ∀ n, n = n → True.", "x."]
    assert sentences[0].start == 8
    assert all(source[s.start : s.end] == s.text for s in sentences)


@pytest.mark.unit
def test_attributes_and_control_prefixes_are_part_of_the_sentence():
    source = "#[local] Instance i : C. Time Fail Timeout 2 auto. #[global]\nHint Resolve x : core."
    assert texts(source) == ["#[local] Instance i : C.", "Time Fail Timeout 2 auto.", "#[global]\nHint Resolve x : core."]


@pytest.mark.unit
def test_unicode_spaces_are_text_not_blanks():
    assert texts("a.\u00a0b. c.") == ["a.\u00a0b.", "c."]


# --- Unterminated input ------------------------------------------------------------------


@pytest.mark.unit
def test_trailing_unterminated_fragment_is_returned_separately():
    source = "a. b.\n  intros x \n\n"
    sentences, tail = split_with_tail(source)
    assert [s.text for s in sentences] == ["a.", "b."]
    assert tail == Sentence(text="intros x", start=8, end=16)
    assert split_sentences(source) == sentences


@pytest.mark.unit
def test_unterminated_comment_and_string_are_tails():
    assert split_with_tail("a. (* open ")[1] == Sentence(text="(* open", start=3, end=10)
    assert split_with_tail('a. Check "open. b.')[1] == Sentence(text='Check "open. b.', start=3, end=18)
    assert split_with_tail('a. (* "*) *)')[1] == Sentence(text='(* "*) *)', start=3, end=12)


@pytest.mark.unit
def test_complete_input_has_no_tail():
    assert split_with_tail("a. (* c *)  \n") == ([Sentence(text="a.", start=0, end=2)], None)
    assert split_with_tail("") == ([], None)
    assert split_with_tail(" \n(* only *) ") == ([], None)


@pytest.mark.unit
def test_a_dot_run_at_the_end_that_is_not_an_end_is_a_tail():
    assert split_with_tail("x ..")[1] == Sentence(text="x ..", start=0, end=4)


# --- Properties -------------------------------------------------------------------------

_IDENT = st.sampled_from(["x", "H0", "Nat.add", "Coq.Lists.List", "x.1", "r.(f)", "é", "∀", "→", "x'"])
_COMMENT = st.recursive(
    st.sampled_from(["(**)", "(* c *)", '(* "*)" *)', "(* . *)", "(* - { *)"]),
    lambda inner: st.tuples(inner, _IDENT).map(lambda p: f"(* {p[0]} {p[1]} *)"),
    max_leaves=4,
)
_STRING = st.sampled_from(['"s"', '""""', '"a . b"', '"(*"', '"*)"', '"é"'])
_FRAGMENT = st.one_of(
    _IDENT, _COMMENT, _STRING,
    st.sampled_from([".", "..", "...", "-", "--", "+", "***", "{", "}", "{|", "|}", "2: {", "[x]:{",
                     "(", ")", ":", ":=", "#[local]", "Proof.", "Qed.", "*)", '"']),
)
_BLANK = st.sampled_from(["", " ", "\n", "\t", "\r\n", "  "])
_SOURCE = st.lists(st.tuples(_FRAGMENT, _BLANK), max_size=30).map(
    lambda parts: "".join(f + b for f, b in parts)
)


@given(_SOURCE)
@settings(max_examples=400, deadline=None)
@pytest.mark.unit
def test_gaps_and_sentences_rebuild_generated_sources(source: str):
    sentences, tail = split_with_tail(source)
    assert_partition(source, sentences, tail)


@given(st.text())
@settings(max_examples=400, deadline=None)
@pytest.mark.unit
def test_gaps_and_sentences_rebuild_arbitrary_text(source: str):
    sentences, tail = split_with_tail(source)
    assert_partition(source, sentences, tail)


@given(_SOURCE)
@settings(max_examples=200, deadline=None)
@pytest.mark.unit
def test_splitting_a_sentence_alone_gives_it_back(source: str):
    for s in split_sentences(source):
        assert texts(s.text) == [s.text]


# --- The standard library -----------------------------------------------------------------

_STRUCTURAL = re.compile(r"-+|\++|\*+|\{|\}|(?:\d+|\[[ \t\n\r]*[^\W\d][\w']*[ \t\n\r]*\])[ \t\n\r]*:[ \t\n\r]*\{")


def _stdlib_files() -> list[Path]:
    # The corpus is part of the spec of the splitter: no checker means a broken set-up, not a skip.
    assert shutil.which("coqc") is not None, "coqc is not installed: run ./setup.sh"
    where = subprocess.run(["coqc", "-where"], capture_output=True, text=True, check=True).stdout.strip()
    files = sorted((Path(where) / "theories").rglob("*.v"))
    assert len(files) > 500, f"expected the standard library's sources under {where}/theories"
    return files


def test_every_standard_library_file_splits_into_whole_sentences():
    count = 0
    for path in _stdlib_files():
        source = path.read_text(encoding="utf-8")
        sentences, tail = split_with_tail(source)
        assert tail is None, (path, tail)
        assert_partition(source, sentences, tail)
        for s in sentences:
            assert s.text.endswith(".") or _STRUCTURAL.fullmatch(s.text), (path, s)
        count += len(sentences)
    assert count > 100_000
