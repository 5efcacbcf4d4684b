"""One replica's store behind a pipe: the OCaml half of the networked runtime (`network.py`).

The program wraps the same `Store` adapter the replicated driver uses (`replicated.kv_store`
for an extracted idsynth store, `chapar.chapar_store` for Chapar's), holds ONE replica's
state and its buffer of peer updates, and answers one command per line on stdin:

    P k v   put v at key k here        -> "U <hex>"  the update message, marshalled, to broadcast
    G k     get k                      -> "V <value>" or "V -"
    D       get every key              -> "V <v0> <v1> ..." ("-" for none)
    M <hex> a peer's update            -> "A <applied> <pending>": the message is buffered, then every
                                          buffered message whose guard holds is applied, again and
                                          again until none is ready (the store's guard decides)
    S       stats                      -> "S <pending>"

Messages are marshalled with `Marshal.Closures`: every replica runs this same binary, which is
what that flag requires, so a store whose messages hold functions (Chapar's Algorithm 1 sends
its vector clock as a function) can still be sent; such messages grow with the closure chain.
The buffer is applied in arrival order, rescanned after every application (like Chapar's
`check_messages`, but to a fixpoint).
"""

from __future__ import annotations

from pathlib import Path

from .build import build
from .driver import program_source, write_driver
from .replicated import REPLICATED_PACKAGES
from .types import BuildResult

_NODE_MAIN = r"""
let hex_digits = "0123456789abcdef"
let to_hex s =
  let n = String.length s in
  let b = Bytes.create (2 * n) in
  for i = 0 to n - 1 do
    let c = Char.code (String.unsafe_get s i) in
    Bytes.unsafe_set b (2 * i) hex_digits.[c lsr 4];
    Bytes.unsafe_set b (2 * i + 1) hex_digits.[c land 15]
  done;
  Bytes.unsafe_to_string b
let of_hex h start =
  let nib c = match c with '0' .. '9' -> Char.code c - 48 | 'a' .. 'f' -> Char.code c - 87
                          | _ -> fail "bad hex in a message" in
  let n = (String.length h - start) / 2 in
  String.init n (fun i -> Char.chr (nib h.[start + 2 * i] * 16 + nib h.[start + 2 * i + 1]))

let () =
  let replica = ref 0 and replicas = ref 3 and keys = ref 100 in
  Arg.parse [("--replica", Arg.Set_int replica, "N this replica's id");
             ("--replicas", Arg.Set_int replicas, "N replicas in the system");
             ("--keys", Arg.Set_int keys, "N key space (keys and values below N)")]
    (fun a -> raise (Arg.Bad ("unexpected argument " ^ a))) "idsynth replica node";
  if !replica < 0 || !replica >= !replicas then fail "--replica must be below --replicas";
  let rep_tbl = Store.replica_table !replicas and key_tbl = Store.key_table !keys
  and val_tbl = Store.value_table !keys in
  let st = ref (Store.init rep_tbl.(!replica)) in
  let pending = ref [] in  (* newest first *)
  let n_pending = ref 0 in
  let apply_ready () =
    let applied = ref 0 and progress = ref true in
    while !progress do
      progress := false;
      let keep = List.filter (fun m ->
          if Store.deliverable !st m then begin
            st := Store.deliver !st m; incr applied; progress := true; false
          end else true) (List.rev !pending) in
      pending := List.rev keep;
      n_pending := List.length keep
    done;
    !applied in
  let answer v = match v with None -> "-" | Some v -> string_of_int (Store.value_to_int v) in
  let int_arg s = match int_of_string_opt s with Some i -> i | None -> fail ("bad number " ^ s) in
  let in_range what n i = if i < 0 || i >= n then fail (Printf.sprintf "%s %d out of range" what i) else i in
  try
    while true do
      let line = input_line stdin in
      let reply =
        if line = "" then "E empty command"
        else match line.[0] with
          | 'P' ->
            (match String.split_on_char ' ' line with
             | [_; k; v] ->
               let k = in_range "key" !keys (int_arg k) and v = in_range "value" !keys (int_arg v) in
               let (st', m) = Store.put rep_tbl.(!replica) key_tbl.(k) val_tbl.(v) !st in
               st := st';
               "U " ^ to_hex (Marshal.to_string m [Marshal.Closures])
             | _ -> "E usage: P key value")
          | 'G' ->
            (match String.split_on_char ' ' line with
             | [_; k] -> "V " ^ answer (Store.get key_tbl.(in_range "key" !keys (int_arg k)) !st)
             | _ -> "E usage: G key")
          | 'D' ->
            let b = Buffer.create (8 * !keys) in
            Buffer.add_char b 'V';
            for k = 0 to !keys - 1 do
              Buffer.add_char b ' ';
              Buffer.add_string b (answer (Store.get key_tbl.(k) !st))
            done;
            Buffer.contents b
          | 'M' ->
            let m : Store.msg = Marshal.from_string (of_hex line 2) 0 in
            pending := m :: !pending;
            incr n_pending;
            let a = apply_ready () in
            Printf.sprintf "A %d %d" a !n_pending
          | 'S' -> Printf.sprintf "S %d" !n_pending
          | _ -> "E unknown command" in
      print_string reply;
      print_char '\n';
      flush stdout
    done
  with End_of_file -> ()
"""


def node_source(store: str, *, peano_nat: bool = False) -> str:
    """The node program around a `Store` adapter."""
    return program_source(store, _NODE_MAIN, peano_nat=peano_nat)


def build_node(store: str, ml_dir: Path, workdir: Path, name: str, *, peano_nat: bool = False,
               sources: list[Path] | tuple[Path, ...] = (), flags: list[str] | tuple[str, ...] = (),
               packages: list[str] | tuple[str, ...] = (), timeout: float = 600) -> BuildResult:
    """Compile the node program with `ml_dir`'s OCaml (the store's extracted code)."""
    workdir = Path(workdir).resolve()
    driver, stub = write_driver(workdir / "node", node_source(store, peano_nat=peano_nat), name="node.ml")
    return build(Path(ml_dir), driver, workdir / "bin" / name, [*packages, *REPLICATED_PACKAGES], sources=sources,
                 c_files=[stub], flags=flags, timeout=timeout)


def build_extracted_node(spec, solution: Path, workdir: Path, name: str, *, verdict=None,
                         timeout: float = 600) -> BuildResult:
    """Audit (unless `verdict` accepts it), extract and build an idsynth KV solution as a node
    program; a failure at any stage is a `BuildResult` with ok=False and the reason."""
    from idsynth.audit import audit_solution

    from .build import package_dir
    from .extract import OCAML_MODULE, extract
    from .libraries import needs_for
    from .mli import read_signature
    from .replicated import kv_shape, kv_store

    workdir = Path(workdir).resolve()
    verdict = verdict or audit_solution(spec, Path(solution))
    if not verdict.accepted:
        detail = "; ".join(f"{f.kind.value} at {f.where}: {f.detail}" for f in verdict.findings[:3])
        return BuildResult(ok=False, message=f"{Path(solution).name}: rejected by the audit: {detail}")
    ext = extract(spec, Path(solution), workdir, verdict=verdict, timeout=timeout)
    if not ext.ok or ext.directory is None:
        return BuildResult(ok=False, message=f"extraction failed: {ext.message}")
    info = read_signature((ext.directory / "impl.mli").read_text(encoding="utf-8"), OCAML_MODULE)
    shape = kv_shape(info)
    needs = needs_for(ext.libraries_used)
    sources = []
    for package, filename in needs.sources:
        directory = package_dir(package)
        if directory is None or not (directory / filename).is_file():
            return BuildResult(ok=False, message=f"ocamlfind package {package!r} has no {filename}")
        sources.append(directory / filename)
    return build_node(kv_store(shape), ext.directory, workdir, name, peano_nat=info.peano_nat, sources=sources,
                      flags=needs.flags, packages=needs.packages, timeout=timeout)
