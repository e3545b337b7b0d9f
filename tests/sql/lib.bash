# The checks shared by the shell-driven database tests (case_flow.sh,
# holes.sh, workflow_sides.sh): source it after setting $results to a file
# (results go to a file: some checks run inside $(...) subshells).
#   ok WHAT / bad WHAT             count a check
#   super SQL                      one value as the superuser (fails loudly)
#   as ACCOUNT SQL                 one value as ACCOUNT; an error fails the test
#   refused ACCOUNT SQLSTATE SQL WHAT   the statement must fail with that code
#   expect WHAT GOT WANT
#   finish                         "N passed, M failed"; non-zero on a failure
ok() { echo "ok: $*" >&2; echo ok >>"$results"; }
bad() { echo "FAIL: $*" >&2; echo fail >>"$results"; }
super() { psql -qXtA -U postgres -v ON_ERROR_STOP=1 -c "$1"; }
as() {
	local out
	if ! out=$(psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$2" 2>&1); then
		bad "$1 could not: $2: $out"
		return 1
	fi
	printf '%s' "$out"
}
refused() {
	local out
	if out=$(psql -qXtA -U "$1" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$3" 2>&1); then
		bad "$4: $1 was allowed: $3"
	elif grep -q "ERROR:  $2:" <<<"$out"; then
		ok "$4 ($1, $2)"
	else
		bad "$4: $1 expected $2, got: $out"
	fi
}
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
finish() {
	local pass fails
	pass=$(grep -c '^ok' "$results")
	fails=$(grep -c '^fail' "$results")
	echo "$pass passed, $fails failed"
	[ "$fails" -eq 0 ]
}
