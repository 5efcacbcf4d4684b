"""Chapar's three verified key-value stores (Lesani, Bell, Chlipala, POPL 2016), built from a
checkout of `coq-community/chapar` and adapted to idsynth's replicated driver.

    chapar checkout --(coqc: Predefs, extralib, KVStore, KVSAlg1-3, ExtractAlgorithm)--> .vo
        --(our own Extraction file, MaxNId = replicas)--> KVSAlgN.ml
        --(chapar_store: the Store adapter below)--> replicated driver binary

Nothing of Chapar is copied into idsynth: `build_theories` compiles the checkout's own files
into a private directory and `extract_algorithm` runs Chapar's own extraction directives
(`ExtractAlgorithm.v`: `nat` as OCaml `int`) on `KVSAlgN.KVSAlgN`, exactly what its
`src/storeN/ExtractAlgorithmN.v` does, with `MaxNId` (the number of nodes, ids `0..MaxNId-1`)
set to the number of replicas instead of Chapar's fixed 4.

The adapter (`chapar_store`) maps Chapar's interface onto the driver's `Store`:

* Chapar's handlers take the node id (`get_method n st k`, `guard_method n st k v u`, ...);
  the driver's `deliverable`/`deliver` do not pass the destination, so a replica state is
  `{ nid; st }`, the node id carried beside Chapar's state.
* Chapar's `get_method` returns `(value, new state)` (Algorithms 2 and 3 record the read as a
  dependency). The driver keeps exactly one reference to each replica's current state, so
  the adapter stores the returned state in the record's mutable field: the same as the
  driver storing the returned state, without changing the driver for every other store.
* Chapar's store has no "absent": `init_method 0` makes every key read 0. The adapter writes
  `v + 1` and reads 0 as `None`, so written/unwritten keys are checked as for idsynth's stores.
* A message is Chapar's `(key, value, update)` triple (its runtime sends `(sender, key, value,
  update)`; the sender is inside the update).
* `names` are the idsynth spec's put/get/deliver field names, so the spec's `--mix` string,
  the seeds and therefore the operation stream are the same as for idsynth's stores.

Chapar's stores are causally consistent but do not order concurrent writes (an update simply
overrides the key), so after delivering everything replicas may disagree on keys written
concurrently at two replicas: the driver's check reports it, and that is Chapar's documented
guarantee, not a bug of the adapter.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from idsynth.rocq.tools import run_bounded

from .build import build
from .errors import ExtractionError
from .replicated import REPLICATED_PACKAGES, replicated_source
from .driver import write_driver
from .types import BuildResult, KVShape, StoreBinary

#: The checkout's files the three stores need, in dependency order (`_CoqProject`'s order).
THEORIES = ("Lib/Predefs", "Lib/extralib", "Framework/KVStore", "Algorithms/KVSAlg1", "Algorithms/KVSAlg2",
            "Algorithms/KVSAlg3", "Algorithms/ExtractAlgorithm")
ALGORITHMS = (1, 2, 3)


def check_checkout(chapar_dir: Path) -> Path:
    """The checkout's `theories/` directory, or an `ExtractionError` saying what is missing."""
    theories = Path(chapar_dir) / "theories"
    missing = [t for t in THEORIES if not (theories / f"{t}.v").is_file()]
    if missing:
        raise ExtractionError(f"{chapar_dir} is not a Chapar checkout (coq-community/chapar): missing "
                              + ", ".join(f"theories/{m}.v" for m in missing))
    return theories


def build_theories(chapar_dir: Path, workdir: Path, timeout: float = 1800) -> Path:
    """Compile the checkout's theories into `workdir/theories` (a copy: the checkout stays
    untouched); a file whose `.vo` is newer than its source is not recompiled. Returns the
    directory to map to the logical name `Chapar`."""
    src = check_checkout(chapar_dir)
    dst = Path(workdir).resolve() / "theories"
    for t in THEORIES:
        v_src, v_dst = src / f"{t}.v", dst / f"{t}.v"
        v_dst.parent.mkdir(parents=True, exist_ok=True)
        if not v_dst.is_file() or v_dst.read_bytes() != v_src.read_bytes():
            shutil.copyfile(v_src, v_dst)
    stale = False  # once one file is rebuilt, everything after it is too
    for t in THEORIES:
        v, vo = dst / f"{t}.v", dst / f"{t}.vo"
        if not stale and vo.is_file() and vo.stat().st_mtime >= v.stat().st_mtime:
            continue
        stale = True
        code, out = run_bounded(["coqc", "-Q", str(dst), "Chapar", str(v)], dst, timeout)
        if code != 0:
            why = "timed out" if code is None else f"exit {code}"
            raise ExtractionError(f"coqc {t}.v ({why}): {out.strip()[-800:]}")
    return dst


def extract_algorithm(theories: Path, alg: int, max_nid: int, workdir: Path, timeout: float = 600) -> Path:
    """Extract `KVSAlg<alg>.KVSAlg<alg>` with `MaxNId = max_nid` into its own directory
    (containing only `KVSAlg<alg>.ml`/`.mli` among OCaml files); returns that directory."""
    if alg not in ALGORITHMS:
        raise ExtractionError(f"Chapar has algorithms {ALGORITHMS}, not {alg}")
    out = Path(workdir).resolve() / f"alg{alg}-maxnid{max_nid}"
    ml = out / f"KVSAlg{alg}.ml"
    if ml.is_file() and ml.stat().st_mtime >= (theories / f"Algorithms/KVSAlg{alg}.vo").stat().st_mtime:
        return out
    out.mkdir(parents=True, exist_ok=True)
    (out / f"Extract{alg}.v").write_text(
        f"(* Generated by idsynth.extraction.chapar: Chapar's src/store{alg}/ExtractAlgorithm{alg}.v with "
        f"MaxNId = {max_nid}. *)\n"
        f"From Chapar Require Import KVSAlg{alg} ExtractAlgorithm.\n"
        f'Extract Constant KVStore.SysPredefs.MaxNId => "{max_nid}".\n'
        f'Extraction "KVSAlg{alg}.ml" KVSAlg{alg}.KVSAlg{alg}.\n', encoding="utf-8")
    code, text = run_bounded(["coqc", "-Q", str(theories), "Chapar", f"Extract{alg}.v"], out, timeout)
    if code != 0 or not ml.is_file():
        raise ExtractionError(f"extracting KVSAlg{alg} failed (exit {code}): {text.strip()[-800:]}")
    return out


def chapar_store(module: str, names: tuple[str, str, str] = ("put", "get", "deliver")) -> str:
    """The driver's `Store` over a module with Chapar's algorithm interface (`init_method`,
    `get_method`, `put_method`, `guard_method`, `update_method` on `int` node ids, keys and
    values): Chapar's extracted `KVSAlgN.KVSAlgN`, or a stand-in in tests."""
    put, get, deliver = names
    return f"""module Store = struct
  module A = {module}
  (* The node id rides with the state: Chapar's guard and update need the destination. *)
  type t = {{ nid : int; mutable st : int A.coq_State }}
  type msg = {{ k : int; v : int; u : int A.coq_Update }}
  type replica = int
  type key = int
  type value = int
  (* Chapar has no absent value: every key starts at init_method's 0, so values are stored +1. *)
  let init (r : replica) : t = {{ nid = r; st = A.init_method 0 }}
  let put (r : replica) (k : key) (v : value) (s : t) : t * msg =
    let (st, u) = A.put_method r s.st k (v + 1) in
    ({{ nid = s.nid; st }}, {{ k; v = v + 1; u }})
  (* Chapar's get returns a new state; the driver holds the only reference to s, so storing
     the new state in s is storing it in the driver's array. *)
  let get (k : key) (s : t) : value option =
    let (v, st) = A.get_method s.nid s.st k in
    s.st <- st;
    if v = 0 then None else Some (v - 1)
  let deliverable (s : t) (m : msg) : bool = A.guard_method s.nid s.st m.k m.v m.u
  let deliver (s : t) (m : msg) : t = {{ nid = s.nid; st = A.update_method s.nid s.st m.k m.v m.u }}
  let replica_table n : replica array = Array.init n (fun i -> i)
  let key_table n : key array = Array.init n (fun i -> i)
  let value_table n : value array = Array.init n (fun i -> i)
  let value_to_int (v : value) : int = v
  let names = [| "{put}"; "{get}"; "{deliver}" |]
end
"""


def chapar_shape(names: tuple[str, str, str]) -> KVShape:
    """A `KVShape` describing the adapter (int replicas, keys and values; the spec's names)."""
    put, get, deliver = names
    return KVShape(state_type="t", msg_type="msg", init="init_method", put=put, get=get,
                   deliverable="guard_method", deliver=deliver, replica="int", key="int", value="int")


def build_chapar_store(ml_dir: Path, alg: int, workdir: Path, names: tuple[str, str, str],
                       timeout: float = 600) -> StoreBinary:
    """The replicated driver around Chapar's extracted algorithm `alg` (from `extract_algorithm`)."""
    name = f"chapar-alg{alg}"
    result = build_adapter(ml_dir, f"KVSAlg{alg}.KVSAlg{alg}", Path(workdir) / name, name, names, timeout)
    if not result.ok or result.binary is None:
        raise ExtractionError(f"building {name}: {result.message}")
    return StoreBinary(name=name, kind="baseline-verified", binary=result.binary, shape=chapar_shape(names))


def build_adapter(ml_dir: Path, module: str, workdir: Path, name: str, names: tuple[str, str, str],
                  timeout: float = 600) -> BuildResult:
    """Compile `ml_dir`'s OCaml (the algorithm module) with the adapter and the replicated driver."""
    workdir = Path(workdir).resolve()
    driver, stub = write_driver(workdir / "driver", replicated_source(chapar_store(module, names)))
    return build(Path(ml_dir), driver, workdir / "bin" / name, REPLICATED_PACKAGES, c_files=[stub], timeout=timeout)
