"""`audit-spec`: probe a spec for weakness with trivial implementations.

A verified implementation of a weak spec is a verified bug. The probe builds trivial
implementations of the signature — the state is `unit` (so every update is a no-op and the
state is constant) and every operation returns a fixed default of its result type — then
for each one:
- runs the manifest's witnesses (a witness that is refuted *catches* the trivial one);
- tries to prove each correctness theorem about it with automation: *proved* means the
  theorem does not tell this trivial implementation apart; *undetermined* means automation
  gave up, which is NOT evidence that the theorem fails.
A trivial implementation that no witness catches and for which every theorem was proved
makes the spec weak: a loud warning.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from idsynth.rocq import Session, SessionConfig, SentenceOk

from .spec import compile_spec, copy_pristine
from .types import Spec

_SIG_FIELD = re.compile(r"(?<![\w'.])(?P<kw>Parameter|Axiom)\s+(?P<name>[A-Za-z_][\w']*)\s+:\s")
_DEFAULTS = {
    # name -> (tactic for bool results, for option results): the variants of "fixed default".
    "defaults_false": ("exact false", "exact None", "exact nil"),
    "defaults_true": ("exact true", "apply Some; idsynth_default", "exact (cons _ nil); idsynth_default"),
}
_LTAC = """Ltac idsynth_default := repeat intro; first [ exact tt | {option} | {list} | {bool} | exact 0 |
  exact True | exact unit | (split; idsynth_default) | (constructor; idsynth_default) | exact I ]."""
_PROVERS = [
    "intros; reflexivity.",
    "intros; easy.",
    "intros; simpl; auto.",
    "intros; simpl in *; congruence.",
    "intros; simpl in *; firstorder.",
    "sauto.",
]


class TheoremProbe(BaseModel):
    model_config = ConfigDict(frozen=True)
    theorem: str
    outcome: Literal["proved", "undetermined"]
    by: str | None = None


class TrivialProbe(BaseModel):
    model_config = ConfigDict(frozen=True)
    implementation: str
    description: str
    built: bool
    build_error: str | None = None
    refuted_by: list[str] = Field(default_factory=list)
    theorems: list[TheoremProbe] = Field(default_factory=list)

    @property
    def slips_through(self) -> bool:
        """Satisfies every theorem (by proof) and no witness catches it."""
        return self.built and not self.refuted_by and all(t.outcome == "proved" for t in self.theorems)


class ProbeReport(BaseModel):
    model_config = ConfigDict(frozen=True)
    spec_name: str
    spec_hash: str
    probes: list[TrivialProbe]

    @property
    def weak(self) -> bool:
        return any(p.slips_through for p in self.probes)

    def warnings(self) -> list[str]:
        out = []
        for p in self.probes:
            if p.slips_through:
                out.append(
                    f"WEAK SPEC: the trivial implementation '{p.implementation}' ({p.description}) satisfies "
                    f"every correctness theorem and no witness refutes it; add a witness or strengthen the theorems"
                )
        return out


def _sig_fields(output: str) -> list[tuple[str, str]]:
    """(name, type) of each field printed by `Print Module Type` on one line."""
    body = output.split("Sig", 1)[-1].rsplit("End", 1)[0]
    marks = list(_SIG_FIELD.finditer(body))
    fields = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        typ = body[m.end(): end].strip()
        fields.append((m.group("name"), typ.removesuffix(".").strip()))
    return fields


def probe_spec(spec: Spec, sentence_timeout: float = 20.0) -> ProbeReport:
    m = spec.manifest
    main = spec.main_module
    probes: list[TrivialProbe] = []
    with tempfile.TemporaryDirectory(prefix="idsynth-probe-") as tmp:
        pristine = copy_pristine(spec, Path(tmp) / "spec")
        compile_spec(spec, pristine)
        config = SessionConfig(load_paths=[(str(pristine), m.logical_path)], sentence_timeout=sentence_timeout,
                               cwd=tmp)
        with Session(config) as s:
            s.add(f"Require Import {' '.join(spec.modules)}.")
            s.add("From Hammer Require Import Tactics.")
            s.add("Set Printing Width 10000.")
            sig = s.query(f"Print Module Type {main}.{m.signature}.")
            fields = _sig_fields(" ".join(sig.messages) if isinstance(sig, SentenceOk) else "")
            correct = s.query(f"Print Module Type {main}.{m.correctness}.")
            theorems = [n for n, _ in _sig_fields(" ".join(correct.messages))] if isinstance(correct, SentenceOk) else []
            for variant, (bool_tac, option_tac, list_tac) in _DEFAULTS.items():
                probes.append(_probe_one(s, spec, variant, fields, theorems, bool_tac, option_tac, list_tac))
    return ProbeReport(spec_name=m.name, spec_hash=spec.sha256, probes=probes)


def _probe_one(s: Session, spec: Spec, variant: str, fields: list[tuple[str, str]], theorems: list[str],
               bool_tac: str, option_tac: str, list_tac: str) -> TrivialProbe:
    m = spec.manifest
    main = spec.main_module
    start = len(s)
    module = f"Trivial_{variant}"
    description = f"unit state (every update a no-op), results fixed ({variant.replace('_', ' ')})"
    r = s.add(_LTAC.format(option=option_tac, list=list_tac, bool=bool_tac))
    if not isinstance(r, SentenceOk):
        raise RuntimeError(f"probe tactic does not parse: {r}")
    s.add(f"Module {module} <: {main}.{m.signature}.")
    for name, typ in fields:
        if typ in ("Type", "Set"):
            sentences = [f"Definition {name} : {typ} := unit."]
        else:
            sentences = [f"Definition {name} : {typ}.", "idsynth_default.", "Defined."]
        for sentence in sentences:
            r = s.add(sentence)
            if not isinstance(r, SentenceOk):
                s.cancel_to(start)
                return TrivialProbe(implementation=module, description=description, built=False,
                                    build_error=f"field {name}: {getattr(r, 'message', 'timeout')}")
    r = s.add(f"End {module}.")
    if not isinstance(r, SentenceOk):
        s.cancel_to(start)
        return TrivialProbe(implementation=module, description=description, built=False,
                            build_error=getattr(r, "message", "timeout"))
    refuted = []
    s.add(f"Module M := {module}.")
    for sentence in ("Require Import Coq.Lists.List.", "Import ListNotations."):  # as the audit reads witnesses
        s.add(sentence)
    for w in m.witness:
        mark = len(s)
        ok = all(isinstance(s.add(x), SentenceOk) for x in (
            f"Lemma idsynth_probe_w : (({w.expr}) <> ({w.expect})).", "Proof.", "vm_compute.",
            "first [ intro H; discriminate H | congruence ].", "Qed."))
        s.cancel_to(mark)
        if ok:
            refuted.append(w.name)
    s.add(f"Declare Module IdsynthProbeP : {main}.{m.correctness} {module}.")
    results = []
    for theorem in theorems:
        proved_by = None
        for tactic in _PROVERS:
            mark = len(s)
            steps = [f"Lemma idsynth_probe_{theorem} : ltac:(let T := type of IdsynthProbeP.{theorem} in exact T).",
                     "Proof.", tactic, "Qed."]
            if all(isinstance(s.add(x), SentenceOk) for x in steps):
                proved_by = tactic
                s.cancel_to(mark)
                break
            s.cancel_to(mark)
        results.append(TheoremProbe(theorem=theorem, outcome="proved" if proved_by else "undetermined",
                                    by=proved_by))
    s.cancel_to(start)
    return TrivialProbe(implementation=module, description=description, built=True, refuted_by=refuted,
                        theorems=results)

