# What every benchmark of tests/bench needs before it starts (sourced; not a
# benchmark itself, so not *.sh): the build and the private cluster named by
# the environment (./dev.sh bench sets MQ_BUILD_DIR and PG*), the superuser
# as the default account, no default database (each benchmark makes its
# own), and minqing-admin built. Sets ADMIN; gives now (a wall-clock
# stamp), and exec_time and stats for EXPLAIN (ANALYZE) figures.
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR to the build directory (./dev.sh bench does)}"
: "${PGHOST:?set PGHOST/PGPORT to the private cluster (./dev.sh env prints them)}"
: "${PGPORT:?set PGHOST/PGPORT to the private cluster (./dev.sh env prints them)}"
export PGUSER=${PGUSER:-postgres}
unset PGDATABASE

ADMIN=$MQ_BUILD_DIR/minqing-admin
[ -x "$ADMIN" ] || { echo "$(basename "$0"): $ADMIN is missing; build first" >&2; exit 1; }

now() { printf '%s\n' "${EPOCHREALTIME:-$(date +%s.%N)}"; }
# Planning plus execution time of each EXPLAIN (ANALYZE): the console's
# unnamed statements are planned at every execution, and a function's
# figure includes the planning of the statements it runs, so both count.
exec_time() {
	awk '/Planning Time:/ { p = $3 } /Execution Time:/ { printf "%.3f\n", p + $3; p = 0 }'
}
stats() { # numbers on stdin -> "median X ms (min Y, max Z)"
	sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit }
		printf "%8.2f ms median (min %.2f, max %.2f)", a[int((NR + 1) / 2)], a[1], a[NR] }'
}
