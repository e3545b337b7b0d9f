#!/usr/bin/env bash
# Benchmark (printed, never asserted): `minqing-admin demo-data` at scale 1
# and 10, each into a fresh scratch database of the private cluster, with
# the wall time of migrate and of the load and the rows it made. As a
# reference measured in the same run on the same database, the time of a
# plain set-based INSERT ... SELECT generate_series of as many narrow rows
# into an ordinary (logged) table: the machine's raw insert speed.
#
# Run by `./dev.sh bench`, which starts the cluster and sets MQ_BUILD_DIR,
# PGHOST, PGPORT and PGUSER. The scratch databases (mq_bench_demo_<pid>_*)
# are dropped on exit; the databases minqing and minqing_test are never
# touched. MQ_BENCH_DEMO_SCALES overrides the scales (default "1 10").
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
read -r -a SCALES <<<"${MQ_BENCH_DEMO_SCALES:-1 10}"
SEED=1
PREFIX=mq_bench_demo_$$

DBS=()
cleanup() {
	local db
	for db in "${DBS[@]}"; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
			echo "demo_data.sh: could not drop scratch database $db" >&2
	done
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

COUNTS_SQL="
SELECT t, n FROM (
	SELECT 1 AS o, 'org_unit' AS t, count(*) AS n FROM minqing.org_unit
	UNION ALL SELECT 2, 'station', count(*) FROM minqing.station
	UNION ALL SELECT 3, 'staff', count(*) FROM minqing.staff
	UNION ALL SELECT 4, 'household', count(*) FROM minqing.household
	UNION ALL SELECT 5, 'resident', count(*) FROM minqing.resident
	UNION ALL SELECT 6, 'party_member', count(*) FROM minqing.party_member
	UNION ALL SELECT 7, 'villager_representative', count(*) FROM minqing.villager_representative
	UNION ALL SELECT 8, 'household_link', count(*) FROM minqing.household_link
	UNION ALL SELECT 9, 'audit_log', count(*) FROM minqing.audit_log) x
ORDER BY o"

echo "demo-data benchmark: $(psql -X -At -d postgres -c 'SHOW server_version') on $(nproc) CPUs," \
	"seed $SEED, scales ${SCALES[*]}"
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
	echo "  demo-data: $load s (wall, including the ANALYZE after commit)"
	# the per-script lines ("ran 10_units.sql (0.06 s)", in the user's language)
	sed -n 's/^\(.*[0-9][0-9]_[a-z_]*\.sql.*\)$/    \1/p' <<<"$out"

	total=0
	line=
	while IFS='|' read -r table n; do
		line+="${line:+, }$table $n"
		total=$((total + n))
	done < <(psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$COUNTS_SQL")
	echo "  rows: $line"
	echo "  total $total rows, $(per_sec "$total" "$load") rows/s"

	ref=$(psql -X -At -q -v ON_ERROR_STOP=1 -d "$db" <<-SQL
		CREATE TABLE public.mq_bench_ref (id bigint NOT NULL, v integer NOT NULL);
		SELECT clock_timestamp() AS t0 \gset
		INSERT INTO public.mq_bench_ref SELECT g, (g % 1000)::integer FROM generate_series(1, $total) AS g;
		SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 2);
		DROP TABLE public.mq_bench_ref;
	SQL
	)
	echo "  reference: INSERT ... SELECT generate_series of $total narrow rows: $ref s," \
		"$(per_sec "$total" "$ref") rows/s"
done
