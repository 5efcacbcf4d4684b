"""`idsynth batch resume DIR`: finish a batch that was stopped or killed.

Nothing is re-planned: the manifest fixes the units and their options. A unit with a result
is finished and is not touched; every other unit is run again from its input snapshot (a
unit cut short restarts from its beginning — its partial transcript lived in the worker's
scratch directory, never in the batch directory). A result whose `unit_finished` line was lost
(the driver killed between the two writes) gets that line now, so the event log still names
every finished unit exactly once.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from .driver import Observer, run_batch
from .store import BatchStore
from .types import BatchEvent, UnitResult


def reconcile_log(store: BatchStore) -> list[str]:
    """Log `unit_finished` for results the log does not mention; the units so repaired."""
    store.repair_log()
    logged = {e.unit for e in store.events() if e.type == "unit_finished"}
    repaired = []
    for unit, result in store.results().items():
        if unit not in logged:
            store.log(BatchEvent(type="unit_finished", time=datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                                 session="reconciled", unit=unit, status=result.status, attempt=result.attempt))
            repaired.append(unit)
    return repaired


def resume_batch(root: Path, *, address: str | None = None, num_cpus: int | None = None,
                 observer: Observer | None = None) -> tuple[BatchStore, dict[str, UnitResult]]:
    store = BatchStore.open(root)
    reconcile_log(store)
    return store, run_batch(store, address=address, num_cpus=num_cpus, observer=observer)
