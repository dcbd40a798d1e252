#!/usr/bin/env bash
# Set everything up (system packages, a virtual environment, the app and its tools, axe-core
# for the browser tests' accessibility checks) and
#   demo   start the desktop app on the demo project
#   test   run every check: ruff, format, import layers, mypy, the whole test suite
#   setup  only set up
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

# Debian packages Qt needs on a bare machine (DESIGN.md §6), fonts for readable
# screenshots, binutils for PyInstaller, xvfb/xauth for a virtual screen when there is none.
APT_PACKAGES=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3 libx11-6
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxkbcommon-x11-0 fonts-dejavu-core binutils xvfb xauth
  chromium libreoffice-writer-nogui poppler-utils)
# The Word exports are checked by rendering them to PDF with LibreOffice and reading the
# pages back with poppler (pdftotext, pdfinfo, pdftoppm).
# The browser tests (tests/e2e) drive Debian's chromium (never Playwright's own browsers) and
# check accessibility with axe-core from npm. Node and npm are wanted only when npm is
# missing: a Node from elsewhere (NodeSource bundles npm) must not be replaced.
NODE_PACKAGES=(nodejs npm)
AXE_JS="$ROOT/.cache/node/node_modules/axe-core/axe.min.js"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

setup_system() {
  command -v dpkg-query >/dev/null 2>&1 || return 0  # not Debian/Ubuntu: install by hand
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v npm >/dev/null 2>&1 || missing+=("${NODE_PACKAGES[@]}")
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

setup_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in .venv"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed" want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Common Ground and its tools into .venv"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test,dev]"
    echo "$want" > "$stamp"
  fi
}

setup_node() {
  [ -f "$AXE_JS" ] && return 0
  say "Installing axe-core (accessibility checks) into .cache/node"
  npm install --prefix "$ROOT/.cache/node" --no-audit --no-fund --silent axe-core@4
}

run_checks() {
  export QT_QPA_PLATFORM=offscreen
  say "ruff (lint)"
  "$VENV/bin/ruff" check .
  say "ruff (format)"
  "$VENV/bin/ruff" format --check .
  say "import layers (import-linter)"
  "$VENV/bin/lint-imports"
  say "mypy"
  "$VENV/bin/mypy"
  say "tests"
  "$VENV/bin/python" -m pytest "$@"
}

start_demo() {
  local demo
  demo=$("$VENV/bin/python" -c 'from workshop_app.services.paths import demo_project_path as p; print(p())')
  if [ ! -f "$demo" ]; then
    say "Writing the demo project to $demo"
    "$VENV/bin/workshop-app" demo "$demo"
  fi
  say "Starting Common Ground on the demo project"
  if [ "$(uname)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
      && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    say "No screen found: running on a virtual screen (xvfb-run). Close with Ctrl+C."
    exec xvfb-run -a -s "-screen 0 1440x900x24" "$VENV/bin/workshop-app" "$demo"
  fi
  exec "$VENV/bin/workshop-app" "$demo"
}

case "${1:-}" in
  setup) setup_system; setup_python; setup_node ;;
  demo) setup_system; setup_python; start_demo ;;
  test) shift; setup_system; setup_python; setup_node; run_checks "$@" ;;
  *) echo "usage: bash scripts/dev.sh demo|test|setup" >&2; exit 2 ;;
esac
