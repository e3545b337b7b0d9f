/*
 * Key tables (keytab.h): key names, a person's bindings, the lookup, the
 * checks of the bindings, and the texts generated from a table (hint line,
 * help lines, minqing --keys). No terminal, no database: the ncurses KEY_*
 * codes are constants of <curses.h>, nothing of the library is called.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curses.h>

#include "keytab.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

/* Named keys: how the configuration writes them and how a person reads them. */
static const struct {
	const char *name; /* in the configuration */
	key_code key;
	const char *shown; /* msgid; NULL: the name itself */
} keys_named[] = {
	{"Enter", '\r', NULL},
	{"Tab", '\t', NULL},
	{"BTab", KEYC_F(KEY_BTAB), N_("Shift-Tab")},
	{"Esc", KEYC_ESCAPE, NULL},
	{"Space", ' ', N_("Space")},
	{"Up", KEYC_F(KEY_UP), "↑"},
	{"Down", KEYC_F(KEY_DOWN), "↓"},
	{"Left", KEYC_F(KEY_LEFT), "←"},
	{"Right", KEYC_F(KEY_RIGHT), "→"},
	{"C-Left", KEYC_WORD_LEFT, N_("Ctrl-←")},
	{"C-Right", KEYC_WORD_RIGHT, N_("Ctrl-→")},
	{"Home", KEYC_F(KEY_HOME), NULL},
	{"End", KEYC_F(KEY_END), NULL},
	{"PgUp", KEYC_F(KEY_PPAGE), NULL},
	{"PgDn", KEYC_F(KEY_NPAGE), NULL},
	{"Delete", KEYC_F(KEY_DC), NULL},
	{"Insert", KEYC_F(KEY_IC), NULL},
	{"Backspace", KEYC_F(KEY_BACKSPACE), NULL},
};

bool keys_printable(key_code key)
{
	return (key & KEYC_FUNCTION) == 0 && key >= 0x20 && key != 0x7f;
}

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

char *keys_name(key_code key)
{
	char buf[8];
	size_t i;
	int n;

	/* Enter arrives as CR, LF or the keypad's KEY_ENTER: one name for all. */
	if (key == '\n' || key == KEYC_F(KEY_ENTER))
		key = '\r';
	if (key == 0x7f || key == KEYC_CTRL('H'))
		key = KEYC_F(KEY_BACKSPACE);
	for (i = 0; i < MQ_NITEMS(keys_named); i++)
		if (keys_named[i].key == key)
			return xstrdup(keys_named[i].shown != NULL ? _(keys_named[i].shown)
								   : keys_named[i].name);
	if ((key & KEYC_FUNCTION) != 0) {
		key_code k = key & ~KEYC_FUNCTION;

		if (k >= (key_code)KEY_F(1) && k <= (key_code)KEY_F(12))
			return xasprintf("F%d", (int)(k - (key_code)KEY_F0));
		return xasprintf("<%#x>", (unsigned)k);
	}
	if (key < 0x20)
		return xasprintf("Ctrl-%c", (char)(key + 'A' - 1));
	n = wctomb(buf, (wchar_t)key);
	if (n <= 0)
		return xstrdup("?");
	return xstrndup(buf, (size_t)n);
}

/* --- tables built at run time ------------------------------------------------------ */

struct keytab *keytab_new(const char *name, const char *title, unsigned flags,
			  const char *hint_global)
{
	struct keytab *t = xcalloc(1, sizeof *t);

	t->name = xstrdup(name);
	t->title = xstrdup(title != NULL ? title : name);
	t->flags = flags | KEYTAB_OWNED;
	t->hint_global = hint_global != NULL ? xstrdup(hint_global) : NULL;
	return t;
}

static char *keytab_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

int keytab_add(struct keytab *t, int id, const char *name, const char *keys, const char *hint_keys,
	       const char *hint, const char *help, char **cause)
{
	struct keytab_entry e, *entries;
	char *copy, *tok, *save = NULL;
	size_t nkeys = 0, i;
	int rc = 0;

	memset(&e, 0, sizeof e);
	copy = xstrdup(keys != NULL ? keys : "");
	for (tok = strtok_r(copy, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
		key_code k;

		if (keys_parse(tok, &k) != 0) {
			rc = mq_fail(cause,
				     _("%s: \"%s\" is not a key (F1-F12, C-x, Enter, Tab, Esc, "
				       "Up, ...)"),
				     name != NULL ? name : t->name, tok);
			break;
		}
		if (nkeys + 1 >= KEYTAB_MAX_KEYS) {
			rc = mq_fail(cause, _("%s: more than %d keys"),
				     name != NULL ? name : t->name, KEYTAB_MAX_KEYS - 1);
			break;
		}
		for (i = 0; i < t->n; i++)
			if (keytab_entry_has(&t->entries[i], NULL, k)) {
				rc = mq_fail(cause, _("%s: the key \"%s\" is already in the table"),
					     name != NULL ? name : t->name, tok);
				break;
			}
		if (rc != 0)
			break;
		e.keys[nkeys++] = k;
	}
	free(copy);
	for (i = 0; rc == 0 && name != NULL && i < t->n; i++)
		if (t->entries[i].name != NULL && strcmp(t->entries[i].name, name) == 0)
			rc = mq_fail(cause, _("%s: the action is twice in the table"), name);
	if (rc != 0)
		return -1;
	e.id = id;
	e.name = keytab_strdup(name);
	e.hint_keys = keytab_strdup(hint_keys);
	e.hint = keytab_strdup(hint);
	e.help = keytab_strdup(help);
	/* The entries of an owned table are the table's own: const only to its readers. */
	entries = xrealloc((void *)t->entries, (t->n + 1) * sizeof *entries);
	entries[t->n++] = e;
	t->entries = entries;
	return 0;
}

void keytab_free(struct keytab *t)
{
	size_t i;

	if (t == NULL)
		return;
	if ((t->flags & KEYTAB_OWNED) == 0)
		fatal("keytab_free: %s is a static table", t->name);
	for (i = 0; i < t->n; i++) {
		free((char *)t->entries[i].name);
		free((char *)t->entries[i].hint_keys);
		free((char *)t->entries[i].hint);
		free((char *)t->entries[i].help);
	}
	free((void *)t->entries);
	free((char *)t->name);
	free((char *)t->title);
	free((char *)t->hint_global);
	free(t);
}

/* --- bindings ------------------------------------------------------------------------ */

int keybinds_add(struct keybinds *kb, const char *action, const char *text, char **cause)
{
	key_code k;

	if (text == NULL || text[0] == '\0')
		return 0;
	if (keys_parse(text, &k) != 0)
		return mq_fail(cause,
			       _("keys.%s: \"%s\" is not a key (F1-F12, C-x, Enter, Tab, Esc, "
				 "Up, ...)"),
			       action, text);
	kb->b = xrealloc(kb->b, (kb->n + 1) * sizeof *kb->b);
	kb->b[kb->n].action = xstrdup(action);
	kb->b[kb->n].text = xstrdup(text);
	kb->b[kb->n].key = k;
	kb->n++;
	return 0;
}

void keybinds_free(struct keybinds *kb)
{
	size_t i;

	for (i = 0; i < kb->n; i++) {
		free(kb->b[i].action);
		free(kb->b[i].text);
	}
	free(kb->b);
	kb->b = NULL;
	kb->n = 0;
}

key_code keybinds_key(const struct keybinds *kb, const char *action)
{
	size_t i;

	if (kb == NULL || action == NULL)
		return 0;
	for (i = 0; i < kb->n; i++)
		if (strcmp(kb->b[i].action, action) == 0)
			return kb->b[i].key;
	return 0;
}

static const char *keybinds_text(const struct keybinds *kb, const char *action)
{
	size_t i;

	for (i = 0; kb != NULL && action != NULL && i < kb->n; i++)
		if (strcmp(kb->b[i].action, action) == 0)
			return kb->b[i].text;
	return "";
}

/* --- lookup -------------------------------------------------------------------------- */

static bool keys_same(key_code a, key_code b)
{
	/* Enter is CR, LF or KEY_ENTER on different terminals: the same key. */
	if (a == '\n' || a == KEYC_F(KEY_ENTER))
		a = '\r';
	if (b == '\n' || b == KEYC_F(KEY_ENTER))
		b = '\r';
	return a == b;
}

static bool keytab_default_has(const struct keytab_entry *e, key_code key)
{
	size_t i;

	for (i = 0; i < KEYTAB_MAX_KEYS && e->keys[i] != 0; i++)
		if (keys_same(e->keys[i], key))
			return true;
	return false;
}

bool keytab_entry_has(const struct keytab_entry *e, const struct keybinds *kb, key_code key)
{
	key_code bound = keybinds_key(kb, e->name);

	return (bound != 0 && keys_same(bound, key)) || keytab_default_has(e, key);
}

int keytab_lookup(const struct keytab *t, const struct keybinds *kb, key_code key)
{
	size_t i;

	if (t == NULL)
		return KEYTAB_NONE;
	for (i = 0; i < t->n; i++)
		if (keytab_entry_has(&t->entries[i], kb, key))
			return (int)i;
	if ((t->flags & KEYTAB_TAKES_TEXT) != 0 && keys_printable(key))
		return KEYTAB_TEXT;
	return KEYTAB_NONE;
}

/* --- checks -------------------------------------------------------------------------- */

static const char *keytab_text(const struct keytab *t, const char *msgid)
{
	if (msgid == NULL)
		return "";
	return (t->flags & KEYTAB_LITERAL) != 0 ? msgid : _(msgid);
}

/* How an error names an action: keys.<name>, or what a fixed key does. Caller frees. */
static char *keytab_describe(const struct keytab *t, const struct keytab_entry *e)
{
	if (e->name != NULL)
		return xasprintf("keys.%s", e->name);
	return xasprintf("\"%s\"", keytab_text(t, e->help != NULL ? e->help : e->hint));
}

/* The tables one screen reaches, in lookup order: inputs, the table, global. */
static size_t keytab_stack(const struct keytab *t, const struct keytab *global,
			   const struct keytab **stack, size_t max)
{
	size_t n = 0, i;

	for (i = 0; t->inputs != NULL && t->inputs[i] != NULL && n + 2 < max; i++)
		stack[n++] = t->inputs[i];
	stack[n++] = t;
	if (global != NULL && global != t)
		stack[n++] = global;
	return n;
}

/* Two default keys of one table for two actions: a mistake in the program. */
static int keytab_check_defaults(const struct keytab *t, char **cause)
{
	size_t i, j, k;
	char *a, *b, *name;
	int rc;

	for (i = 0; i < t->n; i++)
		for (k = 0; k < KEYTAB_MAX_KEYS && t->entries[i].keys[k] != 0; k++)
			for (j = i + 1; j < t->n; j++) {
				if (!keytab_default_has(&t->entries[j], t->entries[i].keys[k]))
					continue;
				a = keytab_describe(t, &t->entries[i]);
				b = keytab_describe(t, &t->entries[j]);
				name = keys_name(t->entries[i].keys[k]);
				rc = mq_fail(cause, _("%s: the key %s belongs to %s and to %s"),
					     keytab_text(t, t->title), name, a, b);
				free(a);
				free(b);
				free(name);
				return rc;
			}
	return 0;
}

/* Is key a default key of an action called name in one of the tables? */
static bool keytab_stack_default(const struct keytab *const *stack, size_t ns, const char *name,
				 key_code key)
{
	size_t x, i;

	for (x = 0; x < ns; x++)
		for (i = 0; i < stack[x]->n; i++)
			if (stack[x]->entries[i].name != NULL &&
			    strcmp(stack[x]->entries[i].name, name) == 0 &&
			    keytab_default_has(&stack[x]->entries[i], key))
				return true;
	return false;
}

/* The bindings of the actions of the screen whose table is t. */
static int keytab_check_screen(const struct keytab *t, const struct keytab *global,
			       const struct keybinds *kb, char **cause)
{
	const struct keytab *stack[16];
	size_t ns, x, y, i, j;
	char *other;
	int rc;

	ns = keytab_stack(t, global, stack, MQ_NITEMS(stack));
	for (x = 0; x < ns; x++)
		for (i = 0; i < stack[x]->n; i++) {
			const struct keytab_entry *e = &stack[x]->entries[i];
			key_code k = keybinds_key(kb, e->name);

			if (k == 0 || keytab_stack_default(stack, ns, e->name, k))
				continue; /* none, or a default key of the action said again */
			if (keys_printable(k) && ((t->flags | stack[x]->flags) &
						  (KEYTAB_NO_CHARS | KEYTAB_TAKES_TEXT)) != 0)
				return mq_fail(
					cause,
					_("keys.%s: \"%s\" is a character, which is typed in "
					  "text fields: choose a function key or C-x"),
					e->name, keybinds_text(kb, e->name));
			for (y = 0; y < ns; y++)
				for (j = 0; j < stack[y]->n; j++) {
					const struct keytab_entry *f = &stack[y]->entries[j];

					if (f == e ||
					    (f->name != NULL && strcmp(f->name, e->name) == 0))
						continue;
					if (!keytab_entry_has(f, kb, k))
						continue;
					other = keytab_describe(stack[y], f);
					rc = mq_fail(
						cause,
						_("keys.%s: \"%s\" is bound to another action too: "
						  "%s (%s)"),
						e->name, keybinds_text(kb, e->name), other,
						keytab_text(t, t->title));
					free(other);
					return rc;
				}
		}
	return 0;
}

static bool keytab_has_action(const struct keytab *t, const char *name)
{
	size_t i;

	for (i = 0; t != NULL && i < t->n; i++)
		if (t->entries[i].name != NULL && strcmp(t->entries[i].name, name) == 0)
			return true;
	return false;
}

int keytab_check(const struct keytab *const *tabs, size_t ntabs, const struct keytab *global,
		 const struct keybinds *kb, char **cause)
{
	size_t i, j, b;
	bool found;

	for (b = 0; kb != NULL && b < kb->n; b++) {
		found = keytab_has_action(global, kb->b[b].action);
		for (i = 0; !found && i < ntabs; i++) {
			found = keytab_has_action(tabs[i], kb->b[b].action);
			for (j = 0; !found && tabs[i]->inputs != NULL && tabs[i]->inputs[j] != NULL;
			     j++)
				found = keytab_has_action(tabs[i]->inputs[j], kb->b[b].action);
		}
		if (!found)
			return mq_fail(cause,
				       _("keys.%s: there is no such action (minqing --keys lists "
					 "them)"),
				       kb->b[b].action);
	}
	if (global != NULL && keytab_check_defaults(global, cause) != 0)
		return -1;
	for (i = 0; i < ntabs; i++) {
		if (keytab_check_defaults(tabs[i], cause) != 0)
			return -1;
		for (j = 0; tabs[i]->inputs != NULL && tabs[i]->inputs[j] != NULL; j++)
			if (keytab_check_defaults(tabs[i]->inputs[j], cause) != 0)
				return -1;
		if (keytab_check_screen(tabs[i], global, kb, cause) != 0)
			return -1;
	}
	/* The global actions alone (a screen table may be missing from tabs). */
	if (global != NULL && keytab_check_screen(global, NULL, kb, cause) != 0)
		return -1;
	return 0;
}

/* --- texts made from a table ----------------------------------------------------------- */

static char *keytab_hint_key(const struct keytab *screen, const struct keytab *t,
			     const struct keytab_entry *e, const struct keybinds *kb);

/*
 * The key the hint line names for e: the bound one, else hint_keys, else
 * the first default key (not a character when the screen takes text: "F1
 * help", not "? help", in a form). Caller frees.
 */
char *keytab_entry_key(const struct keytab *screen, const struct keytab_entry *e,
		       const struct keybinds *kb)
{
	return keytab_hint_key(screen, screen, e, kb);
}

static char *keytab_hint_key(const struct keytab *screen, const struct keytab *t,
			     const struct keytab_entry *e, const struct keybinds *kb)
{
	key_code bound = keybinds_key(kb, e->name);
	size_t i;

	if (bound != 0)
		return keys_name(bound);
	if (e->hint_keys != NULL)
		return xstrdup(keytab_text(t, e->hint_keys));
	for (i = 0; i < KEYTAB_MAX_KEYS && e->keys[i] != 0; i++)
		if ((screen->flags & KEYTAB_NO_CHARS) == 0 || !keys_printable(e->keys[i]))
			return keys_name(e->keys[i]);
	return NULL;
}

/* The items of a hint line: "F2 提交", each with whether it is the help's. */
struct keytab_item {
	char *text;
	bool help;
};

static void keytab_item_add(struct keytab_item **items, size_t *n, char *keys, const char *label,
			    bool help)
{
	if (keys == NULL)
		return;
	*items = xrealloc(*items, (*n + 1) * sizeof **items);
	(*items)[*n].text = xasprintf("%s %s", keys, label);
	(*items)[*n].help = help;
	(*n)++;
	free(keys);
}

char *keytab_hint(const struct keytab *t, const struct keytab *global, const struct keybinds *kb,
		  int cols)
{
	return keytab_hint_offered(t, global, kb, cols, NULL, NULL);
}

char *keytab_hint_offered(const struct keytab *t, const struct keytab *global,
			  const struct keybinds *kb, int cols, bool (*offered)(int id, void *arg),
			  void *arg)
{
	struct keytab_item *items = NULL;
	char *line, *next, *copy, *tok, *save = NULL;
	size_t n = 0, i, k;
	int total = 0, reserve = 0, used = 0, w;

	for (i = 0; i < t->n; i++)
		if (t->entries[i].hint != NULL &&
		    (offered == NULL || offered(t->entries[i].id, arg)))
			keytab_item_add(&items, &n, keytab_hint_key(t, t, &t->entries[i], kb),
					keytab_text(t, t->entries[i].hint), false);
	if (t->hint_global != NULL && global != NULL) {
		copy = xstrdup(t->hint_global);
		for (tok = strtok_r(copy, " ", &save); tok != NULL;
		     tok = strtok_r(NULL, " ", &save))
			for (k = 0; k < global->n; k++) {
				const struct keytab_entry *e = &global->entries[k];

				if (e->name == NULL || strcmp(e->name, tok) != 0 || e->hint == NULL)
					continue;
				keytab_item_add(&items, &n, keytab_hint_key(t, global, e, kb),
						keytab_text(global, e->hint),
						strcmp(e->name, "help") == 0);
				break;
			}
		free(copy);
	}
	/*
	 * Whole items only, two spaces apart. When some must be left out, the
	 * help's keeps its room: it lists everything the line cannot.
	 */
	for (i = 0; i < n; i++)
		total += mq_strwidth(items[i].text) + (i > 0 ? 2 : 0);
	if (total > cols)
		for (i = 0; i < n; i++)
			if (items[i].help)
				reserve = mq_strwidth(items[i].text) + 2;
	line = xstrdup("");
	for (i = 0; i < n; i++) {
		w = mq_strwidth(items[i].text) + (used > 0 ? 2 : 0);
		if (items[i].help)
			reserve = 0;
		if (used + w + reserve <= cols) {
			next = xasprintf("%s%s%s", line, used > 0 ? "  " : "", items[i].text);
			free(line);
			line = next;
			used += w;
		}
		free(items[i].text);
	}
	free(items);
	return line;
}

size_t keytab_pack(char *const *items, size_t n, int cols, char ***rows)
{
	size_t nrows = 0, i;
	int used = 0, w;
	char *next;

	*rows = NULL;
	for (i = 0; i < n; i++) {
		w = mq_strwidth(items[i]);
		if (nrows == 0 || used + 2 + w > cols) {
			*rows = xrealloc(*rows, (nrows + 1) * sizeof **rows);
			(*rows)[nrows++] = xstrdup(items[i]);
			used = w;
			continue;
		}
		next = xasprintf("%s  %s", (*rows)[nrows - 1], items[i]);
		free((*rows)[nrows - 1]);
		(*rows)[nrows - 1] = next;
		used += 2 + w;
	}
	return nrows;
}

/*
 * Does an action of screen's tables (or of its inputs) answer key before e's
 * table does? Then the help says it there (Esc: the form's "leave").
 */
static bool keytab_shadowed(const struct keytab *screen, const struct keybinds *kb, key_code key)
{
	const struct keytab *stack[16];
	size_t ns, x, i;

	if (screen == NULL)
		return false;
	ns = keytab_stack(screen, NULL, stack, MQ_NITEMS(stack));
	for (x = 0; x < ns; x++)
		for (i = 0; i < stack[x]->n; i++) {
			const struct keytab_entry *f = &stack[x]->entries[i];

			if (keytab_entry_has(f, kb, key))
				return true;
		}
	return false;
}

/*
 * "F2/Ctrl-X": the keys of e, the bound one first, each name once; without
 * those another action of shadow takes first (the global Left is a text
 * field's in a form). Caller frees.
 */
static char *keytab_keys_text(const struct keytab_entry *e, const struct keybinds *kb,
			      const char *sep, const struct keytab *shadow)
{
	key_code keys[KEYTAB_MAX_KEYS + 1];
	char *out = xstrdup(""), *name, *next;
	size_t n = 0, i;

	if (keybinds_key(kb, e->name) != 0)
		keys[n++] = keybinds_key(kb, e->name);
	for (i = 0; i < KEYTAB_MAX_KEYS && e->keys[i] != 0; i++)
		keys[n++] = e->keys[i];
	for (i = 0; i < n; i++) {
		if (keytab_shadowed(shadow, kb, keys[i]))
			continue;
		name = keys_name(keys[i]);
		/* CR and LF are both "Enter": a name already there is not repeated. */
		if (strcmp(out, name) != 0 && strstr(out, name) == NULL) {
			next = xasprintf("%s%s%s", out, out[0] != '\0' ? sep : "", name);
			free(out);
			out = next;
		}
		free(name);
	}
	return out;
}

static void keytab_help_add(const struct keytab *t, const struct keybinds *kb,
			    const struct keytab *shadow, struct keytab_help **lines, size_t *n)
{
	const char *last = NULL;
	char *keys, *next;
	size_t i;

	for (i = 0; t != NULL && i < t->n; i++) {
		const struct keytab_entry *e = &t->entries[i];

		if (e->help == NULL) {
			last = NULL;
			continue;
		}
		keys = keytab_keys_text(e, kb, "/", shadow);
		if (keys[0] == '\0') {
			/* every key of it belongs to the screen there: not said */
			free(keys);
			last = NULL;
			continue;
		}
		if (last != NULL && strcmp(last, e->help) == 0 && *n > 0) {
			/* the same help as the entry before: one line for both */
			next = xasprintf("%s %s", (*lines)[*n - 1].keys, keys);
			free((*lines)[*n - 1].keys);
			(*lines)[*n - 1].keys = next;
			free(keys);
			continue;
		}
		*lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
		(*lines)[*n].keys = keys;
		(*lines)[*n].help = xstrdup(keytab_text(t, e->help));
		(*n)++;
		last = e->help;
	}
}

size_t keytab_help_lines(const struct keytab *t, const struct keytab *global,
			 const struct keybinds *kb, struct keytab_help **lines)
{
	size_t n = 0, i;

	*lines = NULL;
	for (i = 0; t->inputs != NULL && t->inputs[i] != NULL; i++)
		keytab_help_add(t->inputs[i], kb, NULL, lines, &n);
	keytab_help_add(t, kb, NULL, lines, &n);
	if (global != NULL && global != t)
		keytab_help_add(global, kb, t, lines, &n);
	return n;
}

size_t keytab_help_wrap(const struct keytab_help *lines, size_t n, int keycols, int helpcols,
			struct keytab_help **rows)
{
	size_t nrows = 0, i, r, nk, nh;
	char **keys, **help;

	*rows = NULL;
	for (i = 0; i < n; i++) {
		nk = mq_wrap(lines[i].keys, keycols, &keys);
		nh = mq_wrap(lines[i].help, helpcols, &help);
		*rows = xrealloc(*rows, (nrows + (nk > nh ? nk : nh)) * sizeof **rows);
		for (r = 0; r < nk || r < nh; r++) {
			(*rows)[nrows].keys = xstrdup(r < nk ? keys[r] : "");
			(*rows)[nrows].help = xstrdup(r < nh ? help[r] : "");
			nrows++;
		}
		mq_wrap_free(keys, nk);
		mq_wrap_free(help, nh);
	}
	return nrows;
}

void keytab_help_free(struct keytab_help *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(lines[i].keys);
		free(lines[i].help);
	}
	free(lines);
}

/* One row of --keys: an action with the same default keys in several screens. */
struct keytab_row {
	const char *name;
	char *keys;
	char *where;
};

static void keytab_print_add(struct keytab_row **rows, size_t *n, const struct keytab *t)
{
	char *keys, *next;
	size_t i, r;

	for (i = 0; i < t->n; i++) {
		const struct keytab_entry *e = &t->entries[i];

		if (e->name == NULL)
			continue;
		keys = keytab_keys_text(e, NULL, ", ", NULL);
		for (r = 0; r < *n; r++)
			if (strcmp((*rows)[r].name, e->name) == 0 &&
			    strcmp((*rows)[r].keys, keys) == 0)
				break;
		if (r < *n) {
			free(keys);
			if (strstr((*rows)[r].where, keytab_text(t, t->title)) != NULL)
				continue;
			next = xasprintf("%s, %s", (*rows)[r].where, keytab_text(t, t->title));
			free((*rows)[r].where);
			(*rows)[r].where = next;
			continue;
		}
		*rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
		(*rows)[*n].name = e->name;
		(*rows)[*n].keys = keys;
		(*rows)[*n].where = xstrdup(keytab_text(t, t->title));
		(*n)++;
	}
}

void keytab_print(FILE *f, const struct keytab *const *tabs, size_t ntabs,
		  const struct keybinds *kb)
{
	struct keytab_row *rows = NULL;
	size_t n = 0, i, j;
	char *a, *b, *bound;
	int wname = 18;

	for (i = 0; i < ntabs; i++) {
		keytab_print_add(&rows, &n, tabs[i]);
		for (j = 0; tabs[i]->inputs != NULL && tabs[i]->inputs[j] != NULL; j++)
			keytab_print_add(&rows, &n, tabs[i]->inputs[j]);
	}
	/* the name is what a person types in the configuration: never cut */
	for (i = 0; i < n; i++)
		if (mq_strwidth(rows[i].name) > wname)
			wname = mq_strwidth(rows[i].name);
	a = mq_strpad(_("ACTION"), wname, -1);
	b = mq_strpad(_("DEFAULT KEYS"), 24, -1);
	fprintf(f, "%s %s %s\n", a, b, _("WHERE"));
	free(a);
	free(b);
	for (i = 0; i < n; i++) {
		a = mq_strpad(rows[i].name, wname, -1);
		b = mq_strpad(rows[i].keys, 24, -1);
		if (keybinds_key(kb, rows[i].name) != 0) {
			char *name = keys_name(keybinds_key(kb, rows[i].name));

			bound = xasprintf(_(" (yours: %s)"), name);
			free(name);
		} else
			bound = xstrdup("");
		fprintf(f, "%s %s %s%s\n", a, b, rows[i].where, bound);
		free(a);
		free(b);
		free(bound);
		free(rows[i].keys);
		free(rows[i].where);
	}
	free(rows);
	fprintf(f, "\n%s\n",
		_("Give an action a key of your own in the configuration file, e.g.\n"
		  "  keys = { submit = \"F9\"; accept = \"F3\"; };\n"
		  "It is added to the default keys. A key for an action of a screen that takes "
		  "text\nmust be a function key, a control key or a named key (not a character)."));
}
