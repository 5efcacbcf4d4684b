"""Baselines a verified store is measured against.

* **closure chain** (`baselines/closure_chain*.v`): a Chapar-style store whose state is a
  function and whose every update wraps one more closure. It is a real solution (audited and
  extracted like any other), correct by construction and slow by construction.
* **OCaml `Map`** (`Map.Make (Int)`) and **`Hashtbl`** (`Hashtbl.Make` over ints): hand-written,
  unverified, the same driver and workload. Map-shaped specs only.

For the replicated KV specs (`specs/kv/<name>`) the closure-chain reference is the first
design the spec's reference run closed, `runs/reference/<name>/solution-branch<i>-v<n>.v` with
the lowest branch `i` (the run goes on to a faster design, its `solution.v`). To be plain
about what that is: it is not a separately written baseline but the store the scripted
reference run closed first, `CausalLWW`, whose replica state is a function `nat -> list entry`
that every put and delivery wraps in one more closure - a Chapar-style closure chain in its
own right. Each
closure's body calls the previous state two or three times (`size`, `length`, the result),
so an operation's cost grows exponentially with the replica's history: under the default
2 s pass budget it completes well under a hundred operations.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from idsynth.audit.types import Spec

from .build import build
from .driver import driver_source, ocaml_hashtbl_store, ocaml_map_store, write_driver
from .types import MapShape, PrepareFailure, StoreBinary

BASELINE_DIR = Path(__file__).resolve().parent / "baselines"

#: The closure-chain solution of each shipped map spec, by the spec's `name`.
CLOSURE_CHAINS: dict[str, Path] = {
    "finite_map": BASELINE_DIR / "closure_chain.v",
    "finite_map_int63": BASELINE_DIR / "closure_chain_int63.v",
}

OcamlBaseline = Literal["ocaml-map", "ocaml-hashtbl"]


#: The closed reference runs, whose solutions are the KV specs' closure chains (see above).
REFERENCE_RUNS = Path(__file__).resolve().parents[1] / "runs" / "reference"
KV_SPECS = ("ryw", "monotonic_reads", "monotonic_writes", "writes_follow_reads", "causal", "convergence", "pram")


def closure_chain_for(spec: Spec) -> Path | None:
    """The closure-chain solution of this spec, if there is one (it is audited before use)."""
    name = spec.manifest.name
    if name in KV_SPECS:
        return _first_closed_design(REFERENCE_RUNS / name)
    return CLOSURE_CHAINS.get(name)


def _first_closed_design(run_dir: Path) -> Path | None:
    """The solution of the run's first audited design (the engine writes one per audit)."""
    found = []
    for path in run_dir.glob("solution-branch*-v*.v"):
        m = re.fullmatch(r"solution-branch(\d+)-v(\d+)", path.stem)
        if m:
            found.append((int(m.group(1)), int(m.group(2)), path))
    return min(found)[2] if found else None


def build_ocaml_baseline(which: OcamlBaseline, shape: MapShape, workdir: Path,
                         timeout: float = 300) -> StoreBinary | PrepareFailure:
    """Build the hand-written OCaml store `which` with the operation names of `shape`."""
    workdir = Path(workdir).resolve()
    store = ocaml_map_store(shape) if which == "ocaml-map" else ocaml_hashtbl_store(shape)
    driver, stub = write_driver(workdir / "driver", driver_source(store))
    empty = workdir / "ml"
    empty.mkdir(parents=True, exist_ok=True)
    result = build(empty, driver, workdir / "bin" / which, c_files=[stub], timeout=timeout)
    if not result.ok or result.binary is None:
        return PrepareFailure(name=which, stage="build", message=result.message, build=result)
    return StoreBinary(name=which, kind="baseline-ocaml", binary=result.binary,
                       shape=shape.model_copy(update={"key": "int", "value": "int"}))
