#!/usr/bin/env bash
# Benchmark (printed, never asserted): `minqing-admin demo-data` at scale 1
# and 10, each into a fresh scratch database of the private cluster, with
# the wall time of migrate and of the load, its scripts' own times and the
# rows it made. As a reference measured in the same run on the same
# database: a bare COPY of the same rows. Every table the load filled is
# copied out (COPY (SELECT * ...) TO a file) and read back into an empty
# table of the same shape (CREATE TABLE ... (LIKE ...): columns and NOT
# NULL, no index, constraint or trigger), one COPY FROM per table, and only
# the COPY FROM is timed: what the machine takes to store these rows at all.
#
# Run by `./dev.sh bench`, which starts the cluster and sets MQ_BUILD_DIR,
# PGHOST, PGPORT and PGUSER. The scratch databases (mq_bench_demo_<pid>_*)
# are dropped on exit, and the copies with them; the databases minqing and
# minqing_test are never touched. MQ_BENCH_DEMO_SCALES overrides the scales
# (default "1 10").
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
read -r -a SCALES <<<"${MQ_BENCH_DEMO_SCALES:-1 10}"
SEED=1
PREFIX=mq_bench_demo_$$
TMP=$(mktemp -d)

DBS=()
cleanup() {
	local db
	for db in "${DBS[@]}"; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
			echo "demo_data.sh: could not drop scratch database $db" >&2
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
per_sec() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }

scratch_db() { # name: create a scratch database, never one of the project's own
	case $1 in
	minqing | minqing_test) echo "demo_data.sh: refusing to use $1" >&2; exit 1 ;;
	esac
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null
	DBS+=("$1")
}

# The query that counts the rows of every table of the schema, most first.
COUNTS_SQL="
SELECT string_agg(format('SELECT %L AS t, count(*) AS n FROM minqing.%I', c.relname, c.relname), ' UNION ALL ')
       || ' ORDER BY n DESC, t'
  FROM pg_class c
 WHERE c.relnamespace = 'minqing'::regnamespace AND c.relkind = 'r'"

# The reference for database $1: the tables named on stdin ("table|rows",
# rows > 0) copied out to a file and back into an empty LIKE table, one
# COPY FROM each, timed; prints "table|rows|seconds" lines.
reference() {
	local db=$1 table n t
	while IFS='|' read -r table n; do
		t=$(psql -X -At -q -v ON_ERROR_STOP=1 -d "$db" <<-SQL
			CREATE TABLE public.mq_bench_ref (LIKE minqing."$table");
			\copy (SELECT * FROM minqing."$table") TO '$TMP/ref.copy'
			SELECT clock_timestamp() AS t0 \gset
			\copy public.mq_bench_ref FROM '$TMP/ref.copy'
			SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 3);
			DROP TABLE public.mq_bench_ref;
		SQL
		)
		rm -f "$TMP/ref.copy"
		echo "$table|$n|$t"
	done
}

echo "demo-data benchmark: $(psql -X -At -d postgres -c 'SHOW server_version') on $(nproc) CPUs," \
	"seed $SEED, scales ${SCALES[*]}"
echo "  shared and noisy machine: figures are information, not pass/fail"
for scale in "${SCALES[@]}"; do
	db=${PREFIX}_s${scale//[^0-9]/_}
	scratch_db "$db"
	echo
	echo "scale $scale (database $db)"

	t0=$(now)
	PGDATABASE=$db "$ADMIN" migrate >/dev/null
	t1=$(now)
	out=$(PGDATABASE=$db "$ADMIN" demo-data --scale "$scale" --seed "$SEED")
	t2=$(now)
	load=$(secs "$t1" "$t2")
	echo "  migrate:   $(secs "$t0" "$t1") s"
	echo "  demo-data: $load s (wall)"
	# the per-script lines ("ran 10_units.sql (0.06 s)", in the user's language)
	sed -n 's/^\(.*[0-9][0-9]_[a-z_]*\.sql.*\)$/    \1/p' <<<"$out"

	counts=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$COUNTS_SQL")" |
		awk -F'|' '$2 > 0')
	total=$(awk -F'|' '{ s += $2 } END { print s + 0 }' <<<"$counts")
	echo "  rows: $total in $(wc -l <<<"$counts") tables, $(per_sec "$total" "$load") rows/s; the largest:" \
		"$(head -n 6 <<<"$counts" | awk -F'|' '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }')"

	refs=$(reference "$db" <<<"$counts")
	ref=$(awk -F'|' '{ s += $3 } END { printf "%.2f", s }' <<<"$refs")
	echo "  reference: bare COPY FROM of the same $total rows into plain tables (no index): $ref s," \
		"$(per_sec "$total" "$ref") rows/s; the largest:" \
		"$(head -n 6 <<<"$refs" | awk -F'|' '{ printf "%s%s %.2f s", (NR > 1 ? ", " : ""), $1, $3 }')"
	echo "  demo-data / reference: $(awk -v a="$load" -v b="$ref" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
done
