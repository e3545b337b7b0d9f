#!/usr/bin/env bash
# Benchmark (printed, never asserted): visit coverage and the visit plan
# (schema/functions/66_visits.sql, docs/visits.md) on the demo district at
# scale MQ_BENCH_VISITS_SCALE (default 10: about 400,000 households, 61,570
# visits, 300,000 households visited), in a scratch database of the private
# cluster. Targets: coverage per village for the whole district < 100 ms;
# the visit plan's first page < 20 ms.
#
#   coverage          visit_coverage() per village, per town and for the
#                     district (the last twelve months) as demo_supervisor
#                     and demo_admin (the district), demo_town (a town)
#   reference         in the same run, as postgres: a bare count(DISTINCT
#                     household_id) of the same visits (the period's rows of
#                     visit_household), for the district and per village
#   plan              visit_plan(), first page (50), as demo_village (its
#                     team's cells), demo_town and demo_supervisor
#   lists             visits() first page; visit_cells() of T01V01
#   record            visit_record() of five households as demo_village
#                     (rolled back)
#
# Each statement runs five times under EXPLAIN (ANALYZE); the figures are
# planning plus execution time on the server (median, min, max). The
# database (mq_bench_visits_<pid>) is dropped on exit (MQ_BENCH_VISITS_KEEP=1
# keeps it; MQ_BENCH_VISITS_DB=NAME measures again in a kept one, without
# loading); minqing and minqing_test are never touched. Run by `./dev.sh
# bench`, which sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
SCALE=${MQ_BENCH_VISITS_SCALE:-10}
demo_db visits "$SCALE"
q -c "VACUUM ANALYZE" >/dev/null
d0=$(q -c "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '1 year' + interval '1 day'")
d0=${d0%% *}
echo "  " \
	"$(q -c "SELECT count(*) FROM minqing.household") households," \
	"$(q -c "SELECT count(*) FROM minqing.grid_cell") cells," \
	"$(q -c "SELECT count(*) FROM minqing.service_team") teams," \
	"$(q -c "SELECT count(*) FROM minqing.visit") visits," \
	"$(q -c "SELECT count(*) FROM minqing.visit_household") households visited;" \
	"rural coverage since $d0: $(q -c "SELECT round(100.0 * count(*) FILTER (WHERE hc.last_visited_on >= '$d0')
		/ count(*), 1) FROM minqing.household_cell hc JOIN minqing.org_unit u USING (unit_id) WHERE u.kind = 'village'") %"

echo "Coverage (last twelve months)"
for who in demo_supervisor demo_admin; do
	bench "per village, whole district" "$who" "SELECT * FROM minqing.visit_coverage('village', 'year')"
done
bench "per town, whole district" demo_supervisor "SELECT * FROM minqing.visit_coverage('town', 'year')"
bench "district" demo_supervisor "SELECT * FROM minqing.visit_coverage('district', 'year')"
bench "per village, a town" demo_town "SELECT * FROM minqing.visit_coverage('village', 'year')"
bench "per cell, a village" demo_village "SELECT * FROM minqing.visit_coverage('cell', 'year', 'T01V01')"
echo "Reference, same run: count(DISTINCT household) of the same visits"
bench "count(DISTINCT household_id), district" postgres \
	"SELECT count(DISTINCT household_id) FROM minqing.visit_household WHERE visited_on >= '$d0'"
bench "count(DISTINCT household_id) per village" postgres \
	"SELECT unit_id, count(DISTINCT household_id) FROM minqing.visit_household WHERE visited_on >= '$d0' GROUP BY unit_id"
echo "Visit plan, first page (50)"
for who in demo_village demo_town demo_supervisor; do
	bench "visit_plan()" "$who" "SELECT * FROM minqing.visit_plan()"
done
IFS='|' read -r k i < <(as demo_village -c "SELECT last_key, household_id FROM minqing.visit_plan() ORDER BY last_key DESC, household_id DESC LIMIT 1")
bench "visit_plan(), next page" demo_village "SELECT * FROM minqing.visit_plan('$k', $i)"
echo "Lists"
bench "visits(), first page" demo_village "SELECT * FROM minqing.visits()"
bench "visits(), first page" demo_supervisor "SELECT * FROM minqing.visits()"
bench "visit_cells('T01V01')" demo_village "SELECT * FROM minqing.visit_cells('T01V01')"
echo "Writing"
bench "visit_record(), five households (rolled back)" demo_village \
	"SELECT * FROM minqing.visit_record('11 12 13-14 15', 'night')" wrap
