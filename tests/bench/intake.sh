#!/usr/bin/env bash
# Benchmark (printed, never asserted): the case workflow's transactions from
# 8 concurrent clients against pgbench's built-in TPC-B-like script on the
# same cluster in the same run, with RLS, triggers, the event log, the
# report figures and notifications on, as they always are. Targets: every
# single transition at least 0.5x TPC-B's transactions per second, the
# three-step transaction at least 0.25x.
#
#   three-step   BEGIN; case_intake; case_accept; case_dispatch; COMMIT
#                (as demo_town, a handler of town T01, to a random village)
#   intake       case_intake alone (demo_town): received cases at T01
#   accept       case_accept of those cases (demo_town)
#   dispatch     case_dispatch of them, each client's to a village of its own
#   start        case_start, by the handlers of those villages, one client
#                each (-> in progress)
#   resolve      case_resolve with a result (the same handlers); it queues
#                the result SMS in the outbox in the same transaction
#
# Each transition after intake works through the cases the phase before
# made, one case per transaction and each client its own share of them (a
# pgbench variable counts them; -t, as many as there are, instead of -T).
# Start and resolve run as eight handlers at once (eight pgbench runs of one
# client each, their rates added), as eight villages would: one account
# resolving thousands of cases an hour would meet the district's limit on
# the messages a person's actions queue, which a busy sender's count makes
# dearer with every message.
# TPC-B runs before and after the case phases; the reference is their mean.
#
# MQ_BENCH_INTAKE_PROFILE=1 profiles every phase as well: track_functions =
# all and pg_stat_statements with track = all, both reset before each phase;
# it prints the functions and triggers by their own time and the statements
# by total time. Profiling costs time itself: compare profiles with
# profiles. pg_stat_statements needs shared_preload_libraries (./dev.sh
# start sets it); without it only the function profile is printed.
#
# Everything runs under pgbench (-c 8 -j 2 -T 20 by default), in scratch
# databases: mq_bench_intake_<pid> (migrate + demo-data --scale 1) and
# mq_bench_tpcb_<pid> (pgbench -i -s 10). The cases made are rows of the
# scratch database, dropped on exit with it; minqing and minqing_test are
# never touched. Run by `./dev.sh bench`, which sets MQ_BUILD_DIR and PG*.
# MQ_BENCH_INTAKE_SECONDS, MQ_BENCH_INTAKE_CLIENTS and MQ_BENCH_INTAKE_THREADS
# override 20, 8 and 2.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
PGBENCH=${PGBENCH:-$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)}
[ -x "$PGBENCH" ] || { echo "intake.sh: pgbench not found (set PGBENCH)" >&2; exit 1; }
SECS=${MQ_BENCH_INTAKE_SECONDS:-20}
CLIENTS=${MQ_BENCH_INTAKE_CLIENTS:-8}
THREADS=${MQ_BENCH_INTAKE_THREADS:-2}
ACCOUNT=demo_town
PROFILE=${MQ_BENCH_INTAKE_PROFILE:-}
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
	[ -z "$SCRIPT" ] || rm -rf "$SCRIPT"
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

# The resolvers: a handler (with a login) of each of as many villages of the
# town as there are clients (fewer when the town has fewer).
RES_LOGINS=() RES_UNITS=()
while read -r login unit; do
	RES_LOGINS+=("$login")
	RES_UNITS+=("$unit")
done < <(q -F ' ' -c "SELECT DISTINCT ON (u.code) s.login, u.code FROM minqing.staff s
	JOIN minqing.org_unit u USING (unit_id) JOIN pg_roles r ON r.rolname = s.login AND r.rolcanlogin
	WHERE u.path <@ '$town_path' AND u.level = 'village' AND s.duty = 'handler' AND s.active
	ORDER BY u.code, s.staff_id LIMIT $CLIENTS")
NRES=${#RES_LOGINS[@]}
[ "$NRES" -gt 0 ] || { echo "intake.sh: no handler of a village of $town_path" >&2; exit 1; }
RES_LIST=$(printf "'%s'," "${RES_UNITS[@]}")
echo "  resolvers: ${RES_LOGINS[*]}"

SCRIPT=$(mktemp -d /tmp/mq_bench_intake.XXXXXX)
# The case a client takes next: the phase's queue (n from 0) at
# client_id + clients * k, k counting that client's transactions.
NEXT="\\set n :client_id + $CLIENTS * :k
\\set k :k + 1"
PICK="(SELECT case_id FROM public.bench_q WHERE n = :n)"
INTAKE="minqing.case_intake('walk_in', '路灯不亮 ' || :n, '居民反映村口路灯损坏，夜间出行不便，请尽快修复。编号' || :n, (ARRAY[$categories])[:c], '测试', '138' || lpad(:n::text, 8, '0'))"
cat >"$SCRIPT/three_step" <<-EOF
	\set n random(1, 99999999)
	\set c random(1, $ncat)
	\set v random(1, $nvill)
	BEGIN;
	SELECT case_id FROM $INTAKE \gset
	SELECT minqing.case_accept(:case_id);
	SELECT minqing.case_dispatch(:case_id, (ARRAY[$villages])[:v]);
	COMMIT;
EOF
cat >"$SCRIPT/intake" <<-EOF
	\set n random(1, 99999999)
	\set c random(1, $ncat)
	SELECT case_id FROM $INTAKE;
EOF
printf '%s\nSELECT minqing.case_accept(%s);\n' "$NEXT" "$PICK" >"$SCRIPT/accept"
# (each client to its own village: client_id = n % clients)
printf '%s\nSELECT minqing.case_dispatch(%s, (ARRAY[%s])[1 + :client_id %% %s]);\n' "$NEXT" "$PICK" \
	"${RES_LIST%,}" "$NRES" >"$SCRIPT/dispatch"
# Start and resolve: one client per village, its own queue (v), k counting.
PICK_V="(SELECT case_id FROM public.bench_q WHERE v = :v AND n = :k)"
printf '%s\n\\set k :k + 1\n' "SELECT minqing.case_start($PICK_V);" >"$SCRIPT/start"
# (with a reason for lateness: an immediate matter is due at once)
printf '%s\n\\set k :k + 1\n' \
	"SELECT minqing.case_resolve($PICK_V, '已派人更换灯泡，路灯恢复照明，群众表示满意。', '当日处理');" \
	>"$SCRIPT/resolve"

q -c "CREATE TABLE public.bench_q (v integer NOT NULL DEFAULT 0, n bigint NOT NULL, case_id bigint NOT NULL,
                                   PRIMARY KEY (v, n))" \
	-c "GRANT SELECT ON public.bench_q TO PUBLIC"
# Each handler resolves thousands of cases here, each queueing a result
# message: the district's limit on the messages one person's actions queue
# (60 an hour) would stop the run after 60.
q -c "INSERT INTO minqing.message_limit (district_id, per_sender_hour, per_sender_day, per_phone_day)
      SELECT district_id, 1000000, 1000000, 1000000 FROM minqing.district
      ON CONFLICT (district_id) DO UPDATE SET per_sender_hour = 1000000, per_sender_day = 1000000,
                                              per_phone_day = 1000000"
PGSS=
if [ -n "$PROFILE" ]; then
	q -c "ALTER DATABASE \"$DB_CASES\" SET track_functions = 'all'"
	if q -c 'SHOW shared_preload_libraries' | grep -q pg_stat_statements; then
		q -c "CREATE EXTENSION pg_stat_statements SCHEMA public" \
			-c "ALTER DATABASE \"$DB_CASES\" SET pg_stat_statements.track = 'all'"
		PGSS=1
	fi
	echo "  profiling: track_functions = all${PGSS:+, pg_stat_statements (track = all)}"
fi
FIRST_CASE=$(q -c "SELECT coalesce(max(case_id), 0) FROM minqing.cases")

# queue STATUS: the next phase's cases, those of STATUS made by this run (v
# 0); once dispatched, those at the resolvers' villages, per village (v the
# village's index; the three-step's went anywhere). Prints how many, at
# most, each client has (the fewest of a village's).
queue() {
	q -c "TRUNCATE public.bench_q" \
		-c "INSERT INTO public.bench_q
		    SELECT coalesce(r.v, 0), row_number() OVER (PARTITION BY r.v ORDER BY c.case_id) - 1, c.case_id
		      FROM minqing.cases c
		      LEFT JOIN (SELECT u.unit_id, min(x.i) - 1 AS v
		                   FROM unnest(ARRAY[${RES_LIST%,}]) WITH ORDINALITY AS x (code, i)
		                   JOIN minqing.org_unit u ON u.code = x.code GROUP BY u.unit_id) r
		        ON r.unit_id = c.assigned_unit_id
		     WHERE c.status = '$1' AND c.case_id > $FIRST_CASE
		       AND (c.assigned_unit_id IS NULL OR r.unit_id IS NOT NULL)"
	if [ "$1" = received ] || [ "$1" = accepted ]; then
		q -c "SELECT count(*) / $CLIENTS FROM public.bench_q"
	else
		q -c "SELECT coalesce(min(n), 0) FROM (SELECT count(*) AS n FROM public.bench_q GROUP BY v) x"
	fi
}
profile_reset() {
	[ -n "$PROFILE" ] || return 0
	q -c "SELECT pg_stat_reset()" >/dev/null
	[ -z "$PGSS" ] || q -c "SELECT public.pg_stat_statements_reset()" >/dev/null
}
# profile_show N: where N transactions' server time went: the functions and
# triggers by their own time, then the statements by total time.
profile_show() {
	[ -n "$PROFILE" ] || return 0
	sleep 1 # pgbench's backends flush their counters as they exit
	echo "      functions and triggers by self time: ms per call, calls per transaction, share"
	q -c "SELECT format('      %9s %6s %5s%%  %s', round((self_time / calls)::numeric, 4),
	                    round(calls::numeric / $1, 2),
	                    round((100 * self_time / nullif(sum(self_time) OVER (), 0))::numeric, 1),
	                    funcname)
	        FROM pg_stat_user_functions ORDER BY self_time DESC LIMIT 12"
	[ -n "$PGSS" ] || return 0
	echo "      statements by total time: ms per call, calls per transaction, share"
	q -c "SELECT format('      %9s %6s %5s%%  %s', round((total_exec_time / calls)::numeric, 4),
	                    round(calls::numeric / $1, 2),
	                    round((100 * total_exec_time / nullif(sum(total_exec_time) OVER (), 0))::numeric, 1),
	                    left(regexp_replace(query, '\s+', ' ', 'g'), 100))
	        FROM public.pg_stat_statements
	       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
	       ORDER BY total_exec_time DESC LIMIT 14"
}
# phase LABEL ACCOUNT SCRIPT PGBENCH-OPTIONS...: run one phase, print its
# summary (and profile), set TPS.
phase() {
	local label=$1 who=$2 script=$3 out n
	shift 3
	profile_reset
	out=$(PGUSER=$who "$PGBENCH" -n -c "$CLIENTS" -j "$THREADS" -D k=0 -f "$SCRIPT/$script" "$@" \
		"$DB_CASES" 2>&1) || { echo "$out" >&2; exit 1; }
	TPS=$(tps_of <<<"$out")
	n=$(awk '/^number of transactions actually processed: / { split($6, a, "/"); print a[1] }' <<<"$out")
	printf '  %-12s %-16s %s\n' "$label" "$who" "$(summary <<<"$out")"
	profile_show "$n"
}
# handlers LABEL SCRIPT N: the phase as the resolvers, one pgbench of one
# client each, N transactions each, at once; their rates added. Sets TPS.
handlers() {
	local label=$1 script=$2 n=$3 i out lat
	local -a pids=()
	profile_reset
	for i in "${!RES_LOGINS[@]}"; do
		PGUSER=${RES_LOGINS[$i]} "$PGBENCH" -n -c 1 -j 1 -D k=0 -D v="$i" -t "$n" -f "$SCRIPT/$script" \
			"$DB_CASES" >"$SCRIPT/out.$i" 2>&1 &
		pids+=("$!")
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || { cat "$SCRIPT/out.$i" >&2; exit 1; }
	done
	TPS=$(cat "$SCRIPT"/out.* | awk '/^tps = / { t += $3 } END { printf "%.1f", t }')
	lat=$(cat "$SCRIPT"/out.* | awk '/^latency average = / { l += $4; k++ } END { printf "%.3f", l / k }')
	printf '  %-12s %-16s %s TPS in all, latency average %s ms, %s transactions, 0 failed\n' "$label" \
		"${#RES_LOGINS[@]} handlers" "$TPS" "$lat" $((n * ${#RES_LOGINS[@]}))
	profile_show $((n * ${#RES_LOGINS[@]}))
	rm -f "$SCRIPT"/out.*
}
tpcb() {
	local out
	out=$("$PGBENCH" -n -c "$CLIENTS" -j "$THREADS" -T "$SECS" "$DB_TPCB" 2>&1) ||
		{ echo "$out" >&2; exit 1; }
	printf '  %-12s %-16s %s\n' "TPC-B" "$PGUSER ($1)" "$(summary <<<"$out")"
	TPS=$(tps_of <<<"$out")
}

# What a NOTIFY in every transaction costs on this machine: TPC-B again with
# one pg_notify before its END (commits that notify wait for one another:
# why the workflow relays its notifications, 030_case_news.sql).
cat >"$SCRIPT/tpcb_notify" <<-'EOF'
	\set aid random(1, 100000 * :scale)
	\set bid random(1, 1 * :scale)
	\set tid random(1, 10 * :scale)
	\set delta random(-5000, 5000)
	BEGIN;
	UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
	SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
	UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
	UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
	INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
	SELECT pg_notify('mq_bench', :aid::text);
	END;
EOF

echo
tpcb before
tps_before=$TPS
declare -A R
phase three-step "$ACCOUNT" three_step -T "$SECS"
R[three-step]=$TPS
phase intake "$ACCOUNT" intake -T "$SECS"
R[intake]=$TPS
for step in accept:received dispatch:accepted; do
	IFS=: read -r name status <<<"$step"
	phase "$name" "$ACCOUNT" "$name" -t "$(queue "$status")"
	R[$name]=$TPS
done
for step in start:dispatched resolve:in_progress; do
	IFS=: read -r name status <<<"$step"
	handlers "$name" "$name" "$(queue "$status")"
	R[$name]=$TPS
done
tpcb after
ref=$(awk -v a="$tps_before" -v b="$TPS" 'BEGIN { printf "%.1f", (a + b) / 2 }')
out=$("$PGBENCH" -n -c "$CLIENTS" -j "$THREADS" -T "$SECS" -f "$SCRIPT/tpcb_notify" "$DB_TPCB" 2>&1) ||
	{ echo "$out" >&2; exit 1; }
printf '  %-12s %-16s %s\n' "TPC-B+NOTIFY" "$PGUSER" "$(summary <<<"$out")"
tps_notify=$(tps_of <<<"$out")

echo
echo "  made: $(q -c "SELECT count(*) || ' cases (' || count(*) FILTER (WHERE status = 'resolved')
                           || ' resolved), ' || (SELECT count(*) FROM minqing.case_event) || ' events, '
                           || (SELECT count(*) FROM minqing.outbox) || ' messages queued'
                      FROM minqing.cases WHERE case_id > $FIRST_CASE")"
echo "  against TPC-B $ref TPS (the mean of $tps_before before and $TPS after):"
awk -v c="$tps_notify" -v t="$ref" 'BEGIN {
	printf "    %-12s %8.1f TPS = %.2f x TPC-B (a reference: TPC-B with a NOTIFY in each transaction)\n",
		"TPC-B+NOTIFY", c, c / t }'
for name in three-step intake accept dispatch start resolve; do
	case $name in
	three-step) target="at least 0.25" ;;
	start) target="none: the step before resolve" ;;
	*) target="at least 0.50" ;;
	esac
	awk -v n="$name" -v c="${R[$name]}" -v t="$ref" -v g="$target" 'BEGIN {
		printf "    %-12s %8.1f TPS = %.2f x TPC-B (target: %s)\n", n, c, c / t, g }'
done
