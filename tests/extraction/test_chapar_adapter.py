"""The Chapar adapter (`extraction/chapar.py`) and the replica node (`extraction/node.py`) on
a stand-in with Chapar's algorithm interface (slow: ocamlopt). Chapar itself is not needed:
`bench/chapar.py` runs the real stores from a checkout.

The stand-in behaves like Chapar's Algorithm 1 where it matters: the node id is passed to
every handler, `get_method` returns a new state, values have no "absent" (init 0), and the
guard accepts a sender's updates only in that sender's order."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from idsynth.extraction.chapar import build_adapter, chapar_store
from idsynth.extraction.node import build_node
from idsynth.extraction.run import run_binary
from idsynth.extraction.types import ReplicatedWorkload

pytestmark = pytest.mark.slow

#: Keys from 1000 on are "forgetful": reading one twice in a row answers the initial value, a
#: behaviour visible only if the state a get returns is the state the next operation sees.
STAND_IN = """module FakeAlg = struct
  type 'v coq_State = { store : int -> 'v; recv : int -> int; mine : int; last_read : int }
  type 'v coq_Update = { sender : int; seq : int }
  let init_method v = { store = (fun _ -> v); recv = (fun _ -> 0); mine = 0; last_read = -1 }
  let get_method _n st k =
    ((if k >= 1000 && st.last_read = k then st.store (-1) else st.store k), { st with last_read = k })
  let put_method n st k v =
    let seq = st.mine + 1 in
    ({ st with store = (fun k' -> if k' = k then v else st.store k'); mine = seq;
               recv = (fun m -> if m = n then seq else st.recv m) }, { sender = n; seq })
  let guard_method _n st _k _v u = u.seq = st.recv u.sender + 1
  let update_method _n st k v u =
    { st with store = (fun k' -> if k' = k then v else st.store k'); recv = (fun m -> if m = u.sender then u.seq else st.recv m) }
end
"""


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory) -> Path:
    ml = tmp_path_factory.mktemp("fakealg")
    (ml / "fakealg.ml").write_text(STAND_IN, encoding="utf-8")
    return ml


class Node:
    def __init__(self, binary: Path, replica: int):
        self.p = subprocess.Popen([str(binary), "--replica", str(replica), "--replicas", "3", "--keys", "2000"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def __call__(self, cmd: str) -> str:
        assert self.p.stdin and self.p.stdout
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().rstrip("\n")

    def close(self) -> None:
        self.p.kill()
        self.p.wait(timeout=10)


def test_the_node_buffers_updates_until_the_guard_holds_and_threads_gets_state(stand_in, tmp_path):
    built = build_node(chapar_store("Fakealg.FakeAlg"), stand_in, tmp_path, "node")
    assert built.ok, built.compiler_output
    a, b = Node(built.binary, 0), Node(built.binary, 1)
    try:
        u1, u2 = a("P 1 5"), a("P 2 6")
        assert u1.startswith("U ") and u2.startswith("U ")
        # The adapter stores v + 1 and reads Chapar's initial 0 as absent.
        assert a("G 1") == "V 5" and a("G 3") == "V -"
        # Out of order: the second update waits in the buffer until the first arrives.
        assert b("M " + u2[2:]) == "A 0 1"
        assert b("G 2") == "V -"
        assert b("M " + u1[2:]) == "A 2 0"
        assert b("D").split()[1:4] == ["-", "5", "6"]
        assert b("S") == "S 0"
        # The state get_method returns is the one the next get sees (key 1500 forgets on a re-read).
        assert a("P 1500 7").startswith("U ")
        assert a("G 1500") == "V 7"
        assert a("G 1500") == "V -"
        assert a("G 1") == "V 5" and a("G 1500") == "V 7"
    finally:
        a.close()
        b.close()


def test_the_replicated_driver_runs_a_chapar_interface_store(stand_in, tmp_path):
    built = build_adapter(stand_in, "Fakealg.FakeAlg", tmp_path, "fake", ("put", "get", "deliver"))
    assert built.ok, built.compiler_output
    w = ReplicatedWorkload(replicas=3, clients=6, keys=50, ops=5000, mix={"put": 40, "get": 40, "deliver": 20},
                           repetitions=1, time_budget_s=30, check_budget_s=30)
    r = run_binary([str(built.binary), *w.driver_args()], tmp_path, timeout=120)
    assert r.ok, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    check = out["check"]
    assert out["passes"][0]["ops_done"] == 5000
    # Every update became deliverable (FIFO guard, every earlier update in flight) and was applied.
    assert check["status"] == "done" and check["undeliverable"] == 0
    assert check["delivered"] == check["in_flight"]
    # The +1 value encoding: written keys read as values, unwritten ones as absent.
    assert check["written_none"] == 0 and check["unwritten_some"] == 0
