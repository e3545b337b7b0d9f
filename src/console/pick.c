/*
 * The picker: a screen that lets a person choose one item of a list by
 * moving the bar or by typing part of it, as htop's incremental search does.
 * It is the list widget (list.c) with its filter line always in focus: the
 * same rows, selection, paging and line editor as every list.
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
#include "list.h"
#include "prompt.h"

#define PICK_QUERY_MAX 32 /* characters of what is typed */

/* The cells of a row: what is shown (indented label and detail), then the value. */
enum { PICK_SHOWN, PICK_NCOLS, PICK_VALUE = PICK_NCOLS, PICK_LABEL, PICK_NHIDDEN = 2 };

struct pick_state {
	struct pick_args args;   /* copied; strings owned */
	struct pick_item *items; /* PICK_STATIC: the items given, owned */
	size_t nitems;
	struct list *list;
	struct list_column col;
	bool closing; /* chosen: the action that chose answers SCREEN_BACK */
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

static bool pick_searched(const struct pick_state *st)
{
	return st->args.source == PICK_RESIDENT || st->args.source == PICK_HOUSEHOLD;
}

/* One item as a row: indented by its depth in a tree, its detail after it. */
static void pick_add(struct list *l, size_t i, const char *value, const char *label,
		     const char *detail, int depth)
{
	struct list_row *r = list_add(l, (long long)i, TTY_NORMAL);
	int indent = depth > 6 ? 12 : depth * 2;
	char *shown = detail != NULL && detail[0] != '\0'
			      ? xasprintf("%*s%s  (%s)", indent, "", label, detail)
			      : xasprintf("%*s%s", indent, "", label);

	list_set(l, r, PICK_SHOWN, shown);
	list_set(l, r, PICK_VALUE, value);
	list_set(l, r, PICK_LABEL, label);
	free(shown);
}

/* The lookups read once (schema/functions/56_reads.sql): what each kind lists, in tree order. */
static const char *pick_list_sql(enum pick_source src)
{
	switch (src) {
	case PICK_CATEGORY:
		return "SELECT * FROM minqing.pick_categories($1::boolean)";
	case PICK_UNIT:
		return "SELECT * FROM minqing.pick_units()";
	case PICK_STATION:
		return "SELECT * FROM minqing.pick_stations()";
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

/* The rows of one query of a pick function (value, label, detail, depth); -1 on error. */
static int pick_take(struct console *c, struct list *l, const char *sql, int nparams,
		     const char *const *params)
{
	struct mq_db_error err = {0};
	PGresult *res = console_query(c, "pick.list", &err, sql, nparams, params);
	int i, n;

	if (res == NULL) {
		console_db_error(c, &err);
		mq_db_error_clear(&err);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		pick_add(l, (size_t)i, mq_db_field(res, i, "value"), mq_db_field(res, i, "label"),
			 mq_db_field(res, i, "detail"), atoi(mq_db_field(res, i, "depth")));
	PQclear(res);
	return n;
}

/*
 * The list's fetch: everything at once (a list of options, categories,
 * units, staff: a few hundred rows at most), or what the typed text finds
 * among residents and households (at most 100, row-level security
 * deciding whom).
 */
static int pick_fetch(struct console *c, void *arg, struct list *l, const struct list_row *last)
{
	struct pick_state *st = arg;
	const char *params[1];
	size_t i;

	if (last != NULL)
		return 0; /* one read is all */
	if (pick_searched(st)) {
		params[0] = list_filter_text(l);
		return pick_take(c, l,
				 st->args.source == PICK_RESIDENT ? pick_resident_sql
								  : pick_household_sql,
				 1, params);
	}
	if (st->args.source == PICK_STATIC) {
		for (i = 0; i < st->nitems; i++)
			pick_add(l, i, st->items[i].value, st->items[i].label, st->items[i].detail,
				 st->items[i].depth);
		return (int)st->nitems;
	}
	if (st->args.source == PICK_CATEGORY)
		params[0] = c->english ? "true" : "false";
	else
		params[0] = st->args.context != NULL ? st->args.context : "";
	/* the lists of units and stations take no parameter */
	return pick_take(c, l, pick_list_sql(st->args.source),
			 st->args.source == PICK_UNIT || st->args.source == PICK_STATION ? 0 : 1,
			 params);
}

/* Enter: the chosen value goes to the screen below, and the picker closes. */
static void pick_chosen(struct console *c, void *arg, const struct list_row *row)
{
	struct pick_state *st = arg;

	/* The callback may push nothing and must not pop: the action closes the picker. */
	st->args.chosen(c, st->args.arg, row->cells[PICK_VALUE], row->cells[PICK_LABEL]);
	st->closing = true;
}

static const struct list_ops pick_ops = {
	.fetch = pick_fetch,
	.open = pick_chosen,
};

static void pick_init(struct console *c, struct screen_inst *s)
{
	const struct pick_args *a = s->arg;
	struct pick_state *st = xcalloc(1, sizeof *st);
	size_t i;

	st->args = *a;
	st->args.context = a->context != NULL ? xstrdup(a->context) : NULL;
	st->args.items = NULL;
	st->args.nitems = 0;
	st->args.current = NULL; /* a->current is read below, not kept */
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
	}
	st->col.title = "";
	st->col.min = 10;
	st->col.weight = 1;
	st->col.align = -1;
	st->list = list_new(&st->col, PICK_NCOLS, PICK_NHIDDEN, 0, &pick_ops, st);
	list_set_typing(st->list, pick_searched(st), _("Find: "));
	list_set_empty(
		st->list,
		pick_searched(st)
			? _("Nobody found: type a name, a phone number or a household number.")
			: _("Nothing to choose from."));
	s->data = st;
	list_reload(c, st->list, false);
	/* Start on the current value, when it is in the list. */
	list_select_cell(st->list, PICK_VALUE, a->current);
}

static void pick_free(struct screen_inst *s)
{
	struct pick_state *st = s->data;

	if (st == NULL)
		return;
	list_free(st->list);
	pick_items_free(st->items, st->nitems);
	free(st->args.context);
	free(st);
	s->data = NULL;
}

static void pick_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct pick_state *st = s->data;

	tty_putf(top, 2, COLS - 4, -1, TTY_HEADING, "%s", s->title);
	list_draw(st->list, top + 1, 0, height - 1, COLS);
}

static const struct keytab *pick_input(struct console *c MQ_UNUSED, struct screen_inst *s)
{
	struct pick_state *st = s->data;

	return list_input(st->list);
}

static enum key_result pick_action(struct console *c, struct screen_inst *s, int action,
				   key_code key)
{
	struct pick_state *st = s->data;
	enum key_result r = list_action(c, st->list, action, key);

	return st->closing ? SCREEN_BACK : r;
}

/* clang-format off */
static const struct keytab_entry pick_entries[] = {
	{LIST_A_UP, NULL, {KEYC_F(KEY_UP)}, "↑↓", N_("move"), N_("move")},
	{LIST_A_DOWN, NULL, {KEYC_F(KEY_DOWN)}, NULL, NULL, N_("move")},
	{LIST_A_PAGE_UP, NULL, {KEYC_F(KEY_PPAGE)}, NULL, NULL, N_("move")},
	{LIST_A_PAGE_DOWN, NULL, {KEYC_F(KEY_NPAGE)}, NULL, NULL, N_("move")},
	{LIST_A_OPEN, NULL, {'\r', '\n', KEYC_F(KEY_ENTER)}, NULL, N_("choose"), N_("choose")},
};
/* clang-format on */

static const struct keytab pick_tab = {
	.name = "pick",
	.title = N_("Choosing from a list"),
	.flags = KEYTAB_NO_CHARS, /* every character is typed into the line */
	KEYTAB_ENTRIES(pick_entries),
	.hint_global = "back help",
};

const struct screen screen_pick = {
	.name = "pick",
	.init = pick_init,
	.free = pick_free,
	.draw = pick_draw,
	.keytab = &pick_tab,
	.input = pick_input,
	.action = pick_action,
};

void pick_open(struct console *c, const char *title, const struct pick_args *args)
{
	console_push(c, &screen_pick, title, args);
}
