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

/* No action of its own: the global keys only (Esc back). */
static const struct keytab pending_tab = {
	.name = "pending",
	.title = N_("A function of a later release"),
	.entries = NULL,
	.n = 0,
	.hint_global = "back help quit",
};

static enum key_result pending_action(struct console *c MQ_UNUSED, struct screen_inst *s MQ_UNUSED,
				      int action MQ_UNUSED, key_code key MQ_UNUSED)
{
	return SCREEN_IGNORED;
}

const struct screen screen_pending = {
	.name = "pending",
	.draw = pending_draw,
	.keytab = &pending_tab,
	.action = pending_action,
};
