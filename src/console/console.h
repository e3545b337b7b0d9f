/*
 * The console's internal interfaces: the terminal module (tty.c), the
 * console itself with its stack of screens and its input loop (console.c),
 * the help overlay (help.c), and the screens, each a descriptor struct in a
 * file of its own (screen-*.c), as tmux does with its modes.
 *
 * A screen is drawn from data it loaded when it was opened (or refreshed):
 * draw() never talks to the database, so a redraw every second for the clock
 * costs nothing and a lost connection never blocks the screen.
 */
#ifndef MQ_CONSOLE_H
#define MQ_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "mq/config.h"
#include "mq/db.h"

/* --- tty.c: everything that touches the terminal settings -------------------- */

/* How a piece of the screen looks; colours or, when monochrome, attributes. */
enum tty_role {
	TTY_NORMAL,
	TTY_TITLE,    /* the title bar */
	TTY_STATUS,   /* the status line */
	TTY_SELECTED, /* the selected menu item */
	TTY_BANNER,   /* the connection banner */
	TTY_ERROR,    /* an error in the message line */
	TTY_HEADING,  /* a heading inside a screen */
	TTY_HINT,     /* key hints, disabled items */
	TTY_BOX,      /* an overlay (help) */
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
/* Draw a box (border and blank inside) of h rows and w columns at (y, x). */
void tty_box(int y, int x, int h, int w, enum tty_role role);

/*
 * Keys: a character is its code point; a function key is KEYC_FUNCTION with
 * the ncurses KEY_* code (KEYC_FUNCTION | KEY_DOWN), as tmux's KEYC_ flags.
 */
typedef uint32_t key_code;
#define KEYC_FUNCTION 0x40000000u
#define KEYC_F(k)     (KEYC_FUNCTION | (key_code)(k))
#define KEYC_ESCAPE   ((key_code)27)
#define KEYC_CTRL(c)  ((key_code)((c)&0x1f))

/* The next key without waiting: 0 when none is buffered. */
key_code tty_read_key(void);

/* --- screens ------------------------------------------------------------------------ */

struct console;
struct screen_inst;

/* What a key handler did with a key (htop's HandlerResult). */
enum key_result {
	SCREEN_IGNORED, /* not this screen's key: the console's own keys apply */
	SCREEN_HANDLED,
	SCREEN_BACK, /* close this screen */
	SCREEN_QUIT,
};

/* One line of the help overlay: keys and what they do (English msgids). */
struct key_help {
	const char *keys;
	const char *help;
};

struct screen {
	const char *name;
	/* Load what the screen shows; errors go to the message line. Optional. */
	void (*init)(struct console *c, struct screen_inst *s);
	/* Free s->data. Optional. */
	void (*free)(struct screen_inst *s);
	/* Draw the body: rows top .. top + height - 1, all COLS columns. */
	void (*draw)(struct console *c, struct screen_inst *s, int top, int height);
	enum key_result (*key)(struct console *c, struct screen_inst *s, key_code key);
	/* The keys of this screen for the help overlay, {NULL, NULL}-terminated. */
	const struct key_help *keys;
	/* The key hint shown when the message line is empty (English msgid). */
	const char *hint;
};

/* An open screen on the stack. */
struct screen_inst {
	const struct screen *screen;
	char *title;     /* translated, owned */
	const void *arg; /* what to show: a menu, a menu item; not owned */
	void *data;      /* the screen's own state, freed by screen->free */
	int selected;    /* cursor of list-like screens */
};

/* --- console.c --------------------------------------------------------------------- */

/* Duties as bits, for the menus. */
enum {
	DUTY_OFFICER = 1 << 0,
	DUTY_HANDLER = 1 << 1,
	DUTY_SUPERVISOR = 1 << 2,
	DUTY_ADMIN = 1 << 3,
	DUTY_KIOSK = 1 << 4,
};
#define DUTY_STAFF (DUTY_OFFICER | DUTY_HANDLER | DUTY_SUPERVISOR | DUTY_ADMIN)

enum conn_state {
	CONN_OK,
	CONN_LOST,      /* waiting for the next attempt */
	CONN_RESETTING, /* PQresetStart() done, PQresetPoll() in progress */
};

#define CONSOLE_MAX_DEPTH    16
#define CONSOLE_RESET_PERIOD 5 /* seconds between attempts to reconnect */

struct console {
	struct mq_config *cfg;
	struct mq_db *db;
	struct mq_identity id; /* as read at start; the caller's */
	unsigned duty;         /* DUTY_* bit of id.duty */

	enum conn_state conn;
	time_t reset_at; /* start of the last attempt to reconnect */
	int reset_poll;  /* PostgresPollingStatusType of the attempt */

	char *message; /* message line, owned; cleared by the next key */
	bool message_error;

	struct screen_inst *stack[CONSOLE_MAX_DEPTH];
	int depth;

	bool help_shown;
	bool quit;
	bool redraw_all; /* clear the terminal before the next draw */
};

/* The screen layout: title, banner, body, message line, status line. */
#define CONSOLE_MIN_COLS 80
#define CONSOLE_MIN_ROWS 24
#define CONSOLE_BODY_TOP 2

/*
 * Run the console until the person quits or a signal arrives. The database
 * connection and identity are checked by the caller. Returns the exit code
 * (0, or 128 + signal).
 */
int console_run(struct mq_config *cfg, struct mq_db *db, struct mq_identity *id);

/* Open a screen on top of the stack; title is copied. */
void console_push(struct console *c, const struct screen *screen, const char *title,
		  const void *arg);
void console_pop(struct console *c);

/* Put a message in the message line until the next key. */
void console_message(struct console *c, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Show a database error in the message line and notice a lost connection. */
void console_db_error(struct console *c, const struct mq_db_error *err);
/* The same for a "cause" string from the mq_db_* helpers. */
void console_db_cause(struct console *c, const char *cause);

/* Translated name of a duty ("officer" -> 信息员). */
const char *console_duty_name(const char *duty);
unsigned console_duty_bit(const char *duty);

/* help.c: the overlay listing the keys of the current screen. */
void help_draw(struct console *c, const struct screen_inst *s);

/* The screens. */
extern const struct screen screen_main_menu;
extern const struct screen screen_module_menu;
extern const struct screen screen_overview;
extern const struct screen screen_about;
extern const struct screen screen_pending;

/* The keys every menu understands, for help.c. */
extern const struct key_help menu_keys[];

#endif
