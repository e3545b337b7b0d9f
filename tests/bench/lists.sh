#!/usr/bin/env bash
# Benchmark (printed, never asserted): the first page of every list screen
# of the console (forms/*.view), and the next page where the view pages by
# keyset, as the accounts that use them, at about a million cases (issue
# 15, part 6b; docs/operations.md, "List screens at a million cases").
# Target: < 5 ms server time for a first page, against a 50-row primary-key
# page of cases measured in the same run (the reference).
#
# Each statement is the console's own: tests/bench/viewsql.pl builds it from
# the view file as the list engine does (src/console/viewfmt.c): the view's
# function with named parameters, each group of choices at its start value,
# the epoch of each time column; the values written in as literals (the
# console's unnamed statements are planned with their values). A next page
# binds the keyset parameters to the 50th row of the first page, as the
# console does. Each runs MQ_BENCH_LIST_RUNS (default 5) times under
# EXPLAIN (ANALYZE); the figures are planning plus execution time on the
# server (median, min, max), with the rows of a plain run. At the end, the
# statements whose median is over 5 ms, and the views no statement measured.
#
# Two parts, MQ_BENCH_LIST_PARTS (default "generated demo"):
#
#   generated  the case lists (inbox, triage, Find cases and its searches
#              and centres, warnings, reminders) on MQ_BENCH_LIST_CASES
#              (default 1,000,000) cases generated set-based on the demo
#              district at scale 1 (below): the figures of issue 15
#   demo       every view (the case lists again, and archive, memos,
#              bulletin, visits, volunteers, meetings, cards and pairings,
#              registers, inspections, assessment, reports, operations,
#              the kiosk's pages) and the jurisdiction overview, on
#              `minqing-admin demo-data --scale MQ_BENCH_LIST_SCALE`
#              (default 10: about 956,000 cases, 400,000 households)
#
# MQ_BENCH_LIST_ONLY=REGEX measures only the views whose name matches
# (extended regex; "overview" and "reference" are names too).
# MQ_BENCH_LIST_KEEP=1 keeps the databases (their names are printed);
# MQ_BENCH_LIST_DB=NAME and MQ_BENCH_LIST_DEMO_DB=NAME measure again in kept
# ones (migrated first, not loaded again). The databases made here
# (mq_bench_list_<pid>, mq_bench_list_demo_<pid>) are dropped on exit;
# minqing and minqing_test are never touched. Run by `./dev.sh bench`, which
# sets MQ_BUILD_DIR and PG*.
#
# The generated cases: the organisation and staff come from `minqing-admin
# demo-data --scale 1`; the cases are inserted set-based (session_replication_role
# = replica), spread over villages, towns and departments so that every
# account has a real inbox: 80% closed, the rest received, accepted,
# dispatched, in progress, waiting, resolved or reported, 2% open and
# overdue with a yellow, orange or red warning. case_search fills itself by
# its trigger (which fires in replica mode too). Titles come from a short
# list (路灯 is in one case of eight); one case in 10,000 is about 古井 (the
# rare word).
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
FORMS=${MQ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/forms
VIEWSQL=$(dirname "$0")/viewsql.pl
PARTS=${MQ_BENCH_LIST_PARTS:-generated demo}
NCASES=${MQ_BENCH_LIST_CASES:-1000000}
SCALE=${MQ_BENCH_LIST_SCALE:-10}
RUNS=${MQ_BENCH_LIST_RUNS:-5}
ONLY=${MQ_BENCH_LIST_ONLY:-}
TARGET_MS=5

DROP=()
cleanup() {
	local d
	for d in ${DROP[@]+"${DROP[@]}"}; do
		if [ -n "${MQ_BENCH_LIST_KEEP:-}" ]; then
			echo "lists.sh: kept the database $d (drop it when done)"
			continue
		fi
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 ||
			echo "lists.sh: could not drop scratch database $d" >&2
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
q() { psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
as() { local who=$1; shift; psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" -U "$who" "$@"; }

# new_db NAME_VAR DEFAULT: DB is the kept database NAME_VAR names (migrated),
# or a new one (created, migrated, dropped on exit); LOADED is empty for a new one.
new_db() {
	local kept=${!1:-} t0
	case ${kept:-$2} in minqing | minqing_test) exit 1 ;; esac
	if [ -n "$kept" ]; then
		DB=$kept
		LOADED=1
		t0=$(now)
		PGDATABASE=$DB "$ADMIN" migrate >/dev/null
		echo "database $DB (kept from an earlier run), migrated: $(secs "$t0" "$(now)") s"
	else
		DB=$2
		LOADED=
		psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
		DROP+=("$DB")
		PGDATABASE=$DB "$ADMIN" migrate >/dev/null
	fi
}

# --- measuring -----------------------------------------------------------------------------
SLOW=()
SEEN=" "
COUNT=0
# measure LABEL ACCOUNT SQL: RUNS EXPLAIN ANALYZE runs; prints the figures and
# the rows of a plain run; MEDIAN and ROWS are left set.
measure() {
	local label=$1 who=$2 sql=$3 out i script=
	for ((i = 0; i < RUNS; i++)); do script+="EXPLAIN (ANALYZE) $sql;"$'\n'; done
	out=$(as "$who" <<<"$script")
	ROWS=$(as "$who" -c "SELECT count(*) FROM ($sql) x")
	MEDIAN=$(exec_time <<<"$out" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	printf '  %-64s %s, %s rows\n' "$label ($who)" "$(exec_time <<<"$out" | stats)" "$ROWS"
	COUNT=$((COUNT + 1))
	if awk -v m="$MEDIAN" -v t="$TARGET_MS" 'BEGIN { exit !(m > t) }'; then
		SLOW+=("$(printf '%8.2f ms  %s (%s)' "$MEDIAN" "$label" "$who")")
	fi
}
wanted() { [ -z "$ONLY" ] || grep -Eq -- "$ONLY" <<<"$1"; }
# page VIEW ACCOUNT [NAME=VALUE ...] [sort=N]: the view's first page as the
# console asks for it (viewsql.pl), and when the view pages by keyset and the
# first page is full, the next page after its 50th row.
page() {
	local view=$1 who=$2 sql label after cols=() params=() p c last i binds=()
	shift 2
	wanted "$view" || return 0
	SEEN+="$view "
	sql=$(perl "$VIEWSQL" "$FORMS" "$view" "$@")
	label="$view${*:+ $*}"
	measure "$label" "$who" "$sql"
	after=$(perl "$VIEWSQL" --after "$FORMS" "$view" "$@")
	[ -n "$after" ] && [ "$ROWS" -ge 50 ] || return 0
	while read -r p c; do params+=("$p"); cols+=("coalesce(x.$c::text, 'NULL')"); done <<<"$after"
	last=$(as "$who" -F $'\x1f' -c "SELECT $(IFS=,; echo "${cols[*]}") FROM ($sql) x OFFSET 49 LIMIT 1")
	IFS=$'\x1f' read -r -a vals <<<"$last"
	for i in "${!params[@]}"; do binds+=("after:${params[$i]}=${vals[$i]}"); done
	measure "  next page" "$who" "$(perl "$VIEWSQL" "$FORMS" "$view" "$@" "${binds[@]}")"
}
# stmt NAME LABEL ACCOUNT SQL: a statement of a screen that is not a view file.
stmt() {
	wanted "$1" || return 0
	SEEN+="$1 "
	measure "$2" "$3" "$4"
}
reference() {
	wanted reference || return 0
	echo "Reference, same run: a 50-row primary-key page of cases"
	local who
	for who in demo_supervisor postgres; do
		measure "SELECT ... FROM cases ORDER BY case_id LIMIT 50" "$who" \
			"SELECT c.case_id, c.case_no, c.status, c.warning_level, c.created_at,
			        extract(epoch FROM c.created_at)::bigint, c.title, c.submitter_name, u.name
			   FROM minqing.cases c
			   JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
			  ORDER BY c.case_id LIMIT 50"
	done
}
# figures [SQL ...]: the cases, the open ones, each "SELECT 'name', n" given,
# then the cases each account sees; vacuum: VACUUM ANALYZE, timed.
figures() {
	local who x sql="SELECT 'cases', count(*) FROM minqing.cases
	                  UNION ALL SELECT 'open', count(*) FROM minqing.cases
	                   WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting')"
	for x in "$@"; do sql+=" UNION ALL $x"; done
	q -F ' ' -c "$sql" | awk '{ printf "  %-40s %s\n", $1 ":", $2 }'
	for who in demo_town demo_village demo_dept demo_supervisor; do
		printf '  %-40s %s\n' "cases visible to $who:" "$(as "$who" -c 'SELECT count(*) FROM minqing.cases')"
	done
}
vacuum() {
	local t0
	t0=$(now)
	q -c "VACUUM ANALYZE"
	echo "VACUUM ANALYZE: $(secs "$t0" "$(now)") s"
}

# --- the case lists (both parts) ---------------------------------------------------------
# RARE: a word in few cases; the case number prefix, a serial and a mobile
# number are picked from the data.
case_lists() {
	local who f c prefix serial phone narrow
	# The officer or handler of a unit with no unit below it that sees the
	# fewest cases (an agency: none): the jurisdiction a walk of the
	# district's order serves worst.
	narrow=$(q -c "SELECT s.login FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	                 LEFT JOIN (SELECT x.unit_id, count(*) AS n
	                              FROM (SELECT origin_unit_id AS unit_id FROM minqing.cases
	                                    UNION ALL SELECT assigned_unit_id FROM minqing.cases
	                                     WHERE assigned_unit_id IS NOT NULL) x GROUP BY 1) k ON k.unit_id = u.unit_id
	                WHERE s.active AND s.duty IN ('officer', 'handler')
	                  AND NOT EXISTS (SELECT 1 FROM minqing.org_unit c WHERE c.parent_id = u.unit_id)
	                ORDER BY coalesce(k.n, 0), s.login LIMIT 1")
	prefix=$(q -c "SELECT left(case_no, 12) FROM minqing.cases ORDER BY case_id DESC OFFSET 5000 LIMIT 1")
	serial=$(q -c "SELECT split_part(case_no, '-', 3)::bigint FROM minqing.cases
	               ORDER BY case_id DESC OFFSET (SELECT count(*) / 3 FROM minqing.cases) LIMIT 1")
	phone=$(q -c "SELECT submitter_phone FROM minqing.cases WHERE submitter_phone IS NOT NULL
	              ORDER BY case_id DESC LIMIT 1")
	echo "My inbox (inbox.view) and triage (triage.view)"
	for who in demo_town demo_village demo_dept handler_t01v01 demo_town_admin "$narrow"; do
		page inbox "$who"
	done
	for f in overdue mine unit triage; do page inbox demo_town p_filter=$f; done
	page inbox demo_town p_centre=mediation
	for who in demo_town handler_t01v01; do page triage "$who"; done
	echo "Find cases (cases.view) and the three centres"
	for who in demo_supervisor demo_town_supervisor demo_town demo_village demo_dept "$narrow"; do
		page cases "$who"
		page cases "$who" sort=1
	done
	for who in demo_supervisor demo_town demo_village "$narrow"; do
		page cases "$who" "p_query=$prefix"
		page cases "$who" "p_query=$serial"
		page cases "$who" "p_query=$phone"
		page cases "$who" p_query=路灯
		page cases "$who" "p_query=$RARE"
		page cases "$who" p_query=路灯 sort=1
	done
	for c in centre_mediation centre_policy centre_service; do
		for who in demo_town demo_village demo_dept "$narrow"; do page "$c" "$who"; done
	done
	echo "Warnings (warnings.view), reminders (reminders.view)"
	for who in demo_supervisor demo_town_supervisor demo_town demo_dept handler_t01v01 "$narrow"; do
		page warnings "$who"
	done
	for who in demo_supervisor demo_town demo_village demo_dept "$narrow"; do page reminders "$who"; done
}

echo "lists benchmark: $(psql -X -At -d postgres -c 'SHOW server_version') on $(nproc) CPUs" \
	"($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM"
echo "  shared and noisy machine: figures are information, not pass/fail"
echo "  server time (planning + execution), EXPLAIN (ANALYZE), $RUNS runs each (median, min, max); target < $TARGET_MS ms"

# --- part 1: generated cases ---------------------------------------------------------------
generated() {
	local t0 T
	echo
	echo "== generated: $NCASES cases on the demo district at scale 1"
	new_db MQ_BENCH_LIST_DB "mq_bench_list_$$"
	if [ -z "$LOADED" ]; then
		t0=$(now)
		PGDATABASE=$DB "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null
		echo "demo-data --scale 1 (units, staff, people, $(q -c 'SELECT count(*) FROM minqing.cases') cases):" \
			"$(secs "$t0" "$(now)") s"
		T=$(q -c "SELECT date_trunc('minute', now())")
		t0=$(now)
		generate_cases "$T"
		echo "  $NCASES cases generated set-based (replica mode, case_search by its trigger):" \
			"$(secs "$t0" "$(now)") s"
		vacuum
	fi
	figures "SELECT 'open_with_a_warning', count(*) FROM minqing.cases
	          WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND warning_level <> 'none'" \
		"SELECT 'cases_table+indexes_MB', pg_total_relation_size('minqing.cases') / 1048576"
	echo
	RARE=古井
	case_lists
	reference
}

# --- part 2: the demo district at scale 10 -------------------------------------------------
# pick SQL: a value (as postgres) a view is opened on.
pick() { q -c "$1"; }
# first ACCOUNT SQL: the first row's value of a list as ACCOUNT sees it (the row a person opens).
first() { as "$1" -c "$2" | head -n 1; }
# The demo data has no inspections, findings, circulars or assessment: made
# through the functions as a supervisor and an administrator would (six
# inspections in the last year of each town and village, two findings each,
# one to rectify; a circular a month; this year's assessment computed).
# Changes no function: measured again in a kept database, they are not made again.
demo_extra() {
	local year
	# (one supervisor records them all: the limits of messages a person may cause lifted)
	q -c "UPDATE minqing.message_limit SET per_sender_hour = 100000, per_sender_day = 100000, per_phone_day = 100000"
	as demo_supervisor >/dev/null <<-'SQL'
		DO $$
		DECLARE
			u record;
			i integer;
			ins bigint;
		BEGIN
			FOR u IN SELECT o.code FROM minqing.org_unit o
			          WHERE o.active AND o.level IN ('town', 'village') ORDER BY o.code LOOP
				FOR i IN 1..6 LOOP
					ins := minqing.inspection_record(u.code, CASE WHEN i % 3 = 0 THEN 'unannounced' ELSE 'scheduled' END,
						'区纪委督查组', E'台账资料\n值班值守\n群众满意度',
						(ARRAY['excellent', 'good', 'fair', 'poor'])[1 + i % 4],
						current_date - 55 * i + 20, '总体较好，个别台账不全。');
					PERFORM minqing.finding_add(ins, '台账记录不完整', '部分走访记录缺少签字。', false);
					PERFORM minqing.finding_add(ins, '值班表未上墙', '值班安排未公示。', true, u.code, 10);
				END LOOP;
			END LOOP;
			FOR i IN 1..12 LOOP
				PERFORM minqing.circular_draft('inspection', current_date - 30 * i, current_date - 30 * (i - 1));
			END LOOP;
		END
		$$;
	SQL
	year=$(q -c "SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int")
	as demo_admin -c "SELECT minqing.assessment_rule_set_add('$year', '基准测试')" >/dev/null 2>&1 || true
	as demo_admin -c "SET statement_timeout = '600s'" -c "SELECT minqing.assessment_compute('$year', now())" >/dev/null
}

demo() {
	local t0 who v u hh
	echo
	echo "== demo: minqing-admin demo-data --scale $SCALE"
	new_db MQ_BENCH_LIST_DEMO_DB "mq_bench_list_demo_$$"
	if [ -z "$LOADED" ]; then
		t0=$(now)
		PGDATABASE=$DB "$ADMIN" demo-data --scale "$SCALE" --seed 1 >/dev/null
		echo "demo-data --scale $SCALE: $(secs "$t0" "$(now)") s"
	fi
	if [ "$(q -c "SELECT count(*) FROM minqing.inspection")" = 0 ]; then
		t0=$(now)
		demo_extra
		echo "inspections, findings, circulars, this year's assessment: $(secs "$t0" "$(now)") s"
		vacuum
	fi
	figures "SELECT 'households', count(*) FROM minqing.household" \
		"SELECT 'residents', count(*) FROM minqing.resident" \
		"SELECT 'case_events', count(*) FROM minqing.case_event" \
		"SELECT 'visits', count(*) FROM minqing.visit" \
		"SELECT 'memo_revisions', count(*) FROM minqing.household_memo_revision"
	echo
	RARE=$(pick "SELECT w FROM unnest(ARRAY['古井', '漏雨', '塌方', '野猪', '蜂窝', '井盖']) w
	             ORDER BY (SELECT count(*) FROM minqing.case_search s
	                        WHERE s.grams @> minqing.text_bigrams(w) AND s.doc LIKE minqing.like_contains(w)) LIMIT 1")
	case_lists
	stmt overview "jurisdiction_overview() (screen-overview.c)" demo_village "SELECT * FROM minqing.jurisdiction_overview()"
	for who in demo_town demo_dept demo_supervisor; do
		stmt overview "jurisdiction_overview()" "$who" "SELECT * FROM minqing.jurisdiction_overview()"
	done

	# The household with the most cases of T01V01, its newest memo revision.
	hh=$(pick "SELECT c.household_id FROM minqing.cases c JOIN minqing.org_unit u ON u.unit_id = c.origin_unit_id
	            WHERE u.code = 'T01V01' AND c.household_id IS NOT NULL
	            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
	echo "Households and memos (户情民意: memos, household, its cases, demands, history)"
	for who in demo_village demo_town demo_supervisor; do
		page memos "$who"
		page memos "$who" p_query=王建
		page memos_missing "$who"
		page memos_stale "$who"
		page memos_demands "$who"
	done
	for who in demo_village demo_town; do
		page household "$who" "p_household=$hh"
		page household_cases "$who" "p_household=$hh"
		page household_demands "$who" "p_household=$hh"
		page memo_history "$who" "p_household=$hh"
	done
	v=$(pick "SELECT max(revision_id) FROM minqing.household_memo_revision WHERE household_id = $hh")
	[ -z "$v" ] || page memo_changes demo_village "p_revision=$v"
	echo "Party-member links (links, unlinked, contact_households)"
	for who in demo_village demo_town demo_supervisor; do
		page links "$who"
		page links "$who" p_kind=representative
		page unlinked "$who"
	done
	v=$(first demo_village "SELECT resident_id FROM minqing.contact_links() ORDER BY households DESC LIMIT 1")
	page contact_households demo_village "p_contact=$v"
	echo "Village archive (archives, sections, a section, its history and changes)"
	for who in demo_village demo_town demo_supervisor; do page archives "$who"; done
	for who in demo_village demo_town; do page archive_sections "$who" p_unit=T01V01; done
	for v in 1 3 7 8; do page archive_section demo_village p_unit=T01V01 p_section=$v; done
	page archive_history demo_village p_unit=T01V01 p_section=5
	v=$(pick "SELECT max(r.revision_id) FROM minqing.archive_revision r JOIN minqing.org_unit u ON u.unit_id = r.unit_id
	           WHERE u.code = 'T01V01'")
	[ -z "$v" ] || page archive_changes demo_village "p_revision=$v"
	echo "Bulletin and news (bulletin, notice, news, news_item)"
	for who in demo_village demo_town demo_supervisor; do
		page bulletin "$who"
		page news "$who"
	done
	v=$(first demo_village "SELECT notice_id FROM minqing.notices() LIMIT 1")
	[ -z "$v" ] || page notice demo_village "p_notice=$v"
	v=$(first demo_village "SELECT news_id FROM minqing.news_list() LIMIT 1")
	[ -z "$v" ] || page news_item demo_village "p_news=$v"
	echo "The kiosk (public_board, public_results, commitments, contacts, receivers)"
	for v in public_board public_results public_commitments public_contacts public_receivers; do
		page "$v" demo_kiosk
	done
	echo "Visits (visit_plan, visits, coverage, cells, households, teams)"
	for who in demo_village demo_town demo_supervisor; do
		page visit_plan "$who"
		page visits "$who"
		page visit_coverage "$who"
		page service_teams "$who"
	done
	page visit_cells demo_village p_unit=T01V01
	page households_without_cell demo_village p_unit=T01V01
	v=$(pick "SELECT hc.cell_id FROM minqing.household_cell hc JOIN minqing.household h USING (household_id)
	           JOIN minqing.org_unit u ON u.unit_id = h.unit_id WHERE u.code = 'T01V01'
	           GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
	[ -z "$v" ] || page cell_households demo_village "p_cell=$v"
	v=$(pick "SELECT vh.visit_id FROM minqing.visit_household vh JOIN minqing.org_unit u ON u.unit_id = vh.unit_id
	           WHERE u.code = 'T01V01' GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1")
	[ -z "$v" ] || page visit_households demo_village "p_visit=$v"
	v=$(first demo_village "SELECT team_id FROM minqing.service_teams() LIMIT 1")
	[ -z "$v" ] || page team_members demo_village "p_team=$v"
	echo "Service cards, pairings, resident cadres"
	for who in demo_village demo_town demo_supervisor; do
		page service_cards "$who"
		page service_cards_missing "$who"
		page pairings "$who"
		page villages_unpaired "$who"
		page resident_cadres "$who"
	done
	v=$(first demo_village "SELECT card_id FROM minqing.service_cards() LIMIT 1")
	[ -z "$v" ] || page service_card demo_village "p_card=$v"
	v=$(pick "SELECT pairing_id FROM minqing.pairing_activity GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
	[ -z "$v" ] || page pairing_activities demo_supervisor "p_pairing=$v"
	v=$(pick "SELECT cadre_id FROM minqing.cadre_contact GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
	[ -z "$v" ] || page cadre_contacts demo_supervisor "p_cadre=$v"
	echo "Volunteers, activities, enterprises, messages received"
	for who in demo_village demo_town demo_supervisor; do
		page volunteers "$who"
		page activities "$who"
		page enterprises "$who"
		page sms_inbox "$who"
	done
	v=$(pick "SELECT activity_id FROM minqing.activity_signup GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
	[ -z "$v" ] || page activity_signups demo_supervisor "p_activity=$v"
	echo "Meetings (meetings, a meeting, its invitees, matters, minutes, proposals)"
	for who in demo_village demo_town demo_supervisor; do page meetings "$who"; done
	v=$(pick "SELECT m.meeting_id FROM minqing.meeting m JOIN minqing.org_unit u ON u.unit_id = m.unit_id
	           WHERE u.path OPERATOR(ext.<@) 'LW.T01' ORDER BY (SELECT count(*) FROM minqing.meeting_matter x
	           WHERE x.meeting_id = m.meeting_id) DESC, m.meeting_id LIMIT 1")
	if [ -n "$v" ]; then
		for u in meeting meeting_invitees meeting_matters meeting_minutes; do page "$u" demo_town "p_meeting=$v"; done
		page meeting_proposals demo_town "p_meeting=$v"
	fi
	echo "Registers (stations, staff, information officers)"
	for who in demo_supervisor demo_town_admin demo_admin; do
		page stations "$who"
		page staff "$who"
		page officers "$who"
	done
	echo "Inspections, findings, circulars"
	for who in demo_supervisor demo_town_supervisor; do
		page inspections "$who"
		page findings "$who"
		page circulars "$who"
	done
	page findings demo_town
	v=$(first demo_supervisor "SELECT inspection_id FROM minqing.inspections() LIMIT 1")
	[ -z "$v" ] || page inspection demo_supervisor "p_inspection=$v"
	v=$(first demo_supervisor "SELECT finding_id FROM minqing.findings() LIMIT 1")
	[ -z "$v" ] || page finding demo_supervisor "p_finding=$v"
	v=$(first demo_supervisor "SELECT circular_id FROM minqing.circulars() LIMIT 1")
	[ -z "$v" ] || page circular demo_supervisor "p_circular=$v"
	echo "Assessment (assessments, towns, villages, a unit's items, evidence, rules)"
	for who in demo_supervisor demo_admin; do page assessment "$who"; done
	v=$(first demo_supervisor "SELECT assessment_id FROM minqing.assessments() LIMIT 1")
	u=$(first demo_supervisor "SELECT period FROM minqing.assessments() LIMIT 1")
	if [ -n "$v" ]; then
		page assessment_towns demo_supervisor "p_assessment=$v"
		page assessment_villages demo_supervisor "p_assessment=$v" p_town=T01
		page assessment_items demo_supervisor "p_assessment=$v" p_unit=T01V01
		page assessment_items demo_supervisor "p_assessment=$v" p_unit=T01
		for i in $(as demo_supervisor -c "SELECT item_no FROM minqing.assessment_unit_items($v, 'T01V01')"); do
			page assessment_evidence demo_supervisor "p_assessment=$v" "p_item=$i" p_unit=T01V01
		done
		page assessment_evidence demo_supervisor "p_assessment=$v" p_item=1 p_unit=T01
		page assessment_rules demo_supervisor "p_period=$u"
	fi
	echo "Reports (summary, reports, by kind, outreach, a unit's cases)"
	for who in demo_supervisor demo_town_supervisor; do
		page summary "$who"
		page reports "$who"
		page report_breakdown "$who"
		page report_outreach "$who"
	done
	u=$(first demo_supervisor "SELECT period FROM minqing.report_units() LIMIT 1")
	for v in T01 T01V01; do page report_cases demo_supervisor "p_unit=$v" "p_period=$u"; done
	page report_cases demo_supervisor p_unit=LW "p_period=$u"
	echo "Operations (ops, dead messages, tables)"
	for v in ops ops_dead ops_tables; do page "$v" demo_admin; done
	reference
}

# Every view file the runs above measured; those they did not.
unmeasured() {
	local f n missing=
	[ -z "$ONLY" ] || return 0
	for f in "$FORMS"/*.view; do
		n=$(basename "$f" .view)
		[[ $SEEN == *" $n "* ]] || missing+=" $n"
	done
	echo
	echo "views not measured:${missing:- none}"
}

# generate_cases T: the cases (see the head of this file), created up to T.
generate_cases() {
	q -v ncases="$NCASES" -v t_now="$1" <<-'SQL'
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
}

for part in $PARTS; do
	case $part in
	generated) generated ;;
	demo) demo ;;
	*) echo "lists.sh: unknown part $part (generated, demo)" >&2; exit 2 ;;
	esac
done
if [[ " $PARTS " == *" demo "* ]]; then unmeasured; fi
echo
echo "$COUNT statements measured; ${#SLOW[@]} with a median over $TARGET_MS ms:"
for s in ${SLOW[@]+"${SLOW[@]}"}; do echo "$s"; done
