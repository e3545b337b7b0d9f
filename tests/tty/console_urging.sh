#!/usr/bin/env bash
# 提示催办 (urging, docs/reports.md) at 80x24, the machine and the server's
# session at UTC, on a database of its own (the test urges cases):
#
#   - as the district supervisor, 考核通报 > 提示催办 lists the open cases
#     reminded, urged or due within 3 working days, as many as the
#     function gives the same person; 5 widens it to 5 working days;
#   - two cases of one handler are marked one key at a time (m): a '*' before
#     each, the heading says 已选 2; M clears the marks, M marks every row,
#     M clears them again;
#   - u on the marked rows opens 批量催办; a Chinese note typed key by key,
#     F2: the message line says 已催办 2 件, the marks are gone and each row
#     shows it was urged once; the handler gets one SMS (a digest);
#   - a second console, the handler's, open meanwhile at its main menu, says
#     您有新的催办 live, without a key.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_urging_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
as() { psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -c "$2"; }
console() { # pane account
	tt_run "$1" "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=$2 $MINQING; echo EXIT=\$?"
	tt_wait "$1" 已连接
}

# Two listed cases of one handler (with a phone), the first in list order.
read -r HANDLER A_NO B_NO < <(as demo_supervisor "
	SELECT h.login, (array_agg(l.case_no ORDER BY l.due_at, l.case_id))[1],
	       (array_agg(l.case_no ORDER BY l.due_at, l.case_id))[2]
	  FROM minqing.urging_list(3, p_limit => 500) l JOIN minqing.cases c USING (case_id)
	  JOIN minqing.staff h ON h.staff_id = c.handler_staff_id
	 WHERE h.phone IS NOT NULL AND h.active
	 GROUP BY h.login HAVING count(*) >= 2 ORDER BY h.login LIMIT 1" | tr '|' ' ')
[ -n "${B_NO:-}" ] || fail "no handler with two listed cases in the demo data"
N3=$(as demo_supervisor "SELECT count(*) FROM minqing.urging_list(3, p_limit => 500)")
N5=$(as demo_supervisor "SELECT count(*) FROM minqing.urging_list(5, p_limit => 500)")
[ "$N3" -lt 18 ] || fail "$N3 rows: more than a screen"
# The position (0-based) of a case in the list.
pos() { as demo_supervisor "SELECT n - 1 FROM (SELECT case_no, row_number() OVER (ORDER BY due_at, case_id) n
                                                FROM minqing.urging_list(3, p_limit => 500)) x WHERE case_no = '$1'"; }
PA=$(pos "$A_NO")
PB=$(pos "$B_NO")

# The handler's console, open at its main menu before anything is urged.
tt_start h 80 24
console h "$HANDLER"
tt_wait h 基础信息

tt_start main 80 24
console main demo_supervisor
tt_menu main 考核通报
tt_wait main 提示催办
tt_menu main 提示催办
tt_wait main "提示催办   临近到期：3个工作日   辖区：龙湾区   件数：$N3"
tt_layout main 80 24 "提示催办"
tt_has main 剩余时限
tt_has main 最近催办
echo "ok: 提示催办 lists the $N3 cases the function gives, at 80 columns"
tt_keys main 5
tt_wait main "临近到期：5个工作日   辖区：龙湾区   件数：$N5"
tt_keys main 3
tt_wait main "临近到期：3个工作日   辖区：龙湾区   件数：$N3"
echo "ok: 5 widens it to 5 working days ($N5 cases), 3 back"

# --- marking, one key at a time ------------------------------------------------------------
for ((i = 0; i < PA; i++)); do tt_keys main j; done
tt_wait_re main "^>.*$A_NO"
tt_keys main m
tt_wait main "已选 1"
for ((i = PA + 1; i < PB; i++)); do tt_keys main j; done
tt_wait_re main "^>.*$B_NO"
tt_keys main m
tt_wait main "件数：$N3   已选 2"
tt_screen main | grep -qE "^ \*.*$A_NO" || fail "$A_NO has no mark"
tt_screen main | grep -qE "^[ >]\*.*$B_NO" || fail "$B_NO has no mark"
[ "$(tt_screen main | grep -cE '^[ >]\*')" -eq 2 ] || fail "other rows are marked too"
echo "ok: m marks $A_NO and $B_NO one at a time ('*', 已选 2)"
tt_keys main M
tt_gone main "已选"
tt_keys main M
tt_wait main "已选 $N3"
tt_keys main M
tt_gone main "已选"
echo "ok: M clears the marks, marks every row, clears them again"
# mark the two again, going back up
tt_keys main g
for ((i = 0; i < PA; i++)); do tt_keys main j; done
tt_keys main Insert
for ((i = PA + 1; i < PB; i++)); do tt_keys main j; done
tt_keys main m
tt_wait main "已选 2"

# --- the batch -------------------------------------------------------------------------------
before=$(q "SELECT count(*) FROM minqing.outbox")
tt_keys main u
tt_wait main 批量催办
tt_wait main 催办意见
for ch in 请 本 周 内 办 结 并 反 馈; do
	tt_keys main -l "$ch"
	sleep 0.05
done
tt_wait main 请本周内办结并反馈
tt_keys main F2
tt_wait main "已催办 2 件。"
tt_gone main "已选"
tt_wait main "提示催办   临近到期：3个工作日"
for no in "$A_NO" "$B_NO"; do
	tt_screen main | grep -E "$no" | grep -qE ' 1 +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' ||
		fail "$no does not show one urge and its time"
done
[ "$(q "SELECT count(*) FROM minqing.case_event e JOIN minqing.cases c USING (case_id)
        WHERE e.kind = 'urge' AND e.note = '请本周内办结并反馈' AND c.case_no IN ('$A_NO', '$B_NO')")" = 2 ] ||
	fail "the note is not on both cases' timelines"
[ "$(q "SELECT count(*) FROM minqing.outbox")" = $((before + 1)) ] || fail "not one SMS for the handler"
q "SELECT body FROM minqing.outbox ORDER BY message_id DESC LIMIT 1" | grep -qF '2件事项被催办' ||
	fail "the SMS is not the digest of the two cases"
echo "ok: u urges the marked cases with the note typed key by key: 已催办 2 件, marks cleared, one SMS digest"

# --- the handler hears of it, live -----------------------------------------------------------
tt_wait h "您有新的催办：案件 " 10
tt_screen h | grep -qE "您有新的催办：案件 ($A_NO|$B_NO) .* 等 1 件" ||
	fail "the handler's message does not name one of the cases and the other"
echo "ok: the handler's console says 您有新的催办 without a key"

tt_keys main F10
tt_wait main EXIT=0
tt_keys h F10
tt_wait h EXIT=0
