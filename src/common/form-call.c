/*
 * The statement that submits a form (mq_form_build_call), and tracing a
 * server error back to the field it is about.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "mq/cfgread.h"
#include "mq/common.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "form-internal.h"

/* --- submitting ---------------------------------------------------------------------------- */

static bool form_given(const char *v)
{
	return v != NULL && v[0] != '\0';
}

void mq_form_build_call(const struct mq_form *form, const char *const *values,
			mq_form_context_fn context, void *arg, char **sql, const char ***params,
			int *nparams)
{
	const char **p = xcalloc(form->nfields + form->ncontext + 1, sizeof *p);
	size_t i, len, cap;
	char *s;
	int n = 0;

	cap = strlen(form->schema) + strlen(form->function) + 64;
	for (i = 0; i < form->nfields; i++)
		cap += strlen(form->fields[i].param) + 24;
	for (i = 0; i < form->ncontext; i++)
		cap += strlen(form->context[i].param) + 24;
	s = xmalloc(cap);
	len = (size_t)snprintf(s, cap, "SELECT * FROM \"%s\".\"%s\"(", form->schema,
			       form->function);
	for (i = 0; i < form->nfields; i++) {
		const struct mq_form_field *f = &form->fields[i];
		const char *v = values != NULL ? values[i] : NULL;

		if (!form_given(v))
			continue;
		if (f->type == MQ_FIELD_YESNO && mq_yesno_parse(v) >= 0)
			v = mq_yesno_parse(v) == 1 ? "true" : "false";
		p[n++] = v;
		len += (size_t)snprintf(s + len, cap - len, "%s\"%s\" => $%d", n > 1 ? ", " : "",
					f->param, n);
	}
	for (i = 0; i < form->ncontext; i++) {
		const char *v = context != NULL ? context(form->context[i].from, arg) : NULL;

		if (v == NULL)
			continue;
		p[n++] = v;
		len += (size_t)snprintf(s + len, cap - len, "%s\"%s\" => $%d", n > 1 ? ", " : "",
					form->context[i].param, n);
	}
	snprintf(s + len, cap - len, ")");
	*sql = s;
	*params = p;
	*nparams = n;
}

const struct mq_form_field *mq_form_field_for_param(const struct mq_form *form, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < form->nfields; i++) {
		if (strcmp(form->fields[i].param, name) == 0)
			return &form->fields[i];
	}
	for (i = 0; i < form->nfields; i++) {
		if (strcmp(form->fields[i].name, name) == 0)
			return &form->fields[i];
	}
	for (i = 0; i < form->nfields; i++) {
		const char *p = form->fields[i].param;

		if (strncmp(p, "p_", 2) == 0 && strcmp(p + 2, name) == 0)
			return &form->fields[i];
	}
	return NULL;
}

const struct mq_form_field *mq_form_field_for_arg(const struct mq_form *form,
						  const char *const *values, int n)
{
	size_t i;
	int k = 0;

	for (i = 0; values != NULL && i < form->nfields; i++) {
		if (form_given(values[i]) && ++k == n)
			return &form->fields[i];
	}
	return NULL;
}

/* --- context values ----------------------------------------------------------------------- */

bool mq_form_context_known(const char *name)
{
	size_t i;

	if (strncmp(name, MQ_FORM_CONTEXT_ROW, strlen(MQ_FORM_CONTEXT_ROW)) == 0)
		return mq_cfg_is_identifier(name + strlen(MQ_FORM_CONTEXT_ROW)) &&
		       strlen(name) < MQ_FORM_CONTEXT_NAME_MAX;
	for (i = 0; mq_form_context_sources[i] != NULL; i++)
		if (strcmp(mq_form_context_sources[i], name) == 0)
			return true;
	return false;
}

void mq_form_context_put(struct mq_form_context_values *cv, const char *name, const char *value)
{
	size_t i;

	if (!mq_form_context_known(name))
		fatal("form context: %s is not a context source", name);
	if (strlen(value) >= MQ_FORM_CONTEXT_VALUE_MAX)
		fatal("form context: the value of %s is too long", name);
	for (i = 0; i < cv->n && strcmp(cv->v[i].name, name) != 0; i++)
		;
	if (i == cv->n) {
		if (cv->n == MQ_NITEMS(cv->v))
			fatal("form context: more than %zu values", MQ_NITEMS(cv->v));
		cv->n++;
	}
	snprintf(cv->v[i].name, sizeof cv->v[i].name, "%s", name);
	snprintf(cv->v[i].value, sizeof cv->v[i].value, "%s", value);
}

const char *mq_form_context_value(const struct mq_form_context_values *cv, const char *name)
{
	size_t i;

	for (i = 0; i < cv->n; i++) {
		if (strcmp(cv->v[i].name, name) == 0)
			return cv->v[i].value;
	}
	return NULL;
}

const char *mq_form_context_lookup(const char *from, void *arg)
{
	return mq_form_context_value(arg, from);
}
