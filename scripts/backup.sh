#!/usr/bin/env bash
# Backs up everything the service keeps: the database (every record and its audit trail, with the
# triggers that keep the trail append-only) and the private files (draft images, in var/media).
#
#   scripts/backup.sh                      # into var/backups/<date and time>/
#   scripts/backup.sh /srv/backups/today   # into that folder (created; must be empty or absent)
#
# The folder gets database.dump (pg_dump's custom format), media.tar.gz and SHA256SUMS. It holds
# personal data: it is made readable by its owner only; keep it as carefully as the database.
# Restore with scripts/restore.sh. Uses DATABASE_URL (or the embedded PostgreSQL) like the app.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/database-env.sh
source scripts/database-env.sh

target="${1:-var/backups/$(date -u +%Y-%m-%dT%H%M%SZ)}"
if [[ -e "$target" && -n "$(ls -A "$target")" ]]; then
  echo "backup.sh: $target is not empty: give a new folder." >&2
  exit 1
fi
umask 077
mkdir -p "$target"

echo "Dumping database ${PGDATABASE}…"
pg pg_dump --format=custom --compress=6 --file="$target/database.dump"

if [[ -d "$MEDIA_DIR" ]]; then
  echo "Copying the private files in ${MEDIA_DIR}…"
  tar -C "$MEDIA_DIR" -czf "$target/media.tar.gz" .
else
  echo "No private files yet (${MEDIA_DIR} does not exist)."
  tar -czf "$target/media.tar.gz" -T /dev/null
fi

(cd "$target" && sha256sum database.dump media.tar.gz >SHA256SUMS)
echo "Backup written to $target"
