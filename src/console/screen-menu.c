/*
 * The menus: the main menu with the three modules of the e-station (basic
 * information, daily work, assessment and notification) and the menu of
 * each module. Which items a person sees follows their duty:
 *
 *   officer     basic information; case entry, my inbox, the three centres
 *   handler     basic information; my inbox, triage and dispatch, the three
 *               centres; reminders and warnings
 *   supervisor  basic information; all of assessment (read-only)
 *   admin       everything
 *   kiosk       the publication lookup, the public notices and the public
 *               pages (view files)
 *
 * The main menu always lists the three modules, so that every station shows
 * the same structure; a module with nothing for the person's duty is shown
 * dimmed and does not open. Inside a module, items of other duties are not
 * shown at all. Items without a screen yet open screen_pending; an item may
 * instead open a form (case entry, publication lookup).
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "list.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

struct menu;

struct menu_item {
	const char *label; /* English msgid */
	unsigned duties;   /* DUTY_* bits of those who see it (modules: computed) */
	const struct menu *submenu;
	const struct screen *screen;     /* NULL (and no submenu): not built yet */
	void (*open)(struct console *c); /* instead of a screen: opens its own (a form) */
	const char *view; /* or the view forms/<view>.view (pending until installed) */
};

struct menu {
	const struct menu_item *items;
	size_t nitems;
	const char *module; /* what a view file's `menu` names to be added here */
};

#define MENU_ALL_CENTRES (DUTY_OFFICER | DUTY_HANDLER | DUTY_ADMIN)

/*
 * The registers (登记管理): no built-in item, only the view files that ask
 * for menu = "registers" (stations, staff accounts, the officers' roster);
 * the household memos likewise (menu = "memos").
 */
static const struct menu menu_registers = {NULL, 0, "registers"};
/* The household memos (户情民意): the search and the lists, all view files. */
static const struct menu menu_memos = {NULL, 0, "memos"};
/*
 * Daily work beyond cases, view files only: regular service (常态服务: grid
 * cells, service teams, visits and their coverage, service cards) and
 * dialogue and activities (恳谈与活动: dialogue meetings, volunteers and
 * activities, pairings and resident cadres, text messages received).
 */
static const struct menu menu_service = {NULL, 0, "service"};
static const struct menu menu_activities = {NULL, 0, "activities"};
/*
 * System administration (系统管理), an administrator's: view files only
 * (menu = "system": the status of the jobs and the database, the dead
 * messages, the largest tables; docs/operations.md).
 */
static const struct menu menu_system = {NULL, 0, "system"};

static const struct menu_item menu_basic_items[] = {
	{N_("News"), DUTY_STAFF, NULL, NULL, NULL, "news"},
	{N_("Village archives"), DUTY_STAFF, NULL, NULL, NULL, "archives"},
	/* a kiosk's board is public_board.view: no drafts, no unread marks */
	{N_("Bulletin board"), DUTY_STAFF, NULL, NULL, NULL, "bulletin"},
	{N_("Household memos"), 0, &menu_memos, NULL, NULL, NULL},
	{N_("Jurisdiction overview"), DUTY_STAFF, NULL, &screen_overview, NULL, NULL},
	{N_("Publication lookup"), DUTY_KIOSK | DUTY_ADMIN, NULL, NULL, publication_open, NULL},
	{N_("Registers"), 0, &menu_registers, NULL, NULL, NULL},
};

static const struct menu_item menu_work_items[] = {
	{N_("Case entry"), DUTY_OFFICER | DUTY_HANDLER | DUTY_ADMIN, NULL, NULL, entry_open, NULL},
	{N_("My inbox"), DUTY_OFFICER | DUTY_HANDLER | DUTY_ADMIN, NULL, NULL, NULL, "inbox"},
	{N_("Find cases"), DUTY_STAFF, NULL, NULL, NULL, "cases"},
	{N_("Triage and dispatch"), DUTY_HANDLER | DUTY_ADMIN, NULL, NULL, NULL, "triage"},
	{N_("Mediation centre"), MENU_ALL_CENTRES, NULL, NULL, NULL, "centre_mediation"},
	{N_("Policy consultation centre"), MENU_ALL_CENTRES, NULL, NULL, NULL, "centre_policy"},
	{N_("Convenience service centre"), MENU_ALL_CENTRES, NULL, NULL, NULL, "centre_service"},
	{N_("Regular service"), 0, &menu_service, NULL, NULL, NULL},
	{N_("Dialogue and activities"), 0, &menu_activities, NULL, NULL, NULL},
};

static const struct menu_item menu_assessment_items[] = {
	{N_("Reminders"), DUTY_HANDLER | DUTY_SUPERVISOR | DUTY_ADMIN, NULL, NULL, NULL,
	 "reminders"},
	{N_("Warnings"), DUTY_HANDLER | DUTY_SUPERVISOR | DUTY_ADMIN, NULL, NULL, NULL, "warnings"},
	{N_("Reports"), DUTY_SUPERVISOR | DUTY_ADMIN, NULL, NULL, NULL, "reports"},
	{N_("Assessment"), DUTY_SUPERVISOR | DUTY_ADMIN, NULL, NULL, NULL, "assessment"},
};

static const struct menu menu_basic = {menu_basic_items, MQ_NITEMS(menu_basic_items), "basic"};
static const struct menu menu_work = {menu_work_items, MQ_NITEMS(menu_work_items), "work"};
static const struct menu menu_assessment = {menu_assessment_items, MQ_NITEMS(menu_assessment_items),
					    "assessment"};

static const struct menu_item menu_main_items[] = {
	{N_("Basic information"), 0, &menu_basic, NULL, NULL, NULL},
	{N_("Daily work"), 0, &menu_work, NULL, NULL, NULL},
	{N_("Assessment and notification"), 0, &menu_assessment, NULL, NULL, NULL},
	{N_("System administration"), DUTY_ADMIN, &menu_system, NULL, NULL, NULL},
	{N_("About / my account"), DUTY_STAFF | DUTY_KIOSK, NULL, &screen_about, NULL, NULL},
};

static const struct menu menu_main = {menu_main_items, MQ_NITEMS(menu_main_items), NULL};

#define MENU_MAX_ITEMS 16
/*
 * In a menu of ten rows or more, a digit that begins a row's two-digit
 * number ("1" of 10-16) waits this long for the second one before it opens
 * its own row: "1" then "2" opens row 12, "1" alone opens row 1. Digits no
 * two-digit row begins with open at once, as in a shorter menu.
 */
#define MENU_DIGIT_WAIT_MS 800

/* The items one person sees, in order, and whether each opens. */
struct menu_state {
	const struct menu_item *items[MENU_MAX_ITEMS];
	bool enabled[MENU_MAX_ITEMS];
	int n;
	struct menu_item added[MENU_MAX_ITEMS]; /* rows of view files with `menu` (labels theirs) */
	struct list *list;                      /* the rows, drawn and moved by the list widget */
	struct list_column cols[2];             /* " 1  基础信息" and what it holds */
	int digit;                              /* a first digit waiting for a second (0: none) */
	long long digit_at_ms;                  /* when it was typed (console_now_ms) */
};

/* The duties a view file names (none: every staff duty). */
static unsigned menu_view_duties_of(const struct mq_view *v)
{
	unsigned duties = v->duty == NULL ? DUTY_STAFF : 0;
	size_t j;

	for (j = 0; v->duty != NULL && v->duty[j] != NULL; j++)
		duties |= console_duty_bit(v->duty[j]);
	return duties;
}

/* The duties of the view files that ask for a row in module. */
static unsigned menu_view_duties(const struct console *c, const char *module)
{
	unsigned duties = 0;
	size_t i;

	for (i = 0; module != NULL && i < c->nviews; i++)
		if (c->views[i]->menu != NULL && strcmp(c->views[i]->menu, module) == 0)
			duties |= menu_view_duties_of(c->views[i]);
	return duties;
}

/* Who sees an item: its own duties; a module's, those of what it holds (its view files too). */
static unsigned menu_item_duties(const struct console *c, const struct menu_item *item)
{
	unsigned duties = item->duties;
	size_t i;

	if (item->submenu != NULL) {
		for (i = 0; i < item->submenu->nitems; i++)
			duties |= menu_item_duties(c, &item->submenu->items[i]);
		duties |= menu_view_duties(c, item->submenu->module);
	}
	return duties;
}

/* Is the view called name a row of some menu already? */
static bool menu_names_view(const struct menu *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nitems; i++)
		if ((m->items[i].view != NULL && strcmp(m->items[i].view, name) == 0) ||
		    (m->items[i].submenu != NULL && menu_names_view(m->items[i].submenu, name)))
			return true;
	return false;
}

/*
 * The view files that ask for a row in module (`menu = "work"`), that this
 * person's duty opens and that are not a row of the menus already, in
 * their menu_order (stable: equal orders keep the files' order): at most
 * MENU_MAX_ITEMS in rows; how many.
 */
static size_t menu_module_views(const struct console *c, const char *module,
				const struct mq_view **rows)
{
	size_t i, j, n = 0;

	for (i = 0; module != NULL && i < c->nviews && n < MENU_MAX_ITEMS; i++) {
		const struct mq_view *v = c->views[i];

		if (v->menu == NULL || strcmp(v->menu, module) != 0 ||
		    menu_names_view(&menu_main, v->name) || (menu_view_duties_of(v) & c->duty) == 0)
			continue;
		for (j = n; j > 0 && rows[j - 1]->menu_order > v->menu_order; j--)
			rows[j] = rows[j - 1];
		rows[j] = v;
		n++;
	}
	return n;
}

/* Those view files as rows added at the end of the module, labelled with their titles. */
static void menu_add_views(struct console *c, const struct menu *m, struct menu_state *st)
{
	const struct mq_view *rows[MENU_MAX_ITEMS];
	size_t i, n = menu_module_views(c, m->module, rows);

	for (i = 0; i < n && st->n < MENU_MAX_ITEMS; i++) {
		struct menu_item *it = &st->added[i];

		it->label = mq_text_get(&rows[i]->title, c->lang);
		it->view = rows[i]->name;
		it->duties = menu_view_duties_of(rows[i]);
		st->items[st->n] = it;
		st->enabled[st->n++] = true;
	}
}

static char *menu_describe(struct console *c, const struct menu_item *item);

/* The list's fetch: every item at once (a menu has a few). */
static int menu_fetch(struct console *c, void *arg, struct list *l, const struct list_row *last)
{
	struct menu_state *st = arg;
	int i;

	if (last != NULL)
		return 0;
	for (i = 0; i < st->n; i++) {
		struct list_row *r = list_add(l, i, st->enabled[i] ? TTY_NORMAL : TTY_HINT);
		/* numbers right-aligned when they reach 10, so that the labels line up */
		char *label =
			xasprintf("%*d  %s", st->n >= 10 ? 2 : 1, i + 1, _(st->items[i]->label));
		char *desc = menu_describe(c, st->items[i]);

		list_set(l, r, 0, label);
		list_set(l, r, 1, desc);
		free(label);
		free(desc);
	}
	return st->n;
}

static const struct list_ops menu_ops = {
	.fetch = menu_fetch,
};

/* The label column fits the longest label (with its number), at most half the width. */
static void menu_columns(struct menu_state *st)
{
	int i, w, label_cols = 0;

	for (i = 0; i < st->n; i++) {
		w = mq_strwidth(_(st->items[i]->label)) + 4;
		if (w > label_cols)
			label_cols = w;
	}
	st->cols[0] = (struct list_column){"", label_cols + 2, 0, -1, false, TTY_NORMAL};
	st->cols[1] = (struct list_column){"", 4, 1, -1, false, TTY_NORMAL};
}

static void menu_build(struct console *c, struct screen_inst *s, const struct menu *m,
		       bool show_disabled)
{
	struct menu_state *st = xcalloc(1, sizeof *st);
	size_t i;

	for (i = 0; i < m->nitems && st->n < MENU_MAX_ITEMS; i++) {
		bool enabled = (menu_item_duties(c, &m->items[i]) & c->duty) != 0;

		if (!enabled && !show_disabled)
			continue;
		st->items[st->n] = &m->items[i];
		st->enabled[st->n++] = enabled;
	}
	menu_add_views(c, m, st);
	menu_columns(st);
	st->list = list_new(st->cols, 2, 0, 0, &menu_ops, st);
	s->data = st;
	s->selected = 0;
	list_reload(c, st->list, false);
}

static void menu_main_init(struct console *c, struct screen_inst *s)
{
	menu_build(c, s, &menu_main, true);
}

static void menu_module_init(struct console *c, struct screen_inst *s)
{
	menu_build(c, s, s->arg, false);
}

static void menu_free(struct screen_inst *s)
{
	struct menu_state *st = s->data;

	if (st != NULL)
		list_free(st->list);
	free(st);
	s->data = NULL;
}

/* "动态信息、村情档案、…": what a module holds for this person. Caller frees. */
static char *menu_describe(struct console *c, const struct menu_item *item)
{
	const struct mq_view *rows[MENU_MAX_ITEMS];
	char *text = xstrdup(""), *next;
	size_t i, nviews;

	if (item->submenu == NULL)
		return text;
	if ((menu_item_duties(c, item) & c->duty) == 0) {
		free(text);
		return xstrdup(_("not part of your duty"));
	}
	for (i = 0; i < item->submenu->nitems; i++) {
		const struct menu_item *sub = &item->submenu->items[i];

		if ((menu_item_duties(c, sub) & c->duty) == 0)
			continue;
		/* TRANSLATORS: separates the items of a module in a list. */
		next = xasprintf("%s%s%s", text, *text != '\0' ? _(", ") : "", _(sub->label));
		free(text);
		text = next;
	}
	/* The rows view files add to the module (the registers are nothing else). */
	nviews = menu_module_views(c, item->submenu->module, rows);
	for (i = 0; i < nviews; i++) {
		next = xasprintf("%s%s%s", text, *text != '\0' ? _(", ") : "",
				 mq_text_get(&rows[i]->title, c->lang));
		free(text);
		text = next;
	}
	return text;
}

static void menu_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct menu_state *st = s->data;

	tty_put(top + 1, 4, COLS - 8, -1, TTY_HEADING, s->title);
	list_draw(st->list, top + 2, 3, height - 2, COLS - 7);
}
static enum key_result menu_open(struct console *c, struct screen_inst *s, int index)
{
	struct menu_state *st = s->data;
	const struct menu_item *item;

	if (index < 0 || index >= st->n)
		return SCREEN_HANDLED;
	s->selected = index;
	list_select_id(st->list, index);
	item = st->items[index];
	if (!st->enabled[index]) {
		console_message(c, true, _("%s: none of its functions is part of your duty."),
				_(item->label));
		return SCREEN_HANDLED;
	}
	if (item->submenu != NULL)
		console_push(c, &screen_module_menu, _(item->label), item->submenu);
	else if (item->open != NULL)
		item->open(c);
	else if (item->screen != NULL)
		console_push(c, item->screen, _(item->label), item);
	else if (item->view != NULL && mq_view_find(c->views, c->nviews, item->view) != NULL)
		view_open(c, item->view, _(item->label));
	else
		console_push(c, &screen_pending, _(item->label), item);
	return SCREEN_HANDLED;
}

/* Row number (1-based) d: selected, and the bar on it, without opening it. */
static void menu_select(struct screen_inst *s, int number)
{
	struct menu_state *st = s->data;

	s->selected = number - 1;
	list_select_id(st->list, number - 1);
}

/*
 * A digit typed: the row of that number, or the first digit of a two-digit
 * one (MENU_DIGIT_WAIT_MS). A number beyond the rows does nothing.
 */
static enum key_result menu_digit(struct console *c, struct screen_inst *s, int d)
{
	struct menu_state *st = s->data;
	int first = st->digit;

	st->digit = 0;
	if (first != 0) {
		if (first * 10 + d <= st->n)
			return menu_open(c, s, first * 10 + d - 1);
		return menu_open(c, s,
				 first - 1); /* "1" then "9" of 16 rows: row 1, then nothing */
	}
	if (d == 0 || d > st->n)
		return SCREEN_HANDLED;
	if (d * 10 <= st->n) {
		st->digit = d;
		st->digit_at_ms = console_now_ms();
		menu_select(s, d);
		return SCREEN_HANDLED;
	}
	return menu_open(c, s, d - 1);
}

/* A first digit that waited long enough opens its own row. */
static void menu_tick(struct console *c, struct screen_inst *s)
{
	struct menu_state *st = s->data;
	int d = st->digit;

	if (d != 0 && console_now_ms() - st->digit_at_ms >= MENU_DIGIT_WAIT_MS) {
		st->digit = 0;
		menu_open(c, s, d - 1);
	}
}

/* The actions of the menus (menu_tab, menu_main_tab). */
enum {
	MENU_UP,
	MENU_DOWN,
	MENU_FIRST,
	MENU_LAST,
	MENU_OPEN,
	MENU_ITEM,
	MENU_QUIT,
};

static enum key_result menu_action(struct console *c, struct screen_inst *s, int action,
				   key_code key)
{
	struct menu_state *st = s->data;

	const struct list_row *row;

	/* Any other key forgets a waiting first digit (its row is selected: Enter opens it). */
	if (action != MENU_ITEM)
		st->digit = 0;
	switch (action) {
	case MENU_UP:
	case MENU_DOWN:
	case MENU_FIRST:
	case MENU_LAST:
		list_action(c, st->list,
			    action == MENU_UP      ? LIST_A_UP
			    : action == MENU_DOWN  ? LIST_A_DOWN
			    : action == MENU_FIRST ? LIST_A_FIRST
						   : LIST_A_LAST,
			    key);
		row = list_selected(st->list);
		s->selected = row != NULL ? (int)row->id : 0;
		return SCREEN_HANDLED;
	case MENU_OPEN:
		return menu_open(c, s, s->selected);
	case MENU_ITEM:
		return menu_digit(c, s, (int)(key - '0')); /* the keys are 0 to 9 */
	case MENU_QUIT:
		return SCREEN_QUIT;
	default:
		return SCREEN_IGNORED;
	}
}

/* clang-format off */
#define MENU_ENTRIES \
	{MENU_UP, NULL, {KEYC_F(KEY_UP), 'k'}, NULL, NULL, N_("move the selection")}, \
	{MENU_DOWN, NULL, {KEYC_F(KEY_DOWN), 'j'}, N_("Up/Down"), N_("select"), \
	 N_("move the selection")}, \
	{MENU_FIRST, NULL, {KEYC_F(KEY_HOME), KEYC_F(KEY_PPAGE), 'g'}, NULL, NULL, \
	 N_("first, last item")}, \
	{MENU_LAST, NULL, {KEYC_F(KEY_END), KEYC_F(KEY_NPAGE), 'G'}, NULL, NULL, \
	 N_("first, last item")}, \
	{MENU_OPEN, NULL, {'\r', '\n', ' ', 'l', KEYC_F(KEY_ENTER), KEYC_F(KEY_RIGHT)}, NULL, \
	 N_("open"), N_("open the selected item")}, \
	{MENU_ITEM, NULL, {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9'}, N_("1-9"), N_("item"), \
	 N_("open the item of that number (10 and on: two digits)")}

static const struct keytab_entry menu_entries[] = {MENU_ENTRIES};

/* The main menu: q quits there (the global q goes back, which the main menu cannot). */
static const struct keytab_entry menu_main_entries[] = {
	MENU_ENTRIES,
	{MENU_QUIT, "quit", {'q', 'Q'}, NULL, N_("quit"), N_("quit")},
};
/* clang-format on */

static const struct keytab menu_tab = {
	.name = "menu",
	.title = N_("Menus"),
	KEYTAB_ENTRIES(menu_entries),
	.hint_global = "back help quit",
};

static const struct keytab menu_main_tab = {
	.name = "main-menu",
	.title = N_("Main menu"),
	KEYTAB_ENTRIES(menu_main_entries),
	.hint_global = "help",
};

const struct screen screen_main_menu = {
	.name = "main-menu",
	.init = menu_main_init,
	.free = menu_free,
	.draw = menu_draw,
	.keytab = &menu_main_tab,
	.action = menu_action,
	.tick = menu_tick,
};

const struct screen screen_module_menu = {
	.name = "module-menu",
	.init = menu_module_init,
	.free = menu_free,
	.draw = menu_draw,
	.keytab = &menu_tab,
	.action = menu_action,
	.tick = menu_tick,
};
