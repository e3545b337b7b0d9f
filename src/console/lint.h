/*
 * minqing --lint-forms [DIR] (lint.c): every form and view file of a
 * directory read and checked against the connected database's functions.
 */
#ifndef MQ_CONSOLE_LINT_H
#define MQ_CONSOLE_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "mq/config.h"

/*
 * Check every DIR/NAME.form (dir NULL: the configured forms.dir). Prints
 * "FILE: ok" on stdout per good form and the first problem of a bad one as
 * "FILE:LINE: message" on stderr. Returns the exit code: 0 all good, 2 a bad
 * form or directory, 3 cannot connect (or the connection was lost), 4 the
 * database's schema version is not this program's.
 */
int lint_forms(const struct mq_config *cfg, const char *dir);

/*
 * lint-view.c: check a loaded view against the database and the installed
 * forms. 0, or -1 with *cause (every problem, "FILE:LINE: message" a line;
 * caller frees) and *lost when the connection went away.
 */
struct mq_db;
struct mq_view;
struct mq_form;
int lint_view_db(struct mq_db *db, const struct mq_view *v, struct mq_form *const *forms,
		 size_t nforms, char **cause, bool *lost);

#endif
