"""Reading `Print Assumptions` exactly.

The session prints with notations off, so a solution cannot make an axiom's type read as
"Closed under the global context": the only accepted answer is that exact, whole output.
Anything else is split into its sections and every entry is classified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOSED = "Closed under the global context"
_HEADER = re.compile(r"^(?P<title>[A-Z][A-Za-z /()-]*):$")
_GUARD = re.compile(r"^(?P<name>\S+) is assumed to be guarded\.$")
_POSITIVE = re.compile(r"^(?P<name>\S+) is assumed to be positive\.$")
_UNIVERSES = re.compile(r"^(?P<name>\S+) relies on an unsafe hierarchy\.$")
_UIP = re.compile(r"^(?P<name>\S+) relies on definitional UIP\.$")


@dataclass(frozen=True)
class Assumption:
    name: str
    kind: str  # "axiom", "section_variable", "guard", "positivity", "universes", "uip", "other"
    text: str


def parse_print_assumptions(output: str) -> list[Assumption] | None:
    """None when the output is exactly "closed"; else every assumption listed.

    An output that is neither closed nor made of recognised sections yields a single
    `other` assumption carrying the text: unknown means not closed.
    """
    text = output.strip()
    if text == CLOSED:
        return None
    found: list[Assumption] = []
    section: str | None = None
    entry: list[str] = []

    def flush() -> None:
        if not entry:
            return
        joined = " ".join(" ".join(entry).split())
        entry.clear()
        for pattern, kind in ((_GUARD, "guard"), (_POSITIVE, "positivity"), (_UNIVERSES, "universes"),
                              (_UIP, "uip")):
            m = pattern.match(joined)
            if m:
                found.append(Assumption(m.group("name"), kind, joined))
                return
        name = joined.split(" : ")[0].split()[0] if joined else "?"
        kind = "section_variable" if section == "Section Variables" else "axiom" if section == "Axioms" else "other"
        found.append(Assumption(name, kind, joined))

    for line in text.splitlines():
        header = _HEADER.match(line)
        if header and not line.startswith(" "):
            flush()
            section = header.group("title")
            continue
        if line.startswith((" ", ":")) and entry:
            entry.append(line)  # continuation of a long type
            continue
        flush()
        if line.strip():
            entry.append(line)
    flush()
    if not found:
        found.append(Assumption("?", "other", text or "(empty output)"))
    return found
