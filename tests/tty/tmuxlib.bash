# Helpers for the terminal tests (sourced by tests/tty/*.sh; not a test itself):
# a private tmux server, waiting for text on the screen, printing the pane
# when something is missing. Every test runs the real program in a real
# terminal (tmux) and reads the screen back with capture-pane.
#
#   tt_scratch_db                a database of the test's own ($PGDATABASE) with the demo data
#   tt_start NAME COLS ROWS      a session running an interactive bash without
#                                rc files, prompt "$ ", no history file
#   tt_run NAME 'COMMAND'        type COMMAND and Enter in that shell
#   tt_keys NAME KEY...          send keys (tmux key names: Down, Enter, Escape, F10)
#   tt_wait NAME TEXT [SECONDS]  wait until TEXT (fixed string) is on the screen
#   tt_wait_re NAME REGEX [SECONDS]
#   tt_gone NAME TEXT [SECONDS]  wait until TEXT is no longer on the screen
#   tt_screen NAME               print the screen
#   fail MESSAGE                 print MESSAGE and exit 1

: "${MQ_BUILD_DIR:?set MQ_BUILD_DIR (ctest does)}"
: "${PGDATABASE:?set PGDATABASE to a migrated database with the demo district (ctest does)}"

TT_SOCKET=mqtest-$$
TT_TMUX=(tmux -L "$TT_SOCKET" -f /dev/null)
TT_LAST=

# The programs still running in the panes (children of their shells), so
# that none outlives the test: a console killed by the hangup of its terminal
# may still be busy in its exit path (an ASan build's leak check has been
# seen to spin there for minutes).
tt_pane_children() {
	local p
	for p in $("${TT_TMUX[@]}" list-panes -a -F '#{pane_pid}' 2>/dev/null); do
		ps -o pid= --ppid "$p" 2>/dev/null || true
	done
}

tt_cleanup() {
	local left c
	left=$(tt_pane_children)
	"${TT_TMUX[@]}" kill-server 2>/dev/null || true
	if [ -n "${TT_SCRATCH_DB:-}" ]; then
		psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $TT_SCRATCH_DB WITH (FORCE)" \
			>/dev/null 2>&1 || true
	fi
	[ -n "$left" ] || return 0
	sleep 0.5
	for c in $left; do kill -9 "$c" 2>/dev/null || true; done
}

# tt_scratch_db: the database $PGDATABASE made for this test alone, migrated,
# with the demo district (scale 1, seed 1), so its rows are known; tt_cleanup
# drops it.
tt_scratch_db() {
	TT_SCRATCH_DB=$PGDATABASE
	psql -qX -U postgres -d postgres -c "CREATE DATABASE $PGDATABASE" >/dev/null
	PGUSER=postgres "$MQ_BUILD_DIR/minqing-admin" migrate >/dev/null
	PGUSER=postgres "$MQ_BUILD_DIR/minqing-admin" demo-data --scale 1 --seed 1 >/dev/null
}

fail() {
	echo "FAIL: $*" >&2
	if [ -n "$TT_LAST" ]; then
		echo "--- screen of $TT_LAST ---" >&2
		tt_screen "$TT_LAST" >&2 || true
		echo "---" >&2
	fi
	exit 1
}

tt_start() { # name cols rows
	TT_LAST=$1
	"${TT_TMUX[@]}" new-session -d -s "$1" -x "$2" -y "$3" \
		"env PS1='$ ' HISTFILE=/dev/null LANG=C.UTF-8 bash --norc --noprofile"
	"${TT_TMUX[@]}" set-option -t "$1" -g remain-on-exit on >/dev/null
	tt_wait "$1" '$' 5
}

tt_run() { # name command
	TT_LAST=$1
	"${TT_TMUX[@]}" send-keys -t "$1" -l "$2"
	"${TT_TMUX[@]}" send-keys -t "$1" Enter
}

tt_keys() { # name keys...
	local name=$1
	shift
	TT_LAST=$name
	"${TT_TMUX[@]}" send-keys -t "$name" "$@"
}

tt_screen() {
	"${TT_TMUX[@]}" capture-pane -t "$1" -p
}

tt_wait() { # name text [seconds]
	local deadline=$((SECONDS + ${3:-10}))
	TT_LAST=$1
	while ! tt_screen "$1" | grep -qF -- "$2"; do
		[ "$SECONDS" -lt "$deadline" ] || fail "'$2' did not appear on the screen"
		sleep 0.1
	done
}

tt_wait_re() { # name regex [seconds]
	local deadline=$((SECONDS + ${3:-10}))
	TT_LAST=$1
	while ! tt_screen "$1" | grep -qE -- "$2"; do
		[ "$SECONDS" -lt "$deadline" ] || fail "nothing matching /$2/ appeared on the screen"
		sleep 0.1
	done
}

tt_gone() { # name text [seconds]
	local deadline=$((SECONDS + ${3:-10}))
	TT_LAST=$1
	while tt_screen "$1" | grep -qF -- "$2"; do
		[ "$SECONDS" -lt "$deadline" ] || fail "'$2' is still on the screen"
		sleep 0.1
	done
}

# Open the row of a menu on the screen by its label, typing its number as a
# person reads it off the screen (two digits from row 10): tests do not
# break when a module gains rows. The label must be a whole row label.
tt_menu() { # name label [seconds]
	local name=$1 label=$2 n deadline=$((SECONDS + ${3:-10}))
	TT_LAST=$name
	while :; do
		# (until the menu is drawn: the label may be in the screen before it)
		n=$(tt_screen "$name" | awk -v l="$label" '{
			sub(/^ *>? */, "")
			if (match($0, /^[0-9]+  /)) {
				num = substr($0, 1, RLENGTH - 2); rest = substr($0, RLENGTH + 1)
				if (rest == l || index(rest, l "  ") == 1) { print num; exit }
			}
		}')
		[ -z "$n" ] || break
		[ "$SECONDS" -lt "$deadline" ] || fail "no menu row labelled '$label'"
		sleep 0.1
	done
	if [ "${#n}" -eq 2 ]; then
		tt_keys "$name" "${n:0:1}" "${n:1:1}"
	else
		tt_keys "$name" "$n"
	fi
}

# Assert the screen shows TEXT now.
tt_has() { # name text
	TT_LAST=$1
	tt_screen "$1" | grep -qF -- "$2" || fail "'$2' is not on the screen"
}

tt_hasnt() { # name text
	TT_LAST=$1
	! tt_screen "$1" | grep -qF -- "$2" || fail "'$2' should not be on the screen"
}

# --- layout -------------------------------------------------------------------------------
# capture-pane never returns more than the pane's width, so a console that
# draws past its width cannot be caught in a pane of exactly that width. The
# list tests therefore run the console in a pane one column and one row
# larger than it is told (COLUMNS and LINES, which ncurses prefers to the
# terminal's size): whatever it draws past its own width or height lands in
# the spare column or row, where tt_layout sees it.
#
#   tt_layout NAME COLS ROWS LABEL   no line wider than COLS display columns
#                                    (a Chinese character is two), nothing
#                                    below row ROWS, no U+FFFD
#   tt_cells NAME HEADER KEY         the cells of the row holding KEY, cut at
#                                    the columns where the labels of the
#                                    header line (the line holding HEADER)
#                                    begin: "pointer|mark|cell|cell|…", each
#                                    cell with its trailing blanks removed
#                                    (leading ones kept: a cell out of its
#                                    column shows); "!" in a gap that is not
#                                    blank or under a character cut in two
tt_layout() { # name cols rows label
	TT_LAST=$1
	local bad
	bad=$(tt_screen "$1" | TT_COLS=$2 TT_ROWS=$3 perl -CSD -ne '
		chomp;
		my $w = () = /./g;
		$w += () = /[\p{Ea=W}\p{Ea=F}]/g;
		print "line $.: $w columns: $_\n" if $w > $ENV{TT_COLS};
		print "line $.: below row $ENV{TT_ROWS}: $_\n" if $. > $ENV{TT_ROWS} && /\S/;
		print "line $.: a replacement character: $_\n" if /\x{FFFD}/;')
	[ -z "$bad" ] || fail "$4: $bad"
}

tt_cells() { # name header key
	TT_LAST=$1
	tt_screen "$1" | perl -CSDA -e '
		my ($header, $key) = @ARGV;
		my @lines = <STDIN>;
		chomp @lines;
		# A line as display cells: a wide character, then "" for its second column.
		sub cells { my @c; for my $ch (split //, $_[0]) {
			push @c, $ch; push @c, "" if $ch =~ /[\p{Ea=W}\p{Ea=F}]/ } return @c }
		my ($h) = grep { index($_, $header) >= 0 } @lines;
		my ($r) = grep { index($_, $key) >= 0 && index($_, $header) < 0 } @lines;
		exit 1 unless defined $h && defined $r;
		my @h = cells($h);
		my @r = cells($r);
		my $blank = sub { my ($a, $i) = @_; $i > $#$a || $a->[$i] eq " " };
		my @start;
		for my $i (1 .. $#h) {
			push @start, $i if !$blank->(\@h, $i) && $blank->(\@h, $i - 1);
		}
		my @out = ($r[0] // "", $r[1] // "");
		for my $k (0 .. $#start) {
			my ($s, $e) = ($start[$k], $k < $#start ? $start[$k + 1] - 1 : scalar @r);
			my $gap = $blank->(\@r, $s - 1) && (($r[$s] // " ") ne "");
			my $t = join "", map { $_ // "" } @r[$s .. ($e > $s ? $e - 1 : $s - 1)];
			$t =~ s/\s+$//;
			push @out, ($gap ? "" : "!") . $t;
		}
		print join("|", @out), "\n";
	' "$2" "$3" || fail "no header '$2' or no row with '$3' on the screen"
}
