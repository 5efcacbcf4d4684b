"""Exit codes of every `idsynth` subcommand, documented in one place."""

OK = 0
"""The answer is positive: the file checks with no holes, the solution is accepted, ..."""
NEGATIVE = 1
"""The answer is negative: holes remain, a sentence fails, the audit rejects, ..."""
BAD_INPUT = 2
"""The input is unusable: missing or unreadable file, not UTF-8, bad options."""
ENVIRONMENT = 3
"""The machine lacks something: coqtop not installed, the checker cannot start."""
INTERRUPTED = 130
"""Stopped by SIGINT or SIGTERM (128 + 2, the shell's convention): the transcript is intact,
`idsynth resume RUN_DIR` continues the run."""
