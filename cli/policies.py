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
    p.add_argument("--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama "
                                      "(no key needed then)")
    p.add_argument("--api-key", help="the provider's key (default: ANTHROPIC_API_KEY / OPENAI_API_KEY); prefer "
                                     "the environment, a flag shows in the process list")
    p.add_argument("--llm-timeout", type=float, default=600.0,
                   help="seconds per LLM request (default 600: a thinking model may take minutes to answer)")
    p.add_argument("--llm-retries", type=int, default=3,
                   help="retries on 429/5xx/timeouts, with the SDK's exponential backoff (default 3)")
    p.add_argument("--llm-patience", type=float, default=600.0,
                   help="seconds to keep waiting out an unavailable provider (429/529/5xx/timeouts) with backoff "
                        "before the run stops, resumable (default 600); never counted as a stall")
    p.add_argument("--max-output-tokens", type=int,
                   help="reply limit per request, thinking included (default per model: 48000 for current Claude "
                        "models, 32000 for OpenAI reasoning models, 16384 for other OpenAI models, the server's own "
                        "with --base-url); a reply cut at the limit is retried with twice the limit")
    p.add_argument("--thinking", type=_thinking,
                   help="Anthropic thinking: auto (default per model: adaptive for 4.6 models, a 16000-token budget "
                        "for other Claude 4 models), off, adaptive, or a budget in tokens")
    p.add_argument("--effort", choices=["none", "minimal", "low", "medium", "high", "xhigh", "max"],
                   help="reasoning effort: Anthropic output_config.effort (default high where supported), OpenAI "
                        "reasoning_effort (default medium for o-series and gpt-5 models)")
    p.add_argument("--temperature", type=float, help="sampling temperature (OpenAI and compatible servers; not with OpenAI reasoning models)")
    p.add_argument("--output-mode", choices=["auto", "json_schema", "tool", "text"],
                   help="how the reply's JSON shape is asked for: json_schema (OpenAI default), tool (Anthropic "
                        "default; forced unless the model thinks), text (the schema in the prompt, the JSON parsed "
                        "from the reply: for servers that reject both)")
    p.add_argument("--context-window", type=int,
                   help="tokens the server accepts (e.g. 8192 for a small local model): prompts are trimmed to fit, "
                        "least useful sections first")
    p.add_argument("--prices", help="TOML file overriding the price table (USD per million tokens: input, output, "
                                    "cache_read, cache_write)")


def _thinking(value: str):
    if value in ("auto", "off", "adaptive"):
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: expected auto, off, adaptive or a number of tokens") from None


_SETTINGS = ("max_output_tokens", "thinking", "effort", "temperature", "output_mode", "context_window")


def llm_settings(args: argparse.Namespace, recorded: dict | None = None) -> dict:
    """The LLM settings the flags give, over those a resumed run recorded."""
    out = dict(recorded or {})
    out.update({k: getattr(args, k) for k in _SETTINGS if getattr(args, k, None) is not None})
    return out


def _make(kind: str, args: argparse.Namespace, script: str | None, recorded: dict | None = None):
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
        from idsynth.agent.llm import LLMError, LLMSettings, SettingsError, make_llm_policy

        if not args.provider or not args.model:
            raise PolicyArgsError("--policy llm needs --provider and --model")
        settings = llm_settings(args, recorded)
        try:
            policy = make_llm_policy(args.provider, args.model, base_url=args.base_url, api_key=args.api_key,
                                     timeout=args.llm_timeout, max_retries=args.llm_retries, prices=args.prices,
                                     patience=args.llm_patience, settings=LLMSettings(**settings))
        except (LLMError, SettingsError, ValueError) as exc:
            raise PolicyArgsError(" ".join(str(exc).split())) from None
        if getattr(args, "max_dollars", None) is not None and not policy.prices.known(args.model):
            policy.close()
            raise PolicyArgsError(
                f"no price is known for model {args.model!r}, so --max-dollars cannot be enforced: give its price "
                "with --prices FILE (a TOML table per model: input, output, cache_read, cache_write in USD per "
                "million tokens), or drop --max-dollars")
        return (lambda spec, cfg: policy), {"provider": args.provider, "model": args.model,
                                            "base_url": args.base_url, "llm": settings}
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
    factory, _ = _make(kind, args, script, recorded=started.config.get("llm") if kind == "llm" else None)
    return factory
