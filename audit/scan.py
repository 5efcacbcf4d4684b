"""The text scan of a solution: commands no honest solution needs.

Rocq's own answers (Print Assumptions, Print Libraries, coqchk) are the primary evidence;
this scan adds the things Rocq does not report afterwards, notably extraction directives,
which survive `Require` and leave no trace a command can list. It works on sentences from
the splitter, with comments and strings blanked, so neither can hide nor fake a command,
and with control prefixes (`Time`, `Timeout n`, `Fail`, `Succeed`, `Redirect`, attributes,
`Local`/`Global`/...) peeled off first.
"""

from __future__ import annotations

import re

from idsynth.rocq import split_with_tail
from idsynth.rocq.document import span_of

from .types import Finding, FindingKind

_ATTRIBUTE = re.compile(r"^#\[(?P<body>[^\]]*)\]\s*")
_PREFIX = re.compile(
    r"^(?:(?:Time|Fail|Succeed|Timeout\s+\d+|Local|Global|Export|Polymorphic|Monomorphic|Program|"
    r"Cumulative|NonCumulative|Private)\b|Redirect\s+\"[^\"]*\")\s*"
)

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
_HOLE_TACTIC = re.compile(r"(?<![\w'.])(admit|give_up)(?![\w'])")
_ASSUMPTION = re.compile(r"^(Axiom|Axioms|Parameter|Parameters|Conjecture)\b")
_SECTION_ASSUMPTION = re.compile(r"^(Hypothesis|Hypotheses|Variable|Variables|Context)\b")
_MODULE_TYPE_OPEN = re.compile(r"^(Module\s+Type|Declare\s+Module)\b")
_OPEN = re.compile(r"^(Module|Section)\b")
_END = re.compile(r"^End\b")


def code_only(text: str) -> str:
    """Blank out comments and string literals, keeping every other character in place.

    As in Rocq's lexer, comments nest and strings inside comments are lexed (so a `*)`
    inside a string does not close the comment); `""` inside a string is a quote.
    """
    out = list(text)
    i, n, depth, in_string = 0, len(text), 0, False

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        if in_string:
            if text[i] == '"' and i + 1 < n and text[i + 1] == '"':
                blank(i, i + 2)
                i += 2
                continue
            if text[i] == '"':
                in_string = False
            blank(i, i + 1)
            i += 1
        elif text.startswith("(*", i):
            depth += 1
            blank(i, i + 2)
            i += 2
        elif depth and text.startswith("*)", i):
            depth -= 1
            blank(i, i + 2)
            i += 2
        elif text[i] == '"':
            in_string = True
            blank(i, i + 1)
            i += 1
        else:
            if depth:
                blank(i, i + 1)
            i += 1
    return "".join(out)


def peel(sentence: str) -> tuple[str, list[str]]:
    """Strip control prefixes and attributes; return the command and the attributes seen."""
    body, attributes, _ = peel_all(sentence)
    return body, attributes


def peel_all(sentence: str) -> tuple[str, list[str], list[str]]:
    """The command, its attributes, and the first word of each control prefix peeled."""
    body = " ".join(sentence.split())
    attributes: list[str] = []
    prefixes: list[str] = []
    while True:
        m = _ATTRIBUTE.match(body)
        if m:
            attributes.append(" ".join(m.group("body").split()))
            body = body[m.end():]
            continue
        m = _PREFIX.match(body)
        if m and m.end() > 0:
            prefixes.append(body[: m.end()].split()[0])
            body = body[m.end():]
            continue
        return body, attributes, prefixes


def scan_solution(source: str) -> list[Finding]:
    """Findings from the sentences of a solution file."""
    findings: list[Finding] = []
    sentences, _tail = split_with_tail(source)
    scopes: list[str] = []  # "module_type", "module", "section"
    for s in sentences:
        # Strings matter for `Redirect "file"`: peel on text with comments removed only.
        raw = _strip_comments(s.text)
        body, attributes, prefixes = peel_all(raw)
        code = code_only(body)
        where = f"line {span_of(source, s.start, s.end).line}"
        shown = " ".join(s.text.split())[:80]

        def add(kind: FindingKind, detail: str) -> None:
            findings.append(Finding(kind=kind, where=where, detail=f"{detail}: {shown}"))

        for attr in attributes:
            if "bypass_check" in attr.replace(" ", ""):
                add(FindingKind.KERNEL_BYPASS, "#[bypass_check] attribute turns off a kernel check")
        if "Redirect" in prefixes:
            add(FindingKind.FORBIDDEN_COMMAND, "Redirect writes command output to a file")
        for pattern, why in _FORBIDDEN:
            if pattern.match(body):
                add(FindingKind.FORBIDDEN_COMMAND, why)
        if _BYPASS.match(body):
            add(FindingKind.KERNEL_BYPASS, "changes a kernel check")
        if _HOLE_COMMAND.match(body):
            add(FindingKind.HOLE, "unfinished proof")
        elif _HOLE_TACTIC.search(code):
            add(FindingKind.HOLE, "admit/give_up leaves a goal unproved")
        in_module_type = "module_type" in scopes
        in_section = "section" in scopes
        if _ASSUMPTION.match(body) and not in_module_type:
            add(FindingKind.ASSUMPTION, "declares an assumption")
        if _SECTION_ASSUMPTION.match(body) and not in_module_type and not in_section:
            add(FindingKind.ASSUMPTION, "declares an assumption outside a section")
        if _MODULE_TYPE_OPEN.match(body):
            if ":=" not in code and not body.startswith("Declare"):
                scopes.append("module_type")
        elif _OPEN.match(body):
            if ":=" not in code:
                scopes.append("section" if body.startswith("Section") else "module")
        elif _END.match(body) and scopes:
            scopes.pop()
    return findings


def _strip_comments(text: str) -> str:
    """Remove comments but keep strings (needed to peel `Redirect "file"`)."""
    out, i, depth, in_string = [], 0, 0, False
    while i < len(text):
        c = text[i]
        if depth == 0 and c == '"':
            in_string = not in_string
            out.append(c)
            i += 1
            continue
        if in_string:
            out.append(c)
            i += 1
            continue
        if text.startswith("(*", i):
            depth += 1
            i += 2
            continue
        if depth and text.startswith("*)", i):
            depth -= 1
            i += 2
            out.append(" ")
            continue
        if not depth:
            out.append(c)
        i += 1
    return "".join(out)
