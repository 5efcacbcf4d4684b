"""The few exceptions `idsynth.rocq` raises.

Checker *answers* (a rejected sentence, a timeout) are values, see `types.SentenceResult`.
Only failures of the checker *process* or its installation are exceptions:

    RocqError
    ├── RocqNotInstalled   coqtop/coqc not found on PATH
    ├── RocqStartupFailed  coqtop exited or printed garbage before its first prompt
    └── RocqCrashed        coqtop died and could not be brought back to the committed state

`pexpect.TIMEOUT` and `pexpect.EOF` never escape this package.
"""


class RocqError(Exception):
    """Base class of every exception raised by `idsynth.rocq`."""


class RocqNotInstalled(RocqError):
    """The Rocq executables are missing."""


class RocqStartupFailed(RocqError):
    """coqtop did not reach its first prompt (bad flags, missing library, ...)."""


class RocqCrashed(RocqError):
    """coqtop died and replaying the committed prefix failed too."""
