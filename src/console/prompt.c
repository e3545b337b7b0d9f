/*
 * The input line (prompt.h). The keys are those of a form's one-line field
 * (screen-form.c) without the form's own (Tab, F2): a person who has typed a
 * complaint types a search the same way.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mq/common.h"
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

/* The editing keys; -1 when key is not one of them. */
static int prompt_edit_key(mq_edit *e, key_code key)
{
	switch (key) {
	case KEYC_F(KEY_LEFT):
	case KEYC_CTRL('B'):
		return mq_edit_move(e, MQ_EDIT_LEFT) == MQ_EDIT_OK ? PROMPT_MOVED : PROMPT_IGNORED;
	case KEYC_F(KEY_RIGHT):
	case KEYC_CTRL('F'):
		return mq_edit_move(e, MQ_EDIT_RIGHT) == MQ_EDIT_OK ? PROMPT_MOVED : PROMPT_IGNORED;
	case KEYC_F(KEY_HOME):
	case KEYC_CTRL('A'):
		mq_edit_move(e, MQ_EDIT_HOME);
		return PROMPT_MOVED;
	case KEYC_F(KEY_END):
	case KEYC_CTRL('E'):
		mq_edit_move(e, MQ_EDIT_END);
		return PROMPT_MOVED;
	case KEYC_F(KEY_BACKSPACE):
	case 127:
	case KEYC_CTRL('H'):
		return mq_edit_backspace(e) == MQ_EDIT_OK ? PROMPT_CHANGED : PROMPT_IGNORED;
	case KEYC_F(KEY_DC):
	case KEYC_CTRL('D'):
		return mq_edit_delete(e) == MQ_EDIT_OK ? PROMPT_CHANGED : PROMPT_IGNORED;
	case KEYC_CTRL('U'):
		return mq_edit_kill_line(e) == MQ_EDIT_OK ? PROMPT_CHANGED : PROMPT_MOVED;
	case KEYC_CTRL('K'):
		return mq_edit_kill_to_end(e) == MQ_EDIT_OK ? PROMPT_CHANGED : PROMPT_MOVED;
	default:
		break;
	}
	if (tty_key_is_word_left(key)) {
		mq_edit_move(e, MQ_EDIT_WORD_LEFT);
		return PROMPT_MOVED;
	}
	if (tty_key_is_word_right(key)) {
		mq_edit_move(e, MQ_EDIT_WORD_RIGHT);
		return PROMPT_MOVED;
	}
	return -1;
}

enum prompt_result prompt_key(struct prompt *p, key_code key)
{
	int r;

	switch (key) {
	case KEYC_ESCAPE:
		return PROMPT_CANCEL;
	case '\r':
	case '\n':
	case KEYC_F(KEY_ENTER):
		return PROMPT_ENTER;
	default:
		break;
	}
	if ((r = prompt_edit_key(p->edit, key)) >= 0)
		return (enum prompt_result)r;
	if ((key & KEYC_FUNCTION) != 0 || key < 0x20 || key == 0x7f)
		return PROMPT_IGNORED;
	return mq_edit_insert(p->edit, (wchar_t)key) == MQ_EDIT_OK ? PROMPT_CHANGED
								   : PROMPT_REFUSED;
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
