/*
 * A text of lines laid out for the terminal's width, to be scrolled: the
 * case screen and the records of view files build one (fields with their
 * labels in a column, wrapped paragraphs) and draw the part that fits.
 */
#ifndef MQ_CONSOLE_TEXTLINES_H
#define MQ_CONSOLE_TEXTLINES_H

#include "tty.h"

struct text_line {
	char *text; /* owned */
	enum tty_role role;
};

struct text_lines {
	struct text_line *v;
	int n, cap;
	int labelw; /* the label column with its gap; 0: each label on a row of its own */
};

/* Empty it (keeping the array), or free everything. */
void textlines_clear(struct text_lines *t);
void textlines_free(struct text_lines *t);

/* Add a line; text is taken over (freed with the lines). */
void textlines_add_owned(struct text_lines *t, enum tty_role role, char *text);
void textlines_add(struct text_lines *t, enum tty_role role, const char *text);

/*
 * Add text broken into lines (mq_linebreak) of cols columns: head (of
 * indent columns or fewer) before the first, indent spaces before the
 * others, each holding at most cols - indent columns of the text; with an
 * empty head the first line has all cols. Its first MQ_TEXT_MAX characters,
 * "…" after them when there is more.
 */
void textlines_add_text(struct text_lines *t, enum tty_role role, const char *head,
			const char *text, int cols, int indent);
void textlines_add_wrapped(struct text_lines *t, enum tty_role role, const char *text, int cols,
			   int indent);

/*
 * A field: its label in the label column (t->labelw), the value beside it;
 * with no label column, the label on a row and the value under it. Nothing
 * for an empty value.
 */
void textlines_add_field(struct text_lines *t, const char *label, const char *value, int cols);

/*
 * Draw rows of it from *scroll (clamped so the end stays at the bottom) at
 * top, columns x .. x + cols - 1.
 */
void textlines_draw(const struct text_lines *t, int *scroll, int top, int rows, int x, int cols);

#endif
