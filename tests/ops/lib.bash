# What both operations tests start with (sourced; tests/ops/*.sh): the
# suite's environment checked, the superuser as the default account, the
# scale of the demo district (MQ_OPS_SCALE, default 1), a temporary
# directory TMP, the programs reading no configuration file (the
# environment's connection only), and the checks of tests/sql/lib.bash (ok,
# bad, expect, super, as, finish, same_as_fresh). Then:
#   ops_db NAME          a database of the test (PGDATABASE), made empty and
#                        dropped at exit with TMP
#   ops_stop             redefine it for more to undo at exit (a server)
#   now / since T0       a wall-clock stamp; seconds since one, for figures
#   die WHAT             a failed check that ends the test
: "${PGHOST:?run through ./dev.sh test}" "${PGPORT:?}" "${MQ_SOURCE_DIR:?}" "${MQ_BUILD_DIR:?}"
export PGUSER=postgres LANG=C.UTF-8
# shellcheck disable=SC2034 # (read by the tests that source this)
scale=${MQ_OPS_SCALE:-1}
TMP=$(mktemp -d /tmp/mqops.XXXXXX)
export MINQING_SYSTEM_CONFIG=/nonexistent/minqing.conf XDG_CONFIG_HOME=$TMP/xdg
results=$TMP/results
: >"$results"
# shellcheck source=../sql/lib.bash
source "$MQ_SOURCE_DIR/tests/sql/lib.bash"
OPS_DBS=()
ops_stop() { :; }
ops_cleanup() {
	local d
	ops_stop
	for d in "${OPS_DBS[@]}"; do
		psql -qX -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
	done
	rm -rf "$TMP"
}
trap ops_cleanup EXIT
trap 'exit 130' INT TERM
now() { printf '%s\n' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
die() {
	bad "$*"
	finish
	exit 1
}
ops_db() {
	OPS_DBS+=("$1")
	psql -qX -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $1" >/dev/null || die "cannot create $1"
}
