/*
 * What the parts of the form code (form.c, form-read.c, form-value.c,
 * form-call.c, form-lint.c) share and nobody else needs: limits, the names
 * of types and lookups, and small text helpers. Not installed; include/mq/
 * form.h is the interface.
 */
#ifndef MQ_FORM_INTERNAL_H
#define MQ_FORM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "mq/form.h"

#define FORM_SUFFIX     ".form"
#define FORM_IDENT_MAX  63 /* PostgreSQL's NAMEDATALEN - 1 */
#define FORM_WIDTH_MAX  200
#define FORM_HEIGHT_MAX 50
#define FORM_LENGTH_MAX 100000

/* The names used in form files, indexed by enum mq_field_type and enum mq_lookup_kind. */
extern const char *const form_type_names[MQ_FIELD_YESNO + 1];
extern const char *const form_lookup_names[MQ_LOOKUP_STATION + 1];

/* "a, b, c" of a NULL-terminated list. Caller frees. */
char *form_join(const char *const *words);

/*
 * Characters of s (UTF-8), -1 if it is not valid UTF-8; *control is set
 * when it holds a control character other than those in allowed.
 */
long form_utf8_chars(const char *s, const char *allowed, bool *control);

#endif
