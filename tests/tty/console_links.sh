#!/usr/bin/env bash
# 党员联户 and 未联系党员的农户 (issue 12, item 3: the links visible), at
# 80x24, as a village officer, on a database of its own (the test unlinks
# households):
#
#   - Basic information has the two rows; 党员联户 lists the village's party
#     members fewest households first, each with its count as the links are;
#   - w shows only those under five: the one left with two households;
#     v switches to the villager representatives;
#   - 未联系党员的农户 lists exactly the households left without one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_links_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

# The village officer's first party member keeps two of its households.
village=$(q "SELECT u.path FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id) WHERE s.login = 'demo_village'")
short=$(q "SELECT p.resident_id FROM minqing.party_member p WHERE p.path <@ '$village' ORDER BY 1 LIMIT 1")
short_name=$(q "SELECT name FROM minqing.resident WHERE resident_id = $short")
q "DELETE FROM minqing.household_link WHERE contact_resident_id = $short AND household_id NOT IN
     (SELECT household_id FROM minqing.household_link WHERE contact_resident_id = $short ORDER BY 1 LIMIT 2)"
unlinked=$(q "SELECT h.household_no FROM minqing.household h WHERE h.path <@ '$village' AND h.active
                AND NOT EXISTS (SELECT 1 FROM minqing.household_link l WHERE l.household_id = h.household_id
                                AND l.contact_kind = 'party_member') ORDER BY h.household_no")
[ -n "$unlinked" ] || fail "the fixture left no household without a party member"

tt_start main 80 24
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 1
tt_wait main 党员联户
tt_has main 未联系党员的农户
# the rows the two view files add, after the module's own five
tt_screen main | grep -qE '^ +6 +党员联户' || fail "党员联户 is not row 6 of Basic information"
tt_keys main 6
tt_wait main 联系户数
tt_wait main "$short_name"
# The list's rows: between the column header (row 4) and the hint line.
rows() { tt_screen main | sed -n '5,22p' | grep -v '^ *$' || true; }
first=$(rows | head -n 1)
[[ $first == *"$short_name"* ]] || fail "the party member with two households is not first: [$first]"
[[ $first =~ [[:space:]]2[[:space:]]*$ ]] || fail "its count is not 2: [$first]"
echo "ok: 党员联户 lists the party members fewest households first, with their counts"
# Enter: the person's households (联系户), where a link is stopped (x),
# the form filled with the person and the household
first_no=$(q "SELECT h.household_no FROM minqing.household_link l JOIN minqing.household h USING (household_id)
               WHERE l.contact_resident_id = $short ORDER BY h.household_no LIMIT 1")
tt_keys main Enter
tt_wait main "户数：2"
tt_wait main "$first_no"
tt_keys main x
tt_wait main 取消联系户
tt_has main "$short_name"
tt_has main "$first_no"
tt_keys main F2
tt_wait main "户数：1"
tt_gone main "$first_no"
[ "$(q "SELECT count(*) FROM minqing.household_link WHERE contact_resident_id = $short")" = 1 ] ||
	fail "the link was not removed in the database"
echo "ok: Enter lists a party member's households; x stops a link, the form filled from the row"
tt_keys main Escape
tt_wait main 联系户数
unlinked=$(printf '%s\n%s\n' "$unlinked" "$first_no" | sort)

tt_keys main w
tt_wait main 联系少于5户的
tt_wait main "$short_name"
counts=$(rows | awk '{print $NF}')
[ -n "$counts" ] || fail "w shows nobody"
for n in $counts; do
	[ "$n" -lt 5 ] || fail "w shows someone with $n households"
done
echo "ok: w shows only those under five"
tt_keys main a v
tt_wait main 村民代表
echo "ok: v switches to the villager representatives"
tt_keys main Escape
tt_wait main 基础信息

tt_keys main 7
tt_wait main 户号
for no in $unlinked; do
	tt_wait main "$no" 5
done
want=$(wc -w <<<"$unlinked")
tt_wait main "户数：$want"
echo "ok: 未联系党员的农户 lists the $want households left without a party member"
tt_keys main F10
tt_wait main EXIT=0
