# The checks shared by the shell-driven database tests (case_flow.sh,
# holes.sh, workflow_sides.sh, upgrade.sh, tests/ops/*.sh): source it after
# setting $results to a file (results go to a file: some checks run inside
# $(...) subshells).
#   ok WHAT / bad WHAT             count a check
#   super SQL                      one value as the superuser (fails loudly)
#   as ACCOUNT SQL                 one value as ACCOUNT; an error fails the test
#   refused ACCOUNT SQLSTATE SQL WHAT   the statement must fail with that code
#   expect WHAT GOT WANT
#   finish                         "N passed, M failed"; non-zero on a failure
#   same_as_fresh DB FRESH         DB, migrated from an older version, has the
#                                  functions and views of FRESH, a fresh install,
#                                  and the same pg_dump --schema-only
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
# The functions and views (tests/sql/functions/catalogue.sql: definitions,
# owners, privileges and comments) and then the whole schema as pg_dump
# --schema-only writes it (but for the random key of psql's \restrict lines):
# two checks. Used by tests/sql/upgrade.sh and tests/ops/upgrade.sh.
same_as_fresh() {
	local tmp d n fn vw
	tmp=$(mktemp -d /tmp/mqfresh.XXXXXX)
	for d in "$1" "$2"; do
		psql -qXtA -U postgres -d "$d" -v ON_ERROR_STOP=1 -f "$MQ_SOURCE_DIR/tests/sql/functions/catalogue.sql" \
			>"$tmp/catalogue.$d"
		pg_dump -U postgres --schema-only "$d" | grep -v '^\\\(un\)\{0,1\}restrict ' >"$tmp/dump.$d"
	done
	n=$(grep -c '^function \|^view ' "$tmp/catalogue.$2")
	if [ "$n" -gt 90 ] && diff "$tmp/catalogue.$2" "$tmp/catalogue.$1" >"$tmp/diff"; then
		ok "the same $n functions and views as a fresh install (definition, owner, privileges, comment)"
	else
		bad "the functions differ from a fresh install's ($n objects):"
		head -40 "$tmp/diff" >&2
	fi
	fn=$(grep -c '^CREATE FUNCTION minqing\.' "$tmp/dump.$2")
	vw=$(grep -c '^CREATE VIEW minqing\.' "$tmp/dump.$2")
	if [ "$fn" -gt 90 ] && [ "$vw" -gt 3 ] && cmp -s "$tmp/dump.$2" "$tmp/dump.$1"; then
		ok "pg_dump --schema-only is a fresh install's, with its $fn functions and $vw views"
	else
		bad "pg_dump --schema-only differs from a fresh install's ($fn functions, $vw views):"
		diff "$tmp/dump.$2" "$tmp/dump.$1" | head -40 >&2
	fi
	rm -rf "$tmp"
}
