#!/usr/bin/env bash
# minqing --keys: every action a key can be bound to (keys.<action>, read from
# include/mq/config.h, not from the program), its default keys and the
# screens where it applies, with no database and no terminal; in Chinese by
# default, in English with ui.language = "en"; the person's own key shown;
# --help mentions it. And the checks of the bindings at start (exit 2, the
# message naming the action): an action no screen has (also a dotted name
# of a screen built at run time, which the configuration lets through), a
# screen's key taken for a global action, a key of a text field.
set -euo pipefail
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}"
: "${MQ_SOURCE_DIR:?set MQ_SOURCE_DIR (ctest does)}"

MINQING=$MQ_BUILD_DIR/minqing
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# No server anywhere, no configuration of this machine or this person.
export PGHOST=/nonexistent PGPORT=1 PGCONNECT_TIMEOUT=1
export MINQING_SYSTEM_CONFIG=/nonexistent/minqing.conf XDG_CONFIG_HOME=$TMP/xdg
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset PGSERVICE PGDATABASE

run() {
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	set -e
}

actions=()
while read -r action; do
	actions+=("$action")
done < <(sed -n 's/^[[:space:]]*X(\([a-z_]*\) *)[[:space:]\\]*$/\1/p' \
	"$MQ_SOURCE_DIR/include/mq/config.h")
[ "${#actions[@]}" -ge 20 ] || fail "read only ${#actions[@]} actions from config.h"

# --- the list, in Chinese --------------------------------------------------------------------
run "$MINQING" --keys
[ "$rc" -eq 0 ] || fail "--keys: exit $rc; $(cat "$TMP/err")"
[ ! -s "$TMP/err" ] || fail "--keys wrote to stderr: $(cat "$TMP/err")"
head -1 "$TMP/out" | grep -qE '^操作 +默认按键 +适用画面$' || fail "header: $(head -1 "$TMP/out")"
for action in "${actions[@]}"; do
	grep -qE "^$action +[^ ]" "$TMP/out" || fail "--keys does not list $action"
done
grep -qE '^accept +a +案件详情$' "$TMP/out" || fail "accept: $(grep '^accept' "$TMP/out")"
grep -qE '^submit +F2, Ctrl-X +表单$' "$TMP/out" || fail "submit: $(grep '^submit' "$TMP/out")"
grep -qE '^back +Esc, ←, Backspace, h +所有画面$' "$TMP/out" || fail "back: $(grep '^back' "$TMP/out")"
# reload has other keys in the form than elsewhere: a line each
[ "$(grep -c '^reload ' "$TMP/out")" -eq 2 ] || fail "reload: $(grep '^reload' "$TMP/out")"
# fixed keys (a text field's Ctrl-A) are not bindable and not listed
! grep -q 'Ctrl-A' "$TMP/out" || fail "a fixed key is listed: $(grep Ctrl-A "$TMP/out")"
echo "ok: --keys lists the ${#actions[@]} actions in Chinese"

# --- in English, with the person's own key -------------------------------------------------------
printf 'ui = { language = "en"; };\nkeys = { accept = "F3"; };\n' >"$TMP/en.conf"
run "$MINQING" -c "$TMP/en.conf" --keys
[ "$rc" -eq 0 ] || fail "--keys (en): exit $rc; $(cat "$TMP/err")"
head -1 "$TMP/out" | grep -qE '^ACTION +DEFAULT KEYS +WHERE$' || fail "header: $(head -1 "$TMP/out")"
grep -qE '^accept +a +Case detail \(yours: F3\)$' "$TMP/out" ||
	fail "accept (en): $(grep '^accept' "$TMP/out")"
grep -qE '^submit +F2, Ctrl-X +Forms$' "$TMP/out" || fail "submit (en): $(grep '^submit' "$TMP/out")"
echo "ok: --keys in English, with the person's key"

run "$MINQING" --help
grep -q -- "--keys" "$TMP/out" || fail "--help does not mention --keys"

# --- bindings refused at start: exit 2, before any connection ------------------------------------
refused() { # config expected-text what
	printf 'ui = { language = "en"; };\n%s\n' "$1" >"$TMP/k.conf"
	run "$MINQING" -c "$TMP/k.conf" --check
	[ "$rc" -eq 2 ] || fail "$3: exit $rc, expected 2; $(cat "$TMP/err")"
	grep -qF -- "$2" "$TMP/err" || fail "$3: expected '$2' in: $(cat "$TMP/err")"
	msg=$(cat "$TMP/err")
	run "$MINQING" -c "$TMP/k.conf" --keys
	[ "$rc" -eq 0 ] || fail "$3: --keys should still list the actions (exit $rc)"
	echo "ok: $3: $msg"
}
refused 'keys = { acept = "F3"; };' 'keys.acept: there is no such action' "an unknown action"
refused 'keys = { filtre = { overdue = "F6"; }; };' 'keys.filtre.overdue: there is no such action' \
	"a dotted action no screen has"
refused 'keys = { quit = "F2"; };' 'keys.quit: "F2" is bound to another action too: keys.submit' \
	"a global action on a form's key"
refused 'keys = { accept = "F10"; };' 'keys.accept: "F10" is bound to another action too: keys.quit' \
	"a case action on the global quit key"
refused 'keys = { submit = "C-a"; };' 'keys.submit: "C-a" is bound to another action too: "move in the text"' \
	"a form action on a key of the text fields"
refused 'keys = { quit = "Q"; };' 'keys.quit: "Q" is a character' "a character for a global action"
refused 'keys = { filter = { overdue = "a"; }; };' 'keys.filter.overdue: "a" is bound to another action too: keys.filter.all' \
	"a list's choice on the key of another choice of the same list"

# --- accepted: a letter for a case action (the case screen takes no text), C-x for urge ----------
printf 'keys = { accept = "A"; urge = "C-x"; submit = "F9"; filter = { overdue = "F6"; }; };\n' >"$TMP/ok.conf"
run "$MINQING" -c "$TMP/ok.conf" --keys
[ "$rc" -eq 0 ] || fail "good bindings: exit $rc"
grep -qE '^filter\.overdue +o +.*F6' "$TMP/out" ||
	fail "a list's choice (forms/inbox.view) is not listed with the person's key: $(grep '^filter' "$TMP/out")"
run "$MINQING" -c "$TMP/ok.conf" --check
[ "$rc" -eq 3 ] || fail "good bindings: --check should get as far as connecting (exit 3), got $rc: $(cat "$TMP/err")"
echo "ok: a letter for accept, C-x for urge, F9 for submit and F6 for a list's choice are accepted"
