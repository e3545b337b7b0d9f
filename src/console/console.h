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
#include <stdio.h>
#include <time.h>

#include <libpq-fe.h>

#include "mq/config.h"
#include "mq/db.h"
#include "mq/form.h"
#include "mq/view.h"

#include "keytab.h" /* key_code, the key tables */

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

/*
 * One line of the help overlay: keys and what they do (English msgids).
 * Only for the screens that still take raw keys (.key; the lists); a screen
 * with a key table has its help generated from it.
 */
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
	/*
	 * The screen's actions (keytab.h): the console looks the key up in the
	 * table of the focused input (input()), then in this one, and calls
	 * action() with the entry's id (KEYTAB_TEXT with the character typed,
	 * from a text table). The hint line and the help are made from it.
	 * NULL for a screen that takes raw keys in key() (the lists, the
	 * picker: .keys and .hint are theirs). A screen_inst may carry a table
	 * built at run time instead (s->keytab).
	 */
	const struct keytab *keytab;
	/* The table of the input that has the focus now, or NULL. Optional. */
	const struct keytab *(*input)(struct console *c, struct screen_inst *s);
	/* Run action (an id of the screen's tables); SCREEN_IGNORED lets the next table try. */
	enum key_result (*action)(struct console *c, struct screen_inst *s, int action,
				  key_code key);
	/* Raw keys, for a screen without a keytab. */
	enum key_result (*key)(struct console *c, struct screen_inst *s, key_code key);
	/*
	 * A notification arrived (LISTEN) while this screen is on top: channel
	 * and payload as the server sent them, from anyone: a hint to read
	 * again (hint_case_id()), never data to show. Optional; may query, but
	 * should leave the reading to tick() (a burst of notifications is one
	 * reload).
	 */
	void (*notify)(struct console *c, struct screen_inst *s, const char *channel,
		       const char *payload);
	/*
	 * Called by the input loop for the top screen before every draw (at
	 * least once a second): unlike draw() it may query, e.g. to refresh a
	 * list a notification made stale, at most once a second. Optional.
	 */
	void (*tick)(struct console *c, struct screen_inst *s);
	/* Without a keytab: the keys for the help overlay, {NULL, NULL}-terminated. */
	const struct key_help *keys;
	/* Without a keytab: the key hint shown when the message line is empty (msgid). */
	const char *hint;
};

/* An open screen on the stack. */
struct screen_inst {
	const struct screen *screen;
	char *title;     /* translated, owned */
	const void *arg; /* what to show: a menu, a menu item; not owned */
	void *data;      /* the screen's own state, freed by screen->free */
	/*
	 * The key table of this instance when it is built at run time (a list
	 * screen of a view file), used instead of screen->keytab; not owned (the
	 * screen frees it, after keys_register()ing it at start).
	 */
	const struct keytab *keytab;
	int selected; /* cursor of list-like screens */
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
	CONN_RESETTING, /* mq_db_reset_start() done, mq_db_reset_poll() in progress */
};

#define CONSOLE_MAX_DEPTH     16
#define CONSOLE_RESET_PERIOD  5    /* seconds between attempts to reconnect */
#define CONSOLE_ALERT_SECONDS 60   /* an alert stays in the status line this long */
#define CONSOLE_TICK_MS       250  /* the input loop wakes at least this often (screen ticks) */
#define CONSOLE_NEWS_MS       300  /* the news and a case are read again at most this often */
#define CONSOLE_LOCK_TIMEOUT  "5s" /* lock_timeout of the console's session */

struct console {
	struct mq_config *cfg;
	struct mq_db *db;
	struct mq_identity id; /* as read at start; the caller's */
	unsigned duty;         /* DUTY_* bit of id.duty */

	enum conn_state conn;
	time_t reset_at; /* start of the last attempt to reconnect */
	int reset_poll;  /* enum mq_db_poll: what the attempt waits for */

	char *message; /* message line, owned; cleared by the next key */
	bool message_error;

	struct screen_inst *stack[CONSOLE_MAX_DEPTH];
	int depth;

	bool help_shown;
	bool quit;
	bool redraw_all; /* clear the terminal before the next draw */

	FILE *timing;           /* --debug-timing FILE: one line per query; NULL when off */
	bool english;           /* ui.language is English (forms pick their texts by it) */
	const char *lang;       /* "en" or "zh_CN", for mq_form_*() texts */
	struct mq_form **forms; /* loaded at start from forms.dir; owned by main() */
	size_t nforms;
	struct mq_view **views; /* the view files of forms.dir; owned by main() */
	struct keytab *
		*view_tabs; /* the key table of each view (view_keytab_new); owned by main() */
	size_t nviews;

	struct keybinds keybinds; /* keys.<action> of the configuration (keys.c) */

	char *alert;        /* in the status line: a warning, new cases; owned */
	time_t alert_at;    /* shown for CONSOLE_ALERT_SECONDS */
	int pending;        /* rows in the person's inbox; -1 unknown */
	bool pending_stale; /* a notification came: count again (at most once a second) */
	time_t pending_at;  /* when it was counted */

	/*
	 * minqing.my_news(): the warnings raised since news_after, read again
	 * after notifications (news_stale), at most every CONSOLE_NEWS_MS; not
	 * asked until the next connection when the database has none.
	 */
	bool news_known;      /* news_after holds a baseline (else: ask with NULL) */
	long long news_after; /* last_event of the previous call */
	bool news_stale;
	bool news_missing;
	long long news_at_ms; /* when it was last read (monotonic) */
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
struct console_opts {
	struct mq_form **forms; /* the forms of forms.dir; the caller frees them after */
	size_t nforms;
	struct mq_view **views;    /* the views of forms.dir; the caller frees them after */
	struct keytab **view_tabs; /* their key tables, registered (keys_register()) */
	size_t nviews;
	FILE *timing; /* --debug-timing: the log of query times, or NULL */
};
int console_run(struct mq_config *cfg, struct mq_db *db, struct mq_identity *id,
		const struct console_opts *opts);
/* Beep when ui.bell is on (a warning, something new in the inbox). */
void console_alert(struct console *c);

/* Open a screen on top of the stack; title is copied. */
void console_push(struct console *c, const struct screen *screen, const char *title,
		  const void *arg);
void console_pop(struct console *c);

/*
 * Run one query for a screen: mq_db_query() (same ownership: the caller
 * PQclear()s the result, or calls mq_db_error_clear() on err), and with
 * --debug-timing one line in the log: "<ms>\t<rows>\t<name>", the
 * round trip on the console's connection. name is a short label such as
 * "inbox.page" that tests/bench greps for. A lost connection is noticed.
 */
PGresult *console_query(struct console *c, const char *name, struct mq_db_error *err,
			const char *sql, int nparams, const char *const *params);

/* Put a message in the message line until the next key. */
void console_message(struct console *c, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Show a database error in the message line (console_error_text() when it is
 * not the connection that was lost) and notice a lost connection.
 */
void console_db_error(struct console *c, const struct mq_db_error *err);
/* The same for a "cause" string from the mq_db_* helpers. */
void console_db_cause(struct console *c, const char *cause);

/* Translated name of a duty ("officer" -> 信息员). */
const char *console_duty_name(const char *duty);
unsigned console_duty_bit(const char *duty);

/* --- pick.c: choose one item of a list (options, lookups) ----------------------------- */

enum pick_source {
	PICK_STATIC,    /* the items given */
	PICK_CATEGORY,  /* the category tree of the person's district (value: id) */
	PICK_UNIT,      /* district, towns and villages (value: unit code) */
	PICK_STAFF,     /* handlers (value: login), those of unit `context` first */
	PICK_RESIDENT,  /* residents found by name, phone or household number (value: id) */
	PICK_HOUSEHOLD, /* households found by number, head, address, phone (value: id) */
};

struct pick_item {
	char *value;
	char *label;
	char *detail; /* NULL: none */
	int depth;    /* indentation in a tree */
};

struct pick_args {
	enum pick_source source;
	const struct pick_item *items; /* PICK_STATIC: copied at open */
	size_t nitems;
	const char *current; /* the value to start on, or NULL; read at open only */
	char *context;       /* PICK_STAFF: a unit code to list first; copied at open */
	/* The person chose: value and label are valid during the call only. */
	void (*chosen)(struct console *c, void *arg, const char *value, const char *label);
	void *arg;
};

/* Open the picker over the current screen; it closes itself. */
void pick_open(struct console *c, const char *title, const struct pick_args *args);
void pick_items_free(struct pick_item *items, size_t n);

/* --- screen-form.c: a form of forms/, filled in and submitted ------------------------- */

/* A value to put in a field when the form opens (shown: its label, or NULL). */
struct form_preset {
	const char *name;
	const char *value;
	const char *shown;
};

/* What the form's fields hold at submit time, for a pre-check. */
struct form_values_view {
	const struct mq_form *form;
	const char *const *values; /* per field; NULL or "" = not given */
	size_t n;
};
/* The value of the field called name, or NULL when not given. */
const char *form_value(const struct form_values_view *fv, const char *name);

struct form_args {
	const struct mq_form *form; /* set by form_open() */
	/* What the form's context entries may use: case_id, row_version, extension_id. */
	struct mq_form_context_values context;
	bool check_version; /* submit after minqing.case_expect_version(case_id, row_version) */
	const struct form_preset *preset; /* {NULL}-terminated; read at open only */
	/*
	 * Before submitting, once: a warning the person must read (returned,
	 * caller of the hook frees), after which F2 submits; NULL to go on.
	 */
	char *(*precheck)(struct console *c, void *arg, const struct form_values_view *fv);
	/* After a conflict (40001): reload, return the new row version or -1. */
	int (*reload)(struct console *c, void *arg);
	/*
	 * Submitted: the form has closed itself; res is the function's result
	 * (valid during the call only). The opener may open a screen here.
	 */
	void (*done)(struct console *c, void *arg, PGresult *res);
	void *arg; /* for the callbacks; must outlive the form (the opener's state) */
};

/* Open the form forms/<name>.form; false (with a message) when it is missing. */
bool form_open(struct console *c, const char *name, const struct form_args *args);

/*
 * errtext.c: a database error in the person's language (caller frees): a
 * sentence for its SQLSTATE, then the server's own words, except where those
 * are the server's own English (22001, 53400, 55P03, 57014); an unknown
 * SQLSTATE as mq_db_error_text().
 */
char *console_error_text(const struct mq_db_error *err);

/*
 * tty-keys.c: the key code ncurses gives the key terminfo names capname
 * (e.g. "kLFT5", Ctrl-Left), or -1. Apart because <term.h> defines macros
 * (key_help among them) that clash with this header.
 */
int tty_terminfo_key(const char *capname);
/* tty-keys.c: 1 when TERM can address the cursor (cup), 0 when not, -1 unknown. */
int tty_terminfo_cursor(void);

/* Ctrl-Left / Ctrl-Right as this terminal sends them (from terminfo). */
bool tty_key_is_word_left(key_code key);
bool tty_key_is_word_right(key_code key);

/* --- keys.c: the global key table and the person's bindings ------------------------------ */

/* The actions of the global table (keys_global), looked up after the screen's tables. */
enum {
	KEY_GLOBAL_BACK = 1000,
	KEY_GLOBAL_CLOSE, /* q: back; in the main menu, quit */
	KEY_GLOBAL_QUIT,
	KEY_GLOBAL_HELP,
	KEY_GLOBAL_REDRAW,
};
extern const struct keytab keys_global;

/*
 * A table built at run time (a list screen's, from its view file): known to
 * the checks and to --keys. Call before keys_check()/console_run(); t must
 * outlive the console.
 */
void keys_register(const struct keytab *t);
/* The tables of the screens (static ones, then registered ones): how many, at most max. */
size_t keys_tables(const struct keytab **tabs, size_t max);
/* The bindings of a configuration: 0, or -1 with *cause (caller frees); keybinds_free(). */
int keys_bindings(const struct mq_config *cfg, struct keybinds *kb, char **cause);
/* Check the bindings of a configuration against every table (at start): 0 or -1, *cause. */
int keys_check(const struct mq_config *cfg, char **cause);
/* Read and check the bindings of c->cfg into c->keybinds: 0, or -1 with *cause. */
int keys_init(struct console *c, char **cause);
/* minqing --keys: every bindable action, its default keys, where it applies. */
int keys_print(const struct mq_config *cfg, FILE *f, char **cause);
/* The key table of an open screen (its own, or the screen's), or NULL. */
const struct keytab *keys_screen_table(const struct screen_inst *s);

/* help.c: the overlay listing the keys of the current screen. */
void help_draw(struct console *c, const struct screen_inst *s);

/* The screens. */
extern const struct screen screen_main_menu;
extern const struct screen screen_module_menu;
extern const struct screen screen_overview;
extern const struct screen screen_about;
extern const struct screen screen_pending;
extern const struct screen screen_pick;
extern const struct screen screen_form;
extern const struct screen screen_case;
extern const struct screen screen_lines; /* screen-entry.c: lines of a result */
/* screen-view.c: the list engine, one screen for every view file. */
extern const struct screen screen_view;
/*
 * Open the view forms/<name>.view (title: the menu's label, or NULL for the
 * view's own); false with a message when it is not installed.
 */
bool view_open(struct console *c, const char *name, const char *title);
/*
 * The key table of a view's screen, in lang: its choices, search and forms,
 * then the list's own keys. NULL with *cause (caller frees) when two of its
 * keys clash. keytab_free() it.
 */
struct keytab *view_keytab_new(const struct mq_view *v, const char *lang, char **cause);

/* --- hints.c: notifications are hints; the news is read, not believed ---------------------- */

/*
 * The case a notification's payload names: true with *id when the payload is
 * a case id in decimal, false when it is empty or anything else (read it as
 * "several cases changed": read again whatever is shown).
 */
bool hint_case_id(const char *payload, long long *id);
/* Should a screen showing case_id read it again? Its id, or no id at all. */
bool hint_concerns_case(const char *payload, long long case_id);

/* One row of minqing.my_news(p_after_event). */
struct news {
	bool known;           /* last_event was given (not NULL) */
	long long last_event; /* the newest event: p_after_event of the next call */
	long long yellow;     /* warning events raised since p_after_event, */
	long long orange;     /* on cases the caller can see */
	long long red;
};
/* Read the row by column name: 0, or -1 when a column is missing or not a count. */
int news_read(const PGresult *res, struct news *news);
/* The highest level with a count ("red", "orange", "yellow") and *count; NULL when none. */
const char *news_level(const struct news *news, long long *count);

/* screen-case.c: open the detail of a case (the caller's RLS decides if it shows). */
void case_open(struct console *c, long long case_id);
/* screen-entry.c: case entry (the intake form) and the publication lookup. */
void entry_open(struct console *c);
void publication_open(struct console *c);

#endif
