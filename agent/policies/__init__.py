"""Policies: `scripted` (replays a file of moves) here; `auto` and `llm` in their packages."""
