#!/usr/bin/env bash
# Runs every pgTAP file in tests/sql/*.sql with pg_prove, each as the account
# named in its first line ("-- account: demo_village"), over a real
# connection: identity in this schema is session_user, so SET ROLE would not
# test what a person logging in with psql can do.
#   pgtap.sh [FILE...]   the files named (NN_name.sql here, or paths), every
#                        one by default; MQ_PROVE_FLAGS are added to pg_prove's
#                        (tests/ops/backup_restore.sh: --verbose, against a
#                        restored copy named by PGHOST/PGPORT/PGDATABASE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGDATABASE:?run through ./dev.sh test}"
files=()
for f in "$@"; do
	[ -f "$f" ] || f=$here/$f
	files+=("$f")
done
[ $# -gt 0 ] || files=("$here"/*.sql)

psql -qX -U postgres -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE SCHEMA IF NOT EXISTS tap;
GRANT USAGE ON SCHEMA tap TO PUBLIC;
CREATE EXTENSION IF NOT EXISTS pgtap SCHEMA tap;
SQL

rc=0
for f in "${files[@]}"; do
	account=$(sed -n '1s/^-- account: *//p' "$f")
	[ -n "$account" ] || { echo "$f: first line must be '-- account: NAME'"; exit 1; }
	echo "# $(basename "$f") as $account"
	# pgTAP keeps its state in temporary tables; nobody may create them
	# by default (schema 007), so the test's account may for its run only.
	psql -qX -U postgres -c "GRANT TEMPORARY ON DATABASE \"$PGDATABASE\" TO \"$account\"" >/dev/null
	# shellcheck disable=SC2086 # (flags, split on purpose)
	pg_prove ${MQ_PROVE_FLAGS:-} -U "$account" -d "$PGDATABASE" "$f" || rc=1
	psql -qX -U postgres -c "REVOKE TEMPORARY ON DATABASE \"$PGDATABASE\" FROM \"$account\"" >/dev/null
done
exit $rc
