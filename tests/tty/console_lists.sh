#!/usr/bin/env bash
# The console's lists in a real terminal (tmux, private server), in a scratch
# database of their own with cases made for them (so every filter has rows
# and every assertion is exact), the console told it has 80x24 in a pane of
# 81x25 (a line drawn too wide, or a row below the last, shows there):
#
#   My inbox as demo_town: the exact rows (case numbers, in order, and the
#   count in the heading) of a condition written here, not minqing.inbox(),
#   run as demo_town, for all, o overdue, m mine, u my unit, n triage and the
#   mediation centre, each wait beginning on the filter's own label; every
#   column of four known rows: the letter of the warning level (Y, O, R set
#   as superuser), the number, the status, the countdown of a deadline set as
#   superuser ("2天3小时", "6天", "超期1天5小时", "-" for a case without one),
#   title, submitter, unit and handler; the header row exactly; the status
#   line's inbox count; the list's own filter (/);
#   Find cases: every case newest first (the selection, r on the same case,
#   paging), a search by a word and by a mobile number: after the search's own
#   label, exactly the cases of an SQL condition of this test as demo_town
#   (a case with the word outside the town must not appear);
#   Warnings as demo_supervisor: the rows of an SQL condition, each marked
#   with its level's letter, every column of the two known warned rows, the
#   colour;
#   live: a case received elsewhere appears in an open inbox without a key
#   (LISTEN minqing_case), the latency printed.
#
# The console's own clock is 3 days 5 hours behind the server's (libfaketime
# in the console only, as a station terminal whose clock is wrong): the
# countdowns and the status line's clock must still be the server's, which
# the deadlines are set and escalated by.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_lists_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db

ROWS=18 # list rows at 80x24: 24 - title, banner, heading, header, message, status
FAKETIME_LIB=/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)/faketime/libfaketime.so.1
[ -f "$FAKETIME_LIB" ] || fail "no $FAKETIME_LIB (./dev.sh deps installs libfaketime)"
# A wrong clock: the wall clock only (the monotonic one times the waits), and
# ASan told that the preloaded library comes before its runtime on purpose.
SKEW="LD_PRELOAD=$FAKETIME_LIB FAKETIME=-77h FAKETIME_DONT_FAKE_MONOTONIC=1"
SKEW+=" ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# The console is told 80x24; the pane has a spare column and row (tt_layout).
console() { # account
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color COLUMNS=80 LINES=24 PGUSER=$1 $SKEW $MINQING; echo EXIT=\$?"
	tt_wait main 基础信息
}

sql() { # account query
	psql -XqtA -v ON_ERROR_STOP=1 -U "$1" -c "$2"
}

# The case numbers on the screen, in order (the pointer '>' of the selected row,
# the level's letter, then the number).
shown_cases() {
	tt_screen main | grep -oE '^[ >][ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4- || true
}

# expect_rows WHAT LABEL ACCOUNT QUERY: once LABEL (the list's own heading:
# what it shows and how many) is on the screen, the rows shown are exactly
# the first $ROWS of QUERY run as ACCOUNT.
expect_rows() {
	local what=$1 label=$2 want got deadline
	want=$(sql "$3" "$4" | head -n "$ROWS")
	tt_wait main "$label"
	deadline=$((SECONDS + 10))
	until got=$(shown_cases) && [ "$got" = "$want" ]; do
		[ "$SECONDS" -lt "$deadline" ] ||
			fail "$what: the screen shows [$(tr '\n' ' ' <<<"$got")], the database [$(tr '\n' ' ' <<<"$want")]"
		sleep 0.1
	done
	echo "ok: $what ($(grep -c . <<<"$got" || true) rows)"
}

# The cells of the row of case NO (without the pointer) must be WANT.
expect_cells() { # what header no want
	local got
	got=$(tt_cells main "$2" "$3" | cut -d'|' -f2-)
	[ "$got" = "$4" ] || fail "$1: the row of $3 reads [$got], want [$4]"
}

# --- the cases of this test --------------------------------------------------------------------
cat_id() { echo "(SELECT category_id FROM minqing.case_category WHERE code = '$1')"; }
intake() { # account title content category name phone
	sql "$1" "SELECT case_id FROM minqing.case_intake('walk_in', '$2', '$3', $(cat_id "$4"), '$5', '$6')"
}
no_of() { sql postgres "SELECT case_no FROM minqing.cases WHERE case_id = $1"; }
PHONE=13957712345
WORD=琴台
# R: received in the village T01V01, waiting for the town's triage; the word in its content.
R=$(intake demo_village 井盖缺失 "靠近${WORD}小区的井盖丢了。" SVC_ENVIRONMENT 李大爷 13957700001)
# M: accepted by demo_town (handled by demo_town, not yet dispatched); yellow, due in 6 days.
M=$(intake demo_village 邻居噪音扰民 楼上邻居夜里装修。 MED_NEIGHBOUR 赵敏 "$PHONE")
sql demo_town "SELECT minqing.case_accept($M)" >/dev/null
# U: dispatched to the town itself, handled by handler_t01; red, overdue.
U=$(intake demo_village "${WORD}河道堵塞" 河道里堆满垃圾。 SVC_ENVIRONMENT 钱多多 13957700003)
sql demo_town "SELECT minqing.case_accept($U)" >/dev/null
sql demo_town "SELECT minqing.case_dispatch($U, 'T01', 'handler_t01')" >/dev/null
# K: dispatched to the town and demo_town, in progress; orange, due in 2 days 3 hours.
K=$(intake demo_village "${WORD}路灯维修" "${WORD}路口的路灯不亮。" MED_NEIGHBOUR 王小明 "$PHONE")
sql demo_town "SELECT minqing.case_accept($K)" >/dev/null
sql demo_town "SELECT minqing.case_dispatch($K, 'T01', 'demo_town')" >/dev/null
sql demo_town "SELECT minqing.case_start($K)" >/dev/null
# X: the word in another town's case: demo_town must not find it.
X=$(intake demo_village2 "${WORD}公园长椅损坏" 长椅断了。 SVC_ENVIRONMENT 孙丽 "$PHONE")
# The deadlines and levels, as superuser, with half an hour to spare (the
# countdown drops the minutes of a duration of days).
sql postgres "UPDATE minqing.cases SET due_at = now() + interval '6 days 30 minutes', warning_level = 'yellow' WHERE case_id = $M;
              UPDATE minqing.cases SET due_at = now() - interval '1 day 5 hours 30 minutes', warning_level = 'red' WHERE case_id = $U;
              UPDATE minqing.cases SET due_at = now() + interval '2 days 3 hours 30 minutes', warning_level = 'orange' WHERE case_id = $K" >/dev/null
R_NO=$(no_of "$R") M_NO=$(no_of "$M") U_NO=$(no_of "$U") K_NO=$(no_of "$K") X_NO=$(no_of "$X")
TOWN=$(sql postgres "SELECT display_name FROM minqing.staff WHERE login = 'demo_town'")
T01H=$(sql postgres "SELECT display_name FROM minqing.staff WHERE login = 'handler_t01'")
T01=$(sql postgres "SELECT name FROM minqing.org_unit WHERE code = 'T01'")
V01=$(sql postgres "SELECT name FROM minqing.org_unit WHERE code = 'T01V01'")
for n in "$TOWN" "$T01H"; do [ "${#n}" -le 3 ] || fail "the name $n is wider than the handler column"; done

# --- My inbox as demo_town --------------------------------------------------------------------
# What a town handler must act on, said here as the documentation says it
# (not by minqing.inbox()): new cases received in the town or below it
# (triage); cases received at the town that are accepted and not dispatched,
# or resolved and to be reported back; cases dispatched to the town and not
# resolved; any open or resolved case demo_town handles.
FROM="FROM minqing.cases c
  JOIN minqing.org_unit o ON o.unit_id = c.origin_unit_id
  LEFT JOIN minqing.org_unit a ON a.unit_id = c.assigned_unit_id
  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id
  JOIN minqing.case_category k ON k.category_id = c.category_id"
BELOW_T01="(o.path::text = 'LW.T01' OR o.path::text LIKE 'LW.T01.%')"
UNIT="((c.status = 'received' AND $BELOW_T01)
   OR (o.code = 'T01' AND (c.status = 'resolved' OR (c.status = 'accepted' AND c.assigned_unit_id IS NULL)))
   OR (a.code = 'T01' AND c.status IN ('dispatched', 'in_progress', 'waiting')))"
MINE="(h.login = 'demo_town' AND c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting', 'resolved'))"
TRIAGE="((c.status = 'received' AND $BELOW_T01)
   OR (c.status = 'accepted' AND c.assigned_unit_id IS NULL AND (o.code = 'T01' OR h.login = 'demo_town')))"
ORDER="ORDER BY coalesce(c.due_at, 'infinity'), c.case_id"
inbox_sql() { echo "SELECT c.case_no $FROM WHERE $1 $ORDER"; }
count_of() { sql demo_town "SELECT count(*) $FROM WHERE $1"; }
ALL="($UNIT OR $MINE)"
n_all=$(count_of "$ALL")
[ "$n_all" -lt "$ROWS" ] || fail "demo_town's inbox has $n_all rows: more than a screen"
for f in "$ALL AND c.due_at < now()" "$MINE" "$UNIT" "$TRIAGE" "$ALL AND k.centre = 'mediation'"; do
	n=$(count_of "$f")
	if [ "$n" -eq 0 ] || [ "$n" -ge "$n_all" ]; then
		fail "the data do not exercise a filter: $n of $n_all rows for $f"
	fi
done

tt_start main 81 25
console demo_town
tt_keys main 2
tt_wait main 我的待办
tt_keys main 2
expect_rows "inbox: all" "显示：全部   中心：全部中心   件数：$n_all" demo_town "$(inbox_sql "$ALL")"
tt_layout main 80 24 "inbox"
# The header, exactly: the columns the cells below are cut at.
hdr=$(tt_screen main | grep -F 案件编号)
[ "$hdr" = "   案件编号       状态       时限          标题           反映人 单位     承办人" ] ||
	fail "the inbox header reads [$hdr]"
H=案件编号
expect_cells "inbox" $H "$K_NO" "O|$K_NO|办理中|2天3小时|${WORD}路灯维修|王小明|$T01|$TOWN"
expect_cells "inbox" $H "$M_NO" "Y|$M_NO|已受理|6天|邻居噪音扰民|赵敏|$V01|$TOWN"
expect_cells "inbox" $H "$U_NO" "R|$U_NO|已交办|超期1天5小时|${WORD}河道堵塞|钱多多|$T01|$T01H"
expect_cells "inbox" $H "$R_NO" " |$R_NO|已登记|-|井盖缺失|李大爷|$V01|"
echo "ok: every column of four known rows (letters, countdowns, names)"
# The status line counts the same inbox.
tt_screen main | sed -n 24p | grep -qE "^ $TOWN \(demo_town\) \| 信息处理责任人 \| $T01 +待办 $n_all \| 已连接 \| [0-9]{2}:[0-9]{2}:[0-9]{2}\$" ||
	fail "the status line reads [$(tt_screen main | sed -n 24p)], want $n_all in the inbox"
# Its clock is the server's, in the district's time zone (the console's own is 77 hours behind).
shown=$(tt_screen main | sed -n 24p | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}$')
server=$(sql demo_town "SELECT to_char(now() AT TIME ZONE minqing.my_time_zone(), 'HH24:MI:SS')")
secs() { IFS=: read -r h m s <<<"$1" && echo $((10#$h * 3600 + 10#$m * 60 + 10#$s)); }
gap=$((($(secs "$server") - $(secs "$shown") + 86400) % 86400))
[ "$gap" -le 10 ] || fail "the status line's clock reads $shown, the server's $server"
echo "ok: the status line's clock is the server's ($shown)"

tt_keys main o
expect_rows "inbox: overdue" "显示：已超期   中心：全部中心   件数：$(count_of "$ALL AND c.due_at < now()")" \
	demo_town "$(inbox_sql "$ALL AND c.due_at < now()")"
tt_layout main 80 24 "inbox, overdue"
tt_keys main m
expect_rows "inbox: mine" "显示：我承办的   中心：全部中心   件数：$(count_of "$MINE")" \
	demo_town "$(inbox_sql "$MINE")"
tt_keys main u
expect_rows "inbox: my unit" "显示：本单位的   中心：全部中心   件数：$(count_of "$UNIT")" \
	demo_town "$(inbox_sql "$UNIT")"
tt_keys main n
expect_rows "inbox: triage" "显示：待分流   中心：全部中心   件数：$(count_of "$TRIAGE")" \
	demo_town "$(inbox_sql "$TRIAGE")"
tt_keys main a
expect_rows "inbox: all again" "显示：全部   中心：全部中心   件数：$n_all" demo_town "$(inbox_sql "$ALL")"
tt_keys main c
expect_rows "inbox: mediation centre" \
	"显示：全部   中心：民情调处中心   件数：$(count_of "$ALL AND k.centre = 'mediation'")" \
	demo_town "$(inbox_sql "$ALL AND k.centre = 'mediation'")"
tt_keys main c c c
expect_rows "inbox: all centres again" "显示：全部   中心：全部中心   件数：$n_all" demo_town "$(inbox_sql "$ALL")"

# The list's own filter: a case number hides every other row; Esc clears it.
tt_keys main /
tt_keys main -l "${K_NO: -6}"
tt_wait main "筛选：${K_NO: -6}"
[ "$(shown_cases)" = "$K_NO" ] || fail "the filter ${K_NO: -6} shows: $(shown_cases | tr '\n' ' ')"
tt_layout main 80 24 "inbox, filtered"
tt_keys main Escape
tt_gone main "筛选："
[ "$(shown_cases | grep -c .)" = "$n_all" ] || fail "Esc did not clear the filter: $(shown_cases | tr '\n' ' ')"
echo "ok: the filter of the loaded rows"

# q goes back to the menu.
tt_keys main q
tt_wait main 分流处理
tt_gone main "显示："

# --- Find cases ---------------------------------------------------------------------------------
tt_keys main 3
expect_rows "find: every case, newest first" "全部案件   件数：50+" demo_town \
	"SELECT case_no FROM minqing.cases ORDER BY created_at DESC, case_id DESC LIMIT 50"
tt_layout main 80 24 "find cases"
# Its help says what Find finds (not only the prompt's "查找："), broken into rows.
tt_keys main F1
tt_wait main '帮助：'
tt_screen main | grep -q '查找：案件编号' || fail "the help of Find names the prompt only, not what it finds"
tt_keys main Escape
tt_gone main '帮助：'
# The selection: '>' on the first row, three rows down with j and Down, and r keeps it
# on the same case.
selected() { tt_screen main | grep -oE '^>[ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4-; }
[ "$(selected)" = "$(shown_cases | head -n 1)" ] || fail "the first row is not selected: $(selected)"
want=$(shown_cases | sed -n 4p)
tt_keys main j Down Down
deadline=$((SECONDS + 5))
until [ "$(selected)" = "$want" ]; do
	[ "$SECONDS" -lt "$deadline" ] || fail "three rows down: '$(selected)', want '$want'"
	sleep 0.1
done
tt_keys main r
tt_wait main 已刷新
[ "$(selected)" = "$want" ] || fail "after r the selection moved to '$(selected)' from '$want'"
# Paging: space goes a screen down, loading the next page (50 rows a page) when needed.
for _ in 1 2 3 4; do tt_keys main Space; done
tt_wait main "件数：100+"
tt_layout main 80 24 "find cases, paged"
# Past the first page, the rows are the next ones in order, not the first page
# again: the keyset (created_at, id) of the last row went to the function.
all=$(sql demo_town "SELECT case_no FROM minqing.cases ORDER BY created_at DESC, case_id DESC LIMIT 200")
paged=$(shown_cases)
pos=$(grep -nxF -- "$(head -n 1 <<<"$paged")" <<<"$all" | head -n 1 | cut -d: -f1)
[ -n "$pos" ] && [ "$pos" -gt 50 ] || fail "after paging the first row shown is case $pos of the list, want one past the first page"
[ "$paged" = "$(sed -n "${pos},$((pos + $(grep -c . <<<"$paged") - 1))p" <<<"$all")" ] ||
	fail "after paging the screen shows [$(tr '\n' ' ' <<<"$paged")], not the cases in order from $pos"
tt_keys main g
tt_wait_re main '^>'
echo "ok: selection, refresh on the same case, paging"

# By a word: the cases of the town whose title, content or submitter's name holds it.
tt_keys main f
tt_wait main 查找：
tt_keys main -l "$WORD"
tt_keys main Enter
n=$(sql demo_town "SELECT count(*) FROM minqing.cases
                   WHERE position('$WORD' in title || ' ' || content || ' ' || coalesce(submitter_name, '')) > 0")
[ "$n" = 3 ] || fail "demo_town should see 3 cases with $WORD, sees $n"
expect_rows "find: the word $WORD" "按字词查找：$WORD   件数：$n" demo_town \
	"SELECT case_no FROM minqing.cases
	  WHERE position('$WORD' in title || ' ' || content || ' ' || coalesce(submitter_name, '')) > 0
	  ORDER BY created_at DESC, case_id DESC"
! shown_cases | grep -qx "$X_NO" || fail "$X_NO of another town was found by demo_town"
tt_layout main 80 24 "find by a word"
# By a mobile number.
tt_keys main f C-u
tt_keys main -l "$PHONE"
tt_keys main Enter
n=$(sql demo_town "SELECT count(*) FROM minqing.cases WHERE submitter_phone::text = '$PHONE'")
expect_rows "find: the phone $PHONE" "按手机号查找：$PHONE   件数：$n" demo_town \
	"SELECT case_no FROM minqing.cases WHERE submitter_phone::text = '$PHONE' ORDER BY created_at DESC, case_id DESC"
[ "$n" -ge 2 ] || fail "demo_town should see the cases of $PHONE, sees $n"
# One character is not searched: the person is told, the last search stays.
tt_keys main f C-u
tt_keys main -l "${WORD:0:1}"
tt_keys main Enter
tt_wait main 至少输入两个字
tt_has main "按手机号查找：$PHONE"
# Esc goes back.
tt_keys main Escape
tt_wait main 分流处理
tt_keys main F10
tt_wait main EXIT=0

# --- Warnings as demo_supervisor: the level's letter, every column, the colour ----------------------
WARNED="FROM minqing.cases WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
          AND warning_level <> 'none'"
nwarn=$(sql demo_supervisor "SELECT count(*) $WARNED")
[ "$nwarn" -lt "$ROWS" ] || fail "$nwarn warned cases: more than a screen"
console demo_supervisor
tt_keys main 3
tt_wait main 预警督办
tt_keys main 2
expect_rows "warnings: most overdue first" "辖区：龙湾区   件数：$nwarn" demo_supervisor \
	"SELECT case_no $WARNED ORDER BY due_at, case_id"
tt_layout main 80 24 "warnings"
# Every row's letter is its level's, as the database has it.
while read -r mark no; do
	level=$(sql demo_supervisor "SELECT warning_level FROM minqing.cases WHERE case_no = '$no'")
	want=$(tr '[:lower:]' '[:upper:]' <<<"${level:0:1}")
	[ "$mark" = "$want" ] || fail "$no is $level but marked '$mark'"
done < <(tt_screen main | grep -oE '^[ >][ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c2-)
expect_cells "warnings" 超期时长 "$U_NO" "R|$U_NO|红色预警|1天5小时|已交办|${WORD}河道堵塞|$T01|$T01H"
expect_cells "warnings" 超期时长 "$K_NO" "O|$K_NO|橙色预警|未超期|办理中|${WORD}路灯维修|$T01|$TOWN"
# The second row (the first carries the selection bar) is in its level's colour.
row2=$("${TT_TMUX[@]}" capture-pane -t main -p -e -S 5 -E 5)
grep -qE $'\e\\[([0-9;]*;)?(3[1-7]|38;5;[0-9]+)m' <<<"$row2" ||
	fail "a warning row without colour: $(cat -v <<<"$row2")"
echo "ok: warning rows carry their letters, overdue times and colours ($nwarn rows)"
# (most overdue first is the only order: a sort by level would sort every
# open case on the server)
tt_keys main s
tt_wait main '此列表只有一种排序。'
# ... so its help does not offer s (F1 lists the keys this list has)
tt_keys main F1
tt_wait main '帮助：'
tt_screen main | grep -q '排序' && fail "the help of a list with one order offers a sort"
tt_keys main Space
tt_gone main '帮助：'
tt_keys main Escape
tt_wait main 提示催办
tt_keys main F10
tt_wait main EXIT=0

# --- live: a case received elsewhere appears in the open inbox without a key ---------------------
console demo_village2
tt_keys main 2
tt_wait main 我的待办
tt_keys main 2
tt_wait main "显示：全部"
# (no pause: a notification within 2 s of the last reload waits for the next
# tick, and a change from psql, with no drainer running, for the console's
# own relay, every 5 s: the timeout below covers both)
start=$(date +%s%N)
no=$(sql demo_village2 "SELECT case_no FROM minqing.case_intake('walk_in', '列表实时刷新测试',
        '终端测试：新案件出现在打开的待办列表中，无需按键。', $(cat_id SVC_OTHER), '李小红', '13957700002')")
tt_wait main "$no" 15
echo "ok: $no appeared in the open inbox by itself in $((($(date +%s%N) - start) / 1000000)) ms (LISTEN minqing_case)"
tt_keys main F10
tt_wait main EXIT=0
echo "ok: console lists"
