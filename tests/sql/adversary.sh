#!/usr/bin/env bash
# The adversary test from outside: as demo_village with plain psql, try to
# change demo_village2's village (committing whatever the server accepts),
# then check as a superuser that not one of its rows changed; and that the
# officer's own legitimate change is in the audit trail under their name.
set -euo pipefail
: "${PGDATABASE:?run through ./dev.sh test}"

super() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 "$@"; }
other_unit=$(super -c "SELECT unit_id FROM minqing.staff WHERE login = 'demo_village2'")
[ -n "$other_unit" ] || { echo "no demo_village2"; exit 1; }

snapshot() {
	super -c "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
	  FROM (SELECT h::text AS t FROM minqing.household h WHERE unit_id = $other_unit
	        UNION ALL SELECT r::text FROM minqing.resident r JOIN minqing.household h
	          USING (household_id) WHERE h.unit_id = $other_unit
	        UNION ALL SELECT l::text FROM minqing.household_link l JOIN minqing.household h
	          USING (household_id) WHERE h.unit_id = $other_unit) x"
}
rows=$(super -c "SELECT count(*) FROM minqing.household WHERE unit_id = $other_unit")
[ "$rows" -gt 0 ] || { echo "the other village has no households to protect"; exit 1; }
before=$(snapshot)

# Each statement on its own, autocommit: whatever succeeds is committed.
# (Every one aims outside demo_village's own village, where it may write.)
attacks=(
	"UPDATE minqing.household SET address = '被篡改' WHERE unit_id = $other_unit"
	"UPDATE minqing.household SET address = '被篡改' WHERE NOT path <@ 'LW.T01.T01V01'"
	"DELETE FROM minqing.resident WHERE household_id IN (SELECT household_id FROM minqing.household WHERE unit_id = $other_unit)"
	"DELETE FROM minqing.resident WHERE path <@ 'LW.T02'"
	"DELETE FROM minqing.household_link WHERE household_id IN (SELECT household_id FROM minqing.household WHERE unit_id = $other_unit)"
	"UPDATE minqing.resident SET phone = '13900000000' WHERE path <@ 'LW.T02'"
	"INSERT INTO minqing.household (unit_id, household_no, address) VALUES ($other_unit, 'EVIL', '伪造')"
	"UPDATE minqing.household SET unit_id = $other_unit"
	"DELETE FROM minqing.household WHERE unit_id = $other_unit"
	"TRUNCATE minqing.household CASCADE"
)
refused=0
for sql in "${attacks[@]}"; do
	if out=$(psql -qXtA -U demo_village -c "$sql" 2>&1); then :; else refused=$((refused + 1)); fi
done
after=$(snapshot)
echo "attacks: ${#attacks[@]}, refused with an error: $refused, the rest touched nothing visible"
if [ "$before" != "$after" ]; then
	echo "FAIL: demo_village changed rows of demo_village2's village"
	exit 1
fi
echo "ok: $rows households of the other village unchanged"

# The officer's own change, committed, is audited under their name.
hh=$(psql -qXtA -U demo_village -c "SELECT min(household_id) FROM minqing.household")
psql -qXtA -U demo_village -v ON_ERROR_STOP=1 \
	-c "UPDATE minqing.household SET grid_cell = '审计网格' WHERE household_id = $hh" >/dev/null
got=$(super -c "SELECT actor || ' ' || (after ->> 'grid_cell') FROM minqing.audit_log
                WHERE table_name = 'household' AND row_id = '$hh' AND op = 'UPDATE'
                ORDER BY audit_id DESC LIMIT 1")
if [ "$got" != "demo_village 审计网格" ]; then
	echo "FAIL: expected the audit row 'demo_village 审计网格', got '$got'"
	exit 1
fi
echo "ok: the officer's own change is audited as: $got"
