/*
 * Screens (after tmux's modes): a descriptor struct per kind of screen, in a
 * file of its own (screen-*.c), and the instances on the console's stack;
 * the screens the menus open, and the functions that open the others.
 */
#ifndef MQ_CONSOLE_SCREEN_H
#define MQ_CONSOLE_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "keytab.h"
#include "mq/view.h"

struct console;

/* --- screens ------------------------------------------------------------------------ */

struct console;
struct screen_inst;

/* What a key handler did with a key (htop's HandlerResult). */
enum key_result {
	SCREEN_IGNORED, /* not this screen's key: the console's own keys apply */
	SCREEN_HANDLED,
	SCREEN_BACK, /* close this screen */
	SCREEN_QUIT,
};

/*
 * One line of the help overlay: keys and what they do (English msgids).
 * Only for the screens that still take raw keys (.key; the lists); a screen
 * with a key table has its help generated from it.
 */
struct key_help {
	const char *keys;
	const char *help;
};

struct screen {
	const char *name;
	/* Load what the screen shows; errors go to the message line. Optional. */
	void (*init)(struct console *c, struct screen_inst *s);
	/* Free s->data. Optional. */
	void (*free)(struct screen_inst *s);
	/* Draw the body: rows top .. top + height - 1, all COLS columns. */
	void (*draw)(struct console *c, struct screen_inst *s, int top, int height);
	/*
	 * The screen's actions (keytab.h): the console looks the key up in the
	 * table of the focused input (input()), then in this one, and calls
	 * action() with the entry's id (KEYTAB_TEXT with the character typed,
	 * from a text table). The hint line and the help are made from it.
	 * NULL for a screen that takes raw keys in key() (the lists, the
	 * picker: .keys and .hint are theirs). A screen_inst may carry a table
	 * built at run time instead (s->keytab).
	 */
	const struct keytab *keytab;
	/* The table of the input that has the focus now, or NULL. Optional. */
	const struct keytab *(*input)(struct console *c, struct screen_inst *s);
	/* Run action (an id of the screen's tables); SCREEN_IGNORED lets the next table try. */
	enum key_result (*action)(struct console *c, struct screen_inst *s, int action,
				  key_code key);
	/* Raw keys, for a screen without a keytab. */
	enum key_result (*key)(struct console *c, struct screen_inst *s, key_code key);
	/*
	 * A notification arrived (LISTEN) while this screen is on top: channel
	 * and payload as the server sent them, from anyone: a hint to read
	 * again (hint_case_id()), never data to show. Optional; may query, but
	 * should leave the reading to tick() (a burst of notifications is one
	 * reload).
	 */
	void (*notify)(struct console *c, struct screen_inst *s, const char *channel,
		       const char *payload);
	/*
	 * Called by the input loop for the top screen before every draw (at
	 * least once a second): unlike draw() it may query, e.g. to refresh a
	 * list a notification made stale, at most once a second. Optional.
	 */
	void (*tick)(struct console *c, struct screen_inst *s);
	/*
	 * Does the screen offer action (an id of its table) to this person? The
	 * hint line leaves out what their duty does not allow. Optional: all.
	 */
	bool (*offers)(struct console *c, struct screen_inst *s, int action);
	/* Without a keytab: the keys for the help overlay, {NULL, NULL}-terminated. */
	const struct key_help *keys;
	/* Without a keytab: the key hint shown when the message line is empty (msgid). */
	const char *hint;
};

/* An open screen on the stack. */
struct screen_inst {
	const struct screen *screen;
	char *title;     /* translated, owned */
	const void *arg; /* what to show: a menu, a menu item; not owned */
	void *data;      /* the screen's own state, freed by screen->free */
	/*
	 * The key table of this instance when it is built at run time (a list
	 * screen of a view file), used instead of screen->keytab; not owned (the
	 * screen frees it, after keys_register()ing it at start).
	 */
	const struct keytab *keytab;
	int selected; /* cursor of list-like screens */
};

/* The screens. */
extern const struct screen screen_main_menu;
extern const struct screen screen_module_menu;
extern const struct screen screen_overview;
extern const struct screen screen_about;
extern const struct screen screen_pending;
extern const struct screen screen_pick;
extern const struct screen screen_form;
extern const struct screen screen_case;
extern const struct screen screen_lines; /* screen-entry.c: lines of a result */
/* screen-view.c: the list engine, one screen for every view file. */
extern const struct screen screen_view;
/*
 * Open the view forms/<name>.view (title: the menu's label, or NULL for the
 * view's own); false with a message when it is not installed.
 */
bool view_open(struct console *c, const char *name, const char *title);
/*
 * The key table of a view's screen, in lang: its choices, search and forms,
 * then the list's own keys. NULL with *cause (caller frees) when two of its
 * keys clash. keytab_free() it.
 */
struct keytab *view_keytab_new(const struct mq_view *v, const char *lang, char **cause);

/*
 * screen-case.c: its actions, from the forms that offer themselves on it
 * (mq_form_offer), and their key table (the caller keys_register()s it;
 * NULL with *cause when two keys clash). case_actions_free() at the end.
 */
struct mq_form;
struct keytab;
const struct keytab *case_actions_load(struct mq_form *const *forms, size_t n, const char *lang,
				       char **cause);
void case_actions_free(void);
/* screen-case.c: open the detail of a case (the caller's RLS decides if it shows). */
void case_open(struct console *c, long long case_id);
/* screen-entry.c: case entry (the intake form) and the publication lookup. */
void entry_open(struct console *c);
void publication_open(struct console *c);

#endif
