/*
 * The help overlay (? or F1): a box over the current screen listing that
 * screen's keys and then the keys every screen understands, made from the
 * key tables (keytab_help_lines(): the person's own keys included). A
 * screen that still takes raw keys (the lists) gives its .keys lines
 * instead of a table.
 *
 * Every line is shown whole: the keys and the help are broken into rows of
 * their columns (keytab_help_wrap(), never a label cut). When the rows do
 * not fit the box, ↓ and ↑ (PgDn, PgUp) scroll them and the box says there
 * is more ("↓ 更多" on its border, the rows shown of how many below); any
 * other key closes it.
 */
#include <stdlib.h>

#include <curses.h>

#include "console.h"
#include "keys.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

/* The lines of the overlay: from the tables, or the old .keys and the global table. */
static size_t help_lines(struct console *c, const struct screen_inst *s, struct keytab_help **lines)
{
	const struct keytab *tab = keys_screen_table(s);
	const struct key_help *own = s->screen->keys;
	struct keytab_help *global = NULL;
	size_t n = 0, ng, i;

	if (tab != NULL)
		return keytab_help_lines(tab, &keys_global, &c->keybinds, lines);
	*lines = NULL;
	for (i = 0; own != NULL && own[i].keys != NULL; i++) {
		*lines = xrealloc(*lines, (n + 1) * sizeof **lines);
		(*lines)[n].keys = xstrdup(_(own[i].keys));
		(*lines)[n].help = xstrdup(_(own[i].help));
		n++;
	}
	ng = keytab_help_lines(&keys_global, NULL, &c->keybinds, &global);
	*lines = xrealloc(*lines, (n + ng + 1) * sizeof **lines);
	for (i = 0; i < ng; i++)
		(*lines)[n++] = global[i]; /* the strings move over */
	free(global);
	return n;
}

/* Rows of the box that hold lines (title, blank, …, blank, footer, borders: 5 more). */
#define HELP_CHROME 5

void help_draw(struct console *c, const struct screen_inst *s)
{
	struct keytab_help *lines, *rows;
	int nrows, width, height, body, y, x, keycols = 0, helpcols, i, row;
	size_t n, nr;
	char *title, *foot;

	n = help_lines(c, s, &lines);
	for (i = 0; i < (int)n; i++)
		if (mq_strwidth(lines[i].keys) > keycols)
			keycols = mq_strwidth(lines[i].keys);
	width = COLS - 8 < 72 ? COLS - 8 : 72;
	/* (a third at most: long key lists break at their spaces, the help keeps its room) */
	if (keycols > width / 3)
		keycols = width / 3;
	helpcols = width - keycols - 7;
	nr = keytab_help_wrap(lines, n, keycols, helpcols, &rows);
	keytab_help_free(lines, n);
	nrows = (int)nr;
	height = nrows + HELP_CHROME;
	if (height > LINES - 2)
		height = LINES - 2;
	body = height - HELP_CHROME;
	c->help_max = nrows > body ? nrows - body : 0;
	if (c->help_scroll > c->help_max)
		c->help_scroll = c->help_max;
	if (c->help_scroll < 0)
		c->help_scroll = 0;
	y = (LINES - height) / 2;
	x = (COLS - width) / 2;
	tty_box(y, x, height, width, TTY_BOX);

	title = xasprintf(_("Help: %s"), s->title);
	tty_putf(y, x + 2, mq_strwidth(title) + 2, -1, TTY_BOX, " %s ", title);
	free(title);
	for (i = 0, row = y + 2; i < body && c->help_scroll + i < nrows; i++, row++) {
		const struct keytab_help *r = &rows[c->help_scroll + i];

		tty_put(row, x + 3, keycols + 2, -1, TTY_BOX, r->keys);
		tty_put(row, x + 5 + keycols, helpcols, -1, TTY_BOX, r->help);
	}
	if (c->help_max > 0) {
		/* More than the box holds: where it is, and that there is more. */
		if (c->help_scroll > 0)
			tty_putf(y, x + width - 12, 10, 1, TTY_BOX, " %s ", _("↑ more"));
		if (c->help_scroll < c->help_max)
			tty_putf(y + height - 1, x + width - 12, 10, 1, TTY_BOX, " %s ",
				 _("↓ more"));
		foot = xasprintf(_("Rows %d-%d of %d; ↓/↑ scroll, any other key closes."),
				 c->help_scroll + 1, c->help_scroll + body, nrows);
	} else
		foot = xstrdup(_("Press any key to close."));
	tty_put(y + height - 2, x + 2, width - 4, 0, TTY_BOX, foot);
	free(foot);
	keytab_help_free(rows, nr);
}

bool help_key(struct console *c, key_code key)
{
	int page = LINES - 2 - HELP_CHROME - 1;

	if (c->help_max <= 0)
		return false;
	if (key == KEYC_F(KEY_DOWN))
		c->help_scroll++;
	else if (key == KEYC_F(KEY_UP))
		c->help_scroll--;
	else if (key == KEYC_F(KEY_NPAGE))
		c->help_scroll += page > 1 ? page : 1;
	else if (key == KEYC_F(KEY_PPAGE))
		c->help_scroll -= page > 1 ? page : 1;
	else
		return false;
	if (c->help_scroll > c->help_max)
		c->help_scroll = c->help_max;
	if (c->help_scroll < 0)
		c->help_scroll = 0;
	return true;
}
