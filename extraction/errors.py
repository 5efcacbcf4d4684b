"""Exceptions of `idsynth.extraction`: only environment and usage problems.

    ExtractionError
     ├── ToolchainMissing   ocamlfind / ocamlopt / coqc not on PATH
     ├── DriverError        the spec's signature is not map-shaped, or a bad workload
     └── BenchError         an implementation could not be prepared (audit, extraction, build)

Compiler errors, refused extractions, failing witnesses and crashed benchmark runs are
values (`types.py`), not exceptions.
"""

from __future__ import annotations


class ExtractionError(Exception):
    """Base class; `str(exc)` is a one-line, actionable message."""


class ToolchainMissing(ExtractionError):
    """An OCaml or Rocq tool is not installed."""


class DriverError(ExtractionError):
    """A benchmark driver cannot be generated for this signature or workload."""


class BenchError(ExtractionError):
    """A benchmark could not start: some implementation failed to build. Carries the failures."""

    def __init__(self, message: str, failures: list | None = None) -> None:
        super().__init__(message)
        self.failures = failures or []
