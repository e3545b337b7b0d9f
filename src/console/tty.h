/*
 * The terminal (tty.c, tty-keys.c): everything that touches the terminal
 * settings, drawing primitives that fit text by display columns, and keys.
 */
#ifndef MQ_CONSOLE_TTY_H
#define MQ_CONSOLE_TTY_H

#include <stdbool.h>

#include "keytab.h" /* key_code */

/* --- tty.c: everything that touches the terminal settings -------------------- */

/* How a piece of the screen looks; colours or, when monochrome, attributes. */
enum tty_role {
	TTY_NORMAL,
	TTY_TITLE,       /* the title bar */
	TTY_STATUS,      /* the status line */
	TTY_SELECTED,    /* the selected menu item */
	TTY_BANNER,      /* the connection banner */
	TTY_ERROR,       /* an error in the message line */
	TTY_HEADING,     /* a heading inside a screen */
	TTY_HINT,        /* key hints, disabled items */
	TTY_BOX,         /* an overlay (help) */
	TTY_INPUT,       /* an input field */
	TTY_INPUT_FOCUS, /* the input field the cursor is in */
	TTY_WARN_YELLOW, /* a list row with a yellow warning (list.c) */
	TTY_WARN_ORANGE, /* ... orange */
	TTY_WARN_RED,    /* ... red */
	TTY_CHART,       /* a chart's cells (bars, sparklines): its shape carries the value */
};

/*
 * Set up the terminal (newterm, cbreak, noecho, keypad, nonl, no cursor,
 * colours unless !color). Returns -1 with *cause (caller frees) when the
 * terminal type is unknown. tty_done() is registered with atexit() and as the
 * fatal() hook, so every exit restores the terminal.
 */
int tty_init(bool color, char **cause);
/* Restore the terminal. Idempotent; never call it from a signal handler. */
void tty_done(void);
/*
 * Can the console run on this terminal? 0, or -1 with *cause (caller frees)
 * when TERM is unknown or cannot address the cursor (TERM=dumb, a terminfo
 * entry without cup): drawing there would make an unusable screen. Touches
 * nothing; tty_init() checks it again.
 */
int tty_check(char **cause);

/*
 * Catch SIGTERM, SIGHUP, SIGINT and SIGQUIT: the handler only records the
 * signal; the input loop sees it with tty_signal_pending() and exits cleanly.
 */
void tty_catch_signals(void);
int tty_signal_pending(void);

int tty_attr(enum tty_role role);
/*
 * Print s at (y, x) fitted to exactly cols columns (cut at a character with
 * "…" or padded; align as for mq_strpad), in the look of role. Parts outside
 * the screen are not drawn.
 */
void tty_put(int y, int x, int cols, int align, enum tty_role role, const char *s);
/* A formatted tty_put(). */
void tty_putf(int y, int x, int cols, int align, enum tty_role role, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/*
 * Show the terminal cursor at (y, x) after this draw (the field being
 * edited); without a call in a draw, the cursor stays hidden.
 */
void tty_cursor_at(int y, int x);
/* Apply the cursor of this draw (console.c, just before refresh()). */
void tty_cursor_apply(void);

/* Draw a box (border and blank inside) of h rows and w columns at (y, x). */
void tty_box(int y, int x, int h, int w, enum tty_role role);

/*
 * The next key without waiting: 0 when none is buffered. Characters are
 * assembled from their UTF-8 bytes however the reads cut them; bytes of an
 * unfinished character wait for the rest up to TTY_UTF8_WAIT_MS after the
 * last one and then come as U+FFFD (call again at least that often). A paste
 * comes between KEYC_PASTE_BEGIN and KEYC_PASTE_END.
 */
#define TTY_UTF8_WAIT_MS 1000
key_code tty_read_key(void);

/*
 * tty-keys.c: the key code ncurses gives the key terminfo names capname
 * (e.g. "kLFT5", Ctrl-Left), or -1. Apart because <term.h> defines macros
 * (key_help among them) that clash with this header.
 */
int tty_terminfo_key(const char *capname);
/* tty-keys.c: 1 when TERM can address the cursor (cup), 0 when not, -1 unknown. */
int tty_terminfo_cursor(void);
/* tty-keys.c: terminfo's string capname of this terminal (an extended one too), or NULL. */
const char *tty_terminfo_string(const char *capname);

/* Ctrl-Left / Ctrl-Right as this terminal sends them (from terminfo). */
bool tty_key_is_word_left(key_code key);
bool tty_key_is_word_right(key_code key);

#endif
