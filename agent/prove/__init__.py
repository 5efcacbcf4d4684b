"""`idsynth prove`: close the `Admitted` holes of a user's own development, implementation frozen."""

from .engine import InputError
from .replay import replay_prove
from .run import resume_prove, start_prove
from .types import HoleOutcome, ProveOptions, ProveReport

__all__ = ["HoleOutcome", "InputError", "ProveOptions", "ProveReport", "replay_prove", "resume_prove", "start_prove"]
