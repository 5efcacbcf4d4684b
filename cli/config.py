"""Configuration: defaults < `idsynth.toml` < environment (`IDSYNTH_*`) < command-line flags.

The file is `./idsynth.toml` or the path in `$IDSYNTH_CONFIG`; a `[defaults]` table applies
to every subcommand and `[run]`, `[check]`, ... tables to one. Keys are option names with
dashes or underscores (`max-dollars = 5`). Environment variables are `IDSYNTH_` plus the
option name in capitals (`IDSYNTH_MAX_DOLLARS=5`, `IDSYNTH_POLICY=llm`).
"""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path


class ConfigError(Exception):
    pass


def _file_values(command: str) -> dict:
    path = Path(os.environ.get("IDSYNTH_CONFIG", "idsynth.toml"))
    if not path.is_file():
        if "IDSYNTH_CONFIG" in os.environ:
            raise ConfigError(f"{path}: no such config file (from IDSYNTH_CONFIG)")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML error: {exc}") from None
    values = dict(data.get("defaults", {}))
    values.update(data.get(command, {}))
    return {k.replace("-", "_"): v for k, v in values.items()}


def apply_defaults(parser: argparse.ArgumentParser, command: str) -> None:
    """Set the subparser's defaults from the file, then the environment (flags still win)."""
    actions = {a.dest: a for a in parser._actions if a.dest not in ("help",)}
    values = {k: v for k, v in _file_values(command).items() if k in actions}
    for dest, action in actions.items():
        env = os.environ.get("IDSYNTH_" + dest.upper())
        if env is None:
            continue
        if action.type is not None:
            try:
                env = action.type(env)
            except (TypeError, ValueError):
                raise ConfigError(f"IDSYNTH_{dest.upper()}={env!r}: not a valid value") from None
        elif isinstance(action, argparse._StoreTrueAction):
            env = env.lower() in ("1", "true", "yes")
        values[dest] = env
    unknown = set(_file_values(command)) - set(actions)
    if unknown:
        raise ConfigError(f"config: unknown option(s) for {command}: {', '.join(sorted(unknown))}")
    if values:
        parser.set_defaults(**values)
