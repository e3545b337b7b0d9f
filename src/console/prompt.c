/*
 * The input line (prompt.h). The keys are those of a form's one-line field
 * (screen-form.c) without the form's own (Tab, F2): a person who has typed a
 * complaint types a search the same way.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "prompt.h"

void prompt_init(struct prompt *p, size_t max_chars)
{
	struct mq_edit_options o = {.max_chars = max_chars, .view_cols = 20};

	p->edit = mq_edit_new(&o);
}

void prompt_free(struct prompt *p)
{
	mq_edit_free(p->edit);
	p->edit = NULL;
}

char *prompt_text(const struct prompt *p)
{
	return mq_edit_utf8(p->edit);
}

void prompt_set(struct prompt *p, const char *text)
{
	mq_edit_set_utf8(p->edit, text);
	mq_edit_move(p->edit, MQ_EDIT_FINISH);
}

bool prompt_empty(const struct prompt *p)
{
	return mq_edit_len(p->edit) == 0;
}

#define PROMPT_H_MOVE   N_("move in the text")
#define PROMPT_H_WORD   N_("word left / right")
#define PROMPT_H_DELETE N_("delete before / under the cursor")
#define PROMPT_H_KILL   N_("delete to the end / the whole line")

/* clang-format off */
static const struct keytab_entry prompt_entries[] = {
	{PROMPT_A_LEFT, NULL, {KEYC_F(KEY_LEFT)}, NULL, NULL, PROMPT_H_MOVE},
	{PROMPT_A_RIGHT, NULL, {KEYC_F(KEY_RIGHT)}, NULL, NULL, PROMPT_H_MOVE},
	{PROMPT_A_HOME, NULL, {KEYC_F(KEY_HOME), KEYC_CTRL('A')}, NULL, NULL, PROMPT_H_MOVE},
	{PROMPT_A_END, NULL, {KEYC_F(KEY_END), KEYC_CTRL('E')}, NULL, NULL, PROMPT_H_MOVE},
	{PROMPT_A_WORD_LEFT, NULL, {KEYC_WORD_LEFT, KEYC_CTRL('B')}, NULL, NULL, PROMPT_H_WORD},
	{PROMPT_A_WORD_RIGHT, NULL, {KEYC_WORD_RIGHT, KEYC_CTRL('F')}, NULL, NULL, PROMPT_H_WORD},
	{PROMPT_A_BACKSPACE, NULL, {KEYC_F(KEY_BACKSPACE), 127, KEYC_CTRL('H')}, NULL, NULL,
	 PROMPT_H_DELETE},
	{PROMPT_A_DELETE, NULL, {KEYC_F(KEY_DC), KEYC_CTRL('D')}, NULL, NULL, PROMPT_H_DELETE},
	{PROMPT_A_KILL_END, NULL, {KEYC_CTRL('K')}, NULL, NULL, PROMPT_H_KILL},
	{PROMPT_A_KILL_LINE, NULL, {KEYC_CTRL('U')}, NULL, NULL, PROMPT_H_KILL},
	{PROMPT_A_ENTER, NULL, {'\r', '\n', KEYC_F(KEY_ENTER)}, NULL, NULL, N_("done")},
	{PROMPT_A_CANCEL, NULL, {KEYC_ESCAPE}, NULL, NULL, N_("cancel")},
};
/* clang-format on */

const struct keytab prompt_tab = {
	.name = "line",
	.title = N_("Input lines (filter, find)"),
	.flags = KEYTAB_TAKES_TEXT,
	KEYTAB_ENTRIES(prompt_entries),
};

bool prompt_owns(int action)
{
	return action == KEYTAB_TEXT ||
	       (action >= PROMPT_ACTIONS && action < PROMPT_A_END_OF_ACTIONS);
}

/* MQ_EDIT_OK as what a move or a change did. */
static enum prompt_result prompt_did(enum mq_edit_status r, enum prompt_result ok)
{
	return r == MQ_EDIT_OK ? ok : PROMPT_IGNORED;
}

enum prompt_result prompt_action(struct prompt *p, int action, key_code key)
{
	mq_edit *e = p->edit;

	switch (action) {
	case PROMPT_A_LEFT:
		return prompt_did(mq_edit_move(e, MQ_EDIT_LEFT), PROMPT_MOVED);
	case PROMPT_A_RIGHT:
		return prompt_did(mq_edit_move(e, MQ_EDIT_RIGHT), PROMPT_MOVED);
	case PROMPT_A_HOME:
		return prompt_did(mq_edit_move(e, MQ_EDIT_HOME), PROMPT_MOVED);
	case PROMPT_A_END:
		return prompt_did(mq_edit_move(e, MQ_EDIT_END), PROMPT_MOVED);
	case PROMPT_A_WORD_LEFT:
		return prompt_did(mq_edit_move(e, MQ_EDIT_WORD_LEFT), PROMPT_MOVED);
	case PROMPT_A_WORD_RIGHT:
		return prompt_did(mq_edit_move(e, MQ_EDIT_WORD_RIGHT), PROMPT_MOVED);
	case PROMPT_A_BACKSPACE:
		return prompt_did(mq_edit_backspace(e), PROMPT_CHANGED);
	case PROMPT_A_DELETE:
		return prompt_did(mq_edit_delete(e), PROMPT_CHANGED);
	case PROMPT_A_KILL_END:
		return prompt_did(mq_edit_kill_to_end(e), PROMPT_CHANGED);
	case PROMPT_A_KILL_LINE:
		return prompt_did(mq_edit_kill_line(e), PROMPT_CHANGED);
	case PROMPT_A_ENTER:
		return PROMPT_ENTER;
	case PROMPT_A_CANCEL:
		return PROMPT_CANCEL;
	case KEYTAB_TEXT:
		/* Only a paste sends a line break as text (console.c): the line takes a space. */
		if (key == '\n')
			key = ' ';
		return mq_edit_insert(e, (wchar_t)key) == MQ_EDIT_OK ? PROMPT_CHANGED
								     : PROMPT_REFUSED;
	default:
		return PROMPT_IGNORED;
	}
}

enum prompt_result prompt_key(struct prompt *p, key_code key)
{
	int i = keytab_lookup(&prompt_tab, NULL, key);

	if (i == KEYTAB_NONE)
		return PROMPT_IGNORED;
	return prompt_action(p, i == KEYTAB_TEXT ? KEYTAB_TEXT : prompt_tab.entries[i].id, key);
}

void prompt_draw(struct prompt *p, int y, int x, int width, const char *label, enum tty_role role,
		 bool focus)
{
	int lw = mq_strwidth(label), cols, cx = 0;
	char *text;

	tty_put(y, x, width, -1, role, label);
	/* The label ends with its own separator ("查找：", "Filter: "). */
	cols = width - lw;
	if (cols < 2)
		return;
	mq_edit_set_view(p->edit, cols, 1);
	text = mq_edit_view_utf8(p->edit, 0);
	tty_put(y, x + lw, cols, -1, role, text);
	free(text);
	if (focus) {
		mq_edit_view_cursor(p->edit, NULL, &cx);
		tty_cursor_at(y, x + lw + cx);
	}
}
