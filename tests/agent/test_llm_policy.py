"""The `llm` policy with the REAL Anthropic and OpenAI SDK clients, pointed at a local stub
server that speaks their wire formats (see `stub_llm_server.py`). No real network: the
autouse fixture in conftest.py turns the kill switch on."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from idsynth.agent.llm import (
    AnthropicClient, FakeClient, LLMCall, LLMError, LLMPolicy, LLMRejected, LLMUnavailable, OpenAIClient,
    PriceTable, ReplyError, forbid_real_network, load_prices, make_llm_policy, parse_move, real_network_forbidden,
    render_choose, render_design, render_propose,
)
from idsynth.agent.llm.prompts import MOVE_SCHEMA, number_lines
from idsynth.agent.policy import Policy, PolicyStopped
from idsynth.agent.types import (
    Decompose, Define, Design, Helper, HistoryEntry, Observation, PostMortem, Prove, RetrievedLemma, Revert,
    Usage,
)
from idsynth.rocq.types import Failure, Goal, Hole, Hypothesis, ProofState, Span

from .stub_llm_server import (
    Scripted, StubLLMServer, anthropic_error, anthropic_text, anthropic_tool_use, openai_content, openai_error,
    openai_tool_call,
)

pytestmark = pytest.mark.unit  # pure Python, starts no checker (tests/tiers.py enforces it)

# Retry waits: the SDKs honour `retry-after-ms` (a positive `retry-after: 0` alone would
# fall back to their 0.5 s backoff), so scripted 429/5xx ask for 10 ms.
FAST_RETRY = {"retry-after-ms": "10", "retry-after": "0"}

PRICES = {"anthropic": ("claude-sonnet-4-6", 3.0, 15.0), "openai": ("gpt-4o-mini", 0.15, 0.60)}


# -- observations ------------------------------------------------------------------------

GOAL_TEXT = "forall l : list nat, length (rev_fast l) = length l"
HYP_TEXT = "IHl : length (rev_fast l) = length l"
FAIL_GOAL = "rev_fast (a :: l) = rev l ++ [a]"
ERROR_TEXT = "Unable to unify \"S (length l)\" with \"length l\"."
SUMMARY_TEXT = "holes 3 -> 2; goal left: length (rev_fast l) = length l"


def _obs(feedback: str = "rich") -> Observation:
    span = Span(start=100, end=140, line=12, column=3)
    hole = Hole(
        item="rev_length", item_index=5, statement="forall l, length (rev_fast l) = length l", location=span,
        proof_state=ProofState(goals=[Goal(
            hypotheses=[Hypothesis(names=["a"], type="nat"), Hypothesis(names=["l"], type="list nat"),
                        Hypothesis(names=["IHl"], type="length (rev_fast l) = length l")],
            conclusion=GOAL_TEXT)]),
    )
    failure = Failure(
        item="rev_app", item_index=6, sentence="rewrite IHl.", message=ERROR_TEXT,
        location=Span(start=200, end=212, line=20, column=5),
        proof_state_before=ProofState(goals=[Goal(hypotheses=[Hypothesis(names=["a"], type="nat")],
                                                  conclusion=FAIL_GOAL)]),
    )
    return Observation(
        spec_name="stack", spec_text="Module Type SIG.\n  Parameter rev_fast : list nat -> list nat.\nEnd SIG.",
        signature="SIG", correctness="CORRECT",
        document="Module Impl <: SIG.\n  Definition rev_fast := @rev nat.\nEnd Impl.\n"
                 "Module ImplProofs <: CORRECT Impl.\n  Lemma rev_length : forall l, length (rev_fast l) = length l."
                 "\n  Admitted.\nEnd ImplProofs.",
        version=3, branch=0, design="list", feedback=feedback, accepted=False,
        # The engine leaves these empty in binary mode; the renderer must hide them anyway.
        holes=[hole], failure=failure,
        history=[HistoryEntry(move=Prove(hole="rev_app", script="induction l; simpl; rewrite IHl."),
                              outcome="applied", summary=SUMMARY_TEXT)],
        notes=["outer agent says: try strengthening the induction"],
        retrieved=[RetrievedLemma(name="app_length", statement="forall l l', length (l ++ l') = ...",
                                  source="search")],
        throughput={"list": 12000.0},
    )


LEAKS = [GOAL_TEXT, HYP_TEXT, FAIL_GOAL, ERROR_TEXT, SUMMARY_TEXT, "app_length", "outer agent says", "[applied]"]


def test_rich_feedback_shows_goals_failure_and_history() -> None:
    user = render_choose(_obs("rich")).user
    for text in [GOAL_TEXT, HYP_TEXT, FAIL_GOAL, ERROR_TEXT, SUMMARY_TEXT, "app_length", "outer agent says", "[applied]",
                 "line 20, column 5", "rewrite IHl.", "12,000 ops/s"]:
        assert text in user, text


def test_binary_feedback_shows_only_acceptance() -> None:
    obs = _obs("binary")
    for prompt in (render_choose(obs), render_propose(obs), render_design(obs, [PostMortem(
            branch=0, design="list", representation="list", stuck_on=GOAL_TEXT, why=ERROR_TEXT, moves=9)])):
        text = prompt.system + prompt.user
        for leak in LEAKS:
            assert leak not in text, leak
    user = render_choose(obs).user
    assert "NOT accepted" in user
    assert number_lines(obs.document) in user       # its own work stays visible...
    # ...and its own moves whole, with the one bit each got, not the checker's summary
    assert "[accepted] prove `rev_app`" in user and "induction l; simpl; rewrite IHl." in user


# -- wire formats per provider -----------------------------------------------------------


def _client(provider: str, stub: StubLLMServer, **kw: Any) -> AnthropicClient | OpenAIClient:
    kw = {"timeout": 5.0, "max_retries": 2, **kw}
    if provider == "anthropic":
        return AnthropicClient(model=PRICES[provider][0], api_key="test-key", base_url=stub.url, **kw)
    return OpenAIClient(model=PRICES[provider][0], api_key="test-key", base_url=stub.url + "/v1", **kw)


def _reply(provider: str, payload: dict[str, Any], tokens: tuple[int, int]) -> Scripted:
    if provider == "anthropic":
        return anthropic_tool_use(payload, tokens=tokens)
    return openai_content(json.dumps(payload), tokens=tokens)


def _prose(provider: str, text: str, tokens: tuple[int, int]) -> Scripted:
    return anthropic_text(text, tokens=tokens) if provider == "anthropic" else openai_content(text, tokens=tokens)


def _error(provider: str, status: int, message: str, headers: dict[str, str] | None = None) -> Scripted:
    make = anthropic_error if provider == "anthropic" else openai_error
    return make(status, "rate_limit_error" if status == 429 else "api_error", message, headers)


def _dollars(provider: str, tokens_in: int, tokens_out: int) -> float:
    _, pin, pout = PRICES[provider]
    return (tokens_in * pin + tokens_out * pout) / 1e6


PROVIDERS = pytest.mark.parametrize("provider", ["anthropic", "openai"])
PROVE = {"move": {"kind": "prove", "hole": "rev_length", "script": "induction l; simpl; lia.",
                  "rationale": "length is preserved"}}


@PROVIDERS
def test_valid_reply_gives_move_tokens_and_dollars(provider: str, stub_llm: StubLLMServer) -> None:
    calls: list[LLMCall] = []
    policy = LLMPolicy(_client(provider, stub_llm), PRICES[provider][0], on_call=calls.append)
    assert isinstance(policy, Policy) and policy.name == f"llm:{PRICES[provider][0]}" and policy.kind == "llm"
    stub_llm.enqueue(_reply(provider, PROVE, tokens=(1200, 80)))

    reply = policy.choose(_obs())

    assert reply.move == Prove(hole="rev_length", script="induction l; simpl; lia.", rationale="length is preserved")
    assert (reply.usage.tokens_in, reply.usage.tokens_out) == (1200, 80)
    assert reply.usage.dollars == pytest.approx(_dollars(provider, 1200, 80))
    assert reply.note == "length is preserved"
    assert [(c.attempt, c.tokens_in, c.error, c.price_known) for c in calls] == [(1, 1200, None, True)]
    assert calls[0].dollars == pytest.approx(reply.usage.dollars) and calls[0].raw_id
    [(record, usage)] = policy.drain_calls()  # what the engine writes to the transcript
    assert record == calls[0].model_dump() and usage == reply.usage
    assert policy.drain_calls() == []

    [req] = stub_llm.requests
    auth = req.headers.get("x-api-key") or req.headers.get("authorization", "")
    assert "test-key" in auth
    if provider == "anthropic":
        assert req.path == "/v1/messages"
        assert req.body["tools"][0]["input_schema"] == MOVE_SCHEMA
        # claude-sonnet-4-6 thinks (adaptive) by default: the tool is offered, not forced.
        assert req.body["tool_choice"] == {"type": "auto"} and req.body["thinking"] == {"type": "adaptive"}
        assert "deductive agent" in req.body["system"][0]["text"]
        assert GOAL_TEXT in "".join(b["text"] for b in req.body["messages"][0]["content"])
    else:
        assert req.path == "/v1/chat/completions"
        assert req.body["response_format"]["type"] == "json_schema"
        assert req.body["response_format"]["json_schema"]["schema"] == MOVE_SCHEMA
        assert req.body["messages"][0]["role"] == "system" and GOAL_TEXT in req.body["messages"][1]["content"]


def test_openai_forced_tool_call_reply(stub_llm: StubLLMServer) -> None:
    policy = LLMPolicy(_client("openai", stub_llm, mode="tool"))
    stub_llm.enqueue(openai_tool_call('{"move": {"kind": "revert", "version": 1}}', tokens=(50, 10)))
    reply = policy.choose(_obs())
    assert reply.move == Revert(version=1)
    assert stub_llm.requests[0].body["tool_choice"] == {"type": "function", "function": {"name": "reply"}}


@PROVIDERS
def test_invalid_replies_are_fed_back_and_all_attempts_counted(provider: str, stub_llm: StubLLMServer) -> None:
    calls: list[LLMCall] = []
    policy = LLMPolicy(_client(provider, stub_llm), PRICES[provider][0], on_call=calls.append)
    stub_llm.enqueue(
        _prose(provider, "I would prove this by induction on l.", tokens=(1000, 30)),
        _reply(provider, {"move": {"kind": "induct", "hole": "rev_length"}}, tokens=(1100, 20)),
        _reply(provider, PROVE, tokens=(1200, 80)),
    )

    reply = policy.choose(_obs())

    assert isinstance(reply.move, Prove)
    assert (reply.usage.tokens_in, reply.usage.tokens_out) == (3300, 130)
    assert reply.usage.dollars == pytest.approx(_dollars(provider, 3300, 130))
    assert "after 2 invalid replies" in reply.note
    assert [c.error is None for c in calls] == [False, False, True]
    assert calls[0].error.startswith("not JSON") and "unknown move kind 'induct'" in calls[1].error
    drained = policy.drain_calls()
    assert [r["attempt"] for r, _ in drained] == [1, 2, 3]
    assert sum((u for _, u in drained), start=Usage()) == reply.usage

    def conversation(i: int) -> list[dict[str, Any]]:
        msgs = stub_llm.requests[i].body["messages"]
        return msgs if provider == "anthropic" else msgs[1:]  # OpenAI: the system prompt first

    second, third = conversation(1), conversation(2)
    assert [m["role"] for m in third] == ["user", "assistant", "user", "assistant", "user"]
    assert second[1]["content"] == "I would prove this by induction on l."
    assert "not JSON" in second[2]["content"]
    assert "unknown move kind 'induct'" in third[4]["content"]


def test_too_many_invalid_replies_give_no_move(stub_llm: StubLLMServer) -> None:
    policy = LLMPolicy(_client("anthropic", stub_llm), max_invalid_replies=2)
    stub_llm.enqueue(anthropic_text("no idea", tokens=(10, 1)),
                     anthropic_tool_use({"move": {"kind": "prove", "hole": "h"}}, tokens=(10, 1)))
    reply = policy.choose(_obs())
    assert reply.move is None
    assert reply.note.startswith("invalid replies: not JSON") and "script: Field required" in reply.note
    assert reply.usage.tokens_in == 20 and len(stub_llm.requests) == 2


@PROVIDERS
def test_rate_limit_and_server_error_are_retried_by_the_sdk(provider: str, stub_llm: StubLLMServer) -> None:
    policy = LLMPolicy(_client(provider, stub_llm, max_retries=2), PRICES[provider][0])
    stub_llm.enqueue(_error(provider, 429, "rate limited", FAST_RETRY))
    stub_llm.enqueue(_reply(provider, PROVE, tokens=(1200, 80)))
    reply = policy.choose(_obs())
    assert isinstance(reply.move, Prove) and reply.usage.tokens_in == 1200
    assert len(stub_llm.requests) == 2
    assert stub_llm.requests[1].headers.get("x-stainless-retry-count") == "1"

    stub_llm.enqueue(_error(provider, 500, "boom", FAST_RETRY), _error(provider, 429, "slow", FAST_RETRY),
                     _reply(provider, PROVE, tokens=(1, 1)))
    assert isinstance(policy.choose(_obs()).move, Prove)
    assert len(stub_llm.requests) == 5


@PROVIDERS
def test_timeout_after_retries_is_llm_unavailable_and_the_policy_stalls(provider: str,
                                                                          stub_llm: StubLLMServer) -> None:
    # Decision: the client raises LLMUnavailable; the policy waits and asks again within its
    # patience (never a stall), then raises PolicyStopped, keeping the exception in `last_error`.
    client = _client(provider, stub_llm, timeout=0.3, max_retries=1)
    stub_llm.enqueue(Scripted(delay=5, body={}), Scripted(delay=5, body={}))
    # No wall-clock assert: had the client waited for the 5 s replies it would have read
    # their body, not reported "no answer within 0.3s".
    with pytest.raises(LLMUnavailable, match=r"no answer within 0.3s, after 1 retry"):
        client.complete("system", [{"role": "user", "content": "hi"}], MOVE_SCHEMA)
    assert len(stub_llm.requests) == 2

    calls: list[LLMCall] = []
    policy = LLMPolicy(_client(provider, stub_llm, timeout=0.3, max_retries=0), on_call=calls.append, patience=0)
    stub_llm.enqueue(Scripted(delay=5, body={}))
    with pytest.raises(PolicyStopped, match="llm unavailable"):
        policy.choose(_obs())
    assert isinstance(policy.last_error, LLMUnavailable)
    assert calls[0].error and calls[0].tokens_in == 0
    assert len(stub_llm.requests) == 3


@PROVIDERS
def test_bad_key_is_rejected_without_retry(provider: str, stub_llm: StubLLMServer) -> None:
    waits: list[float] = []
    policy = LLMPolicy(_client(provider, stub_llm, max_retries=3), sleep=waits.append)
    stub_llm.enqueue(_error(provider, 401, "invalid x-api-key"))
    with pytest.raises(PolicyStopped, match=r"llm rejected: .*HTTP 401: invalid x-api-key"):
        policy.choose(_obs())
    assert isinstance(policy.last_error, LLMRejected) and policy.last_error.status == 401
    assert len(stub_llm.requests) == 1 and waits == []  # at once: no SDK retry, no wait


def test_design_and_propose_roles(stub_llm: StubLLMServer) -> None:
    policy = LLMPolicy(_client("anthropic", stub_llm))
    define = {"kind": "define", "name": "rev_fast", "text": "Definition rev_fast := @rev nat."}
    stub_llm.enqueue(
        anthropic_tool_use({"design": {"name": "plain-list", "representation": "list", "moves": [define]}},
                           tokens=(500, 50)),
        anthropic_tool_use({"design": None}, tokens=(10, 2)),
        anthropic_tool_use({"proposal": {"move": {"kind": "decompose", "hole": "rev_length", "script": "auto.",
                                                  "helpers": [{"name": "h1", "statement": "True"}]},
                                         "note": "split"}}, tokens=(700, 60)),
    )
    not_decompose = {"proposal": {"move": {"kind": "prove", "hole": "x", "script": "auto."}}}
    stub_llm.enqueue(*[anthropic_tool_use(not_decompose) for _ in range(3)])
    design = policy.design(_obs(), [])
    assert design == Design(name="plain-list", representation="list", moves=[Define(**define)])
    assert policy.design(_obs(), []) is None
    proposal = policy.propose(_obs())
    assert proposal.move == Decompose(hole="rev_length", script="auto.", helpers=[Helper(name="h1", statement="True")])
    assert "reloader" in stub_llm.requests[0].body["system"][0]["text"]
    # A proposal must be a decompose move: three such replies and the proposer gives up.
    empty = policy.propose(_obs())
    assert empty.move is None and empty.note.startswith("invalid replies: a proposal's move must be a decompose")
    assert empty.abandon is False  # a failure to answer, not a judgement that the design is stuck
    assert policy.usage.tokens_in >= 500 + 10 + 700


# -- prices --------------------------------------------------------------------------------


def test_unknown_model_costs_nothing_and_says_so(stub_llm: StubLLMServer) -> None:
    calls: list[LLMCall] = []
    client = AnthropicClient(model="claude-unreleased-9", api_key="k", base_url=stub_llm.url)
    policy = LLMPolicy(client, on_call=calls.append)
    stub_llm.enqueue(anthropic_tool_use(PROVE, tokens=(1000, 100)))
    reply = policy.choose(_obs())
    assert reply.usage.tokens_in == 1000 and reply.usage.dollars == 0.0
    assert "price unknown for claude-unreleased-9" in reply.note
    assert calls[0].price_known is False


def test_price_table_lookup_and_overrides(tmp_path: Path) -> None:
    table = PriceTable()
    assert table.lookup("claude-sonnet-4-5-20250929") == table.lookup("claude-sonnet-4-5")
    assert table.lookup("gpt-4o-mini-2024-07-18").input == 0.15   # not gpt-4o's price
    assert table.lookup("gpt-5.9") is None and table.lookup("o3-mini") is None
    assert table.cost("gpt-4o", 1_000_000, 1_000_000).dollars == pytest.approx(12.5)
    assert table.cost("mystery", 10, 10).known is False

    assert load_prices({"my-local-model": {"input": 0, "output": 0}}).cost("my-local-model", 5, 5).known
    toml = tmp_path / "prices.toml"
    toml.write_text('["claude-sonnet-4-5"]\ninput = 1.0\noutput = 2.0\n')
    assert load_prices(toml).cost("claude-sonnet-4-5", 1_000_000, 0).dollars == pytest.approx(1.0)
    with pytest.raises(LLMError, match="bad price"):
        PriceTable({"x": {"input": -1, "output": 0}})


# -- parsing ---------------------------------------------------------------------------------


def test_parse_tolerates_fences_and_prose_and_explains_errors() -> None:
    fenced = 'Here is my move:\n```json\n{"move": {"kind": "revert", "version": 2}}\n```\nGood luck.'
    assert parse_move(fenced) == Revert(version=2)
    assert parse_move('Sure. {"move": {"kind": "revert", "version": 0}} — done') == Revert(version=0)
    for text, message in [
        ("", "not JSON"), ("[1, 2]", "expected a JSON object"),
        ('{"move": {"kind": "jump"}}', "unknown move kind 'jump'"),
        ('{"move": {"kind": "revert", "version": -1}}', "invalid revert move: version: Input should be greater"),
        ('{"move": {"kind": "define", "name": "f"}}', "invalid define move: text: Field required"),
    ]:
        with pytest.raises(ReplyError, match=message) as e:
            parse_move(text)
        assert "\n" not in e.value.message


def test_fake_client_drives_the_policy_without_network() -> None:
    fake = FakeClient(['{"move": {"kind": "revert", "version": 1}}'])
    reply = LLMPolicy(fake).choose(_obs())
    assert reply.move == Revert(version=1) and reply.usage.tokens_in == 100
    assert fake.requests[0]["schema"] == MOVE_SCHEMA


# -- the kill switch and the factory ------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda url: AnthropicClient(model="m", api_key="k", base_url=url),
    lambda url: OpenAIClient(model="m", api_key="k", base_url=url),
])
def test_kill_switch_refuses_non_loopback(make: Callable[[str | None], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    assert real_network_forbidden()
    for url in ["https://api.anthropic.com", "https://api.openai.com/v1", "http://10.0.0.1:8000/v1",
                "http://127.0.0.1.example.com/v1"]:
        with pytest.raises(LLMError, match="real network calls are disabled"):
            make(url)
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(LLMError, match="real network calls are disabled"):
        make(None)  # the SDK's default endpoint is not loopback either
    for url in ["http://127.0.0.1:9/v1", "http://127.3.2.1:9", "http://localhost:11434/v1", "http://[::1]:8000"]:
        make(url).close()


def test_factory_reads_keys_from_the_environment(monkeypatch: pytest.MonkeyPatch, stub_llm: StubLLMServer) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(LLMError, match="set OPENAI_API_KEY"):
        make_llm_policy("openai", "gpt-4o-mini")
    make_llm_policy("openai", "qwen", base_url=stub_llm.url + "/v1").close()  # a local server needs no key
    with pytest.raises(LLMError, match="real network calls are disabled"):
        make_llm_policy("anthropic", "claude-sonnet-4-5", api_key="k", base_url="https://api.anthropic.com")

    monkeypatch.setenv("ANTHROPIC_API_KEY", "env-key")
    policy = make_llm_policy("anthropic", "claude-sonnet-4-6", base_url=stub_llm.url, max_retries=0,
                             prices={"claude-sonnet-4-6": {"input": 1.0, "output": 1.0}})
    stub_llm.enqueue(anthropic_tool_use(PROVE, tokens=(1_000_000, 0)))
    reply = policy.choose(_obs())
    assert reply.usage.dollars == pytest.approx(1.0)
    headers = stub_llm.requests[0].headers
    assert "env-key" in (headers.get("x-api-key") or headers.get("authorization", ""))
    policy.close()


def test_forbid_real_network_without_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IDSYNTH_FORBID_NETWORK")
    assert not real_network_forbidden()
    OpenAIClient(model="m", api_key="k", base_url="https://example.invalid/v1").close()  # built, never used
    forbid_real_network()
    try:
        with pytest.raises(LLMError, match="real network calls are disabled"):
            OpenAIClient(model="m", api_key="k", base_url="https://example.invalid/v1")
    finally:
        forbid_real_network(False)
    assert not real_network_forbidden()
