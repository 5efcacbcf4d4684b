"""The result file of `bench/chapar.py` (idsynth's stores against Chapar's), as typed data.

    bench/data/chapar.json           in-process grid: `reports` (BenchReport), `ratio`
    bench/data/chapar_network.json   replicas on loopback TCP: `network` (NetworkReport)

One loader for every reader (the bench's plots, `idsynth report --bench`), so a file that is
not such a result is refused once, with its path and the first field that does not fit.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .network import NetworkReport
from .types import REPORT_FORMAT_VERSION, BenchReport


class ComparisonError(ValueError):
    """The file is missing, not JSON, or not a `bench/chapar.py` result."""


class Ratio(BaseModel):
    """idsynth's fastest audited store over Chapar's fastest, at one (keys, operations) cell."""

    model_config = ConfigDict(frozen=True)

    keys: int
    ops: int
    idsynth: str
    idsynth_ops_per_s: float
    chapar: str
    chapar_ops_per_s: float
    ratio: float
    complete: bool
    """Both passes ran the whole history (no time budget cut it short)."""


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    format_version: int
    command: list[str] = Field(default_factory=list)
    ratio: Ratio | None = None
    left_out: list[str] = Field(default_factory=list)
    reports: list[BenchReport] = Field(default_factory=list)
    # Files written before the networked run existed have no such key.
    network: list[NetworkReport] = Field(default_factory=list)


class NetworkRatio(BaseModel):
    """At one replica count and put rate: idsynth's store over Chapar's fastest, on the wire."""

    model_config = ConfigDict(frozen=True)

    replicas: int
    put_percent: int
    idsynth: str
    idsynth_ops_per_s: float
    chapar: str
    chapar_ops_per_s: float
    ratio: float


def load_comparison(path: Path) -> Comparison:
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ComparisonError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ComparisonError(f"{path}: not JSON ({exc})") from None
    if not isinstance(payload, dict) or not ({"reports", "network"} & payload.keys()):
        raise ComparisonError(f"{path}: not a bench/chapar.py result (an object with `reports` or `network`)")
    if payload.get("format_version") != REPORT_FORMAT_VERSION:
        raise ComparisonError(f"{path}: not a bench/chapar.py result of format {REPORT_FORMAT_VERSION} "
                              f"(its format_version is {payload.get('format_version')!r})")
    try:
        return Comparison.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise ComparisonError(f"{path}: not a bench/chapar.py result: {where}: {first['msg']} "
                              f"({exc.error_count()} problem(s))") from None


def network_ratios(result: Comparison) -> list[NetworkRatio]:
    """Per replica count and put rate (killed-replica runs left out): idsynth's store over
    Chapar's fastest store at the same setting."""
    cells: dict[tuple[int, int], dict[str, float]] = {}
    for rep in result.network:
        for r in rep.results:
            if r.killed is None:
                cells.setdefault((r.replicas, r.put_percent), {})[rep.impl] = r.ops_per_s
    out = []
    for (n, put), by in sorted(cells.items()):
        ours = {k: v for k, v in by.items() if k.startswith("idsynth")}
        theirs = {k: v for k, v in by.items() if k.startswith("chapar")}
        if not ours or not theirs:
            continue
        a, b = max(ours, key=ours.__getitem__), max(theirs, key=theirs.__getitem__)
        if theirs[b] > 0:
            out.append(NetworkRatio(replicas=n, put_percent=put, idsynth=a, idsynth_ops_per_s=ours[a], chapar=b,
                                    chapar_ops_per_s=theirs[b], ratio=ours[a] / theirs[b]))
    return out
