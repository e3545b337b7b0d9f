/*
 * The list engine: one screen for every view file (forms/NAME.view,
 * include/mq/view.h, docs/views.md). The view names the SQL function that
 * pages the rows; the engine calls it with named parameters
 *
 *   SELECT f.* [, extract(epoch FROM f.<time column>)::bigint ...]
 *     FROM <function>(<param> => $1, ..., <limit> => $n) f
 *
 * where the parameters are the view's fixed ones, the current value of each
 * group of choices, the order's own (p_sort = 'case_no'), what was typed in
 * the search prompt, and the keyset: the values the last loaded row has in
 * the order's `after` columns. Columns are read by name, never by position.
 * The rows go into the list widget (list.c), which pages, scrolls and
 * filters; this file formats cells (status labels, warning letters, dates,
 * live countdowns), draws the heading, turns keys into choices, the search
 * and the row's actions, and reloads on the view's notification channel.
 *
 * Which cells a row keeps (struct view_slots): the visible columns
 * formatted, then the raw value of every column the engine needs again
 * (shown ones, the id, the warning and status columns, keyset columns),
 * then the epoch of each time-formatted column for the live countdowns.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "form-screen.h"
#include "list.h"
#include "mq/chart.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/view.h"
#include "mq/width.h"
#include "prompt.h"
#include "screen-view.h"
#include "vocab.h"

#define VIEW_MAX_SLOTS 96

struct view_state;

/* A row of a list, for view_row_value(). */
struct view_row_arg {
	struct view_state *st;
	const struct list_row *row;
};

struct view_state {
	const struct mq_view *view; /* owned by the console (c->views) */
	struct list *list;
	struct list_column *cols;          /* ncolumns, titles translated */
	const char *slots[VIEW_MAX_SLOTS]; /* output columns kept raw (names owned by the view) */
	int nslots;
	int *choice; /* the current value of each group */
	/* the search */
	struct prompt prompt;
	bool prompting;
	char *query;              /* what is searched for now (the classified text); NULL: none */
	const char *kind;         /* its kind's label (the view's text), or NULL */
	struct view_given *given; /* the opener's values of the given params (copies, owned) */
	size_t ngiven;
	double *bar_max; /* ncolumns: the largest value of a bar column in the rows loaded */
	bool ascii;      /* the console's ascii_charts (draw-time cells have no console) */
	struct console_as_of as_of; /* a report's (source = "report"): how current it is */
};

const char *view_text(const struct console *c, const struct mq_text *t)
{
	const char *s = mq_text_get(t, c->english ? "en" : "zh_CN");

	return s != NULL ? s : "";
}

/* --- slots: which raw values a row keeps ------------------------------------------------- */

static int view_slot(const struct view_state *st, const char *name)
{
	int i;

	for (i = 0; name != NULL && i < st->nslots; i++)
		if (strcmp(st->slots[i], name) == 0)
			return i;
	return -1;
}

static void view_add_slot(struct view_state *st, const char *name)
{
	if (name != NULL && view_slot(st, name) < 0 && st->nslots < VIEW_MAX_SLOTS)
		st->slots[st->nslots++] = name;
}

static void view_build_slots(struct view_state *st)
{
	const struct mq_view *v = st->view;
	size_t i, j;

	for (i = 0; i < v->ncolumns; i++) {
		view_add_slot(st, v->columns[i].name);
		view_add_slot(st, v->columns[i].en);
	}
	view_add_slot(st, v->id);
	view_add_slot(st, v->warning);
	view_add_slot(st, v->status);
	view_add_slot(st, "row_version");
	for (i = 0; i < v->nsorts; i++)
		for (j = 0; j < v->sorts[i].nafter; j++)
			view_add_slot(st, v->sorts[i].after[j].column);
	for (i = 0; i < v->nopen_bind; i++)
		view_add_slot(st, v->open_bind[i].column);
	view_add_slot(st, v->open_title);
	view_add_slot(st, v->open_when);
	for (i = 0; i < v->nelse_bind; i++)
		view_add_slot(st, v->else_bind[i].column);
	view_add_slot(st, v->else_title);
	for (i = 0; i < v->ncolumns; i++)
		view_add_slot(st, v->columns[i].from);
}

/* The columns a row's actions take: binds, fills, and the forms' "row." context. */
static void view_action_slots(const struct console *c, struct view_state *st)
{
	const struct mq_view *v = st->view;
	const struct mq_form *f;
	size_t i, j;

	for (i = 0; i < v->nactions; i++) {
		const struct mq_view_action *a = &v->actions[i];

		for (j = 0; j < a->nbind; j++)
			view_add_slot(st, a->bind[j].column);
		for (j = 0; j < a->nfill; j++) {
			view_add_slot(st, a->fill[j].column);
			view_add_slot(st, a->fill[j].shown);
		}
		view_add_slot(st, a->title);
		if (a->form == NULL || (f = mq_form_find(c->forms, c->nforms, a->form)) == NULL)
			continue;
		for (j = 0; j < f->ncontext; j++)
			if (strncmp(f->context[j].from, MQ_FORM_CONTEXT_ROW,
				    strlen(MQ_FORM_CONTEXT_ROW)) == 0)
				view_add_slot(st, f->context[j].from + strlen(MQ_FORM_CONTEXT_ROW));
	}
}

/* The cell index of a slot's raw value, and of a column's epoch. */
static int view_raw_cell(const struct view_state *st, int slot)
{
	return (int)st->view->ncolumns + slot;
}

static int view_epoch_cell(const struct view_state *st, size_t col)
{
	return (int)st->view->ncolumns + st->nslots + (int)col;
}

static const char *view_raw(const struct view_state *st, const struct list_row *r, const char *name)
{
	int slot = view_slot(st, name);

	return slot < 0 ? NULL : r->cells[view_raw_cell(st, slot)];
}

/* --- formatting ------------------------------------------------------------------------- */

/* A time column's text; NULL: the stored cell (no live part). Caller frees. */
static char *view_time_text(const struct view_state *st, const struct list_row *r, size_t col,
			    time_t now)
{
	return view_time_format(st->view->columns[col].format, r->cells[view_epoch_cell(st, col)],
				view_raw(st, r, st->view->status), now);
}

const char *view_column_name(const struct console *c, const struct mq_view_column *col)
{
	return c->english && col->en != NULL ? col->en : col->name;
}

const char *view_column_value(const struct console *c, const struct mq_view_column *col,
			      const char *raw)
{
	size_t i;

	for (i = 0; raw != NULL && i < col->nvalues; i++)
		if (strcmp(col->values[i].value, raw) == 0)
			return view_text(c, &col->values[i].label); /* "" without a label */
	return raw;
}

/* The text of a cell as loaded (the filter sees it). Caller frees. */
static char *view_format(const struct console *c, const struct view_state *st,
			 const struct list_row *r, size_t col, const char *raw, time_t now)
{
	const struct mq_view_column *vc = &st->view->columns[col];
	enum mq_view_format f = vc->format;
	char *chart;

	raw = view_column_value(c, vc, raw);
	if ((chart = mq_view_chart(vc, raw, view_raw(st, r, vc->from), st->bar_max[col],
				   c->ascii_charts)) != NULL)
		return chart;
	if (view_format_is_time(f))
		return view_time_text(st, r, col, now);
	if (f == MQ_VIEW_PARA && raw != NULL)
		return view_first_line(raw);
	return view_value_format(f, raw);
}

/* Draw-time cells: the live ones (countdowns), from the stored epoch. */
static char *view_cell(void *arg, const struct list_row *r, int col, time_t now)
{
	struct view_state *st = arg;
	const struct mq_view_column *vc = &st->view->columns[col];
	enum mq_view_format f = vc->format;

	/* A bar out of the largest value: rows loaded after this one may be larger. */
	if (f == MQ_VIEW_BAR && vc->scale <= 0)
		return mq_chart_bar(view_raw(st, r, vc->name), st->bar_max[col], vc->min,
				    st->ascii);
	if (f != MQ_VIEW_COUNTDOWN && f != MQ_VIEW_OVERDUE)
		return NULL;
	return view_time_text(st, r, (size_t)col, now);
}

/* --- the call ----------------------------------------------------------------------------- */

/* The order in effect: the one whose column the list sorts by (`s` steps through them). */
static size_t view_sort_of(const struct view_state *st)
{
	int col = list_sort(st->list);
	size_t i;

	if (st->view->nsorts == 0)
		fatal("view %s: no sort", st->view->name);
	for (i = 0; col >= 0 && i < st->view->nsorts; i++)
		if (strcmp(st->view->sorts[i].column, st->view->columns[col].name) == 0)
			return i;
	return 0;
}

static const char *view_row_value(void *arg, const char *column);

/* The statement for the page after last (NULL: the first). */
static void view_build_call(const struct view_state *st, const struct list_row *last,
			    struct view_call *call)
{
	struct view_row_arg ra = {(struct view_state *)st, last};

	view_call_page(call, st->view, st->given, st->ngiven, st->choice, st->query,
		       st->view->nsorts > 0 ? view_sort_of(st) : 0,
		       last != NULL ? view_row_value : NULL, &ra);
}

/* The field number of name in res, or -1 after saying which column is missing. */
static int view_field(struct console *c, const struct view_state *st, const PGresult *res,
		      const char *name)
{
	char *quoted = xasprintf("\"%s\"", name);
	int f = PQfnumber(res, quoted);

	free(quoted);
	if (f < 0)
		console_message(c, true, _("%s: %s gives no column \"%s\" (minqing --lint-forms)"),
				st->view->path, st->view->function, name);
	return f;
}

/* Append the rows of res: -1 when a column the view names is missing. */
static int view_add_rows(struct console *c, struct view_state *st, struct list *l,
			 const PGresult *res)
{
	const struct mq_view *v = st->view;
	int fields[VIEW_MAX_SLOTS], epochs[VIEW_MAX_SLOTS], i, k, n = PQntuples(res);
	size_t col;
	time_t now = mq_now();

	for (k = 0; k < st->nslots; k++)
		/* A row version is taken when the function gives one (forms check it). */
		if (strcmp(st->slots[k], "row_version") == 0)
			fields[k] = PQfnumber(res, "row_version");
		else if ((fields[k] = view_field(c, st, res, st->slots[k])) < 0)
			return -1;
	for (col = 0; col < v->ncolumns; col++) {
		char *name = xasprintf("%s:epoch", v->columns[col].name);

		epochs[col] = view_format_is_time(v->columns[col].format)
				      ? view_field(c, st, res, name)
				      : -1;
		free(name);
	}
	for (i = 0; i < n; i++) {
		int id = view_slot(st, v->id), w = view_slot(st, v->warning);
		const char *level = w >= 0 && !PQgetisnull(res, i, fields[w])
					    ? PQgetvalue(res, i, fields[w])
					    : NULL;
		struct list_row *r =
			list_add(l, id >= 0 ? atoll(PQgetvalue(res, i, fields[id])) : (long long)i,
				 vocab_warning_role(level));

		for (k = 0; k < st->nslots; k++)
			if (fields[k] >= 0 && !PQgetisnull(res, i, fields[k]))
				list_set(l, r, view_raw_cell(st, k), PQgetvalue(res, i, fields[k]));
		for (col = 0; col < v->ncolumns; col++) {
			char *text;
			double x;

			if (v->columns[col].format == MQ_VIEW_BAR &&
			    mq_chart_number(view_raw(st, r, v->columns[col].name), &x, NULL) &&
			    x > st->bar_max[col])
				st->bar_max[col] = x;
			if (epochs[col] >= 0 && !PQgetisnull(res, i, epochs[col]))
				list_set(l, r, view_epoch_cell(st, col),
					 PQgetvalue(res, i, epochs[col]));
			text = view_format(c, st, r, col,
					   view_raw(st, r, view_column_name(c, &v->columns[col])),
					   now);
			list_set(l, r, (int)col, text);
			free(text);
		}
	}
	return n;
}

static int view_fetch(struct console *c, void *arg, struct list *l, const struct list_row *last)
{
	struct view_state *st = arg;
	struct mq_db_error err = {0};
	struct view_call call;
	char *name;
	PGresult *res;
	int n;

	/* Not paged: the first call gave every row. */
	if (last != NULL && st->view->limit == NULL)
		return 0;
	view_build_call(st, last, &call);
	if (last == NULL)
		memset(st->bar_max, 0, st->view->ncolumns * sizeof *st->bar_max);
	name = xasprintf("%s.%s", st->view->name, last == NULL ? "first" : "next");
	/* A report: from the reports' connection, and how current it is with the first page. */
	if (st->view->source_report && last == NULL)
		console_as_of_read(c, &st->as_of);
	res = st->view->source_report
		      ? console_report_query(c, name, &err, call.sql, call.n, call.params)
		      : console_query(c, name, &err, call.sql, call.n, call.params);
	free(name);
	view_call_free(&call);
	if (res == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
		return -1;
	}
	n = view_add_rows(c, st, l, res);
	PQclear(res);
	return n;
}

/* A row's raw value by column name, for the actions (view_row_fn). */
static const char *view_row_value(void *arg, const char *column)
{
	struct view_row_arg *ra = arg;

	return ra->row != NULL ? view_raw(ra->st, ra->row, column) : NULL;
}

static void view_open_row(struct console *c, void *arg, const struct list_row *row)
{
	struct view_state *st = arg;
	struct view_row_arg ra = {st, row};

	const struct mq_view *v = st->view;
	const char *when;

	if (v->open == NULL)
		return;
	/* A list mixing cases with other records (an assessment's evidence)
	 * gives the others ids below 1: they open nothing. */
	if (strcmp(st->view->open, "case") == 0 && row->id < 1) {
		console_message(c, false, "%s", _("This row is not a case."));
		return;
	}
	/* Whatever is done there shows here on the way back. */
	list_invalidate(st->list);
	/* A row whose `when` is not true opens the else target (the drill-down's end). */
	when = v->open_when != NULL ? view_raw(st, row, v->open_when) : "t";
	if (when == NULL || strcmp(when, "t") != 0) {
		if (strcmp(v->else_open, "case") == 0)
			case_open(c, row->id);
		else
			view_open_bound(c, v->else_open, v->else_bind, v->nelse_bind, v->else_title,
					view_row_value, &ra);
	} else if (strcmp(v->open, "case") == 0)
		case_open(c, row->id);
	else
		view_open_bound(c, v->open, v->open_bind, v->nopen_bind, v->open_title,
				view_row_value, &ra);
}

/* The list's notes go to the message line. */
static void view_say(struct console *c, void *arg MQ_UNUSED, const char *text)
{
	console_message(c, false, "%s", text);
}

static const struct list_ops view_ops = {
	.fetch = view_fetch,
	.open = view_open_row,
	.cell = view_cell,
	.say = view_say,
};

/* --- choices, search, actions -------------------------------------------------------------- */

static const char *view_empty_text(const struct console *c, const struct view_state *st)
{
	const struct mq_view *v = st->view;
	size_t i;

	if (st->query != NULL && v->search->empty.zh != NULL)
		return view_text(c, &v->search->empty);
	for (i = 0; i < v->nchoices; i++) {
		const struct mq_view_choice *ch = &v->choices[i].values[st->choice[i]];

		if (ch->empty.zh != NULL)
			return view_text(c, &ch->empty);
	}
	return view_text(c, &v->empty);
}

static void view_load(struct console *c, struct view_state *st)
{
	list_set_empty(st->list, view_empty_text(c, st));
	list_reload(c, st->list, false);
}

/* A value of a group chosen (its key), or the group's next (its cycle key). */
static void view_choose(struct console *c, struct view_state *st, int action)
{
	size_t g;

	if (action >= VIEW_A_CYCLE) {
		g = (size_t)(action - VIEW_A_CYCLE);
		st->choice[g] = (st->choice[g] + 1) % (int)st->view->choices[g].nvalues;
	} else {
		g = (size_t)(action - VIEW_A_CHOICE) / VIEW_GROUP_SPAN;
		st->choice[g] = (action - VIEW_A_CHOICE) % VIEW_GROUP_SPAN;
	}
	/* a value chosen replaces what was searched for in the same parameter */
	if (st->query != NULL && st->view->search != NULL &&
	    strcmp(st->view->search->param, st->view->choices[g].param) == 0) {
		free(st->query);
		st->query = NULL;
		st->kind = NULL;
	}
	view_load(c, st);
}

/*
 * Run the search typed: ask the view's classify function what it is (kind,
 * norm); a kind the view refuses is explained, an empty one shows all.
 */
static void view_search(struct console *c, struct view_state *st, const char *typed)
{
	const struct mq_view_search *se = st->view->search;
	const struct mq_view_kind *kind = NULL;
	struct mq_db_error err = {0};
	char *sql, *norm;
	PGresult *res;
	size_t i;

	if (se->classify == NULL) {
		norm = typed[0] != '\0' ? xstrdup(typed) : NULL;
	} else {
		sql = xasprintf("SELECT x.kind, x.norm FROM %s($1) x", se->classify);
		res = console_query(c, "view.classify", &err, sql, 1, &typed);
		free(sql);
		if (res == NULL) {
			console_db_error(c, &err);
			mq_db_error_clear(&err);
			return;
		}
		for (i = 0; PQntuples(res) == 1 && i < se->nkinds; i++)
			if (strcmp(se->kinds[i].kind, PQgetvalue(res, 0, 0)) == 0)
				kind = &se->kinds[i];
		norm = PQntuples(res) == 1 && !PQgetisnull(res, 0, 1) && PQgetvalue(res, 0, 1)[0]
			       ? xstrdup(PQgetvalue(res, 0, 1))
			       : NULL;
		PQclear(res);
	}
	if (kind != NULL && kind->refuse.zh != NULL) {
		console_message(c, true, "%s", view_text(c, &kind->refuse));
		free(norm);
		return;
	}
	free(st->query);
	st->query = norm;
	st->kind = kind != NULL && kind->label.zh != NULL ? view_text(c, &kind->label) : NULL;
	view_load(c, st);
}

bool view_duty_allows(const struct console *c, char *const *duties)
{
	size_t i;

	for (i = 0; duties != NULL && duties[i] != NULL; i++)
		if (strcmp(duties[i], c->id.duty) == 0)
			return true;
	return duties == NULL;
}

static void view_action_done(struct console *c, void *arg, PGresult *res)
{
	struct view_state *st = arg;

	view_done_message(c, res);
	list_invalidate(st->list);
}

/* A batch on the marked rows went through: the marks have served. */
static void view_batch_done(struct console *c, void *arg, PGresult *res)
{
	struct view_state *st = arg;

	list_marks_clear(st->list);
	view_action_done(c, arg, res);
}

/* The ids an action with rows = "marked" takes: the marked rows', else the selected row's. */
static char *view_row_ids(const struct view_state *st, const struct list_row *row)
{
	const long long *ids;
	size_t n = list_marks(st->list, &ids), i;
	char *s, *prev;

	if (n == 0)
		return row != NULL ? xasprintf("{%lld}", row->id) : NULL;
	s = xstrdup("{");
	for (i = 0; i < n; i++) {
		prev = s;
		s = xasprintf("%s%s%lld", prev, i > 0 ? "," : "", ids[i]);
		free(prev);
	}
	prev = s;
	s = xasprintf("%s}", prev);
	free(prev);
	return s;
}

/* A row's action (the list's selected row). */
static void view_form(struct console *c, struct view_state *st, size_t i)
{
	const struct list_row *row = list_selected(st->list);
	struct view_row_arg ra = {st, row};
	struct view_row_ref ref = {st->view, 0, view_row_value, &ra, view_action_done, st, NULL};

	char *ids = NULL;

	if (row == NULL && !st->view->actions[i].no_row)
		return;
	ref.id = row != NULL ? row->id : 0;
	/* Whatever is done there shows here on the way back. */
	if (st->view->actions[i].view != NULL)
		list_invalidate(st->list);
	if (st->view->actions[i].marked) {
		ref.row_ids = ids = view_row_ids(st, row);
		ref.done = view_batch_done;
	}
	view_run_action(c, &ref, i);
	free(ids); /* the form has its own copy */
}

/* --- the screen ---------------------------------------------------------------------------- */

static size_t view_index(const struct console *c, const struct mq_view *v);

struct view_given *view_given_copy(const struct view_open_args *oa)
{
	struct view_given *g = xcalloc(oa->ngiven + 1, sizeof *g);
	size_t i;

	for (i = 0; i < oa->ngiven; i++) {
		g[i].param = xstrdup(oa->given[i].param);
		g[i].value = oa->given[i].value != NULL ? xstrdup(oa->given[i].value) : NULL;
	}
	return g;
}

void view_given_free(struct view_given *g, size_t n)
{
	size_t i;

	for (i = 0; g != NULL && i < n; i++) {
		free((char *)g[i].param);
		free((char *)g[i].value);
	}
	free(g);
}

static void view_init(struct console *c, struct screen_inst *s)
{
	const struct view_open_args *oa = s->arg; /* read by init only, during console_push() */
	const struct mq_view *v = oa->view;
	struct view_state *st = xcalloc(1, sizeof *st);
	size_t i;
	int sortcol = 0;

	st->view = v;
	st->given = view_given_copy(oa);
	st->ngiven = oa->ngiven;
	st->choice = xcalloc(v->nchoices + 1, sizeof *st->choice);
	view_start(v, st->given, &st->ngiven, st->choice, &st->query);
	s->arg = v;
	view_build_slots(st);
	view_action_slots(c, st);
	st->cols = xcalloc(v->ncolumns, sizeof *st->cols);
	st->bar_max = xcalloc(v->ncolumns + 1, sizeof *st->bar_max);
	st->ascii = c->ascii_charts;
	for (i = 0; i < v->ncolumns; i++) {
		const struct mq_view_column *vc = &v->columns[i];

		st->cols[i].title = vc->label.zh != NULL ? view_text(c, &vc->label) : "";
		st->cols[i].min = vc->min;
		st->cols[i].weight = vc->weight;
		st->cols[i].align = vc->align;
		st->cols[i].sortable = false;
		st->cols[i].role = vc->format == MQ_VIEW_SPARK || vc->format == MQ_VIEW_BAR
					   ? TTY_CHART
					   : TTY_NORMAL;
	}
	for (i = 0; i < v->nsorts; i++)
		for (size_t k = 0; k < v->ncolumns; k++)
			if (strcmp(v->columns[k].name, v->sorts[i].column) == 0) {
				st->cols[k].sortable = v->nsorts > 1;
				if (i == 0)
					sortcol = (int)k;
			}
	st->list = list_new(st->cols, (int)v->ncolumns, st->nslots + (int)v->ncolumns, sortcol,
			    &view_ops, st);
	list_set_export(st->list, v->name, view_text(c, &v->title));
	list_set_marking(st->list, v->mark);
	if (v->search != NULL)
		prompt_init(&st->prompt, (size_t)v->search->max_chars);
	s->data = st;
	s->keytab = c->view_tabs[view_index(c, v)];
	view_load(c, st);
}

static void view_free(struct screen_inst *s)
{
	struct view_state *st = s->data;

	if (st == NULL)
		return;
	list_free(st->list);
	if (st->view->search != NULL)
		prompt_free(&st->prompt);
	free(st->cols);
	free(st->bar_max);
	free(st->choice);
	free(st->query);
	view_given_free(st->given, st->ngiven);
	free(st);
	s->data = NULL;
}

/* "我的待办   显示：全部   中心：全部中心   件数：12" */
static char *view_heading(const struct console *c, const struct screen_inst *s,
			  const struct view_state *st)
{
	const struct mq_view *v = st->view;
	char *h = xstrdup(s->title), *prev, count[32];
	size_t i;

	bool shown = false; /* the query is shown as its choice group's value */

	for (i = 0; i < v->nchoices; i++) {
		bool typed = st->query != NULL && v->search != NULL &&
			     strcmp(v->search->param, v->choices[i].param) == 0;

		prev = h;
		h = xasprintf(_("%s   %s: %s"), prev, view_text(c, &v->choices[i].label),
			      typed ? st->query
				    : view_text(c, &v->choices[i].values[st->choice[i]].label));
		shown = shown || typed;
		free(prev);
	}
	prev = h;
	if (shown)
		h = xstrdup(prev);
	else if (st->query != NULL && st->kind != NULL)
		h = xasprintf(_("%s   Found by %s: %s"), prev, st->kind, st->query);
	else if (st->query != NULL)
		h = xasprintf(_("%s   Found: %s"), prev, st->query);
	else if (v->search != NULL && v->search->all.zh != NULL)
		h = xasprintf("%s   %s", prev, view_text(c, &v->search->all));
	else
		h = xstrdup(prev);
	free(prev);
	if (v->jurisdiction) {
		prev = h;
		h = xasprintf(_("%s   Jurisdiction: %s"), prev, c->id.unit_name);
		free(prev);
	}
	snprintf(count, sizeof count, "%zu%s", list_count(st->list),
		 list_complete(st->list) ? "" : "+");
	prev = h;
	h = xasprintf(_("%s   %s: %s"), prev,
		      v->count.zh != NULL ? view_text(c, &v->count) : _("Rows"), count);
	free(prev);
	if (v->source_report && st->as_of.read) {
		char *as_of = console_as_of_text(&st->as_of);

		prev = h;
		h = xasprintf("%s   %s", prev, as_of);
		free(prev);
		free(as_of);
	}
	if (v->mark) {
		const long long *ids;
		size_t n = list_marks(st->list, &ids);

		if (n > 0) {
			snprintf(count, sizeof count, "%zu", n);
			prev = h;
			h = xasprintf(_("%s   Marked %s"), prev, count);
			free(prev);
		}
	}
	return h;
}

static void view_draw(struct console *c, struct screen_inst *s, int top, int height)
{
	struct view_state *st = s->data;
	char *h;

	if (st->prompting) {
		prompt_draw(&st->prompt, top, 1, COLS - 2, view_text(c, &st->view->search->prompt),
			    TTY_INPUT_FOCUS, true);
		if (st->view->search->help.zh != NULL)
			tty_put(top + 1, 1, COLS - 2, -1, TTY_HINT,
				view_text(c, &st->view->search->help));
		list_draw(st->list, top + 2, 0, height - 2, COLS);
		return;
	}
	h = view_heading(c, s, st);
	tty_put(top, 1, COLS - 2, -1, TTY_HEADING, h);
	free(h);
	list_draw(st->list, top + 1, 0, height - 1, COLS);
}

/* An action of the search line while it is typed. */
static enum key_result view_prompt_action(struct console *c, struct view_state *st, int action,
					  key_code key)
{
	char *typed;

	if (!prompt_owns(action))
		return SCREEN_HANDLED; /* the list's keys wait until the line is done */
	switch (prompt_action(&st->prompt, action, key)) {
	case PROMPT_CANCEL:
		st->prompting = false;
		break;
	case PROMPT_ENTER:
		st->prompting = false;
		typed = prompt_text(&st->prompt);
		view_search(c, st, typed);
		free(typed);
		break;
	default:
		break;
	}
	return SCREEN_HANDLED;
}

/* The table of the line being typed: the search's, or the list's filter. */
static const struct keytab *view_input(struct console *c MQ_UNUSED, struct screen_inst *s)
{
	struct view_state *st = s->data;

	return st->prompting ? &prompt_tab : list_input(st->list);
}

static enum key_result view_action(struct console *c, struct screen_inst *s, int action,
				   key_code key)
{
	struct view_state *st = s->data;

	if (st->prompting)
		return view_prompt_action(c, st, action, key);
	list_tick(c, st->list);
	if (action >= VIEW_A_FORM) {
		view_form(c, st, (size_t)(action - VIEW_A_FORM));
		return SCREEN_HANDLED;
	}
	if (action == VIEW_A_FIND) {
		st->prompting = true;
		return SCREEN_HANDLED;
	}
	if (action >= VIEW_A_CHOICE) {
		view_choose(c, st, action);
		return SCREEN_HANDLED;
	}
	return list_action(c, st->list, action, key);
}

/* Any notification on the view's channel, whatever it says: read again (coalesced). */
static void view_notify(struct console *c, struct screen_inst *s, const char *channel,
			const char *payload MQ_UNUSED)
{
	struct view_state *st = s->data;

	if (st->view->notify == NULL || strcmp(channel, st->view->notify) != 0)
		return;
	list_invalidate(st->list);
	list_tick(c, st->list);
}

static void view_tick(struct console *c, struct screen_inst *s)
{
	struct view_state *st = s->data;

	list_tick(c, st->list);
}

/* The rows' forms the person's duty allows (the hint line offers no other). */
static bool view_offers(struct console *c, struct screen_inst *s, int action)
{
	struct view_state *st = s->data;

	if (action < VIEW_A_FORM || action >= VIEW_A_FORM + (int)st->view->nactions)
		return true;
	return view_duty_allows(c, st->view->actions[action - VIEW_A_FORM].duty);
}

const struct screen screen_view = {
	.name = "view",
	.init = view_init,
	.free = view_free,
	.draw = view_draw,
	.input = view_input,
	.action = view_action,
	.notify = view_notify,
	.tick = view_tick,
	.offers = view_offers,
};

static size_t view_index(const struct console *c, const struct mq_view *v)
{
	size_t i;

	for (i = 0; i < c->nviews; i++)
		if (c->views[i] == v)
			return i;
	fatal("view %s is not one of the console's", v->name);
}

bool view_push(struct console *c, const char *name, const char *title,
	       const struct view_given *given, size_t ngiven)
{
	const struct mq_view *v = mq_view_find(c->views, c->nviews, name);
	struct view_open_args oa = {v, given, ngiven};

	if (v == NULL) {
		console_message(c, true, _("The list %s is not installed (forms/%s.view)."), name,
				name);
		return false;
	}
	console_push(c, v->layout == MQ_VIEW_RECORD ? &screen_record : &screen_view,
		     title != NULL && title[0] != '\0' ? title : view_text(c, &v->title), &oa);
	return true;
}

bool view_open(struct console *c, const char *name, const char *title)
{
	return view_push(c, name, title, NULL, 0);
}
