/*
 * The help overlay (? or F1): a box over the current screen listing that
 * screen's keys and then the keys every screen understands, made from the
 * key tables (keytab_help_lines(): the person's own keys included). A
 * screen that still takes raw keys (the lists) gives its .keys lines
 * instead of a table. Any key closes it.
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

void help_draw(struct console *c, const struct screen_inst *s)
{
	struct keytab_help *lines;
	int nlines, width, height, y, x, keycols = 0, i, row;
	size_t n;
	char *title;

	n = help_lines(c, s, &lines);
	nlines = (int)n;
	for (i = 0; i < nlines; i++)
		if (mq_strwidth(lines[i].keys) > keycols)
			keycols = mq_strwidth(lines[i].keys);
	width = COLS - 8 < 72 ? COLS - 8 : 72;
	if (keycols > width / 2)
		keycols = width / 2;
	height = nlines + 5;
	if (height > LINES - 2)
		height = LINES - 2;
	y = (LINES - height) / 2;
	x = (COLS - width) / 2;
	tty_box(y, x, height, width, TTY_BOX);

	title = xasprintf(_("Help: %s"), s->title);
	tty_putf(y, x + 2, mq_strwidth(title) + 2, -1, TTY_BOX, " %s ", title);
	free(title);
	row = y + 2;
	for (i = 0; i < nlines && row < y + height - 2; i++, row++) {
		tty_put(row, x + 3, keycols + 2, -1, TTY_BOX, lines[i].keys);
		tty_put(row, x + 5 + keycols, width - keycols - 7, -1, TTY_BOX, lines[i].help);
	}
	tty_put(y + height - 2, x + 2, width - 4, 0, TTY_BOX, _("Press any key to close."));
	keytab_help_free(lines, n);
}
