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
 * see of that case: progress and result, names and phone masked.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "form-screen.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

/* --- a screen of lines, for results ------------------------------------------------- */

struct lines_state {
	char **lines;
	int n;
	int scroll;
};

static void lines_free(struct screen_inst *s)
{
	struct lines_state *st = s->data;
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++)
		free(st->lines[i]);
	free(st->lines);
	free(st);
}

static void lines_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct lines_state *st = s->data;
	int i;

	tty_put(top, 2, COLS - 4, -1, TTY_HEADING, s->title);
	for (i = 0; i + 2 < height && st->scroll + i < st->n; i++)
		tty_put(top + 2 + i, 2, COLS - 4, -1, TTY_NORMAL, st->lines[st->scroll + i]);
}

enum { LINES_DOWN, LINES_UP, LINES_CLOSE };

static enum key_result lines_action(struct console *c MQ_UNUSED, struct screen_inst *s, int action,
				    key_code key MQ_UNUSED)
{
	struct lines_state *st = s->data;

	switch (action) {
	case LINES_DOWN:
		if (st->scroll + 1 < st->n)
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

/* Show label: value lines of one result row (labels: English msgids). */
static void lines_open(struct console *c, const char *title, char **lines, int n)
{
	struct lines_state *st = xcalloc(1, sizeof *st);

	st->lines = lines;
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
	char **lines, *pad;
	int col, n = 0;
	size_t i;

	if (res == NULL || PQntuples(res) == 0) {
		console_message(c, true, "%s",
				_("No case with this number and phone ending. Check both and try "
				  "again."));
		return;
	}
	lines = xcalloc(MQ_NITEMS(shown) + 1, sizeof *lines);
	for (i = 0; i < MQ_NITEMS(shown); i++) {
		if ((col = PQfnumber(res, shown[i].column)) < 0 || PQgetisnull(res, 0, col))
			continue;
		pad = mq_strpad(_(shown[i].label), 12, -1);
		lines[n++] = xasprintf("%s%s", pad, PQgetvalue(res, 0, col));
		free(pad);
	}
	lines_open(c, _("Publication"), lines, n);
}

void publication_open(struct console *c)
{
	struct form_args fa;

	memset(&fa, 0, sizeof fa);
	fa.done = publication_done;
	form_open(c, "case_lookup", &fa);
}
