"""Batches of runs and proofs on Ray: many `idsynth run`/`prove` units, durable and resumable.

    plan_batch    paths (arguments or a list file) -> Manifest
    BatchStore    the batch directory: manifest, inputs, transcripts, results, event log
    run_batch     the driver: unfinished units as Ray tasks, results installed as they come
    resume_batch  the same on an existing batch directory
    render_batch_report / batch_run_dirs   aggregation over a batch
"""

from .driver import init_ray, run_batch
from .plan import new_batch_id, plan_batch, read_list_file
from .report import batch_run_dirs, expand_batch_dirs, write_batch_report
from .resume import reconcile_log, resume_batch
from .store import BatchError, BatchStore
from .types import BatchEvent, Manifest, Resources, Snapshot, Unit, UnitResult

__all__ = ["BatchError", "BatchEvent", "BatchStore", "Manifest", "Resources", "Snapshot", "Unit", "UnitResult",
           "batch_run_dirs", "expand_batch_dirs", "init_ray", "new_batch_id", "plan_batch", "read_list_file", "reconcile_log",
           "resume_batch", "run_batch", "write_batch_report"]
