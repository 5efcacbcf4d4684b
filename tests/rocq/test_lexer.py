"""Specification of the one Rocq lexer and the command view built on it, and of every
consumer reading Rocq text the same way (splitter, documents, audit scan), including the
way coqc itself reads it."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idsynth.audit.scan import scan_solution
from idsynth.rocq import Document, split_sentences
from idsynth.rocq.lexer import Kind, code_only, marks, tokenize, without_comments
from idsynth.rocq.syntax import parse

sys.path.insert(0, str(Path(__file__).parent))
from rocq_like import all_names, rocq_files  # noqa: E402


def kinds(source: str) -> list[tuple[str, str]]:
    return [(t.kind.value, t.text(source)) for t in tokenize(source) if t.kind is not Kind.BLANK]


# --- The lexer ---------------------------------------------------------------------------


def test_a_string_inside_a_comment_is_lexed_so_its_closer_does_not_close():
    assert kinds('Time (* "*)" *) Load x.') == [
        ("word", "Time"), ("comment", '(* "*)" *)'), ("word", "Load"), ("word", "x"), ("dots", "."),
    ]


def test_comments_nest_and_a_paren_star_paren_opens_one():
    assert kinds("(* a (* b *) c *) d") == [("comment", "(* a (* b *) c *)"), ("word", "d")]
    assert kinds("(*) still *) e") == [("comment", "(*) still *)"), ("word", "e")]


def test_a_doubled_quote_is_a_quote_inside_a_string():
    assert kinds('"a""b" c') == [("string", '"a""b"'), ("word", "c")]


def test_qualified_names_are_one_word_and_a_final_dot_is_its_own_token():
    assert kinds("Coq.Lists.List.") == [("word", "Coq.Lists.List"), ("dots", ".")]
    assert kinds("x.1 ..") == [("word", "x"), ("dots", "."), ("number", "1"), ("dots", "..")]


def test_unterminated_comments_and_strings_run_to_the_end_unclosed():
    tokens = list(tokenize('a (* "x *) b'))
    assert tokens[-1].kind is Kind.COMMENT and not tokens[-1].closed and tokens[-1].end == len('a (* "x *) b')
    assert not list(tokenize('"open'))[-1].closed


@given(st.text(alphabet='(*)" .ab\n', max_size=40))
@settings(max_examples=300, deadline=None)
def test_tokens_cover_the_text_exactly(source: str):
    pos = 0
    for token in tokenize(source):
        assert token.start == pos and token.end > token.start
        pos = token.end
    assert pos == len(source)


@given(st.text(alphabet='(*)" .ab1\n', max_size=60))
@settings(max_examples=400, deadline=None)
def test_the_splitters_fast_path_sees_the_same_comments_strings_and_dots(source: str):
    full = [t for t in tokenize(source) if t.kind in (Kind.COMMENT, Kind.STRING, Kind.DOTS)]
    fast = list(marks(source))
    assert [t for t in fast if t.kind is not Kind.DOTS] == [t for t in full if t.kind is not Kind.DOTS]
    # Every dot run of the full lexer is one of the fast path's; the extra ones sit inside
    # qualified names, followed by a name character, so they never end a sentence.
    extra = set(fast) - set(full)
    assert {t for t in full if t.kind is Kind.DOTS} <= set(fast)
    assert all(t.kind is Kind.DOTS and source[t.end:t.end + 1].isalnum() for t in extra)


def test_code_only_blanks_comments_and_strings_in_place():
    source = 'Check "Admitted". (* Axiom\n x *) y.'
    code = code_only(source)
    assert len(code) == len(source) and code.count("\n") == 1
    assert "Admitted" not in code and "Axiom" not in code and code.startswith("Check ")
    assert without_comments(source) == 'Check "Admitted".   y.'


# --- The command view ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["Time", "Timeout 5", "Fail", "Succeed", 'Redirect "f"', "Instructions",
                                    "Profile", "#[local]", '#[deprecated(note="a]b")]', "Local", "Global",
                                    "Program", "Polymorphic"])
def test_every_control_prefix_and_attribute_is_peeled_with_comments_anywhere(prefix: str):
    command = parse(f'{prefix} (* "*)" *) Time (* (* *) *) Set Extraction Safe.')
    assert command.words[:2] == ("Set", "Extraction")
    assert command.body == "Set Extraction Safe."


def test_the_view_records_controls_arguments_and_attributes():
    command = parse('Time Redirect "out" Timeout 3 #[local, program] Local Definition x := 1.')
    assert command.control_words == ("Time", "Redirect", "Timeout")
    assert [c.argument for c in command.controls] == [None, '"out"', "3"]
    assert command.attributes == ("local, program",)
    assert command.legacy == ("Local",)
    assert (command.keyword, command.name) == ("Definition", "x")


def test_export_is_a_locality_only_before_set():
    assert parse("Export Set Printing All.").keyword == "Set"
    assert parse("Export Foo.").keyword == "Export"


@pytest.mark.parametrize("sentence, scope, name", [
    ("Module M.", "module", "M"),
    ("Module Import M <: T.", "module", "M"),
    ("Module Type T.", "module_type", "T"),
    ("Module M := F N.", None, "M"),
    ("Declare Module M : T.", None, "M"),
    ('Declare ML Module "p".', None, None),
    ("Section S.", "section", "S"),
    ("End M.", "end", "M"),
    ('Module (* ":=" *) M.', "module", "M"),
])
def test_module_and_section_nesting(sentence: str, scope, name):
    command = parse(sentence)
    assert (command.scope, command.name) == (scope, name)


def test_strings_are_emptied_in_code_but_kept_in_body():
    command = parse('Extract Constant f => "(fun x -> x) Admitted".')
    assert "Admitted" in command.body and "Admitted" not in command.code


# --- Every consumer agrees ------------------------------------------------------------------


@given(rocq_files())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_splitter_documents_syntax_and_scan_read_generated_text_alike(generated):
    sentences = split_sentences(generated.source)
    assert [parse(s.text).keyword for s in sentences] == list(generated.keywords)
    assert [parse(s.text).control_words for s in sentences] == list(generated.controls)
    names = [parse(s.text).name for s in sentences]
    assert names == [f"d{i}" for i in range(len(sentences))]
    doc = Document.from_source(generated.source)
    assert doc.render() == generated.source
    assert [it.name for it in doc.items] == names
    redirects = sum("Redirect" in cs for cs in generated.controls)
    findings = scan_solution(generated.source)
    assert [f.detail.split(":")[0] for f in findings] == ["Redirect writes command output to a file"] * redirects
    # Decoy commands live only in comments and strings: no consumer may see them as code.
    for s in sentences:
        assert not re.search(r"\bz[cst]\b", parse(s.text).code)


@given(rocq_files(), st.sampled_from(['Extract Constant f => "x".', "Load x.", "Cd \"d\".", 'Add LoadPath "." as H.',
                                      'Declare ML Module "m".', 'Redirect "f" Print nat.']))
@settings(max_examples=100, deadline=None)
def test_a_forbidden_command_hidden_among_generated_comments_is_always_found(generated, command):
    source = generated.source + f'Time (* "*)" *) {command}\n'
    findings = [f for f in scan_solution(source) if f.kind.value == "forbidden_command"]
    assert any(command.split()[0] in f.detail for f in findings)


# --- And coqc reads it the same way ------------------------------------------------------------


def _coqc_defines(source: str, names: list[str], tmp: Path) -> set[str]:
    """The names coqc defines after running `source`: every name is `Locate`d at the end."""
    (tmp / "g.v").write_text(source + "\n" + "".join(f"Locate {n}.\n" for n in names), encoding="utf-8")
    out = subprocess.run(["coqc", "g.v"], cwd=tmp, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return set(re.findall(r"^Constant g\.(\w+)", out.stdout, re.M))


@given(rocq_files(max_sentences=4))
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
def test_coqc_runs_exactly_the_commands_our_reading_finds(generated):
    """coqc (the real one) defines exactly the `dN` the splitter and the command view see
    outside `Succeed`/`Fail`, and none of the decoys inside comments and strings."""
    ours = set()
    for s in split_sentences(generated.source):
        command = parse(s.text)
        if command.keyword == "Definition" and not {"Succeed", "Fail"} & set(command.control_words):
            ours.add(command.name)
    assert ours == generated.defined
    with tempfile.TemporaryDirectory(prefix="idsynth-lexer-") as tmp:
        assert _coqc_defines(generated.source, all_names(generated), Path(tmp)) == ours
