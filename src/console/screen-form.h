/*
 * The form screen's own pieces (screen-form.c draws and edits,
 * screen-form-submit.c checks and submits): its state, shared by both.
 */
#ifndef MQ_SCREEN_FORM_H
#define MQ_SCREEN_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "console.h"
#include "form-screen.h"
#include "mq/edit.h"

/*
 * The narrowest input a label column may leave beside it: when the longest
 * label of the form (in the person's language) leaves less, every label is
 * drawn on a row of its own above its field instead of being cut.
 */
#define FORM_FIELD_MIN 30
#define FORM_HELP_ROWS 3 /* rows of a field's help at the bottom at most */

struct form_field_state {
	const struct mq_form_field *def;
	mq_edit *edit; /* text-like fields; NULL for choice, lookup, yes/no */
	char *value;   /* choice, lookup, yes/no: what is submitted; NULL = not given */
	char *shown;   /* the label of that value (option label, lookup label) */
	char *error;   /* shown after the input; NULL = none */
	int row;       /* first row of the field (its label's when stacked), counted from 0 */
};

struct form_state {
	struct form_args args; /* copied; pointers to the form and callbacks */
	struct form_field_state *f;
	size_t n;
	int cur; /* focused field; n = the buttons */
	int scroll;
	int rows;      /* rows of fields and buttons */
	int labelw;    /* the longest label, "*" included */
	bool stacked;  /* each label on a row of its own, above its field */
	int laid_cols; /* the terminal width the rows were laid out for */
	bool modified;
	bool confirm_discard; /* Esc was pressed once on a modified form */
	bool confirm_quit;    /* F10 was pressed once on a modified form */
	bool confirmed;       /* the person saw the pre-check's warning */
	char *notice;         /* the pre-check's warning, shown above the buttons */
	bool conflict;        /* the last submit met a newer version of the case */
	char *row_ids;        /* the copy of args.row_ids (owned), or NULL */
};

/* screen-form.c: a field's error (NULL: none); a field checked again; the focus moved. */
void form_set_error(struct form_field_state *fs, const char *msg);
void form_check_field(struct form_field_state *fs);
void form_focus(struct form_state *st, int to);
/* screen-form-submit.c: check every field, then run the form's call. */
void form_submit(struct console *c, struct form_state *st);

#endif
