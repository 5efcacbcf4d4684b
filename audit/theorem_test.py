"""Testing the correctness theorems on concrete inputs: the audit's distrust of the kernel.

A kernel bug (Coq 8.16.1's guard checker, rocq-prover#20455) lets a solution derive `False`
with no axiom, so `Print Assumptions` and `coqchk` call a wrong implementation closed. The
theorems themselves are the cure: a statement whose truth is decidable on finite inputs can
be *evaluated*. For every field of the spec's correctness module type this module

1. reads the statement instantiated with the candidate's implementation (a `Declare Module`
   of the correctness type over it, printed with `Printing All`) and takes it apart into
   data binders, premises and a conclusion built from `=`, `<>`, `<`, `<=`, `/\\`, `\\/`,
   `<->`, `~`, `True`, `False`;
2. generates inputs from the binders' types: small exhaustive values first, then seeded
   random ones (naturals including keys >= 50 and larger, `Z`/`N`/`positive`/`Uint63`,
   booleans, options, lists, pairs, the spec's own first-order inductive types) and values
   of the signature's abstract types built by random sequences of its operations from its
   initial values;
3. evaluates both sides of every equation with `vm_compute` in a fresh Rocq session and
   compares the normal forms (a difference is confirmed by the kernel, `discriminate` or
   `congruence`, unless both are plain data); a false premise skips the case.

A case whose premises hold and whose conclusion is false is a counterexample: the solution
is rejected as `theorem_refuted_by_test` with the input and the computed values. Statements
outside the fragment (inductive predicates, existentials, values that are functions) are
reported untestable with the reason, never guessed. The cases of equational conclusions are
also returned as witnesses over `M`, for `audit --extracted` to re-run on the OCaml binary.
"""

from __future__ import annotations

import itertools
import random
import re
import time
from dataclasses import dataclass, field

import structlog

from idsynth.rocq import Session, SessionConfig, SentenceOk, SentenceTimeout
from idsynth.rocq.types import failure_text

from .generate import Gen, Op, Signature, Untestable, Value, nat_text
from .term_text import Binder, TermSyntax, app_parts, split_forall, split_top, strip_parens, value_of_eval
from .types import Finding, FindingKind, Spec, TheoremTest, TheoremTestConfig, Witness

log = structlog.get_logger(__name__)

_THEOREMS = "IdsynthTheorems"
_VAL, _END = "idsynth_val", "idsynth_end"
#: A heterogeneous list: many values of different types evaluated by one `vm_compute`.
_VALS_DECL = f"Inductive idsynth_vals : Type := {_END} | {_VAL} (A : Type) (x : A) (r : idsynth_vals)."
_CHUNK = 10
_FIELD = re.compile(r"(?<![\w'.])(?P<kw>Parameter|Axiom)\s+(?P<name>[A-Za-z_][\w']*)\s*:\s*(?P<type>.*?)\."
                    r"(?=\s+(?:Parameter|Axiom|Definition|Inductive|Include|Module|End\b)|\s*$)", re.S)
_NUMERIC = re.compile(r"^(?:(?P<mod>[\w.]*\.)?)(?P<op>lt|le|gt|ge)$")

class _Budget(Exception):
    """Internal: the step's time budget is spent."""


class _Loops(Exception):
    """Internal: one evaluation did not finish within its bound."""


def run_theorem_tests(spec: Spec, impl_path: str, modules: list[str], load_paths: list[tuple[str, str]],
                      cwd: str, config: TheoremTestConfig) -> tuple[list[TheoremTest], list[Finding]]:
    """Test every field of the spec's correctness module type on `impl_path` (the fully
    qualified implementation module). Returns one `TheoremTest` per field and the findings."""
    m = spec.manifest
    main = spec.main_module
    session_config = SessionConfig(load_paths=load_paths, cwd=cwd, sentence_timeout=config.eval_timeout)
    deadline = time.monotonic() + config.budget_seconds
    with Session(session_config) as session:
        for command in (*(f"Require {mod}." for mod in modules),
                        f"Declare Module {_THEOREMS} : {main}.{m.correctness} {impl_path}.",
                        _VALS_DECL, f"Arguments {_VAL} {{A}} x r.",
                        "Set Printing All.", "Set Printing Width 1000000."):
            r = session.add(command)
            if not isinstance(r, SentenceOk):
                why = f"cannot state the theorems over {impl_path}: {failure_text(r)}"
                return [TheoremTest(name=m.correctness, outcome="untestable", detail=why)], []
        sig_text = _output(session.query(f"Print Module Type {main}.{m.signature}."))
        correct_text = _output(session.query(f"Print Module Type {main}.{m.correctness}."))
        names = [f.group("name") for f in _FIELD.finditer(correct_text)]
        sig = _read_signature(session, sig_text, impl_path)
        statements = {n: _checked_type(session, f"{_THEOREMS}.{n}") for n in names}
        _read_inductives(session, sig, [s for s in statements.values() if s] + [t for o in sig.ops for t in o.params])
        for option in ("Unset Printing All.", "Set Printing Depth 1000000."):
            session.add(option)
        tester = _Tester(session, sig, config, deadline)
        results: list[TheoremTest] = []
        findings: list[Finding] = []
        for n in names:
            if any(r.outcome == "refuted" and "did not finish" in r.detail for r in results):
                # Already rejected, and every further theorem would likely wait out the same loop.
                results.append(TheoremTest(name=n, outcome="unfinished",
                                           detail="not run: an evaluation already failed to terminate"))
                continue
            result = tester.test(n, statements[n])
            results.append(result)
            if result.outcome == "refuted":
                findings.append(Finding(kind=FindingKind.THEOREM_REFUTED_BY_TEST, where=n, detail=result.detail))
            log.info("theorem_tested", theorem=n, outcome=result.outcome, cases=result.cases)
    return results, findings


def _output(r) -> str:
    return "\n".join(r.messages) if isinstance(r, SentenceOk) else ""


def _checked_type(session: Session, name: str) -> str | None:
    out = _output(session.query(f"Check {name}."))
    head, sep, typ = out.partition("\n")
    if not sep:
        return None
    return " ".join(typ.strip().removeprefix(":").split())


def _read_signature(session: Session, sig_text: str, impl_path: str) -> Signature:
    abstract_short: list[str] = []
    ops: list[Op] = []
    prefix = ""
    for f in _FIELD.finditer(sig_text):
        name, typ = f.group("name"), " ".join(f.group("type").split())
        if typ in ("Type", "Set"):
            abstract_short.append(name)
            continue
        printed = _output(session.query(f"Check {impl_path}.{name}."))
        shown, sep, ftype = printed.partition("\n")
        if not sep:
            continue
        shown = shown.strip()
        if shown.endswith("." + name):
            prefix = shown[: -len(name)]
        try:
            binders, result = split_forall(" ".join(ftype.strip().removeprefix(":").split()))
        except TermSyntax:
            continue
        if any(b.name != "_" for b in binders):
            continue  # dependent operations are not generated
        ops.append(Op(name=name, params=[b.type for b in binders], result=result))
    return Signature(prefix=prefix, abstract=[prefix + a for a in abstract_short], ops=ops)


_BUILTIN = {"nat", "bool", "option", "list", "prod", "unit"}


def _read_inductives(session: Session, sig: Signature, texts: list[str]) -> None:
    """Constructors of the first-order inductive types named in `texts` (the spec's own
    types such as a transaction type), read with `Print` under `Printing All`."""
    seen: set[str] = set()
    todo = [t for text in texts for t in re.findall(r"[A-Za-z_][\w'.]*", text)]
    while todo:
        name = todo.pop()
        if name in seen or name in _BUILTIN or name in sig.abstract or name.startswith(sig.prefix or "\0"):
            continue
        seen.add(name)
        out = _output(session.query(f"Print {name}."))
        m = re.match(r"\s*Inductive\s+(?P<short>[\w']+)\s*:\s*(?:Set|Type|Type@\{[^}]*\})\s*:=(?P<body>.*?)(?:\n\s*\n|\Z)",
                     out, re.S)
        if not m:
            continue
        body = " ".join(m.group("body").split()).rstrip(".")
        ctors: list[tuple[str, list[str]]] = []
        qual = name[: -len(m.group("short"))]
        ok = True
        for c in split_top(body, "|"):
            if not c:
                continue
            cname, sep, ctype = c.partition(" : ")
            if not sep:
                ok = False
                break
            try:
                binders, result = split_forall(ctype)
            except TermSyntax:
                ok = False
                break
            if any(b.name != "_" for b in binders) or app_parts(result)[0] != name:
                ok = False  # parameters or indices: not generated
                break
            ctors.append((qual + cname.strip(), [b.type for b in binders]))
            todo += [t for b in binders for t in re.findall(r"[A-Za-z_][\w'.]*", b.type)]
        if ok and ctors:
            sig.constructors[name] = ctors


@dataclass
class _Statement:
    data: list[Binder]
    premises: list[str]
    conclusion: str
    solved: dict[str, str] = field(default_factory=dict)
    """Binders read off a premise `e = C .. x ..` instead of generated (the Rocq text of a
    `match e` that takes `x` out, `{default}` standing for a generated value)."""


class _Tester:
    def __init__(self, session: Session, sig: Signature, config: TheoremTestConfig, deadline: float) -> None:
        self.session, self.sig, self.config, self.deadline = session, sig, config, deadline
        self.cache: dict[str, str] = {}
        self.data_words = {"true", "false", "Some", "None", "nil", "cons", "pair", "tt", "O", "S"}
        for ctors in sig.constructors.values():
            self.data_words |= {c.rsplit(".", 1)[-1] for c, _ in ctors}

    def test(self, name: str, statement: str | None) -> TheoremTest:
        if statement is None:
            return TheoremTest(name=name, outcome="untestable", detail="its statement could not be read")
        try:
            st = self._statement(statement)
        except (Untestable, TermSyntax) as exc:
            return TheoremTest(name=name, outcome="untestable", detail=str(exc))
        rng = random.Random(f"{self.config.seed}:{name}")
        gen = Gen(self.sig, rng, self.config.max_ops)
        cases = premise_false = undecided = 0
        binary: list[Witness] = []
        try:
            inputs = list(self._inputs(st, gen))
            all_lets = [" ".join(f"let {b.name} : {b.type} := {v.coq} in" for b, v in zip(st.data, values))
                        for values in inputs]
            # Premises first, so that the conclusion is only computed where they hold.
            premise_sides = [x for p in st.premises for x in _sides(p)]
            for start in range(0, len(inputs), _CHUNK):
                self._prefetch(all_lets[start:start + _CHUNK], premise_sides)
            relevant = [lets for lets in all_lets
                        if not any(self._prop(p, lets) is False for p in st.premises)]
            for start in range(0, len(relevant), _CHUNK):
                self._prefetch(relevant[start:start + _CHUNK], _sides(st.conclusion))
            for i, values in enumerate(inputs):
                lets = all_lets[i]
                held = [self._prop(p, lets) for p in st.premises]
                if any(h is False for h in held):
                    premise_false += 1
                    continue
                if any(h is None for h in held):
                    undecided += 1
                    continue
                verdict = self._prop(st.conclusion, lets)
                if verdict is None:
                    undecided += 1
                    continue
                cases += 1
                if verdict is False:
                    return TheoremTest(name=name, outcome="refuted", cases=cases, premise_false=premise_false,
                                       undecided=undecided, detail=self._counterexample(st, values, lets))
                if len(binary) < self.config.binary_cases:
                    binary += self._binary_case(name, i, st, values)
        except _Budget:
            return TheoremTest(name=name, outcome="unfinished", cases=cases, premise_false=premise_false,
                               undecided=undecided, binary_cases=binary,
                               detail=f"time budget ({self.config.budget_seconds:g} s) spent after {cases} cases")
        except _Loops as exc:
            return TheoremTest(name=name, outcome="refuted", cases=cases, premise_false=premise_false,
                               undecided=undecided, detail=str(exc))
        except Untestable as exc:
            return TheoremTest(name=name, outcome="untestable", cases=cases, detail=str(exc))
        if cases == 0:
            why = (f"no generated input satisfied the premises ({premise_false} tried)" if premise_false
                   else f"no case could be decided ({undecided} undecided: values that are not plain data)")
            return TheoremTest(name=name, outcome="untestable", premise_false=premise_false, undecided=undecided,
                               detail=why)
        return TheoremTest(name=name, outcome="passed", cases=cases, premise_false=premise_false,
                           undecided=undecided, binary_cases=binary)

    # -- statements
    def _statement(self, text: str) -> _Statement:
        binders, conclusion = split_forall(text)
        data: list[Binder] = []
        premises: list[str] = []
        gen = Gen(self.sig, random.Random(0), 0)
        for b in binders:
            if b.name == "_":
                self._shape(b.type)
                premises.append(b.type)
                continue
            if any(re.search(rf"(?<![\w'.]){re.escape(d.name)}(?![\w'])", b.type) for d in data):
                raise Untestable(f"the type of `{b.name}` depends on another variable")
            why = gen.generable(b.type)
            if why:
                raise Untestable(f"`{b.name} : {b.type}`: {why}")
            data.append(b)
        self._shape(conclusion)
        return _Statement(data=data, premises=premises, conclusion=conclusion, solved=self._solvable(data, premises))

    @staticmethod
    def _solvable(data: list[Binder], premises: list[str]) -> dict[str, str]:
        """Premises such as `contents q = x :: r` almost never hold on random `x`, `r`: take
        them out of the value of `contents q` instead (a `match`, so a case where `contents q`
        has another constructor still fails the premise and is skipped)."""
        order = {b.name: i for i, b in enumerate(data)}
        solved: dict[str, str] = {}
        for p in premises:
            parts = app_parts(p)
            if parts[0] != "@eq" or len(parts) != 4:
                continue
            e, rhs = parts[2], app_parts(parts[3])
            head, args = rhs[0], rhs[1:]
            names = [a for a in args if a in order]
            if not head.startswith("@") or not names or args[len(args) - len(names):] != names:
                continue
            used = {w for w in re.findall(r"[A-Za-z_][\w']*", e) if w in order}
            if len(set(names)) != len(names) or set(names) & (used | set(solved)) \
                    or any(order[u] > min(order[n] for n in names) for u in used):
                continue
            nparams = len(args) - len(names)
            pvars = [f"idsynth_p{i}" for i in range(len(names))]
            pattern = " ".join([head, *["_"] * nparams, *pvars])
            for n, v in zip(names, pvars):
                solved[n] = f"(match {e} with {pattern} => {v} | _ => {{default}} end)"
        return solved

    def _shape(self, prop: str) -> None:
        """Raise Untestable unless `prop` is built from decidable atoms."""
        parts = app_parts(prop)
        head, args = parts[0], parts[1:]
        if head in ("True", "False") and not args:
            return
        if head == "not" and len(args) == 1:
            return self._shape(args[0])
        if head in ("and", "or", "iff") and len(args) == 2:
            self._shape(args[0])
            return self._shape(args[1])
        if head == "@eq" and len(args) == 3:
            return
        if _NUMERIC.match(head) and len(args) == 2:
            return
        shown = strip_parens(prop)
        raise Untestable(f"`{shown[:120]}` is not a decidable statement here ({head.lstrip('@')} is not "
                          "an equation, an order on numbers or a connective)")

    def _inputs(self, st: _Statement, gen: Gen):
        for values in self._generated(st, gen):
            yield [Value(st.solved[b.name].replace("{default}", v.coq), None) if b.name in st.solved else v
                   for b, v in zip(st.data, values)]

    def _generated(self, st: _Statement, gen: Gen):
        """Small exhaustive inputs first, then seeded random ones, `cases` in all."""
        total = self.config.cases
        small: list[list[Value]] = []
        for b in st.data:
            small.append(self._small(b.type, gen))
        produced = 0
        # Smallest index sum first, so that every binder soon takes each small value
        # (a plain product would keep the first binder at its first value for long).
        combos = sorted(itertools.product(*(range(len(xs)) for xs in small)), key=lambda ix: (sum(ix), ix))
        for ix in combos[: total // 2]:
            yield [small[j][k] for j, k in enumerate(ix)]
            produced += 1
        while produced < total:
            pool: list[int] = []
            values = []
            for b in st.data:
                v = gen.value(b.type, pool)
                pool += [int(x) for x in re.findall(r"(?<![\w'])\d+(?![\w'])", (v.wit or v.coq))][:4]
                values.append(v)
            yield values
            produced += 1

    def _small(self, typ: str, gen: Gen) -> list[Value]:
        head = app_parts(typ)[0]
        if head == "nat":
            return [Value(nat_text(n), str(n)) for n in (0, 1, 2, 50)]
        if head == "bool":
            return [Value("true", "true"), Value("false", "false")]
        if typ in self.sig.abstract:
            out = []
            for steps in (0, 1, 2, 3):
                out.append(gen.state(typ, [0, 1, 2, 50], steps, 3))
            return out
        return [gen.value(typ, [0, 1, 2]) for _ in range(3)]

    # -- evaluation
    def _prop(self, prop: str, lets: str) -> bool | None:
        parts = app_parts(prop)
        head, args = parts[0], parts[1:]
        if head == "True":
            return True
        if head == "False":
            return False
        if head == "not":
            v = self._prop(args[0], lets)
            return None if v is None else not v
        if head in ("and", "or", "iff"):
            a, b = self._prop(args[0], lets), self._prop(args[1], lets)
            if head == "and":
                return False if False in (a, b) else (None if None in (a, b) else True)
            if head == "or":
                return True if True in (a, b) else (None if None in (a, b) else False)
            return None if None in (a, b) else a == b
        if head == "@eq":
            return self._equal(args[0], args[1], args[2], lets)
        m = _NUMERIC.match(head)
        if m:
            a, b = _number(self._eval(args[0], lets)), _number(self._eval(args[1], lets))
            if a is None or b is None:
                return None
            return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[m.group("op")]
        raise Untestable(f"`{head}` is not decidable here")

    def _equal(self, typ: str, a: str, b: str, lets: str) -> bool | None:
        va, vb = self._eval(a, lets), self._eval(b, lets)
        if va == vb:
            return True
        if self._plain(va) and self._plain(vb):
            return False
        # Not plain data (stuck opaque terms, functions): only a kernel-checked proof of the
        # difference counts.
        start = len(self.session)
        goal = f"Goal ({lets} {a}) <> ({lets} {b})."
        for script in (["vm_compute.", "intro idsynth_H.", "discriminate idsynth_H.", "Qed."],
                       ["vm_compute.", "congruence.", "Qed."]):
            ok = True
            for sentence in [goal, *script]:
                r = self.session.add(sentence)
                if not isinstance(r, SentenceOk):
                    ok = False
                    break
            self.session.cancel_to(start)
            if ok:
                return False
        return None

    def _prefetch(self, lets_list: list[str], sides: list[str]) -> None:
        """Evaluate every side of every atom on these inputs with one `vm_compute`."""
        wanted = [(lets, e) for lets in lets_list for e in dict.fromkeys(sides) if f"{lets} {e}" not in self.cache]
        if not wanted:
            return
        if time.monotonic() > self.deadline:
            raise _Budget
        term = _END
        for lets, e in reversed(wanted):
            term = f"({_VAL} ({lets} {e}) {term})"
        r = self.session.query(f"Eval vm_compute in {term}.")
        if isinstance(r, SentenceTimeout):
            first = self._shown_lets(wanted[0][0])
            raise _Loops(f"evaluating the theorem on {len(lets_list)} inputs (the first: {first}) did not finish "
                         f"within {self.config.eval_timeout:g} s; Rocq functions terminate, a fixpoint accepted "
                         "through a kernel bug need not")
        if not isinstance(r, SentenceOk):
            raise Untestable(f"cannot evaluate the theorem's sides: {failure_text(r)[:300]}")
        parsed = next((value_of_eval(msg) for msg in r.messages if msg.lstrip().startswith("=")), None)
        if parsed is None:
            raise Untestable("unreadable values")
        rest = parsed[0]
        for lets, e in wanted:
            parts = app_parts(rest)
            if len(parts) != 3 or parts[0] != _VAL:
                raise Untestable(f"unreadable values near `{rest[:120]}`")
            self.cache[f"{lets} {e}"] = strip_parens(parts[1])
            rest = parts[2]

    def _plain(self, value: str) -> bool:
        # Numerals first: hexadecimal primitive integers (`0x2a%uint63`) and scope keys.
        rest = re.sub(r"%\w+", " ", re.sub(r"(?<![\w'])-?0x[0-9a-fA-F]+", " 0 ", value))
        words = re.findall(r"[A-Za-z_][\w'.]*", rest)
        if any(w not in self.data_words for w in words):
            return False
        rest = re.sub(r"[A-Za-z_][\w'.]*", " ", rest)
        return re.fullmatch(r"(?:\s*(?:-?\d+|%\w+|::|[()\[\];,]))*\s*", rest) is not None

    def _eval(self, expr: str, lets: str) -> str:
        key = f"{lets} {expr}"
        if key in self.cache:
            return self.cache[key]
        if time.monotonic() > self.deadline:
            raise _Budget
        r = self.session.query(f"Eval vm_compute in ({lets} {expr}).")
        if isinstance(r, SentenceTimeout):
            raise _Loops(f"evaluating `{strip_parens(expr)[:200]}` with {self._shown_lets(lets)} did not finish "
                         f"within {self.config.eval_timeout:g} s; Rocq functions terminate, a fixpoint accepted "
                         "through a kernel bug need not")
        if not isinstance(r, SentenceOk):
            raise Untestable(f"cannot evaluate `{strip_parens(expr)[:120]}`: {failure_text(r)[:300]}")
        parsed = next((value_of_eval(msg) for msg in r.messages if msg.lstrip().startswith("=")), None)
        if parsed is None:
            raise Untestable(f"unreadable value of `{strip_parens(expr)[:120]}`")
        self.cache[key] = strip_parens(parsed[0])
        return self.cache[key]

    @staticmethod
    def _shown_lets(lets: str) -> str:
        shown = re.sub(r"let (\S+) : .*? := (.*?) in(?= let |$)", r"\1 = \2;", lets)
        return " ".join(shown.split())[:600]

    def _counterexample(self, st: _Statement, values: list[Value], lets: str) -> str:
        inputs = "; ".join(f"{b.name} := {self._pretty(b, v, lets)}" for b, v in zip(st.data, values))
        sides = []
        for eq in _equations(st.conclusion):
            _, a, b = eq
            va, vb = self.cache.get(f"{lets} {a}"), self.cache.get(f"{lets} {b}")
            if va is not None and vb is not None and va != vb:
                sides.append(f"`{strip_parens(a)}` computes to `{va}` but `{strip_parens(b)}` to `{vb}`")
        computed = "; ".join(sides) if sides else "the conclusion evaluates to false"
        return (f"counterexample: {inputs}; premises hold; {computed} (vm_compute). The kernel accepted a proof "
                "of a false statement: a kernel bug (e.g. rocq-prover#20455 in Coq 8.16) or an inconsistency")

    def _pretty(self, b: Binder, v: Value, lets: str) -> str:
        if v.wit is not None:
            return v.wit
        try:
            return self._eval(b.name, lets)
        except (Untestable, _Loops, _Budget):
            return v.coq

    def _binary_case(self, name: str, i: int, st: _Statement, values: list[Value]) -> list[Witness]:
        """The conclusion's equations on this input, in the witness language over `M`."""
        if any(v.wit is None for v in values):
            return []
        env = {b.name: v.wit for b, v in zip(st.data, values)}
        eqs = _equations(st.conclusion, conjunction_only=True)
        if eqs is None:
            return []
        out = []
        for j, (_, a, b) in enumerate(eqs):
            wa, wb = _to_witness(a, env, self.sig.prefix), _to_witness(b, env, self.sig.prefix)
            if wa is None or wb is None:
                continue
            safe = re.sub(r"[^A-Za-z0-9_']", "_", name)
            out.append(Witness(name=f"theorem_{safe}_{i}_{j}", expr=wa, expect=wb))
        return out


def _sides(prop: str) -> list[str]:
    """Every term an atom of `prop` compares."""
    parts = app_parts(prop)
    head, args = parts[0], parts[1:]
    if head == "@eq" and len(args) == 3:
        return [args[1], args[2]]
    if _NUMERIC.match(head) and len(args) == 2:
        return args
    return [x for a in args for x in _sides(a)] if head in ("not", "and", "or", "iff") else []


def _equations(prop: str, conjunction_only: bool = False) -> list[tuple[str, str, str]] | None:
    parts = app_parts(prop)
    head, args = parts[0], parts[1:]
    if head == "@eq" and len(args) == 3:
        return [(args[0], args[1], args[2])]
    if head == "and" and len(args) == 2:
        left, right = _equations(args[0], conjunction_only), _equations(args[1], conjunction_only)
        if left is None or right is None:
            return None
        return left + right
    if conjunction_only:
        return None
    out: list[tuple[str, str, str]] = []
    for a in args:
        out += _equations(a) or []
    return out


def _to_witness(expr: str, env: dict[str, str], prefix: str) -> str | None:
    """A Printing-All term over the binders, in the witness language (`M.f x`, `Some x`, numerals)."""
    parts = app_parts(expr)
    head, args = parts[0], parts[1:]
    if not args:
        if head in env:
            return env[head]
        if head in ("true", "false"):
            return head
        if head == "O":
            return "0"
        if prefix and head.startswith(prefix):
            return f"M.{head[len(prefix):]}"
        return None
    if head == "@Some" and len(args) == 2:
        inner = _to_witness(args[1], env, prefix)
        return f"(Some {inner})" if inner else None
    if head == "@None" and len(args) == 1:
        return "None"
    if head == "S" and len(args) == 1:
        inner = _to_witness(args[0], env, prefix)
        return f"(S {inner})" if inner else None
    if prefix and head.startswith(prefix):
        subs = [_to_witness(a, env, prefix) for a in args]
        if any(s is None for s in subs):
            return None
        return f"(M.{head[len(prefix):]} {' '.join(subs)})"  # type: ignore[arg-type]
    return None


def _number(value: str) -> int | None:
    m = re.fullmatch(r"\(?\s*(-?(?:0x[0-9a-fA-F]+|\d+))\s*\)?(?:%\w+)?", value.strip())
    return int(m.group(1), 0) if m else None
