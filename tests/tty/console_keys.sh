#!/usr/bin/env bash
# Keys bound to actions (keys.<action> in the configuration), in a real
# terminal. A letter action bound to a function key (accept = "F3") and the
# form's submit key bound to a case action (urge = "C-x"):
#
#   in the case intake form, F3 types nothing into the title, letters type
#   themselves, and C-x still submits (it once typed "a" for F3 and turned
#   C-x into "u");
#   in the case detail the action bar names F3 for accepting, F3 opens the
#   accept form, and the help (F1) lists F3 beside a;
#   a binding of two actions of one screen to one key stops the console at
#   start, naming both.
#
# Runs in a scratch database of its own (the suite runs tests in parallel).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PGHOST:?}"
export PGDATABASE=mq_tty_keys_$$ LANG=C.UTF-8
unset PGUSER
# shellcheck source=tmuxlib.bash
source "$here/tmuxlib.bash"

MINQING=$MQ_BUILD_DIR/minqing
ADMIN=$MQ_BUILD_DIR/minqing-admin
DIR=$(mktemp -d)
cleanup() {
	tt_cleanup
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PGDATABASE WITH (FORCE)" \
		>/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT
q() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }

psql -qX -U postgres -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
PGUSER=postgres "$ADMIN" migrate >/dev/null
PGUSER=postgres "$ADMIN" demo-data --scale 1 --seed 1 >/dev/null

cat >"$DIR/keys.conf" <<'CONF'
keys = { accept = "F3"; urge = "C-x"; };
CONF

console() { # session account
	tt_start "$1" 100 30
	tt_run "$1" "env LANG=C.UTF-8 TERM=tmux-256color PGUSER=$2 $MINQING -c $DIR/keys.conf 2>$DIR/$1.err; echo EXIT=\$?"
	tt_wait "$1" 基础信息
}

# --- the intake form: F3 types nothing, letters do, C-x submits ------------------------------
console village demo_village
tt_keys village 2
tt_wait village 信息录入
tt_keys village 1
tt_wait village 诉求内容
tt_wait village 'F2 提交'
tt_keys village Tab
tt_keys village -l '村口a'
tt_keys village F3
tt_keys village -l 'b路灯'
tt_wait village '村口ab路灯'
tt_hasnt village '村口aab'
echo "ok: F3 (bound to accept) types nothing into a text field; letters type themselves"
tt_keys village Tab
tt_keys village -l '按键测试：绑定到功能键的字母操作不会输入字母。'
tt_keys village Tab Enter
tt_wait village 民情调处中心
tt_keys village -l '道路'
tt_wait village 道路环境卫生
tt_keys village Enter
tt_wait village 道路环境卫生
tt_keys village Tab
tt_keys village -l '王小明'
tt_keys village Tab
tt_keys village -l '13812345678'
tt_keys village C-x
tt_wait_re village '已保存：案件编号 LW-[0-9]{4}-[0-9]{6}'
case_no=$(tt_screen village | grep -oE 'LW-[0-9]{4}-[0-9]{6}' | head -1)
got=$(q "SELECT title || '|' || status FROM minqing.cases WHERE case_no = '$case_no'")
[ "$got" = '村口ab路灯|received' ] || fail "saved as '$got', typed 村口ab路灯"
echo "ok: C-x (also urge's key) still submits the form: $case_no"
tt_keys village F10
tt_wait village EXIT=0

# --- the case detail: the bound key accepts -------------------------------------------------
console town demo_town
tt_keys town 2
tt_wait town 案件查询
tt_keys town 3
tt_wait town 案件编号
tt_keys town f
tt_wait town 查找：
tt_keys town -l "$case_no"
tt_keys town Enter
tt_wait town "按案件编号查找：$case_no   件数：1"
tt_keys town Enter
tt_wait town 案件详情
tt_wait town 村口ab路灯
# The action bar names the person's key.
tt_wait town 'F3 受理'
tt_keys town F1
tt_wait town '帮助：案件详情'
tt_wait town 'F3/a'
tt_keys town Space
tt_gone town '帮助：案件详情'
tt_keys town F3
tt_wait town 提交
tt_keys town F2
tt_wait town '已完成：受理'
[ "$(q "SELECT status FROM minqing.cases WHERE case_no = '$case_no'")" = accepted ] ||
	fail "F3 did not accept $case_no"
echo "ok: F3 accepts the case in the case detail"
tt_keys town F10
tt_wait town EXIT=0

# --- one key for two actions of one screen: refused at start, both named -------------------------
printf 'keys = { submit = "F9"; next_field = "F9"; };\n' >"$DIR/twice.conf"
if env LANG=C.UTF-8 PGUSER=demo_village "$MINQING" -c "$DIR/twice.conf" --check \
	>"$DIR/out" 2>"$DIR/err"; then
	fail "one key for submit and next_field was accepted"
fi
grep -q 'keys.next_field' "$DIR/err" && grep -q 'keys.submit' "$DIR/err" ||
	fail "the message does not name both actions: $(cat "$DIR/err")"
echo "ok: one key for two actions of the form is refused: $(cat "$DIR/err")"

# --- a menu of more than nine rows: two digits open row 10 and on -----------------------------
# The administrator's basic information has thirteen rows. "1" "3" opens the
# thirteenth; "1" alone opens the first after its wait; "1" then Enter at once.
console admin demo_admin
tt_keys admin 1
tt_wait admin '13  未联系党员的农户'
tt_keys admin 1 3
tt_wait admin '基础信息 > 未联系党员的农户'
echo "ok: 1 3 opens row 13 of the basic information"
tt_keys admin Escape
tt_wait admin '>13  未联系党员的农户'
tt_keys admin 1
tt_wait admin '基础信息 > 动态信息' 5
echo "ok: 1 alone opens row 1 after its wait"
tt_keys admin Escape
tt_gone admin '基础信息 > 动态信息'
tt_keys admin 7
tt_wait admin '基础信息 > 登记管理' 1
echo "ok: 7 opens at once (there is no row 70)"
tt_keys admin F10
tt_wait admin EXIT=0
