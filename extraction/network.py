"""Replicas on a real network: N replica processes on loopback TCP, closed-loop clients.

    idsynth bench specs/kv/causal SOLUTION.v --network --replicas 3 --put-percents 10 50 90

Layout (one command starts and stops everything; every child in its own process group,
killed on exit; every wait bounded):

    orchestrator (this process, asyncio)
      ├─ clients: closed loop, each pinned to one replica, one TCP connection each
      └─ replica i (python -m idsynth.extraction.network replica ..., asyncio)
           ├─ TCP server: client requests (put/get) and peer updates, one JSON object per line
           ├─ one sender task per peer: the replica's updates in put order (TCP keeps them in order)
           └─ the store: the node binary (`node.py`) on a pipe, one command at a time

Why Python `asyncio` and not OCaml `lwt`: the store's handlers stay in the extracted OCaml (the
node binary, the same `Store` adapter as the in-process driver), and asyncio - the standard
library's event loop, streams and subprocess support - does the networking with no new
dependency, in code the orchestration and the tests share. The price is plain: the runtime's
own cost (JSON lines, a pipe hop, the interpreter) bounds the throughput of a fast store, so
the networked numbers compare runtimes-plus-stores, and only a store slower than the runtime
(a closure chain deep in its history) shows its own cost there. `bench/chapar.py` measures
the stores alone.

A put is applied at its replica, answered, and its update queued to every peer; a peer
buffers it in the node until the store's guard holds. After the load stops the orchestrator
waits until every sent update was received and no replica has anything buffered (bounded),
then reads every key at every replica. Recovery: the stores keep their state only in memory
and the runtime neither logs nor retransmits, so a replica killed and restarted comes back
empty and updates sent to it while it was down are dropped; `kill_restart` measures exactly
what is lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

#: Bound on one JSON line (a Chapar update can carry a long closure chain).
_LINE_LIMIT = 1 << 28


# ------------------------------------------------------------------ results


class RateResult(BaseModel):
    """One run of the cluster at one put percentage."""

    model_config = ConfigDict(frozen=True)

    put_percent: int
    replicas: int
    clients: int
    keys: int
    seconds: float
    ops: int
    ops_per_s: float
    put_p50_us: float
    put_p99_us: float
    get_p50_us: float
    get_p99_us: float
    settled: bool
    """Every sent update was received and none is left buffered (within the settle bound)."""
    settle_s: float
    updates_sent: int
    updates_lost: int
    """Updates a sender could not deliver (its peer was down)."""
    pending_after: int
    """Updates still buffered (guard never held) after settling."""
    disagreeing_keys: int
    """Keys on which two replicas answer differently after settling."""
    written_missing: int
    """Written keys some replica reads as absent after settling."""
    killed: int | None = None
    """The replica killed and restarted mid-run, if any."""
    killed_disagrees_on: int = 0
    """Keys on which the restarted replica disagrees with replica 0 after settling."""
    errors: int = 0
    """Client requests that failed (connection reset while a replica was down)."""

    @property
    def converged(self) -> bool:
        return self.settled and self.disagreeing_keys == 0 and self.written_missing == 0


class NetworkReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    impl: str
    results: list[RateResult] = Field(default_factory=list)


# ------------------------------------------------------------------ replica process


async def _replica(rid: int, ports: list[int], binary: str, keys: int) -> None:
    node = await asyncio.create_subprocess_exec(
        binary, "--replica", str(rid), "--replicas", str(len(ports)), "--keys", str(keys),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, limit=_LINE_LIMIT)
    lock = asyncio.Lock()
    stats = {"puts": 0, "received": 0, "applied": 0, "pending": 0, "sent": 0, "lost": 0}
    queues = {j: asyncio.Queue() for j in range(len(ports)) if j != rid}

    async def call(cmd: str) -> str:
        assert node.stdin is not None and node.stdout is not None
        node.stdin.write(cmd.encode() + b"\n")
        await node.stdin.drain()
        line = await node.stdout.readline()
        if not line:
            raise RuntimeError(f"replica {rid}: the store process exited")
        return line.decode().rstrip("\n")

    async def sender(j: int) -> None:
        # In put order; an update that cannot be written (peer down) is dropped and counted:
        # the runtime does not retransmit, like Chapar's.
        writer = None
        while True:
            msg = await queues[j].get()
            try:
                if writer is None:
                    _, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", ports[j]), 2.0)
                writer.write(msg)
                await writer.drain()
                stats["sent"] += 1
            except (OSError, asyncio.TimeoutError):
                stats["lost"] += 1
                writer = None

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                req = json.loads(line)
                op = req["op"]
                if op == "upd":
                    async with lock:
                        stats["received"] += 1
                        _, applied, pending = (await call("M " + req["msg"])).split()
                    stats["applied"] += int(applied)
                    stats["pending"] = int(pending)
                    continue  # one-way
                if op == "put":
                    async with lock:
                        reply = await call(f"P {req['k']} {req['v']}")
                        # Queued under the lock: the peers get this replica's updates in put order.
                        frame = (json.dumps({"op": "upd", "from": rid, "msg": reply[2:]}) + "\n").encode()
                        for q in queues.values():
                            q.put_nowait(frame)
                        stats["puts"] += 1
                    out = {"ok": True}
                elif op == "get":
                    async with lock:
                        v = (await call(f"G {req['k']}"))[2:]
                    out = {"v": None if v == "-" else int(v)}
                elif op == "dump":
                    async with lock:
                        vs = (await call("D")).split()[1:]
                    out = {"values": [None if v == "-" else int(v) for v in vs]}
                elif op == "stats":
                    out = dict(stats, queued=sum(q.qsize() for q in queues.values()))
                else:
                    out = {"error": f"unknown op {op}"}
                writer.write((json.dumps(out) + "\n").encode())
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    tasks = [asyncio.create_task(sender(j)) for j in queues]
    server = await asyncio.start_server(serve, "127.0.0.1", ports[rid], limit=_LINE_LIMIT, reuse_address=True)
    async with server:
        await server.serve_forever()
    for t in tasks:
        t.cancel()


# ------------------------------------------------------------------ orchestrator


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class _Cluster:
    """The replica processes: started, killed (one or all), restarted; each in its own group."""

    def __init__(self, binary: Path, replicas: int, keys: int, logdir: Path):
        self.binary, self.keys, self.logdir = binary, keys, logdir
        self.ports = _free_ports(replicas)
        self.procs: dict[int, subprocess.Popen] = {}

    def start(self, rid: int) -> None:
        self.logdir.mkdir(parents=True, exist_ok=True)
        log = open(self.logdir / f"replica{rid}.log", "ab")
        self.procs[rid] = subprocess.Popen(
            [sys.executable, "-m", "idsynth.extraction.network", "replica", "--id", str(rid),
             "--ports", ",".join(map(str, self.ports)), "--binary", str(self.binary), "--keys", str(self.keys)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        log.close()

    def kill(self, rid: int) -> None:
        p = self.procs.pop(rid, None)
        if p is not None and p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=10)

    def stop(self) -> None:
        for rid in list(self.procs):
            self.kill(rid)

    async def wait_ready(self, rid: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            p = self.procs[rid]
            if p.poll() is not None:
                raise RuntimeError(f"replica {rid} exited (code {p.returncode}); see {self.logdir}/replica{rid}.log")
            try:
                _, w = await asyncio.open_connection("127.0.0.1", self.ports[rid])
                w.close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"replica {rid} did not listen within {timeout:g} s") from None
                await asyncio.sleep(0.05)


class _Conn:
    """One request/response connection to a replica (JSON lines)."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def ask(self, req: dict, timeout: float = 30.0) -> dict:
        if self.writer is None:
            self.reader, self.writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.port, limit=_LINE_LIMIT), timeout)
        assert self.reader is not None
        try:
            self.writer.write((json.dumps(req) + "\n").encode())
            await self.writer.drain()
            line = await asyncio.wait_for(self.reader.readline(), timeout)
            if not line:
                raise ConnectionResetError("replica closed the connection")
            return json.loads(line)
        except (OSError, asyncio.TimeoutError):
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


async def _run_rate(cluster: _Cluster, put_percent: int, clients: int, seconds: float, seed: int,
                    kill: int | None, settle_timeout: float) -> RateResult:
    n = len(cluster.ports)
    for rid in range(n):
        cluster.start(rid)
    for rid in range(n):
        await cluster.wait_ready(rid)
    lat = {"put": [], "get": []}
    written: set[int] = set()
    errors = 0
    stop_at = time.monotonic() + seconds
    done = 0

    async def client(c: int) -> None:
        nonlocal done, errors
        rng = random.Random(seed * 1000 + c)
        conn = _Conn(cluster.ports[c % n])
        while time.monotonic() < stop_at:
            k = rng.randrange(cluster.keys)
            is_put = rng.randrange(100) < put_percent
            req = {"op": "put", "k": k, "v": rng.randrange(cluster.keys)} if is_put else {"op": "get", "k": k}
            t0 = time.perf_counter()
            try:
                await conn.ask(req, timeout=10.0)
            except (OSError, asyncio.TimeoutError):
                errors += 1
                await asyncio.sleep(0.05)  # its replica is down (kill_restart): retry later
                continue
            lat["put" if is_put else "get"].append((time.perf_counter() - t0) * 1e6)
            if is_put:
                written.add(k)
            done += 1
        conn.close()

    async def killer() -> None:
        if kill is None:
            return
        await asyncio.sleep(seconds / 2)
        cluster.kill(kill)
        await asyncio.sleep(min(0.5, seconds / 10))
        cluster.start(kill)
        await cluster.wait_ready(kill)

    t0 = time.monotonic()
    await asyncio.gather(killer(), *(client(c) for c in range(clients)))
    elapsed = time.monotonic() - t0

    # Settle: every update sent has been received and nothing is buffered anywhere.
    conns = [_Conn(p) for p in cluster.ports]
    s0 = time.monotonic()
    settled = False
    stats: list[dict] = []
    last, still_since = -1, time.monotonic()
    while time.monotonic() - s0 < settle_timeout:
        stats = [await c.ask({"op": "stats"}) for c in conns]
        received = sum(s["received"] for s in stats)
        quiet = all(s["queued"] == 0 for s in stats)
        if quiet and received >= sum(s["sent"] for s in stats) and all(s["pending"] == 0 for s in stats):
            settled = True
            break
        if received != last:
            last, still_since = received, time.monotonic()
        elif kill is not None and quiet and time.monotonic() - still_since > 1.0:
            # Updates written to the killed process's socket are gone: nothing more will arrive.
            settled = True
            break
        await asyncio.sleep(0.05)
    settle_s = time.monotonic() - s0
    dumps = [(await c.ask({"op": "dump"}, timeout=max(30.0, settle_timeout)))["values"] for c in conns]
    for c in conns:
        c.close()
    cluster.stop()
    disagree = sum(1 for k in range(cluster.keys) if len({d[k] for d in dumps}) > 1)
    missing = sum(1 for k in written if any(d[k] is None for d in dumps))
    killed_dis = sum(1 for k in range(cluster.keys) if dumps[kill][k] != dumps[0][k]) if kill is not None else 0
    return RateResult(
        put_percent=put_percent, replicas=n, clients=clients, keys=cluster.keys, seconds=elapsed, ops=done,
        ops_per_s=done / elapsed if elapsed > 0 else 0.0,
        put_p50_us=_pct(lat["put"], 0.5), put_p99_us=_pct(lat["put"], 0.99),
        get_p50_us=_pct(lat["get"], 0.5), get_p99_us=_pct(lat["get"], 0.99),
        settled=settled, settle_s=settle_s, updates_sent=sum(s["sent"] for s in stats),
        updates_lost=sum(s["lost"] for s in stats), pending_after=sum(s["pending"] for s in stats),
        disagreeing_keys=disagree, written_missing=missing, killed=kill, killed_disagrees_on=killed_dis,
        errors=errors)


def run_network(binary: Path, name: str, *, replicas: int, keys: int, put_percents: list[int],
                clients: int | None = None, seconds: float = 3.0, seed: int = 42, kill_restart: bool = False,
                settle_timeout: float = 30.0, logdir: Path, on_result=None) -> NetworkReport:
    """A fresh cluster of `binary` (a node program, `node.py`) per put percentage; with
    `kill_restart`, one more run at the middle percentage in which the last replica is
    killed halfway and restarted."""
    if replicas < 2:
        raise ValueError("a network needs at least 2 replicas")
    clients = clients or 2 * replicas
    results = []
    plan = [(p, None) for p in put_percents]
    if kill_restart:
        plan.append((sorted(put_percents)[len(put_percents) // 2], replicas - 1))
    for p, kill in plan:
        cluster = _Cluster(Path(binary), replicas, keys, Path(logdir))
        try:
            r = asyncio.run(_run_rate(cluster, p, clients, seconds, seed, kill, settle_timeout))
        finally:
            cluster.stop()
        results.append(r)
        if on_result:
            on_result(r)
    return NetworkReport(impl=name, results=results)


def format_results(report: NetworkReport) -> str:
    lines = [f"{'store':<18} {'N':>2} {'put%':>4} {'ops/s':>8} {'put p50/p99 us':>16} {'get p50/p99 us':>16} "
             f"{'settle s':>8} {'converged':>9} notes"]
    for r in report.results:
        notes = []
        if r.killed is not None:
            notes.append(f"replica {r.killed} killed+restarted: {r.updates_lost} updates lost in transit, "
                         f"it disagrees with replica 0 on {r.killed_disagrees_on} keys")
        if r.pending_after:
            notes.append(f"{r.pending_after} updates buffered forever (guard never held)")
        if r.disagreeing_keys:
            notes.append(f"replicas disagree on {r.disagreeing_keys} of {r.keys} keys")
        if r.written_missing:
            notes.append(f"{r.written_missing} written keys absent at some replica")
        if not r.settled:
            notes.append("did not settle")
        lines.append(f"{report.impl[:18]:<18} {r.replicas:>2} {r.put_percent:>4} {r.ops_per_s:>8.0f} "
                     f"{r.put_p50_us:>7.0f}/{r.put_p99_us:<8.0f} {r.get_p50_us:>7.0f}/{r.get_p99_us:<8.0f} "
                     f"{r.settle_s:>8.2f} {'yes' if r.converged else 'NO':>9} {'; '.join(notes)}")
    return "\n".join(lines)


def _main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="a replica of the networked runtime (started by the orchestrator)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("replica")
    r.add_argument("--id", type=int, required=True)
    r.add_argument("--ports", required=True)
    r.add_argument("--binary", required=True)
    r.add_argument("--keys", type=int, required=True)
    args = ap.parse_args(argv)
    asyncio.run(_replica(args.id, [int(p) for p in args.ports.split(",")], args.binary, args.keys))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
