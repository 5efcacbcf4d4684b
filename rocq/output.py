"""Parsing what coqtop prints for one sentence: messages, goals, an error.

Pure functions over text. The session sets `Printing Unfocused` (so unfocused goals are
listed) and a wide `Printing Width` (so hypotheses rarely wrap); everything else is
coqtop 8.16's ordinary `-emacs` output:

    <infomsg>x is defined</infomsg>           messages, possibly several lines
    2 focused goals (shelved: 1) (ID 11)      goals header
      n, m : nat                              hypotheses of the first goal
      ============================
      n + 0 = n                               its conclusion
    goal 2 (ID 12) is:                        other goals: conclusion only
     m = m
    *** Unfocused goals:                      then the unfocused ones
    Toplevel input, characters 7-9:           an error: UTF-8 *byte* range in the input
    Error: The reference x was not found ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Goal, Hypothesis, ProofState

_TAG = re.compile(r"<(infomsg|warning)>(.*?)</\1>", re.S)
_GOALS_HEADER = re.compile(
    r"^(?P<n>\d+) (?:focused )?goals?(?: \(shelved: (?P<shelved>\d+)\))?"
    r"(?: \(given up: (?P<given_up>\d+)\))?(?: \(ID (?P<id>\d+)\))?$",
    re.M,
)
_OTHER_GOAL = re.compile(r"^goal (?P<n>\d+)(?: \(ID (?P<id>\d+)\))? is:$", re.M)
_SEPARATOR = re.compile(r"^  =+$", re.M)
_HYP_START = re.compile(r"^  (?P<names>[^\s:,]+(?:, [^\s:,]+)*) (?P<sep>:=|:) (?P<rest>.*)$")
_LOCATION = re.compile(r"^Toplevel input, characters (?P<a>\d+)-(?P<b>\d+):$", re.M)
_ERROR = re.compile(r"^Error:(?P<msg>.*)\Z", re.M | re.S)

UNFOCUSED_NOTE = "This subproof is complete, but there are some unfocused goals"
SHELF_NOTE = "All the remaining goals are on the shelf"
GIVEN_UP_NOTE = "No more goals, but there are some goals you gave up"
NO_MORE_GOALS = "No more goals."


@dataclass(frozen=True)
class ParsedError:
    message: str
    byte_range: tuple[int, int] | None
    messages: list[str]


def split_messages(output: str) -> tuple[list[str], str]:
    """Pull `<infomsg>`/`<warning>` blocks out; return them and the remaining text."""
    messages = [_dedent(m.group(2)) for m in _TAG.finditer(output)]
    rest = _TAG.sub("", output)
    return [m for m in messages if m], rest


def parse_error(output: str) -> ParsedError:
    """The error of a sentence that coqtop rejected (its state did not advance)."""
    messages, rest = split_messages(output)
    loc = _LOCATION.search(rest)
    byte_range = (int(loc.group("a")), int(loc.group("b"))) if loc else None
    err = _ERROR.search(rest)
    if err is not None:
        message = err.group("msg").strip()
    else:
        # No `Error:` line: keep whatever is left, minus the echo of the input.
        lines = [ln for ln in rest.splitlines() if not ln.startswith("> ") and ln != ">"]
        message = "\n".join(ln for ln in lines if not _LOCATION.match(ln)).strip()
    return ParsedError(message=message or "(no message)", byte_range=byte_range, messages=messages)


def parse_ok(output: str, in_proof: bool) -> tuple[list[str], ProofState | None, bool]:
    """Messages and goals of an accepted sentence.

    Returns (messages, proof_state, goals_printed). When a proof is open but coqtop printed
    no goals (e.g. after `Proof.`), `goals_printed` is False and the caller should ask.
    """
    messages, rest = split_messages(output)
    if not in_proof:
        text = rest.strip()
        return (messages + [text] if text else messages), None, True
    notes = " ".join(messages)
    stripped = rest.strip()
    if stripped == NO_MORE_GOALS or stripped.endswith("\n" + NO_MORE_GOALS):
        before = stripped[: -len(NO_MORE_GOALS)].strip()
        return (messages + [before] if before else messages), ProofState(), True
    # `Show.` prints the goals and coqtop prints them again: the last listing wins.
    headers = list(_GOALS_HEADER.finditer(rest))
    header = headers[-1] if headers else None
    if header is None:
        text = rest.strip()
        return (messages + [text] if text else messages), None, False
    before = rest[: headers[0].start()].strip()
    if before:
        messages = messages + [before]
    state = parse_goals(rest[header.start():], notes)
    return messages, state, True


def parse_goals(text: str, notes: str = "") -> ProofState:
    """Parse a goals block starting at its header line.

    `notes` are the infomsgs printed with it: they tell whether a listing without a
    first-goal context is of unfocused, shelved or given-up goals.
    """
    header = _GOALS_HEADER.search(text)
    if header is None:
        raise ValueError("no goals header")
    shelved = int(header.group("shelved") or 0)
    given_up = int(header.group("given_up") or 0)
    body = text[header.end():]
    focused_part, _, unfocused_part = body.partition("*** Unfocused goals:")
    goals: list[Goal] = []
    sep = _SEPARATOR.search(focused_part)
    others_from = 0
    if sep is not None:
        first_id = int(header.group("id")) if header.group("id") else None
        # The conclusion ends at the first blank line (conclusions contain none).
        blank = focused_part.find("\n\n", sep.end())
        concl_end = blank if blank >= 0 else len(focused_part)
        concl_text = focused_part[sep.end(): concl_end]
        goals.append(
            Goal(
                id=first_id,
                hypotheses=_parse_hyps(focused_part[: sep.start()]),
                conclusion=_dedent(concl_text),
            )
        )
        others_from = concl_end
    listed = _parse_other_goals(focused_part[others_from:])
    unfocused = _parse_other_goals(unfocused_part)
    if sep is None:
        # Nothing focused: the listing is of unfocused, shelved or given-up goals.
        if SHELF_NOTE in notes:
            shelved = max(shelved, len(listed))
        elif GIVEN_UP_NOTE in notes:
            given_up = max(given_up, len(listed))
        else:
            unfocused = listed + unfocused
    else:
        goals.extend(listed)
    return ProofState(goals=goals, unfocused=unfocused, shelved=shelved, given_up=given_up)


def _parse_other_goals(text: str) -> list[Goal]:
    goals = []
    marks = list(_OTHER_GOAL.finditer(text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        concl = text[m.end(): end]
        concl = concl.split("\nYou need to go back and solve them.")[0]
        goals.append(
            Goal(
                id=int(m.group("id")) if m.group("id") else None,
                conclusion=_dedent(concl, indent=1),
                hypotheses_shown=False,
            )
        )
    return goals


def _parse_hyps(text: str) -> list[Hypothesis]:
    hyps: list[tuple[list[str], str, str]] = []  # names, separator, text
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _HYP_START.match(line)
        if m is not None:
            hyps.append((m.group("names").split(", "), m.group("sep"), m.group("rest")))
        elif hyps:
            names, sep, acc = hyps[-1]
            hyps[-1] = (names, sep, acc + "\n" + line.strip())
    result = []
    for names, sep, acc in hyps:
        if sep == ":=":
            body, _, typ = acc.rpartition(" : ")
            result.append(Hypothesis(names=names, type=typ.strip(), body=body.strip() or None))
        else:
            result.append(Hypothesis(names=names, type=acc.strip()))
    return result


def _dedent(text: str, indent: int | None = None) -> str:
    lines = text.strip("\n").splitlines()
    if indent is None:
        widths = [len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()]
        indent = min(widths, default=0)
    out = [ln[indent:] if ln[:indent].strip() == "" else ln.lstrip() for ln in lines]
    return "\n".join(out).strip()


def byte_range_to_chars(text: str, byte_range: tuple[int, int]) -> tuple[int, int]:
    """coqtop counts UTF-8 bytes; we count characters. Clamp to the text."""
    raw = text.encode("utf-8")

    def conv(b: int) -> int:
        b = max(0, min(b, len(raw)))
        return len(raw[:b].decode("utf-8", errors="ignore"))

    return conv(byte_range[0]), conv(byte_range[1])
