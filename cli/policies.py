"""Building a policy from command-line arguments (policies are imported lazily)."""

from __future__ import annotations

import argparse
from pathlib import Path


class PolicyArgsError(Exception):
    """Bad or missing policy options; one line."""


def add_policy_arguments(p: argparse.ArgumentParser, for_resume: bool = False) -> None:
    default = None if for_resume else "auto"
    p.add_argument("--policy", choices=["auto", "scripted", "llm"], default=default,
                   help="auto: offline Rocq automation and a catalogue of designs (default); scripted: replay a "
                        "file of moves; llm: a model (Anthropic, OpenAI or any OpenAI-compatible server)")
    p.add_argument("--script", help="the moves file of --policy scripted")
    p.add_argument("--provider", choices=["anthropic", "openai"], help="LLM provider (--policy llm)")
    p.add_argument("--model", help="LLM model name (--policy llm)")
    p.add_argument("--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama")
    p.add_argument("--llm-timeout", type=float, default=120.0, help="seconds per LLM request (default 120)")
    p.add_argument("--llm-retries", type=int, default=3,
                   help="retries on 429/5xx/timeouts, with the SDK's exponential backoff (default 3)")
    p.add_argument("--prices", help="TOML file overriding the price table (USD per million tokens)")


def _make(kind: str, args: argparse.Namespace, script: str | None):
    if kind == "scripted":
        from idsynth.agent.policies.scripted import ScriptedPolicy, load_script

        if not script:
            raise PolicyArgsError("--policy scripted needs --script FILE")
        loaded = load_script(Path(script))
        return (lambda spec, cfg: ScriptedPolicy(loaded, str(script))), {"script": str(script)}
    if kind == "auto":
        from idsynth.agent.auto.policy import AutoPolicy

        return (lambda spec, cfg: AutoPolicy(spec, cfg)), {}
    if kind == "llm":
        from idsynth.agent.llm import LLMError, make_llm_policy

        if not args.provider or not args.model:
            raise PolicyArgsError("--policy llm needs --provider and --model")
        try:
            policy = make_llm_policy(args.provider, args.model, base_url=args.base_url, timeout=args.llm_timeout,
                                     max_retries=args.llm_retries, prices=args.prices)
        except LLMError as exc:
            raise PolicyArgsError(str(exc)) from None
        return (lambda spec, cfg: policy), {"provider": args.provider, "model": args.model,
                                            "base_url": args.base_url}
    raise PolicyArgsError(f"unknown policy {kind!r}")


def policy_factory(args: argparse.Namespace):
    return _make(args.policy, args, args.script)


def resume_policy_factory(args: argparse.Namespace, run_dir: Path):
    from idsynth.agent.transcript import read_events

    events, _ = read_events(run_dir / "events.jsonl")
    started = events[0]
    kind = args.policy = args.policy or started.policy_kind
    script = args.script or started.config.get("script")
    if kind == "llm":
        args.provider = args.provider or started.config.get("provider")
        args.model = args.model or started.config.get("model")
        args.base_url = args.base_url or started.config.get("base_url")
    factory, _ = _make(kind, args, script)
    return factory
