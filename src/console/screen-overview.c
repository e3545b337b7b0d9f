/*
 * Jurisdiction overview (辖区概况): how many units, stations, households,
 * residents and party members the person's jurisdiction holds, and how many
 * households still have no linked party member. Households and people are
 * counted as the database's row-level security lets this person see them;
 * units and stations, readable by everyone, are counted inside the subtree
 * of minqing.my_scope(). So the same screen shows a village to a village
 * officer and a whole town to a town handler.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "vocab.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

/* (section, kind, n): units and stations in enum order (schema/functions/56_reads.sql). */
static const char overview_sql[] = "SELECT * FROM minqing.jurisdiction_overview()";

/* Names of what is counted in the third section (English msgids); units and stations: vocab.c. */
static const struct {
	const char *kind;
	const char *label;
} overview_labels[] = {
	{"households", N_("Households")},
	{"residents", N_("Residents")},
	{"party_members", N_("Party members")},
	{"unlinked", N_("Households without a linked party member")},
};

#define OVERVIEW_MAX_ROWS 32

struct overview_row {
	int section;
	const char *label; /* translated (gettext's or vocab.c's: not owned) */
	char *count;
};

struct overview_state {
	struct overview_row rows[OVERVIEW_MAX_ROWS];
	int n;
	bool loaded;
};

/* What a row counts, translated; NULL for a kind added to the schema later. */
static const char *overview_label(int section, const char *kind)
{
	size_t i;

	if (section == 1)
		return vocab_unit_kind_label(kind);
	if (section == 2)
		return vocab_station_kind_label(kind);
	for (i = 0; i < MQ_NITEMS(overview_labels); i++)
		if (strcmp(overview_labels[i].kind, kind) == 0)
			return _(overview_labels[i].label);
	return NULL;
}

static void overview_clear(struct overview_state *st)
{
	int i;

	for (i = 0; i < st->n; i++)
		free(st->rows[i].count);
	st->n = 0;
	st->loaded = false;
}

static void overview_load(struct console *c, struct screen_inst *s)
{
	struct overview_state *st = s->data;
	struct mq_db_error err;
	PGresult *res;
	int i;

	overview_clear(st);
	res = console_query(c, "overview", &err, overview_sql, 0, NULL);
	if (res == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
		return;
	}
	for (i = 0; i < PQntuples(res) && st->n < OVERVIEW_MAX_ROWS; i++) {
		struct overview_row *row = &st->rows[st->n];
		const char *label;

		row->section = atoi(mq_db_field(res, i, "section"));
		label = overview_label(row->section, mq_db_field(res, i, "kind"));
		if (label == NULL)
			continue; /* a kind added to the schema later: not shown */
		row->label = label;
		row->count = xstrdup(mq_db_field(res, i, "n"));
		st->n++;
	}
	PQclear(res);
	st->loaded = true;
}

static void overview_init(struct console *c, struct screen_inst *s)
{
	s->data = xcalloc(1, sizeof(struct overview_state));
	overview_load(c, s);
}

static void overview_free(struct screen_inst *s)
{
	overview_clear(s->data);
	free(s->data);
	s->data = NULL;
}

/* Draw the rows of one section as "label  count" from (y, x); returns rows drawn. */
static int overview_column(struct overview_state *st, int section, int y, int x, int cols,
			   int maxrows)
{
	int i, n = 0, labcols = 0, w;

	for (i = 0; i < st->n; i++)
		if (st->rows[i].section == section &&
		    (w = mq_strwidth(st->rows[i].label)) > labcols)
			labcols = w;
	labcols += 2;
	if (labcols > cols - 8)
		labcols = cols - 8;
	for (i = 0; i < st->n && n < maxrows; i++) {
		if (st->rows[i].section != section)
			continue;
		tty_put(y + n, x, labcols, -1, TTY_NORMAL, st->rows[i].label);
		tty_put(y + n, x + labcols, 8, 1, TTY_NORMAL, st->rows[i].count);
		n++;
	}
	if (n == 0)
		tty_put(y, x, cols, -1, TTY_HINT, _("none"));
	return n;
}

static void overview_draw(struct console *c, struct screen_inst *s, int top, int height)
{
	struct overview_state *st = s->data;
	int x = 4, half = (COLS - 8) / 2, y, bottom = top + height;

	tty_putf(top + 1, x, COLS - 8, -1, TTY_HEADING, _("Jurisdiction: %s %s"), c->id.unit_code,
		 c->id.unit_name);
	if (!st->loaded) {
		tty_put(top + 3, x + 2, COLS - 12, -1, TTY_HINT,
			_("The figures could not be read; press r to try again."));
		return;
	}
	y = top + 3;
	tty_put(y, x, COLS - 8, -1, TTY_HEADING, _("Households and people"));
	y += 1 + overview_column(st, 3, y + 1, x + 2, COLS - 12, bottom - y - 1);
	y++;
	if (y + 1 >= bottom)
		return;
	tty_put(y, x, half - 2, -1, TTY_HEADING, _("Units by kind"));
	tty_put(y, x + half, half, -1, TTY_HEADING, _("Stations by kind"));
	overview_column(st, 1, y + 1, x + 2, half - 4, bottom - y - 1);
	overview_column(st, 2, y + 1, x + half + 2, half - 4, bottom - y - 1);
}

enum { OVERVIEW_RELOAD };

static enum key_result overview_action(struct console *c, struct screen_inst *s, int action,
				       key_code key MQ_UNUSED)
{
	if (action != OVERVIEW_RELOAD)
		return SCREEN_IGNORED;
	overview_load(c, s);
	return SCREEN_HANDLED;
}

static const struct keytab_entry overview_entries[] = {
	{OVERVIEW_RELOAD,
	 "reload",
	 {'r', KEYC_F(KEY_F(5))},
	 NULL,
	 N_("refresh"),
	 N_("count again")},
};

static const struct keytab overview_tab = {
	.name = "overview",
	.title = N_("Jurisdiction overview"),
	KEYTAB_ENTRIES(overview_entries),
	.hint_global = "back help quit",
};

const struct screen screen_overview = {
	.name = "overview",
	.init = overview_init,
	.free = overview_free,
	.draw = overview_draw,
	.keytab = &overview_tab,
	.action = overview_action,
};
