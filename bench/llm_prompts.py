"""Prompt economy of the `llm` policy, replayed over a recorded run — no model, no network.

For every `choose` decision of the run (each `move_proposed` by the inner agent), the
observation the engine would have shown is rebuilt from the transcript (the folded state
just before the move) and rendered by the real prompt builder (`render_choose`), with
the request the real Anthropic client would send (`AnthropicClient.request`). It prints:

- the input of one flawless run: characters and estimated tokens over all decisions;
- the cacheable share: per request, the characters of the longest prefix, ending at a
  block boundary at most 20 blocks before one of the request's breakpoints, that an
  earlier request wrote to the cache at one of its breakpoints (how Anthropic's cache
  serves a request), over all characters;
- estimated dollars at the price table's prices for `--model`, without caching (every
  input token at the input price) and with it (cached prefix at the cache-read price, the
  rest of the prefix up to the last breakpoint at the cache-write price, the tail at the
  input price).

ESTIMATES: tokens are characters / `--chars-per-token` (3.5 by default; no tokenizer is
available offline), replies are counted as the recorded move's JSON, and the retrieved
lemmas (which need a live Rocq) are left out. The cache is assumed warm between
consecutive requests (the 5-minute TTL holds while moves take seconds).

    .venv/bin/python bench/llm_prompts.py runs/reference/causal
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from idsynth.agent.llm.clients import AnthropicClient
from idsynth.agent.llm.prices import PriceTable
from idsynth.agent.llm.prompts import render_choose
from idsynth.agent.run import locate_spec
from idsynth.agent.skeleton import spec_text
from idsynth.agent.state import apply_event
from idsynth.agent.transcript import MoveProposed, read_events
from idsynth.agent.types import Observation
from idsynth.audit import load_spec


def observations(run_dir: Path) -> list[tuple[Observation, str]]:
    """(observation, reply JSON) for each inner-agent decision of the run, in order."""
    events, _ = read_events(run_dir / "events.jsonl")
    spec = load_spec(locate_spec(events[0].spec_dir, run_dir))
    text = spec_text(spec)
    state = None
    out = []
    for event in events:
        if isinstance(event, MoveProposed) and event.move is not None and getattr(event, "role", "") != "proposer":
            b = state.branch
            verdict = b.verdict
            closed = [c for c in state.branches if c.audit is not None and c.audit.verdict.accepted]
            obs = Observation(
                spec_name=spec.manifest.name, spec_text=text, signature=spec.manifest.signature,
                correctness=spec.manifest.correctness, document=b.document.render() if b.documents else "",
                version=b.version, branch=b.index, design=b.design.name, feedback="rich",
                accepted=bool(verdict and verdict.first_failure is None
                              and (not b.history or b.history[-1].outcome == "applied")),
                holes=list(verdict.holes) if verdict else [],
                failure=(b.last_rejection or verdict.first_failure) if verdict else None,
                history=list(b.history[-40:]), notes=list(state.notes),
                throughput={c.design.name: 0.0 for c in closed},
            )
            reply = json.dumps({"analysis": event.move.rationale, "move": event.move.model_dump(mode="json")})
            out.append((obs, reply))
        state = apply_event(state, event)
    return out


def boundaries(body: dict) -> list[tuple[int, bool]]:
    """(characters of the request up to the end of each content block, whether a cache
    breakpoint is there), in order: tools, system blocks, message blocks."""
    out, size = [], len(json.dumps(body.get("tools", []), sort_keys=True))
    blocks = list(body["system"])
    for m in body["messages"]:
        blocks += m["content"] if isinstance(m["content"], list) else [{"type": "text", "text": m["content"]}]
    for block in blocks:
        size += len(block["text"])
        out.append((size, "cache_control" in block))
    return out


def request_text(body: dict) -> str:
    text = json.dumps(body.get("tools", []), sort_keys=True) + "".join(b["text"] for b in body["system"])
    for m in body["messages"]:
        text += "".join(b["text"] for b in m["content"]) if isinstance(m["content"], list) else m["content"]
    return text


LOOKBACK = 20
"""Anthropic checks for a cache hit at up to ~20 block boundaries before each breakpoint."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--model", default="claude-sonnet-4-6")
    ap.add_argument("--chars-per-token", type=float, default=3.5)
    args = ap.parse_args(argv)
    client = AnthropicClient(model=args.model, api_key="unused", base_url="http://127.0.0.1:9")
    price = PriceTable().lookup(args.model)
    if price is None:
        print(f"no price for {args.model}", file=sys.stderr)
        return 2
    decisions = observations(args.run_dir)
    total = cached = written = out_chars = 0
    cache: set[str] = set()  # hashes of the prefixes written at breakpoints (the cache stays warm)
    for obs, reply in decisions:
        prompt = render_choose(obs)
        body = client.request(prompt.system, [{"role": "user", "content": list(prompt.parts)}], prompt.schema)
        text, bounds = request_text(body), boundaries(body)
        keys = [hashlib.sha1(text[:n].encode()).hexdigest() for n, _ in bounds]
        hit = 0
        for i, (n, is_breakpoint) in enumerate(bounds):
            if is_breakpoint:
                for j in range(i, max(-1, i - LOOKBACK), -1):
                    if keys[j] in cache:
                        hit = max(hit, bounds[j][0])
                        break
        last_breakpoint = max((n for n, bp in bounds if bp), default=0)
        cache |= {k for k, (_, bp) in zip(keys, bounds) if bp}
        total += len(text)
        cached += hit
        written += max(0, last_breakpoint - hit)
        out_chars += len(reply)
    cpt = args.chars_per_token
    tokens_in, tokens_out = total / cpt, out_chars / cpt
    plain = (tokens_in * price.input + tokens_out * price.output) / 1e6
    uncached = (total - cached - written) / cpt
    with_cache = (cached / cpt * price.cache_read + written / cpt * price.cache_write + uncached * price.input
                  + tokens_out * price.output) / 1e6
    print(f"run {args.run_dir}: {len(decisions)} choose decisions, model {args.model} "
          f"(${price.input}/{price.cache_read}/{price.cache_write}/{price.output} per M tokens: "
          "input/cache read/cache write/output)")
    print(f"input: {total:,} characters ~ {tokens_in:,.0f} tokens (estimate, {cpt} chars/token); "
          f"output ~ {tokens_out:,.0f} tokens (the moves' JSON)")
    print(f"cacheable share (served from the cache / all input): {cached / total:.3f}; "
          f"written to the cache: {written / total:.3f}")
    print(f"estimated dollars: without caching ${plain:.2f}, with caching ${with_cache:.2f} "
          f"({with_cache / plain:.0%} of without)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
