#!/usr/bin/env bash
# The real programs under valgrind (memcheck), in the build without
# sanitizers: no invalid access, no use of uninitialised memory, no definite
# or indirect leak, on the paths a person or a script takes most.
set -euo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
	--show-leak-kinds=definite,indirect --track-origins=yes)
fails=0
run() { # expected rc, command...
	local want=$1 rc=0; shift
	"${vg[@]}" "$@" >/dev/null 2>"$MQ_BUILD_DIR/valgrind.err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL ($rc, expected $want): $*"; cat "$MQ_BUILD_DIR/valgrind.err"; fails=$((fails + 1))
	else
		echo "ok: $*"
	fi
}
run 0 "$MQ_BUILD_DIR/minqing-admin" --help
run 0 "$MQ_BUILD_DIR/minqing-admin" check
run 0 env PGUSER=demo_admin "$MQ_BUILD_DIR/minqing-admin" user list --unit T01
run 2 "$MQ_BUILD_DIR/minqing-admin" -c /nonexistent.conf check
run 3 env PGHOST=/nonexistent "$MQ_BUILD_DIR/minqing-admin" check
run 0 env PGUSER=demo_village "$MQ_BUILD_DIR/minqing" --check
run 0 "$MQ_BUILD_DIR/minqing" --help
run 3 env PGHOST=/nonexistent PGUSER=demo_village "$MQ_BUILD_DIR/minqing" --check
[ "$fails" -eq 0 ]
