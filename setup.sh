#!/usr/bin/env bash
# One-command set-up on a fresh Debian 12 machine: the checker, OCaml, CoqHammer and its
# provers from Debian's packages, then a virtual environment with idsynth and its dev
# extras. Idempotent: re-running it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(coq ocaml-nox ocaml-findlib libcoq-hammer libcoq-core-ocaml-dev
              eprover z3 cvc4 chromium chromium-driver)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
if ((${#missing[@]})); then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "setup: installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi
# Reinstall only when the project metadata changed since the last install.
stamp=.venv/.idsynth-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing idsynth into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[dev]'
    touch "$stamp"
fi
echo "setup: done ($(coqc --version | head -1 | tr -s ' '))"
