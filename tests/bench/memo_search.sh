#!/usr/bin/env bash
# Benchmark (printed, never asserted): the household search of the household
# memo (minqing.household_search(), docs/memo.md) on the demo district at
# scale MQ_BENCH_MEMO_SCALE (default 10: about 400,000 households and 1.3
# million residents), in a scratch database of the private cluster. Target:
# the first page (20 rows) < 20 ms.
#
#   as demo_village (a village), demo_town (a town) and demo_supervisor (the
#   district), the first page of:
#     name, common     two characters of the head's name that many share (王建)
#     name, rare       two characters few share
#     surname          one character (the beginning of the head's name)
#     address          a part of an address every household of a village has
#     phone            a household's whole mobile number
#     phone tail       its last four digits
#     ID tail          the last four characters of a member's ID number
#     household no.    a number prefix (T01V01-01)
#     next page        a common name's second page (keyset)
#     card             household_card() of the household found
#   lists              households_without_memo(), memos_stale(), open_demands(),
#                      first page (50), as the same three accounts
#   reference          a primary-key lookup of one household, as the same
#                      account and as postgres, in the same run
#
# Each statement runs five times under EXPLAIN (ANALYZE); the figures are
# planning plus execution time on the server (median, min, max). The
# database (mq_bench_memo_<pid>) is dropped on exit (MQ_BENCH_MEMO_KEEP=1
# keeps it; MQ_BENCH_MEMO_DB=NAME measures again in a kept one, without
# loading); minqing and minqing_test are never touched. Run by `./dev.sh
# bench`, which sets MQ_BUILD_DIR and PG*.
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
SCALE=${MQ_BENCH_MEMO_SCALE:-10}
demo_db memo "$SCALE"
q -c "VACUUM ANALYZE" >/dev/null
echo "  " \
	"$(q -c "SELECT count(*) FROM minqing.household") households," \
	"$(q -c "SELECT count(*) FROM minqing.resident") residents," \
	"$(q -c "SELECT count(*) FROM minqing.household_memo") memos," \
	"$(q -c "SELECT count(*) FROM minqing.household_demand") demands;" \
	"T01V01: $(q -c "SELECT count(*) FROM minqing.household h JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T01V01'") households"

# What to search for: a household of T01V01 whose head has a mobile and an
# ID number, and a rare pair of characters of a head's name there.
read -r hh phone id4 < <(q -F ' ' -c "SELECT h.household_id, r.phone, right(r.id_card_masked, 4)
	FROM minqing.household h JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	WHERE u.code = 'T01V01' AND r.phone ~ '^1' AND r.id_card_masked IS NOT NULL ORDER BY h.household_id LIMIT 1")
rare=$(q -c "SELECT g FROM (SELECT substr(r.name, 2, 2) AS g FROM minqing.household h
	JOIN minqing.resident r ON r.resident_id = h.head_resident_id WHERE h.path = 'LW.T01.T01V01'
	AND char_length(r.name) = 3) x GROUP BY g HAVING count(*) = 1 ORDER BY g LIMIT 1")
addr=$(q -c "SELECT left(h.address, 4) FROM minqing.household h WHERE h.path = 'LW.T01.T01V01' LIMIT 1")
echo "searching for: 王建, $rare (rare), 王, $addr (address), $phone, ${phone: -4}, $id4 (ID tail), T01V01-01"
echo "  matches in the district: 王建 $(q -c "SELECT count(*) FROM minqing.household_search WHERE doc LIKE '%王建%'")," \
	"$rare $(q -c "SELECT count(*) FROM minqing.household_search WHERE doc LIKE '%$rare%'")," \
	"王 (head) $(q -c "SELECT count(*) FROM minqing.household_search WHERE head_name LIKE '王%'")," \
	"$addr $(q -c "SELECT count(*) FROM minqing.household_search WHERE doc LIKE '%$addr%'")"

for who in demo_village demo_town demo_supervisor; do
	echo "First page (20) as $who"
	bench "name, common (王建)" "$who" "SELECT * FROM minqing.household_search('王建')"
	bench "name, rare ($rare)" "$who" "SELECT * FROM minqing.household_search('$rare')"
	bench "surname (王)" "$who" "SELECT * FROM minqing.household_search('王')"
	bench "address ($addr)" "$who" "SELECT * FROM minqing.household_search('$addr')"
	bench "phone" "$who" "SELECT * FROM minqing.household_search('$phone')"
	bench "phone tail (${phone: -4})" "$who" "SELECT * FROM minqing.household_search('${phone: -4}')"
	bench "ID tail ($id4)" "$who" "SELECT * FROM minqing.household_search('$id4')"
	bench "household number (T01V01-01)" "$who" "SELECT * FROM minqing.household_search('T01V01-01')"
	IFS='|' read -r k i < <(as "$who" -c "SELECT sort_key, household_id FROM minqing.household_search('王建')
		ORDER BY sort_key COLLATE \"C\" DESC, household_id DESC LIMIT 1")
	if [ -n "${i:-}" ]; then
		bench "name, common, next page" "$who" "SELECT * FROM minqing.household_search('王建', '$k', $i)"
	fi
	bench "household_card" "$who" "SELECT * FROM minqing.household_card($hh)"
done
echo "Lists"
for who in demo_village demo_town demo_supervisor; do
	bench "households_without_memo, first page" "$who" "SELECT * FROM minqing.households_without_memo()"
	bench "memos_stale, first page" "$who" "SELECT * FROM minqing.memos_stale()"
	bench "open_demands, first page" "$who" "SELECT * FROM minqing.open_demands()"
done
echo "Reference, same run"
for who in demo_village postgres; do
	bench "household by primary key" "$who" "SELECT * FROM minqing.household WHERE household_id = $hh"
done
