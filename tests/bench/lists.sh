#!/usr/bin/env bash
# Benchmark (printed, never asserted): the queries of the console's lists
# (the view files forms/inbox.view, cases.view, warnings.view) on about a
# million cases, as the accounts that run them, in a scratch database of the
# private cluster. Target: < 50 ms server execution time each.
#
#   inbox, first page     as demo_town (a town), demo_village (a village
#                         officer) and demo_dept (a district department's
#                         handler): minqing.inbox(), keyset (due, id)
#   inbox, next page      demo_town, after the last row of the first page
#   find cases            as demo_supervisor (sees every case) and demo_town:
#                         newest first (cases_created); a case number prefix
#                         (a range on the text_pattern_ops index) and a serial
#                         (the numbers of every year looked up); a mobile
#                         number (cases_phone_created); a common and a rare
#                         two-character word (minqing.case_find_words(): the
#                         newest 2,000 visible cases, then the bigram index)
#   warnings, first page  demo_supervisor and demo_town: cases_open_due walked
#                         most overdue first, warning level filtered
#   reference             SELECT ... FROM cases ORDER BY case_id LIMIT 50, the
#                         same row shape, as demo_supervisor and as postgres
#
# The organisation and staff come from `minqing-admin demo-data --scale 1`;
# the cases are generated here set-based (session_replication_role =
# replica), spread over villages, towns and departments so that every account
# above has a real inbox: 80% closed, the rest received, accepted, dispatched,
# in progress, waiting, resolved or reported, 2% open and overdue with a
# yellow, orange or red warning. case_search fills itself by its trigger
# (which fires in replica mode too). Titles come from a short list (路灯 is in
# one case of eight); one case in 10,000 is about 古井 (the rare word).
# MQ_BENCH_LIST_CASES (default 1000000) sizes the set; MQ_BENCH_LIST_KEEP=1
# keeps the database afterwards (its name is printed) to look at plans.
#
# Each statement is the console's own (parameters written in as literals, as
# the unnamed statements of PQexecParams are planned with their values), run
# three times under EXPLAIN (ANALYZE); the figures are server execution times
# (min, median, max). The database (mq_bench_list_<pid>) is dropped on exit;
# minqing and minqing_test are never touched. Run by `./dev.sh bench`, which
# sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
NCASES=${MQ_BENCH_LIST_CASES:-1000000}
DB=mq_bench_list_$$
case $DB in minqing | minqing_test) exit 1 ;; esac

CREATED=
cleanup() {
	[ -n "$CREATED" ] || return 0
	if [ -n "${MQ_BENCH_LIST_KEEP:-}" ]; then
		echo "lists.sh: kept the database $DB (drop it when done)"
		return 0
	fi
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 ||
		echo "lists.sh: could not drop scratch database $DB" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
q() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
as() { local who=$1; shift; psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" -U "$who" "$@"; }

# bench LABEL ACCOUNT SQL: three EXPLAIN ANALYZE runs, the rows of one plain run.
bench() {
	local label=$1 who=$2 sql=$3 out rows
	out=$(as "$who" <<-SQL
		EXPLAIN (ANALYZE) $sql;
		EXPLAIN (ANALYZE) $sql;
		EXPLAIN (ANALYZE) $sql;
	SQL
	)
	rows=$(as "$who" -c "SELECT count(*) FROM ($sql) x")
	printf '  %-52s %s, %s rows\n' "$label ($who)" "$(exec_time <<<"$out" | stats)" "$rows"
}

echo "lists benchmark: $(psql -X -At -d postgres -c 'SHOW server_version') on $(nproc) CPUs" \
	"($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM"
echo "  shared and noisy machine: figures are information, not pass/fail"

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
CREATED=1
PGDATABASE=$DB "$ADMIN" migrate >/dev/null
t0=$(now)
PGDATABASE=$DB "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null
echo "demo-data --scale 1 (units, staff, people, $(q -c 'SELECT count(*) FROM minqing.cases') cases):" \
	"$(secs "$t0" "$(now)") s"
T=$(q -c "SELECT date_trunc('minute', now())")

t0=$(now)
q -v ncases="$NCASES" -v t_now="$T" <<-'SQL'
	SET session_replication_role = replica;
	SET work_mem = '256MB';
	SET maintenance_work_mem = '512MB';
	SET jit = off;
	-- Units a case can be received at (villages, towns) and assigned to (also departments),
	-- each with its handlers.
	CREATE TEMP TABLE un AS
	SELECT u.unit_id, u.path, u.district_id, u.level::text AS level, u.kind::text AS kind,
	       coalesce((SELECT array_agg(s.staff_id ORDER BY s.staff_id) FROM minqing.staff s
	                  WHERE s.unit_id = u.unit_id AND s.duty = 'handler' AND s.active),
	                '{}') AS handlers,
	       (SELECT t.unit_id FROM minqing.org_unit t WHERE t.unit_id = u.parent_id) AS parent
	  FROM minqing.org_unit u WHERE u.active;
	CREATE TEMP TABLE vil AS
	SELECT row_number() OVER (ORDER BY unit_id)::integer AS i, * FROM un WHERE level = 'village';
	CREATE TEMP TABLE town AS
	SELECT row_number() OVER (ORDER BY unit_id)::integer AS i, * FROM un WHERE kind = 'street';
	CREATE TEMP TABLE dept AS
	SELECT row_number() OVER (ORDER BY unit_id)::integer AS i, * FROM un WHERE kind = 'department';
	SELECT (SELECT count(*) FROM vil) AS nv, (SELECT count(*) FROM town) AS nt,
	       (SELECT count(*) FROM dept) AS nd,
	       (SELECT array_agg(category_id ORDER BY category_id) FROM minqing.case_category
	         WHERE parent_id IS NOT NULL) AS cats \gset
	-- h: a hash of g, so that state, place and assignment do not follow each other
	-- (g % 100 and g % :nv would give every village a few states only).
	CREATE TEMP TABLE g AS
	SELECT g, (h % 100)::integer AS r, (1 + (g * 7919) % :nv)::integer AS vi,
	       (1 + (g * 31) % :nd)::integer AS di, h
	  FROM generate_series(1::bigint, :ncases) AS g
	 CROSS JOIN LATERAL (SELECT (g * 2654435761) % 4294967296 AS h) x;
	-- Serial numbers from 1001 (the demo cases have the first thousand).
	-- r < 80 closed; 80 reported; 81 resolved; 82-83 received; 84-85 accepted (not yet
	-- dispatched); 86-90 dispatched; 91-96 in progress; 97 waiting; 98-99 in progress,
	-- overdue, with a warning (yellow, orange, red by g).
	-- Received at a village (90%) or its town (10%); assigned to the receiving unit,
	-- its town (1 in 7) or a department (1 in 7).
	INSERT INTO minqing.cases (district_id, case_no, channel, origin_unit_id, origin_path,
		submitter_name, submitter_phone, title, content, category_id, status, assigned_unit_id,
		assigned_path, handler_staff_id, commitment_kind, commitment_amount, started_at, due_at,
		paused_at, pause_reason, warning_level, reminded_at, accepted_at, dispatched_at,
		resolved_at, result, reported_at, closed_at, satisfaction, entered_by, created_at,
		updated_at)
	SELECT o.district_id,
	       'LW-' || to_char(x.created AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-'
	             || lpad((g.g + 1000)::text, greatest(6, length((g.g + 1000)::text)), '0'),
	       (enum_range(NULL::minqing.case_channel))[1 + g.g % 7], o.unit_id, o.path,
	       (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + g.g % 10]
	         || (ARRAY['建国','秀英','志强','丽华','海燕','国平','小明','玉兰'])[1 + (g.g / 10) % 8],
	       '139' || lpad((g.g % 50000)::text, 8, '0'),
	       CASE WHEN g.g % 10000 = 7 THEN '古井漏水无人管'
	            ELSE (ARRAY['邻里排水纠纷','低保申请咨询','路灯不亮','楼道堆放杂物','医保报销问题',
	                        '宅基地界址争议','噪音扰民','自来水停水'])[1 + g.g % 8] END,
	       (ARRAY['反映','咨询','投诉','求助'])[1 + g.g % 4]
	         || (ARRAY['村口','小区','菜市场','学校旁','河道边','工业区'])[1 + (g.g / 8) % 6]
	         || (ARRAY['排水沟堵塞已有一周','夜间出行不便','政策如何申请','装修声音很大',
	                   '垃圾清运不及时','异地报销流程','界址有争议','水压不足'])[1 + (g.g / 48) % 8]
	         || '，编号' || g.g,
	       (:'cats'::integer[])[1 + g.g % cardinality(:'cats'::integer[])],
	       x.status, a.unit_id, a.path,
	       CASE WHEN a.unit_id IS NOT NULL AND cardinality(a.handlers) > 0
	            THEN a.handlers[1 + g.g % cardinality(a.handlers)] END,
	       'days', 5, x.started, x.due, x.paused,
	       CASE WHEN x.paused IS NOT NULL THEN '等待群众补充材料' END,
	       x.warning, CASE WHEN x.warning <> 'none' THEN x.due - interval '1 day' END,
	       x.started, CASE WHEN a.unit_id IS NOT NULL THEN x.started END,
	       x.resolved, CASE WHEN x.resolved IS NOT NULL THEN '已办结，群众认可' END,
	       CASE WHEN x.status IN ('reported', 'closed') THEN x.resolved + interval '1 day' END,
	       CASE WHEN x.status = 'closed' THEN x.resolved + interval '2 days' END,
	       CASE WHEN x.status = 'closed' THEN 'satisfied'::minqing.satisfaction END,
	       'bench', x.created, x.created
	  FROM g
	  JOIN vil v ON v.i = g.vi
	  LEFT JOIN town t ON t.unit_id = v.parent
	  JOIN dept d ON d.i = g.di
	 CROSS JOIN LATERAL (SELECT v.district_id, t.unit_id IS NOT NULL AND g.h / 100 % 10 = 3 AS at_town) w
	 CROSS JOIN LATERAL (SELECT w.district_id,
		CASE WHEN w.at_town THEN t.unit_id ELSE v.unit_id END AS unit_id,
		CASE WHEN w.at_town THEN t.path ELSE v.path END AS path,
		CASE WHEN w.at_town THEN t.handlers ELSE v.handlers END AS handlers) o
	 CROSS JOIN LATERAL (SELECT
		CASE WHEN g.r < 80 THEN 'closed' WHEN g.r = 80 THEN 'reported' WHEN g.r = 81 THEN 'resolved'
		     WHEN g.r < 84 THEN 'received' WHEN g.r < 86 THEN 'accepted' WHEN g.r < 91 THEN 'dispatched'
		     WHEN g.r < 97 THEN 'in_progress' WHEN g.r = 97 THEN 'waiting'
		     ELSE 'in_progress' END::minqing.case_status AS status,
		-- about 63 s apart, the newest now: two years of cases in case_id order
		:'t_now'::timestamptz - (:ncases - g.g) * interval '63 seconds' AS created
	 ) s
	 CROSS JOIN LATERAL (SELECT s.status, s.created,
		CASE WHEN s.status = 'received' THEN NULL ELSE s.created + interval '1 hour' END AS started,
		CASE WHEN s.status = 'received' THEN NULL
		     WHEN g.r >= 98 THEN :'t_now'::timestamptz - (g.g % 240 + 1) * interval '1 hour'
		     WHEN s.status IN ('closed', 'reported', 'resolved') THEN s.created + interval '5 days'
		     ELSE greatest(s.created + interval '5 days', :'t_now'::timestamptz + (g.g % 200) * interval '1 hour')
		END AS due,
		CASE WHEN s.status = 'waiting' THEN :'t_now'::timestamptz - interval '1 day' END AS paused,
		CASE WHEN g.r >= 98 THEN (ARRAY['yellow','orange','red'])[1 + g.h / 1000 % 3]
		     ELSE 'none' END::minqing.warning_level AS warning,
		CASE WHEN s.status IN ('closed', 'reported', 'resolved') THEN s.created + interval '3 days' END
		  AS resolved
	 ) x
	 -- assigned: none while received or accepted; else the receiving unit, its town or a department
	 CROSS JOIN LATERAL (SELECT CASE WHEN x.status IN ('received', 'accepted') THEN 0
	                                 WHEN g.h / 10000 % 7 = 0 THEN 1
	                                 WHEN g.h / 10000 % 7 = 1 AND t.unit_id IS NOT NULL THEN 2
	                                 ELSE 3 END AS pick) p
	 CROSS JOIN LATERAL (SELECT
		CASE p.pick WHEN 1 THEN d.unit_id WHEN 2 THEN t.unit_id WHEN 3 THEN o.unit_id END AS unit_id,
		CASE p.pick WHEN 1 THEN d.path WHEN 2 THEN t.path WHEN 3 THEN o.path END AS path,
		CASE p.pick WHEN 1 THEN d.handlers WHEN 2 THEN t.handlers WHEN 3 THEN o.handlers END AS handlers
	 ) a;
SQL
echo "  $NCASES cases generated set-based (replica mode, case_search by its trigger):" \
	"$(secs "$t0" "$(now)") s"
t0=$(now)
q -c "VACUUM ANALYZE"
echo "VACUUM ANALYZE: $(secs "$t0" "$(now)") s"
echo
q -F ' ' <<-SQL | awk '{ printf "  %-40s %s\n", $1 ":", $2 }'
	SELECT 'cases', count(*) FROM minqing.cases
	UNION ALL SELECT 'open', count(*) FROM minqing.cases
	 WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting')
	UNION ALL SELECT 'open_with_a_warning', count(*) FROM minqing.cases
	 WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND warning_level <> 'none'
	UNION ALL SELECT 'case_search_rows', count(*) FROM minqing.case_search
	UNION ALL SELECT 'cases_table+indexes_MB', pg_total_relation_size('minqing.cases') / 1048576
	UNION ALL SELECT 'case_search_table+indexes_MB', pg_total_relation_size('minqing.case_search') / 1048576
SQL
for who in demo_town demo_village demo_dept demo_supervisor; do
	printf '  %-40s %s\n' "visible_to_$who:" "$(as "$who" -c 'SELECT count(*) FROM minqing.cases')"
done

# The console's statements, as the list engine (src/console/screen-view.c)
# builds them from the view files (forms/inbox.view, cases.view,
# warnings.view): the view's function called with named parameters, the
# epoch of a time column added for the live countdowns. Each is followed by
# the inline SQL the console sent before the lists became view files
# ("before"), measured in the same run: the comparison asked for when the
# reads moved behind named functions.
INBOX="SELECT f.*, extract(epoch FROM f.due_at)::bigint AS \"due_at:epoch\""
INBOX_BEFORE="SELECT i.case_id, i.case_no, i.status, i.warning_level, i.due_at,
       extract(epoch FROM i.due_at)::bigint, i.title, i.submitter_name, i.unit_name, i.handler_name"
FIND="SELECT f.*, extract(epoch FROM f.created_at)::bigint AS \"created_at:epoch\"
  FROM minqing.find_cases"
CASES="SELECT c.case_id, c.case_no, c.status, c.warning_level, c.created_at,
       extract(epoch FROM c.created_at)::bigint, c.title, c.submitter_name, u.name
  FROM minqing.cases c
  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)"
NEWEST="ORDER BY c.created_at DESC, c.case_id DESC LIMIT 50"
WARN_NOW="SELECT f.*, extract(epoch FROM f.due_at)::bigint AS \"due_at:epoch\"
  FROM minqing.warnings(p_limit => '50') f"
WARN="SELECT c.case_id, c.case_no, c.status, c.warning_level, c.due_at,
       extract(epoch FROM c.due_at)::bigint, c.title, u.name, h.display_name
  FROM minqing.cases c
  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id
 WHERE c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND c.warning_level <> 'none'"
words() { # word -> the join the console used (minqing.case_find_words: the newest
	# 2,000 visible cases, then the bigram index, within the caller's jurisdiction)
	echo "JOIN minqing.case_find_words('$1', NULL, NULL, 50) f ON f.case_id = c.case_id"
}
last=$(as demo_town -F ' ' -c "SELECT coalesce(due_at::text, 'infinity'), case_id
                               FROM minqing.inbox('all', NULL, NULL, NULL, 50) OFFSET 49")
last_due=${last% *}
last_id=${last##* }
prefix=$(q -c "SELECT left(case_no, 12) FROM minqing.cases ORDER BY case_id DESC OFFSET 5000 LIMIT 1")
serial=$(q -c "SELECT split_part(case_no, '-', 3)::bigint FROM minqing.cases
               ORDER BY case_id DESC OFFSET $((NCASES / 3)) LIMIT 1")
phone=$(q -c "SELECT submitter_phone FROM minqing.cases WHERE submitter_phone IS NOT NULL
              ORDER BY case_id DESC LIMIT 1")
prefix_end=$(q -c "SELECT left('$prefix', -1) || chr(ascii(right('$prefix', 1)) + 1)")

echo
echo "server time (planning + execution), EXPLAIN (ANALYZE), 3 runs each (target < 50 ms)"
echo "My inbox (forms/inbox.view: minqing.inbox(), 50 rows a page)"
for who in demo_town demo_village demo_dept; do
	bench "first page" "$who" "$INBOX FROM minqing.inbox(p_filter => 'all', p_centre => NULL, p_limit => '50') f"
	bench "  before: inline" "$who" "$INBOX_BEFORE FROM minqing.inbox('all', NULL, NULL, NULL, 50) i"
done
bench "next page, keyset after ($last_due, $last_id)" demo_town \
	"$INBOX FROM minqing.inbox(p_filter => 'all', p_centre => NULL, p_after_due => '$last_due', p_after_id => '$last_id', p_limit => '50') f"
bench "first page, overdue" demo_town "$INBOX FROM minqing.inbox(p_filter => 'overdue', p_centre => NULL, p_limit => '50') f"
echo "Find cases (forms/cases.view: minqing.find_cases(), newest first, 50 rows a page)"
for who in demo_supervisor demo_town; do
	bench "every case" "$who" "$FIND(p_sort => 'newest', p_limit => '50') f"
	bench "  before: inline" "$who" "$CASES WHERE true $NEWEST"
done
after_t=$(q -c "SELECT '$T'::timestamptz - interval '1 day'")
bench "every case, next page (keyset)" demo_supervisor \
	"$FIND(p_sort => 'newest', p_after_created => '$after_t', p_after_id => '999000', p_limit => '50') f"
bench "  before: inline" demo_supervisor \
	"$CASES WHERE true AND (c.created_at, c.case_id) < ('$after_t'::timestamptz, 999000) $NEWEST"
bench "case number $prefix…" demo_supervisor "$FIND(p_sort => 'newest', p_query => '$prefix', p_limit => '50') f"
bench "  before: inline" demo_supervisor \
	"$CASES WHERE c.case_no ~>=~ '$prefix' AND c.case_no ~<~ '$prefix_end' $NEWEST"
bench "serial $serial (every year)" demo_supervisor "$FIND(p_sort => 'newest', p_query => '$serial', p_limit => '50') f"
bench "  before: inline" demo_supervisor "$CASES WHERE c.case_no = ANY (ARRAY(
  SELECT d.code || '-' || y || '-' || lpad('$serial', greatest(6, length('$serial')), '0')
    FROM minqing.org_unit d, generate_series(2000, extract(year FROM now())::integer + 1) AS y
   WHERE d.parent_id IS NULL)) $NEWEST"
bench "mobile number $phone" demo_supervisor "$FIND(p_sort => 'newest', p_query => '$phone', p_limit => '50') f"
bench "  before: inline" demo_supervisor "$CASES WHERE c.submitter_phone = '$phone' $NEWEST"
bench "by case number, first page" demo_supervisor "$FIND(p_sort => 'case_no', p_limit => '50') f"
bench "  before: inline" demo_supervisor "$CASES WHERE true ORDER BY c.case_no LIMIT 50"
for who in demo_supervisor demo_town; do
	bench "common word 路灯 (1 case in 8)" "$who" "$FIND(p_sort => 'newest', p_query => '路灯', p_limit => '50') f"
	bench "  before: inline" "$who" "$CASES $(words 路灯) ORDER BY c.created_at DESC, c.case_id DESC"
	bench "rare word 古井 (1 case in 10,000)" "$who" "$FIND(p_sort => 'newest', p_query => '古井', p_limit => '50') f"
	bench "  before: inline" "$who" "$CASES $(words 古井) ORDER BY c.created_at DESC, c.case_id DESC"
done
bench "mediation centre, every case" demo_town "$FIND(p_centre => 'mediation', p_sort => 'newest', p_limit => '50') f"
echo "Warnings (forms/warnings.view: minqing.warnings(), most overdue first, 50 rows a page)"
for who in demo_supervisor demo_town; do
	bench "first page" "$who" "$WARN_NOW"
	bench "  before: inline" "$who" "$WARN ORDER BY c.due_at, c.case_id LIMIT 50"
done
echo "Reference, same run"
for who in demo_supervisor postgres; do
	bench "SELECT ... FROM cases ORDER BY case_id LIMIT 50" "$who" "$CASES ORDER BY c.case_id LIMIT 50"
done
