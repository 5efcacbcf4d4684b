"""The OCaml benchmark driver for a replicated key-value store (`specs/kv`'s `KV_SIG`).

`kv_shape` finds, by their extracted OCaml types, the fields playing the roles of a replica
(`init : R -> t`, `put : R -> K -> V -> t -> t * msg`, `get : K -> t -> V option`,
`deliverable : t -> msg -> bool`, `deliver : t -> msg -> t`; replica ids, keys and values
are unary `nat`, `Uint63.t` or machine `int`). `replicated_source` wraps a `Store` adapter
in one main program (reusing `driver.py`'s prelude, Peano tables, clock stub and helpers)
that simulates every replica in one process:

* the operation stream is generated up front from the seed: each of `clients` clients is
  pinned to a replica drawn at random; each operation is a put or a get of a uniformly
  drawn key by a random client at its replica, or a delivery step. A put stores the new
  state at its replica and queues its ONE update message for every other replica (as the
  model does). A delivery step takes a random in-flight message; if its guard does not hold
  at its destination, the next one in the network's (arbitrary) order whose guard holds -
  a seeded choice among the ready messages, not a uniform one (uniform would evaluate every
  guard at every step); with none ready the step is skipped and counted;
* `reps` timed passes, each from `init` with an empty network (no prefill, no warm-up: a
  pass's history is the workload), timed with the monotonic clock stub; every Nth operation
  is also timed alone for per-kind p50/p99;
* a per-pass time budget is a SIGALRM (`Unix.setitimer`), not a clock check between
  operations: the closure chain can spend seconds in one operation. It interrupts only the
  store's own functions, never the driver's bookkeeping, so the states and the network stay
  consistent; ops/s is over the operations completed (the interrupted one's partial time
  counts, so a stopped pass is slightly pessimistic);
* after the passes (and after the peak RSS is read), an untimed check on the last pass's
  final state, under its own budget: deliver every in-flight message (the first ready one,
  again and again), then get every key at every replica, counting keys the replicas
  disagree on, written keys read as None, never-written keys read as Some, messages never
  deliverable, and a checksum of replica 0's answers;
* one JSON line on stdout.

Only `convergence` demands that replicas agree after delivery; every spec demands
`quiescent_reads` (a written key reads Some at every replica) and `progress`. The driver
reports the counts; `ReplicationCheck.problems` words them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .build import build
from .driver import CLOCK_DESCRIPTION, _ocaml_type, _repr, _table, program_source, write_driver
from .errors import DriverError
from .mli import SignatureInfo, TCon, TTuple, arrow_parts
from .types import BuildResult, KeyRepr, KVShape, ReplicatedBench, ReplicatedWorkload, ReplicationCheck

#: ocamlfind packages the replicated driver needs beyond the extraction's (the budget timer).
REPLICATED_PACKAGES = ("unix",)
_BOOL = TCon("bool")


def kv_shape(info: SignatureInfo) -> KVShape:
    """The replicated-store roles of the signature's fields, by type; a `DriverError` names
    the missing or ambiguous role."""
    if len(info.abstract_types) < 2:
        raise DriverError(f"signature {info.signature} is not a replicated store: it needs a state and a message "
                          f"type, has abstract types {info.abstract_types}")
    errors: list[str] = []
    for state in info.abstract_types:
        for msg in info.abstract_types:
            if state != msg:
                try:
                    return _shape_for(info, TCon(state), TCon(msg))
                except DriverError as exc:
                    errors.append(str(exc))
    raise DriverError(f"signature {info.signature} is not a replicated store: " + "; ".join(errors))


def _shape_for(info: SignatureInfo, st: TCon, msg: TCon) -> KVShape:
    found: dict[str, list[tuple[str, tuple[KeyRepr | None, ...]]]] = {r: [] for r in _ROLE_TYPES}
    for name, typ in info.values.items():
        params, result = arrow_parts(typ)
        reprs = tuple(_repr(p, info) for p in params)
        if len(params) == 1 and result == st and reprs[0]:
            found["init"].append((name, reprs))
        elif len(params) == 4 and params[3] == st and result == TTuple((st, msg)) and all(reprs[:3]):
            found["put"].append((name, reprs[:3]))
        elif len(params) == 2 and params[1] == st and isinstance(result, TCon) and result.name == "option" \
                and reprs[0] and (v := _repr(result.args[0], info)):
            found["get"].append((name, (reprs[0], v)))
        elif params == [st, msg] and result == _BOOL:
            found["deliverable"].append((name, ()))
        elif params == [st, msg] and result == st:
            found["deliver"].append((name, ()))
    chosen = {}
    for role, cands in found.items():
        if len(cands) != 1:
            what = "no" if not cands else "several (" + ", ".join(c[0] for c in cands) + ")"
            raise DriverError(f"with state {st} and message {msg}: {what} {role} field "
                              f"({_ROLE_TYPES[role].format(t=st, m=msg)})")
        chosen[role] = cands[0]
    (_, (r_init,)), (_, (r_put, k_put, v_put)), (_, (k_get, v_get)) = chosen["init"], chosen["put"], chosen["get"]
    if r_init != r_put or k_put != k_get or v_put != v_get:
        raise DriverError(f"with state {st}: init, put and get disagree on replica/key/value types")
    return KVShape(state_type=st.name, msg_type=msg.name, init=chosen["init"][0], put=chosen["put"][0],
                   get=chosen["get"][0], deliverable=chosen["deliverable"][0], deliver=chosen["deliver"][0],
                   replica=r_put, key=k_put, value=v_put)  # type: ignore[arg-type]


_ROLE_TYPES = {"init": "R -> {t}", "put": "R -> K -> V -> {t} -> {t} * {m}", "get": "K -> {t} -> V option",
               "deliverable": "{t} -> {m} -> bool", "deliver": "{t} -> {m} -> {t}"}


def _to_int(kind: KeyRepr) -> str:
    # For the checksum only: Uint63 values are below the key count, so their hash will do.
    return {"nat": "idsynth_int_of_nat", "uint63": "Uint63.hash", "int": "(fun (x : int) -> x)"}[kind]


def kv_store(shape: KVShape, module: str = "Impl.IdsynthImpl") -> str:
    """The `Store` adapter over an extracted replicated store. A hand-written store (tests)
    provides the same items: types t, msg, replica, key, value; init, put, get, deliverable,
    deliver; replica_table, key_table, value_table (n -> array); value_to_int; names."""
    m = module
    return f"""module Store = struct
  type t = {m}.{shape.state_type}
  type msg = {m}.{shape.msg_type}
  type replica = {_ocaml_type(shape.replica)}
  type key = {_ocaml_type(shape.key)}
  type value = {_ocaml_type(shape.value)}
  let init : replica -> t = {m}.{shape.init}
  let put : replica -> key -> value -> t -> t * msg = {m}.{shape.put}
  let get : key -> t -> value option = {m}.{shape.get}
  let deliverable : t -> msg -> bool = {m}.{shape.deliverable}
  let deliver : t -> msg -> t = {m}.{shape.deliver}
  let replica_table n : replica array = {_table(shape.replica)}
  let key_table n : key array = {_table(shape.key)}
  let value_table n : value array = {_table(shape.value)}
  let value_to_int : value -> int = {_to_int(shape.value)}
  let names = [| "{shape.put}"; "{shape.get}"; "{shape.deliver}" |]
end
"""


_MAIN = r"""
exception Idsynth_budget

(* The budget is a SIGALRM because one operation of a slow store can take seconds. The
   handler raises only while a store function runs ([interruptible]); during the driver's
   bookkeeping it just records [expired], which the loops poll between operations. *)
let expired = ref false
let interruptible = ref false
let () = Sys.set_signal Sys.sigalrm (Sys.Signal_handle (fun _ ->
    expired := true;
    if !interruptible then begin interruptible := false; raise Idsynth_budget end))
let set_timer s = ignore (Unix.setitimer Unix.ITIMER_REAL { Unix.it_interval = 0.0; Unix.it_value = s })

(* Run [f] for at most [ms] milliseconds (0: no bound); [f] polls [!expired]. *)
let within ms f =
  expired := false;
  interruptible := false;
  if ms > 0 then set_timer (float_of_int ms /. 1000.0);
  (try f () with Idsynth_budget -> ());
  set_timer 0.0;
  interruptible := false

let run_replicated ~replicas ~clients ~keys ~ops ~mix ~seed ~reps ~budget_ms ~check_budget_ms ~sample_every =
  if replicas < 2 then fail "--replicas must be at least 2";
  if clients <= 0 then fail "--clients must be positive";
  if keys <= 0 then fail "--keys must be positive";
  if ops <= 0 then fail "--ops must be positive";
  if reps <= 0 then fail "--reps must be positive";
  if sample_every <= 0 || sample_every land (sample_every - 1) <> 0 then fail "--sample-every must be a power of two";
  let weights = mix_weights Store.names mix in
  let c0 = weights.(0) and c1 = weights.(0) + weights.(1) in
  let rng = Random.State.make [| seed |] in
  let home = Array.init clients (fun _ -> Random.State.int rng replicas) in
  let kinds = Array.make ops 0 and at = Array.make ops 0 and key_of = Array.make ops 0
  and val_of = Array.make ops 0 and pick = Array.make ops 0 in
  for i = 0 to ops - 1 do
    let r = Random.State.int rng 100 in
    kinds.(i) <- (if r < c0 then 0 else if r < c1 then 1 else 2);
    at.(i) <- home.(Random.State.int rng clients);
    key_of.(i) <- Random.State.int rng keys;
    val_of.(i) <- Random.State.int rng keys;
    pick.(i) <- Random.State.bits rng
  done;
  let rep_tbl = Store.replica_table replicas and key_tbl = Store.key_table keys
  and val_tbl = Store.value_table keys in
  let states = Array.init replicas (fun r -> Store.init rep_tbl.(r)) in
  (* The network: in-flight (destination, message) pairs in two growable arrays; a removal
     moves the last pair into the hole (the network is a multiset). *)
  let dst = ref [||] and msgs = ref [||] and n_net = ref 0 in
  let push d m =
    if !n_net = Array.length !dst then begin
      let cap = max 64 (2 * !n_net) in
      let nd = Array.make cap 0 and nm = Array.make cap m in
      Array.blit !dst 0 nd 0 !n_net;
      Array.blit !msgs 0 nm 0 !n_net;
      dst := nd;
      msgs := nm
    end;
    (!dst).(!n_net) <- d;
    (!msgs).(!n_net) <- m;
    incr n_net in
  let remove i =
    let last = !n_net - 1 in
    (!dst).(i) <- (!dst).(last);
    (!msgs).(i) <- (!msgs).(last);
    if last > 0 then (!msgs).(last) <- (!msgs).(0);  (* drop the reference: peak RSS stays honest *)
    decr n_net in
  (* The first message, from [start] on in cyclic order, whose guard holds; -1 if none. *)
  let find_ready start =
    let n = !n_net in
    let rec go j =
      if j >= n then -1
      else begin
        let i = if start + j >= n then start + j - n else start + j in
        interruptible := true;
        let ok = Store.deliverable states.((!dst).(i)) (!msgs).(i) in
        interruptible := false;
        if ok then i else go (j + 1)
      end in
    go 0 in
  let deliver_at i =
    let d = (!dst).(i) in
    interruptible := true;
    let st = Store.deliver states.(d) (!msgs).(i) in
    interruptible := false;
    states.(d) <- st;
    remove i in
  let hits = ref 0 and delivered = ref 0 and skipped = ref 0 in
  let step j =
    match Array.unsafe_get kinds j with
    | 0 ->
      let r = at.(j) in
      interruptible := true;
      let (st, m) = Store.put rep_tbl.(r) key_tbl.(key_of.(j)) val_tbl.(val_of.(j)) states.(r) in
      interruptible := false;
      states.(r) <- st;
      for d = 0 to replicas - 1 do if d <> r then push d m done
    | 1 ->
      interruptible := true;
      let res = Store.get key_tbl.(key_of.(j)) states.(at.(j)) in
      interruptible := false;
      (match res with Some _ -> incr hits | None -> ())
    | _ ->
      let n = !n_net in
      let i = if n = 0 then -1 else find_ready (pick.(j) mod n) in
      if i < 0 then incr skipped else begin deliver_at i; incr delivered end in
  let cap = reps * (ops / sample_every + 1) + 1 in
  let lat = Array.init 3 (fun _ -> Array.make cap 0) and nlat = Array.make 3 0 in
  let mask = sample_every - 1 in
  let pass () =
    for r = 0 to replicas - 1 do states.(r) <- Store.init rep_tbl.(r) done;
    dst := [||]; msgs := [||]; n_net := 0;
    hits := 0; delivered := 0; skipped := 0;
    let done_ops = ref 0 in
    Gc.full_major ();
    let t0 = now_ns () in
    within budget_ms (fun () ->
        while !done_ops < ops && not !expired do
          let j = !done_ops in
          if j land mask = 0 then begin
            let s = now_ns () in
            step j;
            let d = now_ns () - s in
            let k = kinds.(j) in
            let c = nlat.(k) in
            if c < cap then begin lat.(k).(c) <- d; nlat.(k) <- c + 1 end
          end else step j;
          done_ops := j + 1
        done);
    let ns = now_ns () - t0 in
    let rate = if ns > 0 then float_of_int !done_ops /. (float_of_int ns /. 1e9) else 0.0 in
    (!done_ops, Printf.sprintf "{\"ops_done\":%d,\"ns\":%d,\"ops_per_s\":%.1f,\"hits\":%d,\"delivered\":%d,\"skipped_delivers\":%d,\"in_flight\":%d}"
       !done_ops ns rate !hits !delivered !skipped !n_net) in
  let overhead = clock_overhead () in
  let results = List.init reps (fun _ -> pass ()) in
  let after_ops = fst (List.nth results (reps - 1)) in
  let hwm = vm_hwm_kb () in
  (* The check, on the last pass's final state. *)
  let in_flight = !n_net in
  let written = Array.make keys false in
  for j = 0 to after_ops - 1 do if kinds.(j) = 0 then written.(key_of.(j)) <- true done;
  let cdelivered = ref 0 and checked = ref 0 and disagree = ref 0 and written_none = ref 0
  and unwritten_some = ref 0 and sum = ref 0 and drained = ref false in
  within check_budget_ms (fun () ->
      while not !drained && not !expired do
        let i = find_ready 0 in
        if i < 0 then drained := true else begin deliver_at i; incr cdelivered end
      done;
      while !drained && !checked < keys && not !expired do
        let k = !checked in
        interruptible := true;
        let answers = Array.map (fun st -> Store.get key_tbl.(k) st) states in
        interruptible := false;
        let a0 = answers.(0) in
        if Array.exists (fun a -> a <> a0) answers then incr disagree;
        if written.(k) && Array.exists (fun a -> a = None) answers then incr written_none;
        if not written.(k) && Array.exists (fun a -> a <> None) answers then incr unwritten_some;
        let h = match a0 with None -> 0 | Some v -> Store.value_to_int v + 1 in
        sum := (!sum * 1000003 + h) land 0x3FFFFFFF;
        checked := k + 1
      done);
  let status = if !checked = keys then "done" else "budget" in
  let lat_json = List.filter_map (fun k ->
      let n = nlat.(k) in
      if n = 0 then None
      else begin
        let s = Array.sub lat.(k) 0 n in
        Array.sort compare s;
        Some (Printf.sprintf "%s:{\"samples\":%d,\"p50_ns\":%d,\"p99_ns\":%d,\"max_ns\":%d}"
                (json_string Store.names.(k)) n (percentile s n 50) (percentile s n 99) s.(n - 1))
      end) [0; 1; 2] in
  Printf.printf "{\"mode\":\"replicated\",\"replicas\":%d,\"clients\":%d,\"keys\":%d,\"ops\":%d,\"clock\":%s,\"clock_overhead_ns\":%d,\"vm_hwm_kb\":%d,\"passes\":[%s],\"latency\":{%s},\"check\":{\"status\":%s,\"after_ops\":%d,\"in_flight\":%d,\"delivered\":%d,\"undeliverable\":%d,\"keys_checked\":%d,\"disagreeing_keys\":%d,\"written_none\":%d,\"unwritten_some\":%d,\"checksum\":%d}}\n"
    replicas clients keys ops (json_string "CLOCK_DESCRIPTION") overhead hwm
    (String.concat "," (List.map snd results)) (String.concat "," lat_json)
    (json_string status) after_ops in_flight !cdelivered (if !drained then !n_net else 0) !checked !disagree
    !written_none !unwritten_some !sum

let () =
  let replicas = ref 3 and clients = ref 12 and keys = ref 100 and ops = ref 100000 and mix = ref ""
  and seed = ref 42 and reps = ref 3 and budget_ms = ref 0 and check_budget_ms = ref 0 and sample_every = ref 64
  and witnesses_mode = ref false in
  let spec = [
    ("--replicas", Arg.Set_int replicas, "N replicas simulated (ids 0..N-1)");
    ("--clients", Arg.Set_int clients, "N clients, each pinned to a random replica");
    ("--keys", Arg.Set_int keys, "N key space (keys and values drawn uniformly below N)");
    ("--ops", Arg.Set_int ops, "N operations per timed pass");
    ("--mix", Arg.Set_string mix, "NAME=PCT,... put/get/deliver mix by the spec's field names");
    ("--seed", Arg.Set_int seed, "N random seed (placement, stream, delivery order)");
    ("--reps", Arg.Set_int reps, "N timed passes, each from the initial state");
    ("--budget-ms", Arg.Set_int budget_ms, "MS stop a pass after this long (0: never)");
    ("--check-budget-ms", Arg.Set_int check_budget_ms, "MS bound on the final deliver-all and reads (0: none)");
    ("--sample-every", Arg.Set_int sample_every, "N time every Nth operation alone (power of 2)");
    ("--witnesses", Arg.Set witnesses_mode, " evaluate the spec's witnesses and exit");
  ] in
  Arg.parse spec (fun a -> raise (Arg.Bad ("unexpected argument " ^ a))) "idsynth replicated benchmark driver";
  if !witnesses_mode then run_witnesses ()
  else
    run_replicated ~replicas:!replicas ~clients:!clients ~keys:!keys ~ops:!ops ~mix:!mix ~seed:!seed ~reps:!reps
      ~budget_ms:!budget_ms ~check_budget_ms:!check_budget_ms ~sample_every:!sample_every
""".replace("CLOCK_DESCRIPTION", CLOCK_DESCRIPTION)


def replicated_source(store: str, witnesses: dict[str, str] | None = None, *, peano_nat: bool = False) -> str:
    """The whole replicated driver around a `Store` adapter (`kv_store`'s or hand-written)."""
    return program_source(store, _MAIN, witnesses, peano_nat=peano_nat)


def build_handwritten(store: str, workdir: Path, name: str, timeout: float = 300) -> BuildResult:
    """Build the replicated driver around a hand-written OCaml `Store` (no extraction, int
    replica ids/keys/values): unverified stores, e.g. deliberately broken ones in tests."""
    workdir = Path(workdir).resolve()
    driver, stub = write_driver(workdir / "driver", replicated_source(store))
    empty = workdir / "ml"
    empty.mkdir(parents=True, exist_ok=True)
    return build(empty, driver, workdir / "bin" / name, REPLICATED_PACKAGES, c_files=[stub], timeout=timeout)


#: Bound on the end-of-pass check when neither the caller nor `[bench]` sets one.
DEFAULT_CHECK_BUDGET_S = 10.0


def replicated_workloads(section: ReplicatedBench, keys: Iterable[int] | None, *, default_budget_s: float,
                         **overrides) -> list[ReplicatedWorkload]:
    """One workload per key-space size from a replicated `[bench]`, with `overrides` (None =
    keep). Map-only overrides (distribution, warm-up, ...) are a `DriverError`."""
    o = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(o) - {"ops", "mix", "seed", "repetitions", "time_budget_s", "check_budget_s", "sample_every",
                        "clients"}
    if unknown:
        raise DriverError(f"not applicable to a replicated workload: {', '.join(sorted(unknown))}")
    return [ReplicatedWorkload(
        replicas=section.replicas, clients=o.get("clients", section.clients), keys=k,
        ops=o.get("ops", section.ops), mix=o.get("mix", section.mix), seed=o.get("seed", section.seed),
        repetitions=o.get("repetitions", section.repetitions),
        time_budget_s=o.get("time_budget_s", section.time_budget_s or default_budget_s),
        check_budget_s=o.get("check_budget_s", section.check_budget_s or DEFAULT_CHECK_BUDGET_S),
        sample_every=o.get("sample_every", 64)) for k in (keys or section.keys)]


def replication_check(payload: dict) -> ReplicationCheck:
    """The driver's `check` object, typed."""
    return ReplicationCheck.model_validate(payload["check"])
