#!/usr/bin/env bash
# Installs and runs the app with demo data at http://127.0.0.1:8000 (PORT overrides the port).
#
#   1. scripts/install.sh (quick when nothing changed);
#   2. migrates the database and loads the demo data, printing one sign-in per role;
#   3. starts the periodic jobs in the background: Celery worker and beat when REDIS_URL is set,
#      otherwise `manage.py run_schedule`, which runs them inline;
#   4. serves the app in the foreground until Ctrl+C, then stops the background processes.
#
# With DATABASE_URL unset the app uses an embedded PostgreSQL in var/pgdata. It keeps running after
# this script stops, so the next start is quick; `.venv/bin/python manage.py embedded_db stop` stops it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT="${PORT:-8000}"
PY=.venv/bin/python
# Log lines straight away, not when a buffer fills (matters when the output goes to a file).
export PYTHONUNBUFFERED=1

scripts/install.sh

# A variable's value as the settings see it: from the environment, else from .env.
setting() { "$PY" -c 'import os, sys, config.env; print(os.environ.get(sys.argv[1], "").strip())' "$1"; }

# Links in emails (SITE_URL) follow PORT unless SITE_URL is configured.
if [[ -z "$(setting SITE_URL)" ]]; then
  export SITE_URL="http://127.0.0.1:${PORT}"
fi

echo "Preparing the database…"
"$PY" manage.py migrate --noinput

echo "Loading the demo data…"
demo_output="$("$PY" manage.py demo_data)"
printf '%s\n' "$demo_output"

pids=()
names=()

# (The two functions below run from the traps; shellcheck 0.9 cannot see that.)
# shellcheck disable=SC2317
any_alive() {
  local pid
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && return 0
  done
  return 1
}

# shellcheck disable=SC2317
stop_all() {
  local status=$?
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    echo "Stopping…"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    # Give each process up to 10 seconds to finish what it is doing, then insist.
    local _
    for _ in $(seq 1 20); do
      any_alive || break
      sleep 0.5
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() {
  local name=$1
  shift
  "$@" &
  pids+=("$!")
  names+=("$name")
}

# REDIS_URL from the environment or .env, as the settings read it.
if [[ -n "$(setting REDIS_URL)" ]]; then
  echo "Starting the Celery worker and beat (REDIS_URL is set)…"
  start "celery worker" .venv/bin/celery -A config worker -l info
  start "celery beat" .venv/bin/celery -A config beat -l info
else
  echo "Starting the scheduled jobs (inline: REDIS_URL is not set)…"
  start "run_schedule" "$PY" manage.py run_schedule
fi

echo "Starting the app at http://127.0.0.1:${PORT}/ (press Ctrl+C to stop)…"
start "web server" "$PY" manage.py runserver "127.0.0.1:${PORT}"

# Say again how to sign in once the app answers: by then the scheduled jobs' output has scrolled past.
(
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null "http://127.0.0.1:${PORT}/accounts/login/"; then
      printf '\nThe app is ready at http://127.0.0.1:%s/\n' "$PORT"
      printf '%s\n' "$demo_output" | sed -n '/^Sign in at/,$p'
      [[ -n "$(setting EMAIL_URL)" ]] || printf 'Emails are written to var/emails/ and announced in one line each.\n'
      echo
      exit 0
    fi
    sleep 1
  done
) &

# Serve until any of the processes stops: if one fails, stop the rest rather than run half an app.
set +e
wait -n "${pids[@]}"
status=$?
set -e
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    echo "The ${names[$i]} stopped (exit status ${status}); stopping the others." >&2
  fi
done
exit "$status"
