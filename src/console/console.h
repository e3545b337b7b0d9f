/*
 * The console itself (console.c): its stack of screens, the input loop, the
 * connection it keeps and the status line; the help overlay (help.c) and
 * the database errors in the person's language (errtext.c). The other
 * modules have headers of their own: the terminal (tty.h), screens
 * (screen.h), key tables and bindings (keytab.h, keys.h), the picker
 * (pick.h), the form screen (form-screen.h), the list widget (list.h), the
 * list engine's pieces (screen-view.h), the input line (prompt.h), the case
 * vocabulary (vocab.h) and notifications (hints.h).
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
#include "mq/db-report.h"
#include "mq/db.h"
#include "mq/form.h"
#include "mq/view.h"

#include "keytab.h" /* key_code, the key tables */
#include "pace.h"   /* how often others' changes are read again */
#include "screen.h"
#include "tty.h"

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
#define CONSOLE_PASTE_MS      2000 /* a paste not closed after this long is over */
#define CONSOLE_LOCK_TIMEOUT  "5s" /* lock_timeout of the console's session */

struct console {
	struct mq_config *cfg;
	struct mq_db *db;
	/* where the report views read (a hot standby, or db); owned, made by console_run() */
	struct mq_report *report;
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
	int help_scroll; /* the help's first row shown; help_max: the most it scrolls (help.c) */
	int help_max;
	bool quit;
	bool redraw_all; /* clear the terminal before the next draw */

	FILE *timing;           /* --debug-timing FILE: one line per query; NULL when off */
	bool english;           /* ui.language is English (forms pick their texts by it) */
	bool ascii_charts;      /* charts in ASCII (ui.charts; the font lacks ▁▂▃ blocks) */
	const char *lang;       /* "en" or "zh_CN", for mq_form_*() texts */
	struct mq_form **forms; /* loaded at start from forms.dir; owned by main() */
	size_t nforms;
	struct mq_view **views; /* the view files of forms.dir; owned by main() */
	struct keytab *
		*view_tabs; /* the key table of each view (view_keytab_new); owned by main() */
	size_t nviews;

	struct keybinds keybinds; /* keys.<action> of the configuration (keys.c) */

	char *alert;          /* in the status line: a warning, new cases; owned */
	time_t alert_at;      /* shown for CONSOLE_ALERT_SECONDS */
	int pending;          /* rows in the person's inbox; -1 unknown */
	bool pending_stale;   /* a notification came: count again ... */
	time_t pending_next;  /* ... no sooner than this (0: at once) */
	bool relay_due;       /* the person changed something: relay the case news now */
	long long changed_ms; /* when the person last changed something (console_now_ms()) */
	time_t relay_next;    /* relay others' case news no sooner (0: never relayed) */

	/*
	 * minqing.my_news(): the warnings raised since news_after, read again
	 * after notifications (news_stale), at most every CONSOLE_NEWS_PACE_MS; not
	 * asked until the next connection when the database has none.
	 */
	bool news_known;      /* news_after holds a baseline (else: ask with NULL) */
	long long news_after; /* last_event of the previous call */
	bool news_stale;
	bool news_missing;
	long long news_at_ms; /* when it was last read (monotonic) */
	/*
	 * minqing.my_urges(): the urges on the person's own cases since
	 * urge_after, read with the news (a handler hears of an urge live).
	 */
	bool urge_known;      /* urge_after holds a baseline (else: ask with NULL) */
	long long urge_after; /* last_event of the previous call */
	bool urge_missing;    /* the database has no my_urges(): not asked again */

	/*
	 * A paste between the terminal's brackets (tty.h): its characters are
	 * text for the input that has the focus, never keys.
	 */
	bool pasting;
	bool paste_cr;         /* the last pasted character was '\r' (of "\r\n") */
	size_t paste_nowhere;  /* characters with no input to take them */
	long long paste_at_ms; /* the last pasted character came (monotonic) */
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
	const struct screen *root; /* the screen at the bottom of the stack (the main menu) */
	size_t nviews;
	FILE *timing; /* --debug-timing: the log of query times, or NULL */
};
int console_run(struct mq_config *cfg, struct mq_db *db, struct mq_identity *id,
		const struct console_opts *opts);
/* Beep when ui.bell is on (a warning, something new in the inbox). */
void console_alert(struct console *c);
/* Milliseconds of the monotonic clock: for delays measured inside the console. */
long long console_now_ms(void);
/*
 * The person changed something (a form was submitted): the inbox count of
 * the status line is read again, without waiting for the notification.
 */
void console_changed(struct console *c);
/* The person reloaded a screen: others' changes heard of are counted now too. */
void console_reloaded(struct console *c);

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

/*
 * console_query() for a report (a view with source = "report"): through
 * the reports' connection (mq/db-report.h: a hot standby, or the main
 * connection when none is set or it cannot be reached, which the message
 * line then says once). Same ownership; a lost main connection is noticed.
 */
PGresult *console_report_query(struct console *c, const char *name, struct mq_db_error *err,
			       const char *sql, int nparams, const char *const *params);

/* --- report.c: how current a report is ------------------------------------------------- */

/* minqing.report_as_of() as a report screen read it (its heading: 数据截至, 延迟). */
struct console_as_of {
	bool read;     /* minqing.report_as_of() answered */
	bool known;    /* and the time is known (a standby's lag may not be) */
	time_t at;     /* the figures are as of then */
	long long lag; /* seconds behind the primary */
	bool standby;  /* read on a hot standby */
};
/* Lag shown in the heading from this many seconds on (a standby is never quite current). */
#define CONSOLE_LAG_SHOWN 5
/* Is it a standby's that lags more than CONSOLE_LAG_SHOWN, or by an unknown time? */
bool console_as_of_lags(const struct console_as_of *a);
/* Read it through the reports' connection, before the report's own rows. */
void console_as_of_read(struct console *c, struct console_as_of *a);
/*
 * Its heading: "数据截至 14:03:07" (with the date when not today), then
 * "   延迟 12 秒" on a lagging standby; "数据截至 不明…" when a standby cannot
 * tell; "" when it was not read. Caller frees.
 */
char *console_as_of_text(const struct console_as_of *a);

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

/*
 * errtext.c: a database error in the person's language (caller frees): a
 * sentence for its SQLSTATE, then for the functions' refusals what the
 * function said, in the person's words (servertext_translate()); in English
 * the server's words where no template matches; the server's own messages
 * (22001, 53400, 55P03, 57014) never. An unknown SQLSTATE as
 * mq_db_error_text().
 */
char *console_error_text(const struct mq_db_error *err);
/*
 * servertext.c: a function's refusal (the server's message) in the person's
 * language, parameters included (a status, an action, a kind of unit in
 * words); NULL when the message is none of the functions' templates or a
 * parameter could only be shown in English. Caller frees.
 */
char *servertext_translate(const char *message);
/*
 * The i-th template (an English msgid, %s per parameter) and the kinds of its
 * parameters (servertext.c), NULL past the last: for the tests.
 */
const char *servertext_template(size_t i, const char **kinds);

/* help.c: the overlay listing the keys of the current screen. */
void help_draw(struct console *c, const struct screen_inst *s);
/*
 * A key while the help is shown: true when it scrolled a help longer than
 * its box (↓ ↑ PgDn PgUp: it stays open), false when it closes the help.
 */
bool help_key(struct console *c, key_code key);

#endif
