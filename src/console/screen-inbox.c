/*
 * My inbox (我的待办): the cases the person or their unit must act on now,
 * from minqing.inbox() (triage, report back, what is dispatched to the unit,
 * what the person handles), soonest deadline first, a page at a time by
 * keyset (due, id). Each row counts down to its deadline ("2天3小时",
 * "超期5小时"), computed from the stored deadline at draw time so the clock
 * needs no query; rows are coloured by warning level, with the level's
 * letter (Y, O, R) for terminals without colour.
 *
 * Filters: a all, o overdue, m handled by me, u my unit's, n waiting for
 * triage; c cycles the centre (all, mediation, policy, service). Always by
 * deadline (see inbox_fetch).
 * Enter opens the case; a notification on minqing_case (or coming back from
 * a case) reloads the rows, at most once a second, the selection staying on
 * the same case.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "list.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

enum {
	INBOX_MARK,
	INBOX_NO,
	INBOX_STATUS,
	INBOX_DUE,
	INBOX_TITLE,
	INBOX_SUBMITTER,
	INBOX_UNIT,
	INBOX_HANDLER,
	INBOX_NCOLS,
	/* hidden */
	INBOX_DUE_RAW = INBOX_NCOLS, /* due_at as the server wrote it: the keyset */
	INBOX_DUE_EPOCH,
	INBOX_STATUS_RAW,
	INBOX_NHIDDEN = 3,
};

static const struct list_column inbox_columns[] = {
	[INBOX_MARK] = {"", 1, 0, -1, false},
	[INBOX_NO] = {N_("Case no."), 14, 0, -1, false},
	[INBOX_STATUS] = {N_("Status"), 10, 0, -1, false},
	[INBOX_DUE] = {N_("Due"), 12, 1, -1, true},
	[INBOX_TITLE] = {N_("Title"), 12, 6, -1, false},
	[INBOX_SUBMITTER] = {N_("Submitter"), 6, 1, -1, false},
	[INBOX_UNIT] = {N_("Unit"), 8, 2, -1, false},
	[INBOX_HANDLER] = {N_("Handler"), 6, 1, -1, false},
};

static const struct {
	const char *code; /* inbox(p_filter) */
	const char *label;
	const char *empty;
} inbox_filters[] = {
	{"all", N_("all my cases"), N_("Nothing waits for you or your unit now.")},
	{"overdue", N_("overdue"), N_("Nothing in your inbox is overdue.")},
	{"mine", N_("handled by me"), N_("No open case is in your hands.")},
	{"unit", N_("my unit's"), N_("Nothing waits for your unit now.")},
	{"triage", N_("waiting for triage"), N_("No new case waits for triage.")},
};

static const struct {
	const char *code; /* inbox(p_centre); NULL: all */
	const char *label;
} inbox_centres[] = {
	{NULL, N_("all centres")},
	{"mediation", N_("Mediation centre")},
	{"policy", N_("Policy consultation centre")},
	{"service", N_("Convenience service centre")},
};

/* The screen's own keys; inbox_keys gets the list's first (list_help()). */
static const struct key_help inbox_own_keys[] = {
	{N_("a o m u n"), N_("all, overdue, handled by me, my unit's, waiting for triage")},
	{N_("c"), N_("next centre: all, mediation, policy, service")},
	{NULL, NULL},
};
static struct key_help inbox_keys[16];

struct inbox_state {
	struct list *list;
	int filter;
	int centre;
};

static const char inbox_cols_sql[] =
	"SELECT i.case_id, i.case_no, i.status, i.warning_level, i.due_at, "
	"       extract(epoch FROM i.due_at)::bigint, i.title, i.submitter_name, i.unit_name, "
	"       i.handler_name ";

/* By deadline: inbox()'s own order and keyset. */
static const char inbox_due_sql[] = "FROM minqing.inbox($1, $2, $3, $4, $5) i";

/* The statuses whose deadline runs (received has none yet; done ones need none). */
static bool inbox_clock_runs(const char *status)
{
	return status != NULL &&
	       (strcmp(status, "accepted") == 0 || strcmp(status, "dispatched") == 0 ||
		strcmp(status, "in_progress") == 0);
}

/* The deadline column: a countdown, "paused", or a dash. Caller frees. */
static char *inbox_due_text(const struct list_row *r, time_t now)
{
	const char *status = r->cells[INBOX_STATUS_RAW], *epoch = r->cells[INBOX_DUE_EPOCH];

	if (status != NULL && strcmp(status, "waiting") == 0)
		return xstrdup(_("paused"));
	if (epoch == NULL || !inbox_clock_runs(status))
		return xstrdup("-");
	return listfmt_countdown((time_t)atoll(epoch), now);
}

static char *inbox_cell(void *arg MQ_UNUSED, const struct list_row *r, int col, time_t now)
{
	return col == INBOX_DUE ? inbox_due_text(r, now) : NULL;
}

static int inbox_fetch(struct console *c, void *arg, struct list *l, const struct list_row *last)
{
	struct inbox_state *st = arg;
	struct mq_db_error err = {0};
	char limit[16], after[24], *sql, *due;
	const char *params[5];
	PGresult *res;
	int i, n, nparams;
	time_t now = time(NULL);

	snprintf(limit, sizeof limit, "%d", LIST_PAGE);
	params[0] = inbox_filters[st->filter].code;
	params[1] = inbox_centres[st->centre].code;
	/*
	 * By deadline only: inbox() pages each of its branches by (due, id); an
	 * order by case number would make it build the whole inbox (82 ms for a
	 * town at a million cases, tests/bench/lists.sh). Find cases sorts by
	 * number.
	 */
	sql = xasprintf("%s%s", inbox_cols_sql, inbox_due_sql);
	snprintf(after, sizeof after, "%lld", last != NULL ? last->id : 0);
	params[2] = last != NULL ? last->cells[INBOX_DUE_RAW] : NULL;
	params[3] = last != NULL ? after : NULL;
	params[4] = limit;
	nparams = 5;
	res = console_query(c, last == NULL ? "inbox.first" : "inbox.next", &err, sql, nparams,
			    params);
	free(sql);
	if (res == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		const char *level = PQgetvalue(res, i, 3);
		struct list_row *r =
			list_add(l, atoll(PQgetvalue(res, i, 0)), listfmt_warning_role(level));

		list_set(l, r, INBOX_MARK, listfmt_marker(level));
		list_set(l, r, INBOX_NO, PQgetvalue(res, i, 1));
		list_set(l, r, INBOX_STATUS, listfmt_status(PQgetvalue(res, i, 2)));
		list_set(l, r, INBOX_STATUS_RAW, PQgetvalue(res, i, 2));
		if (!PQgetisnull(res, i, 4)) {
			list_set(l, r, INBOX_DUE_RAW, PQgetvalue(res, i, 4));
			list_set(l, r, INBOX_DUE_EPOCH, PQgetvalue(res, i, 5));
		}
		list_set(l, r, INBOX_TITLE, PQgetvalue(res, i, 6));
		list_set(l, r, INBOX_SUBMITTER, PQgetvalue(res, i, 7));
		list_set(l, r, INBOX_UNIT, PQgetvalue(res, i, 8));
		list_set(l, r, INBOX_HANDLER, PQgetvalue(res, i, 9));
		/* What the filter sees of the deadline: the countdown at load time. */
		due = inbox_due_text(r, now);
		list_set(l, r, INBOX_DUE, due);
		free(due);
	}
	PQclear(res);
	return n;
}

static void inbox_open(struct console *c, void *arg, const struct list_row *row)
{
	struct inbox_state *st = arg;

	/* Whatever is done there shows here on the way back. */
	list_invalidate(st->list);
	case_open(c, row->id);
}

static const struct list_ops inbox_ops = {
	.fetch = inbox_fetch,
	.open = inbox_open,
	.cell = inbox_cell,
};

static void inbox_load(struct console *c, struct inbox_state *st)
{
	list_set_empty(st->list, inbox_filters[st->filter].empty);
	list_reload(c, st->list, false);
}

static void inbox_init(struct console *c, struct screen_inst *s)
{
	struct inbox_state *st = xcalloc(1, sizeof *st);

	st->list = list_new(inbox_columns, INBOX_NCOLS, INBOX_NHIDDEN, INBOX_DUE, &inbox_ops, st);
	list_help(inbox_keys, MQ_NITEMS(inbox_keys), inbox_own_keys);
	s->data = st;
	/* The menu's "Triage and dispatch" opens the inbox on what waits for triage. */
	if (s->arg != NULL && strcmp(s->screen->name, "triage") == 0)
		st->filter = 4;
	inbox_load(c, st);
}

static void inbox_free(struct screen_inst *s)
{
	struct inbox_state *st = s->data;

	if (st == NULL)
		return;
	list_free(st->list);
	free(st);
	s->data = NULL;
}

static void inbox_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct inbox_state *st = s->data;
	char count[32];

	snprintf(count, sizeof count, "%zu%s", list_count(st->list),
		 list_complete(st->list) ? "" : "+");
	tty_putf(top, 1, COLS - 2, -1, TTY_HEADING, _("%s   Show: %s   Centre: %s   Cases: %s"),
		 s->title, _(inbox_filters[st->filter].label), _(inbox_centres[st->centre].label),
		 count);
	list_draw(st->list, top + 1, 0, height - 1, COLS);
}

static enum key_result inbox_key(struct console *c, struct screen_inst *s, key_code key)
{
	struct inbox_state *st = s->data;
	enum key_result r;
	int filter = -1;

	list_tick(c, st->list);
	r = list_key(c, st->list, key);
	if (r != SCREEN_IGNORED)
		return r;
	switch (key) {
	case 'a':
		filter = 0;
		break;
	case 'o':
		filter = 1;
		break;
	case 'm':
		filter = 2;
		break;
	case 'u':
		filter = 3;
		break;
	case 'n':
		filter = 4;
		break;
	case 'c':
		st->centre = (st->centre + 1) % (int)MQ_NITEMS(inbox_centres);
		inbox_load(c, st);
		return SCREEN_HANDLED;
	default:
		return SCREEN_IGNORED;
	}
	st->filter = filter;
	inbox_load(c, st);
	return SCREEN_HANDLED;
}

/* Any notification, whatever it says: read the list again (coalesced by list_tick()). */
static void inbox_notify(struct console *c, struct screen_inst *s, const char *channel,
			 const char *payload MQ_UNUSED)
{
	struct inbox_state *st = s->data;

	if (strcmp(channel, "minqing_case") != 0)
		return;
	list_invalidate(st->list);
	list_tick(c, st->list);
}

static void inbox_tick(struct console *c, struct screen_inst *s)
{
	struct inbox_state *st = s->data;

	list_tick(c, st->list);
}

const struct screen screen_inbox = {
	.name = "inbox",
	.init = inbox_init,
	.free = inbox_free,
	.draw = inbox_draw,
	.key = inbox_key,
	.notify = inbox_notify,
	.tick = inbox_tick,
	.keys = inbox_keys,
	.hint = N_("Enter open  a/o/m/u/n show  c centre  / filter  r refresh  Esc back"),
};

/* 分流处理: the same screen, opened on the cases waiting for triage (key n). */
const struct screen screen_triage = {
	.name = "triage",
	.init = inbox_init,
	.free = inbox_free,
	.draw = inbox_draw,
	.key = inbox_key,
	.notify = inbox_notify,
	.tick = inbox_tick,
	.keys = inbox_keys,
	.hint = N_("Enter open  a/o/m/u/n show  c centre  / filter  r refresh  Esc back"),
};
