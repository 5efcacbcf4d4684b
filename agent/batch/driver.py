"""The driver: submit a batch's unfinished units as Ray tasks, install results as they come.

Local by default — `ray.init()` starts a private Ray on this machine with its cores (no
dashboard, no log forwarding: startup is the slow part on a small machine) — or an existing
cluster with `address` ("auto", "ray://head:10001", "head:6379"). Each unit is one task
asking for `Resources.cpus` CPUs and `memory_gb` of memory, so Ray never places more units on
a node than it has room for; the unit's own time limit is enforced inside the task (task.py).

Retries are the driver's, not Ray's: a unit whose worker died (Ray's `WorkerCrashedError`,
the node lost) or whose command crashed (`UnitCrashed`) is resubmitted, at most
`max_retries` times, each retry logged; after that it is recorded `failed`. A negative
result (exit code 1), bad input (2), an environment problem (3) and a time limit are final:
running them again would give the same answer.

Only units without a result are submitted (store.BatchStore.unfinished), so running the
driver again on a batch — `idsynth batch resume` — redoes exactly what was not finished.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timezone

from .store import BatchStore, pack_dir
from .task import UnitPayload, execute_unit
from .types import BatchEvent, Snapshot, Unit, UnitResult

Observer = Callable[[Snapshot], None]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def init_ray(address: str | None, num_cpus: int | None):
    """Connect to `address`, or start a lean private Ray with `num_cpus` (default: all cores).
    Returns the `ray` module, and whether this call started it (then `shutdown` is ours)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    if ray.is_initialized():
        return ray, False
    common = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                  configure_logging=False)
    if address:
        ray.init(address=address, **common)
    else:
        ray.init(num_cpus=num_cpus or os.cpu_count() or 1, object_store_memory=256 * 2 ** 20, **common)
    return ray, True


class _Tally:
    def __init__(self, store: BatchStore, capacity: int) -> None:
        self.total = len(store.manifest.units)
        self.results = dict(store.results())
        self.capacity = max(capacity, 1)
        self.started = time.monotonic()
        self.session_seconds: list[float] = []
        self.retries = 0

    def snapshot(self, in_flight: int, waiting: int, last: UnitResult | None = None) -> Snapshot:
        count = {s: sum(1 for r in self.results.values() if r.status == s) for s in ("closed", "open", "failed",
                                                                                    "timeout")}
        left = self.total - len(self.results)
        eta = None
        if self.session_seconds:
            mean = sum(self.session_seconds) / len(self.session_seconds)
            eta = left * mean / min(self.capacity, max(left, 1))
        running = min(in_flight, self.capacity)
        return Snapshot(total=self.total, done=len(self.results), running=running,
                        queued=in_flight - running + waiting, retries=self.retries,
                        elapsed=time.monotonic() - self.started, eta=eta, last=last, **count)


def _capacity(ray, cpus: float) -> int:
    total = ray.cluster_resources().get("CPU", 1.0)
    return max(int(total // cpus), 1)


def run_batch(store: BatchStore, *, address: str | None = None, num_cpus: int | None = None,
              observer: Observer | None = None) -> dict[str, UnitResult]:
    """Run every unfinished unit of `store` to a result; every unit's result when it returns."""
    session = secrets.token_hex(4)
    res = store.manifest.resources
    store.repair_log()
    todo: list[tuple[Unit, int]] = [(u, 1) for u in store.unfinished()]
    store.log(BatchEvent(type="batch_started", time=_now(), session=session, pending=len(todo)))
    if not todo:
        return store.results()
    ray, ours = init_ray(address, num_cpus)
    try:
        options = {"num_cpus": res.cpus, "max_retries": 0}
        if res.memory_gb > 0:
            options["memory"] = int(res.memory_gb * 2 ** 30)
        remote = ray.remote(execute_unit).options(**options)
        capacity = _capacity(ray, res.cpus)
        tally = _Tally(store, capacity)
        # A bounded window of submitted tasks: inputs are shipped with the task, so a batch of
        # thousands does not sit in the object store at once.
        window = max(2 * capacity, 4)
        in_flight: dict = {}
        todo.reverse()

        def submit() -> None:
            while todo and len(in_flight) < window:
                unit, attempt = todo.pop()
                payload = UnitPayload(unit=unit, unit_args=store.manifest.unit_args, attempt=attempt,
                                      input_tar=pack_dir(store.input_dir(unit.id)), unit_seconds=res.unit_seconds,
                                      scratch_prefix=f"idsynth-batch-{store.manifest.batch_id}-")
                in_flight[remote.remote(payload)] = (unit, attempt, time.monotonic())
                store.log(BatchEvent(type="unit_submitted", time=_now(), session=session, unit=unit.id))

        submit()
        while in_flight:
            ready, _ = ray.wait(list(in_flight), num_returns=1, timeout=1.0)
            last = None
            for ref in ready:
                unit, attempt, t0 = in_flight.pop(ref)
                try:
                    result, transcript = ray.get(ref)
                except ray.exceptions.RayError as exc:
                    if attempt <= res.max_retries:
                        tally.retries += 1
                        todo.append((unit, attempt + 1))
                        store.log(BatchEvent(type="unit_retried", time=_now(), session=session, unit=unit.id,
                                             attempt=attempt + 1, detail=" ".join(str(exc).split())[-300:]))
                        continue
                    result, transcript = UnitResult(
                        unit=unit.id, kind=unit.kind, status="failed", attempt=attempt,
                        seconds=round(time.monotonic() - t0, 2),
                        detail=f"gave up after {attempt} attempts: {' '.join(str(exc).split())[-1000:]}"), None
                store.install(result, transcript)
                store.log(BatchEvent(type="unit_finished", time=_now(), session=session, unit=unit.id,
                                     status=result.status, attempt=result.attempt))
                tally.results[unit.id] = result
                tally.session_seconds.append(result.seconds)
                last = result
            submit()
            if observer is not None:
                observer(tally.snapshot(len(in_flight), len(todo), last))
    finally:
        if ours:
            ray.shutdown()
    return store.results()
