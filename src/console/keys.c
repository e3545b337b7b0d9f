/*
 * Key bindings by action name. Every action a person may rebind has its
 * default key here; the configuration file may give it another one
 * (keys.submit = "F9";). The console then reads that key as the default
 * one before any screen sees it, so every screen honours the binding
 * without knowing of it, and the default key keeps working too (a station
 * terminal whose SSH client eats F2 still has Ctrl-X, and now F9).
 *
 * A binding must be a function key, a control key or a named key (Enter,
 * Tab, arrows...): a printable character is refused, since screens that
 * take text (forms, the picker, a list's filter) need every character.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curses.h>

#include "console.h"
#include "mq/common.h"
#include "mq/config.h"
#include "mq/i18n.h"
#include "mq/width.h"

/* The default key of each action, in the order of MQ_KEY_ACTIONS. */
static const key_code keys_default[MQ_NKEYS] = {
	[MQ_KEY_quit] = KEYC_F(KEY_F(10)),
	[MQ_KEY_help] = KEYC_F(KEY_F(1)),
	[MQ_KEY_back] = KEYC_ESCAPE,
	[MQ_KEY_redraw] = KEYC_CTRL('L'),
	[MQ_KEY_submit] = KEYC_F(KEY_F(2)),
	[MQ_KEY_reload] = KEYC_F(KEY_F(5)),
	[MQ_KEY_next_field] = '\t',
	[MQ_KEY_prev_field] = KEYC_F(KEY_BTAB),
	[MQ_KEY_accept] = 'a',
	[MQ_KEY_resolve_at_once] = 'i',
	[MQ_KEY_category] = 'k',
	[MQ_KEY_dispatch] = 'd',
	[MQ_KEY_start] = 's',
	[MQ_KEY_progress] = 'p',
	[MQ_KEY_resolve] = 'x',
	[MQ_KEY_return] = 't',
	[MQ_KEY_pause] = 'z',
	[MQ_KEY_resume] = 'm',
	[MQ_KEY_extend] = 'e',
	[MQ_KEY_decide_extension] = 'v',
	[MQ_KEY_report_back] = 'b',
	[MQ_KEY_close] = 'c',
	[MQ_KEY_withdraw] = 'w',
	[MQ_KEY_urge] = 'u',
};

#define KEYS_NAME(a) #a,
static const char *const keys_names[MQ_NKEYS] = {MQ_KEY_ACTIONS(KEYS_NAME)};
#undef KEYS_NAME

static const struct {
	const char *name;
	key_code key;
} keys_named[] = {
	{"Enter", '\r'},
	{"Tab", '\t'},
	{"BTab", KEYC_F(KEY_BTAB)},
	{"Esc", KEYC_ESCAPE},
	{"Space", ' '},
	{"Up", KEYC_F(KEY_UP)},
	{"Down", KEYC_F(KEY_DOWN)},
	{"Left", KEYC_F(KEY_LEFT)},
	{"Right", KEYC_F(KEY_RIGHT)},
	{"Home", KEYC_F(KEY_HOME)},
	{"End", KEYC_F(KEY_END)},
	{"PgUp", KEYC_F(KEY_PPAGE)},
	{"PgDn", KEYC_F(KEY_NPAGE)},
	{"Delete", KEYC_F(KEY_DC)},
	{"Insert", KEYC_F(KEY_IC)},
	{"Backspace", KEYC_F(KEY_BACKSPACE)},
};

int keys_parse(const char *name, key_code *key)
{
	wchar_t wc;
	size_t i, n;
	char *end;
	long f;

	if (name == NULL || name[0] == '\0')
		return -1;
	for (i = 0; i < MQ_NITEMS(keys_named); i++)
		if (strcasecmp(name, keys_named[i].name) == 0) {
			*key = keys_named[i].key;
			return 0;
		}
	if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
		f = strtol(name + 1, &end, 10);
		if (*end != '\0' || f < 1 || f > 12)
			return -1;
		*key = KEYC_F(KEY_F((int)f));
		return 0;
	}
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] != '\0' &&
	    name[3] == '\0') {
		char ch = name[2];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch < 'a' || ch > 'z')
			return -1;
		*key = KEYC_CTRL(ch);
		return 0;
	}
	/* one character */
	n = mq_utf8_decode(name, strlen(name), &wc);
	if (n == 0 || name[n] != '\0' || wc == 0xFFFD || wc < 0x20 || wc == 0x7f)
		return -1;
	*key = (key_code)wc;
	return 0;
}

int keys_check(const struct mq_config *cfg, char **cause)
{
	struct console c;

	memset(&c, 0, sizeof c);
	c.cfg = (struct mq_config *)cfg; /* read only */
	return keys_init(&c, cause);
}

int keys_init(struct console *c, char **cause)
{
	key_code k;
	size_t i, j;

	c->nkeymap = 0;
	for (i = 0; i < MQ_NKEYS; i++) {
		const char *v = c->cfg->keys[i];

		if (v == NULL || v[0] == '\0')
			continue;
		if (keys_parse(v, &k) != 0)
			return mq_fail(
				cause,
				_("keys.%s: \"%s\" is not a key (F1-F12, C-x, Enter, Tab, Esc, "
				  "Up, ...)"),
				keys_names[i], v);
		if ((k & KEYC_FUNCTION) == 0 && k >= 0x20 && k != 0x7f)
			return mq_fail(cause,
				       _("keys.%s: \"%s\" is a character, which is typed in text "
					 "fields: choose a function key or C-x"),
				       keys_names[i], v);
		for (j = 0; j < c->nkeymap; j++)
			if (c->keymap[j].from == k)
				return mq_fail(cause,
					       _("keys.%s: \"%s\" is bound to another action too"),
					       keys_names[i], v);
		c->keymap[c->nkeymap].from = k;
		c->keymap[c->nkeymap].to = keys_default[i];
		c->nkeymap++;
	}
	return 0;
}

key_code keys_translate(const struct console *c, key_code key)
{
	size_t i;

	for (i = 0; i < c->nkeymap; i++)
		if (c->keymap[i].from == key)
			return c->keymap[i].to;
	return key;
}
