#!/usr/bin/env bash
# 督查 and 督查整改 on the console, at 80x24, the machine and the server's
# session at UTC, on a database of its own with the demo district:
#
#   - demo_town_supervisor: 考核通报 › 督查 › n records an unannounced
#     inspection of 天兴社区 (T01V01), the team and items typed in Chinese
#     key by key; Enter opens its record; f adds a finding to rectify in 3
#     working days, typed key by key; the record lists it (整改中);
#   - minqing-escalate --once at the finding's yellow time raises its yellow
#     warning through the same job as the cases';
#   - handler_t01v01: 考核通报 › 督查整改 lists it with Y and its countdown;
#     z records the rectification and its evidence, typed key by key; the
#     finding leaves the list of those being rectified;
#   - the supervisor: 督查整改 › w (待验收) › t reopens it with a reason
#     and a new period: it is being rectified again, from no warning; once
#     rectified again, y accepts it (已验收).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_inspections_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

# type NAME TEXT: TEXT one character at a time, as a person types it.
type_chars() {
	local name=$1 text=$2 i
	for ((i = 0; i < ${#text}; i++)); do
		tt_keys "$name" -l "${text:i:1}"
	done
}
console() { # session login
	tt_start "$1" 80 24
	tt_run "$1" "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=$2 $MINQING; echo EXIT=\$?"
	tt_wait "$1" 考核通报
}

# --- the supervisor records an inspection and a finding ---------------------------------
console sup demo_town_supervisor
tt_menu sup 考核通报
tt_menu sup 督查
tt_wait sup "督查   显示：全部   辖区：永中街道"
tt_keys sup n
tt_wait sup 录入督查
tt_keys sup Enter
tt_wait sup 查找
tt_keys sup -l T01V01
tt_wait sup 天兴社区
tt_keys sup Enter
tt_wait sup 被督查单位
tt_keys sup Tab Right
tt_keys sup Tab
type_chars sup "街道纪工委暗访组"
tt_keys sup Tab
type_chars sup "民情台账"
tt_keys sup Enter
type_chars sup "值班制度"
tt_keys sup F2
tt_wait sup 已保存
tt_wait sup 天兴社区
got=$(q "SELECT kind || ' ' || team || ' ' || replace(items, E'\n', '/') || ' ' || rating FROM minqing.inspection")
[ "$got" = "unannounced 街道纪工委暗访组 民情台账/值班制度 good" ] || fail "the inspection recorded: '$got'"
tt_screen sup | grep -qE '^>.*天兴社区 +暗访 +良好' || fail "the new inspection is not the first row"
tt_layout sup 80 24 "the list of inspections"
echo "ok: an unannounced inspection of 天兴社区 recorded, its texts typed key by key"

tt_keys sup Enter
tt_wait sup "f 添加问题"
tt_has sup 街道纪工委暗访组
tt_keys sup f
tt_wait sup 添加督查问题
type_chars sup "民情台账未及时更新"
tt_keys sup Tab
type_chars sup "近两周没有记录"
tt_keys sup Tab Tab Tab
tt_keys sup C-u
tt_keys sup -l 3
tt_keys sup F2
tt_wait sup "已保存"
no=$(q "SELECT finding_no FROM minqing.inspection_finding")
[[ "$no" =~ ^DC-[0-9]{4}-[0-9]{6}$ ]] || fail "no finding recorded: '$no'"
tt_wait sup "$no"
tt_wait sup "民情台账未及时更新（整改中，天兴社区，期限"
got=$(q "SELECT status || ' ' || title || ' ' || detail || ' ' || (due_at = minqing.add_working_days(1::smallint, started_at, 3))
           FROM minqing.inspection_finding")
[ "$got" = "rectifying 民情台账未及时更新 近两周没有记录 true" ] || fail "the finding recorded: '$got'"
tt_layout sup 80 24 "the inspection's record"
echo "ok: f adds a finding to rectify in 3 working days ($no); the record lists it"

# --- the job raises its yellow warning ------------------------------------------------------
yellow=$(q "SELECT to_char(yellow_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM minqing.inspection_finding")
PGUSER=postgres "$MQ_BUILD_DIR/minqing-escalate" --once --now "$yellow" >/dev/null 2>&1 || fail "minqing-escalate failed"
got=$(q "SELECT warning_level FROM minqing.inspection_finding")
[ "$got" = yellow ] || fail "after the job at the yellow time the finding is '$got'"
echo "ok: minqing-escalate at the finding's yellow time raises its yellow warning"

# --- the village's handler records the rectification ------------------------------------------
console vh handler_t01v01
tt_menu vh 考核通报
tt_menu vh 督查整改
tt_wait vh "督查整改   显示：整改中   辖区：天兴社区"
tt_wait vh "$no"
tt_screen vh | grep -qE "^>Y .*$no +天兴社区 +民情台账未及时更新 +整改中" || fail "the finding's row (Y, countdown, 整改中)"
tt_layout vh 80 24 "the list of findings"
tt_keys vh z
tt_wait vh 录入整改情况
type_chars vh "已补齐台账并明确专人负责"
tt_keys vh Tab
type_chars vh "台账照片三张"
tt_keys vh F2
tt_wait vh 没有整改中的问题
got=$(q "SELECT status || ' ' || rectification || ' ' || evidence || ' ' || rectified_by FROM minqing.inspection_finding")
[ "$got" = "rectified 已补齐台账并明确专人负责 台账照片三张 handler_t01v01" ] || fail "after the rectification: '$got'"
echo "ok: the village's handler records the rectification and its evidence, typed key by key"

# --- the supervisor reopens it, then accepts it -----------------------------------------------
tt_keys sup Escape
tt_wait sup "督查   显示"
tt_keys sup Escape
tt_menu sup 督查整改
tt_wait sup "督查整改   显示：整改中"
tt_keys sup w
tt_wait sup "$no"
tt_wait sup 待验收
tt_keys sup t
tt_wait sup 退回原因
type_chars sup "佐证材料不全"
tt_keys sup F2
tt_wait sup 没有待验收的整改
got=$(q "SELECT status || ' ' || warning_level || ' ' || reopened FROM minqing.inspection_finding")
[ "$got" = "rectifying none 1" ] || fail "after reopening: '$got'"
echo "ok: the supervisor reopens it: being rectified again, from no warning"

PGUSER=handler_t01v01 psql -qXtA -v ON_ERROR_STOP=1 -c "SELECT minqing.finding_rectify(finding_id, row_version, '补齐佐证', '照片和签到表') FROM minqing.inspection_finding" >/dev/null
tt_keys sup F5
tt_wait sup "$no"
tt_keys sup y
tt_wait sup 验收意见
type_chars sup "合格"
tt_keys sup F2
tt_wait sup 没有待验收的整改
got=$(q "SELECT status || ' ' || accepted_by FROM minqing.inspection_finding")
[ "$got" = "accepted demo_town_supervisor" ] || fail "after acceptance: '$got'"
tt_keys sup c
tt_wait sup 已验收
tt_keys sup Enter
tt_wait sup 处理记录
tt_keys sup G
tt_wait sup "已验收：合格"
tt_has sup "重新整改：佐证材料不全（新期限"
tt_layout sup 80 24 "the finding's record"
echo "ok: rectified again and accepted; its timeline shows each step"

tt_keys sup q
tt_keys vh q
