#!/usr/bin/env bash
# Benchmark (printed, never asserted): the village archive's functions
# (docs/archive.md) on the demo district at scale MQ_BENCH_ARCHIVE_SCALE
# (default 10: about 400,000 households and 1.3 million residents, so a
# village of about 3,300 households), in a scratch database of the private
# cluster. Target: opening a section (minqing.archive_section()) < 10 ms.
#
#   open a section       archive_section('T01V01', 1..8) as demo_village (the
#                        village's officer) and demo_town (its town's handler):
#                        1 with the live counts of households and residents, 3
#                        the party-member register's figures, 7 the mediation
#                        cases per year, 8 the current hardship marks
#   the console          the section's record and labelled lines as the
#                        record screen reads them; the villages × sections list
#   the sections         archive_sections('T01V01') (the eight, stale flags)
#   history, diff        archive_history (first page), archive_diff of the
#                        oldest and newest revision of section 5
#   overview             archive_overview() as demo_town (its villages × 8)
#                        and demo_supervisor (the district's 120 × 8)
#   save                 archive_save_section of section 2 (nine members), in
#                        a transaction rolled back
#   reference            a primary-key lookup of one household, as
#                        demo_village and as postgres, in the same run
#
# Each statement runs five times under EXPLAIN (ANALYZE); the figures are
# planning plus execution time on the server (median, min, max). The
# database (mq_bench_archive_<pid>) is dropped on exit (MQ_BENCH_ARCHIVE_KEEP=1
# keeps it; MQ_BENCH_ARCHIVE_DB=NAME measures again in a kept one, without
# loading); minqing and minqing_test are never touched. Run by
# `./dev.sh bench`, which sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
SCALE=${MQ_BENCH_ARCHIVE_SCALE:-10}
demo_db archive "$SCALE"
echo "  " \
	"$(q -c "SELECT count(*) FROM minqing.household") households," \
	"$(q -c "SELECT count(*) FROM minqing.resident") residents," \
	"$(q -c "SELECT count(*) FROM minqing.archive_revision") revisions," \
	"$(q -c "SELECT count(*) FROM minqing.hardship_mark") hardship marks"
q -c "VACUUM ANALYZE" >/dev/null
echo "T01V01: $(q -c "SELECT count(*) FROM minqing.household h JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T01V01'") households," \
	"$(q -c "SELECT count(*) FROM minqing.resident r WHERE r.path = 'LW.T01.T01V01'") residents," \
	"$(q -c "SELECT count(*) FROM minqing.party_member p WHERE p.path = 'LW.T01.T01V01'") party members"

echo "Open a section (minqing.archive_section)"
for who in demo_village demo_town; do
	for s in 1 2 3 4 5 6 7 8; do
		bench "section $s" "$who" "SELECT * FROM minqing.archive_section('T01V01', $s)"
	done
done
echo "The console's section screen (forms/archive_section.view: the record and its lines)"
for s in 1 2 3 5 8; do
	bench "record + lines, section $s" demo_village \
		"SELECT (SELECT count(*) FROM minqing.archive_section_record('T01V01', $s)) +
		        (SELECT count(*) FROM minqing.archive_section_lines('T01V01', $s))"
done
echo "The console's villages × sections (forms/archives.view, first page)"
bench "archive_villages" demo_town "SELECT * FROM minqing.archive_villages()"
bench "archive_villages" demo_supervisor "SELECT * FROM minqing.archive_villages()"
echo "The eight sections, history, differences"
bench "archive_sections" demo_village "SELECT * FROM minqing.archive_sections('T01V01')"
bench "archive_history, first page" demo_village "SELECT * FROM minqing.archive_history('T01V01', 5)"
read -r ra rb < <(q -F ' ' -c "SELECT min(r.revision_id), max(r.revision_id) FROM minqing.archive_revision r
	JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T01V01' AND r.section = 5")
bench "archive_diff, oldest and newest of section 5" demo_village "SELECT * FROM minqing.archive_diff($ra, $rb)"
echo "Overview (villages × sections)"
bench "archive_overview" demo_town "SELECT * FROM minqing.archive_overview()"
bench "archive_overview" demo_supervisor "SELECT * FROM minqing.archive_overview()"
echo "Save (rolled back)"
rev=$(as demo_village -c "SELECT revision_no FROM minqing.archive_section('T01V01', 2)")
bench "archive_save_section, section 2" demo_village \
	"SELECT * FROM minqing.archive_save_section('T01V01', 2, (SELECT content FROM minqing.archive_section('T01V01', 2)) || '{\"note\": \"基准测试\"}', $rev)" rollback
echo "Reference, same run"
hh=$(as demo_village -c "SELECT min(household_id) FROM minqing.household")
for who in demo_village postgres; do
	bench "household by primary key" "$who" "SELECT * FROM minqing.household WHERE household_id = $hh"
done
