"""The batch directory on disk, and writing into it so that nothing finished is ever lost.

    DIR/
      manifest.json        the batch (types.Manifest), written once at creation
      events.jsonl         batch_started / unit_submitted / unit_finished, fsynced per line
      inputs/<id>/         a snapshot of each unit's input (the spec directory, or the .v file)
      runs/<id>/           each finished unit's transcript directory (`runs/<id>` as for `idsynth run`)
      results/<id>.json    each finished unit's result (types.UnitResult)

A unit is finished exactly when `results/<id>.json` exists. The driver installs a finished
unit in two atomic steps — the transcript directory renamed into `runs/<id>`, then the result
file renamed into `results/` — so a driver killed at any instant leaves either a finished unit
(both in place) or an unfinished one (no result; a stray transcript is replaced on the redo).
Every rename is followed by an fsync of the directory, so "finished" survives a power cut too.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tarfile
from pathlib import Path

from .types import BatchEvent, Manifest, UnitResult


class BatchError(Exception):
    """A batch directory that cannot be created or read; one line."""


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def unit_id(index: int, source: Path) -> str:
    name = source.stem if source.suffix == ".v" else source.name
    return f"u{index:03d}-{_SAFE.sub('_', name)[:40]}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """`path` holds either its old content or all of `data`, never a part."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def pack_dir(path: Path) -> bytes:
    """A directory as gzipped tar bytes (what travels between driver and worker)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(path, arcname=".")
    return buf.getvalue()


def unpack_dir(data: bytes, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        tar.extractall(dest, filter="data")


class BatchStore:
    """One batch directory."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = root
        self.manifest = manifest

    # -- creation and opening --------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, manifest: Manifest) -> "BatchStore":
        """Snapshot the inputs, then write the manifest last: a directory with a manifest is
        a complete batch."""
        root = root.resolve()
        if (root / "manifest.json").exists():
            raise BatchError(f"{root}: a batch exists here; continue it with `idsynth batch resume {root}`")
        if root.exists() and any(p.name not in ("inputs",) for p in root.iterdir()):
            raise BatchError(f"{root}: exists and is not empty")
        for sub in ("inputs", "runs", "results"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        for unit in manifest.units:
            src, dest = Path(unit.source), root / "inputs" / unit.id
            if dest.exists():
                shutil.rmtree(dest)
            if unit.kind == "run":
                shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.vo", "*.vok", "*.vos", "*.glob",
                                                                          ".*.aux", "_build"))
            else:
                dest.mkdir(parents=True)
                shutil.copyfile(src, dest / unit.input_name)
        write_atomic(root / "manifest.json", manifest.model_dump_json(indent=2).encode())
        return cls(root, manifest)

    @classmethod
    def open(cls, root: Path) -> "BatchStore":
        root = root.resolve()
        try:
            manifest = Manifest.model_validate_json((root / "manifest.json").read_bytes())
        except FileNotFoundError:
            raise BatchError(f"{root}: not a batch directory (no manifest.json)") from None
        except ValueError as exc:
            raise BatchError(f"{root}/manifest.json: not a batch manifest: {str(exc).splitlines()[0]}") from None
        return cls(root, manifest)

    @staticmethod
    def is_batch(path: Path) -> bool:
        return (path / "manifest.json").is_file() and (path / "results").is_dir()

    # -- units -------------------------------------------------------------------------------

    def input_dir(self, unit_id: str) -> Path:
        return self.root / "inputs" / unit_id

    def run_dir(self, unit_id: str) -> Path:
        return self.root / "runs" / unit_id

    def result(self, unit_id: str) -> UnitResult | None:
        try:
            return UnitResult.model_validate_json((self.root / "results" / f"{unit_id}.json").read_bytes())
        except FileNotFoundError:
            return None

    def results(self) -> dict[str, UnitResult]:
        return {u.id: r for u in self.manifest.units if (r := self.result(u.id)) is not None}

    def unfinished(self) -> list:
        done = self.results()
        return [u for u in self.manifest.units if u.id not in done]

    def install(self, result: UnitResult, transcript: bytes | None) -> None:
        """Make a unit finished: its transcript directory, then its result (see the module doc)."""
        if transcript:
            staging = self.root / "runs" / f".{result.unit}.incoming"
            if staging.exists():
                shutil.rmtree(staging)
            unpack_dir(transcript, staging)
            final = self.run_dir(result.unit)
            if final.exists():  # a transcript from an attempt whose result never got written
                shutil.rmtree(final)
            os.replace(staging, final)
            _fsync_dir(final.parent)
        write_atomic(self.root / "results" / f"{result.unit}.json", result.model_dump_json(indent=2).encode())

    # -- the event log -----------------------------------------------------------------------

    def repair_log(self) -> None:
        """End a torn last line (a killed driver's) so the next event starts on its own line."""
        path = self.root / "events.jsonl"
        if path.exists() and path.stat().st_size and not path.read_bytes().endswith(b"\n"):
            with open(path, "ab") as f:
                f.write(b"\n")

    def log(self, event: BatchEvent) -> None:
        with open(self.root / "events.jsonl", "ab") as f:
            f.write(event.model_dump_json().encode() + b"\n")
            f.flush()
            os.fsync(f.fileno())

    def events(self) -> list[BatchEvent]:
        """Complete lines only (a driver killed mid-write leaves a torn last line)."""
        try:
            data = (self.root / "events.jsonl").read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        out = []
        for line in data.split("\n"):
            try:
                out.append(BatchEvent.model_validate(json.loads(line)))
            except ValueError:
                continue
        return out
