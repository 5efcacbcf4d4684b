"""A whole run with the real Anthropic and OpenAI SDKs against the local stub server.

The replies are hand-written fixtures in each provider's wire format (see
stub_llm_server.py): the moves are the same as tests/data/scripts/finite_map_assoc.json,
with a malformed reply, a 429 and a timeout on the way. The run must close the warm-up
spec through the same graphs, grader and audit as any run, and the transcript's tokens
and cost must equal the stub's usage fields priced by the table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idsynth.agent.llm import PriceTable
from idsynth.agent.transcript import read_events
from idsynth.cli.main import main

from .stub_llm_server import Scripted, anthropic_text, anthropic_tool_use, openai_content

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = json.loads((ROOT / "tests" / "data" / "scripts" / "finite_map_assoc.json").read_text())


def _replies(provider: str) -> list[tuple[Scripted, tuple[int, int] | None]]:
    """(response, usage counted) in order; usage None for responses that are not billed."""
    def ok(payload: dict, tokens: tuple[int, int]):
        if provider == "anthropic":
            return anthropic_tool_use(payload, tokens=tokens), tokens
        return openai_content(json.dumps(payload), tokens=tokens), tokens

    def text(s: str, tokens: tuple[int, int]):
        return (anthropic_text(s, tokens=tokens) if provider == "anthropic"
                else openai_content(s, tokens=tokens)), tokens

    steps = SCRIPT["steps"]
    out = [ok({"design": steps[0]["design"]}, (900, 300))]
    moves = [s["move"] for s in steps[1:]]
    out.append(text("I would start with the empty map lemma.", (500, 12)))  # malformed: fed back
    out.append(ok({"move": moves[0]}, (520, 40)))
    out.append((Scripted(status=429, body={"error": {"type": "rate_limit_error", "message": "slow down"}},
                         headers={"retry-after-ms": "10"}), None))
    out.append(ok({"move": moves[1]}, (610, 55)))
    out.append((Scripted(delay=3.0, body={"never": "read"}), None))  # outlasts the 1 s client timeout
    out.append(ok({"move": moves[2]}, (640, 70)))
    for i, move in enumerate(moves[3:]):
        out.append(ok({"move": move}, (700 + 10 * i, 60)))
    return out


@pytest.mark.parametrize("provider, model", [("anthropic", "claude-sonnet-4-6"), ("openai", "gpt-4.1-mini")])
def test_a_run_with_the_real_sdk_against_the_stub_closes_and_counts_cost(provider, model, stub_llm, tmp_path,
                                                                         monkeypatch):
    replies = _replies(provider)
    stub_llm.enqueue(*[r for r, _ in replies])
    monkeypatch.setenv("ANTHROPIC_API_KEY" if provider == "anthropic" else "OPENAI_API_KEY", "test-key")
    base = stub_llm.url if provider == "anthropic" else stub_llm.url + "/v1"
    code = main(["run", str(ROOT / "specs" / "warmup" / "finite_map"), "--policy", "llm", "--provider", provider,
                 "--model", model, "--base-url", base, "--llm-timeout", "1", "--llm-retries", "2",
                 "--runs-dir", str(tmp_path), "--run-id", "llm", "--json"])
    assert code == 0
    assert stub_llm.pending == 0
    events, _ = read_events(tmp_path / "llm" / "events.jsonl")
    assert events[0].policy_kind == "llm" and events[0].policy == f"llm:{model}"
    assert events[-1].status == "closed"
    calls = [e for e in events if e.type == "llm_call"]
    billed = [u for _, u in replies if u is not None]
    assert [(c.usage.tokens_in, c.usage.tokens_out) for c in calls] == billed
    prices = PriceTable()
    expected = sum(prices.cost(model, tin, tout).dollars for tin, tout in billed)
    assert sum(c.usage.dollars for c in calls) == pytest.approx(expected)
    assert any(c.record.get("error") for c in calls)  # the malformed reply is on record
    # 429 and the timeout were retried inside the SDK: the stub saw them, no call was lost.
    assert len(stub_llm.requests) == len(replies)


def test_prove_with_the_real_sdk_against_the_stub_closes_the_hole_the_model_proves(stub_llm, tmp_path, monkeypatch):
    """`idsynth prove --policy llm`: a reply that is not a move is fed back, a proof of a hole
    not in focus is refused, the right proof closes it; the prompt names the hole in focus."""
    f = tmp_path / "dev.v"
    f.write_text("Lemma two : 1 + 1 = 2.\nAdmitted.\n\nLemma three : 1 + 2 = 3.\nAdmitted.\n")
    stub_llm.enqueue(
        anthropic_text("Easy, reflexivity closes it.", tokens=(300, 8)),
        anthropic_tool_use({"move": {"kind": "prove", "hole": "three", "script": "reflexivity."}}, tokens=(320, 20)),
        anthropic_tool_use({"move": {"kind": "prove", "hole": "two", "script": "reflexivity."}}, tokens=(340, 20)),
    )
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    code = main(["prove", str(f), "--only", "two", "--policy", "llm", "--provider", "anthropic",
                 "--model", "claude-sonnet-4-6", "--base-url", stub_llm.url, "--llm-retries", "0",
                 "--runs-dir", str(tmp_path / "runs"), "--json"])
    assert code == 0
    assert stub_llm.pending == 0
    (run,) = (tmp_path / "runs").iterdir()
    events, _ = read_events(run / "events.jsonl")
    assert events[0].type == "prove_started" and events[0].policy_kind == "llm"
    assert [e.reason[:30] for e in events if e.type == "move_refused"] == ["three is not a hole being work"]
    assert sum(1 for e in events if e.type == "llm_call") == 3
    report = events[-1].report
    assert [(h["name"], h["status"]) for h in report["holes"]] == [("two", "closed"), ("three", "skipped")]
    assert "Prove only: `two`" in json.dumps(stub_llm.requests[0].body)
    out = (tmp_path / "dev_proved.v").read_text()
    assert "Lemma two : 1 + 1 = 2.\nProof.\n  reflexivity.\nQed." in out and "Lemma three : 1 + 2 = 3.\nAdmitted." in out


def test_a_run_the_provider_stops_is_not_finished_and_resumes(stub_llm, tmp_path, monkeypatch, capsys):
    """A 529 is retried (not a stall); a 401 stops the run at once with a clear message and
    no `run_finished`, and `idsynth resume` then closes it with the same settings."""
    from .stub_llm_server import anthropic_error

    steps = SCRIPT["steps"]
    moves = [s["move"] for s in steps[1:]]
    stub_llm.enqueue(
        anthropic_tool_use({"analysis": "an association list", "design": steps[0]["design"]}),
        anthropic_tool_use({"analysis": "first", "move": moves[0]}),
        anthropic_error(529, "overloaded_error", "Overloaded", {"retry-after-ms": "10"}),
        anthropic_tool_use({"analysis": "second", "move": moves[1]}),
        anthropic_error(401, "authentication_error", "invalid x-api-key"),
    )
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    args = ["--policy", "llm", "--provider", "anthropic", "--model", "claude-sonnet-4-6", "--base-url", stub_llm.url,
            "--llm-retries", "1", "--max-output-tokens", "20000", "--effort", "medium"]
    code = main(["run", str(ROOT / "specs" / "warmup" / "finite_map"), *args, "--runs-dir", str(tmp_path),
                 "--run-id", "stopped", "--no-bench"])
    err = capsys.readouterr().err
    assert code == 3
    assert "stopped by the model's provider" in err and "HTTP 401: invalid x-api-key" in err
    assert f"idsynth resume {tmp_path / 'stopped'}" in err
    events, _ = read_events(tmp_path / "stopped" / "events.jsonl")
    assert not any(e.type == "run_finished" for e in events)
    assert not any(e.type == "stalled" for e in events)  # neither the 529 nor the 401 was a stall
    assert "HTTP 401" in [e for e in events if e.type == "llm_call"][-1].record["error"]
    assert events[0].config["llm"] == {"max_output_tokens": 20000, "effort": "medium"}

    stub_llm.enqueue(*[anthropic_tool_use({"analysis": "go on", "move": m}) for m in moves[2:]])
    code = main(["resume", str(tmp_path / "stopped"), "--base-url", stub_llm.url, "--json"])
    assert code == 0 and stub_llm.pending == 0
    events, _ = read_events(tmp_path / "stopped" / "events.jsonl")
    assert events[-1].type == "run_finished" and events[-1].status == "closed"
    # The resumed policy was built with the recorded settings.
    last = stub_llm.requests[-1].body
    assert last["max_tokens"] == 20000 and last["output_config"] == {"effort": "medium"}


def test_max_dollars_with_a_model_of_unknown_price_refuses_to_start(stub_llm, tmp_path, capsys):
    spec = str(ROOT / "specs" / "warmup" / "finite_map")
    base = ["run", spec, "--policy", "llm", "--provider", "openai", "--model", "my-local-model",
            "--base-url", stub_llm.url + "/v1", "--runs-dir", str(tmp_path)]
    assert main([*base, "--max-dollars", "2"]) == 2
    assert "no price is known for model 'my-local-model'" in capsys.readouterr().err
    prices = tmp_path / "prices.toml"
    prices.write_text('["my-local-model"]\ninput = 0.0\noutput = 0.0\n')
    stub_llm.enqueue(openai_content('{"design": null}'))  # priced now: it starts (and ends, with no design)
    assert main([*base, "--max-dollars", "2", "--prices", str(prices), "--run-id", "priced", "--no-bench"]) == 1
    assert stub_llm.pending == 0 and len(stub_llm.requests) == 1


def test_llm_settings_come_from_idsynth_toml(stub_llm, tmp_path, monkeypatch):
    config = tmp_path / "idsynth.toml"
    config.write_text(f'[run]\npolicy = "llm"\nprovider = "anthropic"\nmodel = "claude-sonnet-4-5"\n'
                      f'base-url = "{stub_llm.url}"\nthinking = 8000\nmax-output-tokens = 20000\n'
                      'effort = "low"\nllm-retries = 0\n')
    monkeypatch.setenv("IDSYNTH_CONFIG", str(config))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    stub_llm.enqueue(anthropic_tool_use({"analysis": "nothing fits", "design": None}))
    code = main(["run", str(ROOT / "specs" / "warmup" / "finite_map"), "--runs-dir", str(tmp_path / "runs"),
                 "--run-id", "toml", "--no-bench"])
    assert code == 1  # no design: exhausted
    body = stub_llm.requests[0].body
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 8000} and body["max_tokens"] == 20000
    assert body["output_config"] == {"effort": "low"} and body["tool_choice"] == {"type": "auto"}
    events, _ = read_events(tmp_path / "runs" / "toml" / "events.jsonl")
    assert "nothing fits" in events[-1].reason  # the reloader's own reason is on record


def test_a_proposer_that_fails_to_answer_does_not_abandon_the_design(tmp_path):
    """Three invalid proposer replies are the model failing to answer, not judging the
    design stuck: the inner agent goes on with the design. A proposer that answers "no
    move" is a judgement, and the reloader takes over."""
    from idsynth.agent.llm import FakeClient, LLMPolicy
    from idsynth.agent.run import start_run
    from idsynth.agent.types import Budget

    bad = json.dumps({"analysis": "try", "move": {"kind": "prove", "hole": "get_empty", "script": "fail."}})
    fake = FakeClient([
        json.dumps({"analysis": "an association list", "design": SCRIPT["steps"][0]["design"]}),
        bad,                                        # rejected: a stall (stall_after=1)
        "no idea", "still none", "{}",              # the proposer fails to answer, then answers nothing
        bad,                                        # the inner agent goes on with the design
        json.dumps({"analysis": "nothing splits", "proposal": {"move": None, "note": "stuck"}}),
        json.dumps({"analysis": "nothing else fits", "design": None}),
    ])
    policy = LLMPolicy(fake, patience=0)
    _, state = start_run(ROOT / "specs" / "warmup" / "finite_map", lambda spec, cfg: policy, runs_dir=tmp_path,
                         budget=Budget(stall_after=1, proposals=2, branches=2), run_id="proposer")
    events, _ = read_events(tmp_path / "proposer" / "events.jsonl")
    kinds = [e.type for e in events if e.type in ("proposal", "move_proposed", "reloaded", "run_finished")]
    assert kinds == ["move_proposed", "proposal", "move_proposed", "proposal", "reloaded", "run_finished"]
    first, second = [e.proposal for e in events if e.type == "proposal"]
    assert first.abandon is False and first.note == "the proposer answered nothing (no move, no reason)"
    assert second.abandon is True and second.note == "stuck"
    assert "nothing else fits" in events[-1].reason
