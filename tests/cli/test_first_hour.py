"""Walls 4, 5 and 6 of the newcomer's hour, as the user meets them (command, output, exit code).

4. `idsynth check` on a proof whose holes sit inside bullets and braces shows their goals;
   `idsynth check sol.v -Q SPEC_DIR Spec` compiles the spec itself.
5. `idsynth audit` speaks of the user's file and line, claims nothing about checks that did
   not run, and a refuted witness says what it computed.
6. A manifest with several problems reports them all at once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "data" / "specs" / "weak_stack"


def idsynth(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "idsynth.cli.main", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_check_shows_the_goals_of_holes_inside_bullets_and_braces(tmp_path):
    f = tmp_path / "bullets.v"
    f.write_text("Lemma and_both : forall a b : bool, a = true -> b = true -> andb a b = true /\\ andb b a = true.\n"
                 "Proof.\n  intros a b Ha Hb. split.\n  - admit.\n  - { admit. }\nAdmitted.\n")
    proc = idsynth("check", str(f))
    assert proc.returncode == 1
    assert "no focused goals" not in proc.stdout
    assert "goal 1:" in proc.stdout and "(a && b)%bool = true" in proc.stdout
    assert "goal 2:" in proc.stdout and "(b && a)%bool = true" in proc.stdout


def _solution(tmp_path: Path) -> Path:
    text = (ROOT / "tests" / "data" / "solutions" / "weak_stack_top_wrong.v").read_text()
    text = text.replace("hd_error (rev s)", "hd_error s").replace(
        "  Lemma top_elems : forall s, top s = hd_error (elems s).\n  Admitted.",
        "  Lemma top_elems : forall s, top s = hd_error (elems s).\n  Proof. reflexivity. Qed.")
    sol = tmp_path / "sol.v"
    sol.write_text(text)
    return sol


def test_check_against_a_spec_directory_compiles_the_spec_itself(tmp_path):
    spec = tmp_path / "weak_stack"
    shutil.copytree(SPEC, spec)  # no .vo in it, as a user's fresh spec
    proc = idsynth("check", str(_solution(tmp_path)), "-Q", str(spec), "Spec")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 holes, no failure" in proc.stdout
    assert not list(spec.glob("*.vo")), "the user's spec directory is left as it was"


def test_audit_names_the_users_file_and_line_and_claims_nothing_after_a_failed_compile(tmp_path):
    sol = _solution(tmp_path)
    sol.write_text(sol.read_text().replace("Definition elems (s : t) : list nat := s.",
                                           "Definition elems (s : t) : list nat := s"))
    proc = idsynth("audit", str(SPEC), str(sol))
    assert proc.returncode == 1
    assert f"[compile_error] {sol}: sol.v:15:" in proc.stdout
    assert "Candidate" not in proc.stdout
    assert "proofs module: ImplProofs" in proc.stdout and "None" not in proc.stdout
    assert "coqchk re-checked" not in proc.stdout
    assert "the solution does not compile: witnesses, Print Assumptions and coqchk did not run" in proc.stdout


def test_a_refuted_witness_shows_the_value_computed():
    sol = "tests/data/solutions/weak_stack_top_wrong.v"
    proc = idsynth("audit", str(SPEC), sol)
    assert proc.returncode == 1
    assert ("witness top_after_push: refuted — `M.top (M.push 1 (M.push 2 M.empty))` computes to `Some 2`, "
            "not `Some 1`") in proc.stdout
    assert f"[hole] {sol}:26: unfinished proof" in proc.stdout
    assert "Candidate." not in proc.stdout


def test_a_manifest_with_several_problems_reports_them_all(tmp_path):
    spec = tmp_path / "typo"
    shutil.copytree(SPEC, spec)
    toml = (spec / "spec.toml").read_text()
    (spec / "spec.toml").write_text(toml.replace("signature =", "signatur =").replace('expect = "None"',
                                                                                      'expekt = "None"'))
    proc = idsynth("audit-spec", str(spec))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0].endswith("spec.toml: 4 problems:")
    assert sorted(line.strip() for line in lines[1:]) == [
        "signatur: unknown field (did you mean `signature`?)",
        "signature: Field required",
        "witness.2.expect: Field required",
        "witness.2.expekt: unknown field (did you mean `expect`?)",
    ]
