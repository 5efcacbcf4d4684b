"""`idsynth.cli`: the `idsynth` command. It wires the packages together; nothing imports it."""
