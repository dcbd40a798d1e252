#!/usr/bin/env bash
# Re-pin constraints.txt: every Python package the app, its tests and its tools install, at
# the newest versions pyproject.toml allows today. Run it on purpose (a dependency update),
# then run the whole suite and the benchmarks before committing the new file.
#   bash scripts/update-constraints.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check ".[test,dev]"
{
  echo "# Versions every install uses (scripts/dev.sh, CI, the PyInstaller build): pip's -c file."
  echo "# Made by scripts/update-constraints.sh on $(date -u +%Y-%m-%d) with Python $("$tmp/venv/bin/python" -c 'import platform; print(platform.python_version())') on $(uname -sm)."
  echo "# Not pinned: packages only other platforms need (pywin32-ctypes, colorama...) and the build"
  echo "# backend (setuptools, which pyproject.toml asks for in its own build environment)."
  "$tmp/venv/bin/python" -m pip freeze --all --disable-pip-version-check \
    | grep -viE "^(workshop-app|-e |setuptools==|wheel==)" | LC_ALL=C sort -f
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"
