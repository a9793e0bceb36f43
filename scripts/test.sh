#!/usr/bin/env bash
# Runs the test suite: scripts/install.sh, then pytest with any arguments given here, e.g.
#   scripts/test.sh                 # everything
#   scripts/test.sh -m "not browser" -x
#   scripts/test.sh --create-db     # rebuild the test database (CI does this)
#   scripts/test.sh -n 0 -x         # in one process (two by default)
#
# The tests use DATABASE_URL when it is set, otherwise the embedded PostgreSQL in var/pgdata.
# Browser tests (marked `browser`) drive the Chromium at /usr/bin/chromium (Debian package `chromium`).
# The exit status is pytest's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install.sh

# Playwright must use the system Chromium: never let it try to download its own browsers.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CHROMIUM=/usr/bin/chromium
if [[ -x "$CHROMIUM" ]]; then
  if ! timeout 30 "$CHROMIUM" --headless --no-sandbox --version >/dev/null 2>&1; then
    echo "Warning: $CHROMIUM is installed but does not start; the browser tests will fail." >&2
  fi
else
  echo "Note: $CHROMIUM is missing (apt-get install chromium), so the browser tests cannot run." >&2
fi

# Two processes by default (pytest-xdist; each has its own test database): pass -n 0 to run in one.
parallel=(-n 2)
for arg in "$@"; do
  [[ "$arg" == -n* || "$arg" == --numprocesses* ]] && parallel=()
done
echo "Running the tests…"
exec .venv/bin/pytest "${parallel[@]}" "$@"
