#!/usr/bin/env bash
# A case's whole life, by function calls as the right accounts over real
# connections (identity is session_user), committing every step as people
# would: every allowed transition, refused ones (wrong duty, wrong unit, wrong
# state), the deadline, extension, pause, proxy, return and re-dispatch,
# reopening on dissatisfaction, the SMS in the outbox, publication, and
# escalation passes at chosen times.
# (No set -e: a failed step is reported and counted, and the run goes on.)
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
results=$(mktemp)
trap 'rm -f "$results"' EXIT

source "$(dirname "$0")/lib.bash"
status() { super "SELECT status FROM minqing.cases WHERE case_id = $1"; }

# The escalation job's login.
super "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'minqing_escalate')
       THEN CREATE ROLE minqing_escalate LOGIN IN ROLE mq_escalator; END IF; END \$\$" >/dev/null

village_unit=$(super "SELECT unit_id FROM minqing.staff WHERE login = 'demo_village'")
hh=$(super "SELECT h.household_id FROM minqing.household h
            JOIN minqing.household_link l ON l.household_id = h.household_id AND l.contact_kind = 'party_member'
            WHERE h.unit_id = $village_unit ORDER BY 1 LIMIT 1")
proxy=$(super "SELECT contact_resident_id FROM minqing.household_link WHERE household_id = $hh AND contact_kind = 'party_member'")
cat=$(super "SELECT category_id FROM minqing.case_category WHERE parent_id IS NOT NULL AND centre = 'mediation' ORDER BY category_id LIMIT 1")
village_handler=$(super "SELECT login FROM minqing.staff WHERE unit_id = $village_unit AND duty = 'handler' ORDER BY staff_id LIMIT 1")
phone=13957700001

intake() { # account, title, content [, extra args]
	as "$1" "SELECT case_id FROM minqing.case_intake('walk_in', '$2', '$3', $cat, '王小明', '$phone', $hh ${4:-})"
}

# --- 1. intake by the village officer ------------------------------------------------
id=$(intake demo_village '邻居违章搭建挡住采光' '我家东侧邻居在院子里违章搭建彩钢棚，挡住了我家厨房的采光，多次协商无果，请村里协调处理。')
no=$(super "SELECT case_no FROM minqing.cases WHERE case_id = $id")
[[ $no =~ ^LW-20[0-9]{2}-[0-9]{6}$ ]] && ok "case number reads aloud: $no" || bad "case number: $no"
expect "a new case is received" "$(status "$id")" received
expect "the intake is an event" "$(super "SELECT kind || ' ' || actor FROM minqing.case_event WHERE case_id = $id")" "intake demo_village"
dups=$(as demo_village "SELECT jsonb_array_length(duplicates) FROM minqing.case_intake('hotline', '邻居搭棚挡光', '东侧邻居在院子里违章搭建彩钢棚，挡住了我家厨房采光，协商无果，请村里协调。', $cat, '王小明', '$phone', $hh)")
[ "${dups:-0}" -ge 1 ] && ok "a similar case from the same phone is hinted ($dups)" || bad "no duplicate hint"

# --- 2. who may see it, who may not ---------------------------------------------------
expect "the officer sees it" "$(as demo_village "SELECT count(*) FROM minqing.cases WHERE case_id = $id")" 1
expect "the town sees it" "$(as demo_town "SELECT count(*) FROM minqing.cases WHERE case_id = $id")" 1
expect "another village does not" "$(as demo_village2 "SELECT count(*) FROM minqing.cases WHERE case_id = $id")" 0
expect "nor its events" "$(as demo_village2 "SELECT count(*) FROM minqing.case_event WHERE case_id = $id")" 0
expect "a department does not (not dispatched to it)" "$(as demo_dept "SELECT count(*) FROM minqing.cases WHERE case_id = $id")" 0
expect "the district supervisor does" "$(as demo_supervisor "SELECT count(*) FROM minqing.cases WHERE case_id = $id")" 1
refused demo_kiosk 42501 "SELECT count(*) FROM minqing.cases" "the kiosk cannot read cases"
refused demo_village 42501 "SELECT minqing.case_accept($id)" "an officer cannot accept (triage is the handlers')"
refused demo_village2 P0002 "SELECT minqing.case_withdraw($id, '不要了')" "another village cannot touch it"
refused demo_town 42501 "UPDATE minqing.cases SET status = 'closed' WHERE case_id = $id" "no direct UPDATE of a case"
refused demo_admin 42501 "INSERT INTO minqing.case_event (case_id, district_id, kind) VALUES ($id, 1, 'forged')" "no forged events"
refused postgres 42501 "DELETE FROM minqing.case_event WHERE case_id = $id" "events cannot be deleted, even by a superuser"

# --- 3. triage, dispatch with proxy, handling -----------------------------------------------
as demo_town "SELECT minqing.case_accept($id, '属邻里纠纷，交村里调处')" >/dev/null
expect "accepted by the town" "$(status "$id")" accepted
expect "the accept sets a deadline" "$(super "SELECT due_at > started_at AND commitment_kind IS NOT NULL FROM minqing.cases WHERE case_id = $id")" t
refused demo_town 23514 "SELECT minqing.case_dispatch($id, 'LW')" "a case goes to a village, town or department"
refused demo_town 23514 "SELECT minqing.case_dispatch($id, 'T01V01', NULL, false, 'red')" "only key cases start with a warning"
as demo_town "SELECT minqing.case_dispatch($id, 'T01V01', NULL, NULL, NULL, '请村里三日内调处')" >/dev/null
expect "dispatched" "$(status "$id")" dispatched
expect "the household's party member is the proxy" "$(super "SELECT proxy_resident_id FROM minqing.cases WHERE case_id = $id")" "$proxy"
expect "the village handler is named" "$(super "SELECT s.login FROM minqing.cases c JOIN minqing.staff s ON s.staff_id = c.handler_staff_id WHERE case_id = $id")" "$village_handler"
refused handler_t02v01 P0002 "SELECT minqing.case_start($id)" "another village's handler cannot start it"
refused demo_dept P0002 "SELECT minqing.case_start($id)" "a department cannot start it"
as "$village_handler" "SELECT minqing.case_start($id)" >/dev/null
expect "in progress" "$(status "$id")" in_progress
as "$village_handler" "SELECT minqing.case_progress($id, '已约双方到村委会面谈')" >/dev/null
refused "$village_handler" 25000 "SELECT minqing.case_accept($id)" "accepting twice is refused (wrong state)"

# extension: asked below, decided one level up
ext=$(as "$village_handler" "SELECT minqing.case_request_extension($id, 2, '当事人外出，需等其返回')")
refused "$village_handler" 42501 "SELECT minqing.case_decide_extension($ext, true)" "a handler cannot approve their own extension"
before=$(super "SELECT due_at FROM minqing.cases WHERE case_id = $id")
as demo_town "SELECT minqing.case_decide_extension($ext, true, '同意延期两个工作日')" >/dev/null
expect "an approved extension moves the deadline" "$(super "SELECT due_at > '$before' FROM minqing.cases WHERE case_id = $id")" t

# pause while waiting on the resident
as "$village_handler" "SELECT minqing.case_pause($id, '等待当事人提供土地证复印件')" >/dev/null
expect "waiting" "$(status "$id")" waiting
expect "no escalation while waiting" "$(super "SELECT next_escalation_at IS NULL FROM minqing.cases WHERE case_id = $id")" t
as "$village_handler" "SELECT minqing.case_resume($id)" >/dev/null
expect "resumed" "$(status "$id")" in_progress

# resolve: the SMS to the resident is in the outbox, in the same transaction
refused "$village_handler" 23502 "SELECT minqing.case_resolve($id, '')" "a result is required"
as "$village_handler" "SELECT minqing.case_resolve($id, '经调解，邻居同意拆除彩钢棚靠我家一侧部分，已于当日完成。')" >/dev/null
expect "resolved" "$(status "$id")" resolved
sms=$(super "SELECT recipient_phone || ' ' || (body LIKE '%$no%') FROM minqing.outbox WHERE case_id = $id AND dedupe_key LIKE 'case:$id:result:%'")
expect "the result SMS to the resident is queued" "$sms" "$phone true"

# report back, dissatisfaction reopens, then closed
as demo_village "SELECT minqing.case_report_back($id, '已电话告知王小明')" >/dev/null
expect "reported back" "$(status "$id")" reported
refused demo_village 23502 "SELECT minqing.case_close($id, 'not_satisfied')" "dissatisfaction needs a reason"
as demo_village "SELECT minqing.case_close($id, 'not_satisfied', '群众反映彩钢棚仍有部分遮挡')" >/dev/null
expect "not satisfied reopens it at the village" "$(status "$id")" dispatched
expect "the reopened case shows no result to the public" "$(as demo_kiosk "SELECT coalesce(result, '') FROM minqing.case_publication WHERE case_no = '$no'")" ""
as "$village_handler" "SELECT minqing.case_start($id)" >/dev/null
as "$village_handler" "SELECT minqing.case_resolve($id, '邻居已将彩钢棚全部拆除。')" >/dev/null
as demo_village "SELECT minqing.case_report_back($id)" >/dev/null
as demo_village "SELECT minqing.case_close($id, 'satisfied')" >/dev/null
expect "closed satisfied" "$(status "$id"):$(super "SELECT satisfaction FROM minqing.cases WHERE case_id = $id")" "closed:satisfied"
refused demo_town 25000 "SELECT minqing.case_dispatch($id, 'T01V01')" "a closed case cannot be dispatched"
expect "every step is on the timeline" "$(super "SELECT string_agg(kind, ',' ORDER BY event_id) FROM minqing.case_event WHERE case_id = $id")" \
	"intake,accept,dispatch,start,progress,extension_requested,extension_approved,pause,resume,resolve,report_back,reopen,start,resolve,report_back,close"
expect "two result SMS, one per resolution" "$(super "SELECT count(*) FROM minqing.outbox WHERE case_id = $id")" 2

# --- 4. department, return, re-dispatch ---------------------------------------------------
id2=$(intake demo_village '低保申请进度咨询' '我母亲今年三月提交了低保申请，至今没有消息，想了解审批进度。' '')
as demo_town "SELECT minqing.case_accept($id2)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($id2, 'D01')" >/dev/null
expect "the department sees a case dispatched to it" "$(as demo_dept "SELECT count(*) FROM minqing.cases WHERE case_id = $id2")" 1
refused demo_dept 23502 "SELECT minqing.case_return($id2, '')" "a return needs a reason"
as demo_dept "SELECT minqing.case_return($id2, '低保审批属民政部门，请改派')" >/dev/null
expect "returned to triage" "$(status "$id2")" accepted
expect "the department no longer sees it" "$(as demo_dept "SELECT count(*) FROM minqing.cases WHERE case_id = $id2")" 0
as demo_town "SELECT minqing.case_dispatch($id2, 'D02')" >/dev/null
expect "re-dispatched" "$(super "SELECT status || ' ' || assigned_path::text FROM minqing.cases WHERE case_id = $id2")" "dispatched LW.D02"

# --- 5. withdrawal and the immediate matter ---------------------------------------------------
id3=$(intake demo_village '咨询医保缴费时间' '想问一下今年城乡居民医保什么时候开始缴费。' '')
as demo_village "SELECT minqing.case_resolve_at_once($id3, '已当场告知：缴费期为每年9月至12月，可在村便民服务点代缴。')" >/dev/null
expect "an immediate matter is resolved at once" "$(status "$id3")" resolved
expect "and its result SMS queued" "$(super "SELECT count(*) FROM minqing.outbox WHERE case_id = $id3")" 1
id4=$(intake demo_village '路灯不亮' '村口路灯已经坏了一周。' '')
as demo_village "SELECT minqing.case_withdraw($id4, '群众来电说路灯已修好')" >/dev/null
expect "withdrawn" "$(status "$id4")" withdrawn

# --- 6. publication ------------------------------------------------------------------------------
pub=$(as demo_kiosk "SELECT submitter || ' ' || phone FROM minqing.case_publication WHERE case_no = '$no'")
expect "the public sees masked name and phone" "$pub" "王** 139****0001"
expect "a resident finds a case by number and phone tail" "$(as demo_kiosk "SELECT count(*) FROM minqing.case_lookup('$no', '0001')")" 1
expect "not with a wrong tail" "$(as demo_kiosk "SELECT count(*) FROM minqing.case_lookup('$no', '9999')")" 0
# (the day on the district's clock, whatever the kiosk session's TimeZone: tests/sql/42_time_zone.sql)
expect "the resident sees the day it was received, the district's" \
	"$(PGTZ=Pacific/Honolulu as demo_kiosk "SELECT received_on FROM minqing.case_lookup('$no', '0001')")" \
	"$(super "SELECT (created_at AT TIME ZONE (minqing.calendar_setting(district_id)).time_zone)::date FROM minqing.cases WHERE case_no = '$no'")"

# --- 7. escalation at chosen times ---------------------------------------------------------------
id5=$(intake demo_village '河道垃圾堆积' '村西河道有大量生活垃圾堆积，气味难闻，请尽快清理。' '')
as demo_town "SELECT minqing.case_accept($id5)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($id5, 'T01V01')" >/dev/null
at() { super "SELECT minqing.escalation_due_at(1::smallint, '$1', started_at, due_at) + interval '1 minute' FROM minqing.cases WHERE case_id = $id5"; }
run_pass() { "$MQ_BUILD_DIR/minqing-escalate" --once --now "$1" 2>&1 | tail -1; }
export PGUSER_SAVED=${PGUSER:-}
t_rem=$(at reminder); t_y=$(at yellow); t_o=$(at orange); t_r=$(at red)
before=$(super "SELECT started_at - interval '1 minute' FROM minqing.cases WHERE case_id = $id5")
PGUSER=minqing_escalate
export PGUSER
# (The demo district's own open cases may fall due in the same windows, so
# each pass is judged by this case's timeline, not by the pass's totals.)
steps() { PGUSER=postgres psql -qXtA -c "SELECT coalesce(string_agg(data->>'step', ',' ORDER BY event_id), '') FROM minqing.case_event WHERE case_id = $id5 AND kind IN ('reminder', 'warning')"; }
r=$(run_pass "$before"); expect "nothing is due before the clock starts ($r)" "$(steps)" ""
r=$(run_pass "$t_rem"); expect "the reminder at 80% of the time" "$(steps)" "reminder"
r=$(run_pass "$t_rem"); [[ $r == *"cases=0 "* ]] && ok "the same pass again does nothing" || bad "repeat pass: $r"
r=$(run_pass "$t_y"); expect "yellow when overdue" "$(steps)" "reminder,yellow"
r=$(run_pass "$t_o"); expect "orange later" "$(steps)" "reminder,yellow,orange"
r=$(run_pass "$t_r"); expect "red later still" "$(steps)" "reminder,yellow,orange,red"
r=$(run_pass "$t_r"); [[ $r == *"cases=0 "* ]] && ok "nothing beyond red" || bad "after red: $r"
PGUSER=$PGUSER_SAVED
expect "the warnings are on the timeline" "$(super "SELECT string_agg(data->>'step', ',' ORDER BY event_id) FROM minqing.case_event WHERE case_id = $id5 AND kind IN ('reminder','warning')")" "reminder,yellow,orange,red"
expect "the case shows red" "$(super "SELECT warning_level FROM minqing.cases WHERE case_id = $id5")" red
# Staff hear of escalation by digests (one per step and person in a pass,
# naming the first cases by deadline), not by one SMS per case.
utc() { super "SELECT to_char('$1'::timestamptz AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS')"; }
passes="'$(utc "$t_rem")', '$(utc "$t_y")', '$(utc "$t_o")', '$(utc "$t_r")'"
digests="FROM minqing.outbox WHERE dedupe_key LIKE 'escalation:%' AND split_part(dedupe_key, ':', 2) IN ($passes)"
expect "a digest for every step of the four passes" "$(super "SELECT string_agg(DISTINCT split_part(dedupe_key, ':', 3), ',') $digests")" "orange,red,reminder,yellow"
expect "no person twice for one step of a pass" "$(super "SELECT count(*) - count(DISTINCT (split_part(dedupe_key, ':', 2), split_part(dedupe_key, ':', 3), recipient_phone)) $digests")" 0
expect "no SMS per case to staff" "$(super "SELECT count(*) FROM minqing.outbox WHERE case_id = $id5")" 0

# a late pass catches up all steps at once; a key case starts at orange
id6=$(intake demo_village '宅基地纠纷' '兄弟两家因宅基地界址发生争执，已多次发生冲突。' '')
as demo_town "SELECT minqing.case_accept($id6)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($id6, 'T01', NULL, true, 'orange', '重点复杂，街道牵头')" >/dev/null
expect "a key case can start at orange" "$(super "SELECT warning_level FROM minqing.cases WHERE case_id = $id6")" orange
far=$(super "SELECT due_at + interval '60 days' FROM minqing.cases WHERE case_id = $id6")
PGUSER=minqing_escalate run_pass "$far" >/dev/null
expect "a late pass catches up to red" "$(super "SELECT warning_level FROM minqing.cases WHERE case_id = $id6")" red
# that late pass turned many of the demo district's cases red at once: each
# person of the district centre got one red digest for all of them
red="FROM minqing.outbox WHERE dedupe_key LIKE 'escalation:$(utc "$far"):red:%'"
centre=$(super "SELECT count(*) FROM minqing.staff WHERE path = 'LW' AND active AND phone IS NOT NULL AND duty IN ('handler', 'supervisor')")
expect "one red digest per person of the district centre" "$(super "SELECT count(*) $red")" "$centre"
expect "each naming the worst cases, with the count" "$(super "SELECT bool_and(body ~ '有[0-9]+件' AND body LIKE '%LW-%') $red")" t

# two passes at once: the second steps aside
PGUSER=minqing_escalate psql -qXtA -c "BEGIN; SELECT skipped FROM minqing.escalation_pass(); SELECT pg_sleep(6); COMMIT;" >/dev/null &
holder=$!
for _ in $(seq 100); do
	[ "$(super "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'minqing.escalation_work'::regclass AND granted)")" = t ] && break
	sleep 0.1
done
r=$(PGUSER=minqing_escalate "$MQ_BUILD_DIR/minqing-escalate" --once 2>&1; echo "rc=$?")
wait $holder
[[ $r != *"cases="* && $r == *"rc=0" ]] && ok "a second pass at the same time exits cleanly" || bad "concurrent pass: $r"
refused demo_town 42501 "SELECT * FROM minqing.escalation_pass()" "staff cannot run the escalation pass"

# a pass killed before it commits leaves nothing behind; the next one does it all
id7=$(intake demo_village '垃圾清运不及时' '小区垃圾桶已满三天无人清运。' '')
as demo_town "SELECT minqing.case_accept($id7)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($id7, 'T01V01')" >/dev/null
late=$(super "SELECT due_at + interval '30 days' FROM minqing.cases WHERE case_id = $id7")
events() { super "SELECT count(*) FROM minqing.case_event WHERE case_id = $id7"; }
before_events=$(events)
PGUSER=minqing_escalate PGAPPNAME=mq_killed_pass psql -qXtA \
	-c "BEGIN; SELECT * FROM minqing.escalation_pass('$late'); SELECT pg_sleep(60); COMMIT;" >/dev/null 2>&1 &
victim=$!
for _ in $(seq 1 50); do
	[ "$(super "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'mq_killed_pass' AND wait_event = 'PgSleep'")" = 1 ] && break
	sleep 0.1
done
super "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mq_killed_pass'" >/dev/null
wait $victim 2>/dev/null || true
expect "a killed pass left no event" "$(events)" "$before_events"
expect "nor a warning" "$(super "SELECT warning_level FROM minqing.cases WHERE case_id = $id7")" none
PGUSER=minqing_escalate run_pass "$late" >/dev/null
expect "the next pass does the work" "$(super "SELECT warning_level FROM minqing.cases WHERE case_id = $id7")" red

# The escalation queue (case_due, kept by a statement trigger) mirrors every
# case's next escalation time after all of the above, and no client sees it.
# (escalation_pass keeps the books of its own update: they must be what the
# trigger would have kept.)
expect "the escalation queue mirrors the cases" "$(super "SELECT count(*) FROM minqing.cases c
	FULL JOIN minqing.case_due q USING (case_id)
	WHERE c.next_escalation_at IS DISTINCT FROM q.due_at
	   OR c.next_escalation_at IS DISTINCT FROM minqing.case_next_escalation(c)")" 0
expect "the queue is not readable by staff" \
	"$(psql -qXtA -U demo_supervisor -c "SELECT count(*) FROM minqing.case_due" 2>&1 | grep -c 'permission denied')" 1

# --- 8. figures: stats agrees with what the person can see -----------------------------------
for who in demo_village demo_town demo_supervisor; do
	# Counted before and after: tests running beside this one may record
	# cases meanwhile, so stats must lie between the two counts.
	before=$(as "$who" "SELECT count(*) FROM minqing.cases")
	got=$(PGUSER=$who "$MQ_BUILD_DIR/minqing-admin" stats | sed -n 's/^cases recorded: //p')
	after=$(as "$who" "SELECT count(*) FROM minqing.cases")
	[ -n "$got" ] && [ "$got" -ge "$before" ] && [ "$got" -le "$after" ] && want=$got || want="$before..$after"
	expect "stats as $who counts the cases they see ($before..$after)" "$got" "$want"
done
got=$(PGUSER=demo_village "$MQ_BUILD_DIR/minqing-admin" stats --unit T01V01 | grep -c ': ')
expect "stats prints twelve figures" "$got" 12

finish
