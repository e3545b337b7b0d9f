#!/usr/bin/env bash
# 动态信息, 公告栏 and the kiosk's public pages on the console, at 80x24, with
# the machine and the server's session at UTC, on a database of its own (the
# test posts news and reads notices):
#
#   - as a village officer: 动态信息 lists the news newest first; n posts an
#     item typed in Chinese (a key at a time and as a burst), which comes
#     first; Enter reads it, e edits it;
#   - 公告栏: a notice marked 未读 loses the mark once opened and left;
#   - as the kiosk: Basic information holds 公示查询, 公告栏, 服务承诺,
#     咨询举报电话, 受理人名单 and 办理结果公示; each opens and shows its
#     rows, and no English word is on the screen (but the login, e-mail
#     addresses and case numbers, which are codes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_bulletin_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"
trap tt_cleanup EXIT
tt_scratch_db
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
as() { psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -c "$2"; }
console() { # account
	tt_run main "clear; env LANG=C.UTF-8 TERM=tmux-256color TZ=UTC PGTZ=UTC PGUSER=$1 $MINQING; echo EXIT=\$?"
	tt_wait main 已连接
}
# The list's rows: between the column header (row 4) and the hint line.
rows() { tt_screen main | sed -n '5,22p' | grep -v '^ *$' || true; }

tt_start main 80 24

# --- 动态信息 ----------------------------------------------------------------------------------
console demo_village
tt_keys main 1
tt_wait main 动态信息
tt_keys main 1
tt_wait main "动态信息   类别：全部"
dates=$(rows | grep -oE '^.[0-9]{4}-[0-9]{2}-[0-9]{2}' | cut -c2-)
[ "$(wc -l <<<"$dates")" -ge 10 ] || fail "动态信息 shows fewer than ten items"
[ "$dates" = "$(sort -r <<<"$dates")" ] || fail "动态信息 is not newest first: $dates"
first=$(as demo_village "SELECT title FROM minqing.news_list(p_limit => 1)")
rows | head -n 1 | grep -qF "$first" || fail "the newest item ($first) is not first"
echo "ok: 动态信息 lists the news newest first"

tt_keys main n
tt_wait main 发布动态信息
tt_keys main Tab
for ch in 村 口; do
	tt_keys main -l "$ch"
	sleep 0.05
done
tt_keys main -l 垃圾分类宣传活动
tt_wait main "标题*  村口垃圾分类宣传活动"
tt_keys main Tab
tt_keys main -l 社区志愿者走进小区，向居民讲解垃圾分类知识。
tt_keys main F2
tt_wait main "动态信息   类别：全部"
tt_wait main 村口垃圾分类宣传活动
rows | head -n 1 | grep -qF 村口垃圾分类宣传活动 || fail "the item posted is not first: $(rows | head -n 1)"
[ "$(q "SELECT count(*) FROM minqing.news WHERE title = '村口垃圾分类宣传活动' AND author = 'demo_village'")" = 1 ] ||
	fail "the item is not in the database"
echo "ok: n posts an item typed in Chinese; it comes first"
tt_keys main Home Enter
tt_wait main 动态详情
tt_wait main 社区志愿者走进小区，向居民讲解垃圾分类知识。
tt_wait main "e 修改"
tt_keys main e
tt_wait main 修改动态信息
tt_wait main 村口垃圾分类宣传活动
tt_keys main Tab
tt_keys main End
tt_keys main -l （续）
tt_keys main F2
tt_wait main 已保存
tt_wait main 村口垃圾分类宣传活动（续）
[ "$(q "SELECT count(*) FROM minqing.news WHERE title = '村口垃圾分类宣传活动（续）'")" = 1 ] ||
	fail "the edit is not in the database"
tt_layout main 80 24 "the news item"
echo "ok: Enter reads it, e edits it"
tt_keys main Escape
tt_wait main "动态信息   类别：全部"
tt_keys main Escape
tt_wait main 未联系党员的农户

# --- 公告栏: 未读 goes once the notice is read ---------------------------------------------------
unread=$(as demo_village "SELECT notice_id FROM minqing.notices(p_limit => 1) WHERE unread")
[ -n "$unread" ] || fail "the first notice of demo_village's board is read already"
title=$(q "SELECT title FROM minqing.notice WHERE notice_id = $unread")
tt_keys main 3
tt_wait main "公告栏   显示：有效公告"
rows | head -n 1 | grep -qE '^>未读' || fail "the first notice is not marked 未读: $(rows | head -n 1)"
tt_keys main Enter
tt_wait main "$title"
tt_wait main 正文
tt_keys main Escape
tt_wait main "公告栏   显示：有效公告"
tt_wait_re main '^> {5}' 5
[ "$(q "SELECT count(*) FROM minqing.notice_read WHERE notice_id = $unread AND login = 'demo_village'")" = 1 ] ||
	fail "opening the notice left no receipt"
tt_layout main 80 24 "the bulletin board"
echo "ok: 公告栏: the notice opened is no longer 未读"
tt_keys main F10
tt_wait main EXIT=0

# --- the kiosk's public pages --------------------------------------------------------------------
# What may be in Latin letters: the login in the status line, the names of
# keys on the hint line (row 23) and on a form's button, the published
# e-mail addresses and case numbers. Anything else of three letters or more
# is English that should not be there.
emails=$(q "SELECT string_agg(value, ' ') FROM minqing.public_contact WHERE kind = 'mailbox'")
english() {
	local s
	s=$(tt_screen main | sed -e '24s/(demo_kiosk)//' -e '23s/\<\(Enter\|Esc\|Tab\)\>//g' \
		-e 's/\[ 取消 (Esc) \]//' -e 's/LW-[0-9]\{4\}-[0-9]\{6,\}//g')
	for e in $emails; do s=${s//"$e"/}; done
	grep -oE '[A-Za-z]{3,}' <<<"$s" | sort -u | tr '\n' ' ' || true
}
page() { # key title wait-for
	tt_keys main "$1"
	tt_wait main "$2"
	tt_wait main "$3"
	local n
	n=$(rows | wc -l)
	[ "$n" -ge 1 ] || fail "$2 shows no row"
	local words
	words=$(english)
	[ -z "$words" ] || fail "$2 shows English: $words"
	tt_layout main 80 24 "$2"
	echo "ok: the kiosk's ${2%%   *} shows $n rows, none in English"
	tt_keys main Escape
	tt_wait main 办理结果公示
}
console demo_kiosk
tt_keys main 1
tt_wait main "6  办理结果公示"
menu=$(tt_screen main)
i=1
for item in 公示查询 公告栏 服务承诺 咨询举报电话 受理人名单 办理结果公示; do
	grep -qE "^ +>?$i +$item *$" <<<"$menu" || fail "row $i of the kiosk's menu is not $item"
	i=$((i + 1))
done
words=$(english)
[ -z "$words" ] || fail "the kiosk's menu shows English: $words"
echo "ok: the kiosk's menu holds the six public pages"

page 2 "公告栏   条数：" 联系方式
tt_hasnt main 未读
page 3 "服务承诺   条数：" 个工作日内办结
page 4 "咨询举报电话   条数：" 举报电话
for e in $emails; do
	tt_keys main 4
	tt_wait main "$e"
	tt_keys main Escape
	tt_wait main 办理结果公示
done
page 5 "受理人名单   人数：" 办公电话
page 6 "办理结果公示   件数：" 办理结果
tt_keys main 1
tt_wait main 案件编号
words=$(english)
[ -z "$words" ] || fail "公示查询 shows English: $words"
echo "ok: the kiosk's 公示查询 opens, none in English"
tt_keys main Escape
tt_wait main 办理结果公示
tt_keys main F10
tt_wait main EXIT=0
