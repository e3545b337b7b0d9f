#!/usr/bin/env bash
# The schema handshake and the function files: a database whose recorded
# function-files hash is not the program's (another build's files, or none
# ever applied) is refused by all four programs with exit 4 and a message
# that names both hashes and `minqing-admin migrate`, in Chinese and in
# English; `minqing-admin check` still runs on it and reports the stale
# files as a problem (exit 1); `minqing-admin migrate` brings it up to date,
# after which the programs accept it.
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}" "${MQ_SOURCE_DIR:?}"
results=$(mktemp)
# shellcheck source=tests/sql/lib.bash
. "$MQ_SOURCE_DIR/tests/sql/lib.bash"
db=mq_cli_functions_$$
tmp=$(mktemp -d)
cleanup() {
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$tmp" "$results"
}
trap cleanup EXIT
printf 'ui = { language = "en"; };\n' >"$tmp/en.conf"
q() { psql -qXtA -U postgres -d "$db" -v ON_ERROR_STOP=1 -c "$1"; }
run() { # expected-rc what command...
	local want=$1 what=$2 rc=0
	shift 2
	env PGDATABASE="$db" PGUSER=postgres "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
	expect "$what: exit code" "$rc" "$want"
}
says() { # text what
	if grep -qF -- "$1" "$tmp/err" "$tmp/out"; then ok "$2"; else bad "$2: '$1' not in: $(cat "$tmp/err" "$tmp/out")"; fi
}

psql -qX -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
PGDATABASE=$db "$MQ_BUILD_DIR/minqing-admin" migrate >/dev/null || bad "migrate of a fresh database"
hash=$(q "SELECT hash FROM minqing.schema_functions ORDER BY applied_id DESC LIMIT 1")
[[ $hash =~ ^[0-9a-f]{16}$ ]] && ok "the recorded hash is 16 hexadecimal digits" || bad "hash '$hash'"
run 0 "check on an up-to-date database" "$MQ_BUILD_DIR/minqing-admin" check
says "function files: $hash" "check prints the recorded function files"

# Another build's function files were applied last.
q "INSERT INTO minqing.schema_functions (hash, version) SELECT '0123456789abcdef', max(version) FROM minqing.schema_version"
run 4 "the console, stale functions" "$MQ_BUILD_DIR/minqing" --check
says "0123456789abcdef" "the console names the database's hash"
says "$hash" "the console names its own hash"
says "minqing-admin migrate" "the console says what to run"
says "函数" "the console says it in Chinese"
run 4 "the console in English" "$MQ_BUILD_DIR/minqing" -c "$tmp/en.conf" --check
says "the database's functions are not those of this program" "the console says it in English"
run 4 "minqing-admin stats, stale functions" "$MQ_BUILD_DIR/minqing-admin" stats
says "minqing-admin migrate" "minqing-admin says what to run"
run 4 "minqing-escalate, stale functions" "$MQ_BUILD_DIR/minqing-escalate" --once
says "minqing-admin migrate" "minqing-escalate says what to run"
run 4 "minqing-notify, stale functions" "$MQ_BUILD_DIR/minqing-notify" --once --transport spool --spool-dir "$tmp"
says "minqing-admin migrate" "minqing-notify says what to run"
run 1 "check on a stale database runs, and finds a problem" "$MQ_BUILD_DIR/minqing-admin" -c "$tmp/en.conf" check
says "stale function files: 1" "check counts the stale function files"
says "status: problems" "check says there are problems"

# No function files ever applied (a row deleted by hand counts the same).
q "DELETE FROM minqing.schema_functions"
run 4 "the console, function files never applied" "$MQ_BUILD_DIR/minqing" -c "$tmp/en.conf" --check
says "never applied" "the message says they were never applied"

run 0 "migrate brings the functions up to date" "$MQ_BUILD_DIR/minqing-admin" migrate
says "$hash" "migrate names the files it applied"
run 0 "check afterwards" "$MQ_BUILD_DIR/minqing-admin" check
says "status: ok" "the database is healthy again"
# postgres is no staff member: exit 1 after the handshake passed, not 4.
run 1 "the console accepts the schema again" "$MQ_BUILD_DIR/minqing" --check
finish
