#!/usr/bin/env bash
# The operations screens (系统管理, docs/operations.md) at 80x24, the machine
# and the session at UTC, on a database of its own (the test retries
# messages):
#
#   - a village officer's main menu shows 系统管理 out of the duties; the
#     district's administrator opens it: 运行状态, 发送失败的短信, 数据表大小;
#   - 运行状态 shows the escalation job (its last pass and its duration, in
#     the district's time), the SMS outbox (its dead messages counted as the
#     list counts them), the database, replication and the sessions, and it
#     is what `minqing-admin status` prints;
#   - 发送失败的短信 lists the dead messages, the reason in Chinese; two are
#     marked one key at a time (m) and R puts them back in the queue after
#     F2: the message line says so, the list is two shorter, the two are
#     queued again;
#   - 数据表大小 lists the largest tables;
#   - 节假日安排 lists this year's holidays; next year's has none; n enters
#     next year's New Year (the dates and the name typed key by key), the
#     list and the database show the three days; two marked, D removes them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_ops_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
[ -x "$MINQING" ] || fail "$MINQING is not built"
STATUS=$(mktemp)
trap 'tt_cleanup; rm -f "$STATUS"' EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
console() { # pane account
	tt_run "$1" "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=$2 $MINQING; echo EXIT=\$?"
	tt_wait "$1" 已连接
}

# A pass of the job, so that its line has a duration.
PGUSER=postgres "$MQ_BUILD_DIR/minqing-escalate" --once >/dev/null
DEAD=$(q "SELECT count(*) FROM minqing.outbox WHERE status = 'dead'")
[ "$DEAD" -ge 3 ] || fail "the demo district has $DEAD dead messages: want 3 or more"

tt_start v 80 24
console v demo_village
tt_wait v 基础信息
tt_wait_re v "系统管理 +不在您的职责范围内"
tt_keys v F10
tt_wait v EXIT=0
echo "ok: a village officer's 系统管理 is not within the duties"

tt_start main 80 24
console main demo_admin
tt_menu main 系统管理
tt_wait main 运行状态
tt_has main 发送失败的短信
tt_has main 数据表大小
tt_menu main 运行状态
tt_wait main 升级预警任务
tt_has main 短信发送
tt_wait_re main "用时 +[0-9]+\.[0-9] 秒"
tt_wait_re main "发送失败 +$DEAD 条"
tt_layout main 80 24 "运行状态"
# (the lines scroll: the rest is below)
for _ in $(seq 1 30); do tt_keys main j; done
tt_wait main 当前会话
tt_has main 管理员
echo "ok: 运行状态 shows the job with its duration, the outbox ($DEAD dead), the database, the sessions"
PGUSER=demo_admin "$ADMIN" status >"$STATUS" 2>&1 || fail "minqing-admin status: $(cat "$STATUS")"
grep -qE "^  发送失败 +$DEAD 条" "$STATUS" || fail "minqing-admin status says otherwise: $(cat "$STATUS")"
echo "ok: minqing-admin status prints the same figures"
tt_keys main Escape
tt_wait main 数据表大小

tt_menu main 发送失败的短信
tt_wait main "发送失败的短信   辖区：龙湾区   条数：$DEAD"
tt_layout main 80 24 "发送失败的短信"
tt_has main 不是有效的手机号码
tt_keys main m
tt_wait main "已选 1"
tt_keys main j m
tt_wait main "条数：$DEAD   已选 2"
tt_keys main R
tt_wait main 重新发送短信
tt_keys main F2
tt_wait main "已将 2 条短信放回待发队列。"
tt_wait main "条数：$((DEAD - 2))"
tt_gone main "已选"
[ "$(q "SELECT count(*) FROM minqing.outbox WHERE status = 'queued' AND attempts = 0 AND last_error IS NOT NULL")" -ge 2 ] ||
	fail "the two messages are not queued again"
echo "ok: two dead messages marked one key at a time, R and F2 put them back in the queue"
tt_keys main Escape
tt_menu main 数据表大小
tt_wait main "数据表大小"
tt_wait main resident
tt_has main 约行数
echo "ok: 数据表大小 lists the largest tables"

# 节假日安排: this year's days; next year's, entered as the State Council's
# notice gives them (typed key by key), then two marked days removed.
tt_keys main Escape
tt_menu main 节假日安排
THIS=$(q "SELECT count(*) FROM minqing.holiday WHERE district_id = 1
          AND extract(year FROM day) = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')")
NY=$(q "SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int + 1")
[ "$(q "SELECT count(*) FROM minqing.holiday WHERE extract(year FROM day) = $NY")" = 0 ] ||
	fail "the demo district already has holidays in $NY"
tt_wait main "年份：本年"
tt_wait main "天数：$THIS"
tt_layout main 80 24 "节假日安排"
tt_keys main t
tt_wait main "明年的节假日还没有录入"
tt_keys main n
tt_wait main 录入节假日
for k in $(grep -o . <<<"$NY-01-01"); do tt_keys main -l "$k"; done
tt_keys main Tab
tt_keys main -l "$NY-01-03"
tt_keys main Tab Tab
for ch in 元 旦; do
	tt_keys main -l "$ch"
	sleep 0.05
done
tt_wait main 元旦
tt_layout main 80 24 "录入节假日"
tt_keys main F2
tt_wait main "已保存：节假日安排 3 天。"
tt_wait main "年份：明年   天数：3"
tt_wait_re main "$NY-01-01 +星期. +放假 +元旦"
[ "$(q "SELECT string_agg(day || ' ' || kind || ' ' || name, ', ' ORDER BY day) FROM minqing.holiday
        WHERE district_id = 1 AND extract(year FROM day) = $NY")" = \
	"$NY-01-01 holiday 元旦, $NY-01-02 holiday 元旦, $NY-01-03 holiday 元旦" ] || fail "the days are not in the calendar"
echo "ok: 节假日安排: next year's New Year entered with n, the dates and the name typed key by key"
tt_keys main m
tt_wait main "已选 1"
tt_keys main j m
tt_wait main "已选 2"
tt_keys main D
tt_wait main 删除节假日
tt_keys main F2
tt_wait main "已从节假日安排中删除 2 天。"
tt_wait main "年份：明年   天数：1"
[ "$(q "SELECT count(*) FROM minqing.holiday WHERE district_id = 1 AND extract(year FROM day) = $NY")" = 1 ] ||
	fail "two days were not removed"
echo "ok: two marked days removed with D"
tt_keys main F10
tt_wait main EXIT=0
echo "all ok"
