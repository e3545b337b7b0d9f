/*
 * The terminal module (after htop's CRT): setting the terminal up and, on
 * every way out, putting it back: a normal quit, fatal() (through the fatal
 * hook), an exit() from anywhere (atexit) and the signals that ask a program
 * to stop (the handler only records the signal; the input loop ends and the
 * normal path restores the terminal, since endwin() is not safe in a
 * handler). Colours, or attributes alone when the person asks for
 * monochrome (NO_COLOR, ui.color = false) or the terminal has none.
 *
 * All text goes through tty_put(), which fits it with mq_strpad(): a Chinese
 * character is two columns and is never cut in half.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "console.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

static SCREEN *tty_screen;
static bool tty_active;
static bool tty_color;
static bool tty_registered;
static volatile sig_atomic_t tty_signal;

/* Colour pairs, one per role (0 is the terminal's own). */
static const struct {
	short fg, bg;
	int attr;      /* added to the colour */
	int mono_attr; /* used alone when monochrome */
} tty_roles[] = {
	[TTY_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
	[TTY_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
	[TTY_STATUS] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	[TTY_SELECTED] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE},
	[TTY_BANNER] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
	[TTY_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
	[TTY_HEADING] = {COLOR_BLUE, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	[TTY_HINT] = {-1, -1, A_DIM, A_DIM},
	[TTY_BOX] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
	[TTY_INPUT] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
	[TTY_INPUT_FOCUS] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	/* Rows of a list by warning level; monochrome (and NO_COLOR) rows differ by
	   attribute, and every list shows the level's letter (Y, O, R) as well. */
	[TTY_WARN_YELLOW] = {COLOR_YELLOW, -1, A_NORMAL, A_NORMAL},
	[TTY_WARN_ORANGE] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD},
	[TTY_WARN_RED] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	/* Charts in colour; in monochrome plain (the blocks' height and length are the value). */
	[TTY_CHART] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
};

/* The cursor asked for by this draw: -1 when hidden. */
static int tty_cur_y = -1, tty_cur_x = -1;

void tty_cursor_at(int y, int x)
{
	tty_cur_y = y;
	tty_cur_x = x;
}

void tty_cursor_apply(void)
{
	if (tty_cur_y >= 0 && tty_cur_y < LINES && tty_cur_x >= 0 && tty_cur_x < COLS) {
		curs_set(1);
		move(tty_cur_y, tty_cur_x);
	} else
		curs_set(0);
	tty_cur_y = tty_cur_x = -1;
}

static void tty_signal_handler(int sig)
{
	tty_signal = sig;
}

void tty_catch_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT};
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tty_signal_handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() must return so the loop sees the flag. */
	sa.sa_flags = 0;
	for (i = 0; i < MQ_NITEMS(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int tty_signal_pending(void)
{
	return tty_signal;
}

/* Write a control sequence straight to the terminal (before newterm's output, after endwin's). */
static void tty_write_seq(const char *seq)
{
	size_t off = 0, n = strlen(seq);
	ssize_t w;

	while (off < n) {
		w = write(STDOUT_FILENO, seq + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the terminal is gone: nothing to restore */
		off += (size_t)w;
	}
}

/*
 * Bracketed paste (xterm's mode 2004, which tmux, PuTTY and most terminals
 * know): the terminal wraps a paste in two sequences, so a pasted line break
 * is text and never Enter. From terminfo's BE/BD/PS/PE where the entry has
 * them; the types that lack them (screen, putty) still understand xterm's
 * sequences, and a terminal that does not ignores an unknown private mode.
 */
static const char *tty_paste_on = "\033[?2004h", *tty_paste_off = "\033[?2004l";
static int tty_paste_begin_code = -1, tty_paste_end_code = -1;

/* A key code of our own for seq: the one ncurses has, or a new one. */
static int tty_define_key(const char *seq, int code)
{
	int have = key_defined(seq);

	if (have > 0)
		return have;
	return define_key(seq, code) == OK ? code : -1;
}

static void tty_paste_init(void)
{
	const char *be = tty_terminfo_string("BE"), *bd = tty_terminfo_string("BD");
	const char *ps = tty_terminfo_string("PS"), *pe = tty_terminfo_string("PE");

	if (be != NULL && bd != NULL) {
		tty_paste_on = be;
		tty_paste_off = bd;
	}
	/* Codes beyond ncurses' own (KEY_MAX) and those it gives terminfo's extended keys. */
	tty_paste_begin_code = tty_define_key(ps != NULL ? ps : "\033[200~", KEY_MAX + 0x700);
	tty_paste_end_code = tty_define_key(pe != NULL ? pe : "\033[201~", KEY_MAX + 0x701);
	tty_write_seq(tty_paste_on);
}

void tty_done(void)
{
	if (!tty_active)
		return;
	tty_active = false;
	curs_set(1);
	endwin();
	fflush(stdout);
	tty_write_seq(tty_paste_off);
	/* delscreen() after endwin() frees what newterm() allocated. */
	delscreen(tty_screen);
	tty_screen = NULL;
}

int tty_check(char **cause)
{
	const char *term = getenv("TERM");

	if (term == NULL || term[0] == '\0')
		return mq_fail(cause, _("the terminal type is not set: set TERM (e.g. export "
					"TERM=xterm-256color)"));
	switch (tty_terminfo_cursor()) {
	case 1:
		return 0;
	case 0:
		return mq_fail(cause,
			       _("the terminal type '%s' cannot move the cursor, and the console "
				 "needs a full-screen terminal: use a terminal such as xterm, tmux "
				 "or screen (check TERM)"),
			       term);
	default:
		return mq_fail(cause, _("cannot use the terminal type '%s' (check TERM)"), term);
	}
}

int tty_init(bool color, char **cause)
{
	const char *no_color = getenv("NO_COLOR");
	size_t i;

	if (tty_check(cause) != 0)
		return -1;
	if (!tty_registered) {
		atexit(tty_done);
		mq_set_fatal_hook(tty_done);
		tty_registered = true;
	}
	/* newterm() rather than initscr(): an unknown TERM is an error to report. */
	tty_screen = newterm(NULL, stdout, stdin);
	if (tty_screen == NULL) {
		const char *term = getenv("TERM");

		return mq_fail(cause, _("cannot use the terminal type '%s' (check TERM)"),
			       term != NULL ? term : "");
	}
	set_term(tty_screen);
	tty_active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	nodelay(stdscr, TRUE);
	set_escdelay(100);
	curs_set(0);
	tty_paste_init();

	tty_color = color && (no_color == NULL || *no_color == '\0') && has_colors();
	if (tty_color && start_color() == OK) {
		use_default_colors();
		for (i = 1; i < MQ_NITEMS(tty_roles); i++)
			init_pair((short)i, tty_roles[i].fg, tty_roles[i].bg);
		/* A real orange where the terminal has 256 colours. */
		if (COLORS >= 256)
			init_pair((short)TTY_WARN_ORANGE, 208, -1);
	} else
		tty_color = false;
	return 0;
}

int tty_attr(enum tty_role role)
{
	if (role == TTY_NORMAL)
		return A_NORMAL;
	if (!tty_color)
		return tty_roles[role].mono_attr;
	return (int)COLOR_PAIR(role) | tty_roles[role].attr;
}

void tty_put(int y, int x, int cols, int align, enum tty_role role, const char *s)
{
	char *fitted;

	if (y < 0 || y >= LINES || x >= COLS || cols <= 0)
		return;
	if (x < 0) {
		cols += x;
		x = 0;
	}
	if (x + cols > COLS)
		cols = COLS - x;
	if (cols <= 0)
		return;
	fitted = mq_strpad(s != NULL ? s : "", cols, align);
	attrset(tty_attr(role));
	/* The last cell of the screen returns ERR but is drawn: ignore it. */
	mvaddstr(y, x, fitted);
	attrset(A_NORMAL);
	free(fitted);
}

void tty_putf(int y, int x, int cols, int align, enum tty_role role, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	tty_put(y, x, cols, align, role, s);
	free(s);
}

void tty_box(int y, int x, int h, int w, enum tty_role role)
{
	int row;

	if (h < 2 || w < 2)
		return;
	for (row = y; row < y + h; row++)
		tty_put(row, x, w, -1, role, "");
	attrset(tty_attr(role));
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
}

bool tty_key_is_word_left(key_code key)
{
	static int code = -2;

	if (code == -2)
		code = tty_active ? tty_terminfo_key("kLFT5") : -1;
	return code > 0 && key == KEYC_F(code);
}

bool tty_key_is_word_right(key_code key)
{
	static int code = -2;

	if (code == -2)
		code = tty_active ? tty_terminfo_key("kRIT5") : -1;
	return code > 0 && key == KEYC_F(code);
}

/*
 * Keys ready to be handed out: what one byte completed (a character, or
 * U+FFFD for bytes that cannot make one, then what followed) or a function
 * key that arrived while a character was unfinished.
 */
static key_code tty_queue[5];
static size_t tty_queued, tty_queue_head;
static struct mq_utf8_stream tty_utf8;
static long long tty_utf8_since_ms; /* when the pending bytes began to wait */

static long long tty_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void tty_queue_chars(const wchar_t *wc, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tty_queue[tty_queued++] = (key_code)wc[i];
}

static key_code tty_queue_pop(void)
{
	key_code key = tty_queue[tty_queue_head++];

	if (tty_queue_head == tty_queued)
		tty_queue_head = tty_queued = 0;
	return key;
}

/* An ncurses function key as ours (the paste's brackets have codes of their own). */
static key_code tty_function_key(int code)
{
	if (code == tty_paste_begin_code)
		return KEYC_PASTE_BEGIN;
	if (code == tty_paste_end_code)
		return KEYC_PASTE_END;
	return KEYC_F(code);
}

/*
 * Bytes one at a time (wgetch), assembled into characters here, rather than
 * get_wch(): in no-delay mode ncurses gives up on a character whose bytes
 * are split across two reads and drops them (an SSH packet or an input
 * method cut 小 between its bytes, and it vanished). Here bytes of an
 * unfinished character wait, without limit while more come and up to
 * TTY_UTF8_WAIT_MS after the last byte; then they are shown as U+FFFD,
 * never dropped.
 */
key_code tty_read_key(void)
{
	wchar_t wc[4];
	size_t n;
	int r;

	if (!tty_active)
		return 0;
	for (;;) {
		if (tty_queued > 0)
			return tty_queue_pop();
		r = getch();
		if (r == ERR) {
			if (tty_utf8.n == 0 ||
			    tty_monotonic_ms() - tty_utf8_since_ms < TTY_UTF8_WAIT_MS)
				return 0;
			tty_queue_chars(wc, mq_utf8_stream_flush(&tty_utf8, wc));
			continue;
		}
		if (r >= KEY_MIN) {
			/* A function key ends an unfinished character. */
			tty_queue_chars(wc, mq_utf8_stream_flush(&tty_utf8, wc));
			tty_queue[tty_queued++] = tty_function_key(r);
			continue;
		}
		if (r == 0)
			continue; /* NUL (Ctrl-Space): nothing to do with it */
		n = mq_utf8_stream_feed(&tty_utf8, (unsigned char)r, wc);
		if (n == 0 && tty_utf8.n == 1)
			tty_utf8_since_ms = tty_monotonic_ms();
		tty_queue_chars(wc, n);
	}
}
