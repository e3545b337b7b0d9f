#!/usr/bin/env bash
# The same failure gives the same exit code in all four programs (minqing,
# minqing-admin, minqing-escalate, minqing-notify), because they all connect
# through mq_program_connect() (the table: docs/development.md, "Exit codes"):
#   - no server at the socket: 3;
#   - a server that accepts the login and then closes the connection at the
#     first query, i.e. during the schema check: 3 (a check that got no
#     answer is a lost connection, not a schema mismatch; once this was 3 in
#     the console and 4 in the others);
#   - a database without the Minqing schema: 4.
set -euo pipefail
: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}" "${PGHOST:?}"
tmp=$(mktemp -d)
db=mq_exit_codes_$$
server=
cleanup() {
	[ -z "$server" ] || kill "$server" 2>/dev/null || true
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
export LANG=C.UTF-8
unset PGAPPNAME PGSERVICE
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
mkdir -p "$tmp/spool" "$tmp/nowhere"
printf 'ui = { language = "en"; };\n' >"$tmp/en.conf"

# every_program WANT WHAT [ENV=VALUE ...]: run the four programs the way a
# script would (no terminal), each with the environment given.
every_program() {
	local want=$1 what=$2 rc name
	shift 2
	local -a cmds=(
		"minqing --check"
		"minqing-admin check"
		"minqing-escalate --once"
		"minqing-notify --transport spool --spool-dir $tmp/spool --once"
	)
	for cmd in "${cmds[@]}"; do
		name=${cmd%% *}
		rc=0
		# shellcheck disable=SC2086 # cmd is a program and its words
		env "$@" "$MQ_BUILD_DIR/${cmd%% *}" -c "$tmp/en.conf" ${cmd#* } \
			>"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
		if [ "$rc" -eq "$want" ]; then
			ok "$what: $name exits $want"
		else
			bad "$what: $name exits $rc, want $want: $(cat "$tmp/err")"
		fi
	done
}

# --- no server at all ------------------------------------------------------------------
every_program 3 "no server" PGHOST="$tmp/nowhere" PGPORT=5999 PGDATABASE=x PGUSER=x

# --- a server that closes the connection during the schema check -------------------------
# A stand-in for PostgreSQL speaking just enough of protocol 3: it refuses
# SSL and GSS encryption, says "authentication ok" and "ready", and closes
# the socket when the first query arrives.
cat >"$tmp/closer.pl" <<'PERL'
use strict;
use warnings;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
my $path = shift;
unlink $path;
my $server = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $path, Listen => 16)
	or die "closer: listen on $path: $!\n";
sub readn { my ($s, $n) = @_; my $buf = ''; while (length($buf) < $n) { my $r = sysread($s, $buf, $n - length($buf), length($buf)); return undef unless $r; } return $buf; }
while (my $c = $server->accept) {
	while (1) {
		my $len = readn($c, 4) // last;
		my $body = readn($c, unpack('N', $len) - 4) // last;
		my $code = unpack('N', $body);
		if ($code == 80877103 || $code == 80877104) { syswrite($c, 'N'); next; } # SSL, GSS
		my $msg = pack('CNN', ord('R'), 8, 0);                                # AuthenticationOk
		for my $kv (['server_version', '15.0'], ['client_encoding', 'UTF8'],
			    ['standard_conforming_strings', 'on'], ['is_superuser', 'off']) {
			my $p = "$kv->[0]\0$kv->[1]\0";
			$msg .= pack('CN', ord('S'), 4 + length $p) . $p;
		}
		$msg .= pack('CNNN', ord('K'), 12, $$, 1) . pack('CNa', ord('Z'), 5, 'I');
		syswrite($c, $msg);
		readn($c, 1); # the first query's type byte: enough
		last;
	}
	close $c;
}
PERL
mkdir -p "$tmp/closer"
perl "$tmp/closer.pl" "$tmp/closer/.s.PGSQL.5999" &
server=$!
for _ in $(seq 50); do [ -S "$tmp/closer/.s.PGSQL.5999" ] && break; sleep 0.1; done
every_program 3 "connection closed during the schema check" \
	PGHOST="$tmp/closer" PGPORT=5999 PGDATABASE=x PGUSER=x
kill "$server" 2>/dev/null || true
server=

# --- a database without the schema --------------------------------------------------------
psql -qX -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
every_program 4 "no Minqing schema" PGDATABASE="$db" PGUSER=postgres

if [ "$fails" -ne 0 ]; then
	echo "$fails failed"
	exit 1
fi
echo "all passed"
