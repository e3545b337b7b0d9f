#!/usr/bin/env bash
# The console's lists in a real terminal (tmux, private server) at 80x24:
# My inbox as demo_town shows exactly the rows of minqing.inbox() run as the
# same account, and the filters o, m, u (and a again) exactly those of
# inbox('overdue'), inbox('mine'), inbox('unit'); the list's own filter (/)
# hides rows; Find cases with a two-character Chinese word shows exactly the
# first rows the bigram search gives in SQL; Warnings as demo_supervisor
# marks each row with its level's letter (Y, O, R) and colours it; the
# selection ('>') moves, stays on the same case after r, and paging loads
# the next page; no line is wider than 80 columns and no character is
# broken; q and Esc go back; a case received meanwhile appears in an open
# inbox without a key (demo_village2, LISTEN minqing_case).
#
# Other tests may add cases meanwhile (case_flow.sh runs in the same
# database): a comparison that fails is retried after r (refresh), with the
# SQL run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

trap 'tt_cleanup' EXIT
MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
ROWS=18 # list rows at 80x24: 24 - title, banner, heading, header, message, status

sql() { # account query
	psql -XqtA -v ON_ERROR_STOP=1 -U "$1" -c "$2"
}

# The case numbers on the screen, in order (the pointer '>' of the selected row,
# the level's letter, then the number).
shown_cases() {
	tt_screen main | grep -oE '^[ >][ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4- || true
}

# same_as WHAT ACCOUNT QUERY: the rows shown are the first $ROWS of QUERY.
same_as() {
	local what=$1 account=$2 query=$3 want got
	for _ in 1 2 3 4 5; do
		want=$(sql "$account" "$query" | head -n "$ROWS")
		got=$(shown_cases)
		if [ "$got" = "$want" ]; then
			echo "ok: $what ($(grep -c . <<<"$got" || true) rows)"
			return 0
		fi
		tt_keys main r
		tt_wait main 已刷新
		sleep 0.3
	done
	fail "$what: the screen shows [$(tr '\n' ' ' <<<"$got")], the database [$(tr '\n' ' ' <<<"$want")]"
}

# No line wider than 80 columns, nothing but well-formed UTF-8, no U+FFFD.
check_layout() { # label
	local s
	s=$(tt_screen main)
	[ "$(printf '%s\n' "$s" | wc -L)" -le 80 ] || fail "$1: a line is wider than 80 columns"
	printf '%s\n' "$s" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || fail "$1: broken UTF-8 on the screen"
	! grep -q $'\xEF\xBF\xBD' <<<"$s" || fail "$1: a replacement character on the screen"
}

[ -n "$(sql postgres "select 1 from minqing.staff where login = 'demo_town'")" ] ||
	fail "demo_town is not in the database (demo data loaded?)"

tt_start main 80 24

# --- My inbox as demo_town -------------------------------------------------------------------
tt_run main "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_town $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 2
tt_wait main 我的待办
tt_keys main 2
tt_wait main "显示：全部"
tt_has main 案件编号
tt_has main 承办人 # the last column fits at 80 columns
check_layout "inbox"
same_as "inbox: all" demo_town "SELECT case_no FROM minqing.inbox()"

tt_keys main o
tt_wait main "显示：已超期"
check_layout "inbox, overdue"
same_as "inbox: overdue" demo_town "SELECT case_no FROM minqing.inbox('overdue')"
tt_keys main m
tt_wait main "显示：我承办的"
same_as "inbox: mine" demo_town "SELECT case_no FROM minqing.inbox('mine')"
tt_keys main u
tt_wait main "显示：本单位的"
same_as "inbox: my unit" demo_town "SELECT case_no FROM minqing.inbox('unit')"
tt_keys main a
tt_wait main "显示：全部"
same_as "inbox: all again" demo_town "SELECT case_no FROM minqing.inbox()"
tt_keys main c
tt_wait main "中心：民情调处中心"
same_as "inbox: mediation centre" demo_town "SELECT case_no FROM minqing.inbox('all', 'mediation')"
tt_keys main c c c
tt_wait main "中心：全部中心"

# The list's own filter: a case number hides every other row; Esc clears it.
first=$(shown_cases | head -n 1)
if [ -n "$first" ]; then
	tt_keys main /
	tt_keys main -l "${first: -6}"
	tt_wait main "筛选：${first: -6}"
	[ "$(shown_cases)" = "$first" ] || fail "the filter ${first: -6} shows: $(shown_cases | tr '\n' ' ')"
	tt_keys main Escape
	tt_gone main "筛选："
	echo "ok: the filter of the loaded rows"
fi

# q goes back to the menu.
tt_keys main q
tt_wait main 分流处理
tt_gone main "显示："

# --- Find cases with a two-character word --------------------------------------------------
word=$(sql demo_town "SELECT substr(title, 1, 2) FROM minqing.cases
                      WHERE title ~ '^[一-龥]{2}' ORDER BY created_at DESC, case_id DESC LIMIT 1")
[ -n "$word" ] || fail "demo_town sees no case with a Chinese title"
tt_keys main 3
tt_wait main "全部案件，最新在前"
check_layout "find cases"
same_as "find: every case, newest first" demo_town \
	"SELECT case_no FROM minqing.cases ORDER BY created_at DESC, case_id DESC LIMIT 50"
# The selection: '>' on the first row, three rows down with j and Down, and r keeps it
# on the same case (new cases may come in above it meanwhile).
selected() { tt_screen main | grep -oE '^>[ YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c4-; }
[ "$(selected)" = "$(shown_cases | head -n 1)" ] || fail "the first row is not selected: $(selected)"
tt_keys main j Down Down
want=$(shown_cases | sed -n 4p)
[ "$(selected)" = "$want" ] || fail "three rows down: '$(selected)', want '$want'"
tt_keys main r
tt_wait main 已刷新
[ "$(selected)" = "$want" ] || fail "after r the selection moved to '$(selected)' from '$want'"
# Paging: space goes a screen down, loading the next page (50 rows a page) when needed.
count() { tt_screen main | grep -oE '件数：[0-9]+\+?' | head -n 1; }
before=$(count)
for _ in 1 2 3 4; do tt_keys main Space; done
if [ "${before: -1}" = + ]; then
	deadline=$((SECONDS + 5))
	while [ "$(count)" = "$before" ]; do
		[ "$SECONDS" -lt "$deadline" ] || fail "paging did not load the next page ($before)"
		sleep 0.1
	done
fi
check_layout "find cases, paged"
tt_keys main g
tt_wait_re main '^>'
echo "ok: selection, refresh on the same case, paging"
tt_keys main f
tt_wait main 查找：
tt_keys main -l "$word"
tt_keys main Enter
tt_wait main "按字词查找：$word"
check_layout "find by a word"
same_as "find: the word $word" demo_town \
	"SELECT c.case_no FROM minqing.cases c JOIN minqing.case_search s ON s.case_id = c.case_id
	  WHERE s.grams @> minqing.text_bigrams('$word') AND s.doc LIKE minqing.like_contains('$word')
	  ORDER BY c.created_at DESC, c.case_id DESC LIMIT 50"
# One character is not searched: the person is told.
tt_keys main f C-u
tt_keys main -l "${word:0:1}"
tt_keys main Enter
tt_wait main 至少输入两个字
tt_has main "按字词查找：$word"
# Esc goes back.
tt_keys main Escape
tt_wait main 分流处理
tt_keys main F10
tt_wait main EXIT=0

# --- Warnings as demo_supervisor: the level's letter and colour -------------------------------
nwarn=$(sql demo_supervisor "SELECT count(*) FROM minqing.cases
         WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND warning_level <> 'none'")
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_supervisor $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 3
tt_wait main 预警督办
tt_keys main 2
tt_wait main 超期时长
check_layout "warnings"
same_as "warnings: most overdue first" demo_supervisor \
	"SELECT case_no FROM minqing.cases WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
	   AND warning_level <> 'none' ORDER BY due_at, case_id LIMIT 50"
if [ "$nwarn" -gt 0 ]; then
	# Every row's letter is its level's, as the database has it.
	while read -r mark no; do
		level=$(sql demo_supervisor "SELECT warning_level FROM minqing.cases WHERE case_no = '$no'")
		want=$(tr '[:lower:]' '[:upper:]' <<<"${level:0:1}")
		[ "$mark" = "$want" ] || fail "$no is $level but marked '$mark'"
	done < <(tt_screen main | grep -oE '^[ >][YOR] [A-Z]+-[0-9]{4}-[0-9]+' | cut -c2-)
	# The second row (the first carries the selection bar) is in its level's colour.
	row2=$("${TT_TMUX[@]}" capture-pane -t main -p -e -S 5 -E 5)
	grep -qE $'\e\\[([0-9;]*;)?(3[1-7]|38;5;[0-9]+)m' <<<"$row2" ||
		fail "a warning row without colour: $(cat -v <<<"$row2")"
	echo "ok: warning rows carry their letters ($nwarn open cases with a warning)"
else
	tt_has main 辖区内没有带预警的在办案件
	echo "ok: no warning in the database: the list says so"
fi
# (most overdue first is the only order: a sort by level would sort every
# open case on the server)
tt_keys main s
tt_wait main '此列表只有一种排序。'
tt_keys main Escape
tt_wait main 提示催办
tt_keys main F10
tt_wait main EXIT=0
# --- live: a case received elsewhere appears in the open inbox without a key ---------------------
# (demo_village2's village, which no other terminal test works in)
tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color PGUSER=demo_village2 $MINQING; echo EXIT=\$?"
tt_wait main 基础信息
tt_keys main 2
tt_wait main 我的待办
tt_keys main 2
tt_wait main "显示：全部"
sleep 1.2 # a notification within a second of a reload waits for the next tick
cat=$(sql postgres "SELECT category_id FROM minqing.case_category
                    WHERE parent_id IS NOT NULL ORDER BY category_id LIMIT 1")
no=$(sql demo_village2 "SELECT case_no FROM minqing.case_intake('walk_in', '列表实时刷新测试',
        '终端测试：新案件出现在打开的待办列表中，无需按键。', $cat, '李小红', '13957700002')")
tt_wait main "$no" 5
echo "ok: $no appeared in the open inbox by itself (LISTEN minqing_case)"
tt_keys main F10
tt_wait main EXIT=0
echo "ok: console lists"
