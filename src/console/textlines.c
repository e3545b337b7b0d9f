/* A text of lines laid out for the terminal's width (textlines.h). */
#include <stdlib.h>

#include "mq/common.h"
#include "mq/width.h"
#include "textlines.h"

void textlines_clear(struct text_lines *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].text);
	t->n = 0;
}

void textlines_free(struct text_lines *t)
{
	textlines_clear(t);
	free(t->v);
	t->v = NULL;
	t->cap = 0;
}

void textlines_add_owned(struct text_lines *t, enum tty_role role, char *text)
{
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->v = xrealloc(t->v, (size_t)t->cap * sizeof *t->v);
	}
	t->v[t->n].text = text;
	t->v[t->n].role = role;
	t->n++;
}

void textlines_add(struct text_lines *t, enum tty_role role, const char *text)
{
	textlines_add_owned(t, role, xstrdup(text));
}

void textlines_add_text(struct text_lines *t, enum tty_role role, const char *head,
			const char *text, int cols, int indent)
{
	char *copy = mq_text_clip(text, MQ_TEXT_MAX);
	const char *p = copy, *next;
	bool first = true;
	int hw = mq_strwidth(head), w;
	size_t n;

	if (cols < 10)
		cols = 10;
	if (indent > cols - 2)
		indent = cols - 2;
	do {
		w = !first            ? cols - indent
		    : head[0] == '\0' ? cols
				      : cols - (hw > indent ? hw : indent);
		n = mq_linebreak(p, w, NULL, &next);
		if (first)
			textlines_add_owned(
				t, role,
				xasprintf("%s%*s%.*s", head,
					  head[0] != '\0' && hw < indent ? indent - hw : 0, "",
					  (int)n, p));
		else
			textlines_add_owned(t, role, xasprintf("%*s%.*s", indent, "", (int)n, p));
		first = false;
		p = next;
	} while (*p != '\0');
	free(copy);
}

void textlines_add_wrapped(struct text_lines *t, enum tty_role role, const char *text, int cols,
			   int indent)
{
	textlines_add_text(t, role, "", text, cols, indent);
}

void textlines_add_field(struct text_lines *t, const char *label, const char *value, int cols)
{
	if (value == NULL || value[0] == '\0')
		return;
	if (t->labelw > 0) {
		textlines_add_text(t, TTY_NORMAL, label[0] != '\0' ? label : " ", value, cols,
				   t->labelw);
		return;
	}
	if (label[0] != '\0')
		textlines_add_wrapped(t, TTY_NORMAL, label, cols, 0);
	textlines_add_text(t, TTY_NORMAL, "  ", value, cols, 2);
}

void textlines_draw(const struct text_lines *t, int *scroll, int top, int rows, int x, int cols)
{
	int i;

	if (*scroll > t->n - rows)
		*scroll = t->n - rows;
	if (*scroll < 0)
		*scroll = 0;
	for (i = 0; i < rows && *scroll + i < t->n; i++)
		tty_put(top + i, x, cols, -1, t->v[*scroll + i].role, t->v[*scroll + i].text);
}
