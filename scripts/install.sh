#!/usr/bin/env bash
# Installs what the app needs to run and to be tested:
#   - .venv (Python 3.11) with the exact packages in requirements.lock;
#   - node_modules from package-lock.json, and the front-end build in static/build/.
# Safe to run again: each step is skipped when its inputs have not changed since it last succeeded
# (a stamp file records the sha256 of the inputs). Delete .venv, node_modules or static/build to force a step.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3.11}"
VENV=.venv
PY_STAMP="$VENV/.requirements.sha256"
NPM_STAMP=node_modules/.package-lock.sha256
BUILD_STAMP=node_modules/.static-build.sha256

say() { printf '%s\n' "$*"; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

# sha256 of the named files' paths and contents (directories are walked in a stable order).
tree_hash() {
  find "$@" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# Prints the stamp's content, or nothing when it does not exist.
read_stamp() { cat "$1" 2>/dev/null || true; }

# --- Python ---------------------------------------------------------------------------------------
if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  say "The existing $VENV is not a working Python 3.11 environment: recreating it…"
  rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found: install Python 3.11 (or set PYTHON=/path/to/python3.11)."
  say "Creating $VENV with $PYTHON…"
  "$PYTHON" -m venv "$VENV"
fi

py_hash="$(tree_hash requirements.lock)"
if [[ "$(read_stamp "$PY_STAMP")" == "$py_hash" ]]; then
  say "Python packages: up to date."
else
  say "Installing Python packages…"
  # The local wheel indexes on some machines warn once per package they do not carry: hide that noise.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
  printf '%s\n' "$py_hash" >"$PY_STAMP"
fi

# --- Front end ------------------------------------------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20 or later."
[[ -f package-lock.json ]] || die "package-lock.json is missing: run 'npm install' once and commit it."

npm_hash="$(tree_hash package.json package-lock.json)"
if [[ -d node_modules && "$(read_stamp "$NPM_STAMP")" == "$npm_hash" ]]; then
  say "Node packages: up to date."
else
  say "Installing Node packages…"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s\n' "$npm_hash" >"$NPM_STAMP"
fi

build_hash="$(tree_hash package.json package-lock.json assets)"
if [[ -f static/build/app.css && "$(read_stamp "$BUILD_STAMP")" == "$build_hash" ]]; then
  say "Front-end build: up to date."
else
  say "Building the front end (static/build)…"
  npm run --silent build
  printf '%s\n' "$build_hash" >"$BUILD_STAMP"
fi

say "Install complete."
