#!/usr/bin/env bash
# Set everything up and
#   demo   start the desktop app on the demo project (installs only what the app needs)
#   test   run every check: ruff, format, import layers, mypy, the whole test suite (adds the
#          test tools: Chromium, LibreOffice, poppler, Node's npm and axe-core)
#   setup  set up for both, without running anything
# Safe to run again: each step is skipped when it is already done. Python packages are
# installed at the versions pinned in constraints.txt (scripts/update-constraints.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}
CONSTRAINTS="$ROOT/constraints.txt"

# What running the desktop app needs on a bare Debian/Ubuntu (DESIGN.md §6): Qt's libraries,
# a font, and a virtual screen (xvfb, xauth) for machines without one.
APT_APP=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3 libx11-6
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxkbcommon-x11-0 fonts-dejavu-core xvfb xauth)
# What the checks add: binutils for PyInstaller; Debian's chromium for the browser tests
# (never Playwright's own browsers); LibreOffice and poppler to render the Word exports and
# read their pages back. Node and npm only when npm is missing (a Node from elsewhere, e.g.
# NodeSource, bundles npm and must not be replaced); npm installs axe-core for the
# accessibility checks.
APT_TEST=(binutils chromium libreoffice-writer-nogui poppler-utils)
NODE_PACKAGES=(nodejs npm)
AXE_JS="$ROOT/.cache/node/node_modules/axe-core/axe.min.js"
# Automatic updates hold the package manager's lock for minutes on a fresh desktop.
APT_LOCK_WAIT_S=${APT_LOCK_WAIT_S:-900}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_get() {
  # apt-get, waiting for a package manager that another program (unattended-upgrades,
  # a software centre) is running instead of failing at once on its lock.
  local sudo="" start log
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  start=$(date +%s)
  log=$(mktemp)
  while true; do
    if DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=60 "$@" 2>"$log"; then
      cat "$log" >&2
      rm -f "$log"
      return 0
    fi
    cat "$log" >&2
    if ! grep -qiE 'could not get lock|unable to acquire|is held by process' "$log" \
        || [ $(( $(date +%s) - start )) -ge "$APT_LOCK_WAIT_S" ]; then
      rm -f "$log"
      echo "apt-get $* failed; see the message above" >&2
      return 1
    fi
    say "Another program is installing packages (automatic updates?); waiting for it to finish"
    sleep 10
  done
}

setup_system() {
  command -v dpkg-query >/dev/null 2>&1 || return 0  # not Debian/Ubuntu: install by hand
  local wanted=("$@") missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing system packages: ${missing[*]}"
  apt_get update -q
  apt_get install -y -q --no-install-recommends "${missing[@]}"
}

setup_python() {
  # $1: the extras to install ("" for the app alone, "test,dev" for the checks)
  local extras=$1
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in .venv"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed" want target="."
  [ -n "$extras" ] && target=".[$extras]"
  want=$(cat pyproject.toml "$CONSTRAINTS" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && grep -qx "$want $extras" "$stamp"; then
    return 0
  fi
  # A venv set up for the checks also runs the app: don't install anything for demo.
  if [ -z "$extras" ] && [ -f "$stamp" ] && grep -q "^$want " "$stamp"; then
    return 0
  fi
  say "Installing Common Ground${extras:+ and its tools} into .venv (versions from constraints.txt)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c "$CONSTRAINTS" --upgrade pip
  # setuptools says of every editable install that it is one; nothing to act on.
  PYTHONWARNINGS="ignore:Editable installation" \
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c "$CONSTRAINTS" -e "$target"
  echo "$want $extras" > "$stamp"
}

setup_node() {
  [ -f "$AXE_JS" ] && return 0
  say "Installing axe-core (accessibility checks) into .cache/node"
  npm install --prefix "$ROOT/.cache/node" --no-audit --no-fund --silent axe-core@4
}

setup_checks() {
  local packages=("${APT_APP[@]}" "${APT_TEST[@]}")
  command -v npm >/dev/null 2>&1 || packages+=("${NODE_PACKAGES[@]}")
  setup_system "${packages[@]}"
  setup_python "test,dev"
  setup_node
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
  demo=$("$VENV/bin/python" -c 'from workshop_app.infra.paths import demo_project_path as p; print(p())')
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
  setup) setup_checks ;;
  demo) setup_system "${APT_APP[@]}"; setup_python ""; start_demo ;;
  test) shift; setup_checks; run_checks "$@" ;;
  *) echo "usage: bash scripts/dev.sh demo|test|setup" >&2; exit 2 ;;
esac
