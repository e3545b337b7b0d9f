#!/usr/bin/env bash
# Benchmark (printed, never asserted): case intake + accept + dispatch, one
# transaction each, from 8 concurrent clients, against pgbench's built-in
# TPC-B-like script on the same cluster in the same run (target: at least
# half of its transactions per second), with RLS, triggers and the event log
# on, as they always are.
#
# Both run under pgbench (-c 8 -j 2 -T 20 by default), each in its own
# scratch database: mq_bench_intake_<pid> (migrate + demo-data --scale 1)
# and mq_bench_tpcb_<pid> (pgbench -i -s 10). One intake transaction, as
# demo_town (a handler of town T01: it may record a case at its town, accept
# it there as triage, and dispatch it to one of its villages):
#
#   BEGIN;
#   SELECT case_id FROM minqing.case_intake(...) \gset
#   SELECT minqing.case_accept(:case_id);
#   SELECT minqing.case_dispatch(:case_id, <a village of T01>);
#   COMMIT;
#
# The cases made are real rows of the scratch database, dropped on exit
# with it; minqing and minqing_test are never touched. Run by
# `./dev.sh bench`, which sets MQ_BUILD_DIR and PG*. MQ_BENCH_INTAKE_SECONDS,
# MQ_BENCH_INTAKE_CLIENTS and MQ_BENCH_INTAKE_THREADS override 20, 8 and 2.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
PGBENCH=${PGBENCH:-$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)}
[ -x "$PGBENCH" ] || { echo "intake.sh: pgbench not found (set PGBENCH)" >&2; exit 1; }
SECS=${MQ_BENCH_INTAKE_SECONDS:-20}
CLIENTS=${MQ_BENCH_INTAKE_CLIENTS:-8}
THREADS=${MQ_BENCH_INTAKE_THREADS:-2}
ACCOUNT=demo_town
DB_CASES=mq_bench_intake_$$
DB_TPCB=mq_bench_tpcb_$$

DBS=()
SCRIPT=
cleanup() {
	local db
	for db in "${DBS[@]}"; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
			echo "intake.sh: could not drop scratch database $db" >&2
	done
	[ -z "$SCRIPT" ] || rm -f "$SCRIPT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
scratch_db() {
	case $1 in minqing | minqing_test) echo "intake.sh: refusing to use $1" >&2; exit 1 ;; esac
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null
	DBS+=("$1")
}
q() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB_CASES" "$@"; }
# pgbench's report -> "tps T, latency L ms (stddev S), N transactions, F failed"
summary() {
	awk '/^tps = / { tps = $3 }
	     /^latency average = / { lat = $4 }
	     /^latency stddev = / { sd = $4 }
	     /^number of transactions actually processed: / { n = $6 }
	     /^number of failed transactions: / { f = $5 " " $6 }
	     END { printf "%s TPS, latency average %s ms%s, %s transactions, %s failed\n",
	           tps, lat, (sd == "" ? "" : " (stddev " sd ")"), n, (f == "" ? "0" : f) }'
}
tps_of() { awk '/^tps = / { print $3 }'; }

echo "intake benchmark: $(psql -X -At -d postgres -c 'SHOW server_version') on $(nproc) CPUs" \
	"($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $("$PGBENCH" --version)"
echo "  $CLIENTS clients, $THREADS threads, $SECS s each; shared and noisy machine:" \
	"figures are information, not pass/fail"

scratch_db "$DB_CASES"
t0=$(now)
PGDATABASE=$DB_CASES "$ADMIN" migrate >/dev/null
PGDATABASE=$DB_CASES "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null
echo "  $DB_CASES: migrate + demo-data --scale 1: $(secs "$t0" "$(now)") s," \
	"$(q -c 'SELECT count(*) FROM minqing.cases') cases before the run"
scratch_db "$DB_TPCB"
t0=$(now)
"$PGBENCH" -i -s 10 -q "$DB_TPCB" >/dev/null 2>&1
echo "  $DB_TPCB: pgbench -i -s 10: $(secs "$t0" "$(now)") s"

# The villages of the account's town, and a few categories (the key ones and
# an immediate one included: dispatch takes them all).
town_path=$(q -c "SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id)
                   WHERE s.login = '$ACCOUNT' AND s.active")
[ -n "$town_path" ] || { echo "intake.sh: no staff account $ACCOUNT in the demo data" >&2; exit 1; }
villages=$(q -c "SELECT string_agg(quote_literal(u.code), ',' ORDER BY u.code)
                   FROM minqing.org_unit u
                  WHERE u.path <@ '$town_path' AND u.level = 'village' AND u.active
                    AND EXISTS (SELECT 1 FROM minqing.staff s
                                 WHERE s.unit_id = u.unit_id AND s.duty = 'handler' AND s.active)")
nvill=$(awk -F, '{ print NF }' <<<"$villages")
categories=$(q -c "SELECT string_agg(category_id::text, ',' ORDER BY category_id)
                     FROM minqing.case_category WHERE active AND parent_id IS NOT NULL")
ncat=$(awk -F, '{ print NF }' <<<"$categories")
echo "  as $ACCOUNT ($town_path): $nvill villages to dispatch to, $ncat categories"

SCRIPT=$(mktemp /tmp/mq_bench_intake.XXXXXX)
cat >"$SCRIPT" <<-EOF
	\set n random(1, 99999999)
	\set c random(1, $ncat)
	\set v random(1, $nvill)
	BEGIN;
	SELECT case_id FROM minqing.case_intake('walk_in', '路灯不亮 ' || :n, '居民反映村口路灯损坏，夜间出行不便，请尽快修复。编号' || :n, (ARRAY[$categories])[:c], '测试', '138' || lpad(:n::text, 8, '0')) \gset
	SELECT minqing.case_accept(:case_id);
	SELECT minqing.case_dispatch(:case_id, (ARRAY[$villages])[:v]);
	COMMIT;
EOF

echo
echo "pgbench built-in TPC-B-like (scale 10), as $PGUSER:"
out_tpcb=$("$PGBENCH" -n -c "$CLIENTS" -j "$THREADS" -T "$SECS" "$DB_TPCB" 2>&1) ||
	{ echo "$out_tpcb" >&2; exit 1; }
echo "  $(summary <<<"$out_tpcb")"

echo "intake + accept + dispatch, as $ACCOUNT:"
out_case=$(PGUSER=$ACCOUNT "$PGBENCH" -n -r -c "$CLIENTS" -j "$THREADS" -T "$SECS" -f "$SCRIPT" \
	"$DB_CASES" 2>&1) || { echo "$out_case" >&2; exit 1; }
echo "  $(summary <<<"$out_case")"
echo "  per statement (ms, average over all clients):"
awk '/statement latencies in milliseconds/ { on = 1; next }
     on && /^ +[0-9.]+ +[0-9]+ +(BEGIN|SELECT|COMMIT)/ {
	lat = $1; $1 = ""; $2 = ""; sub(/^ +/, ""); printf "    %9s  %.70s\n", lat, $0 }' <<<"$out_case"

tps_t=$(tps_of <<<"$out_tpcb")
tps_c=$(tps_of <<<"$out_case")
echo
echo "  made: $(q -c "SELECT count(*) || ' cases (' || count(*) FILTER (WHERE status = 'dispatched')
                           || ' dispatched), ' || (SELECT count(*) FROM minqing.case_event) || ' events'
                      FROM minqing.cases")"
awk -v c="$tps_c" -v t="$tps_t" 'BEGIN {
	if (t > 0) printf "ratio: intake %.0f TPS / TPC-B %.0f TPS = %.2f (target: at least 0.50)\n", c, t, c / t }'
