#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a new, empty database, and its private files.
#
#   createdb -h HOST -U USER council_restored
#   DATABASE_URL=postgres://USER@HOST:5432/council_restored scripts/restore.sh var/backups/<folder>
#
# It refuses a database that already has tables (restore never overwrites a live service), checks
# the backup's checksums, restores every record, the audit trail and its triggers, puts the private
# files in MEDIA_DIR (default var/media; an existing folder is moved aside, not deleted), then runs
# the migrations (a backup from an older version is brought up to date). Then point the app at it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source_dir="${1:?usage: scripts/restore.sh BACKUP_FOLDER}"
# shellcheck source=scripts/database-env.sh
source scripts/database-env.sh

(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS) || {
  echo "restore.sh: the files in $source_dir do not match their checksums." >&2
  exit 1
}
tables="$(pg psql -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if ((tables > 0)); then
  echo "restore.sh: database ${PGDATABASE} already has ${tables} tables: restore into a new, empty one." >&2
  exit 1
fi

echo "Restoring the database into ${PGDATABASE}…"
pg pg_restore --dbname="$PGDATABASE" --no-owner --no-privileges --exit-on-error --single-transaction \
  "$source_dir/database.dump"

if [[ -e "$MEDIA_DIR" ]]; then
  aside="${MEDIA_DIR%/}.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  echo "Moving the existing ${MEDIA_DIR} aside to ${aside}"
  mv "$MEDIA_DIR" "$aside"
fi
mkdir -p "$MEDIA_DIR"
tar -C "$MEDIA_DIR" -xzf "$source_dir/media.tar.gz"

echo "Bringing the database up to this version's migrations…"
"$PY" manage.py migrate --noinput
echo "Restored $source_dir into ${PGDATABASE} and ${MEDIA_DIR}."
