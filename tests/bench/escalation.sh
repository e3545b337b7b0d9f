#!/usr/bin/env bash
# Benchmark (printed, never asserted): the escalation pass on about a million
# cases, in a scratch database of the private cluster.
#
#   (a) a pass when nothing is due                      (target < 50 ms)
#   (b) a pass when 1% of the cases (10,000) newly fall due, half for the
#       reminder and half overdue for yellow            (target < 1 s)
#   (c) references measured here and now on the same data: a plain
#       count(*) of the due cases, and UPDATEs of 10,000 rows by primary key
#       of a copy of the cases table (set-based, and row by row in PL/pgSQL),
#       what the pass must at least do.
#
# The cases come from `minqing-admin demo-data --scale 10` when the build
# embeds schema/demo/40_cases.sql (timed), else from demo-data --scale 1 (the
# organisation and staff) plus cases generated set-based here with
# session_replication_role = replica, consistent with what the workflow
# would have left: 88% closed, resolved, reported, waiting, red (nothing more
# to do), and open in_progress cases with next_escalation_at in the future
# (the queue case_due follows by its trigger, which fires in replica mode too).
# MQ_BENCH_ESC_SOURCE=generate|demo forces one; MQ_BENCH_ESC_CASES (default
# 1000000) sizes the generated set, MQ_BENCH_ESC_DUE (default 1% of it) the
# due batch.
#
# The pass runs as bench_escalate, a login in mq_escalator (created if
# missing; roles are per cluster), through `minqing-escalate --once --now`
# (wall time, with connection and commit) and through psql (\timing, client
# round trip) and EXPLAIN ANALYZE (server time). The database
# (mq_bench_esc_<pid>) is dropped on exit; minqing and minqing_test are never
# touched. Run by `./dev.sh bench`, which sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
ESCALATE=$MQ_BUILD_DIR/minqing-escalate
[ -x "$ESCALATE" ] || { echo "escalation.sh: $ESCALATE is missing; build first" >&2; exit 1; }
NCASES=${MQ_BENCH_ESC_CASES:-1000000}
NDUE=${MQ_BENCH_ESC_DUE:-$((NCASES / 100))}
ROLE=bench_escalate
DB=mq_bench_esc_$$
case $DB in minqing | minqing_test) exit 1 ;; esac

CREATED=
cleanup() {
	[ -n "$CREATED" ] || return 0
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 ||
		echo "escalation.sh: could not drop scratch database $DB" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
q() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
# psql output -> the "Time: N ms" figures, one a line
times_of() { sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'; }
# (its own: execution time alone, and min/median/max with the runs counted)
exec_time() { sed -n 's/.*Execution Time: \([0-9.]*\) ms.*/\1/p'; }
stats() { # numbers on stdin -> "min X, median Y, max Z ms"
	sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit }
		printf "min %.2f, median %.2f, max %.2f ms (%d runs)", a[1], a[int((NR + 1) / 2)], a[NR], NR }'
}

echo "escalation benchmark: $(psql -X -At -d postgres -c 'SHOW server_version') on $(nproc) CPUs" \
	"($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM"
echo "  shared and noisy machine: figures are information, not pass/fail"

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
CREATED=1
PGDATABASE=$DB "$ADMIN" migrate >/dev/null

source=${MQ_BENCH_ESC_SOURCE:-}
if [ -z "$source" ]; then
	if grep -q '40_cases\.sql' "$ADMIN"; then source=demo; else source=generate; fi
fi

generate() { # cases generated set-based, relative to $T
	q -v ncases="$NCASES" -v t_now="$T" <<-'SQL'
	SET session_replication_role = replica;
	SET work_mem = '256MB';
	SET jit = off;
	CREATE TEMP TABLE v AS
	SELECT row_number() OVER (ORDER BY u.unit_id)::integer AS i, u.unit_id, u.path, u.district_id,
	       (SELECT min(s.staff_id) FROM minqing.staff s
	         WHERE s.unit_id = u.unit_id AND s.duty = 'handler' AND s.active) AS handler
	  FROM minqing.org_unit u WHERE u.level = 'village' AND u.active;
	SELECT count(*) AS nv FROM v \gset
	CREATE TEMP TABLE g AS
	SELECT g, (g % 100)::integer AS r, (1 + (g * 7919) % :nv)::integer AS vi
	  FROM generate_series(1::bigint, :ncases) AS g;
	-- r < 88 closed, 88 resolved, 89 reported, 90 waiting, 91 red (nothing more
	-- to come), 92-93 yellow (orange next, in 1-48 h), 94-99 open with the
	-- reminder next (in 2-49 h).
	INSERT INTO minqing.cases (district_id, case_no, channel, origin_unit_id, origin_path,
		submitter_name, submitter_phone, title, content, category_id, status, assigned_unit_id,
		assigned_path, handler_staff_id, commitment_kind, commitment_amount, started_at, due_at,
		paused_at, pause_reason, warning_level, reminded_at, next_escalation_at, accepted_at,
		dispatched_at, resolved_at, result, reported_at, closed_at, satisfaction, entered_by,
		created_at, updated_at)
	SELECT v.district_id, 'LW-B-' || to_char(g.g, 'FM0000000'),
	       (enum_range(NULL::minqing.case_channel))[1 + g.g % 7], v.unit_id, v.path,
	       '居民' || (g.g % 997), '13' || to_char((g.g * 104729) % 1000000000, 'FM000000000'),
	       (ARRAY['邻里排水纠纷','低保申请咨询','路灯不亮','楼道堆放杂物','医保报销问题',
	              '宅基地界址争议','噪音扰民','自来水停水'])[1 + g.g % 8],
	       (ARRAY['反映','咨询','投诉','求助'])[1 + g.g % 4]
	         || (ARRAY['村口','小区','菜市场','学校旁','河道边','工业区'])[1 + (g.g / 8) % 6]
	         || (ARRAY['排水沟堵塞已有一周','路灯损坏夜间出行不便','低保政策如何申请',
	                   '邻居装修噪音很大','垃圾清运不及时','医保异地报销流程','宅基地界址有争议',
	                   '自来水水压不足'])[1 + (g.g / 48) % 8] || '，编号' || g.g,
	       4 + g.g % 18, x.status, v.unit_id, v.path, v.handler, 'days', 3,
	       x.started, x.due, x.paused, CASE WHEN x.paused IS NOT NULL THEN '等待群众补充材料' END,
	       x.warning, x.reminded, x.next, x.started, x.started,
	       x.resolved, CASE WHEN x.resolved IS NOT NULL THEN '已办结，群众认可' END,
	       CASE WHEN x.status IN ('reported', 'closed') THEN x.resolved + interval '1 day' END,
	       CASE WHEN x.status = 'closed' THEN x.resolved + interval '2 days' END,
	       CASE WHEN x.status = 'closed' THEN 'satisfied'::minqing.satisfaction END,
	       'bench', x.started - interval '1 hour', x.started
	  FROM g JOIN v ON v.i = g.vi
	 CROSS JOIN LATERAL (SELECT
		CASE WHEN g.r < 88 THEN 'closed' WHEN g.r < 89 THEN 'resolved' WHEN g.r < 90 THEN 'reported'
		     WHEN g.r < 91 THEN 'waiting' ELSE 'in_progress' END::minqing.case_status AS status,
		CASE WHEN g.r < 90 THEN :'t_now'::timestamptz - (g.g % 360 + 5) * interval '1 day'
		     WHEN g.r < 94 THEN :'t_now'::timestamptz - (g.g % 20 + 12) * interval '1 day'
		     ELSE :'t_now'::timestamptz - (g.g % 48 + 1) * interval '1 hour' END AS started,
		CASE WHEN g.r < 90 THEN :'t_now'::timestamptz - (g.g % 360) * interval '1 day'
		     WHEN g.r < 94 THEN :'t_now'::timestamptz - (g.g % 5 + 2) * interval '1 day'
		     ELSE :'t_now'::timestamptz + (g.g % 72 + 24) * interval '1 hour' END AS due,
		CASE WHEN g.r = 90 THEN :'t_now'::timestamptz - interval '1 day' END AS paused,
		CASE WHEN g.r = 91 THEN 'red' WHEN g.r IN (92, 93) THEN 'yellow'
		     ELSE 'none' END::minqing.warning_level AS warning,
		CASE WHEN g.r BETWEEN 91 AND 93 THEN :'t_now'::timestamptz - interval '10 days' END AS reminded,
		CASE WHEN g.r IN (92, 93) THEN :'t_now'::timestamptz + (g.g % 48 + 1) * interval '1 hour'
		     WHEN g.r >= 94 THEN :'t_now'::timestamptz + (g.g % 48 + 2) * interval '1 hour' END AS next,
		CASE WHEN g.r < 90 THEN :'t_now'::timestamptz - (g.g % 360 + 1) * interval '1 day' END AS resolved
	 ) x;
	SQL
}

ncases() { q -c "SELECT count(*) FROM minqing.cases"; }
T=$(q -c "SELECT date_trunc('minute', now())")
if [ "$source" = demo ]; then
	scale=${MQ_BENCH_ESC_SCALE:-10}
	t0=$(now)
	if PGDATABASE=$DB "$ADMIN" demo-data --scale "$scale" --seed 1 >/dev/null; then
		echo "cases: minqing-admin demo-data --scale $scale: $(secs "$t0" "$(now)") s, $(ncases) cases"
	else
		echo "cases: minqing-admin demo-data --scale $scale failed after $(secs "$t0" "$(now)") s"
		PGDATABASE=$DB "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null
	fi
	T=$(q -c "SELECT date_trunc('minute', now())")
	if [ "$(ncases)" -lt $((NCASES / 2)) ]; then
		echo "  (too few cases for this benchmark: generating $NCASES more)"
		source=generate-on-demo
	fi
else
	t0=$(now)
	PGDATABASE=$DB "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null
	echo "cases: demo-data --scale 1 (units, staff, people): $(secs "$t0" "$(now)") s"
fi
if [ "$source" != demo ]; then
	t0=$(now)
	generate
	echo "  $NCASES cases generated set-based (replica mode, all indexes in place): $(secs "$t0" "$(now)") s"
fi
t0=$(now)
q -c "VACUUM ANALYZE"
echo "VACUUM ANALYZE: $(secs "$t0" "$(now)") s"

psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<-SQL
	DO \$\$BEGIN
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
			CREATE ROLE $ROLE LOGIN IN ROLE mq_escalator;
		END IF;
	END\$\$;
SQL
escalate() { PGDATABASE=$DB PGUSER=$ROLE "$ESCALATE" --once --now "$T"; }
as_role() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -U "$ROLE" "$@"; }

# A pass that catches up with whatever the data left due (demo data: nothing).
out=$(escalate)
echo "\"now\" of every pass: $T; catch-up pass first: $out"
echo
q -F ' ' <<-SQL | awk '{ printf "  %-44s %s\n", $1 ":", $2 }'
	SELECT 'cases', count(*) FROM minqing.cases
	UNION ALL SELECT 'open', count(*) FROM minqing.cases
	 WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting')
	UNION ALL SELECT 'in_the_escalation_queue_(case_due)', count(*) FROM minqing.case_due
	UNION ALL SELECT 'due_at_"now"', count(*) FROM minqing.case_due WHERE due_at <= '$T'
	UNION ALL SELECT 'case_event_rows', count(*) FROM minqing.case_event
	UNION ALL SELECT 'outbox_rows', count(*) FROM minqing.outbox
	UNION ALL SELECT 'cases_table+indexes_MB', pg_total_relation_size('minqing.cases') / 1048576
SQL

echo
echo "(a) pass with nothing due (target < 50 ms)"
walls=()
for i in 1 2 3; do
	t0=$(now); escalate >/dev/null; walls+=("$(ms "$t0" "$(now)")")
done
echo "  minqing-escalate --once, wall (connect, pass, commit, exit): ${walls[*]} ms"
out=$(as_role <<-SQL
	\timing on
	SELECT * FROM minqing.escalation_pass('$T');
	SELECT * FROM minqing.escalation_pass('$T');
	SELECT * FROM minqing.escalation_pass('$T');
	SELECT * FROM minqing.escalation_pass('$T');
	SELECT * FROM minqing.escalation_pass('$T');
SQL
)
echo "  psql \\timing, SELECT escalation_pass (first call plans): $(times_of <<<"$out" | stats)"
out=$(as_role -c "EXPLAIN (ANALYZE) SELECT * FROM minqing.escalation_pass('$T')")
echo "  EXPLAIN ANALYZE, server execution time: $(exec_time <<<"$out") ms"

# Make $NDUE open cases newly due at T: half for the reminder (deadline
# tomorrow), half overdue since a minute (reminded, yellow next).
make_due() {
	q -v n="$NDUE" -v t_now="$T" <<-'SQL'
	SET session_replication_role = replica;
	WITH pick AS (
		SELECT case_id, row_number() OVER (ORDER BY case_id) AS k
		  FROM minqing.cases
		 WHERE status IN ('accepted', 'dispatched', 'in_progress') AND warning_level = 'none'
		   AND next_escalation_at > :'t_now'::timestamptz
		 ORDER BY case_id LIMIT :n)
	UPDATE minqing.cases c
	   SET started_at = :'t_now'::timestamptz - CASE WHEN p.k % 2 = 0 THEN interval '4 days'
	                                               ELSE interval '8 days' END,
	       due_at = CASE WHEN p.k % 2 = 0 THEN :'t_now'::timestamptz + interval '1 day'
	                     ELSE :'t_now'::timestamptz - interval '1 minute' END,
	       reminded_at = CASE WHEN p.k % 2 = 0 THEN NULL
	                          ELSE :'t_now'::timestamptz - interval '2 days' END,
	       -- the stored schedule the trigger would have computed
	       remind_at = :'t_now'::timestamptz - interval '1 minute',
	       yellow_at = CASE WHEN p.k % 2 = 0 THEN :'t_now'::timestamptz + interval '1 day'
	                        ELSE :'t_now'::timestamptz - interval '1 minute' END,
	       orange_at = :'t_now'::timestamptz + interval '3 days',
	       red_at = :'t_now'::timestamptz + interval '7 days',
	       next_escalation_at = :'t_now'::timestamptz - interval '1 minute'
	  FROM pick p WHERE c.case_id = p.case_id;
	SELECT count(*) FROM minqing.case_due WHERE due_at <= :'t_now'::timestamptz;
	SQL
}

echo
echo "(b) pass when 1% newly fall due (target < 1 s)"
n=$(make_due)
echo "  due at \"now\": $n cases (half reminder, half yellow)"
out=$(as_role <<-SQL
	BEGIN;
	EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM minqing.escalation_pass('$T');
	ROLLBACK;
SQL
)
echo "  EXPLAIN ANALYZE, server execution time (then rolled back): $(exec_time <<<"$out") ms," \
	"$(sed -n 's/^ *Buffers: \(.*\)/\1/p' <<<"$out" | head -1)"
t0=$(now); out=$(escalate); t1=$(now)
echo "  minqing-escalate --once, wall (committed): $(ms "$t0" "$t1") ms: $out"
t0=$(now); out=$(escalate); t1=$(now)
echo "  the same pass again at once (idempotent), wall: $(ms "$t0" "$t1") ms: $out"
n=$(make_due)
echo "  another $n cases made due"
cnt=$(q <<-SQL
	\timing on
	SELECT count(*) FROM minqing.case_due WHERE due_at <= '$T';
	SELECT count(*) FROM minqing.case_due WHERE due_at <= '$T';
	SELECT count(*) FROM minqing.case_due WHERE due_at <= '$T';
SQL
)
out=$(as_role -A -F ' ' <<-SQL
	\timing on
	SELECT cases, reminders, yellow, orange, red, messages FROM minqing.escalation_pass('$T');
SQL
)
echo "  psql \\timing, SELECT escalation_pass (committed): $(times_of <<<"$out") ms:" \
	"cases reminders yellow orange red messages = $(sed -n 2p <<<"$out")"

echo
echo "(c) references, same database, same run"
echo "  SELECT count(*) FROM case_due WHERE due_at <= now, $NDUE due (\\timing):" \
	"$(times_of <<<"$cnt" | stats)"
out=$(q <<-SQL
	SET session_replication_role = replica;
	CREATE TABLE public.mq_bench_ref AS SELECT * FROM minqing.cases;
	ALTER TABLE public.mq_bench_ref ADD PRIMARY KEY (case_id);
	CREATE INDEX ON public.mq_bench_ref (next_escalation_at) WHERE next_escalation_at IS NOT NULL;
	CREATE INDEX ON public.mq_bench_ref (status, due_at) WHERE status NOT IN ('closed', 'withdrawn');
	VACUUM ANALYZE public.mq_bench_ref;
	CREATE TEMP TABLE ids AS
	SELECT case_id FROM public.mq_bench_ref WHERE status = 'in_progress' ORDER BY case_id LIMIT $NDUE;
	ANALYZE ids;
	\timing on
	UPDATE public.mq_bench_ref r SET warning_level = 'yellow', reminded_at = '$T',
	       next_escalation_at = '$T'::timestamptz + interval '3 days', row_version = row_version + 1
	  FROM ids WHERE r.case_id = ids.case_id;
	DO \$\$
	DECLARE i bigint;
	BEGIN
		FOR i IN SELECT case_id FROM ids LOOP
			UPDATE public.mq_bench_ref SET warning_level = 'orange',
			       next_escalation_at = next_escalation_at + interval '4 days',
			       row_version = row_version + 1
			 WHERE case_id = i;
		END LOOP;
	END
	\$\$;
	\timing off
	DROP TABLE public.mq_bench_ref;
SQL
)
mapfile -t rt < <(times_of <<<"$out")
echo "  UPDATE of $NDUE rows by primary key of a copy of cases (PK and 2 partial indexes)," \
	"set-based: ${rt[0]:-?} ms"
echo "  the same, one UPDATE per row in a PL/pgSQL loop: ${rt[1]:-?} ms"
