/*
 * One input line (a list's filter, the picker's search, Find's prompt) over
 * the tested field editor (mq/edit.h), so Chinese input behaves the same in
 * every place: a cursor, Left/Right/Home/End and word moves, Backspace and
 * Delete by character cluster, Ctrl-U/Ctrl-K, a paste inserted whole, and a
 * wide character never cut at the edge of the line.
 */
#ifndef MQ_PROMPT_H
#define MQ_PROMPT_H

#include <stdbool.h>

#include "console.h"
#include "mq/edit.h"

/* What a key did to the line. */
enum prompt_result {
	PROMPT_IGNORED, /* not a key of the line (a function key it does not use) */
	PROMPT_MOVED,   /* the cursor moved, the text is the same */
	PROMPT_CHANGED, /* the text changed */
	PROMPT_REFUSED, /* a character that does not fit: nothing changed */
	PROMPT_ENTER,   /* Enter: done */
	PROMPT_CANCEL,  /* Esc */
};

struct prompt {
	mq_edit *edit; /* owned */
};

/*
 * The line's keys (a text table: every character it does not name is
 * typed), for a screen's input() while the line has the focus. Its action
 * ids start at PROMPT_ACTIONS, so they never meet a screen's own.
 */
#define PROMPT_ACTIONS 1000
enum {
	PROMPT_A_LEFT = PROMPT_ACTIONS,
	PROMPT_A_RIGHT,
	PROMPT_A_HOME,
	PROMPT_A_END,
	PROMPT_A_WORD_LEFT,
	PROMPT_A_WORD_RIGHT,
	PROMPT_A_BACKSPACE,
	PROMPT_A_DELETE,
	PROMPT_A_KILL_END,
	PROMPT_A_KILL_LINE,
	PROMPT_A_ENTER,
	PROMPT_A_CANCEL,
	PROMPT_A_END_OF_ACTIONS,
};
extern const struct keytab prompt_tab;
/* Is action one of prompt_tab's (or a character typed into it)? */
bool prompt_owns(int action);

/* A line of at most max_chars characters. Free with prompt_free(). */
void prompt_init(struct prompt *p, size_t max_chars);
void prompt_free(struct prompt *p);
/* The text, newly allocated UTF-8 (caller frees). */
char *prompt_text(const struct prompt *p);
void prompt_set(struct prompt *p, const char *text);
bool prompt_empty(const struct prompt *p);
/* Run an action of prompt_tab (KEYTAB_TEXT: type key). */
enum prompt_result prompt_action(struct prompt *p, int action, key_code key);
/* A raw key, looked up in prompt_tab without anyone's bindings (a screen without tables). */
enum prompt_result prompt_key(struct prompt *p, key_code key);
/*
 * Draw "label text" at (y, x) in width columns in the look of role, with the
 * terminal cursor at the editing position when focus.
 */
void prompt_draw(struct prompt *p, int y, int x, int width, const char *label, enum tty_role role,
		 bool focus);

#endif
