"""`idsynth.extraction`: audited solutions to OCaml, built, benchmarked.

Public surface:
- `extract` — Rocq extraction of an audit-accepted solution (refused otherwise);
- `build` — `ocamlfind ocamlopt`, bounded, compiler errors returned with output and exit code;
- `build_extracted_store`, `check_witnesses`, `vacuity_findings` — a solution as a benchmark
  binary, and the manifest's witnesses evaluated on that binary;
- `map_shape`, `driver_source` — the generated OCaml driver for map-shaped signatures;
- `kv_shape`, `replicated_source` — the replicated driver for key-value replica signatures
  (`specs/kv`), selected by a `[bench]` that sets `replicas`;
- `bench`, `prepare`, `workloads`, `save_reports`, `load_reports`, `plot` — throughput against
  the closure-chain, OCaml `Map` and `Hashtbl` baselines (replicated specs: the closure chain);
- the boundary types of `types.py` and the exceptions of `errors.py`.

Imported by path, not re-exported: `chapar` (Chapar's stores from a checkout, adapted to the
replicated driver; `bench/chapar.py`), `node` (one replica's store behind a pipe) and
`network` (replica processes on loopback TCP; `idsynth bench --network`), `comparison` (the
typed result file of `bench/chapar.py`) and `comparison_plots` (its plots; matplotlib).
"""

from .bench import bench, load_reports, plot, prepare, save_reports, workloads
from .build import build, flambda_enabled
from .driver import driver_source, map_shape
from .errors import BenchError, DriverError, ExtractionError, ToolchainMissing
from .extract import extract
from .replicated import kv_shape, replicated_source
from .store import build_extracted_store, check_witnesses, split_theorem_findings, theorem_cases, vacuity_findings
from .types import (
    BenchReport,
    BenchSection,
    BuildResult,
    ExtractionResult,
    KVShape,
    LatencyStats,
    MapShape,
    PrepareFailure,
    ReplicatedBench,
    ReplicatedWorkload,
    ReplicationCheck,
    RunResult,
    StoreBinary,
    WitnessCheck,
    WitnessReport,
    Workload,
    bench_section,
)

__all__ = [
    "BenchError", "BenchReport", "BenchSection", "BuildResult", "DriverError", "ExtractionError",
    "ExtractionResult", "KVShape", "LatencyStats", "MapShape", "PrepareFailure", "ReplicatedBench",
    "ReplicatedWorkload", "ReplicationCheck", "RunResult", "StoreBinary", "ToolchainMissing", "WitnessCheck",
    "WitnessReport", "Workload", "bench", "bench_section", "build", "build_extracted_store", "check_witnesses",
    "driver_source", "extract", "flambda_enabled", "kv_shape", "load_reports", "map_shape", "plot", "prepare",
    "replicated_source", "save_reports", "split_theorem_findings", "theorem_cases", "vacuity_findings", "workloads",
]
