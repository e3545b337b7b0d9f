# Helpers for the terminal tests (sourced by tests/tty/*.sh; not a test itself):
# a private tmux server, waiting for text on the screen, printing the pane
# when something is missing. Every test runs the real program in a real
# terminal (tmux) and reads the screen back with capture-pane.
#
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
	[ -n "$left" ] || return 0
	sleep 0.5
	for c in $left; do kill -9 "$c" 2>/dev/null || true; done
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

# Assert the screen shows TEXT now.
tt_has() { # name text
	TT_LAST=$1
	tt_screen "$1" | grep -qF -- "$2" || fail "'$2' is not on the screen"
}

tt_hasnt() { # name text
	TT_LAST=$1
	! tt_screen "$1" | grep -qF -- "$2" || fail "'$2' should not be on the screen"
}
