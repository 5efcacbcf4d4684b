"""`idsynth.extraction`: audited solutions to OCaml, built, benchmarked.

Public surface:
- `extract` — Rocq extraction of an audit-accepted solution (refused otherwise);
- `build` — `ocamlfind ocamlopt`, bounded, compiler errors returned with output and exit code;
- `build_extracted_store`, `check_witnesses`, `vacuity_findings` — a solution as a benchmark
  binary, and the manifest's witnesses evaluated on that binary;
- `map_shape`, `driver_source` — the generated OCaml driver for map-shaped signatures;
- `bench`, `prepare`, `workloads`, `save_reports`, `load_reports`, `plot` — throughput against
  the closure-chain, OCaml `Map` and `Hashtbl` baselines;
- the boundary types of `types.py` and the exceptions of `errors.py`.
"""

from .bench import bench, load_reports, plot, prepare, save_reports, workloads
from .build import build, flambda_enabled
from .driver import driver_source, map_shape
from .errors import BenchError, DriverError, ExtractionError, ToolchainMissing
from .extract import extract
from .store import build_extracted_store, check_witnesses, vacuity_findings
from .types import (
    BenchReport,
    BenchSection,
    BuildResult,
    ExtractionResult,
    LatencyStats,
    MapShape,
    PrepareFailure,
    RunResult,
    StoreBinary,
    WitnessCheck,
    WitnessReport,
    Workload,
)

__all__ = [
    "BenchError", "BenchReport", "BenchSection", "BuildResult", "DriverError", "ExtractionError",
    "ExtractionResult", "LatencyStats", "MapShape", "PrepareFailure", "RunResult", "StoreBinary",
    "ToolchainMissing", "WitnessCheck", "WitnessReport", "Workload", "bench", "build",
    "build_extracted_store", "check_witnesses", "driver_source", "extract", "flambda_enabled",
    "load_reports", "map_shape", "plot", "prepare", "save_reports", "vacuity_findings", "workloads",
]
