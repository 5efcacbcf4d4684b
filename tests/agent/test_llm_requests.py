"""What the `llm` policy sends and how it copes, through the REAL Anthropic and OpenAI SDKs
against the local stub server: thinking / effort per model family, the reply limit, cache
breakpoints, the output mode, the schema sent once, truncated replies, an overloaded or
refusing provider, the model's plan, the prompt's memory and its trimming to a window."""

from __future__ import annotations

import json
from typing import Any

import pytest

from idsynth.agent.llm import (
    AnthropicClient, FakeClient, LLMPolicy, LLMSettings, OpenAIClient, PriceTable, SettingsError,
)
from idsynth.agent.llm.prompts import MOVE_SCHEMA, document_blocks, number_lines, render_choose, trim_prompt
from idsynth.agent.llm.types import Completion
from idsynth.agent.policy import PolicyStopped
from idsynth.agent.types import HistoryEntry, Observation, Prove

from .stub_llm_server import (
    Scripted, StubLLMServer, anthropic_error, anthropic_message, anthropic_tool_use, openai_completion,
    openai_content, openai_error,
)
from .test_llm_policy import ERROR_TEXT, PROVE, _obs

FAST_RETRY = {"retry-after-ms": "10", "retry-after": "0"}
SCHEMA_MARK = '"$defs"'  # only the JSON schema has it


def _anthropic(stub: StubLLMServer, model: str, **settings: Any) -> AnthropicClient:
    return AnthropicClient(model=model, api_key="k", base_url=stub.url, max_retries=0,
                           settings=LLMSettings(**settings))


def _openai(stub: StubLLMServer, model: str, *, compatible: bool = False, **settings: Any) -> OpenAIClient:
    """`compatible=False`: the stub stands for OpenAI itself."""
    return OpenAIClient(model=model, api_key=None if compatible else "k", base_url=stub.url + "/v1",
                        max_retries=0, settings=LLMSettings(**settings), compatible=compatible)


# -- request bodies per provider ---------------------------------------------------------


def test_anthropic_46_thinks_adaptively_with_high_effort_and_caches_the_stable_prefix(stub_llm):
    policy = LLMPolicy(_anthropic(stub_llm, "claude-sonnet-4-6"))
    stub_llm.enqueue(anthropic_tool_use(PROVE))
    policy.choose(_obs())
    body = stub_llm.requests[0].body
    assert body["thinking"] == {"type": "adaptive"} and body["output_config"] == {"effort": "high"}
    assert body["max_tokens"] == 48_000
    assert body["tool_choice"] == {"type": "auto"}  # forced tool use is incompatible with thinking
    assert "temperature" not in body
    # Cache breakpoints (4 at most): the system prompt; the task; the settled document
    # before the first hole; the rest of the document. Never the volatile tail.
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    blocks = body["messages"][0]["content"]
    marked = [b["text"] for b in blocks if "cache_control" in b]
    assert len(marked) == 3 and "# Specification" in marked[0]
    assert "## Document" in blocks[1]["text"] and marked[2].split("| ", 1)[1].strip().startswith("Lemma rev_length")
    assert "cache_control" not in blocks[-1] and "## Checker" in blocks[-1]["text"]
    assert "Choose the next move." in blocks[-1]["text"]
    # The schema is sent once: in the tool, not in the system prompt.
    assert body["tools"][0]["input_schema"] == MOVE_SCHEMA and SCHEMA_MARK not in body["system"][0]["text"]
    # The reply starts with the analysis, then the move.
    assert list(MOVE_SCHEMA["properties"])[0] == "analysis" and "analysis" in MOVE_SCHEMA["required"]


def test_anthropic_45_gets_a_thinking_budget_and_off_means_a_forced_tool(stub_llm):
    stub_llm.enqueue(anthropic_tool_use(PROVE), anthropic_tool_use(PROVE), anthropic_tool_use(PROVE))
    LLMPolicy(_anthropic(stub_llm, "claude-sonnet-4-5-20250929")).choose(_obs())
    LLMPolicy(_anthropic(stub_llm, "claude-sonnet-4-5", thinking="off", max_output_tokens=9000)).choose(_obs())
    LLMPolicy(_anthropic(stub_llm, "claude-opus-4-1", thinking=4096, effort="low")).choose(_obs())
    default, off, budget = (r.body for r in stub_llm.requests)
    assert default["thinking"] == {"type": "enabled", "budget_tokens": 16_000} and default["max_tokens"] == 48_000
    assert default["tool_choice"] == {"type": "auto"} and "output_config" not in default
    assert "thinking" not in off and off["tool_choice"] == {"type": "tool", "name": "reply"}
    assert off["max_tokens"] == 9000
    assert budget["thinking"] == {"type": "enabled", "budget_tokens": 4096} and budget["max_tokens"] == 32_000
    assert budget["output_config"] == {"effort": "low"}


def test_settings_the_provider_would_reject_are_refused_before_any_request():
    with pytest.raises(SettingsError, match="temperature"):
        AnthropicClient(model="claude-sonnet-4-6", api_key="k", base_url="http://127.0.0.1:9",
                        settings=LLMSettings(temperature=0.3))
    with pytest.raises(SettingsError, match="below the reply limit"):
        AnthropicClient(model="claude-sonnet-4-5", api_key="k", base_url="http://127.0.0.1:9",
                        settings=LLMSettings(thinking=20_000, max_output_tokens=8000))
    with pytest.raises(SettingsError, match="reasoning model"):
        OpenAIClient(model="o3", api_key="k", base_url="http://127.0.0.1:9/v1", compatible=False,
                     settings=LLMSettings(temperature=0.3))


def test_openai_reasoning_model_gets_effort_and_a_large_completion_limit(stub_llm):
    stub_llm.enqueue(openai_content(json.dumps(PROVE)), openai_content(json.dumps(PROVE)))
    LLMPolicy(_openai(stub_llm, "gpt-5")).choose(_obs())
    LLMPolicy(_openai(stub_llm, "gpt-4.1", effort=None, temperature=0.1)).choose(_obs())
    gpt5, gpt41 = (r.body for r in stub_llm.requests)
    assert gpt5["reasoning_effort"] == "medium" and gpt5["max_completion_tokens"] == 32_000
    assert gpt5["response_format"]["type"] == "json_schema" and "temperature" not in gpt5
    assert gpt5["response_format"]["json_schema"]["schema"] == MOVE_SCHEMA
    assert SCHEMA_MARK not in gpt5["messages"][0]["content"]  # sent once, as the response format
    assert "reasoning_effort" not in gpt41 and gpt41["max_completion_tokens"] == 16_384
    assert gpt41["temperature"] == 0.1


@pytest.mark.parametrize("mode", ["json_schema", "tool", "text"])
def test_compatible_server_needs_no_key_and_takes_each_output_mode(mode, stub_llm):
    client = _openai(stub_llm, "qwen2.5-coder", compatible=True, output_mode=mode, max_output_tokens=4000,
                     temperature=0.0)
    reply = json.dumps(PROVE)
    if mode == "tool":
        call = {"id": "c1", "type": "function", "function": {"name": "reply", "arguments": reply}}
        stub_llm.enqueue(Scripted(body=openai_completion({"content": None, "tool_calls": [call]},
                                                         finish_reason="tool_calls")))
    else:  # text mode: prose around the JSON, as a small local model writes it
        stub_llm.enqueue(openai_content(f"Here is my move:\n```json\n{reply}\n```"))
    move = LLMPolicy(client).choose(_obs()).move
    assert move == Prove(hole="rev_length", script="induction l; simpl; lia.", rationale="length is preserved")
    body = stub_llm.requests[0].body
    assert body["max_tokens"] == 4000 and body["temperature"] == 0.0 and "reasoning_effort" not in body
    assert ("response_format" in body) == (mode == "json_schema") and ("tools" in body) == (mode == "tool")
    # Text mode is the only one whose system prompt carries the schema.
    assert (SCHEMA_MARK in body["messages"][0]["content"]) == (mode == "text")


def test_compatible_server_gets_no_reply_limit_unless_given(stub_llm):
    stub_llm.enqueue(openai_content(json.dumps(PROVE)))
    LLMPolicy(_openai(stub_llm, "llama3.1", compatible=True)).choose(_obs())
    body = stub_llm.requests[0].body
    assert "max_tokens" not in body and "max_completion_tokens" not in body and "reasoning_effort" not in body


# -- truncation -------------------------------------------------------------------------------


def test_anthropic_reply_cut_at_the_limit_is_retried_with_twice_the_limit(stub_llm):
    cut = anthropic_message([{"type": "text", "text": '{"analysis": "Induction on l, then'}],
                            stop_reason="max_tokens", tokens=(900, 8000))
    stub_llm.enqueue(Scripted(body=cut), anthropic_tool_use(PROVE, tokens=(950, 300)))
    policy = LLMPolicy(_anthropic(stub_llm, "claude-sonnet-4-5", max_output_tokens=8000))
    reply = policy.choose(_obs())
    assert isinstance(reply.move, Prove) and reply.usage.tokens_out == 8300  # both attempts counted
    first, second = (r.body for r in stub_llm.requests)
    assert first["max_tokens"] == 8000 and second["max_tokens"] == 16_000
    told = second["messages"][-1]["content"]
    assert "cut off at the reply limit (8000 tokens" in told and "max_tokens" in told
    [cut_call, ok_call] = [r for r, _ in policy.drain_calls()]
    assert cut_call["stop_reason"] == "max_tokens" and "cut off" in cut_call["error"]


def test_openai_length_finish_is_a_truncation_too(stub_llm):
    stub_llm.enqueue(Scripted(body=openai_completion({"content": '{"analysis": "lon'}, finish_reason="length")),
                     openai_content(json.dumps(PROVE)))
    reply = LLMPolicy(_openai(stub_llm, "gpt-4.1", max_output_tokens=1000)).choose(_obs())
    assert isinstance(reply.move, Prove)
    assert [r.body["max_completion_tokens"] for r in stub_llm.requests] == [1000, 2000]


# -- an overloaded or refusing provider ----------------------------------------------------------


def test_overloaded_529_is_waited_out_with_backoff_and_never_a_stall(stub_llm):
    waits: list[float] = []
    policy = LLMPolicy(_anthropic(stub_llm, "claude-sonnet-4-6"), patience=100, backoff=2, sleep=waits.append)
    overloaded = anthropic_error(529, "overloaded_error", "Overloaded", FAST_RETRY)
    stub_llm.enqueue(overloaded, overloaded, overloaded, anthropic_tool_use(PROVE))
    reply = policy.choose(_obs())
    assert isinstance(reply.move, Prove)  # a move, not a stall
    assert waits == [2, 4, 8] and len(stub_llm.requests) == 4
    calls = [r for r, _ in policy.drain_calls()]
    assert [("529" in (c["error"] or "")) for c in calls] == [True, True, True, False]


def test_a_provider_that_stays_away_stops_the_policy_after_its_patience(stub_llm):
    waits: list[float] = []
    policy = LLMPolicy(_anthropic(stub_llm, "claude-sonnet-4-6"), patience=10, backoff=2, sleep=waits.append)
    stub_llm.enqueue(*[anthropic_error(529, "overloaded_error", "Overloaded", FAST_RETRY)] * 4)
    with pytest.raises(PolicyStopped, match=r"llm unavailable for 6 s .*HTTP 529"):
        policy.choose(_obs())
    assert waits == [2, 4]  # the next wait (8 s) would pass the patience


@pytest.mark.parametrize("status, message", [(401, "invalid x-api-key"), (403, "forbidden"),
                                             (400, "model: claude-nonexistent")])
def test_auth_and_config_errors_stop_at_once(status, message, stub_llm):
    waits: list[float] = []
    policy = LLMPolicy(_openai(stub_llm, "gpt-4.1"), sleep=waits.append)
    stub_llm.enqueue(openai_error(status, "invalid_request_error", message))
    with pytest.raises(PolicyStopped, match=f"HTTP {status}: {message}"):
        policy.choose(_obs())
    assert len(stub_llm.requests) == 1 and waits == []


# -- accounting -----------------------------------------------------------------------------------


def test_cache_reads_and_writes_are_counted_and_priced(stub_llm):
    body = anthropic_message([{"type": "tool_use", "id": "t1", "name": "reply", "input": PROVE}],
                             tokens=(1000, 200))
    body["usage"].update(cache_read_input_tokens=50_000, cache_creation_input_tokens=4_000)
    stub_llm.enqueue(Scripted(body=body))
    reply = LLMPolicy(_anthropic(stub_llm, "claude-sonnet-4-6")).choose(_obs())
    u = reply.usage
    assert (u.tokens_in, u.cache_read, u.cache_write, u.tokens_out) == (55_000, 50_000, 4_000, 200)
    # sonnet: $3 input, $0.30 cache read, $3.75 cache write, $15 output per million tokens
    assert u.dollars == pytest.approx((1000 * 3 + 50_000 * 0.3 + 4000 * 3.75 + 200 * 15) / 1e6)
    price = PriceTable().lookup("claude-sonnet-4-6")
    assert (price.cache_read, price.cache_write) == (0.3, 3.75)
    assert PriceTable().lookup("gpt-5.1").cache_read == 0.125


# -- memory ------------------------------------------------------------------------------------------


def _rejected_obs() -> Observation:
    long_script = "induction l as [|a l IHl].\n" + "\n".join(f"- simpl; rewrite app_assoc; lia. (* case {i} *)"
                                                           for i in range(30))
    attempt = Prove(hole="rev_length", script=long_script, rationale="induction, then the length of an append")
    history = [HistoryEntry(move=attempt, outcome="rejected", summary=f"rolled back: {ERROR_TEXT}")]
    return _obs().model_copy(update={"history": history})


def test_the_whole_rejected_attempt_its_rationale_and_a_per_hole_record_are_shown():
    user = render_choose(_rejected_obs()).user
    assert "(* case 29 *)" in user  # the whole script, not a 100-character clip
    assert "rationale: induction, then the length of an append" in user
    assert "## What failed so far, per hole" in user and "### `rev_length`: 1 failed attempt(s)" in user
    assert "of your rejected candidate" in user  # error lines are said to point into the candidate


def test_the_document_is_shown_with_numbered_lines_and_its_failure_points_at_them():
    obs = _obs()
    user = render_choose(obs).user
    assert number_lines(obs.document) in user and "1| Module Impl <: SIG." in user
    assert "line 20, column 5 of the document above" in user  # not a rejection: the shown document


def test_the_plan_is_kept_shown_back_and_checkpointed():
    reply = {"analysis": "two holes left", "plan": "1. prove rev_length by induction 2. then rev_app",
             "move": PROVE["move"]}
    fake = FakeClient([json.dumps(reply), json.dumps({"analysis": "next", "move": PROVE["move"]})])
    policy = LLMPolicy(fake)
    policy.choose(_obs())
    policy.choose(_obs())
    assert "## Your plan" not in _user(fake.requests[0])
    assert "1. prove rev_length by induction" in _user(fake.requests[1])
    assert policy.checkpoint() == {"plan": reply["plan"]}
    resumed = LLMPolicy(FakeClient([]))
    resumed.restore(policy.checkpoint())
    assert resumed.plan == reply["plan"]


def test_the_analysis_becomes_the_rationale_of_a_move_without_one():
    fake = FakeClient([json.dumps({"analysis": "lia closes the arithmetic",
                                   "move": {"kind": "prove", "hole": "h", "script": "lia."}})])
    reply = LLMPolicy(fake).choose(_obs())
    assert reply.move.rationale == "lia closes the arithmetic"


def _user(request: dict[str, Any]) -> str:
    content = request["messages"][0]["content"]
    return content if isinstance(content, str) else "".join(content)


# -- economy and windows --------------------------------------------------------------------------------


def test_consecutive_prompts_share_their_stable_head():
    a = render_choose(_obs())
    b = render_choose(_rejected_obs().model_copy(update={"version": 4}))
    assert a.parts[:-1] == b.parts[:-1]  # task, design, document: the same bytes, so cacheable
    assert a.parts[-1] != b.parts[-1]


def test_the_next_request_finds_the_previous_breakpoint_at_one_of_its_block_boundaries():
    """Proving the first hole moves the breakpoint on; the old one (where the settled part
    ended) must be a block boundary of the new request, or Anthropic's cache misses."""
    items = [f"Lemma h{i} : True.\nAdmitted." for i in range(30)]
    before = "Module ImplProofs.\n" + "\n".join(items) + "\nEnd ImplProofs."
    after = before.replace("Lemma h5 : True.\nAdmitted.", "Lemma h5 : True.\nProof. exact I. Qed.")
    old = document_blocks(before, [f"h{i}" for i in range(5, 30)])
    new = document_blocks(after, [f"h{i}" for i in range(6, 30)])
    assert "".join(old) == f"## Document\n```coq\n{number_lines(before)}\n```"
    settled = next(i for i, b in enumerate(old) if b.cache)  # the breakpoint before h5
    previous = "".join(old[: settled + 1])
    boundaries = ["".join(new[: i + 1]) for i in range(len(new))]
    assert previous in boundaries and boundaries.index(previous) >= len(new) - 1 - 20
    assert sum(b.cache for b in new) == 2


def test_a_context_window_trims_help_and_memory_first_and_keeps_the_failure():
    prompt = render_choose(_rejected_obs())
    small = trim_prompt(prompt, len(prompt.user) - 300)
    assert len(small.user) <= len(prompt.user) - 300
    assert "## Lemmas that may help" not in small.user
    assert ERROR_TEXT in small.user and "Choose the next move." in small.user
    # Through the policy: a window 1000 characters' worth too small for the whole prompt.
    window = (len(prompt.system) + len(prompt.user) - 1000) // 3 + 1024
    fake = FakeClient([json.dumps(PROVE)])
    fake.settings = type("S", (), {"context_window": window, "max_output_tokens": 1024})()
    LLMPolicy(fake).choose(_rejected_obs())
    sent = _user(fake.requests[0])
    assert len(sent) + len(fake.requests[0]["system"]) <= (window - 1024) * 3
    assert "Choose the next move." in sent and ERROR_TEXT in sent


def test_fake_completion_passthrough_keeps_truncation_flag():
    fake = FakeClient([Completion(text="{", truncated=True, stop_reason="length"), json.dumps(PROVE)])
    reply = LLMPolicy(fake).choose(_obs())
    assert isinstance(reply.move, Prove) and "cut off" in fake.requests[1]["messages"][-1]["content"]
