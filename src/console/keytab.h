/*
 * Key tables: the keys of a screen as a table of actions (as NeoMutt's op
 * tables and tmux's key tables), from which the console's dispatch, the
 * bottom hint line, the F1 help and `minqing --keys` are all generated.
 *
 * An action has a name (keys.<name> in the configuration; NULL for a fixed
 * key no one may rebind), default keys, a short label for the hint line and
 * a line of help (English msgids, translated when shown). The console looks
 * a pressed key up in the tables of the screen on top, in this order:
 *
 *   1. the table of the input that has the focus (a text field, a choice
 *      field), when the screen has one: a text table takes every printable
 *      character as text (KEYTAB_TEXT), so a character typed into a field is
 *      never an action unless that table names it;
 *   2. the screen's own table;
 *   3. the console's global table (quit, help, back, redraw).
 *
 * The first table that has the key decides; its screen may answer
 * SCREEN_IGNORED to let the next table try (Up at the top line of a
 * multi-line field moves to the previous field).
 *
 * A person's binding (keys.accept = "F3") adds a key to the action in
 * every table that has an action of that name; the default keys keep
 * working (a station whose SSH client eats F2 still has Ctrl-X). It is
 * refused when it would take a key from another action a screen reaches
 * (keytab_check()).
 *
 * Tables are static arrays for the screens written in C, or built at run
 * time (keytab_new()/keytab_add()) for a screen whose actions come from a
 * data file. Nothing here needs a terminal or a database, so the unit tests
 * (tests/unit/test_keys.c) link this file alone.
 */
#ifndef MQ_KEYTAB_H
#define MQ_KEYTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Keys: a character is its code point; a function key is KEYC_FUNCTION with
 * the ncurses KEY_* code (KEYC_FUNCTION | KEY_DOWN), as tmux's KEYC_ flags.
 */
typedef uint32_t key_code;
#define KEYC_FUNCTION 0x40000000u
#define KEYC_F(k)     (KEYC_FUNCTION | (key_code)(k))
#define KEYC_ESCAPE   ((key_code)27)
#define KEYC_CTRL(c)  ((key_code)((c)&0x1f))
/*
 * Ctrl-Left and Ctrl-Right have no fixed ncurses code (terminfo's kLFT5 and
 * kRIT5 differ by terminal): the console turns them into these before the
 * lookup (tty_key_is_word_left()).
 */
#define KEYC_WORD_LEFT  (KEYC_FUNCTION | 0x100000u)
#define KEYC_WORD_RIGHT (KEYC_FUNCTION | 0x100001u)
/*
 * The brackets of a paste (tty.c turns on the terminal's bracketed paste):
 * what comes between them is text, not keys (console.c collects it).
 */
#define KEYC_PASTE_BEGIN (KEYC_FUNCTION | 0x100002u)
#define KEYC_PASTE_END   (KEYC_FUNCTION | 0x100003u)

/* A key that types a character (not a control, not a function key). */
bool keys_printable(key_code key);

/*
 * A key name of the configuration ("F9", "C-x", "Enter", "Left", "C-Left",
 * "中") as a key_code: 0, or -1 when it names no key.
 */
int keys_parse(const char *name, key_code *key);
/*
 * A key as a person reads it in the hint line, the help and --keys ("F2",
 * "Ctrl-X", "↑", "Enter", "空格", "a"). Translated; caller frees.
 */
char *keys_name(key_code key);

#define KEYTAB_MAX_KEYS 10   /* default keys of one action at most */
#define KEYTAB_TEXT     (-1) /* the action id of a character typed into a text table */

/* One action of a table. */
struct keytab_entry {
	int id;           /* what the screen's action() receives; the screen's own enum */
	const char *name; /* keys.<name>; NULL: a fixed key, not bindable */
	key_code keys[KEYTAB_MAX_KEYS]; /* default keys, 0-terminated */
	const char *hint_keys; /* the keys as the hint line names them ("Up/Down", "1-9"); NULL: the
				  first key */
	const char *hint;      /* short label in the hint line (msgid); NULL: not in the hint */
	const char *help; /* line of the help overlay (msgid); NULL: not in the help. Consecutive
			     entries with the same help share one line. */
};

enum {
	/* An input table: a printable character it does not name is text (KEYTAB_TEXT). */
	KEYTAB_TAKES_TEXT = 1 << 0,
	/* The screen takes text in a field: its actions may not be bound to a character. */
	KEYTAB_NO_CHARS = 1 << 1,
	/* Entries and strings belong to the table (built at run time): keytab_free(). */
	KEYTAB_OWNED = 1 << 2,
	/* The labels are shown as they are (a data file's own language), not through _(). */
	KEYTAB_LITERAL = 1 << 3,
};

struct keytab {
	const char *name;  /* where it applies: "form", "case", "inbox" (for --keys and errors) */
	const char *title; /* the same for a person (msgid, or literal with KEYTAB_LITERAL) */
	unsigned flags;
	const struct keytab_entry *entries;
	size_t n;
	/* The tables of the screen's inputs, looked up before this one; NULL-terminated or NULL. */
	const struct keytab *const *inputs;
	/* Global actions (by name) to add to this screen's hint line, space-separated ("back help
	 * quit"). */
	const char *hint_global;
};

/* In a static table: KEYTAB_ENTRIES(array) gives .entries and .n. */
#define KEYTAB_ENTRIES(e) .entries = (e), .n = sizeof(e) / sizeof((e)[0])

/*
 * A table built at run time (a list screen whose actions come from a view
 * file). name, title and hint_global are copied. Free with keytab_free().
 */
struct keytab *keytab_new(const char *name, const char *title, unsigned flags,
			  const char *hint_global);
/*
 * Add an action: keys is a space-separated list of key names ("F2 C-x",
 * "" for none; at most KEYTAB_MAX_KEYS); name, hint and help may be NULL;
 * all strings are copied. 0, or -1 with *cause (caller frees) when a key
 * name is wrong or the action's name or a key is already in the table.
 */
int keytab_add(struct keytab *t, int id, const char *name, const char *keys, const char *hint_keys,
	       const char *hint, const char *help, char **cause);
void keytab_free(struct keytab *t);

/* --- a person's bindings ---------------------------------------------------------- */

struct keybind {
	char *action; /* keys.<action> */
	char *text;   /* the key as written */
	key_code key;
};

struct keybinds {
	struct keybind *b;
	size_t n;
};

/*
 * Add keys.<action> = "<text>": 0, or -1 with *cause (caller frees) when text
 * is not a key. The empty text binds nothing.
 */
int keybinds_add(struct keybinds *kb, const char *action, const char *text, char **cause);
void keybinds_free(struct keybinds *kb);
/* The key bound to action, or 0. kb may be NULL. */
key_code keybinds_key(const struct keybinds *kb, const char *action);

/*
 * The entry of t that key runs, with the bindings applied: its index, or
 * KEYTAB_NONE, or KEYTAB_TEXT when t takes text and key is a character it
 * does not name.
 */
#define KEYTAB_NONE (-2)
int keytab_lookup(const struct keytab *t, const struct keybinds *kb, key_code key);
/* Does entry e of t answer key (a default key or the bound one)? */
bool keytab_entry_has(const struct keytab_entry *e, const struct keybinds *kb, key_code key);

/*
 * Check the bindings against the tables: every bound action exists in one
 * of them; no action of a screen that takes text (KEYTAB_NO_CHARS) is bound
 * to a character; and no key reaches two actions of one screen: within a
 * table, or a bound key against another action of the screen's inputs, of
 * the screen or of the global table. The default keys of different tables
 * may overlap (a screen's key comes before the global one). 0, or -1 with
 * *cause (caller frees) naming both actions and the screen.
 */
int keytab_check(const struct keytab *const *tabs, size_t ntabs, const struct keytab *global,
		 const struct keybinds *kb, char **cause);

/*
 * The hint line of a screen: " F2 提交  Esc 离开  F1 帮助" from the entries
 * of t with a hint, then the global actions t->hint_global names, the bound
 * key shown first; items that do not fit in cols display columns are left
 * out whole (never a label cut), and then the help's item (F1, which lists
 * them all) keeps its place. Caller frees.
 */
/*
 * The same, leaving out the entries of t for which offered(id, arg) is false
 * (the person's duty does not allow them); offered NULL: all.
 */
char *keytab_hint_offered(const struct keytab *t, const struct keytab *global,
			  const struct keybinds *kb, int cols, bool (*offered)(int id, void *arg),
			  void *arg);
char *keytab_hint(const struct keytab *t, const struct keytab *global, const struct keybinds *kb,
		  int cols);

/*
 * Items ("d 分流交办", "e 申请延期") laid out in rows of at most cols display
 * columns, in their order, two spaces apart, an item never cut or split
 * over two rows (one wider than cols has a row of its own). Returns how many
 * rows (0 for no items) and *rows, lines of text as mq_wrap()'s: freed with mq_wrap_free().
 */
size_t keytab_pack(char *const *items, size_t n, int cols, char ***rows);

/*
 * The key a person is shown for entry e of a table reached from screen:
 * the bound one, else e->hint_keys, else its first default key (not a
 * character when screen takes text). NULL when it has none; caller frees.
 */
char *keytab_entry_key(const struct keytab *screen, const struct keytab_entry *e,
		       const struct keybinds *kb);

/* One line of the help overlay: the keys and what they do (both translated, owned). */
struct keytab_help {
	char *keys;
	char *help;
};
/*
 * The help of a screen: the entries with a help line of its inputs, of t,
 * then of global (NULL: none). Returns how many lines, *lines an array the
 * caller frees with keytab_help_free().
 */
size_t keytab_help_lines(const struct keytab *t, const struct keytab *global,
			 const struct keybinds *kb, struct keytab_help **lines);
void keytab_help_free(struct keytab_help *lines, size_t n);
/*
 * The help's lines laid out in two columns: the keys broken into rows of
 * keycols display columns, the help into rows of helpcols (mq_linebreak:
 * a word or a label is never cut), a line's rows side by side. Returns how
 * many rows, *rows freed with keytab_help_free().
 */
size_t keytab_help_wrap(const struct keytab_help *lines, size_t n, int keycols, int helpcols,
			struct keytab_help **rows);

/*
 * minqing --keys: every bindable action of the tables, with its default keys
 * and the screens where it applies, one line each ("accept  a  案件详情").
 */
void keytab_print(FILE *f, const struct keytab *const *tabs, size_t ntabs,
		  const struct keybinds *kb);

#endif
