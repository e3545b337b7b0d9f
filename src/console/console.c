/*
 * The console: a stack of screens under a title bar and over a message line
 * and a status line, and the one input loop that waits on the keyboard and
 * on the database socket together (poll), so that what the database says
 * (notifications, a dropped connection) reaches the screen without a key
 * press.
 *
 * A lost connection shows a banner and is reset without blocking the
 * screen (mq_db_reset_start/mq_db_reset_poll), one attempt at most every
 * CONSOLE_RESET_PERIOD seconds; the screens stay open meanwhile.
 *
 * Layout (80x24 at least; smaller shows a message until it is resized):
 *   row 0            title bar: 民情e站 · district          screen title
 *   row 1            connection banner, when the connection is lost
 *   rows 2 .. L-3    the body of the screen on top of the stack
 *   row L-2          message line, or the key hints of the screen
 *   row L-1          status line: name, login, duty, unit, connection, time
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <libpq-fe.h>

#include "console.h"
#include "keys.h"
#include "hints.h"
#include "vocab.h"
#include "mq/chart.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

/* --- the stack of screens ---------------------------------------------------------- */

void console_push(struct console *c, const struct screen *screen, const char *title,
		  const void *arg)
{
	struct screen_inst *s;

	if (c->depth == CONSOLE_MAX_DEPTH)
		fatal("screen stack overflow opening %s", screen->name);
	s = xcalloc(1, sizeof *s);
	s->screen = screen;
	s->title = xstrdup(title);
	s->arg = arg;
	c->stack[c->depth++] = s;
	if (screen->init != NULL)
		screen->init(c, s);
}

void console_pop(struct console *c)
{
	struct screen_inst *s;

	if (c->depth == 0)
		return;
	s = c->stack[--c->depth];
	c->stack[c->depth] = NULL;
	if (s->screen->free != NULL)
		s->screen->free(s);
	free(s->title);
	free(s);
}

void console_message(struct console *c, bool error, const char *fmt, ...)
{
	va_list ap;

	free(c->message);
	va_start(ap, fmt);
	c->message = xvasprintf(fmt, ap);
	va_end(ap);
	c->message_error = error;
}

static void console_lost(struct console *c)
{
	/* At once, unless an attempt was made in the last CONSOLE_RESET_PERIOD. */
	if (c->conn == CONN_OK)
		c->conn = CONN_LOST;
}

void console_db_error(struct console *c, const struct mq_db_error *err)
{
	/* A known SQLSTATE in the person's words (a statement timeout on a list too). */
	char *text = err->connection_lost ? mq_db_error_text(err) : console_error_text(err);

	console_message(c, true, "%s", text);
	free(text);
	if (err->connection_lost || mq_db_lost(c->db))
		console_lost(c);
}

void console_db_cause(struct console *c, const char *cause)
{
	console_message(c, true, "%s", cause);
	if (mq_db_lost(c->db))
		console_lost(c);
}

/* With --debug-timing: "<ms>\t<rows>\t<name>" for a query that started at t0. */
static void console_timing(struct console *c, const char *name, const struct timespec *t0,
			   const PGresult *res)
{
	struct timespec t1;

	if (c->timing == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(c->timing, "%.3f\t%d\t%s\n",
		(double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6,
		res != NULL ? PQntuples(res) : -1, name);
	fflush(c->timing);
}

PGresult *console_query(struct console *c, const char *name, struct mq_db_error *err,
			const char *sql, int nparams, const char *const *params)
{
	struct timespec t0;
	PGresult *res;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = mq_db_query(c->db, err, sql, nparams, params);
	console_timing(c, name, &t0, res);
	if (res == NULL && (err->connection_lost || mq_db_lost(c->db)))
		console_lost(c);
	return res;
}

PGresult *console_report_query(struct console *c, const char *name, struct mq_db_error *err,
			       const char *sql, int nparams, const char *const *params)
{
	struct timespec t0;
	struct mq_db *used = NULL;
	char *notice = NULL;
	PGresult *res;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = mq_report_query(c->report, err, sql, nparams, params, &notice, &used);
	console_timing(c, name, &t0, res);
	if (notice != NULL) {
		console_message(c, true, "%s", notice);
		free(notice);
	}
	if (res == NULL && used == c->db && (err->connection_lost || mq_db_lost(c->db)))
		console_lost(c);
	return res;
}

/* --- the connection ----------------------------------------------------------------- */

/*
 * libpq prints notices and the server's messages on a dead connection
 * ("FATAL: terminating connection ...") on stderr, which would scribble over
 * the screen: they go to the message line instead.
 */
static void console_notice(void *arg, const char *text)
{
	struct console *c = arg;
	char *copy = xstrdup(text);
	size_t n = strlen(copy);

	while (n > 0 && (copy[n - 1] == '\n' || copy[n - 1] == ' '))
		copy[--n] = '\0';
	console_message(c, false, "%s", copy);
	free(copy);
}

/*
 * The console's own session settings, said again after a reconnection (a new
 * session): a person never waits longer than CONSOLE_LOCK_TIMEOUT for a case
 * someone else holds; the action is refused with 55P03 ("try again in a
 * moment") and what was typed stays. The jobs keep the server's default.
 */
/*
 * Every time a person sees is in the district's time zone, whatever the
 * server's or this machine's: the session's TimeZone (times the database
 * formats) and the process's TZ (the clock, dates the console formats).
 * And by the server's clock (mq_now()), which the deadlines are set and
 * escalated by, whatever this terminal's clock says.
 */
static void console_time_zone(struct console *c)
{
	struct mq_db_error err = {0};
	const char *tz;
	PGresult *res;

	res = console_query(c, "session.time_zone", &err,
			    "SELECT minqing.my_time_zone() AS tz, "
			    "extract(epoch FROM clock_timestamp()) AS now",
			    0, NULL);
	if (res == NULL) {
		mq_db_error_clear(&err); /* the server's zone stays: not a reason to stop */
		return;
	}
	tz = mq_db_field(res, 0, "tz");
	if (tz != NULL && tz[0] != '\0' &&
	    mq_db_exec(c->db, &err, "SELECT set_config('TimeZone', $1, false)", 1, &tz) != 0)
		mq_db_error_clear(&err);
	mq_clock_district(tz, mq_db_field(res, 0, "now"));
	PQclear(res);
}

/*
 * The day's login is recorded for 定期登录 (handlers logging in regularly,
 * an item of the assessment: docs/assessment.md), at the start and after a
 * reconnection. A failure is not the person's business: the console goes on.
 * A kiosk is not asked: login_mark() is the staff's (a kiosk's call was
 * refused, one error in the server's log at every kiosk's start).
 */
static void console_login_mark(struct console *c)
{
	struct mq_db_error err = {0};
	const char *login = c->id.login;

	if ((c->duty & DUTY_STAFF) == 0)
		return;
	if (mq_db_exec(c->db, &err, "SELECT minqing.login_mark($1)", 1, &login) != 0)
		mq_db_error_clear(&err);
}

static void console_session(struct console *c)
{
	struct mq_db_error err = {0};

	if (mq_db_exec(c->db, &err, "SET lock_timeout = '" CONSOLE_LOCK_TIMEOUT "'", 0, NULL) !=
	    0) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
	}
	console_time_zone(c);
	console_login_mark(c);
}

/*
 * Follow the cases: every change of a case and every escalation step is
 * notified on minqing_case (delivered at commit), the case's id or nothing
 * as the payload. A LISTEN does not survive a reconnection, so it is said
 * again then.
 */
static void console_listen(struct console *c)
{
	struct mq_db_error err = {0};

	if (mq_db_listen(c->db, &err, "minqing_case") != 0) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
	}
}

/*
 * What the database announced (a warning, new cases) is shown in the
 * message line when no message is there (it never wipes out a message the
 * person is reading) until the next key or CONSOLE_ALERT_SECONDS; the
 * status line keeps who the person is. text is taken over (freed here).
 */
static void console_set_alert(struct console *c, char *text)
{
	free(c->alert);
	c->alert = text;
	c->alert_at = time(NULL);
}

/*
 * Count the person's inbox for the status line; alert when it grew. The
 * next count for others' changes is CONSOLE_PENDING_SECONDS on; after the
 * first, a share of that picked by the process id, so that consoles started
 * together do not all count in the same second.
 */
static void console_count_pending(struct console *c, time_t now)
{
	struct mq_db_error err = {0};
	PGresult *res;
	int n;

	c->pending_stale = false;
	c->pending_next = now + (c->pending < 0 ? 1 + (time_t)(getpid() % CONSOLE_PENDING_SECONDS)
						: CONSOLE_PENDING_SECONDS);
	if (c->conn != CONN_OK || (c->duty & DUTY_STAFF) == 0)
		return;
	res = console_query(c, "status.pending", &err, "SELECT minqing.inbox_count() AS n", 0,
			    NULL);
	if (res == NULL) {
		mq_db_error_clear(&err); /* the status line only: no message for it */
		return;
	}
	n = atoi(mq_db_field(res, 0, "n") != NULL ? mq_db_field(res, 0, "n") : "0");
	PQclear(res);
	if (c->pending >= 0 && n > c->pending) {
		console_set_alert(c, xasprintf(_("New in your inbox: %d case(s) waiting."), n));
		console_alert(c);
	}
	c->pending = n;
}

/*
 * The person asked for the screen again (reload): a change of others that
 * the console has heard of but not yet counted (the count waits up to
 * CONSOLE_PENDING_SECONDS) is counted now, so that the list the person
 * reads and the status line's count agree. Nothing heard, nothing counted.
 */
void console_reloaded(struct console *c)
{
	if (c->pending_stale)
		c->pending_next = 0;
}

void console_changed(struct console *c)
{
	c->pending_stale = true;
	c->pending_next = 0; /* the person's own change: now */
	c->changed_ms = console_now_ms();
	c->relay_due = true;
}

/*
 * The workflow's transactions do not notify (a NOTIFY makes every commit
 * wait for the others'): they leave the case in minqing.case_news, and
 * minqing.case_news_relay() notifies minqing_case in a transaction of its
 * own. Every console relays right after the person's own change, so the
 * others hear of it at once. A change made elsewhere (psql, an import) is
 * relayed by minqing-notify every half second, and by each console every
 * CONSOLE_RELAY_SECONDS besides (where no drainer runs); the first after a
 * share of that picked by the process id, so that the consoles of a
 * district do not all relay in the same second. Staff only (the function is
 * theirs); a failure is the next round's to retry.
 */
static void console_relay(struct console *c, time_t now)
{
	struct mq_db_error err = {0};
	PGresult *res;

	c->relay_due = false;
	c->relay_next = now + (c->relay_next == 0 ? 1 + (time_t)(getpid() % CONSOLE_RELAY_SECONDS)
						  : CONSOLE_RELAY_SECONDS);
	if (c->conn != CONN_OK || (c->duty & DUTY_STAFF) == 0)
		return;
	res = console_query(c, "status.relay", &err, "SELECT minqing.case_news_relay()", 0, NULL);
	if (res == NULL)
		mq_db_error_clear(&err);
	PQclear(res);
}

void console_alert(struct console *c)
{
	if (c->cfg->ui_bell)
		beep();
}

long long console_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The urges on the cases the person handles since the last call
 * (minqing.my_urges: row-level security and the person's own cases decide;
 * nothing of the notification is believed), announced in the message line
 * as the news are: "您有新的催办：案件 LW-… 标题". NULL the first time and
 * after a reconnection: the baseline, nothing announced.
 */
static void console_read_urges(struct console *c)
{
	struct mq_db_error err = {0};
	const char *params[1] = {NULL}, *v;
	char after[24];
	long long n;
	PGresult *res;

	if (c->urge_missing)
		return;
	if (c->urge_known) {
		snprintf(after, sizeof after, "%lld", c->urge_after);
		params[0] = after;
	}
	res = console_query(
		c, "status.urges", &err,
		"SELECT last_event, urges, case_no, title FROM minqing.my_urges($1::bigint)", 1,
		params);
	if (res == NULL) {
		if (strcmp(err.sqlstate, "42883") == 0 || strcmp(err.sqlstate, "42501") == 0)
			c->urge_missing = true; /* an older schema, or not the person's */
		mq_db_error_clear(&err);
		return;
	}
	if (PQntuples(res) != 1 || (v = mq_db_field(res, 0, "last_event")) == NULL) {
		PQclear(res);
		return;
	}
	c->urge_after = atoll(v);
	n = atoll(mq_db_field(res, 0, "urges") != NULL ? mq_db_field(res, 0, "urges") : "0");
	v = mq_db_field(res, 0, "case_no");
	if (c->urge_known && n > 0 && v != NULL && v[0] != '\0') {
		if (n == 1)
			console_set_alert(c, xasprintf(_("You have been urged: case %s %s"),
						       mq_db_field(res, 0, "case_no"),
						       mq_db_field(res, 0, "title")));
		else
			console_set_alert(
				c, xasprintf(_("You have been urged: case %s %s and %lld more"),
					     mq_db_field(res, 0, "case_no"),
					     mq_db_field(res, 0, "title"), n - 1));
		console_alert(c);
	}
	c->urge_known = true;
	PQclear(res);
}

/*
 * Read the news: minqing.my_news(p_after_event), the warnings raised on the
 * cases this person can see since the last call (NULL the first time, and
 * after a reconnection: the baseline, nothing announced). The highest level
 * raised is announced in the status line. Errors are the status line's
 * only: no message. A database without my_news() (an older schema) is not
 * asked again until the next connection.
 */
static void console_read_news(struct console *c)
{
	struct mq_db_error err = {0};
	struct news news;
	char after[24], count[24];
	const char *params[1] = {NULL};
	const char *level;
	long long n;
	PGresult *res;

	c->news_stale = false;
	c->news_at_ms = console_now_ms();
	/* A kiosk has no cases of its own to be warned about (nor the right to ask). */
	if (c->conn != CONN_OK || c->news_missing || (c->duty & DUTY_STAFF) == 0)
		return;
	if (c->news_known) {
		snprintf(after, sizeof after, "%lld", c->news_after);
		params[0] = after;
	}
	res = console_query(
		c, "status.news", &err,
		"SELECT last_event, yellow, orange, red FROM minqing.my_news($1::bigint)", 1,
		params);
	if (res == NULL) {
		if (strcmp(err.sqlstate, "42883") == 0 || strcmp(err.sqlstate, "42501") == 0)
			c->news_missing = true; /* undefined function, or not the person's */
		mq_db_error_clear(&err);
		return;
	}
	if (news_read(res, &news) != 0) {
		PQclear(res);
		return;
	}
	PQclear(res);
	if (c->news_known && (level = news_level(&news, &n)) != NULL) {
		snprintf(count, sizeof count, "%lld", n);
		console_set_alert(
			c, xasprintf(_("Warning: %s case(s) in your jurisdiction reached %s."),
				     count, vocab_warning_label(level)));
		console_alert(c);
	}
	c->news_known = news.known;
	c->news_after = news.last_event;
	console_read_urges(c);
}

/*
 * A notification: a hint that something changed, from anyone (NOTIFY needs
 * no privilege), so nothing in it is believed: the inbox count and the news
 * are read again (coalesced), and the screen on top decides what to re-read.
 */
static void console_notified(struct console *c, const char *channel, const char *payload)
{
	struct screen_inst *top = c->stack[c->depth - 1];

	if (strcmp(channel, "minqing_case") != 0)
		return;
	c->pending_stale = true;
	c->news_stale = true;
	if (top->screen->notify != NULL)
		top->screen->notify(c, top, channel, payload);
}

static void console_reconnected(struct console *c)
{
	c->conn = CONN_OK;
	c->redraw_all = true;
	console_message(c, false, "%s", _("Connected to the database again."));
	console_session(c);
	console_listen(c);
	c->pending_stale = true;
	c->pending_next = 0;
	/* A new baseline: what was raised meanwhile is in the lists, not announced. */
	c->news_known = false;
	c->news_missing = false;
	c->urge_known = false;
	c->urge_missing = false;
	c->news_stale = true;
}

/* Start an attempt to reconnect when it is time; give up a slow one. */
static void console_check_connection(struct console *c, time_t now)
{
	if (c->conn == CONN_OK) {
		if (!mq_db_lost(c->db))
			return;
		console_lost(c);
	}
	/* An attempt that failed at once (no socket) or takes too long is over. */
	if (c->conn == CONN_RESETTING && (mq_db_lost(c->db) || mq_db_socket(c->db) < 0 ||
					  now - c->reset_at > c->cfg->db_connect_timeout))
		c->conn = CONN_LOST;
	if (c->conn != CONN_LOST || now - c->reset_at < CONSOLE_RESET_PERIOD)
		return;
	c->reset_at = now;
	if (!mq_db_reset_start(c->db))
		return; /* failed at once: the next attempt in CONSOLE_RESET_PERIOD */
	c->conn = CONN_RESETTING;
	/* libpq: behave as if the poll had returned "writing". */
	c->reset_poll = MQ_DB_POLL_WRITING;
}

/* mq_db_notifications() hands each notification here. */
static void console_on_notify(void *arg, const char *channel, const char *payload)
{
	console_notified(arg, channel, payload);
}

/* The database socket is readable (or writable while reconnecting). */
static void console_db_activity(struct console *c)
{
	if (c->conn == CONN_RESETTING) {
		c->reset_poll = mq_db_reset_poll(c->db);
		if (c->reset_poll == MQ_DB_POLL_OK)
			console_reconnected(c);
		else if (c->reset_poll == MQ_DB_POLL_FAILED)
			c->conn = CONN_LOST;
		return;
	}
	if (c->conn != CONN_OK)
		return;
	if (mq_db_notifications(c->db, console_on_notify, c) < 0)
		console_lost(c);
}

/* --- drawing ------------------------------------------------------------------------- */

/* The path of titles, "基础信息 > 辖区概况"; the main menu alone shows its own. */
static char *console_breadcrumb(struct console *c)
{
	char *path, *next;
	int i;

	if (c->depth <= 1)
		return xstrdup(c->depth == 1 ? c->stack[0]->title : "");
	path = xstrdup(c->stack[1]->title);
	for (i = 2; i < c->depth; i++) {
		next = xasprintf("%s > %s", path, c->stack[i]->title);
		free(path);
		path = next;
	}
	return path;
}

static void console_draw_title(struct console *c)
{
	char *left, *right, *path;
	int lw;

	left = xasprintf(" %s · %s", _("Minqing e-Station"), c->id.district_name);
	path = console_breadcrumb(c);
	right = xasprintf("%s ", path);
	/* At most half the bar (the district's name is the database's). */
	if (left[mq_strfit(left, COLS / 2, &lw)] != '\0')
		lw = COLS / 2;
	tty_put(0, 0, lw, -1, TTY_TITLE, left);
	tty_put(0, lw, COLS - lw, 1, TTY_TITLE, right);
	free(left);
	free(right);
	free(path);
}

static void console_draw_status(struct console *c)
{
	char clock[16], *right, *left;
	time_t now = mq_now();
	struct tm tm;
	int rw;

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	if (c->pending >= 0)
		right = xasprintf("%s %d | %s | %s ", _("inbox"), c->pending,
				  c->conn == CONN_OK ? _("connected") : _("connection lost"),
				  clock);
	else
		right = xasprintf("%s | %s ",
				  c->conn == CONN_OK ? _("connected") : _("connection lost"),
				  clock);
	rw = mq_strwidth(right);
	/* Who the person is never leaves the status line (alerts are above it). */
	left = xasprintf(" %s (%s) | %s | %s", c->id.display_name, c->id.login,
			 console_duty_name(c->id.duty), c->id.unit_name);
	tty_put(LINES - 1, 0, COLS - rw, -1, TTY_STATUS, left);
	tty_put(LINES - 1, COLS - rw, rw, 1, TTY_STATUS, right);
	free(left);
	free(right);
}

/* The window is too small for the console: say so whole, broken into rows however narrow. */
static void console_draw_too_small(void)
{
	char *need, **a, **b;
	size_t na, nb, i;
	int y;

	erase();
	need = xasprintf(_("The terminal window is too small: the console needs %dx%d, "
			   "it is %dx%d now."),
			 CONSOLE_MIN_COLS, CONSOLE_MIN_ROWS, COLS, LINES);
	na = mq_wrap(need, COLS, &a);
	nb = mq_wrap(_("Enlarge the window, or press q to quit."), COLS, &b);
	y = (LINES - (int)(na + 1 + nb)) / 2;
	for (i = 0; i < na; i++)
		tty_put(y++, 0, COLS, 0, TTY_ERROR, a[i]);
	y++;
	for (i = 0; i < nb; i++)
		tty_put(y++, 0, COLS, 0, TTY_NORMAL, b[i]);
	mq_wrap_free(a, na);
	mq_wrap_free(b, nb);
	free(need);
}

static bool console_too_small(void)
{
	return COLS < CONSOLE_MIN_COLS || LINES < CONSOLE_MIN_ROWS;
}

/* For keytab_hint_offered(): the top screen's offers(). */
struct console_hint_arg {
	struct console *c;
	struct screen_inst *top;
};

static bool console_hint_offered(int id, void *arg)
{
	struct console_hint_arg *a = arg;

	return a->top->screen->offers(a->c, a->top, id);
}

/* The key hint of the screen when the message line is empty: made from its key table. */
static void console_draw_hint(struct console *c, struct screen_inst *top)
{
	const struct keytab *tab = keys_screen_table(top);
	char *hint;

	if (tab == NULL) {
		if (top->screen->hint != NULL)
			tty_putf(LINES - 2, 0, COLS, -1, TTY_HINT, " %s", _(top->screen->hint));
		return;
	}
	hint = top->screen->offers != NULL ? keytab_hint_offered(tab, &keys_global, &c->keybinds,
								 COLS - 1, console_hint_offered,
								 &(struct console_hint_arg){c, top})
					   : keytab_hint(tab, &keys_global, &c->keybinds, COLS - 1);
	tty_putf(LINES - 2, 0, COLS, -1, TTY_HINT, " %s", hint);
	free(hint);
}

static void console_draw(struct console *c)
{
	struct screen_inst *top = c->stack[c->depth - 1];

	if (c->redraw_all) {
		clearok(curscr, TRUE);
		c->redraw_all = false;
	}
	if (console_too_small()) {
		console_draw_too_small();
		refresh();
		return;
	}
	erase();
	console_draw_title(c);
	if (c->conn != CONN_OK)
		tty_put(1, 0, COLS, 0, TTY_BANNER,
			_("The connection to the database was lost; reconnecting…"));
	top->screen->draw(c, top, CONSOLE_BODY_TOP, LINES - CONSOLE_BODY_TOP - 2);
	if (c->message != NULL)
		tty_put(LINES - 2, 0, COLS, -1, c->message_error ? TTY_ERROR : TTY_NORMAL,
			c->message);
	else if (c->alert != NULL && time(NULL) - c->alert_at < CONSOLE_ALERT_SECONDS)
		tty_putf(LINES - 2, 0, COLS, -1, TTY_BANNER, " %s", c->alert);
	else
		console_draw_hint(c, top);
	console_draw_status(c);
	if (c->help_shown) {
		help_draw(c, top);
		tty_cursor_at(-1, -1);
	}
	tty_cursor_apply();
	refresh();
}

/* --- keys ------------------------------------------------------------------------------ */

/*
 * A key for a screen with a key table: the focused input's table first (a
 * text field takes its characters there), then the screen's; each answers
 * with an action, never with the raw key (keytab.h).
 */
static enum key_result console_screen_key(struct console *c, struct screen_inst *top, key_code key)
{
	const struct keytab *tab = keys_screen_table(top), *in;
	enum key_result r;
	int i;

	if (tab == NULL) {
		/*
		 * A screen that takes raw keys (the lists, until they have tables):
		 * the person's key for reload is its F5, as it always was.
		 */
		if (key == keybinds_key(&c->keybinds, "reload"))
			key = KEYC_F(KEY_F(5));
		return top->screen->key != NULL ? top->screen->key(c, top, key) : SCREEN_IGNORED;
	}
	in = top->screen->input != NULL ? top->screen->input(c, top) : NULL;
	if (in != NULL && (i = keytab_lookup(in, &c->keybinds, key)) != KEYTAB_NONE) {
		r = top->screen->action(c, top, i == KEYTAB_TEXT ? KEYTAB_TEXT : in->entries[i].id,
					key);
		if (r != SCREEN_IGNORED)
			return r;
	}
	if ((i = keytab_lookup(tab, &c->keybinds, key)) != KEYTAB_NONE) {
		r = top->screen->action(c, top, i == KEYTAB_TEXT ? KEYTAB_TEXT : tab->entries[i].id,
					key);
		if (r != SCREEN_IGNORED)
			return r;
	}
	return SCREEN_IGNORED;
}

/* The global action of key, or -1. */
static int console_global(const struct console *c, key_code key)
{
	int i = keytab_lookup(&keys_global, &c->keybinds, key);

	return i >= 0 ? keys_global.entries[i].id : -1;
}

/*
 * One character of a paste: typed into the input that has the focus as
 * text, whatever key it looks like ('q' never quits, a line break never
 * submits or changes fields): a line break reaches the input as '\n' (a
 * multi-line field breaks the line, a one-line input makes it a space), a
 * tab as a space, any other control as U+FFFD.
 */
static void console_paste_key(struct console *c, key_code key)
{
	struct screen_inst *top = c->stack[c->depth - 1];
	const struct keytab *in;

	c->paste_at_ms = console_now_ms();
	if (key == '\n' && c->paste_cr) {
		c->paste_cr = false; /* the second half of "\r\n" */
		return;
	}
	c->paste_cr = key == '\r';
	if ((key & KEYC_FUNCTION) != 0)
		return; /* not text: a sequence inside the paste the terminal read as a key */
	if (key == '\r')
		key = '\n';
	else if (key == '\t')
		key = ' ';
	else if (key < 0x20 || key == 0x7f)
		key = 0xFFFD;
	in = top->screen->input != NULL ? top->screen->input(c, top) : NULL;
	if (c->help_shown || console_too_small() || in == NULL ||
	    (in->flags & KEYTAB_TAKES_TEXT) == 0 || top->screen->action == NULL) {
		c->paste_nowhere++;
		return;
	}
	top->screen->action(c, top, KEYTAB_TEXT, key);
}

static void console_paste_end(struct console *c)
{
	c->pasting = false;
	if (c->paste_nowhere > 0)
		console_message(c, true, "%s",
				_("Nothing here takes text: move to an input field, then paste."));
}

static void console_key(struct console *c, key_code key)
{
	struct screen_inst *top = c->stack[c->depth - 1];
	enum key_result r;
	int g;

	if (key == KEYC_F(KEY_RESIZE)) {
		c->redraw_all = true;
		return;
	}
	if (key == KEYC_PASTE_BEGIN) {
		c->pasting = true;
		c->paste_cr = false;
		c->paste_nowhere = 0;
		c->paste_at_ms = console_now_ms();
		free(c->message);
		c->message = NULL;
		return;
	}
	if (key == KEYC_PASTE_END) {
		if (c->pasting)
			console_paste_end(c);
		return;
	}
	if (c->pasting) {
		console_paste_key(c, key);
		return;
	}
	/* Ctrl-Left/Right by this terminal's codes, as the tables name them. */
	if (tty_key_is_word_left(key))
		key = KEYC_WORD_LEFT;
	else if (tty_key_is_word_right(key))
		key = KEYC_WORD_RIGHT;
	g = console_global(c, key);
	if (g == KEY_GLOBAL_REDRAW) {
		c->redraw_all = true;
		return;
	}
	if (console_too_small()) {
		if (g == KEY_GLOBAL_QUIT || g == KEY_GLOBAL_CLOSE)
			c->quit = true;
		return;
	}
	if (c->help_shown) {
		c->help_shown = help_key(c, key); /* a long help scrolls; any other key closes it */
		/* Closed: the terminal repainted whole, as its box cut wide characters in two. */
		c->redraw_all |= !c->help_shown;
		return;
	}
	free(c->message);
	c->message = NULL;
	c->alert_at = 0; /* a key: the announcement was seen */

	r = console_screen_key(c, top, key);
	if (r == SCREEN_IGNORED) {
		switch (g) {
		case KEY_GLOBAL_HELP:
			c->help_shown = true;
			c->help_scroll = c->help_max = 0;
			return;
		case KEY_GLOBAL_QUIT:
			r = SCREEN_QUIT;
			break;
		case KEY_GLOBAL_CLOSE:
			r = c->depth == 1 ? SCREEN_QUIT : SCREEN_BACK;
			break;
		case KEY_GLOBAL_BACK:
			if (c->depth > 1)
				r = SCREEN_BACK;
			break;
		default:
			break;
		}
	}
	if (r == SCREEN_QUIT)
		c->quit = true;
	else if (r == SCREEN_BACK && c->depth > 1)
		console_pop(c);
}

/* Milliseconds to the next full second, so the clock ticks on time, at most CONSOLE_TICK_MS. */
static int console_timeout(void)
{
	struct timespec ts;
	int ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = 1000 - (int)(ts.tv_nsec / 1000000);
	/* and often enough for a reload a notification deferred (screen tick) */
	return ms < CONSOLE_TICK_MS ? ms : CONSOLE_TICK_MS;
}

/*
 * Over 80 lines on purpose: the set-up, the one poll() loop over the
 * keyboard and the database socket, and the tear-down in reverse order.
 */
int console_run(struct mq_config *cfg, struct mq_db *db, struct mq_identity *id,
		const struct console_opts *opts)
{
	struct console c;
	struct pollfd fds[2];
	char *cause = NULL;
	key_code key;
	int nfds, sock, rc = MQ_EXIT_OK, sig;

	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.db = db;
	c.id = *id;
	c.duty = console_duty_bit(id->duty);
	c.conn = CONN_OK;
	c.english = strcmp(cfg->ui_language, "en") == 0;
	c.ascii_charts = mq_charts_ascii(cfg->ui_charts, getenv("TERM"));
	c.lang = c.english ? "en" : "zh_CN";
	c.forms = opts->forms;
	c.nforms = opts->nforms;
	c.views = opts->views;
	c.view_tabs = opts->view_tabs;
	c.nviews = opts->nviews;
	c.timing = opts->timing;

	if (keys_init(&c, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_USAGE;
	}
	tty_catch_signals();
	if (tty_init(cfg->ui_color, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_TERMINAL;
	}
	mq_db_set_notice(db, console_notice, &c);
	/* The standby is opened by the first report read (mq_report_db()). */
	c.report = mq_report_new(cfg, db, "minqing-reports");
	mq_report_set_notice(c.report, console_notice, &c);
	c.pending = -1;
	console_session(&c);
	console_listen(&c);
	console_read_news(&c); /* after LISTEN: nothing raised from here on is missed */
	console_count_pending(&c, time(NULL));
	console_push(&c, opts->root, _("Main menu"), NULL);

	while (!c.quit) {
		if ((sig = tty_signal_pending()) != 0) {
			rc = 128 + sig;
			break;
		}
		console_check_connection(&c, time(NULL));
		/*
		 * Notifications that came in with the answers to the console's own
		 * queries wait in libpq, where poll() cannot see them: drain them
		 * every time round, as psql does after every query.
		 */
		if (c.conn == CONN_OK)
			console_db_activity(&c);
		if (c.conn == CONN_OK && (c.relay_due || time(NULL) >= c.relay_next))
			console_relay(&c, time(NULL));
		if (c.pending_stale && c.conn == CONN_OK && time(NULL) >= c.pending_next)
			console_count_pending(&c, time(NULL));
		if (c.news_stale && c.conn == CONN_OK &&
		    console_now_ms() - c.news_at_ms >= CONSOLE_NEWS_PACE_MS)
			console_read_news(&c);
		/* A paste whose closing bracket never came (a terminal cut off mid-paste). */
		if (c.pasting && console_now_ms() - c.paste_at_ms >= CONSOLE_PASTE_MS)
			console_paste_end(&c);
		/* A screen's deferred work (a list's coalesced reload), never in draw(). */
		if (c.conn == CONN_OK && c.stack[c.depth - 1]->screen->tick != NULL)
			c.stack[c.depth - 1]->screen->tick(&c, c.stack[c.depth - 1]);
		console_draw(&c);

		nfds = 0;
		fds[nfds].fd = STDIN_FILENO;
		fds[nfds].events = POLLIN;
		fds[nfds++].revents = 0;
		/* Read the socket afresh every time: a reset may change it. */
		sock = mq_db_socket(db);
		if (sock >= 0 && c.conn != CONN_LOST) {
			fds[nfds].fd = sock;
			fds[nfds].events = POLLIN;
			if (c.conn == CONN_RESETTING && c.reset_poll == MQ_DB_POLL_WRITING)
				fds[nfds].events = POLLOUT;
			fds[nfds++].revents = 0;
		}
		if (poll(fds, (nfds_t)nfds, console_timeout()) < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		if (nfds == 2 && fds[1].revents != 0)
			console_db_activity(&c);
		if ((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
			rc = 128 + SIGHUP; /* the terminal went away */
			break;
		}
		/* ncurses may hold keys poll() cannot see: drain them all. */
		while (!c.quit && (key = tty_read_key()) != 0)
			console_key(&c, key);
	}

	while (c.depth > 0)
		console_pop(&c);
	tty_done();
	/* c is going away: libpq's default processor takes no argument. */
	mq_db_set_notice(db, NULL, NULL);
	mq_report_free(c.report);
	free(c.message);
	free(c.alert);
	keybinds_free(&c.keybinds);
	return rc;
}
