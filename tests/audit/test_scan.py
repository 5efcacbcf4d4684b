"""The text scan reads commands as coqc does: no prefix, comment or string hides one, no
plugin spelling or module name slips through, and names are not mistaken for holes."""

from __future__ import annotations

from pathlib import Path

import pytest

from idsynth.audit import FindingKind, audit_solution, load_spec
from idsynth.audit.auditor import ml_module_names
from idsynth.audit.capture import EXTRACTOR_MODULES, ml_captures, reserved_module_names
from idsynth.audit.scan import scan_solution

ROOT = Path(__file__).resolve().parents[2]
HONEST = (ROOT / "tests" / "data" / "solutions" / "finite_map.v").read_text(encoding="utf-8")
HIDE = '(* "*)" *)'
PREFIXES = ["Time", "Timeout 10", "Fail", "Succeed", 'Redirect "r"', "Time Timeout 5", "Local", "#[local]"]
# Each forbidden command, and the words the scan's reason must contain.
COMMANDS = {
    'Extract Constant AssocMap.put => "(fun k v m -> m)"': "extraction directive",
    'Declare ML Module "coq-core.plugins.extraction"': "loads OCaml code into Rocq",
    "Load spec": "loads another file",
    'Redirect "dump" Print AssocMap': "Redirect writes command output to a file",
    'Cd "."': "changes directory",
    'Add LoadPath "." as Here': "changes the load path",
}


def _kinds(source: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in scan_solution(source):
        out.setdefault(f.kind.value, []).append(f.detail)
    return out


def _hidden(prefix: str, command: str) -> str:
    return HONEST + f"\n{prefix} {HIDE} {command}.\n"


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_hidden_behind_a_prefix_and_a_string_in_a_comment_is_found(prefix, command):
    details = _kinds(_hidden(prefix, command)).get("forbidden_command", [])
    assert any(d.startswith(COMMANDS[command]) for d in details), details


def test_the_honest_solution_scans_clean():
    assert scan_solution(HONEST) == []


def test_a_string_that_merely_mentions_a_command_is_not_one():
    source = HONEST + '\nDefinition note := "*) Extract Constant x => y. (*".\n(* "*)" Load x. *)\n'
    assert _kinds(source) == {}


@pytest.mark.parametrize("require", ["Require Extraction.", "From Coq Require Import Extraction.",
                                     "Require Coq.extraction.Extraction.", f"Time {HIDE} Require Export Extraction."])
def test_requiring_the_extraction_plugin_itself_is_a_forbidden_library(require):
    assert "forbidden_library" in _kinds(HONEST + "\n" + require + "\n")


@pytest.mark.parametrize("require", ["Require Import Coq.funind.FunInd.", "Require Import ExtrOcamlBasic.",
                                     "Require Import MyLib.Extraction2."])
def test_libraries_that_only_depend_on_the_plugin_are_left_to_the_library_check(require):
    assert _kinds(HONEST + "\n" + require + "\n") == {}


@pytest.mark.parametrize("text", [
    "Definition admit : nat := 0.",
    "Lemma l : forall admit : nat, admit = admit. Proof. intros admit. reflexivity. Qed.",
    "Definition f (give_up : nat) := fun admit => admit + give_up.",
    "Lemma m : admit = 0. Proof. exact eq_refl. Qed.",
])
def test_admit_and_give_up_as_names_are_not_holes(text):
    assert "hole" not in _kinds(text)


@pytest.mark.parametrize("text", [
    "Lemma a : False. Proof. admit. Qed.", "Lemma a : False. Proof. split; admit. Qed.",
    "Lemma a : False. Proof. all: give_up. Qed.", "Lemma a : False. Proof. try (admit). Qed.",
    "Lemma a : False. Proof. exact ltac:(admit). Qed.", "Lemma a : False. Proof. do 2 admit. Qed.",
    "Lemma a : False. Proof. - admit. Qed.", "Lemma a : False. Proof. [ admit | ]. Qed.",
    f"Lemma a : False. Proof. Time {HIDE} admit. Qed.", "Ltac t := admit.",
])
def test_admit_and_give_up_as_tactics_are_holes(text):
    assert "hole" in _kinds(text)


def test_the_reserved_module_names_come_from_ocaml_and_the_extraction_libraries():
    reserved = reserved_module_names()
    # Stdlib modules read from the installed compiler, extraction's own, and the libraries' strings.
    assert {"List", "Array", "Hashtbl", "Stdlib", "String", "Seq"} <= reserved
    assert EXTRACTOR_MODULES <= reserved
    assert {"Big_int_Z"} <= reserved  # named only inside ExtrOcamlZBigInt's strings


@pytest.mark.parametrize("declaration, name", [
    ("Module Obj. End Obj.", "Obj"),
    ("Module uint63. End uint63.", "Uint63"),
    ("Module Import Float64 := Nat.", "Float64"),
    ("Module Wrap. Module Stdlib. End Stdlib. End Wrap.", "Stdlib"),
    ("Module Type T. End T. Module F (X : T) (Import List : T). End F.", "List"),
    (f"Time {HIDE} Declare Module Array : Nat.", "Array"),
])
def test_a_module_binding_an_ocaml_name_is_an_extraction_capture(declaration, name):
    details = _kinds(declaration).get("extraction_capture", [])
    assert any(f"module {name} " in d for d in details), details


def test_module_types_and_other_names_capture_nothing():
    assert "extraction_capture" not in _kinds("Module Type Obj. End Obj. Module AssocMap. End AssocMap. "
                                              "Definition magic := 0.")


def test_ml_captures_reads_module_bindings_of_extracted_ocaml():
    ml = "module Obj =\n struct\n  let magic _ = assert false\n end\nmodule F = functor (List : S) ->\n struct end\n" \
         "module AssocMap = struct let x = Obj.magic 0 end\nmodule type Array = sig end\n"
    assert ml_captures(ml) == ["Obj", "List"]
    assert ml_captures("module Nat =\n struct let x = Obj.magic 0 end\n") == []


def test_every_spelling_of_a_plugin_in_print_ml_modules_is_one_name():
    output = ("Loaded ML Modules:\n  ltac_plugin.cmxs (using legacy method)\n  extraction_plugin.cmxs (using legacy "
              "method)\n  coq-core.plugins.extraction\n  coq-core.plugins.funind\n")
    assert ml_module_names(output) == ["ltac", "extraction", "extraction", "funind"]


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["Time", "Timeout 10", "Fail", "Succeed", 'Redirect "r"'])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_audit_rejects_each_hidden_command_behind_each_prefix(prefix, command, tmp_path):
    """The real audit (coqc, coqtop, coqchk) on the honest solution plus one hidden command."""
    path = tmp_path / "hidden.v"
    path.write_text(HONEST.replace("Import ListNotations.", "Import ListNotations.\nRequire Import ExtrOcamlBasic.")
                    + f"\n{prefix} {HIDE} {command}.\n", encoding="utf-8")
    verdict = audit_solution(load_spec(ROOT / "specs" / "warmup" / "finite_map"), path)
    assert not verdict.accepted
    reasons = [f.detail for f in verdict.findings if f.kind is FindingKind.FORBIDDEN_COMMAND]
    assert any(r.startswith(COMMANDS[command]) for r in reasons), verdict.findings


@pytest.mark.slow
def test_any_plugin_the_solution_loads_itself_is_a_forbidden_library(tmp_path):
    """Not only extraction: a plugin no allowed library loads is caught by what it is."""
    path = tmp_path / "plugin.v"
    path.write_text(HONEST.replace("Import ListNotations.",
                                   f'Import ListNotations.\nTime {HIDE} Declare ML Module "coq-core.plugins.nsatz".'),
                    encoding="utf-8")
    verdict = audit_solution(load_spec(ROOT / "specs" / "warmup" / "finite_map"), path)
    assert ("nsatz", FindingKind.FORBIDDEN_LIBRARY) in {(f.where, f.kind) for f in verdict.findings}
