"""`idsynth.rocq`: a live Rocq checker session, documents and their grading.

Public surface:
- `Session`, `SessionConfig` — one coqtop, one sentence at a time, bounded and restartable;
- `split_sentences` — Rocq source to sentences with exact character offsets;
- `Document`, `Grader` — a development as ordered items, graded incrementally;
- the boundary types of `types.py` and the exceptions of `errors.py`.
"""

from .document import Document, Item
from .errors import RocqCrashed, RocqError, RocqNotInstalled, RocqStartupFailed
from .grader import Grader
from .session import Session, SessionConfig
from .splitter import split_sentences, split_with_tail
from .types import (
    Failure,
    Goal,
    Hole,
    Hypothesis,
    ItemKind,
    ItemStatus,
    ItemVerdict,
    ProofState,
    Sentence,
    SentenceError,
    SentenceOk,
    SentenceResult,
    SentenceTimeout,
    Span,
    Verdict,
)

__all__ = [
    "Document", "Item", "Grader", "split_sentences", "split_with_tail",
    "Failure", "Goal", "Hole", "Hypothesis", "ItemKind", "ItemStatus", "ItemVerdict",
    "ProofState", "RocqCrashed", "RocqError", "RocqNotInstalled", "RocqStartupFailed",
    "Sentence", "SentenceError", "SentenceOk", "SentenceResult", "SentenceTimeout",
    "Session", "SessionConfig", "Span", "Verdict",
]
