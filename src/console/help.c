/*
 * The help overlay (? or F1): a box over the current screen listing that
 * screen's own keys and then the keys every screen understands. Any key
 * closes it.
 */
#include <stdlib.h>

#include <curses.h>

#include "console.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

static const struct key_help help_global_keys[] = {
	{N_("Esc/Left/h"), N_("go back")},
	{N_("q"), N_("go back; in the main menu, quit")},
	{N_("F10"), N_("quit")},
	{N_("?/F1"), N_("this help")},
	{N_("Ctrl-L"), N_("redraw the screen")},
	{NULL, NULL},
};

static int help_count(const struct key_help *keys)
{
	int n = 0;

	while (keys != NULL && keys[n].keys != NULL)
		n++;
	return n;
}

void help_draw(struct console *c MQ_UNUSED, const struct screen_inst *s)
{
	const struct key_help *lists[2] = {s->help != NULL ? s->help : s->screen->keys,
					   help_global_keys};
	int nlines, width, height, y, x, keycols = 0, i, l, row;
	char *title;

	nlines = help_count(lists[0]) + help_count(lists[1]);
	for (l = 0; l < 2; l++)
		for (i = 0; lists[l] != NULL && lists[l][i].keys != NULL; i++)
			if (mq_strwidth(_(lists[l][i].keys)) > keycols)
				keycols = mq_strwidth(_(lists[l][i].keys));
	width = COLS - 8 < 66 ? COLS - 8 : 66;
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
	for (l = 0; l < 2; l++) {
		for (i = 0; lists[l] != NULL && lists[l][i].keys != NULL; i++) {
			if (row >= y + height - 2)
				break;
			tty_put(row, x + 3, keycols + 2, -1, TTY_BOX, _(lists[l][i].keys));
			tty_put(row, x + 5 + keycols, width - keycols - 7, -1, TTY_BOX,
				_(lists[l][i].help));
			row++;
		}
	}
	tty_put(y + height - 2, x + 2, width - 4, 0, TTY_BOX, _("Press any key to close."));
}
