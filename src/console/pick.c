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

/*
 * Rows of one lookup query as items: column 0 the value, 1 the label, 2 the
 * detail, 3 the depth (tree lookups), 4 optional extra detail.
 */
static void pick_take_rows(struct pick_state *st, PGresult *res)
{
	int i, n = PQntuples(res), nf = PQnfields(res);

	pick_items_free(st->items, st->nitems);
	st->items = xcalloc((size_t)n + 1, sizeof *st->items);
	st->nitems = (size_t)n;
	for (i = 0; i < n; i++) {
		struct pick_item *it = &st->items[i];

		it->value = xstrdup(PQgetvalue(res, i, 0));
		it->label = xstrdup(PQgetvalue(res, i, 1));
		it->detail =
			nf > 2 && !PQgetisnull(res, i, 2) ? xstrdup(PQgetvalue(res, i, 2)) : NULL;
		it->depth = nf > 3 && !PQgetisnull(res, i, 3) ? atoi(PQgetvalue(res, i, 3)) : 0;
	}
}

/* The lookups read once: what each kind lists, in tree order. */
static const char *pick_list_sql(enum pick_source src, bool english)
{
	switch (src) {
	case PICK_CATEGORY:
		return english ? "SELECT c.category_id, coalesce(c.name_en, c.name), c.code, "
				 "       ext.nlevel(c.path) - 1 "
				 "  FROM minqing.case_category c "
				 "  JOIN minqing.staff s ON s.login = session_user AND s.active "
				 " WHERE c.active AND c.district_id = s.district_id ORDER BY c.path"
			       : "SELECT c.category_id, c.name, c.code, ext.nlevel(c.path) - 1 "
				 "  FROM minqing.case_category c "
				 "  JOIN minqing.staff s ON s.login = session_user AND s.active "
				 " WHERE c.active AND c.district_id = s.district_id ORDER BY "
				 "c.path";
	case PICK_UNIT:
		return "SELECT u.code, u.name, u.code, ext.nlevel(u.path) - 1 "
		       "  FROM minqing.org_unit u "
		       "  JOIN minqing.staff s ON s.login = session_user AND s.active "
		       " WHERE u.active AND u.district_id = s.district_id "
		       "   AND u.level IN ('district', 'town', 'village') ORDER BY u.path";
	case PICK_STAFF:
		/* handlers first, those of the unit chosen in the form first of all */
		return "SELECT h.login, h.display_name, u.name || ' · ' || u.code, 0 "
		       "  FROM minqing.staff h JOIN minqing.org_unit u ON u.unit_id = h.unit_id "
		       "  JOIN minqing.staff s ON s.login = session_user AND s.active "
		       " WHERE h.active AND h.duty = 'handler' AND h.district_id = s.district_id "
		       " ORDER BY (u.code = $1) DESC, u.path, h.display_name";
	default:
		return NULL;
	}
}

/* Residents and households are searched, not listed: name, phone, number. */
static const char pick_resident_sql[] =
	"SELECT r.resident_id, r.name, "
	"       concat_ws(' · ', h.address, minqing.mask_phone(r.phone), r.id_card_masked), 0 "
	"  FROM minqing.resident r JOIN minqing.household h ON h.household_id = r.household_id "
	" WHERE r.active AND ($1 = '' OR r.name LIKE minqing.like_contains($1) OR r.phone = $1 "
	"                     OR h.household_no = $1) "
	" ORDER BY r.name, r.resident_id LIMIT 100";
static const char pick_household_sql[] =
	"SELECT h.household_id, h.household_no || ' ' || coalesce(r.name, ''), h.address, 0 "
	"  FROM minqing.household h "
	"  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id "
	" WHERE h.active AND ($1 = '' OR h.household_no = $1 OR r.name LIKE "
	"minqing.like_contains($1) "
	"                     OR h.address LIKE minqing.like_contains($1) OR h.phone = $1) "
	" ORDER BY h.household_no, h.household_id LIMIT 100";

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
		sql = pick_list_sql(a->source, c->english);
		params[0] = st->args.context != NULL ? st->args.context : "";
		res = console_query(c, "pick.list", &err, sql, a->source == PICK_STAFF ? 1 : 0,
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
