/*
 * The pure parts of the view engine (viewfmt.c): a call of a view's
 * function built with named parameters, and a value formatted as a screen
 * shows it (status labels, warning letters, masked phones, dates where the
 * person is, countdowns). No terminal and no connection here, so
 * `minqing-admin report` links it and writes the cells the console shows.
 */
#ifndef MQ_VIEWFMT_H
#define MQ_VIEWFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <libpq-fe.h>

#include "mq/table.h"
#include "mq/view.h"

#define VIEW_MAX_PARAMS 32

/*
 * A call of a view's function being built: the named parameters
 * "p_a => $1, ..." (args) and their values, then the statement.
 * view_call_free() frees sql and args; the values are the caller's.
 */
struct view_call {
	char *sql;
	char *args;
	const char *params[VIEW_MAX_PARAMS];
	int n;
	char limit[16];
};

/* A value the opener gives for one of a view's given parameters (NULL: SQL NULL). */
struct view_given {
	const char *param;
	const char *value;
};

/* The raw value of a row's column by name, or NULL (SQL NULL, or not there). */
typedef const char *(*view_row_fn)(void *row, const char *column);

/* The text of a value of a non-time format (status label, masked phone, ...). Caller frees. */
char *view_value_format(enum mq_view_format format, const char *raw);
/* The text of a time (date, datetime, countdown, overdue) from its epoch. Caller frees. */
char *view_time_format(enum mq_view_format format, const char *epoch, const char *status,
		       time_t now);

/* The first line of a long text, "…" when there is more. Caller frees. */
char *view_first_line(const char *raw);

void view_call_init(struct view_call *call);
void view_call_param(struct view_call *call, const char *name, const char *value);
/* The given parameters' values and the fixed ones: how every call of a view starts. */
void view_call_given(struct view_call *call, const struct mq_view *v,
		     const struct view_given *given, size_t ngiven);
/*
 * Where a screen of view v starts: choice[g] (one per group of choices, all
 * 0 on entry) moved to the view's start values, then to the given
 * parameters' values that are a group's value, or go to the search
 * (*query, freed and replaced). A given parameter so taken that is one of
 * the view's optional ones is taken out of given (its strings, owned by
 * given, freed) and *ngiven shrinks: it is not passed a second time.
 */
void view_start(const struct mq_view *v, struct view_given *given, size_t *ngiven, int *choice,
		char **query);
/*
 * The call for a page of v, as a screen asks for it: the given parameters
 * and the fixed ones, each group of choices' current value (choice[g]),
 * the order's own parameter (sorts[sort]), what was searched (query, NULL:
 * nothing), the keyset from the last row read (last(row, column); NULL:
 * the first page), the limit (LIST_PAGE), then call->sql. The values are
 * the caller's and must outlive the call.
 */
void view_call_page(struct view_call *call, const struct mq_view *v, const struct view_given *given,
		    size_t ngiven, const int *choice, const char *query, size_t sort,
		    view_row_fn last, void *row);
/* call->sql: SELECT f.* and each time column's epoch ("<column>:epoch") FROM the function. */
void view_call_select(struct view_call *call, const struct mq_view *v);
void view_call_free(struct view_call *call);
/* Is the format a time's (date, datetime, countdown, overdue: the epoch is read too)? */
bool view_format_is_time(enum mq_view_format f);

/* The value of column name in row of res, or NULL (SQL NULL, no such column or row). */
const char *view_result_value(const PGresult *res, int row, const char *name);

/*
 * A record's field as its screen shows it (labels of coded values, charts,
 * times where the person is), or NULL when it is SQL NULL. Caller frees.
 */
char *view_record_field(const struct mq_view *v, const struct mq_view_column *col,
			const PGresult *row, bool english, bool ascii, time_t now);

/*
 * A record (its row and the rows of its lines function) as a table of two
 * columns, item and value, for E on the record's screen and for
 * `minqing-admin report`: the labelled fields as the screen shows them (a
 * long text whole), then the lines, each label indented by its depth, a
 * heading without a value. english: the English labels and value_en. Free
 * with view_record_table_free().
 */
void view_record_table(const struct mq_view *v, const PGresult *row, const PGresult *lines,
		       bool english, bool ascii, time_t now, struct mq_table *t);
void view_record_table_free(struct mq_table *t);

#endif
