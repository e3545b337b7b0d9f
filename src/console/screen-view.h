/*
 * The list engine's own pieces (screen-view.c, screen-view-keys.c): the ids
 * of a view's actions in its key table.
 */
#ifndef MQ_SCREEN_VIEW_H
#define MQ_SCREEN_VIEW_H

/*
 * The view's own actions (ids apart from the list's and the line editor's):
 * a value of a group of choices, a group's cycle key, the search prompt, a
 * row's form.
 */
#define VIEW_A_CHOICE   10000 /* + group * VIEW_GROUP_SPAN + value: groups and values < 100 */
#define VIEW_GROUP_SPAN 100
#define VIEW_A_CYCLE    20000 /* + group */
#define VIEW_A_FIND     20500
#define VIEW_A_FORM     21000 /* + action */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <libpq-fe.h>

#include "mq/view.h"
#include "viewfmt.h"

struct console;

/*
 * What view_open_given() passes to the screen it pushes (read by init only):
 * the view, and the values of its given parameters.
 */
struct view_open_args {
	const struct mq_view *view;
	const struct view_given *given;
	size_t ngiven;
};

/* A row (of a list, or a record) an action is run on. */
struct view_row_ref {
	const struct mq_view *view;
	long long id; /* the view's id column */
	view_row_fn get;
	void *row;
	/* A form submitted: read the row again. */
	void (*done)(struct console *c, void *arg, PGresult *res);
	void *done_arg;
	/* An action with rows = "marked": the rows' ids, "{12,15}" (NULL: the row alone). */
	const char *row_ids;
};

/* The view's text in the person's language ("" when it has none). */
const char *view_text(const struct console *c, const struct mq_text *t);
/* Does the person's duty allow what duties names (NULL: everyone)? */
bool view_duty_allows(const struct console *c, char *const *duties);
/* The output column a view column shows in the person's language (its en in English). */
const char *view_column_name(const struct console *c, const struct mq_view_column *col);
/* A column's value shown by its label (the column's values), or raw as it is. */
const char *view_column_value(const struct console *c, const struct mq_view_column *col,
			      const char *raw);
/* Copies of the opener's values, and their release (screen-view.c). */
struct view_given *view_given_copy(const struct view_open_args *oa);
void view_given_free(struct view_given *g, size_t n);

/*
 * Push the view file name (a list or a record), titled title (NULL or "":
 * its own title), with the values of its given parameters; false after
 * saying it is not installed.
 */
bool view_push(struct console *c, const char *name, const char *title,
	       const struct view_given *given, size_t ngiven);

/* view-act.c: does action a apply to a row of this status, for this person's duty? */
bool view_action_applies(const struct console *c, const struct mq_view_action *a,
			 const char *status);
/* view-act.c: run action i of ref->view on the row: its form, or the view it opens. */
void view_run_action(struct console *c, const struct view_row_ref *ref, size_t i);
/* After a form offered on a row was submitted: "Saved." (with the case number a form made). */
void view_done_message(struct console *c, PGresult *res);
/*
 * Open the view name with its given parameters bound from the row's columns,
 * titled by the row's column title (NULL: the view's own title).
 */
bool view_open_bound(struct console *c, const char *name, const struct mq_view_bind *bind,
		     size_t nbind, const char *title, view_row_fn get, void *row);
/* screen-record.c: the screen of a record view (layout = "record"). */
extern const struct screen screen_record;

#endif
