#!/usr/bin/env bash
# The bulletin board across sessions, each person committing: a notice the
# town publishes reaches its villages' officers and the kiosks of its tree
# at once, not another town's; one person's reading does not mark it read
# for another; a staff notice never reaches a kiosk; a withdrawn notice
# leaves every board; every step is in the audit trail. (The notices end
# withdrawn, so the other tests' boards are as the demo data left them.)
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
source "$(dirname "$0")/lib.bash"

# state ACCOUNT ID: "absent", or (staff) "read"/"unread", or (kiosk) "shown"
state() {
	if [ "${1%%_*}" = kiosk ] || [ "$1" = demo_kiosk ]; then
		as "$1" "SELECT CASE WHEN EXISTS (SELECT 1 FROM minqing.notices(p_limit => 500) WHERE notice_id = $2)
		         THEN 'shown' ELSE 'absent' END"
	else
		as "$1" "SELECT coalesce((SELECT CASE WHEN read_at IS NULL THEN 'unread' ELSE 'read' END
		                            FROM minqing.notice($2) WHERE state = 'published'), 'absent')"
	fi
}

id=$(as demo_town "SELECT saved_notice_id FROM minqing.notice_save(NULL, NULL, 'T01', 'notice', 'public',
      '永中街道关于集中清理楼道堆积物的通知', '请居民于本周内清理楼道堆积物，消除消防安全隐患。')")
expect "a draft reaches nobody" "$(state demo_village "$id")|$(state demo_kiosk "$id")" "absent|absent"
expect "the town publishes it" "$(as demo_town "SELECT minqing.notice_publish($id, 1)")" 2
expect "a village officer of the town has it, unread" "$(state demo_village "$id")" unread
expect "the village's handler too" "$(state handler_t01v01 "$id")" unread
expect "another town's officer has not" "$(state demo_village2 "$id")" absent
expect "the district hall's kiosk shows it" "$(state demo_kiosk "$id")" shown
expect "the town's kiosk shows it" "$(state kiosk_t01 "$id")" shown
expect "another town's kiosk does not" "$(state kiosk_t02 "$id")" absent

as demo_village "SELECT minqing.notice_mark_read($id)" >/dev/null
expect "read by the officer who opened it" "$(state demo_village "$id")" read
expect "still unread for the village's handler" "$(state handler_t01v01 "$id")" unread
expect "and for the town's handler" "$(state demo_town "$id")" unread
first=$(as demo_village "SELECT minqing.notice_mark_read($id)")
expect "reading again keeps the first time" "$first" \
	"$(super "SELECT read_at FROM minqing.notice_read WHERE notice_id = $id AND login = 'demo_village'")"

staff=$(as demo_town "SELECT saved_notice_id FROM minqing.notice_save(NULL, NULL, 'T01', 'circular', 'staff',
         '关于民情e站超期件的督查通报', '请各村（社区）三日内说明超期原因。')")
as demo_town "SELECT minqing.notice_publish($staff, 1)" >/dev/null
expect "a staff notice reaches the officer" "$(state demo_village "$staff")" unread
expect "never a kiosk" "$(state demo_kiosk "$staff")|$(state kiosk_t01 "$staff")" "absent|absent"

refused demo_village 42501 "SELECT minqing.notice_withdraw($id, 2)" "an officer of a village does not withdraw the town's notice"
expect "the town withdraws both" \
	"$(as demo_town "SELECT minqing.notice_withdraw($id, 2) || ' ' || minqing.notice_withdraw($staff, 2)")" "3 3"
expect "a withdrawn notice leaves every board" \
	"$(state demo_village "$id")|$(state demo_kiosk "$id")|$(state demo_village "$staff")" "absent|absent|absent"

expect "the audit trail holds the notice's steps, by whom" \
	"$(super "SELECT string_agg(op || ':' || actor || ':' || coalesce(after ->> 'state', ''), ' ' ORDER BY audit_id)
	          FROM minqing.audit_log WHERE table_name = 'notice' AND row_id = '$id'")" \
	"INSERT:demo_town:draft UPDATE:demo_town:published UPDATE:demo_town:withdrawn"
expect "and the reading" \
	"$(super "SELECT count(*) FROM minqing.audit_log WHERE table_name = 'notice_read' AND row_id = '$id/demo_village'
	          AND actor = 'demo_village'")" 1
finish
