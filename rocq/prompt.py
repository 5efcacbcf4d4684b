"""Parsing of `coqtop -emacs` prompts and the text printed before them.

A prompt looks like `<prompt>lemma < 12 |lemma| 0 < </prompt>`: the name of the open
proof (or `Coq`), the state number, the open proofs between bars, the proof depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROMPT_END = "</prompt>"
_PROMPT = re.compile(r"<prompt>(?P<name>\S+) < (?P<state>\d+) \|(?P<proofs>.*)\| (?P<depth>\d+) < $", re.S)


@dataclass(frozen=True)
class Prompt:
    state: int
    proofs: tuple[str, ...]

    @property
    def in_proof(self) -> bool:
        return bool(self.proofs)


def split_reply(before: str) -> tuple[str, Prompt] | None:
    """Split what pexpect read before `</prompt>` into (output, prompt).

    Returns None when the text does not end with a well-formed prompt opening.
    """
    idx = before.rfind("<prompt>")
    if idx < 0:
        return None
    m = _PROMPT.match(before[idx:])
    if m is None:
        return None
    proofs = tuple(p for p in m.group("proofs").split("|") if p)
    return before[:idx], Prompt(state=int(m.group("state")), proofs=proofs)
