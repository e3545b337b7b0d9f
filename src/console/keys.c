/*
 * The console's key bindings: the global table (quit, help, back, redraw:
 * looked up after the screen's own tables), the list of every table the
 * console has (for the checks at start and for minqing --keys), and the
 * person's bindings from the configuration (keys.<action> = "F9").
 *
 * A binding adds a key to the action wherever the action is (every table
 * with an action of that name); the default keys keep working too (a
 * station terminal whose SSH client eats F2 still has Ctrl-X, and now F9).
 * The screens never see a translated key: they get the action (keytab.h).
 *
 * A screen whose table is built at run time (a list of a view file)
 * registers it with keys_register() before keys_check() runs, so that its
 * actions can be bound and are checked like the others.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "keys.h"
#include "mq/common.h"
#include "mq/config.h"
#include "mq/i18n.h"

/* clang-format off */
static const struct keytab_entry keys_global_entries[] = {
	{KEY_GLOBAL_BACK, "back", {KEYC_ESCAPE, KEYC_F(KEY_LEFT), KEYC_F(KEY_BACKSPACE), 'h'},
	 NULL, N_("back"), N_("go back")},
	{KEY_GLOBAL_CLOSE, NULL, {'q', 'Q'}, NULL, NULL, N_("go back; in the main menu, quit")},
	{KEY_GLOBAL_QUIT, "quit", {KEYC_F(KEY_F(10))}, NULL, N_("quit"), N_("quit")},
	{KEY_GLOBAL_HELP, "help", {'?', KEYC_F(KEY_F(1))}, NULL, N_("help"), N_("this help")},
	{KEY_GLOBAL_REDRAW, "redraw", {KEYC_CTRL('L')}, NULL, NULL, N_("redraw the screen")},
};
/* clang-format on */

const struct keytab keys_global = {
	.name = "global",
	.title = N_("every screen"),
	.flags = KEYTAB_NO_CHARS, /* they are reached from the forms too */
	KEYTAB_ENTRIES(keys_global_entries),
};

/* The screens written in C, whose tables are static. */
static const struct screen *const keys_screens[] = {
	&screen_main_menu, &screen_module_menu, &screen_overview, &screen_about,
	&screen_pending,   &screen_lines,       &screen_form,     &screen_pick,
};

/*
 * The tables registered at start (one per view file, so as many as there
 * are views): grown as needed, never freed (they live as long as the
 * program; the tables themselves belong to whoever registered them).
 */
static const struct keytab **keys_extra;
static size_t keys_nextra, keys_extra_cap;

void keys_register(const struct keytab *t)
{
	size_t i;

	for (i = 0; i < keys_nextra; i++)
		if (keys_extra[i] == t)
			return;
	if (keys_nextra == keys_extra_cap) {
		keys_extra_cap = keys_extra_cap == 0 ? 64 : keys_extra_cap * 2;
		keys_extra = xrealloc(keys_extra, keys_extra_cap * sizeof *keys_extra);
	}
	keys_extra[keys_nextra++] = t;
}

/* Room for every table: the C screens', the registered ones and the global one. Caller frees. */
static const struct keytab **keys_table_array(size_t *n)
{
	*n = MQ_NITEMS(keys_screens) + keys_nextra + 1;
	return xcalloc(*n, sizeof(const struct keytab *));
}

size_t keys_tables(const struct keytab **tabs, size_t max)
{
	size_t n = 0, i, j;

	for (i = 0; i < MQ_NITEMS(keys_screens) && n < max; i++) {
		const struct keytab *t = keys_screens[i]->keytab;

		for (j = 0; j < n && tabs[j] != t; j++)
			;
		if (t != NULL && j == n)
			tabs[n++] = t;
	}
	for (i = 0; i < keys_nextra && n < max; i++)
		tabs[n++] = keys_extra[i];
	return n;
}

int keys_bindings(const struct mq_config *cfg, struct keybinds *kb, char **cause)
{
#define KEYS_NAME(a) #a,
	static const char *const names[MQ_NKEYS] = {MQ_KEY_ACTIONS(KEYS_NAME)};
#undef KEYS_NAME
	size_t i;

	memset(kb, 0, sizeof *kb);
	for (i = 0; i < MQ_NKEYS; i++)
		if (keybinds_add(kb, names[i], cfg->keys[i], cause) != 0) {
			keybinds_free(kb);
			return -1;
		}
	for (i = 0; i < cfg->nkey_extra; i++)
		if (keybinds_add(kb, cfg->key_extra[i].action, cfg->key_extra[i].key, cause) != 0) {
			keybinds_free(kb);
			return -1;
		}
	return 0;
}

int keys_check(const struct mq_config *cfg, char **cause)
{
	const struct keytab **tabs;
	struct keybinds kb;
	size_t n, max;
	int rc;

	if (keys_bindings(cfg, &kb, cause) != 0)
		return -1;
	tabs = keys_table_array(&max);
	n = keys_tables(tabs, max);
	rc = keytab_check(tabs, n, &keys_global, &kb, cause);
	keybinds_free(&kb);
	free(tabs);
	return rc;
}

int keys_init(struct console *c, char **cause)
{
	if (keys_check(c->cfg, cause) != 0)
		return -1;
	return keys_bindings(c->cfg, &c->keybinds, cause);
}

int keys_print(const struct mq_config *cfg, FILE *f, char **cause)
{
	const struct keytab **tabs;
	struct keybinds kb;
	size_t n, max;

	if (keys_bindings(cfg, &kb, cause) != 0)
		return -1;
	tabs = keys_table_array(&max);
	tabs[0] = &keys_global;
	n = 1 + keys_tables(tabs + 1, max - 1);
	keytab_print(f, tabs, n, &kb);
	keybinds_free(&kb);
	free(tabs);
	return 0;
}

const struct keytab *keys_screen_table(const struct screen_inst *s)
{
	return s->keytab != NULL ? s->keytab : s->screen->keytab;
}
