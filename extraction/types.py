"""Boundary types of `idsynth.extraction`: extraction, build, benchmark and witness results.

Everything another package (the CLI, the agent's `--optimize throughput` steering) needs
from extraction crosses this module; the rest is internal. Results are values: a refused
extraction, a compiler error or a crashed benchmark run is a result with `ok=False` and a
message, never an exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Bumped when the JSON written by `bench.save_reports` changes shape. 2: replicated
#: workloads and their end-of-pass check (`ReplicatedWorkload`, `ReplicationCheck`); version 1
#: files still load (they are version 2 files without those).
REPORT_FORMAT_VERSION = 2


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExtractionResult(_Frozen):
    """The outcome of `extract`: OCaml sources for an audited solution, or why not."""

    ok: bool
    refused: bool = False
    """True when extraction was not attempted (no accepting audit verdict for this file)."""
    ml_files: list[Path] = Field(default_factory=list)
    """The generated `.ml` and `.mli` files (one compilation unit, `impl`)."""
    directory: Path | None = None
    impl_module: str | None = None
    """The solution's implementation module, e.g. `AssocMap`."""
    ocaml_module: str = "IdsynthImpl"
    """The name under which `impl.ml` exposes it, sealed by the spec's signature."""
    signature: str | None = None
    libraries_used: list[str] = Field(default_factory=list)
    """Extraction libraries `Require`d (exactly the manifest's `[extraction] libraries`)."""
    unsound_opt_ins: list[str] = Field(default_factory=list)
    """Libraries among them known to be unsound (machine integers for `nat`/`Z`: overflow)."""
    rocq_output: str = ""
    message: str = ""


class BuildResult(_Frozen):
    """The outcome of one `ocamlfind ocamlopt` build. A compiler error is a value here."""

    ok: bool
    binary: Path | None = None
    compiler_output: str = ""
    """Everything the build printed (stdout and stderr interleaved), never trimmed."""
    exit_code: int | None = None
    """The failing command's exit status; None when it was killed by the timeout."""
    timed_out: bool = False
    command: list[str] = Field(default_factory=list)
    """The failing command, or the final link command on success."""
    flambda: bool = False
    message: str = ""


# ------------------------------------------------------------------ workload


def _check_keys(v: list[int]) -> list[int]:
    if not v or any(k <= 0 for k in v):
        raise ValueError("keys must be a non-empty list of positive integers")
    return v


def _check_mix(v: dict[str, int]) -> dict[str, int]:
    if any(p < 0 for p in v.values()) or sum(v.values()) != 100:
        raise ValueError(f"mix percentages must be non-negative and sum to 100, got {v}")
    return v


def _check_power_of_two(v: int) -> int:
    if v & (v - 1):
        raise ValueError(f"sample_every must be a power of two, got {v}")
    return v


class BenchSection(_Frozen):
    """The `[bench]` section of `spec.toml` for a single store (all fields optional; these are
    the defaults). A section that sets `replicas` is a `ReplicatedBench` instead."""

    ops: int = Field(default=200_000, gt=0)
    """Operations per timed pass."""
    keys: list[int] = Field(default_factory=lambda: [100, 1000, 10000])
    """Key counts to measure; each run prefills the store with every key."""
    mix: dict[str, int] = Field(default_factory=lambda: {"put": 50, "get": 50})
    """Percent of each operation, by the signature's field names; sums to 100."""
    distribution: Literal["uniform", "zipf"] = "uniform"
    zipf_exponent: float = Field(default=0.99, gt=0)
    seed: int = 42
    warmup_ops: int | None = Field(default=None, ge=0)
    """Untimed operations before the passes (default: a tenth of `ops`)."""
    repetitions: int = Field(default=5, gt=0)
    time_budget_s: float | None = Field(default=None, gt=0)
    """Per pass: stop a pass early once it has run this long (for very slow stores)."""

    _positive_keys = field_validator("keys")(_check_keys)
    _percentages = field_validator("mix")(_check_mix)


class ReplicatedBench(_Frozen):
    """The `[bench]` section of a replicated spec (`specs/kv/*`): setting `replicas` selects it.

    One process simulates `replicas` copies of the store: clients, each sticky to a replica
    drawn at random, issue puts and gets of uniformly drawn keys at their replica; every put's
    update message goes in flight to every other replica; a `deliver` operation delivers one
    in-flight message picked at random (seeded) among those whose guard holds at their
    destination. Each pass starts from `init` with an empty network (no prefill). Unknown keys
    are rejected, like `BenchSection`'s."""

    replicas: int = Field(gt=1)
    """Replicas simulated, ids 0..replicas-1 (the spec's model fixes it: three for `specs/kv`)."""
    clients: int = Field(default=12, gt=0)
    """Client sessions; each is pinned to one replica, drawn at random (seeded)."""
    ops: int = Field(default=100_000, gt=0)
    """Operations per timed pass (puts, gets and delivery steps together)."""
    keys: list[int] = Field(default_factory=lambda: [10, 100, 1000])
    """Key-space sizes to measure; keys (and values) are drawn uniformly below the size."""
    mix: dict[str, int] = Field(default_factory=lambda: {"put": 40, "get": 40, "deliver": 20})
    """Percent of puts, gets and delivery steps, by the signature's field names; sums to 100."""
    distribution: Literal["uniform"] = "uniform"
    """Key distribution (only uniform is implemented for replicated workloads)."""
    delivery: Literal["seeded_random"] = "seeded_random"
    """How a delivery step picks its message: at random from the seed (the only one so far)."""
    seed: int = 42
    """Seeds the client placement and the whole operation stream."""
    repetitions: int = Field(default=3, gt=0)
    """Timed passes per run, each from the initial state."""
    time_budget_s: float | None = Field(default=None, gt=0)
    """Per pass: stop a pass once it has run this long (the closure chain needs it)."""
    check_budget_s: float | None = Field(default=None, gt=0)
    """Bound on the untimed end-of-pass check (deliver everything, read every key)."""

    _positive_keys = field_validator("keys")(_check_keys)
    _percentages = field_validator("mix")(_check_mix)


def bench_section(raw: dict) -> BenchSection | ReplicatedBench:
    """Validate a manifest's `[bench]` table: replicated when it sets `replicas`, else a single
    store. Raises pydantic's `ValidationError` (a `ValueError`) naming any unknown key."""
    return ReplicatedBench.model_validate(raw) if "replicas" in raw else BenchSection.model_validate(raw)


class Workload(_Frozen):
    """One benchmark run's workload: a key count and everything that fixes the op stream."""

    keys: int = Field(gt=0)
    ops: int = Field(gt=0)
    mix: dict[str, int]
    distribution: Literal["uniform", "zipf"] = "uniform"
    zipf_exponent: float = 0.99
    seed: int = 42
    warmup_ops: int = Field(default=0, ge=0)
    repetitions: int = Field(default=5, gt=0)
    time_budget_s: float | None = None
    sample_every: int = Field(default=64, gt=0)
    """Every Nth operation is timed on its own for the latency percentiles (a power of 2)."""

    _power_of_two = field_validator("sample_every")(_check_power_of_two)

    def driver_args(self) -> list[str]:
        args = ["--keys", str(self.keys), "--ops", str(self.ops),
                "--mix", ",".join(f"{k}={v}" for k, v in self.mix.items()),
                "--dist", self.distribution, "--zipf-s", repr(self.zipf_exponent),
                "--seed", str(self.seed), "--warmup", str(self.warmup_ops),
                "--reps", str(self.repetitions), "--sample-every", str(self.sample_every)]
        if self.time_budget_s is not None:
            args += ["--budget-ms", str(max(1, round(self.time_budget_s * 1000)))]
        return args


class ReplicatedWorkload(_Frozen):
    """One run of the replicated driver: a key-space size and everything that fixes the
    operation stream and the delivery order."""

    replicas: int = Field(gt=1)
    clients: int = Field(gt=0)
    keys: int = Field(gt=0)
    ops: int = Field(gt=0)
    mix: dict[str, int]
    """By the signature's field names (put, get, deliver roles)."""
    seed: int = 42
    repetitions: int = Field(default=3, gt=0)
    time_budget_s: float | None = None
    check_budget_s: float | None = None
    sample_every: int = Field(default=64, gt=0)
    """Every Nth operation is timed on its own for the latency percentiles (a power of 2)."""

    _power_of_two = field_validator("sample_every")(_check_power_of_two)

    def driver_args(self) -> list[str]:
        args = ["--replicas", str(self.replicas), "--clients", str(self.clients), "--keys", str(self.keys),
                "--ops", str(self.ops), "--mix", ",".join(f"{k}={v}" for k, v in self.mix.items()),
                "--seed", str(self.seed), "--reps", str(self.repetitions),
                "--sample-every", str(self.sample_every)]
        if self.time_budget_s is not None:
            args += ["--budget-ms", str(max(1, round(self.time_budget_s * 1000)))]
        if self.check_budget_s is not None:
            args += ["--check-budget-ms", str(max(1, round(self.check_budget_s * 1000)))]
        return args


# ------------------------------------------------------------------ signature shape

KeyRepr = Literal["nat", "uint63", "int"]


class MapShape(_Frozen):
    """Which fields of the spec's signature play the roles of a map, read from the types
    of the extracted signature (names come from the spec, never assumed)."""

    state_type: str
    """The signature's abstract state type, e.g. `t`."""
    empty: str
    lookup: str
    insert: str
    delete: str | None = None
    key: KeyRepr
    value: KeyRepr

    @property
    def operations(self) -> list[str]:
        return [self.lookup, self.insert] + ([self.delete] if self.delete else [])


class KVShape(_Frozen):
    """Which fields of a replicated key-value signature (`specs/kv`'s `KV_SIG`) play which
    role, read from the extracted types: `init : R -> t`, `put : R -> K -> V -> t -> t * msg`,
    `get : K -> t -> V option`, `deliverable : t -> msg -> bool`, `deliver : t -> msg -> t`."""

    state_type: str
    msg_type: str
    init: str
    put: str
    get: str
    deliverable: str
    deliver: str
    replica: KeyRepr
    key: KeyRepr
    value: KeyRepr

    @property
    def operations(self) -> list[str]:
        return [self.put, self.get, self.deliver]


# ------------------------------------------------------------------ results of the binary


class LatencyStats(_Frozen):
    """Per-operation latency from sampled single operations (clock overhead included)."""

    op: str
    samples: int
    p50_ns: float
    p99_ns: float
    max_ns: float


class ReplicationCheck(_Frozen):
    """The untimed check after a replicated run's last pass: deliver every in-flight message
    (the first ready one, again and again), then get every key at every replica."""

    status: Literal["done", "budget"]
    """`budget`: the check's own time bound stopped it; the counts are partial."""
    after_ops: int
    """Operations the pass had done (all of them unless its budget stopped it)."""
    in_flight: int
    """Messages in flight when the check began."""
    delivered: int = 0
    undeliverable: int = 0
    """Messages left whose guard never held (the spec's `progress` says there are none)."""
    keys_checked: int = 0
    disagreeing_keys: int = 0
    """Keys the replicas answer differently once the network is empty."""
    written_none: int = 0
    """Keys some completed put wrote that some replica reads as None (`quiescent_reads`)."""
    unwritten_some: int = 0
    """Keys no put wrote that some replica reads as Some (`no_thin_air`)."""
    checksum: int = 0
    """A hash of replica 0's answers for every key."""

    @property
    def converged(self) -> bool:
        return self.status == "done" and not (self.undeliverable or self.disagreeing_keys
                                              or self.written_none or self.unwritten_some)

    def problems(self) -> list[str]:
        """What the finished part of the check found wrong (violations, not an unfinished check)."""
        out = []
        if self.undeliverable:
            out.append(f"{self.undeliverable} of {self.in_flight} in-flight messages never became deliverable")
        if self.disagreeing_keys:
            out.append(f"replicas disagree on {self.disagreeing_keys} of {self.keys_checked} keys "
                       "after every message was delivered")
        if self.written_none:
            out.append(f"{self.written_none} written keys read as None after delivery")
        if self.unwritten_some:
            out.append(f"{self.unwritten_some} never-written keys read as Some")
        return out

    def incomplete(self) -> str:
        """Why the check says nothing (its budget ran out), or "" when it finished."""
        if self.status == "done":
            return ""
        return (f"convergence check incomplete: its time budget ran out after {self.delivered} of "
                f"{self.in_flight} deliveries and {self.keys_checked} key reads")


class BenchReport(_Frozen):
    """One implementation at one key count: throughput over repeated timed passes."""

    format_version: int = REPORT_FORMAT_VERSION
    impl: str
    kind: Literal["verified", "baseline-verified", "baseline-ocaml"]
    """`verified`: a solution under test; `baseline-verified`: an audited baseline such as
    the closure chain; `baseline-ocaml`: hand-written OCaml, not verified."""
    spec: str
    keys: int
    ok: bool = True
    message: str = ""
    ops: int
    """Operations per pass requested."""
    ops_done_median: float = 0
    """Fewer than `ops` when the per-pass time budget stopped passes early."""
    ops_per_s_median: float = 0
    ops_per_s_min: float = 0
    ops_per_s_max: float = 0
    ops_per_s_iqr: float = 0
    passes: int = 0
    """Timed passes behind the statistics (repetitions x rounds)."""
    latency: dict[str, LatencyStats] = Field(default_factory=dict)
    clock: str = ""
    clock_overhead_ns: float = 0
    peak_rss_kb: int = 0
    """Peak resident set of the benchmark process, the largest over rounds."""
    peak_rss_source: Literal["VmHWM", "wait4"] = "VmHWM"
    """`VmHWM`: reported by the process itself at exit (exact); `wait4`: the kernel's rusage
    for the child, which also counts the forking Python process's pages (an overestimate)."""
    repetitions: int = 0
    rounds: int = 0
    hits: int | None = None
    """Lookups that found a value, in the first full pass: equal across correct stores
    (map-shaped only: replicated stores may legitimately differ in what a get sees)."""
    replication: ReplicationCheck | None = None
    """Replicated workloads: the end-of-pass convergence check."""
    workload: Workload | ReplicatedWorkload


class WitnessCheck(_Frozen):
    """A manifest witness evaluated on the extracted binary."""

    name: str
    outcome: Literal["holds", "refuted", "unprintable"]
    got: str | None = None
    expect: str
    detail: str = ""


class WitnessReport(_Frozen):
    """All witnesses on one binary; `refuted` witnesses are vacuity failures."""

    ok: bool
    checks: list[WitnessCheck] = Field(default_factory=list)
    message: str = ""

    @property
    def refuted(self) -> list[WitnessCheck]:
        return [c for c in self.checks if c.outcome == "refuted"]


class RunResult(_Frozen):
    """One bounded run of a benchmark binary."""

    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool = False
    peak_rss_kb: int = 0
    wall_s: float = 0

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


class StoreBinary(_Frozen):
    """A built benchmark binary for one implementation."""

    name: str
    kind: Literal["verified", "baseline-verified", "baseline-ocaml"]
    binary: Path
    shape: MapShape | KVShape
    solution: Path | None = None
    libraries_used: list[str] = Field(default_factory=list)
    unsound_opt_ins: list[str] = Field(default_factory=list)
    witness_names: list[str] = Field(default_factory=list)
    """Witnesses compiled into the binary (the rest were unprintable)."""
    unprintable: dict[str, str] = Field(default_factory=dict)
    """Witness name -> why it could not be translated to OCaml."""


class PrepareFailure(_Frozen):
    """Why an implementation could not be turned into a benchmark binary."""

    name: str
    stage: Literal["audit", "extract", "driver", "build"]
    message: str
    build: BuildResult | None = None

    @model_validator(mode="after")
    def _has_message(self) -> "PrepareFailure":
        if not self.message:
            raise ValueError("a PrepareFailure needs a message")
        return self
