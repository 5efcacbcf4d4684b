"""Configure structlog once, at the CLI entry point (libraries only get named loggers).

Human-readable lines go to stderr at the chosen level; a run also gets every event at
debug level as JSON lines in `runs/<id>/idsynth.log.jsonl`, with the run id bound.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

_json_file = None


class _Tee:
    """A structlog logger writing console lines to stderr and JSON lines to a file."""

    def __init__(self, level: int) -> None:
        import structlog

        self.level = level
        self._console = structlog.dev.ConsoleRenderer(colors=False)
        self._json = structlog.processors.JSONRenderer()

    def msg(self, **event) -> None:
        level = logging.getLevelName(event.get("level", "info").upper())
        if isinstance(level, int) and level >= self.level:
            print(self._console(None, "", dict(event)), file=sys.stderr)
        if _json_file is not None:
            _json_file.write(self._json(None, "", dict(event)) + "\n")
            _json_file.flush()

    log = debug = info = warning = warn = error = critical = exception = msg


def configure_logging(level: str = "warning") -> None:
    import structlog  # here, not at import: `--help` never needs it

    numeric = getattr(logging, level.upper(), logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
        ],  # the event dict reaches `_Tee.msg` as keyword arguments
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        logger_factory=lambda *args: _Tee(numeric),
        cache_logger_on_first_use=False,
    )


def log_run_to(run_dir: Path, run_id: str) -> None:
    """Send JSON log lines of this process to the run directory, bound to the run id."""
    import structlog

    global _json_file
    run_dir.mkdir(parents=True, exist_ok=True)
    _json_file = open(run_dir / "idsynth.log.jsonl", "a", encoding="utf-8")
    structlog.contextvars.bind_contextvars(run_id=run_id)


def close_run_log() -> None:
    """Stop writing JSON log lines to a run directory (before it is removed)."""
    global _json_file
    if _json_file is not None:
        _json_file.close()
        _json_file = None
