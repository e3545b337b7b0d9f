/*
 * minqing --lint-forms [DIR] (lint.c): every form file of a directory read
 * and checked against the connected database's functions.
 */
#ifndef MQ_CONSOLE_LINT_H
#define MQ_CONSOLE_LINT_H

#include "mq/config.h"

/*
 * Check every DIR/NAME.form (dir NULL: the configured forms.dir). Prints
 * "FILE: ok" on stdout per good form and the first problem of a bad one as
 * "FILE:LINE: message" on stderr. Returns the exit code: 0 all good, 2 a bad
 * form or directory, 3 cannot connect (or the connection was lost), 4 the
 * database's schema version is not this program's.
 */
int lint_forms(const struct mq_config *cfg, const char *dir);

#endif
