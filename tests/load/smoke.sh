#!/usr/bin/env bash
# mq-load's short run (ctest load.smoke; the long one is tests/bench/load.sh):
# 20 sessions for 10 s on the demo district at scale 0.1, in a scratch
# database of the suite's cluster, with --check: no error but the
# row-version conflicts (40001) two terminals may meet, no deadlock, every
# screen of every role played at least once, and the sessions' LISTEN got
# notifications. Also mq-load's own refusals: a bad argument (exit 2), a
# server that is not there (3), and a check that fails (1: one session for
# one second cannot play every screen of its role).
set -euo pipefail
: "${MQ_BUILD_DIR:?}" "${PGHOST:?}"
LOAD=$MQ_BUILD_DIR/mq-load
ADMIN=$MQ_BUILD_DIR/minqing-admin
export PGUSER=postgres
db=mq_load_smoke_$$
out=$(mktemp)
cleanup() {
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -f "$out"
}
trap cleanup EXIT
fails=0
expect() { # exit code, command...
	local want=$1 rc=0
	shift
	"$@" >"$out" 2>&1 || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL ($rc, expected $want): $*"
		cat "$out"
		fails=$((fails + 1))
	else
		echo "ok ($rc): $*"
	fi
}
has() { # text the last output must hold
	if grep -qF -- "$1" "$out"; then
		echo "ok: says \"$1\""
	else
		echo "FAIL: the output does not say \"$1\""
		cat "$out"
		fails=$((fails + 1))
	fi
}

expect 2 "$LOAD" --sessions 0
has "bad number of sessions"
expect 2 "$LOAD" --think 5-1
expect 2 "$LOAD" --mix station=3,nobody=1
expect 2 "$LOAD" --duration soon
expect 2 "$LOAD" surplus
expect 2 "$LOAD" --forms /nonexistent
expect 2 "$LOAD" --server-log /nonexistent/server.log
expect 3 env PGHOST=/nonexistent "$LOAD" --sessions 1 --duration 1
has "cannot connect"

psql -qX -d postgres -c "CREATE DATABASE $db" >/dev/null
PGDATABASE=$db "$ADMIN" migrate >/dev/null
PGDATABASE=$db "$ADMIN" demo-data --scale 0.1 --seed 1 >/dev/null

# The check can fail: one kiosk for a second does not get round its screens.
expect 1 env PGDATABASE=$db "$LOAD" --sessions 1 --duration 1 --mix kiosk=1 --check
has "check failed: no kiosk did"

# Every role twice at least, so that a slow machine still gets round every screen.
expect 0 env PGDATABASE=$db "$LOAD" --sessions 20 --duration 10 --think 0.1-0.3 --seed 7 \
	--mix station=10,officer=5,supervisor=3,kiosk=2 --check
has "20 connected, 0 failed to connect, 0 lost"
has "checks passed"
cat "$out"
[ "$fails" -eq 0 ]
