#!/usr/bin/env bash
# Benchmark (printed, never asserted): the assessment (考核评分,
# schema/functions/73_assessment.sql, docs/assessment.md) computed for the
# whole demo district at scale MQ_BENCH_ASSESSMENT_SCALE (default 10: about
# the cases and 400,000 households of the demo data), in a
# scratch database of the private cluster. Target: the whole district's
# assessment (every item, every town and village) under 5 s.
#
#   compute           assessment_compute() of this year's default rules at
#                     now, as demo_admin: every item, towns and villages
#   items             each metric as the engine computes it (one statement
#                     each): a value function (counted by unit id, past
#                     row-level security: as postgres), or the facts rolled
#                     up to the towns and villages (as demo_admin)
#   screens           the towns ranked, a town's villages, a unit's items,
#                     the evidence of a village's on-time rate
#   reference         in the same run, as postgres: a bare count(*) of the
#                     cases, and of the households
#
# Each statement runs five times under EXPLAIN (ANALYZE) (compute: three
# times, each rolled back); the figures are planning plus execution time on the server
# (median, min, max). The database (mq_bench_assessment_<pid>) is dropped on
# exit (MQ_BENCH_ASSESSMENT_KEEP=1 keeps it; MQ_BENCH_ASSESSMENT_DB=NAME
# measures again in a kept one, without loading); minqing and minqing_test
# are never touched. Run by `./dev.sh bench`, which sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
SCALE=${MQ_BENCH_ASSESSMENT_SCALE:-10}
demo_db assessment "$SCALE"
q -c "VACUUM ANALYZE" >/dev/null
year=$(q -c "SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int")
echo "  " \
	"$(q -c "SELECT count(*) FROM minqing.cases") cases," \
	"$(q -c "SELECT count(*) FROM minqing.household") households," \
	"$(q -c "SELECT count(*) FROM minqing.case_event") case events," \
	"$(q -c "SELECT count(*) FROM minqing.org_unit WHERE level IN ('town', 'village')") towns and villages;" \
	"period $year"
as demo_admin -c "SELECT minqing.assessment_rule_set_add('$year', '基准测试')" >/dev/null 2>&1 || true
t0=$(now)
id=$(as demo_admin -c "SET statement_timeout = '300s'" -c "SELECT minqing.assessment_compute('$year', now())" | tail -n 1)
echo "  first compute (wall clock, psql): $(secs "$t0" "$(now)") s;" \
	"load average $(cut -d' ' -f1-3 /proc/loadavg);" \
	"$(q -c "SELECT count(*) FROM minqing.assessment_score WHERE assessment_id = $id") scores," \
	"compute_ms $(q -c "SELECT compute_ms FROM minqing.assessment WHERE assessment_id = $id")"

echo "Compute (the whole district, every item)"
# (The statement timeout of staff logins is 30 s: lifted for the run.)
script=
for i in 1 2 3; do
	script+="BEGIN; SET LOCAL statement_timeout = '300s';
	         EXPLAIN (ANALYZE) SELECT minqing.assessment_compute('$year', now()); ROLLBACK;"$'\n'
done
printf '  %-50s %s\n' "assessment_compute('$year', now()) (demo_admin)" "$(as demo_admin <<<"$script" | exec_time | stats)"
echo "Items: each metric as the engine runs it (a value function as postgres, facts rolled up as demo_admin)"
for f in on_time resolution satisfaction visits memo links; do
	bench "$f (value function)" postgres \
		"SELECT * FROM minqing.assessment_value_$f(1::smallint, make_date($year, 1, 1)::timestamptz, now())"
done
for f in archive red meetings volunteers logins; do
	bench "$f (facts)" demo_admin "SELECT g.p, g.n, g.d FROM (SELECT k.p, sum(f.n) AS n, sum(f.d) AS d
		FROM (SELECT x.path::ext.ltree AS path, x.n, x.d FROM (SELECT y.path::text AS path, sum(y.num) AS n,
		        sum(y.den) AS d
		        FROM minqing.assessment_facts_$f(1::smallint, make_date($year, 1, 1)::timestamptz, now(), 'LW') y
		       GROUP BY y.path::text) x) f
		CROSS JOIN LATERAL (VALUES (ext.subpath(f.path, 0, least(2, ext.nlevel(f.path)))),
		                           (CASE WHEN ext.nlevel(f.path) >= 3 THEN ext.subpath(f.path, 0, 3) END)) k(p)
		WHERE k.p IS NOT NULL GROUP BY k.p) g"
done
echo "Screens"
bench "towns ranked" demo_supervisor "SELECT * FROM minqing.assessment_ranking($id)"
bench "a town's villages" demo_supervisor "SELECT * FROM minqing.assessment_ranking($id, 'T01')"
bench "a village's items" demo_town "SELECT * FROM minqing.assessment_unit_items($id, 'T01V01')"
bench "evidence: a village's on-time rate" demo_town "SELECT * FROM minqing.assessment_evidence($id, 1, 'T01V01')"
bench "evidence: a town's visit coverage" demo_supervisor "SELECT * FROM minqing.assessment_evidence($id, 4, 'T01')"
echo "Reference, same run"
bench "count(*) of the cases" postgres "SELECT count(*) FROM minqing.cases"
bench "count(*) of the households" postgres "SELECT count(*) FROM minqing.household"
