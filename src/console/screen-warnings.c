/*
 * Warnings (预警): the open cases with a yellow, orange or red warning that
 * the person can see (row-level security decides: a village its own, a town
 * its villages', the district everything), most overdue first. The query
 * walks the index cases_open_due (due_at, case_id) of the open cases and
 * stops after a page, keyset after (due, id); the warning level is a filter,
 * not an index key, since every escalation pass changes it. (There is no
 * sort by level: with the level not indexed, the server would have to sort
 * every open case, seconds at a million; the most overdue come first anyway,
 * and red is reached last in time.)
 *
 * Each row shows the level's letter (Y, O, R: the colour alone is lost on a
 * monochrome terminal) and how long the case is overdue, computed at draw
 * time. A notification on minqing_case reloads the rows at most once a
 * second, the selection staying on the same case.
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
	WARN_MARK,
	WARN_NO,
	WARN_LEVEL,
	WARN_OVERDUE,
	WARN_STATUS,
	WARN_TITLE,
	WARN_UNIT,
	WARN_HANDLER,
	WARN_NCOLS,
	/* hidden */
	WARN_DUE_RAW = WARN_NCOLS,
	WARN_DUE_EPOCH,
	WARN_STATUS_RAW,
	WARN_LEVEL_RAW,
	WARN_NHIDDEN = 4,
};

static const struct list_column warn_columns[] = {
	[WARN_MARK] = {"", 1, 0, -1, false},
	[WARN_NO] = {N_("Case no."), 14, 0, -1, false},
	[WARN_LEVEL] = {N_("Warning"), 8, 0, -1, false},
	[WARN_OVERDUE] = {N_("Overdue by"), 10, 1, -1, true},
	[WARN_STATUS] = {N_("Status"), 8, 0, -1, false},
	[WARN_TITLE] = {N_("Title"), 12, 6, -1, false},
	[WARN_UNIT] = {N_("Unit"), 8, 2, -1, false},
	[WARN_HANDLER] = {N_("Handler"), 6, 1, -1, false},
};

/* The screen's own keys; warn_keys gets the list's first (list_help()). */
static const struct key_help warn_own_keys[] = {
	{NULL, NULL},
};
static struct key_help warn_keys[16];

struct warn_state {
	struct list *list;
};

static const char warn_cols_sql[] =
	"SELECT c.case_id, c.case_no, c.status, c.warning_level, c.due_at, "
	"       extract(epoch FROM c.due_at)::bigint, c.title, u.name, h.display_name "
	"  FROM minqing.cases c "
	"  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id) "
	"  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id "
	" WHERE c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting') "
	"   AND c.warning_level <> 'none' ";

/* Most overdue first: the partial index (due_at, case_id), walked and stopped. */
static const char warn_due_first_sql[] = "ORDER BY c.due_at, c.case_id LIMIT $1";
static const char warn_due_next_sql[] = "AND (c.due_at, c.case_id) > ($1::timestamptz, $2::bigint) "
					"ORDER BY c.due_at, c.case_id LIMIT $3";
/* How long overdue: a duration, "not yet" before the deadline, "paused". Caller frees. */
static char *warn_overdue_text(const struct list_row *r, time_t now)
{
	const char *status = r->cells[WARN_STATUS_RAW], *epoch = r->cells[WARN_DUE_EPOCH];
	time_t due;

	if (status != NULL && strcmp(status, "waiting") == 0)
		return xstrdup(_("paused"));
	if (epoch == NULL)
		return xstrdup("-");
	due = (time_t)atoll(epoch);
	if (due > now)
		return xstrdup(_("not yet"));
	return listfmt_duration((long long)now - (long long)due);
}

static char *warn_cell(void *arg MQ_UNUSED, const struct list_row *r, int col, time_t now)
{
	return col == WARN_OVERDUE ? warn_overdue_text(r, now) : NULL;
}

static int warn_fetch(struct console *c, void *arg MQ_UNUSED, struct list *l,
		      const struct list_row *last)
{
	struct mq_db_error err = {0};
	char limit[16], after[24], *sql, *overdue;
	const char *params[3];
	PGresult *res;
	int i, n, nparams;
	time_t now = time(NULL);

	snprintf(limit, sizeof limit, "%d", LIST_PAGE);
	if (last == NULL) {
		sql = xasprintf("%s%s", warn_cols_sql, warn_due_first_sql);
		params[0] = limit;
		nparams = 1;
	} else {
		sql = xasprintf("%s%s", warn_cols_sql, warn_due_next_sql);
		snprintf(after, sizeof after, "%lld", last->id);
		params[0] = last->cells[WARN_DUE_RAW];
		params[1] = after;
		params[2] = limit;
		nparams = 3;
	}
	res = console_query(c, last == NULL ? "warnings.first" : "warnings.next", &err, sql,
			    nparams, params);
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

		list_set(l, r, WARN_MARK, listfmt_marker(level));
		list_set(l, r, WARN_NO, PQgetvalue(res, i, 1));
		list_set(l, r, WARN_LEVEL, case_warning_label(level));
		list_set(l, r, WARN_LEVEL_RAW, level);
		list_set(l, r, WARN_STATUS, listfmt_status(PQgetvalue(res, i, 2)));
		list_set(l, r, WARN_STATUS_RAW, PQgetvalue(res, i, 2));
		if (!PQgetisnull(res, i, 4)) {
			list_set(l, r, WARN_DUE_RAW, PQgetvalue(res, i, 4));
			list_set(l, r, WARN_DUE_EPOCH, PQgetvalue(res, i, 5));
		}
		list_set(l, r, WARN_TITLE, PQgetvalue(res, i, 6));
		list_set(l, r, WARN_UNIT, PQgetvalue(res, i, 7));
		list_set(l, r, WARN_HANDLER, PQgetvalue(res, i, 8));
		overdue = warn_overdue_text(r, now);
		list_set(l, r, WARN_OVERDUE, overdue);
		free(overdue);
	}
	PQclear(res);
	return n;
}

static void warn_open(struct console *c, void *arg, const struct list_row *row)
{
	struct warn_state *st = arg;

	list_invalidate(st->list);
	case_open(c, row->id);
}

static const struct list_ops warn_ops = {
	.fetch = warn_fetch,
	.open = warn_open,
	.cell = warn_cell,
};

static void warn_init(struct console *c, struct screen_inst *s)
{
	struct warn_state *st = xcalloc(1, sizeof *st);

	st->list = list_new(warn_columns, WARN_NCOLS, WARN_NHIDDEN, WARN_OVERDUE, &warn_ops, st);
	list_set_empty(st->list, N_("No open case in your jurisdiction has a warning."));
	list_help(warn_keys, MQ_NITEMS(warn_keys), warn_own_keys);
	s->data = st;
	list_reload(c, st->list, false);
}

static void warn_free(struct screen_inst *s)
{
	struct warn_state *st = s->data;

	if (st == NULL)
		return;
	list_free(st->list);
	free(st);
	s->data = NULL;
}

static void warn_draw(struct console *c, struct screen_inst *s, int top, int height)
{
	struct warn_state *st = s->data;
	char count[32];

	snprintf(count, sizeof count, "%zu%s", list_count(st->list),
		 list_complete(st->list) ? "" : "+");
	tty_putf(top, 1, COLS - 2, -1, TTY_HEADING, _("%s   Jurisdiction: %s   Cases: %s"),
		 s->title, c->id.unit_name, count);
	list_draw(st->list, top + 1, 0, height - 1, COLS);
}

static enum key_result warn_key(struct console *c, struct screen_inst *s, key_code key)
{
	struct warn_state *st = s->data;

	list_tick(c, st->list);
	return list_key(c, st->list, key);
}

/* Any notification, whatever it says: read the list again (coalesced by list_tick()). */
static void warn_notify(struct console *c, struct screen_inst *s, const char *channel,
			const char *payload MQ_UNUSED)
{
	struct warn_state *st = s->data;

	if (strcmp(channel, "minqing_case") != 0)
		return;
	list_invalidate(st->list);
	list_tick(c, st->list);
}

static void warn_tick(struct console *c, struct screen_inst *s)
{
	struct warn_state *st = s->data;

	list_tick(c, st->list);
}

const struct screen screen_warnings = {
	.name = "warnings",
	.init = warn_init,
	.free = warn_free,
	.draw = warn_draw,
	.key = warn_key,
	.notify = warn_notify,
	.tick = warn_tick,
	.keys = warn_keys,
	.hint = N_("Enter open  / filter  r refresh  Esc back  ? help"),
};
