"""The text scan of a solution: commands no honest solution needs.

Rocq's own answers (Print Assumptions, Print Libraries, coqchk) are the primary evidence;
this scan adds the things Rocq does not report afterwards, notably extraction directives,
which survive `Require` and leave no trace a command can list. It reads sentences from the
splitter and commands from `rocq.syntax`, both on the one lexer (`rocq.lexer`), so a
comment or a string can neither hide nor fake a command, whatever control prefixes
(`Time`, `Timeout n`, `Fail`, `Succeed`, `Redirect "f"`), attributes or legacy attributes
(`Local`, `Program`, ...) stand in front of it: `Time (* "*)" *) Extract Constant ...` is
an `Extract Constant` here exactly as it is for coqc.

It also rejects module names that would capture the names extracted OCaml relies on
(`capture.py`): a solution's `Module Obj` becomes an OCaml `module Obj` that every
`Obj.magic` the extractor inserts would call.
"""

from __future__ import annotations

import re

from idsynth.rocq import split_with_tail
from idsynth.rocq.document import span_of
from idsynth.rocq.lexer import Kind, tokenize
from idsynth.rocq.syntax import Command, parse

from .capture import bound_module_names, reserved_module_names
from .types import Finding, FindingKind

# Matched on `Command.body`: the command from its keyword on, comments gone, blanks collapsed.
_FORBIDDEN = [
    (re.compile(r"^(Extract|Extraction|Separate\s+Extraction|Recursive\s+Extraction)\b"), "extraction directive"),
    (re.compile(r"^(Set|Unset)\s+Extraction\b"), "extraction option"),
    (re.compile(r"^Declare\s+ML\s+Module\b"), "loads OCaml code into Rocq"),
    (re.compile(r"^(Add|Remove)\s+(Rec\s+)?(LoadPath|ML\s+Path)\b"), "changes the load path"),
    (re.compile(r"^Load\b"), "loads another file"),
    (re.compile(r"^Drop\b"), "drops to the OCaml toplevel"),
    (re.compile(r"^Cd\b"), "changes directory"),
]
_BYPASS = re.compile(r"^(Unset|Set)\s+((Guard|Positivity|Universe)\s+Checking|Definitional\s+UIP)\b")
_HOLE_COMMAND = re.compile(r"^(Admitted|Abort|Admit\s+Obligations)\b")
_HOLE_TACTICS = ("admit", "give_up")
_ASSUMPTION = re.compile(r"^(Axiom|Axioms|Parameter|Parameters|Conjecture)\b")
_SECTION_ASSUMPTION = re.compile(r"^(Hypothesis|Hypotheses|Variable|Variables|Context)\b")
# After these a tactic starts: `try admit`, `now admit`, `do 2 admit`, `ltac:(admit)`.
_TACTICALS = frozenset("try repeat now by progress solve first once exactly_once abstract tryif then else "
                       "do timeout time unshelve lazymatch match multimatch".split())
_TACTIC_ENDINGS = (";", "|", "=>", "+", "[")
"""A symbol run ending so (`);`, `||`, `[>`, `[`) is followed by a tactic."""
# After `X:` a tactic starts when X selects goals (`all: admit`, `2: admit`) or is `ltac`.
_SELECTORS = frozenset(["all", "par", "ltac", "!", "]"])
_TACTIC_DEFINITIONS = ("Ltac", "Tactic", "Obligation", "Solve", "Hint", "Proof")


def scan_solution(source: str) -> list[Finding]:
    """Findings from the sentences of a solution file."""
    findings: list[Finding] = []
    sentences, _tail = split_with_tail(source)
    scopes: list[str] = []  # "module_type", "module", "section"
    reserved = reserved_module_names()
    for s in sentences:
        command = parse(s.text)
        body = command.body
        where = f"line {span_of(source, s.start, s.end).line}"
        shown = " ".join(s.text.split())[:80]

        def add(kind: FindingKind, detail: str) -> None:
            findings.append(Finding(kind=kind, where=where, detail=f"{detail}: {shown}"))

        for attr in command.attributes:
            if "bypass_check" in attr.replace(" ", ""):
                add(FindingKind.KERNEL_BYPASS, "#[bypass_check] attribute turns off a kernel check")
        if "Redirect" in command.control_words:
            add(FindingKind.FORBIDDEN_COMMAND, "Redirect writes command output to a file")
        for pattern, why in _FORBIDDEN:
            if pattern.match(body):
                add(FindingKind.FORBIDDEN_COMMAND, why)
        if requires_extraction_plugin(command):
            add(FindingKind.FORBIDDEN_LIBRARY, "requires the extraction plugin itself (idsynth extracts; only "
                                               "the manifest's extraction libraries may be required)")
        if _BYPASS.match(body):
            add(FindingKind.KERNEL_BYPASS, "changes a kernel check")
        if _HOLE_COMMAND.match(body):
            add(FindingKind.HOLE, "unfinished proof")
        elif uses_hole_tactic(command):
            add(FindingKind.HOLE, "admit/give_up leaves a goal unproved")
        in_module_type = "module_type" in scopes
        in_section = "section" in scopes
        if _ASSUMPTION.match(body) and not in_module_type:
            add(FindingKind.ASSUMPTION, "declares an assumption")
        if _SECTION_ASSUMPTION.match(body) and not in_module_type and not in_section:
            add(FindingKind.ASSUMPTION, "declares an assumption outside a section")
        if not in_module_type:
            for name in bound_module_names(command):
                if name in reserved:
                    add(FindingKind.EXTRACTION_CAPTURE,
                        f"module {name} would shadow OCaml's {name} in the extracted code")
        scope = command.scope
        if scope == "end":
            if scopes:
                scopes.pop()
        elif scope is not None:
            scopes.append(scope)
    return findings


def requires_extraction_plugin(command: Command) -> bool:
    """`Require Extraction.`, `From Coq Require Extraction.`, `Require Coq.extraction.Extraction.`:
    a direct request for the plugin. (Standard libraries such as FunInd load it as a
    dependency, which is harmless: every extraction directive is scanned for itself.)"""
    words = list(command.words)
    prefix = ""
    if words[:1] == ["From"] and len(words) >= 3:
        prefix, words = words[1] + ".", words[2:]
    if words[:1] != ["Require"]:
        return False
    names = [prefix + w for w in words[1:] if w not in ("Import", "Export")]
    return any(n.split(".")[-1] == "Extraction" and n.split(".")[:-1] in ([], ["Coq"], ["extraction"],
                                                                           ["Coq", "extraction"])
               for n in names)


def uses_hole_tactic(command: Command) -> bool:
    """`admit`/`give_up` used as a tactic, not as a name (`Definition admit := 0.`,
    `fun admit => ...`, `intros admit`, `exact admit` are not holes).

    A word is in tactic position at the start of a tactic sentence, after `;`, `|`, `[`,
    `=>`, a tactical (`try`, `now`, `do 2`, ...), a goal selector (`all:`, `2:`) or
    `ltac:(`, and after `:=` in tactic definitions (`Ltac t := admit.`). This is a first
    filter only: a goal given up cannot be closed by `Qed`, so a real hole always ends in
    `Admitted` (scanned) and shows in `Print Assumptions`.
    """
    code = command.code
    tokens = [t.text(code) for t in tokenize(code) if t.kind is not Kind.BLANK]
    if not any(t in _HOLE_TACTICS for t in tokens):
        return False
    tactic_sentence = command.keyword in _HOLE_TACTICS or not command.keyword[:1].isupper()
    tactic_text = tactic_sentence or command.keyword in _TACTIC_DEFINITIONS
    in_ltac = _inside_ltac_quotation(tokens)
    for i, token in enumerate(tokens):
        if token not in _HOLE_TACTICS or not (tactic_text or in_ltac[i]):
            continue
        if _tactic_position(tokens, i, tactic_sentence, command.keyword):
            return True
    return False


def _inside_ltac_quotation(tokens: list[str]) -> list[bool]:
    """For each token, whether it stands inside `ltac:( ... )` (a tactic in a term)."""
    inside, depth, stack = [], 0, []  # stack: depths at which an ltac quotation opened
    for i, token in enumerate(tokens):
        opens = token == "(" and i >= 2 and tokens[i - 1] == ":" and tokens[i - 2] == "ltac"
        depth += token.count("(")
        if opens:
            stack.append(depth)
        inside.append(bool(stack))
        depth -= token.count(")")
        while stack and depth < stack[-1]:
            stack.pop()
    return inside


def _tactic_position(tokens: list[str], i: int, tactic_sentence: bool, keyword: str) -> bool:
    j = i - 1
    while j >= 0 and tokens[j] == "(":  # `try (admit)`, `ltac:((admit))`
        j -= 1
    if j < 0:
        return tactic_sentence
    prev = tokens[j]
    if prev.endswith(_TACTIC_ENDINGS) or prev in _TACTICALS:
        return True
    if prev.isdigit() and j >= 1 and tokens[j - 1] in ("do", "timeout"):
        return True
    if prev == ":" and j >= 1 and (tokens[j - 1] in _SELECTORS or tokens[j - 1].isdigit()):
        return True
    if prev in (":=", "with") and keyword in _TACTIC_DEFINITIONS:
        return True
    return False
