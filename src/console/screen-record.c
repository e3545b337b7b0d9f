/*
 * The screen of a record view (layout = "record", docs/views.md): one row
 * of the view's function, called with the values its opener bound to the
 * given parameters, shown a field a line — the label in a column, the value
 * beside it, wrapped; a long text (format "para") under its label, paragraph
 * by paragraph — then the rows of its `lines` function (label, value and
 * depth, and value_en for English: the parts of a village archive's
 * section), and at the bottom the
 * actions that apply to it now (its status, the person's duty). The text
 * scrolls with the list keys; a form submitted from it, or a notification
 * on the view's channel, reads it again.
 *
 *   SELECT f.* [, extract(epoch FROM f.<time column>)::bigint ...]
 *     FROM <function>(<given> => $1, ..., <fixed> => $n) f
 *   SELECT * FROM <lines>(<the same parameters>)
 *   SELECT <on_open>(<the same parameters>)       -- once, after the first read
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "console.h"
#include "list.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "screen-view.h"
#include "textlines.h"

struct record_state {
	const struct mq_view *view; /* owned by the console (c->views) */
	struct view_given *given;   /* copies (owned) */
	size_t ngiven;
	PGresult *row;              /* the record; NULL until read (or when it is not there) */
	PGresult *lines;            /* the lines function's rows, or NULL */
	bool read;                  /* tried at least once (the message is said) */
	bool opened;                /* on_open has run */
	bool stale;                 /* read again at the next tick */
	struct console_as_of as_of; /* a report's (source = "report"): how current it is */
	struct text_lines tl;
	int built_cols;
	int scroll;
};

/* --- the record's values -------------------------------------------------------------- */

/* A column's raw value, NULL for SQL NULL or a column the function lacks (view_row_fn). */
static const char *record_value(void *arg, const char *column)
{
	const struct record_state *st = arg;

	return view_result_value(st->row, 0, column);
}

/* --- reading -------------------------------------------------------------------------- */

/*
 * Run sql with the call's parameters; NULL after saying why. A report's
 * reads (report: the record and its lines of a view with source =
 * "report") go through the reports' connection, on_open through the main.
 */
static PGresult *record_query(struct console *c, const char *name, const char *sql,
			      const struct view_call *call, bool report)
{
	struct mq_db_error err = {0};
	PGresult *res = report ? console_report_query(c, name, &err, sql, call->n, call->params)
			       : console_query(c, name, &err, sql, call->n, call->params);

	if (res == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
	}
	return res;
}

static void record_load(struct console *c, struct record_state *st)
{
	const struct mq_view *v = st->view;
	struct view_call call;
	char *sql, *name;
	PGresult *row, *lines = NULL;

	st->read = true;
	st->stale = false;
	/* The record, its lines and on_open: the same parameters. */
	view_call_init(&call);
	view_call_given(&call, v, st->given, st->ngiven);
	view_call_select(&call, v);
	if (v->source_report)
		console_as_of_read(c, &st->as_of);
	name = xasprintf("%s.record", v->name);
	row = record_query(c, name, call.sql, &call, v->source_report);
	free(name);
	if (row != NULL && v->lines != NULL) {
		sql = xasprintf("SELECT * FROM %s(%s)", v->lines, call.args);
		name = xasprintf("%s.lines", v->name);
		lines = record_query(c, name, sql, &call, v->source_report);
		free(name);
		free(sql);
	}
	/* What could not be read leaves what was shown (a lost connection). */
	if (row != NULL) {
		PQclear(st->row);
		PQclear(st->lines);
		st->row = row;
		st->lines = lines;
		st->built_cols = 0;
		if (PQntuples(row) == 0)
			console_message(c, true, "%s", view_text(c, &v->empty));
	}
	if (row != NULL && PQntuples(row) > 0 && v->on_open != NULL && !st->opened) {
		PGresult *done;

		sql = xasprintf("SELECT %s(%s)", v->on_open, call.args);
		name = xasprintf("%s.on_open", v->name);
		if ((done = record_query(c, name, sql, &call, false)) != NULL)
			st->opened = true;
		PQclear(done);
		free(name);
		free(sql);
	}
	view_call_free(&call);
}

/* --- layout --------------------------------------------------------------------------- */

/* The label column: the longest label of the fields shown beside their value, and 2. */
static int record_label_cols(const struct console *c, const struct mq_view *v, int cols)
{
	int w = 0, lw;
	size_t i;

	for (i = 0; i < v->ncolumns; i++)
		if (v->columns[i].label.zh != NULL && v->columns[i].format != MQ_VIEW_PARA &&
		    (lw = mq_strwidth(view_text(c, &v->columns[i].label))) > w)
			w = lw;
	w += 2;
	return w <= cols / 3 ? w : 0;
}

/* A long text under its label: each paragraph wrapped, indented. */
static void record_add_para(struct record_state *st, const char *label, const char *text, int cols)
{
	const char *p = text;
	char *para;
	size_t n;

	if (label[0] != '\0')
		textlines_add(&st->tl, TTY_HEADING, label);
	do {
		n = strcspn(p, "\n");
		para = xasprintf("%.*s", (int)n, p);
		textlines_add_text(&st->tl, TTY_NORMAL, "  ", para[0] != '\0' ? para : " ", cols,
				   2);
		free(para);
		p += n;
		if (*p == '\n')
			p++;
	} while (*p != '\0');
}

/* The rows of the lines function: a label (in the person's language), a value, a depth. */
static void record_add_lines(struct console *c, struct record_state *st, int cols)
{
	const char *label_col = c->english ? "label_en" : "label_zh";
	int i, n = st->lines != NULL ? PQntuples(st->lines) : 0, w = 0, lw, depth;
	int fl = PQfnumber(st->lines, label_col), fv = PQfnumber(st->lines, "value"),
	    fd = PQfnumber(st->lines, "depth");

	/* Coded values have their words in English too (value_en), when the function gives them. */
	if (c->english && PQfnumber(st->lines, "value_en") >= 0)
		fv = PQfnumber(st->lines, "value_en");
	char *head;

	if (n == 0 || fl < 0 || fv < 0) {
		if (n > 0)
			console_message(
				c, true, _("%s: %s gives no column \"%s\" (minqing --lint-forms)"),
				st->view->path, st->view->lines, fl < 0 ? label_col : "value");
		return;
	}
	for (i = 0; i < n; i++) {
		depth = fd >= 0 ? atoi(PQgetvalue(st->lines, i, fd)) : 0;
		if ((lw = 2 * depth + mq_strwidth(PQgetvalue(st->lines, i, fl))) > w &&
		    !PQgetisnull(st->lines, i, fv))
			w = lw;
	}
	w += 2;
	if (w > cols / 2)
		w = 0;
	textlines_add(&st->tl, TTY_NORMAL, "");
	for (i = 0; i < n; i++) {
		depth = fd >= 0 ? atoi(PQgetvalue(st->lines, i, fd)) : 0;
		if (depth < 0 || depth > 8)
			depth = 0;
		head = xasprintf("%*s%s", 2 * depth, "", PQgetvalue(st->lines, i, fl));
		if (PQgetisnull(st->lines, i, fv))
			/* A heading: the part that the deeper lines after it belong to. */
			textlines_add_wrapped(&st->tl, TTY_HEADING, head, cols, 2 * depth + 2);
		else if (w > 0)
			textlines_add_text(&st->tl, TTY_NORMAL, head,
					   PQgetvalue(st->lines, i, fv)[0] != '\0'
						   ? PQgetvalue(st->lines, i, fv)
						   : "-",
					   cols, w);
		else {
			textlines_add_wrapped(&st->tl, TTY_NORMAL, head, cols, 2 * depth);
			textlines_add_text(&st->tl, TTY_NORMAL, "", PQgetvalue(st->lines, i, fv),
					   cols, 2 * depth + 2);
		}
		free(head);
	}
}

static void record_build(struct console *c, struct record_state *st)
{
	const struct mq_view *v = st->view;
	int cols = COLS - 4;
	size_t i;
	char *text;

	textlines_clear(&st->tl);
	st->built_cols = COLS;
	st->tl.labelw = record_label_cols(c, v, cols);
	if (st->row == NULL || PQntuples(st->row) == 0)
		return;
	for (i = 0; i < v->ncolumns; i++) {
		const struct mq_view_column *col = &v->columns[i];
		const char *label = col->label.zh != NULL ? view_text(c, &col->label) : "";

		if ((text = view_record_field(v, col, st->row, c->english, c->ascii_charts,
					      mq_now())) == NULL)
			continue;
		if (col->format == MQ_VIEW_PARA)
			record_add_para(st, label, text, cols);
		else if (label[0] == '\0')
			/* A column without a label heads the record (its title). */
			textlines_add_wrapped(&st->tl, TTY_HEADING, text, cols, 2);
		else
			textlines_add_field(&st->tl, label, text, cols);
		free(text);
	}
	record_add_lines(c, st, cols);
}

/* --- the screen ----------------------------------------------------------------------- */

static void record_init(struct console *c, struct screen_inst *s)
{
	const struct view_open_args *oa = s->arg; /* read by init only, during console_push() */
	struct record_state *st = xcalloc(1, sizeof *st);
	size_t i;

	st->view = oa->view;
	st->given = view_given_copy(oa);
	st->ngiven = oa->ngiven;
	s->arg = oa->view;
	s->data = st;
	for (i = 0; i < c->nviews; i++)
		if (c->views[i] == oa->view)
			s->keytab = c->view_tabs[i];
	record_load(c, st);
}

static void record_free(struct screen_inst *s)
{
	struct record_state *st = s->data;

	if (st == NULL)
		return;
	PQclear(st->row);
	PQclear(st->lines);
	textlines_free(&st->tl);
	view_given_free(st->given, st->ngiven);
	free(st);
	s->data = NULL;
}

/* The actions that apply now, with their keys ("e 修改"), packed in rows of cols. */
static size_t record_action_rows(struct console *c, struct screen_inst *s, int cols, char ***rows)
{
	struct record_state *st = s->data;
	const struct mq_view *v = st->view;
	char **items = xcalloc(v->nactions + 1, sizeof *items), *key;
	size_t n = 0, k, i, nrows;

	for (k = 0; k < v->nactions; k++) {
		if (!view_action_applies(c, &v->actions[k],
					 v->status != NULL ? record_value(st, v->status) : NULL))
			continue;
		key = NULL;
		for (i = 0; s->keytab != NULL && i < s->keytab->n && key == NULL; i++)
			if (s->keytab->entries[i].id == VIEW_A_FORM + (int)k)
				key = keytab_entry_key(s->keytab, &s->keytab->entries[i],
						       &c->keybinds);
		items[n++] = xasprintf("%s %s", key != NULL ? key : "",
				       view_text(c, &v->actions[k].label));
		free(key);
	}
	nrows = n > 0 ? keytab_pack(items, n, cols, rows) : 0;
	for (k = 0; k < n; k++)
		free(items[k]);
	free(items);
	return nrows;
}

/*
 * Does a report (source = "report") say how current it is on a first row?
 * When its function gives as_of (from minqing.report_as_of(), read in the
 * same session: the summary) that field says 数据截至, and the row is only
 * for a standby's lag; otherwise always.
 */
static bool record_as_of_row(const struct record_state *st)
{
	const struct mq_view *v = st->view;
	size_t i;

	if (!v->source_report)
		return false;
	if (console_as_of_lags(&st->as_of))
		return true;
	for (i = 0; i < v->ncolumns; i++)
		if (strcmp(v->columns[i].name, "as_of") == 0)
			return false;
	return true;
}

static void record_draw(struct console *c, struct screen_inst *s, int top, int height)
{
	struct record_state *st = s->data;
	char **bar = NULL;
	size_t nbar, total, k;
	int rows;

	if (st->row == NULL || PQntuples(st->row) == 0) {
		tty_put(top + 1, 2, COLS - 4, -1, TTY_HINT,
			st->row == NULL ? _("It could not be read.")
					: view_text(c, &st->view->empty));
		return;
	}
	if (st->built_cols != COLS)
		record_build(c, st);
	/* The actions at the bottom, a blank row above them; the record above that. */
	nbar = total = record_action_rows(c, s, COLS - 4, &bar);
	if ((int)nbar > height / 2)
		nbar = (size_t)(height / 2);
	rows = height - (nbar > 0 ? 1 + (int)nbar : 0);
	if (record_as_of_row(st)) {
		/* A report's first row: how current its figures are. */
		char *as_of = console_as_of_text(&st->as_of);

		tty_put(top, 2, COLS - 4, -1, TTY_HINT, as_of);
		free(as_of);
		top++;
		rows--;
	}
	textlines_draw(&st->tl, &st->scroll, top, rows, 2, COLS - 4);
	for (k = 0; k < nbar; k++)
		tty_put(top + rows + 1 + (int)k, 2, COLS - 4, -1, TTY_HEADING, bar[k]);
	if (total > 0)
		mq_wrap_free(bar, total);
}

/* A form submitted from the record: read it again. */
static void record_done(struct console *c, void *arg, PGresult *res)
{
	struct record_state *st = arg;

	view_done_message(c, res);
	record_load(c, st);
}

/* E: the figures as shown (fields, then lines), as `minqing-admin report` writes them. */
static void record_export(struct console *c, const struct screen_inst *s, struct record_state *st)
{
	struct mq_table t;

	if (st->row == NULL || PQntuples(st->row) == 0)
		return;
	view_record_table(st->view, st->row, st->lines, c->english, c->ascii_charts, mq_now(), &t);
	export_table_files(c, st->view->name, s->title, &t, false);
	view_record_table_free(&t);
}

static enum key_result record_action(struct console *c, struct screen_inst *s, int action,
				     key_code key MQ_UNUSED)
{
	struct record_state *st = s->data;
	struct view_row_ref ref = {st->view, 0, record_value, st, record_done, st, NULL};
	const char *id;
	int page = LINES - 8 > 1 ? LINES - 8 : 1;

	switch (action) {
	case LIST_A_DOWN:
		st->scroll++;
		return SCREEN_HANDLED;
	case LIST_A_UP:
		st->scroll--;
		return SCREEN_HANDLED;
	case LIST_A_PAGE_DOWN:
		st->scroll += page;
		return SCREEN_HANDLED;
	case LIST_A_PAGE_UP:
		st->scroll -= page;
		return SCREEN_HANDLED;
	case LIST_A_FIRST:
		st->scroll = 0;
		return SCREEN_HANDLED;
	case LIST_A_LAST:
		st->scroll = st->tl.n;
		return SCREEN_HANDLED;
	case LIST_A_RELOAD:
		console_reloaded(c);
		record_load(c, st);
		return SCREEN_HANDLED;
	case LIST_A_EXPORT:
		record_export(c, s, st);
		return SCREEN_HANDLED;
	default:
		break;
	}
	if (action < VIEW_A_FORM || action >= VIEW_A_FORM + (int)st->view->nactions)
		return SCREEN_IGNORED;
	if (st->row == NULL || PQntuples(st->row) == 0)
		return SCREEN_HANDLED;
	if (st->view->id != NULL && (id = record_value(st, st->view->id)) != NULL)
		ref.id = atoll(id);
	view_run_action(c, &ref, (size_t)(action - VIEW_A_FORM));
	return SCREEN_HANDLED;
}

static void record_notify(struct console *c MQ_UNUSED, struct screen_inst *s, const char *channel,
			  const char *payload MQ_UNUSED)
{
	struct record_state *st = s->data;

	if (st->view->notify != NULL && strcmp(channel, st->view->notify) == 0)
		st->stale = true;
}

static void record_tick(struct console *c, struct screen_inst *s)
{
	struct record_state *st = s->data;

	if (st->stale)
		record_load(c, st);
}

const struct screen screen_record = {
	.name = "record",
	.init = record_init,
	.free = record_free,
	.draw = record_draw,
	.action = record_action,
	.notify = record_notify,
	.tick = record_tick,
};
