#!/usr/bin/env bash
# The workflow rules where they are the last line of defence: callers who
# CAN see a case (so row-level security lets them through) but stand on the
# wrong side of it — a department on a case only assigned to it doing what
# belongs to the unit that received it, a village handler on a case assigned
# to its town doing what belongs to the handling unit — are refused by
# case_for()'s side check with 42501. Also each called once: urge, a change
# of category, a refused extension, the overdue reason on resolve, dispatch
# starting the clock at the level of the unit it goes to; and the promises of
# the town-level administrator and supervisor (docs/security.md).
set -uo pipefail
: "${PGDATABASE:?run through ./dev.sh test}"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
source "$(dirname "$0")/lib.bash"
# side ACCOUNT SQL what: seen by ACCOUNT, refused by the side check (42501
# "cannot be ... by your unit"), not by visibility (P0002) or state (25000).
side() {
	local out
	if out=$(psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$2" 2>&1); then
		bad "$3: $1 was allowed: $2"
	elif grep -q 'ERROR:  42501: case .* cannot be .* by your unit' <<<"$out"; then
		ok "$3 ($1: 42501, wrong side)"
	else
		bad "$3: $1 expected the side check's 42501, got: $out"
	fi
}
sees() { [ "$(as "$1" "SELECT count(*) FROM minqing.cases WHERE case_id = $2")" = 1 ] && ok "$1 sees case $2" || bad "$1 does not see case $2"; }
cat=$(super "SELECT min(category_id) FROM minqing.case_category WHERE district_id = 1 AND parent_id IS NOT NULL")
dept=$(super "SELECT u.code FROM minqing.staff s JOIN minqing.org_unit u USING (unit_id) WHERE s.login = 'demo_dept'")
intake() { as demo_village "SELECT case_id FROM minqing.case_intake('walk_in', '$1', '$1，请尽快处理。', $cat, '周九', '13957701234')"; }

# --- A: received at T01V01, assigned to a department --------------------------------
a=$(intake '化工厂夜间异味')
as demo_town "SELECT minqing.case_accept($a)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($a, '$dept', 'demo_dept')" >/dev/null
sees demo_dept "$a"
side demo_dept "SELECT minqing.case_dispatch($a, 'T01V02')" "a department cannot re-dispatch a case only assigned to it"
side demo_dept "SELECT minqing.case_withdraw($a, '群众撤回')" "nor withdraw it"
as demo_dept "SELECT minqing.case_start($a)" >/dev/null
# the extension is decided one level above the department: the district
xid=$(as demo_dept "SELECT minqing.case_request_extension($a, 3, '需要环保监测数据')")
due0=$(super "SELECT due_at FROM minqing.cases WHERE case_id = $a")
refused handler_t01v01 42501 "SELECT minqing.case_decide_extension($xid, false, '不同意')" "the receiving village cannot decide a department's extension"
as demo_admin "SELECT minqing.case_decide_extension($xid, false, '理由不充分')" >/dev/null
expect "a refused extension is recorded as refused" "$(super "SELECT decision || ' ' || decided_by FROM minqing.case_extension WHERE extension_id = $xid")" "refused demo_admin"
expect "and leaves the deadline where it was" "$(super "SELECT due_at FROM minqing.cases WHERE case_id = $a")" "$due0"
expect "and is on the timeline" "$(super "SELECT count(*) FROM minqing.case_event WHERE case_id = $a AND kind = 'extension_refused'")" 1
as demo_dept "SELECT minqing.case_resolve($a, '已联系环保部门监测，排放达标')" >/dev/null
side demo_dept "SELECT minqing.case_report_back($a)" "a department cannot report back for the receiving unit"
as demo_village "SELECT minqing.case_report_back($a)" >/dev/null
side demo_dept "SELECT minqing.case_close($a, 'satisfied')" "nor close it"

# --- B: received at T01V01, assigned to its town -----------------------------------------
b=$(intake '村道塌陷')
as demo_town "SELECT minqing.case_accept($b)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($b, 'T01')" >/dev/null
sees handler_t01v01 "$b"
side handler_t01v01 "SELECT minqing.case_start($b)" "a village handler cannot start a case assigned to the town"
side handler_t01v01 "SELECT minqing.case_return($b, '不属于本村')" "nor return it"
side handler_t01v01 "SELECT minqing.case_request_extension($b, 2, '需要时间')" "nor ask for more time"
as demo_town "SELECT minqing.case_start($b)" >/dev/null
side handler_t01v01 "SELECT minqing.case_resolve($b, '已修复')" "nor resolve it"
side handler_t01v01 "SELECT minqing.case_pause($b, '等待群众补充')" "nor pause it"
as demo_town "SELECT minqing.case_pause($b, '等待群众补充照片')" >/dev/null
side handler_t01v01 "SELECT minqing.case_resume($b)" "nor resume it"
as demo_town "SELECT minqing.case_resume($b)" >/dev/null
# urge: anyone who sees it; an event, and the SMS to the handler (once a day)
as handler_t01v01 "SELECT minqing.case_urge($b, '群众再次来电反映')" >/dev/null
expect "an urge is on the timeline" "$(super "SELECT count(*) FROM minqing.case_event WHERE case_id = $b AND kind = 'urge' AND actor = 'handler_t01v01'")" 1
# resolving past the deadline needs the reason
super "UPDATE minqing.cases SET due_at = now() - interval '1 day' WHERE case_id = $b" >/dev/null
out=$(psql -qXtA -U demo_town -v VERBOSITY=verbose -c "SELECT minqing.case_resolve($b, '已修复')" 2>&1)
[[ $out == *"23502"* && $out == *"past its deadline"* ]] && ok "an overdue case is not resolved without the reason (23502)" || bad "overdue reason: $out"
as demo_town "SELECT minqing.case_resolve($b, '已修复', '雨季施工受阻')" >/dev/null
expect "with the reason it is" "$(super "SELECT status || ' ' || overdue_reason FROM minqing.cases WHERE case_id = $b")" "resolved 雨季施工受阻"

# --- C: the category at triage; the clock at the level of the unit it goes to ------------
c=$(intake '咨询养老保险')
other=$(super "SELECT max(category_id) FROM minqing.case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND category_id <> $cat AND active")
as demo_town "SELECT minqing.case_set_category($c, $other, '应属社保类')" >/dev/null
expect "triage changes the category" "$(super "SELECT category_id FROM minqing.cases WHERE case_id = $c")" "$other"
expect "and says so on the timeline" "$(super "SELECT count(*) FROM minqing.case_event WHERE case_id = $c AND kind = 'recategorised'")" 1
# The commitments are data: the seeded rows for the category's levels,
# looked up here by hand (the nearest row on the category's path, else the
# district default), never through the functions under test.
commit_of() { # level -> "kind amount"
	super "WITH RECURSIVE up AS (SELECT category_id, parent_id, 0 AS d FROM minqing.case_category WHERE category_id = $other
	         UNION ALL SELECT k.category_id, k.parent_id, up.d + 1 FROM minqing.case_category k JOIN up ON k.category_id = up.parent_id)
	       SELECT coalesce((SELECT s.kind || ' ' || coalesce(s.amount::text, '') FROM minqing.service_commitment s JOIN up USING (category_id)
	                         WHERE s.level = '$1' ORDER BY up.d LIMIT 1),
	                       'days ' || (SELECT default_commitment_days FROM minqing.work_calendar_setting WHERE district_id = 1))"
}
as demo_town "SELECT minqing.case_accept($c)" >/dev/null
as demo_town "SELECT minqing.case_dispatch($c, 'T01')" >/dev/null
expect "dispatched to the town: the town's commitment" "$(super "SELECT commitment_kind || ' ' || coalesce(commitment_amount::text, '') FROM minqing.cases WHERE case_id = $c")" "$(commit_of town)"
t1=$(super "SELECT started_at FROM minqing.cases WHERE case_id = $c")
as demo_town "SELECT minqing.case_dispatch($c, 'T01V01')" >/dev/null
expect "re-dispatched to a village: the village's commitment" "$(super "SELECT commitment_kind || ' ' || coalesce(commitment_amount::text, '') FROM minqing.cases WHERE case_id = $c")" "$(commit_of village)"
expect "and the clock started again" "$(super "SELECT started_at > '$t1' FROM minqing.cases WHERE case_id = $c")" t

# --- the town's administrator and supervisor --------------------------------------------------
refused demo_town_admin 42501 "SELECT minqing.user_add('adv_town_new', '新人', 'T02V01', 'officer')" "a town's administrator places no account outside the town"
expect "but may inside it" "$(as demo_town_admin "BEGIN; SELECT minqing.user_add('adv_town_new', '新人', 'T01V02', 'officer') > 0; ROLLBACK" | head -1)" t
outside=$(super "SELECT count(*) FROM minqing.audit_log WHERE NOT path <@ 'LW.T01'")
[ "$outside" -gt 0 ] || bad "no audit rows outside T01 to hide"
expect "a town's supervisor reads none of the $outside audit rows outside the town" "$(as demo_town_supervisor "SELECT count(*) FROM minqing.audit_log WHERE NOT path <@ 'LW.T01'")" 0
[ "$(as demo_town_supervisor "SELECT count(*) > 0 FROM minqing.audit_log")" = t ] && ok "and reads the town's" || bad "the town supervisor reads no audit rows"
refused demo_town_supervisor 42501 "SELECT minqing.case_accept($c)" "a supervisor changes nothing"
expect "a town's supervisor sees no case of another town" "$(as demo_town_supervisor "SELECT count(*) FROM minqing.cases WHERE NOT (origin_path <@ 'LW.T01' OR assigned_path <@ 'LW.T01')")" 0

finish
