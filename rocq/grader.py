"""Grading documents incrementally against a live session: the top layer of `idsynth.rocq`.

The grader remembers which items are loaded in the session (their exact text and the
session length after each). To grade a new version of a document it keeps the longest
unchanged prefix, cancels the session to the end of that prefix and re-checks only the
items after it. Checking stops at the first failing item: later items are `not_reached`.
The failing item is cancelled, so the session always holds exactly the graded prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import structlog

from .document import Document, Item, span_of
from .errors import RocqCrashed
from .session import Session
from .types import (
    Failure,
    Hole,
    ItemStatus,
    ItemVerdict,
    ProofState,
    SentenceError,
    SentenceOk,
    SentenceTimeout,
    Verdict,
)

_ADMIT = re.compile(r"^\s*(?:admit|give_up)\s*\.\s*$")

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class _Loaded:
    """An item whose sentences are committed in the session."""

    text: str
    session_len: int  # session length after the item
    status: ItemStatus
    hole_state: ProofState | None = None


@dataclass(frozen=True)
class _Failed:
    sentence_index: int
    sentence: str
    message: str
    span: tuple[int, int] | None  # inside the sentence
    timeout: bool
    state_before: ProofState | None


class Grader:
    """Grades successive versions of a document with one live session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._base = len(session)
        self._loaded: list[_Loaded] = []

    def grade(self, doc: Document) -> Verdict:
        try:
            return self._grade(doc)
        except RocqCrashed as exc:
            # The committed prefix could not be replayed after a crash: start over once.
            log.warning("grader_restart_from_scratch", reason=str(exc))
            self.session.reset(keep=self._base)
            self._loaded = []
            return self._grade(doc)

    def _grade(self, doc: Document) -> Verdict:
        keep = 0
        while (
            keep < len(self._loaded)
            and keep < len(doc.items)
            and doc.items[keep].complete
            and self._loaded[keep].text == doc.items[keep].text
        ):
            keep += 1
        del self._loaded[keep:]
        self.session.cancel_to(self._loaded[-1].session_len if self._loaded else self._base)

        sent = 0
        failure: tuple[int, _Failed] | None = None
        for index in range(keep, len(doc.items)):
            item = doc.items[index]
            outcome, count = self._check(item)
            sent += count
            if isinstance(outcome, _Failed):
                failure = (index, outcome)
                break
            self._loaded.append(outcome)
        if failure is None and self._loaded and self.session.proof_state() is not None:
            # The document ends inside a proof: the last item did not close it.
            index = len(doc.items) - 1
            last = doc.items[index].sentences[-1]
            state = self.session.proof_state()
            self._loaded.pop()
            self.session.cancel_to(self._loaded[-1].session_len if self._loaded else self._base)
            failure = (index, _Failed(len(doc.items[index].sentences) - 1, last.text,
                                      "proof not finished: the document ends before Qed, Defined or Admitted",
                                      None, False, state))

        source = doc.render()
        offsets = doc.item_offsets()
        verdicts: list[ItemVerdict] = []
        holes: list[Hole] = []
        for index, item in enumerate(doc.items):
            if index < len(self._loaded):
                status = self._loaded[index].status
            elif failure is not None and index == failure[0]:
                status = ItemStatus.FAILED
            else:
                status = ItemStatus.NOT_REACHED
            verdicts.append(ItemVerdict(index=index, name=item.name, kind=item.kind, status=status))
            if status is ItemStatus.HOLE:
                last = item.sentences[-1]
                at = offsets[index] + last.start
                holes.append(
                    Hole(
                        item=item.name,
                        item_index=index,
                        statement=item.statement,
                        proof_state=self._loaded[index].hole_state,
                        location=span_of(source, at, offsets[index] + last.end),
                    )
                )
        first_failure = None
        if failure is not None:
            index, failed = failure
            item = doc.items[index]
            sentence = item.sentences[failed.sentence_index]
            base = offsets[index] + sentence.start
            start, end = (base + failed.span[0], base + failed.span[1]) if failed.span else (base, offsets[index] + sentence.end)
            first_failure = Failure(
                item=item.name,
                item_index=index,
                sentence=failed.sentence,
                message=failed.message,
                location=span_of(source, start, end),
                timeout=failed.timeout,
                proof_state_before=failed.state_before,
            )
        return Verdict(items=verdicts, holes=holes, first_failure=first_failure, sentences_checked=sent)

    def _check(self, item: Item) -> tuple[_Loaded | _Failed, int]:
        """Run one item's sentences; on failure cancel them all again."""
        start = len(self.session)
        if not item.complete:
            return _Failed(0, item.text, "incomplete sentence: no terminating '.'", None, False,
                           self.session.proof_state()), 0
        hole_state: ProofState | None = None
        admitted: list = []
        count = 0
        for si, sentence in enumerate(item.sentences):
            is_last = si == len(item.sentences) - 1
            if is_last and item.is_hole:
                hole_state = self.session.proof_state()
            elif item.is_hole and _ADMIT.match(sentence.text):
                # A hole inside a bullet or brace (`- admit.`): its goal is the one in focus
                # here; by `Admitted` the bullets are done and nothing is focused.
                before = self.session.proof_state()
                if before is not None and before.goals:
                    admitted.append(before.goals[0])
            result = self.session.add(sentence.text)
            count += 1
            if isinstance(result, SentenceOk):
                continue
            state_before = self.session.proof_state()
            self.session.cancel_to(start)
            if isinstance(result, SentenceTimeout):
                message = f"timed out after {result.seconds:g} s (stopped by {result.how})"
                return _Failed(si, sentence.text, message, None, True, state_before), count
            assert isinstance(result, SentenceError)
            return _Failed(si, sentence.text, result.message, result.span, False, state_before), count
        status = ItemStatus.HOLE if item.is_hole else ItemStatus.CHECKED
        if admitted and (hole_state is None or not hole_state.goals):
            hole_state = ProofState(goals=admitted, unfocused=list(hole_state.unfocused) if hole_state else [])
        return _Loaded(item.text, len(self.session), status, hole_state), count

