"""Baselines a verified store is measured against.

* **closure chain** (`baselines/closure_chain*.v`): a Chapar-style store whose state is a
  function and whose every update wraps one more closure. It is a real solution (audited and
  extracted like any other), correct by construction and slow by construction.
* **OCaml `Map`** (`Map.Make (Int)`) and **`Hashtbl`** (`Hashtbl.Make` over ints): hand-written,
  unverified, the same driver and workload.
"""

from __future__ import annotations

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


def closure_chain_for(spec: Spec) -> Path | None:
    """The closure-chain solution of this spec, if there is one (it is audited before use)."""
    return CLOSURE_CHAINS.get(spec.manifest.name)


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
