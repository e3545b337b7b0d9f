/*
 * Case entry (信息录入) and the publication lookup (公示查询): two screens
 * that are forms of forms/ with a little around them.
 *
 * Case entry fills forms/case_intake.form. Before it is saved the person
 * sees the duplicate hint: earlier cases from the same phone with similar
 * content in the last 30 days (minqing.case_duplicates: pg_trgm similarity,
 * which works for Chinese); they are told, never merged. After saving, the
 * case number is shown and the new case opens.
 *
 * The publication lookup fills forms/case_lookup.form (case number and the
 * last four digits of the submitter's phone) and shows what the public may
 * see of that case: progress and result, names and phone masked, each
 * whole (a long result on as many rows as it takes).
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "form-screen.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "vocab.h"

/* --- a screen of lines, for results ------------------------------------------------- */

/*
 * Label and value rows: the labels in a column as wide as the longest, each
 * value broken into lines beside its label (mq_linebreak: a case number or
 * a word is never split), laid out anew at each draw for the width there is.
 */
struct lines_state {
	const char **labels; /* translated; not owned */
	char **values;
	int n;
	int scroll; /* the first row shown */
	int nrows;  /* rows at the last draw */
};

static void lines_free(struct screen_inst *s)
{
	struct lines_state *st = s->data;
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++)
		free(st->values[i]);
	free(st->values);
	free(st->labels);
	free(st);
}

static void lines_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct lines_state *st = s->data;
	int i, lw = 0, w, row = 0, y;
	size_t nl, k;
	char **rows;

	tty_put(top, 2, COLS - 4, -1, TTY_HEADING, s->title);
	for (i = 0; i < st->n; i++)
		if ((w = mq_strwidth(st->labels[i])) > lw)
			lw = w;
	lw += 2;
	if (lw > (COLS - 4) / 3)
		lw = (COLS - 4) / 3;
	for (i = 0; i < st->n; i++) {
		nl = mq_wrap(st->values[i], COLS - 4 - lw, &rows);
		for (k = 0; k < nl; k++, row++) {
			y = top + 2 + row - st->scroll;
			if (y < top + 2 || y >= top + height)
				continue;
			if (k == 0)
				tty_put(y, 2, lw, -1, TTY_NORMAL, st->labels[i]);
			tty_put(y, 2 + lw, COLS - 4 - lw, -1, TTY_NORMAL, rows[k]);
		}
		mq_wrap_free(rows, nl);
	}
	st->nrows = row;
}

enum { LINES_DOWN, LINES_UP, LINES_CLOSE };

static enum key_result lines_action(struct console *c MQ_UNUSED, struct screen_inst *s, int action,
				    key_code key MQ_UNUSED)
{
	struct lines_state *st = s->data;

	switch (action) {
	case LINES_DOWN:
		if (st->scroll + 1 < st->nrows)
			st->scroll++;
		return SCREEN_HANDLED;
	case LINES_UP:
		if (st->scroll > 0)
			st->scroll--;
		return SCREEN_HANDLED;
	case LINES_CLOSE:
		return SCREEN_BACK;
	default:
		return SCREEN_IGNORED;
	}
}

static const struct keytab_entry lines_entries[] = {
	{LINES_DOWN, NULL, {KEYC_F(KEY_DOWN), 'j'}, NULL, NULL, N_("scroll")},
	{LINES_UP, NULL, {KEYC_F(KEY_UP), 'k'}, NULL, NULL, N_("scroll")},
	{LINES_CLOSE,
	 NULL,
	 {'\r', '\n', KEYC_F(KEY_ENTER)},
	 N_("Enter or Esc"),
	 N_("back"),
	 N_("back")},
};

static const struct keytab lines_tab = {
	.name = "result",
	.title = N_("Publication"),
	KEYTAB_ENTRIES(lines_entries),
};

const struct screen screen_lines = {
	.name = "lines",
	.free = lines_free,
	.draw = lines_draw,
	.keytab = &lines_tab,
	.action = lines_action,
};

/* Show label and value rows (labels translated, not owned; values taken over). */
static void lines_open(struct console *c, const char *title, const char **labels, char **values,
		       int n)
{
	struct lines_state *st = xcalloc(1, sizeof *st);

	st->labels = labels;
	st->values = values;
	st->n = n;
	console_push(c, &screen_lines, title, NULL);
	c->stack[c->depth - 1]->data = st;
}

/* --- case entry ---------------------------------------------------------------------- */

static char *entry_precheck(struct console *c, void *arg MQ_UNUSED,
			    const struct form_values_view *fv)
{
	const char *phone = form_value(fv, "submitter_phone");
	const char *content = form_value(fv, "content");
	const char *params[2] = {phone, content};
	struct mq_db_error err = {0};
	char *notice = NULL, *next;
	PGresult *res;
	int i;

	if (phone == NULL || content == NULL)
		return NULL;
	res = console_query(c, "entry.duplicates", &err,
			    "SELECT d.case_no, d.title, to_char(d.created_at, 'MM-DD') AS day "
			    "  FROM minqing.case_duplicates($1, $2) d",
			    2, params);
	if (res == NULL) {
		mq_db_error_clear(&err); /* a hint only: saving goes on */
		return NULL;
	}
	for (i = 0; i < PQntuples(res); i++) {
		next = xasprintf("%s%s%s %s (%s)", notice != NULL ? notice : "",
				 notice != NULL ? "; " : "", mq_db_field(res, i, "case_no"),
				 mq_db_field(res, i, "title"), mq_db_field(res, i, "day"));
		free(notice);
		notice = next;
	}
	PQclear(res);
	if (notice == NULL)
		return NULL;
	next = xasprintf(_("Possible duplicates from this phone in the last 30 days: %s"), notice);
	free(notice);
	return next;
}

static void entry_done(struct console *c, void *arg MQ_UNUSED, PGresult *res)
{
	long long id;

	if (res == NULL || PQntuples(res) != 1)
		return;
	id = atoll(mq_db_field(res, 0, "case_id") != NULL ? mq_db_field(res, 0, "case_id") : "0");
	case_open(c, id);
	console_message(c, false, _("Saved: case number %s."), mq_db_field(res, 0, "case_no"));
}

void entry_open(struct console *c)
{
	struct form_args fa;

	memset(&fa, 0, sizeof fa);
	fa.precheck = entry_precheck;
	fa.done = entry_done;
	form_open(c, "case_intake", &fa);
}

/* --- publication lookup --------------------------------------------------------------- */

static void publication_done(struct console *c, void *arg MQ_UNUSED, PGresult *res)
{
	static const struct {
		const char *column;
		const char *label;
	} shown[] = {
		{"case_no", N_("Case number")},
		{"title", N_("Title")},
		{"category", N_("Category")},
		{"status", N_("Progress")},
		{"received_on", N_("Received on")},
		{"handling_unit", N_("Handled by")},
		{"result", N_("Result")},
		{"submitter", N_("Submitter")},
		{"phone", N_("Phone")},
	};
	const char **labels;
	char **values;
	int col, n = 0;
	size_t i;

	if (res == NULL || PQntuples(res) == 0) {
		console_message(c, true, "%s",
				_("No case with this number and phone ending. Check both and try "
				  "again."));
		return;
	}
	labels = xcalloc(MQ_NITEMS(shown) + 1, sizeof *labels);
	values = xcalloc(MQ_NITEMS(shown) + 1, sizeof *values);
	for (i = 0; i < MQ_NITEMS(shown); i++) {
		if ((col = PQfnumber(res, shown[i].column)) < 0 || PQgetisnull(res, 0, col))
			continue;
		labels[n] = _(shown[i].label);
		/* the state in the person's words (已办结), not the database's (resolved) */
		values[n++] = mq_text_clip(strcmp(shown[i].column, "status") == 0
						   ? vocab_status_label(PQgetvalue(res, 0, col))
						   : PQgetvalue(res, 0, col),
					   MQ_TEXT_MAX);
	}
	lines_open(c, _("Publication"), labels, values, n);
}

void publication_open(struct console *c)
{
	struct form_args fa;

	memset(&fa, 0, sizeof fa);
	fa.done = publication_done;
	form_open(c, "case_lookup", &fa);
}
