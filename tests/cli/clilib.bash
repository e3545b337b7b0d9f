# Helpers for the command-line tests (sourced; not a test itself): run a
# command and check its exit code, look for a text in a file, compare two
# values. Each prints "ok: ..." or "FAIL: ..." and counts in pass and fails;
# the test ends with [ "$fails" -eq 0 ]. Needs $tmp (a directory of the test).
fails=0
pass=0
check() { # description, expected rc, command...
	local what=$1 want=$2; shift 2
	local rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL: $what: exit $rc, expected $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err"
		fails=$((fails + 1))
	else
		echo "ok: $what"; pass=$((pass + 1))
	fi
}
expect_in() { # file, text, description
	if grep -qF -- "$2" "$1"; then echo "ok: $3"; pass=$((pass + 1)); else
		echo "FAIL: $3: '$2' not in:"; sed 's/^/  | /' "$1"; fails=$((fails + 1)); fi
}
expect_not_in() { # file, text, description
	if ! grep -qF -- "$2" "$1"; then echo "ok: $3"; pass=$((pass + 1)); else
		echo "FAIL: $3: '$2' in:"; sed 's/^/  | /' "$1"; fails=$((fails + 1)); fi
}
same() { # got, want, description
	if [ "$1" == "$2" ]; then echo "ok: $3"; pass=$((pass + 1)); else
		echo "FAIL: $3: got [$1], want [$2]"; fails=$((fails + 1)); fi
}
