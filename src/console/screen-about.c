/*
 * About / my account: who the database says is logged in (account, name,
 * duty, unit, district), which schema and server this console talks to and
 * where the connection goes. Read when the screen opens and on r.
 */
#include <stdlib.h>

#include <curses.h>
#include <libpq-fe.h>

#include "console.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

#define ABOUT_MAX_ROWS 12

struct about_state {
	const char *labels[ABOUT_MAX_ROWS]; /* msgids */
	char *values[ABOUT_MAX_ROWS];       /* owned */
	int n;
};

static void about_add(struct about_state *st, const char *label, char *value)
{
	if (st->n == ABOUT_MAX_ROWS)
		fatal("about: too many rows");
	st->labels[st->n] = label;
	st->values[st->n++] = value;
}

static void about_clear(struct about_state *st)
{
	int i;

	for (i = 0; i < st->n; i++)
		free(st->values[i]);
	st->n = 0;
}

static void about_load(struct console *c, struct screen_inst *s)
{
	struct about_state *st = s->data;
	const char *server;
	char *cause = NULL;
	int version;

	about_clear(st);
	about_add(st, N_("Account"), xstrdup(c->id.login));
	about_add(st, N_("Name"), xstrdup(c->id.display_name));
	about_add(st, N_("Duty"), xstrdup(console_duty_name(c->id.duty)));
	about_add(st, N_("Unit"), xasprintf("%s %s", c->id.unit_code, c->id.unit_name));
	about_add(st, N_("District"), xstrdup(c->id.district_name));
	if (mq_db_schema_version(c->db, &version, &cause) == 0)
		about_add(st, N_("Schema version"),
			  xasprintf(_("%d (this program: %d)"), version, mq_schema_version));
	else {
		about_add(st, N_("Schema version"), xstrdup("?"));
		console_db_cause(c, cause);
		free(cause);
	}
	server = mq_db_parameter(c->db, "server_version");
	about_add(st, N_("Server version"),
		  xasprintf("PostgreSQL %s", server != NULL ? server : "?"));
	about_add(st, N_("Connection"), mq_db_describe_target(c->db));
	about_add(st, N_("Database"), xstrdup(mq_db_name(c->db)));
	about_add(st, N_("Program version"), xasprintf("minqing %s", MQ_VERSION));
}

static void about_init(struct console *c, struct screen_inst *s)
{
	s->data = xcalloc(1, sizeof(struct about_state));
	about_load(c, s);
}

static void about_free(struct screen_inst *s)
{
	about_clear(s->data);
	free(s->data);
	s->data = NULL;
}

static void about_draw(struct console *c MQ_UNUSED, struct screen_inst *s, int top, int height)
{
	struct about_state *st = s->data;
	int i, labcols = 0, w, x = 4;

	tty_put(top + 1, x, COLS - 8, -1, TTY_HEADING, s->title);
	for (i = 0; i < st->n; i++)
		if ((w = mq_strwidth(_(st->labels[i]))) > labcols)
			labcols = w;
	labcols += 2;
	for (i = 0; i < st->n && 3 + i < height; i++) {
		tty_put(top + 3 + i, x + 2, labcols, -1, TTY_HINT, _(st->labels[i]));
		tty_put(top + 3 + i, x + 2 + labcols, COLS - x - 4 - labcols, -1, TTY_NORMAL,
			st->values[i]);
	}
}

enum { ABOUT_RELOAD };

static enum key_result about_action(struct console *c, struct screen_inst *s, int action,
				    key_code key MQ_UNUSED)
{
	if (action != ABOUT_RELOAD)
		return SCREEN_IGNORED;
	about_load(c, s);
	return SCREEN_HANDLED;
}

static const struct keytab_entry about_entries[] = {
	{ABOUT_RELOAD,
	 "reload",
	 {'r', KEYC_F(KEY_F(5))},
	 NULL,
	 N_("refresh"),
	 N_("read again from the database")},
};

static const struct keytab about_tab = {
	.name = "about",
	.title = N_("About / my account"),
	KEYTAB_ENTRIES(about_entries),
	.hint_global = "back help quit",
};

const struct screen screen_about = {
	.name = "about",
	.init = about_init,
	.free = about_free,
	.draw = about_draw,
	.keytab = &about_tab,
	.action = about_action,
};
