#!/usr/bin/env bash
# Benchmark (printed, never asserted): the report figures (统计报表,
# schema/functions/72_report_figures.sql, docs/reports.md) on the demo
# district at scale MQ_BENCH_REPORTS_SCALE (default 10: about 956,000 cases,
# 7 million events, 400,000 households), in a scratch database of the
# private cluster. Target: each report's first page under 100 ms server time.
#
#   reference     in the same run: a bare SELECT count(*) FROM minqing.cases,
#                 as postgres and as demo_supervisor (row-level security)
#   summaries     the rows of report_case_day and report_case_hours
#   by unit       report_units() for the district (this month, last year, a
#                 custom range) as demo_supervisor, for a town as
#                 demo_town_supervisor
#   breakdowns    report_breakdown() by centre, category, channel and level
#   drill-down    report_cases_list() first page: recorded (district, a
#                 village), overdue now, red warnings, reopened
#   outreach      report_outreach() for the district and for a town (and the
#                 job's recount, report_outreach_refresh(), timed once)
#   writes        what the summary triggers cost a case write: intakes
#                 (50, as demo_village) and an escalation pass 2 days ahead (as
#                 postgres), each rolled back, with the report triggers
#                 enabled and then disabled, in the same run
#
# MQ_BENCH_REPORTS_REBUILD=1 also times report_rebuild(), the recount from
# scratch that migration 020 runs (minutes at scale 10).
#
# Each statement runs five times under EXPLAIN (ANALYZE); the figures are
# planning plus execution time on the server (median, min, max). The
# database (mq_bench_reports_<pid>) is dropped on exit
# (MQ_BENCH_REPORTS_KEEP=1 keeps it; MQ_BENCH_REPORTS_DB=NAME measures again
# in a kept one, without loading); minqing and minqing_test are never
# touched. Run by `./dev.sh bench`, which sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
SCALE=${MQ_BENCH_REPORTS_SCALE:-10}
demo_db reports "$SCALE"
q -c "VACUUM ANALYZE" >/dev/null
echo "  " \
	"$(q -c "SELECT count(*) FROM minqing.cases") cases," \
	"$(q -c "SELECT count(*) FROM minqing.case_event") events," \
	"$(q -c "SELECT count(*) FROM minqing.household") households;" \
	"summaries: $(q -c "SELECT count(*) FROM minqing.report_case_day") day rows," \
	"$(q -c "SELECT count(*) FROM minqing.report_case_hours") hour rows" \
	"($(q -c "SELECT pg_size_pretty(pg_total_relation_size('minqing.report_case_day') + pg_total_relation_size('minqing.report_case_hours'))"))"
if [ -n "${MQ_BENCH_REPORTS_REBUILD:-}" ]; then
	t0=$(now)
	q -c "SELECT minqing.report_rebuild()" >/dev/null
	echo "  report_rebuild() (a recount of every summary from the cases): $(secs "$t0" "$(now)") s"
fi
t0=$(now)
q -c "SELECT minqing.report_outreach_refresh(now(), true)" >/dev/null
echo "  report_outreach_refresh() (the escalation job's recount of the outreach summaries): $(secs "$t0" "$(now)") s"
q -c "VACUUM ANALYZE minqing.report_case_day, minqing.report_case_hours, minqing.report_outreach_state, minqing.report_outreach_day" >/dev/null

echo "Reference, same run: a bare count of the cases"
bench "SELECT count(*) FROM minqing.cases" postgres "SELECT count(*) FROM minqing.cases"
bench "SELECT count(*) FROM minqing.cases" demo_supervisor "SELECT count(*) FROM minqing.cases"
echo "By unit (report_units)"
bench "district, this month" demo_supervisor "SELECT * FROM minqing.report_units(NULL, 'month')"
bench "district, last year" demo_supervisor "SELECT * FROM minqing.report_units(NULL, 'year')"
bench "district, a quarter" demo_supervisor "SELECT * FROM minqing.report_units(NULL, 'quarter')"
bench "district, a custom range" demo_supervisor "SELECT * FROM minqing.report_units(NULL, (SELECT (period_from - 40) || '..' || (period_to - 3) FROM minqing.report_period_bounds('month')))"
bench "town T01, this month" demo_town_supervisor "SELECT * FROM minqing.report_units(NULL, 'month')"
bench "town T01 from the district" demo_supervisor "SELECT * FROM minqing.report_units('T01', 'year')"
echo "Breakdowns (report_breakdown), district, this year"
for by in centre category channel level; do
	bench "by $by" demo_supervisor "SELECT * FROM minqing.report_breakdown(NULL, 'year', '$by')"
done
bench "by category, town T01" demo_town_supervisor "SELECT * FROM minqing.report_breakdown(NULL, 'year', 'category')"
echo "Drill-down to the cases (report_cases_list), first page of 50"
bench "recorded, district, this year" demo_supervisor "SELECT * FROM minqing.report_cases_list(NULL, 'year')"
bench "recorded, village T01V01, this year" demo_supervisor "SELECT * FROM minqing.report_cases_list('T01V01', 'year')"
bench "overdue now, district, this year" demo_supervisor "SELECT * FROM minqing.report_cases_list(NULL, 'year', 'overdue_now')"
bench "red, district, this year" demo_supervisor "SELECT * FROM minqing.report_cases_list(NULL, 'year', 'red')"
bench "reopened, town T01, this year" demo_town_supervisor "SELECT * FROM minqing.report_cases_list(NULL, 'year', 'reopened')"
echo "Outreach (report_outreach)"
bench "district, this month" demo_supervisor "SELECT * FROM minqing.report_outreach(NULL, 'month')"
bench "town T01, this month" demo_town_supervisor "SELECT * FROM minqing.report_outreach(NULL, 'month')"

echo "Writes: what the summary triggers cost (rolled back; enabled, then disabled)"
cat_id=$(q -c "SELECT min(category_id) FROM minqing.case_category WHERE district_id = 1 AND parent_id IS NOT NULL")
intake="SELECT count(minqing.case_intake('walk_in', '基准测试', '基准内容', $cat_id, '基准', '1380000' || lpad(g::text, 4, '0'))) FROM generate_series(1, 50) g"
pass="SELECT * FROM minqing.escalation_pass(now() + interval '2 days')"
for state in enabled disabled; do
	if [ "$state" = disabled ]; then
		q -c "ALTER TABLE minqing.cases DISABLE TRIGGER report_cases_insert, DISABLE TRIGGER report_cases_update" \
			-c "ALTER TABLE minqing.case_event DISABLE TRIGGER report_events_insert" >/dev/null
	fi
	bench "50 intakes in one transaction, report triggers $state" demo_village "$intake" wrap
	bench "escalation pass +2 days, triggers $state" postgres "$pass" wrap
done
q -c "ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER report_cases_insert, ENABLE ALWAYS TRIGGER report_cases_update" \
	-c "ALTER TABLE minqing.case_event ENABLE ALWAYS TRIGGER report_events_insert" >/dev/null
