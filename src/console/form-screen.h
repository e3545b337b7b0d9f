/*
 * The form screen (screen-form.c): a form of forms/ filled in and
 * submitted, opened by a screen with the values only it knows.
 */
#ifndef MQ_CONSOLE_FORM_SCREEN_H
#define MQ_CONSOLE_FORM_SCREEN_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "mq/form.h"

struct console;

/* --- screen-form.c: a form of forms/, filled in and submitted ------------------------- */

/* A value to put in a field when the form opens (shown: its label, or NULL). */
struct form_preset {
	const char *name;
	const char *value;
	const char *shown;
};

/* What the form's fields hold at submit time, for a pre-check. */
struct form_values_view {
	const struct mq_form *form;
	const char *const *values; /* per field; NULL or "" = not given */
	size_t n;
};
/* The value of the field called name, or NULL when not given. */
const char *form_value(const struct form_values_view *fv, const char *name);

struct form_args {
	const struct mq_form *form; /* set by form_open() */
	/* What the form's context entries may use: case_id, row_version, extension_id. */
	struct mq_form_context_values context;
	bool check_version; /* submit after minqing.case_expect_version(case_id, row_version) */
	const struct form_preset *preset; /* {NULL}-terminated; read at open only */
	/*
	 * Before submitting, once: a warning the person must read (returned,
	 * caller of the hook frees), after which F2 submits; NULL to go on.
	 */
	char *(*precheck)(struct console *c, void *arg, const struct form_values_view *fv);
	/* After a conflict (40001): reload, return the new row version or -1. */
	int (*reload)(struct console *c, void *arg);
	/*
	 * Submitted: the form has closed itself; res is the function's result
	 * (valid during the call only). The opener may open a screen here.
	 */
	void (*done)(struct console *c, void *arg, PGresult *res);
	void *arg; /* for the callbacks; must outlive the form (the opener's state) */
	/*
	 * The context source row_ids: the marked rows' ids as a bigint[] literal
	 * ("{12,15}"), too long for context; copied by the form at open (NULL: not given).
	 */
	const char *row_ids;
};

/* Open the form forms/<name>.form; false (with a message) when it is missing. */
bool form_open(struct console *c, const char *name, const struct form_args *args);

#endif
