"""Loading a spec directory into a typed, validated `Spec`.

Every problem is a `SpecError` with one line naming the file and what is wrong; the
`check_spec` step also compiles the spec and asks Rocq whether its module types exist and
its witnesses are propositions.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import tomllib
from pathlib import Path

from pydantic import ValidationError

from idsynth.rocq import Session, SessionConfig, SentenceOk
from idsynth.rocq.tools import compile_file

from .types import Manifest, Spec


class SpecError(Exception):
    """A malformed spec directory. `str(exc)` is one line: `<file>: <problem>`."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _manifest_problems(exc: ValidationError) -> list[str]:
    """Every problem of a manifest at once (a typo and a missing field are reported together),
    an unknown field with the known one it most resembles."""
    import difflib

    problems = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        where = ".".join(loc) or "(top level)"
        if err["type"] == "extra_forbidden":
            model = Manifest
            for part in loc[:-1]:
                if part.isdigit():
                    continue  # an index into a list of tables
                field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
                annotation = getattr(field, "annotation", None)
                inner = getattr(annotation, "__args__", (annotation,))[0] if annotation is not None else None
                model = inner if hasattr(inner, "model_fields") else annotation
            known = list(getattr(model, "model_fields", {}))
            close = difflib.get_close_matches(loc[-1], known, n=1)
            problems.append(f"{where}: unknown field" + (f" (did you mean `{close[0]}`?)" if close else ""))
        else:
            problems.append(f"{where}: {err['msg']}")
    return problems


def load_spec(directory: Path | str) -> Spec:
    """Read and validate `spec.toml` and the presence of the spec's files (no Rocq yet)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SpecError(f"{directory}: not a directory")
    toml_path = directory / "spec.toml"
    if not toml_path.is_file():
        raise SpecError(f"{toml_path}: missing (a spec directory needs spec.toml and spec.v)")
    try:
        raw = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SpecError(f"{toml_path}: not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{toml_path}: TOML error: {exc}") from None
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        problems = _manifest_problems(exc)
        if len(problems) == 1:
            raise SpecError(f"{toml_path}: {problems[0]}") from None
        raise SpecError(f"{toml_path}: {len(problems)} problems:\n" + "\n".join(f"  {p}" for p in problems)) from None
    if not manifest.files:
        raise SpecError(f"{toml_path}: files: empty list")
    names = [w.name for w in manifest.witness]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SpecError(f"{toml_path}: witness: duplicate name {dupes[0]!r}")
    digest = hashlib.sha256()
    digest.update(toml_path.read_bytes())
    for name in manifest.include:
        # A shared library lives outside the spec directory (that is its point), but it is
        # still named by a relative path, so the spec stays relocatable with its siblings.
        if Path(name).is_absolute() or not name.endswith(".v"):
            raise SpecError(f"{toml_path}: include: {name!r} must be a relative path to a .v file")
        digest.update(b"\0include\0" + name.encode() + b"\0" + _read_source(directory / name))
    for name in manifest.files:
        path = directory / name
        if Path(name).is_absolute() or ".." in Path(name).parts or not name.endswith(".v"):
            raise SpecError(f"{toml_path}: files: {name!r} must be a .v file inside the spec directory")
        digest.update(b"\0" + name.encode() + b"\0" + _read_source(path))
    stems = [Path(n).stem for n in [*manifest.include, *manifest.files]]
    clash = sorted({s for s in stems if stems.count(s) > 1})
    if clash:
        # Every file becomes `<logical_path>.<stem>`: two files of one stem would shadow each other.
        raise SpecError(f"{toml_path}: include/files: two files named {clash[0]!r}.v")
    return Spec(directory=directory.resolve(), manifest=manifest, sha256=digest.hexdigest())


def _read_source(path: Path) -> bytes:
    if not path.is_file():
        raise SpecError(f"{path}: missing (listed in spec.toml)")
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not UTF-8") from None
    return data


def copy_pristine(spec: Spec, target: Path) -> Path:
    """Copy the spec's files (only those, shared includes too) into `target`, which must not exist yet."""
    target.mkdir(parents=True)
    for name, source in spec.sources:
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    return target


def compile_spec(spec: Spec, target: Path, timeout: float = 600) -> None:
    """Compile a pristine copy of the spec in `target`; raise SpecError on failure."""
    for name, source in spec.sources:
        result = compile_file(target / name, [(str(target), spec.manifest.logical_path)], timeout=timeout)
        if not result.ok:
            raise SpecError(f"{source}: does not compile: {_one_line(result.one_line())}")


def check_spec(spec: Spec, timeout: float = 120) -> None:
    """Compile the spec and ask Rocq that its module types exist and witnesses are propositions."""
    with tempfile.TemporaryDirectory(prefix="idsynth-spec-") as tmp:
        pristine = copy_pristine(spec, Path(tmp) / "spec")
        compile_spec(spec, pristine)
        toml = spec.directory / "spec.toml"
        config = SessionConfig(load_paths=[(str(pristine), spec.manifest.logical_path)],
                               sentence_timeout=timeout, cwd=tmp)
        with Session(config) as session:
            for module in spec.modules:
                _expect_ok(session, f"Require Import {module}.", toml, f"cannot load {module}")
            m = spec.manifest
            sig = session.query(f"Print Module Type {spec.main_module}.{m.signature}.")
            if not isinstance(sig, SentenceOk):
                raise SpecError(f"{toml}: signature: module type {m.signature!r} not found in {spec.main_module}")
            _expect_ok(session, f"Declare Module M : {spec.main_module}.{m.signature}.", toml,
                       f"signature: {m.signature!r} is not a module type")
            _expect_ok(session, f"Module Type IdsynthCorrect := {spec.main_module}.{m.correctness} M.", toml,
                       f"correctness: {m.correctness!r} is not a module type functor over {m.signature!r}")
            # Read as the audit reads them: with the standard list notations (`[1; 2]`).
            for sentence in ("Require Import Coq.Lists.List.", "Import ListNotations."):
                _expect_ok(session, sentence, toml, "cannot load the list notations")
            for w in m.witness:
                result = session.query(f"Check (({w.expr}) = ({w.expect}) : Prop).")
                if not isinstance(result, SentenceOk):
                    raise SpecError(
                        f"{toml}: witness {w.name!r}: `{w.expr} = {w.expect}` is not a proposition: "
                        f"{_one_line(getattr(result, 'message', 'timeout'))}"
                    )


def _expect_ok(session: Session, command: str, where: Path, problem: str) -> None:
    result = session.add(command)
    if not isinstance(result, SentenceOk):
        detail = _one_line(getattr(result, "message", "timeout"))
        raise SpecError(f"{where}: {problem}: {detail}")
