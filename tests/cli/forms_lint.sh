#!/usr/bin/env bash
# minqing --lint-forms against the real test database: the shipped forms/
# are clean for a demo account (from the build tree's default forms.dir and
# named explicitly); copies of them with one mistake each fail with the
# file, the line and the message a person needs, and exit 2: a misspelt
# param, a wrong function name, a parameter without a default that no field
# gives, a field that is optional where the function has no default, an
# unknown field type, a field type that does not suit the parameter, an
# option the enum does not have, a result column the function does not
# return, a syntax error; a bad form does not hide the verdict on the others;
# a missing or empty directory exits 2; an unreachable database exits 3.
set -euo pipefail
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}" "${MQ_SOURCE_DIR:?}"
: "${PGDATABASE:?set PGDATABASE to a migrated database with the demo district (ctest does)}"

MINQING=$MQ_BUILD_DIR/minqing
FORMS=$MQ_SOURCE_DIR/forms
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Never the machine's own configuration; messages in English unless a test
# asks for Chinese.
export MINQING_SYSTEM_CONFIG=/nonexistent/minqing.conf XDG_CONFIG_HOME=$TMP/xdg
printf 'ui = { language = "en"; };\n' >"$TMP/en.conf"
# libconfig 1.5 loses a string token when it stops on a syntax error right
# at it (a leak in the library, not ours: tests/fuzz/lsan.supp); under ASan
# that would turn the syntax-error case's exit code into LeakSanitizer's.
export LSAN_OPTIONS="suppressions=$MQ_SOURCE_DIR/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# run CMD...: sets rc, and $TMP/out and $TMP/err.
run() {
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	set -e
}
expect_rc() { # code what
	[ "$rc" -eq "$1" ] || fail "$2: exit $rc, expected $1
stdout: $(cat "$TMP/out")
stderr: $(cat "$TMP/err")"
}
expect_err_line() { # exact line what
	grep -qxF -- "$1" "$TMP/err" || fail "$2: no line '$1' in stderr: $(cat "$TMP/err")"
}
lint() { # DIR [ACCOUNT]
	run env PGUSER="${2:-demo_village}" "$MINQING" -c "$TMP/en.conf" --lint-forms "$1"
}
# line_of FILE FIXED-STRING: the number of the first line containing it.
line_of() {
	local n
	n=$(grep -nF -- "$2" "$1" | head -n1 | cut -d: -f1)
	[ -n "$n" ] || fail "'$2' not found in $1 (has the form changed?)"
	echo "$n"
}
# broken NAME SED-EXPRESSION: a directory with a copy of forms/NAME.form edited
# by the expression; prints the copy's path.
broken() {
	local dir
	dir=$(mktemp -d "$TMP/broken.XXXXXX")
	sed -e "$2" "$FORMS/$1.form" >"$dir/$1.form"
	cmp -s "$FORMS/$1.form" "$dir/$1.form" && fail "sed '$2' changed nothing in $1.form"
	echo "$dir/$1.form"
}

nforms=$(ls "$FORMS"/*.form "$FORMS"/*.view | wc -l)
[ "$nforms" -ge 16 ] || fail "expected the 16 case forms in $FORMS, found $nforms"

# --- the shipped forms are clean -------------------------------------------------------
lint "$FORMS"
expect_rc 0 "the shipped forms as demo_village"
[ "$(grep -c ': ok$' "$TMP/out")" -eq "$nforms" ] || fail "not every form ok: $(cat "$TMP/out")"
grep -qxF "$FORMS/case_intake.form: ok" "$TMP/out" || fail "no ok line for case_intake: $(cat "$TMP/out")"
[ ! -s "$TMP/err" ] || fail "the shipped forms: stderr: $(cat "$TMP/err")"

lint "$FORMS" demo_town
expect_rc 0 "the shipped forms as demo_town"

# Without DIR: forms.dir, which for the program in the build tree is the
# build's link to the source forms/.
run env PGUSER=demo_supervisor "$MINQING" -c "$TMP/en.conf" --lint-forms
expect_rc 0 "the default forms directory"
grep -qxF "$MQ_BUILD_DIR/forms/case_close.form: ok" "$TMP/out" ||
	fail "the default forms directory is not the build tree's: $(cat "$TMP/out")"
# broken_view NAME SED-EXPRESSION: the same for forms/NAME.view (a view without a base).
broken_view() {
	local dir
	dir=$(mktemp -d "$TMP/broken.XXXXXX")
	sed -e "$2" "$FORMS/$1.view" >"$dir/$1.view"
	cmp -s "$FORMS/$1.view" "$dir/$1.view" && fail "sed '$2' changed nothing in $1.view"
	echo "$dir/$1.view"
}

# --- one mistake each: file, line, message, exit 2 -----------------------------------------
f=$(broken case_intake 's/"p_title"/"p_titel"/')
lint "$(dirname "$f")"
expect_rc 2 "a misspelt param"
expect_err_line "$f:$(line_of "$f" 'name = "title"'): p_titel is not a parameter of minqing.case_intake (did you mean p_title?)" "a misspelt param"
[ ! -s "$TMP/out" ] || fail "a bad form was also reported ok: $(cat "$TMP/out")"

# Views: a parameter, a column, a function, a key.
f=$(broken_view warnings 's/p_after_id/p_after_ib/')
lint "$(dirname "$f")"
expect_rc 2 "a view's misspelt keyset parameter"
expect_err_line "$f:$(line_of "$f" '{ column = "due_at";'): minqing.warnings has no parameter p_after_ib" "a view's misspelt keyset parameter"
[ ! -s "$TMP/out" ] || fail "a bad view was also reported ok: $(cat "$TMP/out")"

f=$(broken_view warnings 's/name = "handler_name"/name = "handler_names"/')
lint "$(dirname "$f")"
expect_rc 2 "a column the view's function does not give"
expect_err_line "$f:$(line_of "$f" 'name = "handler_names"'): minqing.warnings gives no column handler_names" "a column the view's function does not give"

f=$(broken_view warnings 's/"minqing.warnings"/"minqing.warnigs"/')
lint "$(dirname "$f")"
expect_rc 2 "a view's function that does not exist"
expect_err_line "$f:1: function minqing.warnigs does not exist" "a view's function that does not exist"

# A report (source = "report", read on a standby when there is one) reads no VOLATILE function.
f=$(broken_view summary 's/"minqing.report_summary_lines"/"minqing.touch_row"/')
lint "$(dirname "$f")" demo_supervisor
expect_rc 2 "a report's VOLATILE function"
expect_err_line "$f:1: minqing.touch_row is VOLATILE: a view with source = \"report\" may be read on a standby, which allows no writes (declare it STABLE)" "a report's VOLATILE function"

f=$(broken_view inbox 's/key = "o";/key = "j";/')
lint "$(dirname "$f")"
expect_rc 2 "a view's key that the list uses"
expect_err_line "$f:$(line_of "$f" 'param = "p_filter"'): key j is the list's own" "a view's key that the list uses"

f=$(broken_view inbox 's/key = "o";/key = "a";/')
lint "$(dirname "$f")"
expect_rc 2 "a key used twice"
expect_err_line "$f:$(line_of "$f" 'param = "p_filter"'): key a is used twice in this view" "a key used twice"

f=$(broken case_accept 's/"minqing.case_accept"/"minqing.case_acept"/')
lint "$(dirname "$f")"
expect_rc 2 "a wrong function name"
expect_err_line "$f:$(line_of "$f" 'function = '): function minqing.case_acept does not exist in the database" "a wrong function name"

f=$(broken case_accept 's/"minqing.case_accept"/"public.case_accept"/')
lint "$(dirname "$f")"
expect_rc 2 "a wrong schema"
expect_err_line "$f:$(line_of "$f" 'function = '): function public.case_accept does not exist in the database" "a wrong schema"

# The result field of case_resolve is the only one for p_result, which has no default.
f=$(broken case_resolve 's/param = "p_result"/param = "p_overdue_note"/')
lint "$(dirname "$f")"
expect_rc 2 "a param that is not the function's"
expect_err_line "$f:$(line_of "$f" 'name = "result"'): p_overdue_note is not a parameter of minqing.case_resolve (its parameters: p_case, p_result, p_overdue_reason)" "a param that is not the function's"

# Without its title field, case_intake does not give p_title (no default).
f=$(broken case_intake '/name = "title"/,/}; },$/d')
grep -q 'p_title' "$f" && fail "the title field was not removed from $f"
lint "$(dirname "$f")"
expect_rc 2 "a missing required param"
expect_err_line "$f:$(line_of "$f" 'function = '): parameter p_title of minqing.case_intake has no default, and no field or context entry gives it" "a missing required param"

# p_note of case_urge has no default: the field must be required.
f=$(broken case_urge 's/type = "multiline"; required = true;/type = "multiline";/')
lint "$(dirname "$f")"
expect_rc 2 "an optional field for a parameter without a default"
expect_err_line "$f:$(line_of "$f" 'name = "note"'): field note is optional, but parameter p_note of minqing.case_urge has no default: make the field required" "an optional field for a parameter without a default"

f=$(broken case_progress 's/type = "multiline"/type = "multilne"/')
lint "$(dirname "$f")"
expect_rc 2 "an unknown field type"
expect_err_line "$f:$(line_of "$f" 'type = "multilne"'): unknown field type 'multilne' (did you mean 'multiline'?)" "an unknown field type"

f=$(broken case_decide_extension 's/type = "yesno"/type = "text"/')
lint "$(dirname "$f")"
expect_rc 2 "a text field for a boolean"
expect_err_line "$f:$(line_of "$f" 'name = "approve"'): field approve is text, but parameter p_approve of minqing.case_decide_extension is boolean" "a text field for a boolean"

f=$(broken case_close 's/value = "basically_satisfied"/value = "basically"/')
lint "$(dirname "$f")"
expect_rc 2 "an option the enum does not have"
grep -qF "$f:$(line_of "$f" 'value = "basically"'): option \"basically\" is not a valid " "$TMP/err" ||
	fail "an option the enum does not have: $(cat "$TMP/err")"
grep -qF 'satisfaction for parameter p_satisfaction: invalid input value for enum' "$TMP/err" ||
	fail "an option the enum does not have: the server's reason is missing: $(cat "$TMP/err")"

f=$(broken case_intake 's/"duplicates"/"duplicate"/')
lint "$(dirname "$f")"
expect_rc 2 "a result column the function does not return"
expect_err_line "$f:$(line_of "$f" 'result = '): duplicate is not a result column of minqing.case_intake (its columns: case_id, case_no, duplicates)" "a result column the function does not return"

f=$(broken case_accept 's/function = /function /')
lint "$(dirname "$f")"
expect_rc 2 "a syntax error"
expect_err_line "$f:$(line_of "$f" 'function "'): syntax error" "a syntax error"

# --- a bad form among good ones: each gets its verdict ------------------------------------
mixed=$TMP/mixed
mkdir "$mixed"
cp "$FORMS"/*.form "$FORMS"/*.view "$mixed"/
sed -i 's/"p_reason"/"p_raeson"/' "$mixed/case_pause.form"
lint "$mixed"
expect_rc 2 "one bad form among good ones"
[ "$(grep -c ': ok$' "$TMP/out")" -eq $((nforms - 1)) ] || fail "the good forms were not all ok: $(cat "$TMP/out")"
grep -qxF "$mixed/case_withdraw.form: ok" "$TMP/out" || fail "no verdict after the bad form: $(cat "$TMP/out")"
grep -qF "$mixed/case_pause.form:" "$TMP/err" || fail "case_pause.form not reported: $(cat "$TMP/err")"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "more than the one problem reported: $(cat "$TMP/err")"

# In Chinese (the default language), the same problem in the person's language.
run env PGUSER=demo_village "$MINQING" --lint-forms "$mixed"
expect_rc 2 "one bad form, in Chinese"
grep -qF "$mixed/case_pause.form:" "$TMP/err" || fail "in Chinese: $(cat "$TMP/err")"
grep -qF '不是 minqing.case_pause 的参数' "$TMP/err" || fail "the message is not in Chinese: $(cat "$TMP/err")"

# --- directories -------------------------------------------------------------------------
lint "$TMP/no-such-directory"
expect_rc 2 "a missing directory"
grep -qF "$TMP/no-such-directory: cannot read the forms directory" "$TMP/err" || fail "a missing directory: $(cat "$TMP/err")"
mkdir "$TMP/empty"
lint "$TMP/empty"
expect_rc 2 "a directory without forms"
grep -qF "$TMP/empty: no form or view files (*.form, *.view)" "$TMP/err" || fail "an empty directory: $(cat "$TMP/err")"

# --- no database -----------------------------------------------------------------------------
run env PGHOST="$TMP/no-server" PGUSER=demo_village "$MINQING" -c "$TMP/en.conf" --lint-forms "$FORMS"
expect_rc 3 "an unreachable database"
grep -qF 'cannot connect' "$TMP/err" || fail "an unreachable database: $(cat "$TMP/err")"
[ ! -s "$TMP/out" ] || fail "an unreachable database: forms reported ok: $(cat "$TMP/out")"

run env PGUSER=mq_no_such_role_$$ "$MINQING" -c "$TMP/en.conf" --lint-forms "$FORMS"
expect_rc 3 "a role that does not exist"

echo "forms_lint: ok"
