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

# The demo district at a scale in a scratch database of its own, for the
# benchmarks that measure reads at scale (archive.sh, memo_search.sh):
# demo_db KIND SCALE sets DB (MQ_BENCH_<KIND>_DB names a kept one, measured
# again without loading; MQ_BENCH_<KIND>_KEEP keeps a new one), makes and
# loads it, drops it on exit (then runs bench_at_exit if the benchmark defines
# one); minqing and minqing_test are never touched.
# Gives q (SQL as the superuser), as ACCOUNT (as that login), secs A B, the
# machine line, and bench LABEL ACCOUNT SQL [wrap]: five EXPLAIN ANALYZE runs
# (each rolled back when wrap is given), printed with the rows of a plain run.
demo_db() {
	local kind=$1 scale=$2 upper dbvar keepvar t0
	upper=$(tr '[:lower:]' '[:upper:]' <<<"$kind")
	dbvar=MQ_BENCH_${upper}_DB
	keepvar=MQ_BENCH_${upper}_KEEP
	DB=${!dbvar:-mq_bench_${kind}_$$}
	case $DB in minqing | minqing_test) exit 1 ;; esac
	DEMO_DB_KEEP=${!keepvar:-}
	DEMO_DB_CREATED=
	trap demo_db_exit EXIT
	trap 'exit 130' INT TERM
	echo "$(basename "$0" .sh) benchmark: $(psql -X -At -d postgres -c 'SHOW server_version') on $(nproc) CPUs" \
		"($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM"
	echo "  shared and noisy machine: figures are information, not pass/fail"
	if [ -z "${!dbvar:-}" ]; then
		psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
		DEMO_DB_CREATED=1
		PGDATABASE=$DB "$ADMIN" migrate >/dev/null
		t0=$(now)
		PGDATABASE=$DB "$ADMIN" demo-data --scale "$scale" --seed 1 >/dev/null
		echo "demo-data --scale $scale: $(secs "$t0" "$(now)") s"
	else
		PGDATABASE=$DB "$ADMIN" migrate >/dev/null
		echo "database $DB (kept from an earlier run)"
	fi
}
# On exit: the database, then the benchmark's own bench_at_exit when it has one
# (load.sh stops the server it started).
demo_db_exit() {
	demo_db_cleanup
	if declare -F bench_at_exit >/dev/null; then bench_at_exit; fi
}
demo_db_cleanup() {
	[ -n "$DEMO_DB_CREATED" ] || return 0
	if [ -n "$DEMO_DB_KEEP" ]; then
		echo "$(basename "$0"): kept the database $DB (drop it when done)"
		return 0
	fi
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 ||
		echo "$(basename "$0"): could not drop scratch database $DB" >&2
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
q() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
as() {
	local who=$1
	shift
	psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" -U "$who" "$@"
}
bench() {
	local label=$1 who=$2 sql=$3 wrap=${4:-} out rows i script=
	for i in 1 2 3 4 5; do
		if [ -n "$wrap" ]; then
			script+="BEGIN; EXPLAIN (ANALYZE) $sql; ROLLBACK;"$'\n'
		else
			script+="EXPLAIN (ANALYZE) $sql;"$'\n'
		fi
	done
	out=$(as "$who" <<<"$script")
	if [ -n "$wrap" ]; then
		rows=$(as "$who" -c "BEGIN" -c "SELECT count(*) FROM ($sql) x" -c "ROLLBACK" | sed -n 1p)
	else
		rows=$(as "$who" -c "SELECT count(*) FROM ($sql) x")
	fi
	printf '  %-50s %s, %s rows\n' "$label ($who)" "$(exec_time <<<"$out" | stats)" "$rows"
}
