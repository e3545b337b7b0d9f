/*
 * The list widget (after htop's Panel): rows under a header, a selection
 * bar, scrolling, and the keys every list of the console shares:
 *
 *   Up/k Down/j        one row          PgUp/b PgDn/space   one screen
 *   Home/g End/G       first, last loaded row (End loads the next page)
 *   /                  filter: type to hide the loaded rows that do not
 *                      contain the text in any cell; Enter keeps it, Esc
 *                      clears it
 *   s                  sort by the next sortable column (the screen queries
 *                      again in that column's keyset order)
 *   r F5               refresh, the selection staying on the same row id
 *   Enter              open the selected row
 *   m Insert           (a list that marks rows) mark or unmark the selected
 *                      row, then move down; M marks every row shown, or
 *                      clears the marks when there are some
 *
 * The selected row has the selection bar and a '>' in the first column, so
 * it shows without colour (and to a test reading the screen as text); a
 * marked row has a '*' in the second (a list that marks rows).
 *
 * Keyset pagination: when the selection comes within a screenful of the
 * last loaded row, the widget asks its screen for the page after that row
 * (ops->fetch with the last row; never an OFFSET). Loading happens in the
 * key path and in list_reload() only: list_draw() never asks for anything.
 * A list stops at LIST_MAX_ROWS rows and says so, which keeps memory
 * bounded; a narrower search or filter is the way further.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "list.h"
#include "prompt.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

struct list {
	const struct list_column *cols;
	int ncols;
	int ncells; /* ncols + hidden */
	const struct list_ops *ops;
	void *arg;
	const char *empty; /* shown when there is no row; translated, not owned */

	struct list_row *rows;
	size_t nrows, cap;
	size_t *shown; /* indexes of the rows the filter lets through */
	size_t nshown, shown_cap;

	int sel;    /* index into shown */
	int top;    /* first index of shown drawn */
	int height; /* rows of data in the last draw */
	int sort;   /* column */
	bool at_end, capped;

	struct prompt filter_edit; /* the filter line (prompt.c) */
	char *filter;              /* its text as the rows are matched against; owned, "" none */
	bool editing;              /* the filter is being typed */
	bool typing;               /* the filter line always has the focus (the picker) */
	const char *filter_label; /* of the filter line (translated, not owned); NULL: "Filter: " */
	bool search; /* the screen searches by the filter (fetch reads it): no local match */

	bool stale;          /* reload at the next list_tick() that is due */
	long long loaded_ms; /* when the first page was last read (monotonic) */

	const char *export_name, *export_title; /* list_set_export(); not owned */

	bool marking;     /* rows can be marked (list_set_marking()) */
	long long *marks; /* the ids of the marked rows, owned; kept across reloads */
	size_t nmarks, marks_cap;
};

struct list *list_new(const struct list_column *cols, int ncols, int nhidden, int sort,
		      const struct list_ops *ops, void *arg)
{
	struct list *l = xcalloc(1, sizeof *l);

	l->cols = cols;
	l->ncols = ncols;
	l->ncells = ncols + nhidden;
	l->ops = ops;
	l->arg = arg;
	l->sort = sort;
	l->empty = _("Nothing to show.");
	l->filter = xstrdup("");
	prompt_init(&l->filter_edit, LIST_FILTER_MAX);
	/* Until the first draw says otherwise: the whole terminal. */
	l->height = LINES > 0 ? LINES : CONSOLE_MIN_ROWS;
	return l;
}

static void list_free_rows(struct list_row *rows, size_t n, int ncells)
{
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < ncells; j++)
			free(rows[i].cells[j]);
		free(rows[i].cells);
	}
	free(rows);
}

void list_free(struct list *l)
{
	if (l == NULL)
		return;
	list_free_rows(l->rows, l->nrows, l->ncells);
	free(l->shown);
	prompt_free(&l->filter_edit);
	free(l->filter);
	free(l->marks);
	free(l);
}

void list_set_empty(struct list *l, const char *text)
{
	l->empty = text;
}

struct list_row *list_add(struct list *l, long long id, enum tty_role role)
{
	struct list_row *r;

	if (l->nrows == l->cap) {
		l->cap = l->cap == 0 ? LIST_PAGE : l->cap * 2;
		l->rows = xrealloc(l->rows, l->cap * sizeof *l->rows);
	}
	r = &l->rows[l->nrows++];
	r->id = id;
	r->role = role;
	r->cells = xcalloc((size_t)l->ncells, sizeof *r->cells);
	return r;
}

void list_set(struct list *l, struct list_row *r, int col, const char *s)
{
	if (col < 0 || col >= l->ncells)
		fatal("list_set: column %d of %d", col, l->ncells);
	free(r->cells[col]);
	/* A cell shows one line: what is past MQ_TEXT_MAX characters is never drawn. */
	r->cells[col] = s != NULL ? mq_text_clip(s, MQ_TEXT_MAX) : NULL;
}

static bool list_row_matches(const struct list *l, const struct list_row *r)
{
	if (l->search)
		return true; /* the rows are what the screen found for the filter */
	return listfmt_match((const char *const *)r->cells, l->ncols, l->filter);
}

/* Add rows from..nrows-1 to the shown ones when the filter lets them through. */
static void list_show_from(struct list *l, size_t from)
{
	size_t i;

	for (i = from; i < l->nrows; i++) {
		if (!list_row_matches(l, &l->rows[i]))
			continue;
		if (l->nshown == l->shown_cap) {
			l->shown_cap = l->shown_cap == 0 ? LIST_PAGE : l->shown_cap * 2;
			l->shown = xrealloc(l->shown, l->shown_cap * sizeof *l->shown);
		}
		l->shown[l->nshown++] = i;
	}
}

static void list_clamp(struct list *l)
{
	if (l->sel >= (int)l->nshown)
		l->sel = (int)l->nshown - 1;
	if (l->sel < 0)
		l->sel = 0;
}

/* The filter changed: which rows show, the selection on the same row if it still shows. */
static void list_refilter(struct list *l)
{
	size_t keep = l->nshown > 0 ? l->shown[l->sel] : 0;
	size_t i;

	l->nshown = 0;
	list_show_from(l, 0);
	l->sel = 0;
	for (i = 0; i < l->nshown; i++)
		if (l->shown[i] >= keep) {
			l->sel = (int)i;
			break;
		}
	list_clamp(l);
}

/* Ask the screen for the next page. 1 when rows came, 0 at the end, -1 on error. */
static int list_fetch(struct console *c, struct list *l)
{
	size_t before = l->nrows;
	int n;

	if (l->at_end)
		return 0;
	if (l->nrows >= LIST_MAX_ROWS) {
		l->at_end = l->capped = true;
		return 0;
	}
	n = l->ops->fetch(c, l->arg, l, l->nrows > 0 ? &l->rows[l->nrows - 1] : NULL);
	if (n < 0) {
		/* Rows appended before the error are dropped: the next try asks again. */
		while (l->nrows > before) {
			int j;

			l->nrows--;
			for (j = 0; j < l->ncells; j++)
				free(l->rows[l->nrows].cells[j]);
			free(l->rows[l->nrows].cells);
		}
		return -1;
	}
	if (n < LIST_PAGE)
		l->at_end = true;
	list_show_from(l, before);
	return l->nrows > before ? 1 : 0;
}

/*
 * Keep a screenful below the selection loaded. Without a filter that is a
 * page now and then; with one, at most one page per key, so a filter that
 * matches nothing never reads the whole list in one go.
 */
static void list_fill(struct console *c, struct list *l)
{
	int margin = l->height > 10 ? l->height : 10;

	while (!l->at_end && (int)l->nshown - 1 - l->sel < margin) {
		if (list_fetch(c, l) < 0 || l->filter[0] != '\0')
			break;
	}
}

/* --- marks ------------------------------------------------------------------------------ */

void list_set_marking(struct list *l, bool on)
{
	l->marking = on;
}

static long list_mark_index(const struct list *l, long long id)
{
	size_t i;

	for (i = 0; i < l->nmarks; i++)
		if (l->marks[i] == id)
			return (long)i;
	return -1;
}

bool list_marked(const struct list *l, long long id)
{
	return list_mark_index(l, id) >= 0;
}

static void list_mark_add(struct list *l, long long id)
{
	if (list_mark_index(l, id) >= 0)
		return;
	if (l->nmarks == l->marks_cap) {
		l->marks_cap = l->marks_cap == 0 ? LIST_PAGE : l->marks_cap * 2;
		l->marks = xrealloc(l->marks, l->marks_cap * sizeof *l->marks);
	}
	l->marks[l->nmarks++] = id;
}

/* Mark or unmark the selected row. */
static void list_mark_toggle(struct list *l)
{
	long k;

	if (l->nshown == 0)
		return;
	k = list_mark_index(l, l->rows[l->shown[l->sel]].id);
	if (k >= 0)
		l->marks[k] = l->marks[--l->nmarks];
	else
		list_mark_add(l, l->rows[l->shown[l->sel]].id);
}

/* Mark every row shown, or clear the marks when there are some. */
static void list_mark_all(struct list *l)
{
	size_t i;

	if (l->nmarks > 0) {
		l->nmarks = 0;
		return;
	}
	for (i = 0; i < l->nshown; i++)
		list_mark_add(l, l->rows[l->shown[i]].id);
}

size_t list_marks(const struct list *l, const long long **ids)
{
	*ids = l->marks;
	return l->nmarks;
}

void list_marks_clear(struct list *l)
{
	l->nmarks = 0;
}

/*
 * After a reload: a mark stays on its id, found among as many rows as were
 * loaded before (a row that left the list, a case resolved meanwhile, loses
 * its mark; one not reached yet keeps it while the list is not complete).
 */
static void list_marks_prune(struct console *c, struct list *l, size_t want)
{
	size_t i, j, n = 0;
	bool found;

	while (!l->at_end && l->nrows < want && list_fetch(c, l) > 0)
		;
	if (!l->at_end)
		return;
	for (i = 0; i < l->nmarks; i++) {
		for (j = 0, found = false; j < l->nrows && !found; j++)
			found = l->rows[j].id == l->marks[i];
		if (found)
			l->marks[n++] = l->marks[i];
	}
	l->nmarks = n;
}

int list_reload(struct console *c, struct list *l, bool keep)
{
	struct list_row *old_rows = l->rows;
	size_t old_nrows = l->nrows, old_cap = l->cap, i;
	long long id = 0;
	bool have_id = false, found = false, old_end = l->at_end, old_capped = l->capped;
	int old_sel = l->sel, old_top = l->top, old_offset = l->sel - l->top;

	if (keep && l->nshown > 0) {
		id = l->rows[l->shown[l->sel]].id;
		have_id = true;
	}
	l->loaded_ms = console_now_ms();
	l->stale = false;
	l->rows = NULL;
	l->nrows = l->cap = 0;
	l->nshown = 0;
	l->at_end = l->capped = false;
	l->sel = l->top = 0;
	if (list_fetch(c, l) < 0) {
		/* Keep what was shown: a lost connection should not empty the screen. */
		list_free_rows(l->rows, l->nrows, l->ncells);
		l->rows = old_rows;
		l->nrows = old_nrows;
		l->cap = old_cap;
		l->nshown = 0;
		list_show_from(l, 0);
		l->sel = old_sel;
		list_clamp(l);
		l->at_end = old_end;
		l->capped = old_capped;
		return -1;
	}
	list_free_rows(old_rows, old_nrows, l->ncells);
	if (l->nmarks > 0)
		list_marks_prune(c, l, old_nrows);
	if (have_id) {
		/* Find the row again, reading no more rows than were loaded. */
		for (;;) {
			for (i = 0; i < l->nshown; i++)
				if (l->rows[l->shown[i]].id == id) {
					l->sel = (int)i;
					found = true;
					break;
				}
			if (found || l->at_end || l->nrows >= old_nrows || list_fetch(c, l) <= 0)
				break;
		}
		if (!found)
			l->sel = old_sel;
		list_clamp(l);
		/* The row stays where it was on the screen, if it can; a list shown
		 * from its first row still is when the row fits the page, so that
		 * a row new on top (the news just posted) is seen. */
		l->top = l->sel - old_offset;
		if (l->top < 0 || (old_top == 0 && l->sel < l->height))
			l->top = 0;
	}
	list_fill(c, l);
	return 0;
}

void list_invalidate(struct list *l)
{
	l->stale = true;
}

void list_tick(struct console *c, struct list *l)
{
	if (!l->stale || c->conn != CONN_OK)
		return;
	/* Others' changes at the pace; the person's own since the load at once. */
	if (console_now_ms() - l->loaded_ms < LIST_RELOAD_MS && c->changed_ms < l->loaded_ms)
		return;
	list_reload(c, l, true);
}

/* The last line: the filter (with its cursor while typed), or why the list stops. */
static void list_draw_footer(struct list *l, int y, int x, int width)
{
	char *counts, *msg;
	int cw;

	if (!l->editing && l->filter[0] == '\0') {
		msg = xasprintf(_("Only the first %d rows are shown: narrow the search."),
				LIST_MAX_ROWS);
		tty_put(y, x, width, -1, TTY_HINT, msg);
		free(msg);
		return;
	}
	counts = xasprintf(_("%zu of %zu loaded rows"), l->nshown, l->nrows);
	cw = mq_strwidth(counts) + 3;
	if (cw > width / 2)
		cw = 0;
	prompt_draw(&l->filter_edit, y, x, width - cw,
		    l->filter_label != NULL ? l->filter_label : _("Filter: "),
		    l->editing ? TTY_INPUT_FOCUS : TTY_HINT, l->editing);
	if (cw > 0)
		tty_put(y, x + width - cw, cw, 1, l->editing ? TTY_INPUT_FOCUS : TTY_HINT, counts);
	free(counts);
}

/*
 * Over a row drawn in its own look, the cells of the columns that have a look
 * of their own (a chart's colour), at the columns listfmt_row() gave them.
 */
static void list_draw_cells(const struct list *l, const char *const *cells, const int *widths,
			    int y, int x)
{
	int j, at = 0;
	bool first = true;
	char *pad;

	for (j = 0; j < l->ncols; j++) {
		if (widths[j] <= 0)
			continue;
		at += first ? 0 : LIST_GAP;
		first = false;
		if (l->cols[j].role != TTY_NORMAL) {
			pad = mq_strpad(cells[j] != NULL ? cells[j] : "", widths[j],
					l->cols[j].align);
			tty_put(y, x + at, widths[j], -1, l->cols[j].role, pad);
			free(pad);
		}
		at += widths[j];
	}
}

void list_draw(struct list *l, int y, int x, int height, int width)
{
	int *widths, i, rows, nsort = 0;
	const char **cells;
	char *line, *msg;
	time_t now = mq_now();
	bool footer;

	if (height < 2 || width < 1)
		return;
	widths = xcalloc((size_t)l->ncols, sizeof *widths);
	cells = xcalloc((size_t)l->ncols, sizeof *cells);
	/* Column 0 is the pointer of the selected row: '>' (seen without colour too);
	 * column 1 a marked row's '*' when the list marks rows. */
	listfmt_widths(l->cols, l->ncols, width - 1 - (l->marking ? 1 : 0), LIST_GAP, widths);
	for (i = 0; i < l->ncols; i++)
		if (l->cols[i].sortable)
			nsort++;

	/* The header; the sorted column marked when there is a choice. */
	for (i = 0; i < l->ncols; i++) {
		const char *t = l->cols[i].title;

		cells[i] = nsort > 1 && i == l->sort ? xasprintf("%s↓", t) : xstrdup(t);
	}
	line = listfmt_row(l->cols, cells, widths, l->ncols, LIST_GAP);
	tty_putf(y, x, width, -1, TTY_HEADING, l->marking ? "  %s" : " %s", line);
	free(line);
	for (i = 0; i < l->ncols; i++)
		free((char *)cells[i]);

	footer = l->editing || l->filter[0] != '\0' || l->capped;
	rows = height - 1 - (footer ? 1 : 0);
	if (rows < 1)
		rows = 1;
	l->height = rows;
	list_clamp(l);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->top > 0 && l->top + rows > (int)l->nshown)
		l->top = (int)l->nshown - rows > 0 ? (int)l->nshown - rows : 0;

	if (l->nrows == 0)
		tty_put(y + 2, x + 2, width - 4, -1, TTY_HINT, l->empty);
	else if (l->nshown == 0) {
		msg = xasprintf(_("No loaded row contains \"%s\"."), l->filter);
		tty_put(y + 2, x + 2, width - 4, -1, TTY_HINT, msg);
		free(msg);
	}
	for (i = 0; i < rows && l->top + i < (int)l->nshown; i++) {
		const struct list_row *r = &l->rows[l->shown[l->top + i]];
		char **dyn = xcalloc((size_t)l->ncols, sizeof *dyn);
		const char *mark = !l->marking ? "" : (list_marked(l, r->id) ? "*" : " ");
		int j;

		for (j = 0; j < l->ncols; j++) {
			if (widths[j] > 0 && l->ops->cell != NULL)
				dyn[j] = l->ops->cell(l->arg, r, j, now);
			cells[j] = dyn[j] != NULL ? dyn[j] : r->cells[j];
		}
		line = listfmt_row(l->cols, cells, widths, l->ncols, LIST_GAP);
		if (l->top + i == l->sel)
			tty_putf(y + 1 + i, x, width, -1, TTY_SELECTED, ">%s%s", mark, line);
		else {
			tty_putf(y + 1 + i, x, width, -1, r->role, " %s%s", mark, line);
			list_draw_cells(l, cells, widths, y + 1 + i, x + 1 + (l->marking ? 1 : 0));
		}
		free(line);
		for (j = 0; j < l->ncols; j++)
			free(dyn[j]);
		free(dyn);
	}

	if (footer)
		list_draw_footer(l, y + height - 1, x, width);
	free(cells);
	free(widths);
}

/* Tell the person (the screen's say(), the message line); nothing without one. */
static void list_say(struct console *c, struct list *l, const char *text)
{
	if (l->ops->say != NULL)
		l->ops->say(c, l->arg, text);
}

/* The next sortable column after the current one. */
static void list_next_sort(struct console *c, struct list *l)
{
	char *msg;
	int i, col;

	for (i = 1; i <= l->ncols; i++) {
		col = (l->sort + i) % l->ncols;
		if (l->cols[col].sortable)
			break;
	}
	if (i > l->ncols || col == l->sort) {
		list_say(c, l, _("This list has one order only."));
		return;
	}
	l->sort = col;
	list_reload(c, l, false);
	msg = xasprintf(_("Sorted by %s."), l->cols[col].title);
	list_say(c, l, msg);
	free(msg);
}

/* The filter line's text changed: match the rows again, or ask the screen for them. */
static void list_filter_changed(struct console *c, struct list *l)
{
	free(l->filter);
	l->filter = prompt_text(&l->filter_edit);
	if (l->search) {
		list_reload(c, l, false);
		return;
	}
	list_refilter(l);
	list_fill(c, l);
}

static void list_filter_clear(struct list *l)
{
	prompt_set(&l->filter_edit, "");
	free(l->filter);
	l->filter = xstrdup("");
	list_refilter(l);
}

static void list_move(struct console *c, struct list *l, int action);

/*
 * The picker's way: the line always has the focus, the moves still move,
 * Enter opens the selected row and Esc leaves (the screen's back).
 */
static enum key_result list_typing_action(struct console *c, struct list *l, int action,
					  key_code key)
{
	if (action >= LIST_A_UP && action <= LIST_A_LAST) {
		list_move(c, l, action);
		return SCREEN_HANDLED;
	}
	if (action == PROMPT_A_ENTER || action == LIST_A_OPEN) {
		if (l->nshown > 0 && l->ops->open != NULL)
			l->ops->open(c, l->arg, &l->rows[l->shown[l->sel]]);
		return SCREEN_HANDLED;
	}
	if (action == PROMPT_A_CANCEL)
		return SCREEN_IGNORED;
	if (!prompt_owns(action))
		return SCREEN_IGNORED;
	if (prompt_action(&l->filter_edit, action, key) == PROMPT_CHANGED)
		list_filter_changed(c, l);
	return SCREEN_HANDLED;
}

/* An action of the filter line while it is typed (prompt_tab), and Up/Down that end it. */
static enum key_result list_filter_action(struct console *c, struct list *l, int action,
					  key_code key)
{
	if (l->typing)
		return list_typing_action(c, l, action, key);
	if (action == LIST_A_UP || action == LIST_A_DOWN ||
	    (action == PROMPT_A_BACKSPACE && prompt_empty(&l->filter_edit))) {
		l->editing = false;
		return SCREEN_HANDLED;
	}
	if (!prompt_owns(action))
		return SCREEN_HANDLED; /* the list's other keys do nothing while typing */
	switch (prompt_action(&l->filter_edit, action, key)) {
	case PROMPT_CANCEL:
		list_filter_clear(l);
		l->editing = false;
		break;
	case PROMPT_ENTER:
		l->editing = false;
		break;
	case PROMPT_CHANGED:
		list_filter_changed(c, l);
		break;
	default:
		break;
	}
	return SCREEN_HANDLED;
}

const struct keytab *list_input(const struct list *l)
{
	return l->editing ? &prompt_tab : NULL;
}

void list_set_typing(struct list *l, bool search, const char *label)
{
	l->typing = l->editing = true;
	l->search = search;
	l->filter_label = label;
}

const char *list_filter_text(const struct list *l)
{
	return l->filter;
}

bool list_select_id(struct list *l, long long id)
{
	size_t i;

	for (i = 0; i < l->nshown; i++)
		if (l->rows[l->shown[i]].id == id) {
			l->sel = (int)i;
			return true;
		}
	return false;
}

bool list_select_cell(struct list *l, int col, const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < l->nshown; i++) {
		const char *v = l->rows[l->shown[i]].cells[col];

		if (v != NULL && strcmp(v, value) == 0) {
			l->sel = (int)i;
			return true;
		}
	}
	return false;
}

/* The moves; they load the next page when the selection nears the end. */
static void list_move(struct console *c, struct list *l, int action)
{
	int page = l->height > 1 ? l->height - 1 : 1;

	switch (action) {
	case LIST_A_UP:
		l->sel--;
		break;
	case LIST_A_DOWN:
		/* At the last row shown, Down asks for the next page (a filter may hide it). */
		if (l->sel + 1 >= (int)l->nshown && !l->at_end)
			list_fetch(c, l);
		l->sel++;
		break;
	case LIST_A_PAGE_UP:
		l->sel -= page;
		l->top -= page;
		if (l->top < 0)
			l->top = 0;
		break;
	case LIST_A_PAGE_DOWN:
		l->sel += page;
		l->top += page;
		if (l->sel >= (int)l->nshown && !l->at_end)
			list_fetch(c, l);
		break;
	case LIST_A_FIRST:
		l->sel = 0;
		break;
	default: /* LIST_A_LAST */
		l->sel = (int)l->nshown - 1;
		if (!l->at_end)
			list_fetch(c, l);
		break;
	}
	list_clamp(l);
	list_fill(c, l);
}

enum key_result list_action(struct console *c, struct list *l, int action, key_code key)
{
	if (l->editing)
		return list_filter_action(c, l, action, key);
	switch (action) {
	case LIST_A_UP:
	case LIST_A_DOWN:
	case LIST_A_PAGE_UP:
	case LIST_A_PAGE_DOWN:
	case LIST_A_FIRST:
	case LIST_A_LAST:
		list_move(c, l, action);
		return SCREEN_HANDLED;
	case LIST_A_FILTER:
		l->editing = true;
		return SCREEN_HANDLED;
	case LIST_A_CLEAR:
		if (l->filter[0] == '\0')
			return SCREEN_IGNORED; /* back, as everywhere */
		list_filter_clear(l);
		return SCREEN_HANDLED;
	case LIST_A_SORT:
		list_next_sort(c, l);
		return SCREEN_HANDLED;
	case LIST_A_RELOAD:
		console_reloaded(c);
		if (list_reload(c, l, true) == 0)
			list_say(c, l, _("Refreshed."));
		return SCREEN_HANDLED;
	case LIST_A_OPEN:
		if (l->nshown > 0 && l->ops->open != NULL)
			l->ops->open(c, l->arg, &l->rows[l->shown[l->sel]]);
		return SCREEN_HANDLED;
	case LIST_A_EXPORT:
		if (l->export_name == NULL)
			return SCREEN_IGNORED;
		list_export(c, l);
		return SCREEN_HANDLED;
	case LIST_A_MARK:
		if (!l->marking)
			return SCREEN_IGNORED;
		list_mark_toggle(l);
		list_move(c, l, LIST_A_DOWN);
		return SCREEN_HANDLED;
	case LIST_A_MARK_ALL:
		if (!l->marking)
			return SCREEN_IGNORED;
		list_mark_all(l);
		return SCREEN_HANDLED;
	default:
		return SCREEN_IGNORED;
	}
}

void list_set_export(struct list *l, const char *name, const char *title)
{
	l->export_name = name;
	l->export_title = title;
}

const char *list_export_name(const struct list *l)
{
	return l->export_name;
}

const char *list_export_title(const struct list *l)
{
	return l->export_title != NULL ? l->export_title : "";
}

int list_load_all(struct console *c, struct list *l)
{
	int got;

	while ((got = list_fetch(c, l)) > 0)
		;
	return got < 0 ? -1 : 0;
}

const struct list_row *list_shown_row(const struct list *l, size_t i)
{
	return i < l->nshown ? &l->rows[l->shown[i]] : NULL;
}

char *list_cell_text(const struct list *l, const struct list_row *r, int col, time_t now)
{
	char *dyn = l->ops->cell != NULL ? l->ops->cell(l->arg, r, col, now) : NULL;

	return dyn != NULL ? dyn : xstrdup(r->cells[col] != NULL ? r->cells[col] : "");
}

const struct list_column *list_columns(const struct list *l, int *n)
{
	*n = l->ncols;
	return l->cols;
}

const struct list_row *list_selected(const struct list *l)
{
	if (l->nshown == 0)
		return NULL;
	return &l->rows[l->shown[l->sel]];
}

int list_sort(const struct list *l)
{
	return l->sort;
}

size_t list_count(const struct list *l)
{
	return l->nrows;
}

size_t list_shown(const struct list *l)
{
	return l->nshown;
}

bool list_complete(const struct list *l)
{
	return l->at_end && !l->capped;
}

bool list_capped(const struct list *l)
{
	return l->capped;
}

/*
 * The widget's actions, added to a list screen's table (built at run time
 * from its view file). Names: a person's keys.reload and keys.open apply
 * here as on every screen that has them.
 */
static const struct {
	int id;
	const char *name, *keys, *hint_keys, *hint, *help;
} list_entries[] = {
	{LIST_A_OPEN, "open", "Enter", NULL, N_("open"), N_("open the selected row")},
	{LIST_A_UP, NULL, "Up k", "↑↓", NULL, N_("move (End loads more)")},
	{LIST_A_DOWN, NULL, "Down j", NULL, NULL, N_("move (End loads more)")},
	{LIST_A_PAGE_UP, NULL, "PgUp b", NULL, NULL, N_("move (End loads more)")},
	{LIST_A_PAGE_DOWN, NULL, "PgDn Space", NULL, NULL, N_("move (End loads more)")},
	{LIST_A_FIRST, NULL, "Home g", NULL, NULL, N_("move (End loads more)")},
	{LIST_A_LAST, NULL, "End G", NULL, NULL, N_("move (End loads more)")},
	{LIST_A_FILTER, "filter", "/", NULL, N_("filter"),
	 N_("filter the loaded rows (Enter keeps it, Esc clears it)")},
	{LIST_A_CLEAR, NULL, "Esc", NULL, NULL, NULL},
	{LIST_A_SORT, "sort", "s", NULL, N_("sort"), N_("sort by the next column that can sort")},
	{LIST_A_RELOAD, "reload", "r F5", NULL, N_("refresh"),
	 N_("refresh, staying on the same row")},
	{LIST_A_EXPORT, "export", "E", NULL, N_("export"),
	 N_("export the rows (those the filter shows) to a CSV file and a text file for printing")},
	{LIST_A_MARK, "mark", "m Insert", NULL, N_("mark"),
	 N_("mark or unmark the row (an action on the marked rows takes them all)")},
	{LIST_A_MARK_ALL, "mark_all", "M", NULL, NULL,
	 N_("mark every row shown, or clear the marks")},
};

int list_keytab_add(struct keytab *t, bool sorts, bool opens, char **cause)
{
	return list_keytab_add_some(t, sorts, opens, true, false, cause);
}

int list_keytab_add_some(struct keytab *t, bool sorts, bool opens, bool rows, bool marks,
			 char **cause)
{
	size_t i;

	for (i = 0; i < MQ_NITEMS(list_entries); i++) {
		const char *hint = list_entries[i].hint, *help = list_entries[i].help;
		int id = list_entries[i].id;

		/* A text, not rows: moving and reloading only. */
		if (!rows && (id == LIST_A_FILTER || id == LIST_A_CLEAR || id == LIST_A_SORT ||
			      id == LIST_A_EXPORT || id == LIST_A_OPEN))
			continue;
		/* One order only: s just says so; neither the hint line nor the help offers it. */
		if (list_entries[i].id == LIST_A_SORT && !sorts)
			hint = help = NULL;
		/* Rows that open nothing: Enter is not offered (nor bound). */
		if (list_entries[i].id == LIST_A_OPEN && !opens)
			continue;
		/* Marks only in a list that marks rows (m is a view's own key elsewhere). */
		if ((id == LIST_A_MARK || id == LIST_A_MARK_ALL) && (!marks || !rows))
			continue;
		if (keytab_add(t, list_entries[i].id, list_entries[i].name, list_entries[i].keys,
			       list_entries[i].hint_keys, hint != NULL ? _(hint) : NULL,
			       help != NULL ? _(help) : NULL, cause) != 0)
			return -1;
	}
	return 0;
}

int list_keytab_add_export(struct keytab *t, char **cause)
{
	return keytab_add(t, LIST_A_EXPORT, "export", "E", NULL, _("export"),
			  _("export the figures to a CSV file and a text file for printing"),
			  cause);
}
