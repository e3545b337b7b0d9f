/*
 * The picker: a screen that lets a person choose one item of a list by
 * moving the bar or by typing part of it, as htop's incremental search does.
 * The form uses it for the options of a choice field and for lookups: the
 * category tree, the unit tree, staff, residents and households. Trees are
 * shown indented by depth; typing keeps the items whose label, detail or
 * value contain what was typed (and, in a tree, keeps their place).
 *
 * Small lists (options, categories, units, staff) are read once and
 * filtered here; residents and households are searched in the database as
 * the person types, since a town has tens of thousands of them (row-level
 * security decides whom the person may find).
 *
 * The chosen item goes to the screen below through a callback; the picker
 * then closes itself.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "pick.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "prompt.h"

#define PICK_QUERY_MAX    32 /* characters of what is typed */
#define PICK_SEARCH_LIMIT 100

struct pick_state {
	struct pick_args args;   /* copied; strings owned */
	struct pick_item *items; /* all (or the last search's), owned */
	size_t nitems;
	size_t *shown; /* indexes of the items that match the query */
	size_t nshown;
	int sel, top;
	struct prompt line; /* what is typed (prompt.c) */
	char *query;        /* its text, owned */
	bool searched;      /* a database search ran for the current query */
};

void pick_items_free(struct pick_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].value);
		free(items[i].label);
		free(items[i].detail);
	}
	free(items);
}

static bool pick_contains(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

static void pick_filter(struct pick_state *st)
{
	size_t i;

	free(st->shown);
	st->shown = xcalloc(st->nitems + 1, sizeof *st->shown);
	st->nshown = 0;
	for (i = 0; i < st->nitems; i++) {
		const struct pick_item *it = &st->items[i];

		if (st->query[0] == '\0' || pick_contains(it->label, st->query) ||
		    pick_contains(it->detail, st->query) || pick_contains(it->value, st->query))
			st->shown[st->nshown++] = i;
	}
	if (st->sel >= (int)st->nshown)
		st->sel = st->nshown > 0 ? (int)st->nshown - 1 : 0;
	if (st->sel < 0)
		st->sel = 0;
}

/* The rows of a pick function (value, label, detail, depth) as items. */
static void pick_take_rows(struct pick_state *st, PGresult *res)
{
	int i, n = PQntuples(res);

	pick_items_free(st->items, st->nitems);
	st->items = xcalloc((size_t)n + 1, sizeof *st->items);
	st->nitems = (size_t)n;
	for (i = 0; i < n; i++) {
		struct pick_item *it = &st->items[i];
		const char *detail = mq_db_field(res, i, "detail");

		it->value = xstrdup(mq_db_field(res, i, "value"));
		it->label = xstrdup(mq_db_field(res, i, "label"));
		it->detail = detail != NULL && detail[0] != '\0' ? xstrdup(detail) : NULL;
		it->depth = atoi(mq_db_field(res, i, "depth"));
	}
}

/* The lookups read once (schema/functions/56_reads.sql): what each kind lists, in tree order. */
static const char *pick_list_sql(enum pick_source src)
{
	switch (src) {
	case PICK_CATEGORY:
		return "SELECT * FROM minqing.pick_categories($1::boolean)";
	case PICK_UNIT:
		return "SELECT * FROM minqing.pick_units()";
	case PICK_STAFF:
		/* handlers, those of the unit chosen in the form first of all */
		return "SELECT * FROM minqing.pick_handlers($1)";
	default:
		return NULL;
	}
}

/* Residents and households are searched, not listed: name, phone, number. */
static const char pick_resident_sql[] = "SELECT * FROM minqing.pick_residents($1)";
static const char pick_household_sql[] = "SELECT * FROM minqing.pick_households($1)";

static void pick_search(struct console *c, struct pick_state *st)
{
	struct mq_db_error err = {0};
	const char *params[1];
	const char *sql;
	PGresult *res;

	if (st->args.source == PICK_RESIDENT)
		sql = pick_resident_sql;
	else if (st->args.source == PICK_HOUSEHOLD)
		sql = pick_household_sql;
	else
		return;
	params[0] = st->query;
	res = console_query(c, "pick.search", &err, sql, 1, params);
	if (res == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
		return;
	}
	pick_take_rows(st, res);
	PQclear(res);
	st->searched = true;
	st->sel = 0;
	st->top = 0;
}

static void pick_init(struct console *c, struct screen_inst *s)
{
	const struct pick_args *a = s->arg;
	struct pick_state *st = xcalloc(1, sizeof *st);
	struct mq_db_error err = {0};
	const char *params[1];
	const char *sql;
	PGresult *res;
	size_t i;

	st->args = *a;
	st->args.context = a->context != NULL ? xstrdup(a->context) : NULL;
	st->args.items = NULL;
	st->args.nitems = 0;
	st->args.current = NULL; /* a->current is read below, not kept */
	prompt_init(&st->line, PICK_QUERY_MAX);
	st->query = xstrdup("");
	s->data = st;
	if (a->source == PICK_STATIC) {
		st->items = xcalloc(a->nitems + 1, sizeof *st->items);
		st->nitems = a->nitems;
		for (i = 0; i < a->nitems; i++) {
			st->items[i].value = xstrdup(a->items[i].value);
			st->items[i].label = xstrdup(a->items[i].label);
			st->items[i].detail =
				a->items[i].detail != NULL ? xstrdup(a->items[i].detail) : NULL;
			st->items[i].depth = a->items[i].depth;
		}
	} else if (a->source == PICK_RESIDENT || a->source == PICK_HOUSEHOLD) {
		pick_search(c, st);
	} else {
		sql = pick_list_sql(a->source);
		if (a->source == PICK_CATEGORY)
			params[0] = c->english ? "true" : "false";
		else
			params[0] = st->args.context != NULL ? st->args.context : "";
		res = console_query(c, "pick.list", &err, sql, a->source == PICK_UNIT ? 0 : 1,
				    params);
		if (res == NULL) {
			console_db_error(c, &err);
			mq_db_error_clear(&err);
		} else {
			pick_take_rows(st, res);
			PQclear(res);
		}
	}
	/* Start on the current value, when it is in the list. */
	pick_filter(st);
	for (i = 0; a->current != NULL && i < st->nshown; i++)
		if (strcmp(st->items[st->shown[i]].value, a->current) == 0)
			st->sel = (int)i;
}

static void pick_free(struct screen_inst *s)
{
	struct pick_state *st = s->data;

	if (st == NULL)
		return;
	pick_items_free(st->items, st->nitems);
	free(st->shown);
	free(st->args.context);
	prompt_free(&st->line);
	free(st->query);
	free(st);
}

static void pick_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct pick_state *st = s->data;
	int rows = height - 3, i, y, indent;
	char *line;

	tty_putf(top, 2, COLS - 4, -1, TTY_HEADING, "%s", s->title);
	prompt_draw(&st->line, top + 1, 2, COLS - 4, _("Find: "), TTY_NORMAL, true);
	if (rows < 1)
		return;
	if (st->sel < st->top)
		st->top = st->sel;
	if (st->sel >= st->top + rows)
		st->top = st->sel - rows + 1;
	if (st->nshown == 0) {
		tty_put(top + 3, 4, COLS - 8, -1, TTY_HINT,
			st->args.source == PICK_RESIDENT || st->args.source == PICK_HOUSEHOLD
				? _("Nobody found: type a name, a phone number or a household "
				    "number.")
				: _("Nothing matches what was typed."));
		return;
	}
	for (i = 0; i < rows && st->top + i < (int)st->nshown; i++) {
		const struct pick_item *it = &st->items[st->shown[st->top + i]];
		bool selected = st->top + i == st->sel;

		y = top + 2 + i;
		indent = it->depth > 6 ? 12 : it->depth * 2;
		line = it->detail != NULL && it->detail[0] != '\0'
			       ? xasprintf("%*s%s  (%s)", indent, "", it->label, it->detail)
			       : xasprintf("%*s%s", indent, "", it->label);
		tty_put(y, 2, COLS - 4, -1, selected ? TTY_SELECTED : TTY_NORMAL, line);
		free(line);
	}
}

static void pick_query_changed(struct console *c, struct pick_state *st)
{
	if (st->args.source == PICK_RESIDENT || st->args.source == PICK_HOUSEHOLD)
		pick_search(c, st);
	pick_filter(st);
}

static enum key_result pick_key(struct console *c, struct screen_inst *s, key_code key)
{
	struct pick_state *st = s->data;
	const struct pick_item *it;

	switch (key) {
	case KEYC_F(KEY_UP):
		if (st->sel > 0)
			st->sel--;
		return SCREEN_HANDLED;
	case KEYC_F(KEY_DOWN):
		if (st->sel + 1 < (int)st->nshown)
			st->sel++;
		return SCREEN_HANDLED;
	case KEYC_F(KEY_PPAGE):
		st->sel = st->sel > 10 ? st->sel - 10 : 0;
		return SCREEN_HANDLED;
	case KEYC_F(KEY_NPAGE):
		st->sel += 10;
		if (st->sel >= (int)st->nshown)
			st->sel = st->nshown > 0 ? (int)st->nshown - 1 : 0;
		return SCREEN_HANDLED;
	case '\r':
	case '\n':
	case KEYC_F(KEY_ENTER):
		if (st->nshown == 0)
			return SCREEN_HANDLED;
		it = &st->items[st->shown[st->sel]];
		/* The callback may push nothing and must not pop: we close ourselves. */
		st->args.chosen(c, st->args.arg, it->value, it->label);
		return SCREEN_BACK;
	case KEYC_ESCAPE:
		return SCREEN_BACK;
	default:
		break;
	}
	switch (prompt_key(&st->line, key)) {
	case PROMPT_CHANGED:
		free(st->query);
		st->query = prompt_text(&st->line);
		pick_query_changed(c, st);
		return SCREEN_HANDLED;
	case PROMPT_IGNORED:
		return (key & KEYC_FUNCTION) != 0 || key < 0x20 ? SCREEN_IGNORED : SCREEN_HANDLED;
	default:
		return SCREEN_HANDLED;
	}
}

static const struct key_help pick_keys[] = {
	{N_("type"), N_("keep the items that contain what is typed")},
	{N_("↑ ↓ PgUp PgDn"), N_("move")},
	{N_("Enter"), N_("choose")},
	{N_("Backspace  Ctrl-U"), N_("take back one character / all of them")},
	{N_("Esc"), N_("back without choosing")},
	{NULL, NULL},
};

const struct screen screen_pick = {
	.name = "pick",
	.init = pick_init,
	.free = pick_free,
	.draw = pick_draw,
	.key = pick_key,
	.keys = pick_keys,
	.hint = N_("type to find  ↑↓ move  Enter choose  Esc back"),
};

void pick_open(struct console *c, const char *title, const struct pick_args *args)
{
	console_push(c, &screen_pick, title, args);
}
