/*
 * The form screen: any form of forms/ (see docs/forms.md), drawn from its
 * file and submitted to the database function the file names. Nothing here
 * knows a particular form; a screen that opens one supplies the values of
 * its context (the case, its row version, an extension) and what to do with
 * the result.
 *
 * Layout: one row per field (a multi-line field takes its height), the
 * label in a column of its own as wide as the form's longest label in the
 * person's language (a required field's label ends in "*"), the input beside
 * it and, after the input, the field's error; when that column would leave
 * the inputs too little room (FORM_FIELD_MIN), each label on a row of its
 * own above its field instead, so that a label is never cut. Under the
 * fields the buttons, under them the pre-check's notice (broken into lines
 * by mq_linebreak()); at the bottom the help of the field the cursor is in,
 * on as many rows as it needs (FORM_HELP_ROWS at most).
 *
 * Text fields are edited by the field editor (include/mq/edit.h): a Chinese
 * character takes two columns and is never cut, a full field refuses a
 * character, and the terminal cursor is where the character is. Choices,
 * lookups and yes/no fields open the picker or toggle.
 *
 * Submitting (F2, Ctrl-X, or Enter on the button): every field is checked
 * here first (mq_field_validate), then the call is built from the form
 * (mq_form_build_call: fields left empty are not passed, so the function's
 * defaults apply), and run; with a case version in the context, in one
 * transaction after minqing.case_expect_version(), so a case changed by
 * someone else since it was opened is never overwritten silently. The
 * database has the last word: its refusal is shown on the field it names
 * (the COLUMN of the error), in the person's language, and the form keeps
 * everything typed, also when the connection was lost (the person submits
 * again once the banner is gone).
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "console.h"
#include "pick.h"
#include "form-screen.h"
#include "mq/common.h"
#include "mq/edit.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "mq/width.h"

#include "screen-form.h"

static bool form_is_text(const struct mq_form_field *f)
{
	return f->type != MQ_FIELD_CHOICE && f->type != MQ_FIELD_LOOKUP &&
	       f->type != MQ_FIELD_YESNO;
}

static void form_set_value(struct form_field_state *fs, const char *value, const char *shown)
{
	free(fs->value);
	free(fs->shown);
	fs->value = value != NULL && value[0] != '\0' ? xstrdup(value) : NULL;
	fs->shown = fs->value != NULL && shown != NULL ? xstrdup(shown) : NULL;
}

void form_set_error(struct form_field_state *fs, const char *msg)
{
	free(fs->error);
	fs->error = msg != NULL ? xstrdup(msg) : NULL;
}

/* Label of a choice value, or of yes/no. */
static const char *form_value_label(struct console *c, const struct mq_form_field *def,
				    const char *value)
{
	const struct mq_form_option *o;

	if (value == NULL)
		return NULL;
	if (def->type == MQ_FIELD_YESNO)
		return mq_yesno_parse(value) == 1 ? _("yes") : _("no");
	if (def->type == MQ_FIELD_CHOICE && (o = mq_form_option_find(def, value)) != NULL)
		return mq_form_option_label(o, c->lang);
	return value;
}

/* A value given by the opener or the form file, into a field. */
static void form_preset(struct console *c, struct form_field_state *fs, const char *value,
			const char *shown)
{
	if (fs->edit != NULL)
		mq_edit_set_utf8(fs->edit, value);
	else if (fs->def->type == MQ_FIELD_YESNO)
		form_set_value(fs, mq_yesno_parse(value) == 1 ? "true" : "false",
			       form_value_label(c, fs->def, value));
	else
		form_set_value(fs, value,
			       shown != NULL ? shown : form_value_label(c, fs->def, value));
}

/* The rows a field's input takes. */
static int form_input_rows(const struct mq_form_field *def)
{
	if (def->type != MQ_FIELD_MULTILINE)
		return 1;
	return def->height > 0 ? def->height : 3;
}

/* Labels beside or above the fields at this terminal width, and the row of each field. */
static void form_layout(struct form_state *st)
{
	int row = 0;
	size_t i;

	st->stacked = 2 + st->labelw + 2 + FORM_FIELD_MIN > COLS - 2;
	for (i = 0; i < st->n; i++) {
		st->f[i].row = row;
		row += (st->stacked ? 1 : 0) + form_input_rows(st->f[i].def);
	}
	st->rows = row + 2; /* a blank row, then the buttons (a notice goes below them) */
	st->laid_cols = COLS;
}

/* The column of the inputs. */
static int form_input_x(const struct form_state *st)
{
	return st->stacked ? 4 : 2 + st->labelw + 2;
}

static void form_init(struct console *c, struct screen_inst *s)
{
	const struct form_args *a = s->arg;
	struct form_state *st = xcalloc(1, sizeof *st);
	struct mq_edit_options eo;
	const struct mq_form *form = a->form;
	size_t i, k;
	int w;

	st->args = *a;
	st->args.preset = NULL; /* read below only */
	st->row_ids = a->row_ids != NULL ? xstrdup(a->row_ids) : NULL;
	st->args.row_ids = NULL; /* the opener's: st->row_ids is the form's own copy */
	st->n = form->nfields;
	st->f = xcalloc(st->n + 1, sizeof *st->f);
	for (i = 0; i < st->n; i++) {
		struct form_field_state *fs = &st->f[i];
		const struct mq_form_field *def = &form->fields[i];

		fs->def = def;
		w = mq_strwidth(mq_form_label(def, c->lang)) + (def->required ? 1 : 0);
		if (w > st->labelw)
			st->labelw = w;
		if (form_is_text(def)) {
			memset(&eo, 0, sizeof eo);
			eo.max_chars = def->max_length > 0 ? (size_t)def->max_length : 0;
			eo.multiline = def->type == MQ_FIELD_MULTILINE;
			eo.view_cols = def->width > 0 ? def->width : 20;
			eo.view_rows = form_input_rows(def);
			fs->edit = mq_edit_new(&eo);
		}
		if (def->default_value != NULL)
			form_preset(c, fs, def->default_value, NULL);
		for (k = 0; a->preset != NULL && a->preset[k].name != NULL; k++)
			if (strcmp(a->preset[k].name, def->name) == 0)
				form_preset(c, fs, a->preset[k].value, a->preset[k].shown);
	}
	form_layout(st);
	s->data = st;
}

static void form_free(struct screen_inst *s)
{
	struct form_state *st = s->data;
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++) {
		mq_edit_free(st->f[i].edit);
		free(st->f[i].value);
		free(st->f[i].shown);
		free(st->f[i].error);
	}
	free(st->f);
	free(st->notice);
	free(st->row_ids);
	free(st);
}

/* Columns of the input box of a field at this terminal width. */
static int form_input_cols(const struct form_state *st, const struct mq_form_field *def)
{
	int avail = COLS - form_input_x(st) - 2;
	int want = def->width > 0 ? def->width : 20;

	if (form_is_text(def))
		want += 1; /* the cell of the cursor after the last character */
	else if (want < 16)
		want = 16; /* room for an option's label and "(not given)" */
	if (want > avail)
		want = avail;
	return want < 4 ? 4 : want;
}

static void form_draw_field(struct console *c, struct form_state *st, size_t i, int y, int x,
			    int top, int height)
{
	struct form_field_state *fs = &st->f[i];
	const struct mq_form_field *def = fs->def;
	bool focus = st->cur == (int)i;
	enum tty_role role = focus ? TTY_INPUT_FOCUS : TTY_INPUT;
	int cols = form_input_cols(st, def), rows = 1, r, cy, cx, errx;
	char *label, *txt;

	/* The field's first row (label, choice, error) only inside the body: scrolled up, it
	 * would cover the form's heading. */
	bool first_shown = y >= top && y < top + height;

	label = xasprintf("%s%s", mq_form_label(def, c->lang), def->required ? "*" : "");
	if (first_shown && st->stacked)
		tty_put(y, 2, COLS - 4, -1, focus ? TTY_HEADING : TTY_NORMAL, label);
	else if (first_shown)
		tty_put(y, 2, st->labelw, 1, focus ? TTY_HEADING : TTY_NORMAL, label);
	free(label);
	if (st->stacked) {
		/* the input on the rows under the label */
		y++;
		first_shown = y >= top && y < top + height;
	}
	if (fs->edit != NULL) {
		rows = form_input_rows(def);
		mq_edit_set_view(fs->edit, cols, rows);
		for (r = 0; r < rows; r++) {
			if (y + r < top || y + r >= top + height)
				continue;
			txt = mq_edit_view_utf8(fs->edit, r);
			tty_put(y + r, x, cols, -1, role, txt);
			free(txt);
		}
		if (focus) {
			mq_edit_view_cursor(fs->edit, &cy, &cx);
			if (y + cy >= top && y + cy < top + height)
				tty_cursor_at(y + cy, x + cx);
		}
	} else {
		const char *shown = fs->shown != NULL ? fs->shown : fs->value;

		txt = xasprintf("%s%s", shown != NULL ? shown : _("(not given)"),
				def->type == MQ_FIELD_YESNO ? "" : " ▾");
		if (first_shown)
			tty_put(y, x, cols, -1, role, txt);
		free(txt);
	}
	errx = x + cols + 1;
	if (fs->error != NULL && errx < COLS - 4 && first_shown)
		tty_putf(y, errx, COLS - errx - 1, -1, TTY_ERROR, "%s", fs->error);
}

/* The rows a field takes, its label's row included when stacked. */
static int form_field_rows(const struct form_state *st, const struct form_field_state *fs)
{
	return (st->stacked ? 1 : 0) + (fs->edit != NULL ? form_input_rows(fs->def) : 1);
}

static void form_draw(struct console *c, struct screen_inst *s, int top, int height)
{
	struct form_state *st = s->data;
	const struct mq_form_field *cur_def;
	const char *help;
	int body, x, y, focus_row, focus_h, nshown;
	char **notice = NULL, **helps = NULL;
	size_t i, nnotice = 0, nhelp = 0;

	if (st->laid_cols != COLS)
		form_layout(st);
	x = form_input_x(st);
	/* The help of the field the cursor is in (or of the form) at the bottom, whole. */
	cur_def = st->cur < (int)st->n ? st->f[st->cur].def : NULL;
	help = cur_def != NULL ? mq_form_field_help(cur_def, c->lang)
			       : mq_form_help(st->args.form, c->lang);
	if (help != NULL)
		nhelp = mq_wrap(help, COLS - 4, &helps);
	nshown = nhelp < 1 ? 1 : nhelp > FORM_HELP_ROWS ? FORM_HELP_ROWS : (int)nhelp;
	body = height - 2 - nshown;
	tty_put(top, 2, COLS - 4, -1, TTY_HEADING, s->title);
	for (i = 0; i < nhelp && (int)i < nshown; i++) {
		char *row = (int)i == nshown - 1 && nhelp > i + 1 ? xasprintf("%s…", helps[i])
								  : xstrdup(helps[i]);

		tty_put(top + height - nshown + (int)i, 2, COLS - 4, -1, TTY_HINT, row);
		free(row);
	}
	if (helps != NULL)
		mq_wrap_free(helps, nhelp);
	if (body < 3)
		return;
	/* Scroll so the focused field is wholly visible. */
	if (st->cur < (int)st->n) {
		focus_row = st->f[st->cur].row;
		focus_h = form_field_rows(st, &st->f[st->cur]);
	} else {
		focus_row = st->rows - 1;
		focus_h = 1;
	}
	if (focus_row < st->scroll)
		st->scroll = focus_row;
	if (focus_row + focus_h > st->scroll + body)
		st->scroll = focus_row + focus_h - body;
	/*
	 * What the person must read before confirming (the pre-check's notice,
	 * under the buttons, broken into lines: a case number is never split) is
	 * on the screen, whatever has the focus.
	 */
	if (st->notice != NULL) {
		int need;

		nnotice = mq_wrap(st->notice, COLS - 6, &notice);
		need = st->rows - 1 + 2 + (int)nnotice;
		if (need > st->scroll + body)
			st->scroll = need - body;
	}
	for (i = 0; i < st->n; i++) {
		y = top + 2 + st->f[i].row - st->scroll;
		/* (a field partly above the body still shows its rows inside it) */
		if (y + form_field_rows(st, &st->f[i]) <= top + 2 || y >= top + 2 + body)
			continue;
		form_draw_field(c, st, i, y, x, top + 2, body);
	}
	y = top + 2 + st->rows - 1 - st->scroll;
	if (y >= top + 2 && y < top + 2 + body) {
		tty_putf(y, x, 20, -1, st->cur == (int)st->n ? TTY_SELECTED : TTY_INPUT, "[ %s ]",
			 _("Submit (F2)"));
		tty_putf(y, x + 22, 20, -1, TTY_INPUT, "[ %s ]", _("Cancel (Esc)"));
	}
	/* The pre-check's notice under the buttons. */
	for (i = 0; i < nnotice; i++) {
		int row = y + 2 + (int)i;

		if (row >= top + 2 && row < top + 2 + body)
			tty_put(row, 4, COLS - 6, -1, TTY_ERROR, notice[i]);
	}
	if (notice != NULL)
		mq_wrap_free(notice, nnotice);
}

/* Check the field the cursor leaves, so a mistake shows at once. */
void form_check_field(struct form_field_state *fs)
{
	char *v = fs->edit != NULL ? mq_edit_utf8(fs->edit) : NULL, *msg = NULL;

	if (mq_field_validate(fs->def, fs->edit != NULL ? v : fs->value, &msg) == 0)
		form_set_error(fs, NULL);
	else
		form_set_error(fs, msg);
	free(msg);
	free(v);
}

void form_focus(struct form_state *st, int to)
{
	if (to < 0)
		to = 0;
	if (to > (int)st->n)
		to = (int)st->n;
	if (st->cur < (int)st->n && to != st->cur)
		form_check_field(&st->f[st->cur]);
	st->cur = to;
}

/* --- keys ------------------------------------------------------------------------------ */

static void form_chosen(struct console *c MQ_UNUSED, void *arg, const char *value,
			const char *label)
{
	struct form_field_state *fs = arg;

	form_set_value(fs, value, label);
	form_set_error(fs, NULL);
}

static void form_open_picker(struct console *c, struct form_state *st, struct form_field_state *fs)
{
	const struct mq_form_field *def = fs->def;
	struct pick_args pa;
	struct pick_item *items = NULL;
	size_t i;

	memset(&pa, 0, sizeof pa);
	pa.current = fs->value;
	pa.chosen = form_chosen;
	pa.arg = fs; /* the form stays under the picker */
	if (def->type == MQ_FIELD_CHOICE) {
		items = xcalloc(def->noptions + 1, sizeof *items);
		for (i = 0; i < def->noptions; i++) {
			items[i].value = def->options[i].value;
			items[i].label = (char *)mq_form_option_label(&def->options[i], c->lang);
		}
		pa.source = PICK_STATIC;
		pa.items = items;
		pa.nitems = def->noptions;
	} else {
		switch (def->lookup) {
		case MQ_LOOKUP_CATEGORY:
			pa.source = PICK_CATEGORY;
			break;
		case MQ_LOOKUP_UNIT:
			pa.source = PICK_UNIT;
			break;
		case MQ_LOOKUP_STAFF:
			pa.source = PICK_STAFF;
			/* the unit chosen in this form, if there is one, is listed first */
			for (i = 0; i < st->n; i++)
				if (st->f[i].def->type == MQ_FIELD_LOOKUP &&
				    st->f[i].def->lookup == MQ_LOOKUP_UNIT &&
				    st->f[i].value != NULL)
					pa.context = st->f[i].value;
			break;
		case MQ_LOOKUP_RESIDENT:
			pa.source = PICK_RESIDENT;
			break;
		case MQ_LOOKUP_HOUSEHOLD:
			pa.source = PICK_HOUSEHOLD;
			break;
		case MQ_LOOKUP_STATION:
			pa.source = PICK_STATION;
			break;
		}
	}
	pick_open(c, mq_form_label(def, c->lang), &pa);
	free(items); /* the picker copied them */
	st->modified = true;
}

/* Choice: the next or previous option. */
static void form_cycle(struct console *c, struct form_field_state *fs, int dir)
{
	const struct mq_form_field *def = fs->def;
	size_t i, n = def->noptions;
	long at = -1;

	if (def->type == MQ_FIELD_YESNO) {
		bool yes = fs->value != NULL && mq_yesno_parse(fs->value) == 1;

		form_preset(c, fs, yes ? "false" : "true", NULL);
		return;
	}
	if (def->type != MQ_FIELD_CHOICE || n == 0)
		return;
	for (i = 0; i < n && fs->value != NULL; i++)
		if (strcmp(def->options[i].value, fs->value) == 0)
			at = (long)i;
	at = at < 0 ? (dir > 0 ? 0 : (long)n - 1) : (at + dir + (long)n) % (long)n;
	form_set_value(fs, def->options[at].value,
		       mq_form_option_label(&def->options[at], c->lang));
}

static void form_edit_status(struct console *c, enum mq_edit_status r)
{
	if (r == MQ_EDIT_FULL_CHARS || r == MQ_EDIT_FULL_COLS) {
		console_message(c, true, "%s", _("The field is full."));
		beep();
	} else if (r == MQ_EDIT_INVALID)
		beep();
}

/*
 * The actions of the form (form_tab) and of its two kinds of input: a text
 * field (form_text_tab: the field editor's keys; every other character is
 * typed) and a choice, lookup or yes/no field (form_choice_tab). One enum,
 * since one action() serves the three tables.
 */
enum {
	/* text fields */
	FORM_T_LEFT,
	FORM_T_RIGHT,
	FORM_T_HOME,
	FORM_T_END,
	FORM_T_WORD_LEFT,
	FORM_T_WORD_RIGHT,
	FORM_T_BACKSPACE,
	FORM_T_DELETE,
	FORM_T_KILL_END,
	FORM_T_KILL_LINE,
	FORM_T_LINE_UP,
	FORM_T_LINE_DOWN,
	FORM_T_PAGE_UP,
	FORM_T_PAGE_DOWN,
	FORM_T_NEWLINE,
	/* choice, lookup, yes/no */
	FORM_C_OPEN,
	FORM_C_PREV,
	FORM_C_NEXT,
	FORM_C_YES,
	FORM_C_NO,
	FORM_C_CLEAR,
	/* the form */
	FORM_SUBMIT,
	FORM_RELOAD,
	FORM_NEXT_FIELD,
	FORM_PREV_FIELD,
	FORM_ENTER,
	FORM_BACK,
	FORM_QUIT,
	FORM_STAY,
};

#define FORM_H_MOVE   N_("move in the text")
#define FORM_H_WORD   N_("word left / right")
#define FORM_H_DELETE N_("delete before / under the cursor")
#define FORM_H_KILL   N_("delete to the end / the whole line")
#define FORM_H_CHANGE N_("change a choice or yes/no; Backspace clears it")
#define FORM_H_FIELD  N_("next / previous field")

/* clang-format off */
static const struct keytab_entry form_text_entries[] = {
	{FORM_T_LEFT, NULL, {KEYC_F(KEY_LEFT)}, NULL, NULL, FORM_H_MOVE},
	{FORM_T_RIGHT, NULL, {KEYC_F(KEY_RIGHT)}, NULL, NULL, FORM_H_MOVE},
	{FORM_T_HOME, NULL, {KEYC_F(KEY_HOME), KEYC_CTRL('A')}, NULL, NULL, FORM_H_MOVE},
	{FORM_T_END, NULL, {KEYC_F(KEY_END), KEYC_CTRL('E')}, NULL, NULL, FORM_H_MOVE},
	{FORM_T_WORD_LEFT, NULL, {KEYC_WORD_LEFT, KEYC_CTRL('B')}, NULL, NULL, FORM_H_WORD},
	{FORM_T_WORD_RIGHT, NULL, {KEYC_WORD_RIGHT, KEYC_CTRL('F')}, NULL, NULL, FORM_H_WORD},
	{FORM_T_BACKSPACE, NULL, {KEYC_F(KEY_BACKSPACE), 127, KEYC_CTRL('H')}, NULL, NULL,
	 FORM_H_DELETE},
	{FORM_T_DELETE, NULL, {KEYC_F(KEY_DC), KEYC_CTRL('D')}, NULL, NULL, FORM_H_DELETE},
	{FORM_T_KILL_END, NULL, {KEYC_CTRL('K')}, NULL, NULL, FORM_H_KILL},
	{FORM_T_KILL_LINE, NULL, {KEYC_CTRL('U')}, NULL, NULL, FORM_H_KILL},
	{FORM_T_LINE_UP, NULL, {KEYC_F(KEY_UP)}, NULL, NULL, NULL},
	{FORM_T_LINE_DOWN, NULL, {KEYC_F(KEY_DOWN)}, NULL, NULL, NULL},
	{FORM_T_PAGE_UP, NULL, {KEYC_F(KEY_PPAGE)}, NULL, NULL, NULL},
	{FORM_T_PAGE_DOWN, NULL, {KEYC_F(KEY_NPAGE)}, NULL, NULL, NULL},
	{FORM_T_NEWLINE, NULL, {'\r', '\n', KEYC_F(KEY_ENTER)}, NULL, NULL, NULL},
};

static const struct keytab_entry form_choice_entries[] = {
	{FORM_C_OPEN, NULL, {' ', '\r', '\n', KEYC_F(KEY_ENTER)}, NULL, NULL,
	 N_("choose (list fields); yes/no: Space changes it")},
	{FORM_C_PREV, NULL, {KEYC_F(KEY_LEFT)}, NULL, NULL, FORM_H_CHANGE},
	{FORM_C_NEXT, NULL, {KEYC_F(KEY_RIGHT)}, NULL, NULL, FORM_H_CHANGE},
	{FORM_C_YES, NULL, {'y', 'Y'}, NULL, NULL, FORM_H_CHANGE},
	{FORM_C_NO, NULL, {'n', 'N'}, NULL, NULL, FORM_H_CHANGE},
	{FORM_C_CLEAR, NULL, {KEYC_F(KEY_BACKSPACE), KEYC_F(KEY_DC), 127, KEYC_CTRL('H')}, NULL,
	 NULL, NULL},
};

static const struct keytab_entry form_entries[] = {
	{FORM_NEXT_FIELD, "next_field", {'\t', KEYC_F(KEY_DOWN)}, NULL, N_("next field"),
	 FORM_H_FIELD},
	{FORM_PREV_FIELD, "prev_field", {KEYC_F(KEY_BTAB), KEYC_F(KEY_UP)}, NULL, NULL,
	 FORM_H_FIELD},
	{FORM_SUBMIT, "submit", {KEYC_F(KEY_F(2)), KEYC_CTRL('X')}, NULL, N_("submit"),
	 N_("submit")},
	{FORM_ENTER, NULL, {'\r', '\n', KEYC_F(KEY_ENTER)}, NULL, NULL,
	 N_("next field (multi-line: a new line; buttons: submit)")},
	{FORM_BACK, "back", {KEYC_ESCAPE}, NULL, N_("leave"),
	 N_("leave (twice when something was typed)")},
	{FORM_QUIT, "quit", {KEYC_F(KEY_F(10))}, NULL, NULL,
	 N_("quit (twice when something was typed)")},
	{FORM_RELOAD, "reload", {KEYC_F(KEY_F(5)), KEYC_CTRL('R')}, NULL, NULL,
	 N_("reload the case after a conflict")},
	/* On the buttons: the global back keys would leave without asking. */
	{FORM_STAY, NULL, {KEYC_F(KEY_LEFT), KEYC_F(KEY_RIGHT), KEYC_F(KEY_BACKSPACE), 127,
			   KEYC_CTRL('H'), 'h'}, NULL, NULL, NULL},
};
/* clang-format on */

static const struct keytab form_text_tab = {
	.name = "form.text",
	.title = N_("Text fields"),
	.flags = KEYTAB_TAKES_TEXT,
	KEYTAB_ENTRIES(form_text_entries),
};

static const struct keytab form_choice_tab = {
	.name = "form.choice",
	.title = N_("Choice fields"),
	.flags = KEYTAB_TAKES_TEXT, /* a character opens a lookup's picker, or does nothing */
	KEYTAB_ENTRIES(form_choice_entries),
};

static const struct keytab *const form_inputs[] = {&form_text_tab, &form_choice_tab, NULL};

static const struct keytab form_tab = {
	.name = "form",
	.title = N_("Forms"),
	.flags = KEYTAB_NO_CHARS,
	KEYTAB_ENTRIES(form_entries),
	.inputs = form_inputs,
	.hint_global = "help",
};

/* The input table of the focused field: text, choice, or none on the buttons. */
static const struct keytab *form_input(struct console *c MQ_UNUSED, struct screen_inst *s)
{
	struct form_state *st = s->data;

	if (st->cur >= (int)st->n)
		return NULL;
	return st->f[st->cur].edit != NULL ? &form_text_tab : &form_choice_tab;
}

/* An action of a text field; SCREEN_IGNORED for one the form takes instead (Up at the top). */
static enum key_result form_text_action(struct console *c, struct form_state *st,
					struct form_field_state *fs, int action, key_code key)
{
	static const struct {
		int action;
		enum mq_edit_move move;
	} moves[] = {
		{FORM_T_LEFT, MQ_EDIT_LEFT},           {FORM_T_RIGHT, MQ_EDIT_RIGHT},
		{FORM_T_HOME, MQ_EDIT_HOME},           {FORM_T_END, MQ_EDIT_END},
		{FORM_T_WORD_LEFT, MQ_EDIT_WORD_LEFT}, {FORM_T_WORD_RIGHT, MQ_EDIT_WORD_RIGHT},
	};
	mq_edit *e = fs->edit;
	bool multi = fs->def->type == MQ_FIELD_MULTILINE;
	enum mq_edit_status r;
	size_t i;

	for (i = 0; i < MQ_NITEMS(moves); i++)
		if (moves[i].action == action) {
			mq_edit_move(e, moves[i].move);
			return SCREEN_HANDLED;
		}
	switch (action) {
	case FORM_T_BACKSPACE:
		st->modified |= mq_edit_backspace(e) == MQ_EDIT_OK;
		return SCREEN_HANDLED;
	case FORM_T_DELETE:
		st->modified |= mq_edit_delete(e) == MQ_EDIT_OK;
		return SCREEN_HANDLED;
	case FORM_T_KILL_END:
		st->modified |= mq_edit_kill_to_end(e) == MQ_EDIT_OK;
		return SCREEN_HANDLED;
	case FORM_T_KILL_LINE:
		st->modified |= mq_edit_kill_line(e) == MQ_EDIT_OK;
		return SCREEN_HANDLED;
	case FORM_T_LINE_UP:
		return multi && mq_edit_move(e, MQ_EDIT_UP) == MQ_EDIT_OK ? SCREEN_HANDLED
									  : SCREEN_IGNORED;
	case FORM_T_LINE_DOWN:
		return multi && mq_edit_move(e, MQ_EDIT_DOWN) == MQ_EDIT_OK ? SCREEN_HANDLED
									    : SCREEN_IGNORED;
	case FORM_T_PAGE_UP:
		if (multi)
			mq_edit_move(e, MQ_EDIT_PAGE_UP);
		return SCREEN_HANDLED;
	case FORM_T_PAGE_DOWN:
		if (multi)
			mq_edit_move(e, MQ_EDIT_PAGE_DOWN);
		return SCREEN_HANDLED;
	case FORM_T_NEWLINE:
		if (!multi)
			return SCREEN_IGNORED;
		form_edit_status(c, mq_edit_newline(e));
		st->modified = true;
		return SCREEN_HANDLED;
	case KEYTAB_TEXT:
		/* Only a paste sends a line break as text (console.c): in one line, a space. */
		if (key == '\n' && !multi)
			key = ' ';
		r = mq_edit_insert(e, (wchar_t)key);
		form_edit_status(c, r);
		if (r == MQ_EDIT_OK) {
			st->modified = true;
			st->confirmed = false; /* the pre-check must look again */
		}
		return SCREEN_HANDLED;
	default:
		return SCREEN_IGNORED;
	}
}

/* An action of a choice, lookup or yes/no field. */
static enum key_result form_choice_action(struct console *c, struct form_state *st,
					  struct form_field_state *fs, int action, key_code key)
{
	bool yesno = fs->def->type == MQ_FIELD_YESNO;

	switch (action) {
	case FORM_C_OPEN:
		if (yesno && key != ' ')
			return SCREEN_IGNORED; /* Enter: the next field */
		if (yesno)
			form_cycle(c, fs, 1);
		else
			form_open_picker(c, st, fs);
		st->modified = true;
		return SCREEN_HANDLED;
	case FORM_C_PREV:
	case FORM_C_NEXT:
		form_cycle(c, fs, action == FORM_C_PREV ? -1 : 1);
		st->modified = true;
		return SCREEN_HANDLED;
	case FORM_C_YES:
	case FORM_C_NO:
		if (yesno) {
			form_preset(c, fs, action == FORM_C_YES ? "true" : "false", NULL);
			st->modified = true;
			return SCREEN_HANDLED;
		}
		break; /* a letter: as any other character */
	case FORM_C_CLEAR:
		form_set_value(fs, NULL, NULL);
		st->modified = true;
		return SCREEN_HANDLED;
	case KEYTAB_TEXT:
		break;
	default:
		return SCREEN_IGNORED;
	}
	/* A character: typing on a lookup starts the picker; elsewhere it does nothing. */
	if (fs->def->type == MQ_FIELD_LOOKUP)
		form_open_picker(c, st, fs);
	return SCREEN_HANDLED;
}

static enum key_result form_action(struct console *c, struct screen_inst *s, int action,
				   key_code key)
{
	struct form_state *st = s->data;
	struct form_field_state *fs = st->cur < (int)st->n ? &st->f[st->cur] : NULL;
	int v;

	if (action != FORM_BACK)
		st->confirm_discard = false;
	if (action != FORM_QUIT)
		st->confirm_quit = false;
	if (action < FORM_C_OPEN || (action == KEYTAB_TEXT && fs != NULL && fs->edit != NULL))
		return fs != NULL && fs->edit != NULL ? form_text_action(c, st, fs, action, key)
						      : SCREEN_IGNORED;
	if (action < FORM_SUBMIT || action == KEYTAB_TEXT)
		return fs != NULL && fs->edit == NULL ? form_choice_action(c, st, fs, action, key)
						      : SCREEN_IGNORED;
	switch (action) {
	case FORM_SUBMIT:
		form_submit(c, st);
		return SCREEN_HANDLED;
	case FORM_RELOAD:
		if (st->conflict && st->args.reload != NULL &&
		    (v = st->args.reload(c, st->args.arg)) >= 0) {
			char version[16];

			snprintf(version, sizeof version, "%d", v);
			mq_form_context_put(&st->args.context, "row_version", version);
			st->conflict = false;
			console_message(c, false, "%s",
					_("The case was reloaded. Check it, then submit again."));
		}
		return SCREEN_HANDLED;
	case FORM_NEXT_FIELD:
		form_focus(st, st->cur + 1);
		return SCREEN_HANDLED;
	case FORM_PREV_FIELD:
		form_focus(st, st->cur - 1);
		return SCREEN_HANDLED;
	case FORM_ENTER:
		if (fs == NULL)
			form_submit(c, st);
		else
			form_focus(st, st->cur + 1);
		return SCREEN_HANDLED;
	case FORM_BACK:
		if (st->modified && !st->confirm_discard) {
			st->confirm_discard = true;
			console_message(c, true, "%s",
					_("Press Esc again to leave without submitting; what you "
					  "typed will be lost."));
			return SCREEN_HANDLED;
		}
		return SCREEN_BACK;
	case FORM_QUIT:
		/* Quitting the console from a form loses what was typed: asked first. */
		if (st->modified && !st->confirm_quit) {
			st->confirm_quit = true;
			console_message(c, true, "%s",
					_("Press F10 again to quit without submitting; what you "
					  "typed will be lost."));
			return SCREEN_HANDLED;
		}
		return SCREEN_QUIT;
	case FORM_STAY:
		return SCREEN_HANDLED;
	default:
		return SCREEN_IGNORED;
	}
}

const struct screen screen_form = {
	.name = "form",
	.init = form_init,
	.free = form_free,
	.draw = form_draw,
	.keytab = &form_tab,
	.input = form_input,
	.action = form_action,
};

bool form_open(struct console *c, const char *name, const struct form_args *args)
{
	const struct mq_form *form = mq_form_find(c->forms, c->nforms, name);
	struct form_args a = *args;

	if (form == NULL) {
		console_message(c, true, _("The form %s.form is missing from %s."), name,
				c->cfg->forms_dir);
		return false;
	}
	a.form = form;
	console_push(c, &screen_form, mq_form_title(form, c->lang), &a);
	return true;
}
