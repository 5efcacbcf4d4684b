"""Proof search for one hole: a bounded portfolio of Rocq automation, checked by Rocq.

`ProofSearch.find(doc, i)` returns a `Found` only after Rocq accepted `Proof. <script>
Qed.` for hole `i` *in the document*: every candidate is graded by a `Grader` of our
own, on the document cut right after the hole (later items cannot influence the hole,
and checking them, e.g. a module's `End` against its module type, costs every attempt
as much again). The prefix before the hole is loaded once; an attempt re-checks the hole
item only.

The portfolio, cheapest first (the exact scripts are built by `_portfolio`):
1. the closers `reflexivity`, `lia`, `auto`, `eauto`, `congruence`, `intuition`,
   `firstorder`, `easy` alone, then after `intros; simpl in *`;
2. unfolding the non-library definitions the goal mentions (found with `Locate` and
   `Print`, transitively through what unfolding reveals), then `simpl`/`cbn`;
3. list normalisation (`autorewrite with list`, right-associated `++`);
4. case analysis on the boolean tests of the (unfolded) goal: `destruct (x <? y) eqn:E`
   with the `Nat.*b_*` rewrites, the `Nat.*b_spec` reflection lemmas, and generic
   `if`/`match` splitting;
5. the lemmas just before the hole (`hints`): `rewrite`, `eauto using`;
6. induction on each variable of an inductive type, the structural argument of the
   goal's fixpoints first (emulating functional induction), with and without the other
   variables generalised, with IH rewriting, list normalisation, case splits and hints;
7. CoqHammer's `sauto`/`hauto` (plain, `use:` the earlier lemmas visible at the hole,
   `unfold:` the definitions, after induction), and `hammer`
   last with the remaining time: its reconstruction (`Replace the hammer tactic with:`)
   is returned only after it checked on its own; `hammer` itself never is.
Composite attempts end in `solve [reflexivity | lia | congruence | auto | easy]`; when
one closes, the single closers are tried alone so the reported script is the simplest.

Scripts that need an import the document lacks (`lia`, the `Nat` lemmas, CoqHammer's
tactics) are tried in a second session holding the document *plus* those imports,
placed where the engine's preamble `Define` puts them; such a `Found` names them in
`needs_import`, after re-checking the script with only the imports it mentions (a plain
`lia` proof does not drag in CoqHammer). `hammer` runs only when CoqHammer's `htimeout`
is on PATH (Debian installs it in /usr/libexec/coq-hammer): without it the provers
cannot start and `hammer` fails after half a minute.

Every attempt is bounded by `attempt_timeout` (the single-closer tiers by the shorter
`quick_timeout`), the whole search by `budget_s`: an attempt never runs past the
deadline by more than Rocq's one-second timeout granularity plus the session's grace.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import structlog
from pydantic import BaseModel, ConfigDict, Field

from idsynth.rocq import Document, Grader, Session, SessionConfig
from idsynth.rocq.types import Goal, Hypothesis, ItemKind, ItemStatus, ProofState, SentenceOk

from ..skeleton import IMPL

log = structlog.get_logger(__name__)

CLOSERS = ("reflexivity", "lia", "auto", "eauto", "congruence", "intuition", "firstorder", "easy")
"""The single-tactic closers, in the order they are tried."""

_BOOL_REWRITES = "rewrite ?Nat.eqb_eq, ?Nat.eqb_neq, ?Nat.ltb_lt, ?Nat.ltb_ge, ?Nat.leb_le, ?Nat.leb_gt in *"
_LIST_NORM = "try (autorewrite with list in *); rewrite <- ?app_assoc in *; simpl in *"
_SPLIT_IFS = "repeat match goal with |- context [if ?b then _ else _] => destruct b eqn:? end"
_SPLIT_MATCHES = "repeat match goal with |- context [match ?x with _ => _ end] => destruct x eqn:? end"
_SPLIT_SPECS = (
    "repeat match goal with |- context [Nat.eqb ?a ?b] => destruct (Nat.eqb_spec a b)"
    " | |- context [Nat.ltb ?a ?b] => destruct (Nat.ltb_spec a b)"
    " | |- context [Nat.leb ?a ?b] => destruct (Nat.leb_spec a b) end"
)
_SHORT_NAMES = (
    (_BOOL_REWRITES, "rewrite Nat.*b_* in *"),
    (_LIST_NORM, "normalise lists"),
    (_SPLIT_IFS, "split ifs"),
    (_SPLIT_MATCHES, "split matches"),
    (_SPLIT_SPECS, "split on Nat.*b_spec"),
)
_SPEC_OF = {"=?": "Nat.eqb_spec", "<?": "Nat.ltb_spec", "<=?": "Nat.leb_spec"}
_HAMMER_TACTICS = re.compile(r"\b(?:s|h|q|l|b|r)auto\b|\bbest\b|\bscongruence\b|\bsfirstorder\b|\bsintuition\b"
                             r"|\bsinvert\b|\bsdestruct\b|\bssimpl\b|\bstrivial\b|\bsyelles\b|\bhammer\b")

# What a script needs loaded, recognised by the names it mentions. A missing name makes
# the whole tactic expression fail to intern, even inside `try` or `solve [...]`.
_FEATURES: dict[str, re.Pattern[str]] = {
    "lia": re.compile(r"\b[ln]ia\b"),
    "arith": re.compile(r"\bNat\.\w+_(?:eq|neq|lt|ge|le|gt|spec)\b"),
    "list": re.compile(r"\bapp_assoc\b"),
    "hammer": _HAMMER_TACTICS,
}
# How a feature is located in a session, and the import that provides it.
_PROBES = {
    "lia": "Locate Ltac lia.",
    "arith": "Locate Nat.ltb_lt.",
    "list": "Locate app_assoc.",
    "hammer": "Locate Ltac sauto.",
}
_COQ_LIBRARY = {"arith": "Arith", "lia": "Lia", "list": "List"}
_HAMMER_IMPORT = "From Hammer Require Import Tactics."


class Found(BaseModel):
    """A proof script Rocq accepted for a hole."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    script: str
    """Tactic sentences to put between `Proof.` and `Qed.`."""
    strategy: str
    """Which portfolio entry closed it, e.g. `lia`, `induction l; simpl in *; lia`, `hammer`."""
    seconds: float
    """Wall clock of the search that found it (prefix loading and analysis included)."""
    attempts: int
    """Candidate proofs graded (the successful one and any simplification included)."""
    needs_import: str | None = None
    """Import sentences the solution must gain for the script to check (e.g.
    `From Hammer Require Import Tactics.`); None when the document already suffices."""


class FixpointInfo(BaseModel):
    """A recursive function the goal mentions, as `Print` shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    params: list[str]
    """Explicit parameters, in order (implicit ones, which goals do not print, dropped)."""
    struct: int | None = None
    """Index in `params` of the argument it decreases on."""
    has_if: bool = False


class GoalInfo(BaseModel):
    """What the portfolio and the decomposer know about a hole's goal."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    statement: str
    goal: str
    """The goal as Rocq prints it before any tactic (the elaborated statement)."""
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    """After `intros`."""
    conclusion: str = ""
    """After `intros`."""
    unfold: list[str] = Field(default_factory=list)
    """Non-library definitions worth unfolding (transitively)."""
    unfolded: str | None = None
    """The conclusion after `intros; unfold <unfold> in *; simpl in *`, when it differs."""
    fixpoints: list[FixpointInfo] = Field(default_factory=list)
    tests: list[tuple[str, str, str, str]] = Field(default_factory=list)
    """Boolean tests `(text, op, left, right)` with op one of `=?`, `<?`, `<=?`."""
    case_splits: bool = False
    """The (unfolded) goal contains an `if` or a `match`."""
    induction_vars: list[str] = Field(default_factory=list)
    """Variables `induction` accepts, structural arguments of the goal's fixpoints first."""
    hints: list[str] = Field(default_factory=list)
    """Lemmas the portfolio rewrites with (by default those just before the hole)."""
    lemmas: list[str] = Field(default_factory=list)
    """Earlier lemmas visible at the hole, most recent last (for `sauto use:`)."""
    open_lemmas: list[str] = Field(default_factory=list)
    """Those of `hints` and `lemmas` that are holes themselves: a proof using one is only as
    good as that hole, so the portfolio first tries without them."""
    available: list[str] = Field(default_factory=list)
    """Features loaded in the document: `lia`, `arith`, `list`, `hammer`."""

    @property
    def variables(self) -> list[str]:
        return [n for h in self.hypotheses if h.body is None for n in h.names]


@dataclass(frozen=True)
class Candidate:
    """One portfolio entry: `prefix; closer`, or `prefix; solve [c1 | c2 | ...]`."""

    prefix: str
    closers: tuple[str, ...] = ()
    quick: bool = False
    """A single closer on a barely prepared goal: it succeeds fast or not at all, so it
    gets `quick_timeout` (`firstorder` and `intuition` can otherwise hang to the bound)."""

    @property
    def script(self) -> str:
        if not self.closers:
            return _sentence(self.prefix)
        closer = self.closers[0] if len(self.closers) == 1 else f"solve [{' | '.join(self.closers)}]"
        return _sentence(f"{self.prefix}; {closer}" if self.prefix else closer)

    @property
    def strategy(self) -> str:
        """The script with its long stock phrases abbreviated, for transcripts."""
        name = self.script.rstrip(".")
        for phrase, short in _SHORT_NAMES:
            name = name.replace(phrase, short)
        return name

    def requires(self) -> frozenset[str]:
        return frozenset(f for f, pattern in _FEATURES.items() if pattern.search(self.script))

    def singles(self) -> list["Candidate"]:
        return [Candidate(self.prefix, (c,)) for c in self.closers] if len(self.closers) > 1 else []


def _sentence(script: str) -> str:
    script = script.strip()
    return script if script.endswith(".") else script + "."


# -- the checker ---------------------------------------------------------------------------


class _Checker:
    """One coqtop holding the prefix of a document (plus `imports`); attempts replace the
    hole item and are graded by a `Grader`, so only the hole is re-checked."""

    def __init__(self, config: SessionConfig, imports: tuple[str, ...] = ()) -> None:
        self.config = config
        self.imports = imports
        self.hammer_runs = shutil.which("htimeout") is not None  # coqtop inherits our PATH
        self.session = Session(config)
        self.grader = Grader(self.session)
        self.doc: Document | None = None
        self.hole = 0
        self.statement = ""
        self.goal: ProofState | None = None

    def close(self) -> None:
        self.session.close()

    @contextmanager
    def _bounded(self, seconds: float) -> Iterator[None]:
        # A session reads its sentence bound from its config at every call.
        self.session.config = self.config.model_copy(update={"sentence_timeout": max(1.0, seconds)})
        try:
            yield
        finally:
            self.session.config = self.config

    def load(self, doc: Document, hole: int) -> bool:
        """Check the prefix and the hole's statement; False when either fails."""
        doc, hole = _with_imports(doc, hole, self.imports)
        verdict = self.grader.grade(Document(items=doc.items[: hole + 1]))
        if verdict.first_failure is not None:
            log.info("prefix_fails", item=verdict.first_failure.item, message=verdict.first_failure.message[:200])
            self.doc = None
            return False
        self.doc, self.hole = doc, hole
        self.statement = doc.items[hole].statement
        found = [h for h in verdict.holes if h.item_index == hole]
        self.goal = found[0].proof_state if found else None
        return True

    def _at_prefix(self) -> int:
        assert self.doc is not None
        self.grader.grade(Document(items=self.doc.items[: self.hole]))
        return len(self.session)

    def attempt(self, script: str, seconds: float) -> bool:
        """Grade the document with `Proof. script Qed.` for the hole, cut after it."""
        assert self.doc is not None
        text = f"{self.statement}\nProof.\n  {script}\nQed."
        candidate = self.doc.replace(self.hole, text)
        grown = len(candidate.items) - len(self.doc.items)
        cut = Document(items=candidate.items[: self.hole + 1 + grown])
        with self._bounded(seconds):
            verdict = self.grader.grade(cut)
        return verdict.first_failure is None and all(
            v.status is ItemStatus.CHECKED for v in verdict.items[self.hole:]
        )

    def probe(self, scripts: Sequence[str | Sequence[str]], seconds: float) -> list[ProofState | None]:
        """Open the hole's proof and run each script (a sentence, or several) from `Proof.`
        on its own: the goals after each, or None where it failed. Nothing stays committed."""
        base = self._at_prefix()
        states: list[ProofState | None] = []
        try:
            with self._bounded(seconds):
                for sentence in (self.statement, "Proof."):
                    if not isinstance(self.session.add(sentence), SentenceOk):
                        return [None] * len(scripts)
                opened = len(self.session)
                for script in scripts:
                    sentences = [script] if isinstance(script, str) else list(script)
                    ok = all(isinstance(self.session.add(s), SentenceOk) for s in sentences)
                    states.append(self.session.proof_state() if ok else None)
                    self.session.cancel_to(opened)
        finally:
            self.session.cancel_to(base)
        return states

    def run(self, sentences: Sequence[str], seconds: float) -> list[str] | None:
        """Run sentences after the prefix, the hole's statement and `Proof.`; the messages of
        the last one, or None if any failed. Nothing stays committed."""
        base = self._at_prefix()
        try:
            with self._bounded(seconds):
                for sentence in [*sentences[:-1]]:
                    if not isinstance(self.session.add(sentence), SentenceOk):
                        return None
                result = self.session.add(sentences[-1])
                return result.messages if isinstance(result, SentenceOk) else None
        finally:
            self.session.cancel_to(base)

    def query(self, text: str) -> str:
        self._at_prefix()
        result = self.session.query(text)
        return "\n".join(result.messages) if isinstance(result, SentenceOk) else ""


def import_position(doc: Document, hole: int) -> int:
    """Where the engine's preamble `Define` lands: before `Module Impl` (else before the
    first module), else after the leading imports."""
    modules = [i for i, item in enumerate(doc.items[:hole]) if item.kind is ItemKind.MODULE]
    for i in modules:
        if doc.items[i].name == IMPL:
            return i
    if modules:
        return modules[0]
    i = 0
    while i < hole and doc.items[i].kind is ItemKind.IMPORT:
        i += 1
    return i


def _with_imports(doc: Document, hole: int, imports: tuple[str, ...]) -> tuple[Document, int]:
    if not imports:
        return doc, hole
    new = Document.from_source("\n".join(imports)).items
    new[0] = new[0].model_copy(update={"leading": "\n"})
    at = import_position(doc, hole)
    return Document(items=doc.items[:at] + new + doc.items[at:], trailing=doc.trailing), hole + len(new)


# -- terms as Rocq prints them ---------------------------------------------------------------

_KEYWORDS = frozenset("forall exists fun match with end if then else let in return as fix cofix Type Prop Set".split())
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<ident>[A-Za-z_][\w']*(?:\.[A-Za-z_][\w']*)*)|(?P<num>\d+)|(?P<open>[(\[])"
    r"|(?P<close>[)\]])|(?P<comma>,)|(?P<op>[^\sA-Za-z0-9_()\[\],]+)"
)
_TIGHT = frozenset({"+", "-", "*", "/", "::", "++", "^"})
_IDENT = re.compile(r"(?<![\w'.])[A-Za-z_][\w']*(?:\.[A-Za-z_][\w']*)*")


@dataclass(frozen=True)
class Token:
    """A token of a printed term; a parenthesised or bracketed group is one `atom`."""

    kind: str  # atom | keyword | op | comma | close
    text: str
    start: int
    end: int


def _group_end(text: str, start: int) -> int | None:
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "([":
            depth += 1
        elif text[i] in ")]":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def tokens(text: str, start: int = 0) -> list[Token]:
    """The top-level tokens of `text[start:]`, up to an unbalanced closing bracket."""
    out: list[Token] = []
    pos = start
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "space":
            pos = m.end()
            continue
        if kind == "open":
            end = _group_end(text, pos)
            if end is None:
                break
            out.append(Token("atom", text[pos:end], pos, end))
            pos = end
            continue
        if kind == "close":
            break
        word = m.group()
        if kind == "ident":
            kind = "keyword" if word in _KEYWORDS else "atom"
        elif kind == "num":
            kind = "atom"
        out.append(Token(kind, word, pos, m.end()))
        pos = m.end()
    return out


@dataclass(frozen=True)
class Application:
    """`name a1 ... an` in a printed term; `start`/`end` span the whole application."""

    name: str
    start: int
    end: int
    args: list[Token] = field(default_factory=list)


def applications(text: str, name: str) -> list[Application]:
    """Every application of `name` in `text`, with its (syntactic) arguments."""
    found: list[Application] = []
    for m in re.finditer(rf"(?<![\w'.@]){re.escape(name)}(?![\w'])", text):
        args: list[Token] = []
        for tok in tokens(text, m.end()):
            if tok.kind != "atom":
                break
            args.append(tok)
        end = args[-1].end if args else m.end()
        found.append(Application(name, m.start(), end, args))
    return found


def equation_sides(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Spans of the two sides of a top-level `a = b`, or None."""
    toks = tokens(text)
    eqs = [i for i, t in enumerate(toks) if t.kind == "op" and t.text == "="]
    if len(eqs) != 1 or eqs[0] == 0 or eqs[0] == len(toks) - 1:
        return None
    i = eqs[0]
    return (toks[0].start, toks[i - 1].end), (toks[i + 1].start, toks[-1].end)


def _operand(toks: list[Token], i: int, step: int) -> tuple[int, int] | None:
    """Token range of the operand of the operator at `i`, towards `step` (-1 or +1)."""
    j = i + step
    if not 0 <= j < len(toks) or toks[j].kind != "atom":
        return None
    first = last = j
    while True:
        # applications: adjacent atoms; tighter operators: `op atom`
        k = last + step
        if 0 <= k < len(toks) and toks[k].kind == "atom":
            last = k
            continue
        if (0 <= k < len(toks) and toks[k].kind == "op" and toks[k].text in _TIGHT
                and 0 <= k + step < len(toks) and toks[k + step].kind == "atom"):
            last = k + step
            continue
        break
    lo, hi = sorted((first, last))
    return lo, hi


def boolean_tests(text: str) -> list[tuple[str, str, str, str]]:
    """The `x =? y`, `x <? y`, `x <=? y` tests in a printed term, innermost included."""
    out: list[tuple[str, str, str, str]] = []

    def scan(offset: int, body: str) -> None:
        toks = tokens(body)
        for i, t in enumerate(toks):
            if t.kind == "op" and t.text in _SPEC_OF:
                left, right = _operand(toks, i, -1), _operand(toks, i, +1)
                if left and right:
                    ltext = body[toks[left[0]].start: toks[left[1]].end]
                    rtext = body[toks[right[0]].start: toks[right[1]].end]
                    out.append((body[toks[left[0]].start: toks[right[1]].end], t.text, ltext, rtext))
            if t.kind == "atom" and t.text[:1] in "([":
                scan(offset + t.start + 1, t.text[1:-1])

    scan(0, text)
    unique: dict[str, tuple[str, str, str, str]] = {}
    for test in out:
        unique.setdefault(" ".join(test[0].split()), test)
    return list(unique.values())


def _binder_names(group: str) -> list[str]:
    inner = group.strip()
    if inner.startswith(("(", "{", "[")):
        inner = inner[1:-1]
    head = inner.split(":", 1)[0]
    return [n for n in head.split() if re.fullmatch(r"[A-Za-z_][\w']*", n)]


def _binders(header: str) -> list[str]:
    """Names bound by `(a b : T) (c : U)` or `a b : T` (a `fun`'s or a `fix`'s header)."""
    header = header.strip()
    if not header.startswith("("):
        return _binder_names(header)
    names: list[str] = []
    pos = 0
    while pos < len(header):
        if header[pos] == "(":
            end = _group_end(header, pos)
            if end is None:
                break
            names += _binder_names(header[pos:end])
            pos = end
        elif header[pos].isspace():
            pos += 1
        else:
            break
    return names


_FIX_HEAD = re.compile(r"^\s*(?:fun\b(?P<fun>(?:(?!=>).)*)=>\s*)?fix\s+[\w']+\s*", re.S)
_STRUCT = re.compile(r"\s*\{struct\s+(?P<name>[\w']+)\s*\}")


def _fix_binders(body: str, pos: int) -> tuple[list[str], str | None]:
    """The `(a b : T) (c : U)` groups of a `fix` from `pos`, and its `{struct x}`."""
    names: list[str] = []
    while True:
        while pos < len(body) and body[pos].isspace():
            pos += 1
        if pos >= len(body) or body[pos] != "(":
            break
        end = _group_end(body, pos)
        if end is None:
            break
        names += _binder_names(body[pos:end])
        pos = end
    struct = _STRUCT.match(body, pos)
    return names, struct.group("name") if struct else None


_ARGUMENTS = re.compile(r"^Arguments\s+\S+(?P<args>.*)$", re.M)
_ARG = re.compile(r"\{(?P<imp>[^}]*)\}|\[(?P<nimp>[^\]]*)\]|\((?P<exp>[^)]*)\)|(?P<one>[A-Za-z_][\w']*)")


def parse_print(name: str, printed: str) -> tuple[str, FixpointInfo | None]:
    """Classify `Print name` output: ("fixpoint", info), ("definition", None) or ("other", None)."""
    m = re.match(r"\s*\S+\s*=\s*(?P<body>.*)", printed, re.S)
    if m is None or printed.lstrip().startswith(("Inductive", "CoInductive", "Record", "Notation", "***")):
        return "other", None
    body = m.group("body")
    fix = _FIX_HEAD.match(body)
    if fix is None:
        return "definition", None
    fun_names = _binders(fix.group("fun")) if fix.group("fun") else []
    fix_names, struct = _fix_binders(body, fix.end())
    names = fun_names + fix_names
    struct = struct or (fix_names[0] if fix_names else None)
    explicit = names
    arguments = _ARGUMENTS.search(printed)
    if arguments:
        listed: list[tuple[str, bool]] = []
        for a in _ARG.finditer(re.sub(r"%\w+", "", arguments.group("args"))):
            implicit = a.group("imp") is not None or a.group("nimp") is not None
            group = a.group("imp") or a.group("nimp") or a.group("exp") or a.group("one") or ""
            listed += [(n.lstrip("!"), implicit) for n in group.split() if n not in ("/", "!")]
        if [n for n, _ in listed] == names:
            explicit = [n for n, implicit in listed if not implicit]
    index = explicit.index(struct) if struct in explicit else None
    return "fixpoint", FixpointInfo(name=name, params=explicit, struct=index, has_if="if " in body)


# -- the search --------------------------------------------------------------------------------


@dataclass
class _Run:
    deadline: float
    started: float
    attempts: int = 0

    def left(self, until: float | None = None) -> float:
        return min(self.deadline, until if until is not None else self.deadline) - time.monotonic()


class ProofSearch:
    """A portfolio of automation over a live session of our own. Not thread-safe."""

    def __init__(self, config: SessionConfig, attempt_timeout: float = 10.0, *, quick_timeout: float = 3.0,
                 hammer: bool = True, hammer_min_s: float = 25.0) -> None:
        self.config = config
        self.attempt_timeout = attempt_timeout
        """Bound of one attempt (all its sentences, `Qed` included, each bounded by it)."""
        self.quick_timeout = min(quick_timeout, attempt_timeout)
        """Bound of the single-closer attempts of the first tiers."""
        self.hammer = hammer
        """Try `hammer` last (only when CoqHammer's `htimeout` is on PATH: without it the
        provers cannot run and `hammer` fails slowly)."""
        self.hammer_min_s = hammer_min_s
        """Seconds `hammer` needs at least (feature extraction alone takes ~15 s)."""
        self._plain = _Checker(config)
        self._tools: dict[tuple[str, ...], _Checker] = {}
        self._cache: dict[str, Found] = {}

    def __enter__(self) -> "ProofSearch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._plain.close()
        for checker in self._tools.values():
            checker.close()
        self._tools.clear()

    # -- public API -------------------------------------------------------------------------

    def find(self, doc: Document, hole_index: int, budget_s: float = 60.0, *,
             hints: Sequence[str] | None = None) -> Found | None:
        """A checked proof of hole `hole_index`, or None when the portfolio fails in time.

        `hints`: lemma names the portfolio may use; by default the lemmas immediately
        before the hole (where a decomposition puts its helpers)."""
        item = doc.items[hole_index]
        if not item.is_hole:
            raise ValueError(f"item {hole_index} ({item.name}) is not a hole")
        run = _Run(deadline=time.monotonic() + budget_s, started=time.monotonic())
        key = self._key(doc, hole_index, hints)
        if key in self._cache:
            return self._cache[key]
        if not self._plain.load(doc, hole_index):
            return None
        info = self._analyse(doc, hole_index, hints, run)
        found = self._search(doc, hole_index, info, run)
        log.info("proof_search", hole=item.name, found=found.strategy if found else None,
                 attempts=run.attempts, seconds=round(time.monotonic() - run.started, 2))
        if found is not None:
            self._cache[key] = found
        return found

    def remember(self, doc: Document, hole_index: int, found: Found, *, hints: Sequence[str] | None = None) -> None:
        """Record a checked proof (e.g. from `try_scripts`) so that `find` returns it for the
        same hole in the same context: a decomposition's targeted helper proofs are then
        found again when the engine asks for them."""
        self._cache[self._key(doc, hole_index, hints)] = found

    def try_scripts(self, doc: Document, hole_index: int, scripts: Sequence[str | Candidate],
                    budget_s: float = 30.0, *, tools: bool = False) -> Found | None:
        """The first of `scripts` Rocq accepts for the hole (in the session with the
        missing imports when `tools`); a `Candidate` that closes is simplified as in `find`."""
        run = _Run(deadline=time.monotonic() + budget_s, started=time.monotonic())
        if not self._plain.load(doc, hole_index):
            return None
        candidates = [s if isinstance(s, Candidate) else Candidate(s.strip().rstrip(".")) for s in scripts]
        found = self._try(self._plain, candidates, run, None)
        if found is None and tools:
            checker, imports, _ = self._tools_checker(doc, hole_index)
            if checker is not None and imports:
                found = self._try(checker, candidates, run, None, imports)
        return found

    def analyse(self, doc: Document, hole_index: int, hints: Sequence[str] | None = None) -> GoalInfo | None:
        """What the portfolio sees of the hole's goal; None when the prefix or the
        statement does not check."""
        run = _Run(deadline=time.monotonic() + 60.0, started=time.monotonic())
        if not self._plain.load(doc, hole_index):
            return None
        return self._analyse(doc, hole_index, hints, run)

    def open_goals(self, doc: Document, hole_index: int, tactic: str) -> list[Goal] | None:
        """The goals `tactic` leaves on the hole, each with its hypotheses (Rocq prints them
        for the first goal only, so each is brought to the front with `cycle`); None if
        the tactic fails."""
        if not self._plain.load(doc, hole_index):
            return None
        tactic = _sentence(tactic)
        first = self._plain.probe([tactic], self.attempt_timeout)[0]
        if first is None:
            return None
        count = len(first.goals) + len(first.unfocused)
        states = [first] + self._plain.probe([(tactic, f"cycle {k}.") for k in range(1, count)], self.attempt_timeout)
        if any(state is None or not state.goals for state in states):
            return None
        return [state.goals[0] for state in states if state is not None]

    # -- analysis ---------------------------------------------------------------------------

    def _key(self, doc: Document, hole: int, hints: Sequence[str] | None) -> str:
        prefix = "".join(i.leading + i.text for i in doc.items[:hole])
        blob = "\0".join([prefix, doc.items[hole].statement, ",".join(hints or ["<default>"])])
        return hashlib.sha256(blob.encode()).hexdigest()

    def _analyse(self, doc: Document, hole: int, hints: Sequence[str] | None, run: _Run) -> GoalInfo:
        checker = self._plain
        bound = min(self.attempt_timeout, max(1.0, run.left()))
        goal = checker.goal.goals[0].conclusion if checker.goal and checker.goal.goals else ""
        available = [f for f, q in _PROBES.items() if _located(checker.query(q))]
        intro = checker.probe(["intros."], bound)[0]
        hyps = intro.goals[0].hypotheses if intro and intro.goals else []
        conclusion = intro.goals[0].conclusion if intro and intro.goals else goal
        variables = [n for h in hyps if h.body is None for n in h.names]

        texts = [conclusion] + [h.type for h in hyps]
        kinds: dict[str, tuple[str, FixpointInfo | None, bool]] = {}
        unfold: list[str] = []
        unfolded: str | None = None
        for _ in range(3):  # unfold, look at what appears, unfold again
            for name in _identifiers(" ".join(texts), variables):
                if name not in kinds and len(kinds) < 40:
                    kinds[name] = self._classify(name)
            new = [n for n, (kind, _, library) in kinds.items()
                   if kind == "definition" and not library and n not in unfold]
            if not new:
                break
            unfold += new
            state = checker.probe([f"intros; unfold {', '.join(unfold)} in *; simpl in *."], bound)[0]
            if state is None or not state.goals:
                break
            unfolded = state.goals[0].conclusion
            texts = [unfolded] + [h.type for h in state.goals[0].hypotheses]
        fixpoints = [info for kind, info, _ in kinds.values() if kind == "fixpoint" and info is not None]
        seen = " ".join([conclusion, unfolded or ""] + [h.type for h in hyps])
        tests = boolean_tests(conclusion) + boolean_tests(unfolded or "")
        tests = list({" ".join(t[0].split()): t for t in tests}.values())

        # induction candidates: structural arguments of the goal's fixpoints first
        ordered: list[str] = []
        for fix in fixpoints:
            for text in (conclusion, unfolded or ""):
                for app in applications(text, fix.name):
                    if fix.struct is not None and fix.struct < len(app.args):
                        arg = app.args[fix.struct].text
                        if arg in variables and arg not in ordered:
                            ordered.append(arg)
        ordered += [v for v in variables if v not in ordered]
        accepted = checker.probe(
            [f"intros; let T := type of {v} in let S := type of T in "
             f"match S with Prop => fail 1 | _ => induction {v} end." for v in ordered[:5]], bound)
        induction_vars = [v for v, state in zip(ordered, accepted) if state is not None]

        if hints is None:
            hints = []
            i = hole - 1
            while i >= 0 and doc.items[i].kind is ItemKind.LEMMA and len(hints) < 4:
                hints.insert(0, doc.items[i].name.rsplit(".", 1)[-1])
                i -= 1
        # visible by short name: declared at top level or in a module still open here
        scope = doc.items[hole].name.split(".")[:-1]
        lemmas = [item.name.rsplit(".", 1)[-1] for item in doc.items[:hole]
                  if item.kind is ItemKind.LEMMA and item.name.split(".")[:-1] == scope[: item.name.count(".")]
                  and re.fullmatch(r"[A-Za-z_][\w']*", item.name.rsplit(".", 1)[-1])]
        return GoalInfo(
            statement=doc.items[hole].statement, goal=goal, hypotheses=hyps, conclusion=conclusion,
            unfold=unfold, unfolded=unfolded if unfolded != conclusion else None, fixpoints=fixpoints,
            tests=tests, case_splits=bool(re.search(r"\b(?:if|match)\b", seen)) or any(f.has_if for f in fixpoints),
            induction_vars=induction_vars, hints=list(hints), lemmas=list(dict.fromkeys(lemmas))[-8:],
            available=available,
            open_lemmas=sorted({item.name.rsplit(".", 1)[-1] for item in doc.items[:hole] if item.is_hole}),
        )

    def _classify(self, name: str) -> tuple[str, FixpointInfo | None, bool]:
        located = self._plain.query(f"Locate {name}.")
        first = located.strip().splitlines()[0] if located.strip() else ""
        if not first.startswith("Constant "):
            return "other", None, True
        qualid = first.split()[1]
        library = qualid.startswith(("Coq.", "Hammer."))
        kind, info = parse_print(name, self._plain.query(f"Print {name}."))
        return kind, info, library

    # -- the portfolio ----------------------------------------------------------------------

    def _search(self, doc: Document, hole: int, info: GoalInfo, run: _Run) -> Found | None:
        plain_features = frozenset(info.available)
        # Phases share the budget: plain automation first (at most 60 %), CoqHammer's
        # tactics next, and `hammer` itself last with whatever is left.
        budget = run.deadline - run.started
        plain_until = run.started + budget * 0.6
        candidates = [c for c in _portfolio(info, plain_features) if c.requires() <= plain_features]
        found = self._try(self._plain, candidates, run, plain_until)
        if found is not None:
            return found
        checker, imports, added = self._tools_checker(doc, hole, plain_features)
        if checker is None:
            return None
        features = plain_features | added
        candidates = [c for c in _portfolio(info, features) if c.requires() <= features
                      and not c.requires() <= plain_features]
        candidates += _hammer_portfolio(info, features)
        tools_until = run.started + budget * 0.8 if self.hammer and checker.hammer_runs else None
        found = self._try(checker, candidates, run, tools_until, imports)
        if found is None and self.hammer and checker.hammer_runs:
            found = self._hammer(checker, info, run, imports)
        return self._fewer_imports(doc, hole, found, added, run) if found is not None else None

    def _tools_checker(self, doc: Document, hole: int, available: frozenset[str] | None = None
                       ) -> tuple[_Checker | None, tuple[str, ...], frozenset[str]]:
        """The session with the document plus the imports it lacks (the plain one if none),
        with the features those imports add."""
        if available is None:
            available = frozenset(f for f, q in _PROBES.items() if _located(self._plain.query(q)))
        missing = frozenset(_PROBES) - available
        checker, imports = self._checker_for(doc, hole, missing)
        return checker, imports, missing

    def _checker_for(self, doc: Document, hole: int,
                     features: frozenset[str]) -> tuple[_Checker | None, tuple[str, ...]]:
        """The session holding the document plus the imports that add `features`, loaded
        at the hole (None if the document does not check with them)."""
        imports = _imports_for(features)
        if not imports:
            return self._plain, imports
        checker = self._tools.get(imports)
        if checker is None:
            checker = self._tools[imports] = _Checker(self.config, imports)
        return (checker if checker.load(doc, hole) else None), imports

    def _fewer_imports(self, doc: Document, hole: int, found: Found, added: frozenset[str], run: _Run) -> Found:
        """`found` with only the imports its script mentions, if it checks with those alone
        (a plain `lia` proof should not make the solution depend on CoqHammer)."""
        mentioned = Candidate(found.script.rstrip(".")).requires() & added
        if found.needs_import is None or _imports_for(mentioned) == tuple(found.needs_import.split("\n")):
            return found
        checker, imports = self._checker_for(doc, hole, mentioned)
        if checker is None or run.left() < 0.5:
            return found
        run.attempts += 1
        if not checker.attempt(found.script, min(self.attempt_timeout, max(run.left(), 1.0))):
            return found
        return found.model_copy(update={"needs_import": "\n".join(imports) or None, "attempts": run.attempts})

    def _try(self, checker: _Checker, candidates: Sequence[Candidate], run: _Run, until: float | None,
             imports: tuple[str, ...] = ()) -> Found | None:
        seen: set[str] = set()
        for candidate in candidates:
            if candidate.script in seen:
                continue
            seen.add(candidate.script)
            left = run.left(until)
            if left < 0.5:
                return None
            run.attempts += 1
            began = time.monotonic()
            bound = self.quick_timeout if candidate.quick else self.attempt_timeout
            ok = checker.attempt(candidate.script, min(bound, left))
            log.debug("attempt", script=candidate.script, ok=ok, seconds=round(time.monotonic() - began, 3),
                      imports=imports)
            if not ok:
                continue
            best = candidate
            for single in candidate.singles():  # the simplest script that checks
                if run.left() < 0.5:
                    break
                run.attempts += 1
                if checker.attempt(single.script, min(self.attempt_timeout, run.left())):
                    best = single
                    break
            return Found(script=best.script, strategy=best.strategy, attempts=run.attempts,
                         seconds=round(time.monotonic() - run.started, 3),
                         needs_import="\n".join(imports) or None)
        return None

    def _hammer(self, checker: _Checker, info: GoalInfo, run: _Run, imports: tuple[str, ...]) -> Found | None:
        left = run.left()
        if left < self.hammer_min_s:
            return None
        atp = int(max(5, min(20, (left - 20) / 2)))  # extraction and reconstruction need the rest
        run.attempts += 1
        messages = checker.run(
            ["From Hammer Require Import Hammer.", f"Set Hammer ATPLimit {atp}.", checker.statement, "Proof.",
             "hammer."], left)
        script = _reconstruction(messages or [])
        if script is None:
            return None
        left = run.left()
        if left < 0.5:
            return None
        run.attempts += 1
        if not checker.attempt(script, min(self.attempt_timeout, left)):
            log.info("hammer_reconstruction_rejected", script=script)
            return None
        return Found(script=script, strategy="hammer", attempts=run.attempts,
                     seconds=round(time.monotonic() - run.started, 3), needs_import="\n".join(imports) or None)


def _imports_for(features: frozenset[str]) -> tuple[str, ...]:
    imports: list[str] = []
    libraries = [_COQ_LIBRARY[f] for f in ("arith", "lia", "list") if f in features]
    if libraries:
        imports.append(f"From Coq Require Import {' '.join(libraries)}.")
    if "hammer" in features:
        imports.append(_HAMMER_IMPORT)
    return tuple(imports)


def _located(text: str) -> bool:
    return bool(text.strip()) and not text.lstrip().startswith("No ")


def _identifiers(text: str, bound: Sequence[str]) -> list[str]:
    names: list[str] = []
    for m in _IDENT.finditer(text):
        word = m.group()
        if word not in _KEYWORDS and word not in bound and word not in names:
            names.append(word)
    return names


_RECONSTRUCTION = re.compile(r"Replace the hammer tactic with:\s*(?P<tactic>.+?\.)\s*$", re.S)


def _reconstruction(messages: Sequence[str]) -> str | None:
    for message in messages:
        m = _RECONSTRUCTION.search(message)
        if m:
            return " ".join(m.group("tactic").split())
    return None


def _fast(features: frozenset[str]) -> tuple[str, ...]:
    return ("reflexivity", "lia", "congruence", "auto", "easy") if "lia" in features else (
        "reflexivity", "congruence", "auto", "easy")


def _portfolio(info: GoalInfo, features: frozenset[str]) -> Iterator[Candidate]:
    """The plain (CoqHammer-free) portfolio, cheapest first."""
    fast = _fast(features)
    closers = tuple(c for c in CLOSERS if c != "lia" or "lia" in features)
    unfold = f"unfold {', '.join(info.unfold)} in *; " if info.unfold else ""
    bools = f"; {_BOOL_REWRITES}" if "arith" in features else ""
    norm = f"; {_LIST_NORM}" if "list" in features else "; try (autorewrite with list in *); simpl in *"

    for c in closers:
        yield Candidate("", (c,), quick=True)
    for c in closers:
        yield Candidate("intros; simpl in *", (c,), quick=True)
    if unfold:
        yield Candidate(f"intros; {unfold}simpl in *", fast)
        yield Candidate(f"intros; {unfold}cbn in *", fast)
        for c in ("eauto", "intuition", "firstorder"):
            yield Candidate(f"intros; {unfold}simpl in *", (c,))
    yield Candidate(f"intros; {unfold}simpl in *{norm}", fast)

    for text, op, left, right in info.tests[:4]:
        yield Candidate(f"intros; {unfold}destruct ({text}) eqn:E; simpl in *{bools}", fast)
        if "arith" in features:
            yield Candidate(f"intros; {unfold}destruct ({_SPEC_OF[op]} {_paren(left)} {_paren(right)}); simpl in *",
                            fast)
    if info.case_splits or info.tests:
        if "arith" in features:
            yield Candidate(f"intros; {unfold}simpl in *; {_SPLIT_SPECS}; simpl in *", fast)
        yield Candidate(f"intros; {unfold}simpl in *; {_SPLIT_IFS}{bools}", fast)
        yield Candidate(f"intros; {unfold}simpl in *; {_SPLIT_MATCHES}{bools}", fast)

    for h in info.hints:
        yield Candidate(f"intros; {unfold}try rewrite {h}; simpl in *{norm}", fast)
        yield Candidate(f"intros; {unfold}try rewrite <- {h}; simpl in *{norm}", fast)
    if info.hints:
        yield Candidate(f"intros; {unfold}simpl in *", (f"eauto using {', '.join(info.hints)}",))

    for v in info.induction_vars[:3]:
        others = [w for w in info.variables if w != v]
        generalize = "".join(f"generalize dependent {w}; " for w in reversed(others))
        ih = f"try rewrite IH{v}"
        for unf in dict.fromkeys(["", unfold]):
            base = f"intros; {unf}induction {v}; simpl in *"
            gen = f"intros; {unf}{generalize}induction {v}; intros; simpl in *"
            yield Candidate(f"{base}; {ih}", fast)
            if generalize:
                yield Candidate(f"{gen}; {ih}", fast)
            yield Candidate(f"{base}; {ih}{norm}", fast)
            if generalize:
                yield Candidate(f"{gen}; {ih}{norm}", fast)
                # an IH quantified over an accumulator may be needed on both sides
                yield Candidate(f"{gen}; {ih}; symmetry; {ih}{norm}", fast)
            if info.case_splits or info.tests:
                yield Candidate(f"{base}; {_SPLIT_IFS}{bools}; {ih}", fast)
            for h in info.hints:
                yield Candidate(f"{base}; try rewrite {h}; {ih}", fast)
                yield Candidate(f"{base}; try rewrite {h}; {ih}{norm}", fast)
            if info.hints:
                yield Candidate(base, (f"eauto using {', '.join(info.hints)}",))


def _hammer_portfolio(info: GoalInfo, features: frozenset[str]) -> list[Candidate]:
    """CoqHammer's tactics, cheapest first (`hammer` itself is run separately)."""
    if "hammer" not in features:
        return []
    lemmas = list(dict.fromkeys(info.hints + info.lemmas))[-8:]
    unfold = f" unfold: {', '.join(info.unfold)}" if info.unfold else ""
    out = [Candidate("sauto"), Candidate("hauto")]
    # Lemmas that are proved first; then with the holes too (such a proof is conditional).
    proved = [lemma for lemma in lemmas if lemma not in info.open_lemmas]
    for chosen in ([proved, lemmas] if proved != lemmas else [lemmas]):
        use = f" use: {', '.join(chosen)}" if chosen else ""
        if use:
            out.append(Candidate(f"sauto{use}"))
        if unfold:
            out.append(Candidate(f"sauto{use}{unfold}"))
        for v in info.induction_vars[:2]:
            out.append(Candidate(f"induction {v}; sauto{use}{unfold}"))
            out.append(Candidate(f"intros; induction {v}; sauto{use}{unfold}"))
    return list(dict.fromkeys(out))


def _paren(term: str) -> str:
    term = term.strip()
    return term if re.fullmatch(r"[\w'.]+|\(.*\)|\[.*\]", term) else f"({term})"


# -- standalone lemmas -------------------------------------------------------------------------

_THEOREM = re.compile(r"^\s*(?:Theorem|Lemma|Fact|Remark|Corollary|Proposition|Example)\b")


def find_for_statement(prelude: str, statement: str, *, config: SessionConfig | None = None, budget_s: float = 60.0,
                       attempt_timeout: float = 10.0, search: ProofSearch | None = None) -> Found | None:
    """Prove one lemma after `prelude` (Rocq source). `statement` is a full `Lemma x : P.`
    or just the proposition `P`. Reuses `search`'s sessions when given."""
    statement = statement.strip()
    if not _THEOREM.match(statement):
        statement = f"Lemma goal : {statement.rstrip('.')}."
    elif not statement.endswith("."):
        statement += "."
    doc = Document.from_source(f"{prelude.rstrip()}\n\n{statement}\nAdmitted.\n")
    hole = max(i for i, item in enumerate(doc.items) if item.is_hole)
    own = search is None
    search = search or ProofSearch(config or SessionConfig(), attempt_timeout)
    try:
        return search.find(doc, hole, budget_s)
    finally:
        if own:
            search.close()
