/*
 * The screen of a menu item whose function is not built yet: it says so
 * plainly, so that a person at a station never wonders whether the system
 * is broken. Later releases replace these one by one with real screens.
 */
#include <curses.h>

#include "console.h"
#include "mq/common.h"
#include "mq/i18n.h"

static void pending_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	int y = top + height / 2 - 2;

	tty_put(top + 1, 4, COLS - 8, -1, TTY_HEADING, s->title);
	tty_putf(y, 2, COLS - 4, 0, TTY_NORMAL,
		 _("%s: this function arrives in a later release of the e-station."), s->title);
	tty_put(y + 2, 2, COLS - 4, 0, TTY_HINT, _("Press Esc to go back."));
}

static const struct key_help pending_keys[] = {
	{NULL, NULL},
};

const struct screen screen_pending = {
	.name = "pending",
	.draw = pending_draw,
	.keys = pending_keys,
	.hint = N_("Esc back  ? help  F10 quit"),
};
