#!/usr/bin/env bash
# Typing and pasting as they reach the console over SSH, at 80x24 (issue 11,
# items 1 and 10):
#
#   - A Chinese character whose UTF-8 bytes arrive in two reads 0.15 s apart
#     (an SSH packet or an input method's burst cut between them) is typed
#     whole, cut after its first byte, its second, or its third (a 4-byte
#     character); a byte that can never be a character shows as U+FFFD
#     (so does a cut character followed by plain text), never dropped; the
#     bytes of a character whose rest never comes show as U+FFFD a moment
#     later.
#   - A bracketed paste (tmux's paste-buffer -p, as xterm and PuTTY send it)
#     of two lines into the one-line title stays in the title as one line,
#     with a space for the line break; the focus does not move. In the
#     multi-line content it keeps its line break. Pasted into a list, where
#     nothing takes text, its letters are not keys (q does not close the
#     list): a message says where to paste. All under TERM=tmux-256color,
#     whose terminfo names the paste's brackets, and TERM=screen, whose does
#     not.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tmuxlib.bash"

trap 'tt_cleanup' EXIT
MINQING=$MQ_BUILD_DIR/minqing
[ -x "$MINQING" ] || fail "$MINQING is not built"

console() { # term account
	tt_run main "clear; env LANG=C.UTF-8 TERM=$1 PGUSER=$2 $MINQING; echo EXIT=\$?"
	tt_wait main 基础信息
}
# raw BYTES...: each argument written to the terminal as it is (printf
# escapes), 0.15 s apart: a character's bytes in separate reads.
raw() {
	local b
	for b in "$@"; do
		# shellcheck disable=SC2059 # the escapes are the point
		"${TT_TMUX[@]}" send-keys -t main -l "$(printf "$b")"
		sleep 0.15
	done
}
# The row of the form that shows the field labelled $1.
field_row() { tt_screen main | grep -m1 -- "$1" || true; }
# paste TEXT: a bracketed paste of TEXT (printf escapes).
paste() {
	# shellcheck disable=SC2059
	"${TT_TMUX[@]}" set-buffer -b mqpaste -- "$(printf "$1")"
	"${TT_TMUX[@]}" paste-buffer -p -d -b mqpaste -t main
}
# The intake form with the focus on the title (after the channel).
open_intake() {
	tt_keys main 2
	tt_wait main 信息录入
	tt_keys main 1
	tt_wait main 诉求内容
	tt_keys main Tab
	sleep 0.3
}

tt_start main 80 24

# --- split bytes (item 1) ---------------------------------------------------------------------------
console tmux-256color demo_village
open_intake
tt_keys main -l 王
raw '\xe5\xb0' '\x8f'                     # 小 cut after two bytes
raw '\xe6' '\x98\x8e'                     # 明 cut after one
raw '\xe4\xb8' '\xad'                     # 中
raw '\xe6\x96' '\x87'                     # 文
raw '\xf0\x9f' '\x98\x80'                 # 😀 (four bytes) cut in the middle
tt_wait main '王小明中文😀' 5
[[ $(field_row 标题) == *王小明中文😀* ]] ||
	fail "characters cut between their bytes were lost: [$(field_row 标题)]"
echo "ok: characters whose bytes arrive in two reads are typed whole"

raw '\xff' 'x'                            # never a character
raw '\xe5' 'y'                            # a cut character, then plain text
[[ $(field_row 标题) == *😀�x�y* ]] ||
	fail "invalid bytes were not shown as U+FFFD: [$(field_row 标题)]"
raw '\xe5\xb0'                            # its rest never comes
sleep 2.5
[[ $(field_row 标题) == *�x�y��* ]] ||
	fail "the bytes of an unfinished character were dropped: [$(field_row 标题)]"
echo "ok: bytes that make no character show as U+FFFD, none dropped"
tt_keys main C-u
sleep 0.3

# --- bracketed paste (item 10) -----------------------------------------------------------------------
paste '第一行\n第二行'
tt_wait main '第一行 第二行' 5
[[ $(field_row 标题) == *'第一行 第二行'* ]] ||
	fail "a pasted line break did not become a space in the title: [$(field_row 标题)]"
tt_keys main -l Z
sleep 0.3
[[ $(field_row 标题) == *'第一行 第二行Z'* ]] ||
	fail "after the paste the focus left the title: [$(field_row 标题)]"
echo "ok: a paste of two lines into a one-line field stays there, one line"

tt_keys main Tab
sleep 0.3
paste '甲行\n乙行'
tt_wait main 乙行 5
body=$(tt_screen main)
first=$(grep -m1 甲行 <<<"$body") || fail "the paste is not in the content"
[[ $first != *乙行* ]] || fail "the line break of a paste into the content was lost: [$first]"
grep -q 乙行 <<<"$body" || fail "the second pasted line is not in the content"
echo "ok: a paste into a multi-line field keeps its line break"
tt_keys main Escape # the form is changed: asks first
tt_wait main Esc
tt_keys main Escape
tt_wait main 信息录入
tt_keys main F10
tt_wait main EXIT=0

# Pasted into a list: no key is pressed by it.
console screen demo_village
tt_keys main 2
tt_wait main 信息录入
tt_keys main 3
tt_wait main 案件编号
paste 'q\nq'
tt_wait main 请先移到输入框 5
tt_screen main | grep -q 案件编号 || fail "a paste into a list pressed its keys"
echo "ok: a paste into a list is no keys, and says where to paste"
# ... and the filter takes it (TERM=screen: the brackets without terminfo's names).
tt_keys main /
sleep 0.3
paste 'LW\n2026'
tt_wait main '筛选：LW 2026' 5
echo "ok: a paste into the list filter, one line"
tt_keys main Escape F10
tt_wait main EXIT=0
