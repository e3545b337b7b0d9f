/*
 * Forms (include/mq/form.h, docs/forms.md), the common part: the names of
 * field types and lookups, the small helpers the reader and the linter
 * share (src/common/form-internal.h), the texts of a form in a language,
 * freeing, and finding the form files of a directory.
 *
 * The other parts: form-read.c (reading and checking a file, libconfig),
 * form-value.c (checking what a person typed), form-call.c (the statement
 * that submits a form), form-lint.c (checking a form against a database:
 * the only part that talks to PostgreSQL, through the gateway). Only
 * form-lint.c includes mq/db.h; the others include nothing of libpq.
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

/* clang-format off */
const char *const form_type_names[MQ_FIELD_YESNO + 1] = {
	[MQ_FIELD_TEXT] = "text",
	[MQ_FIELD_MULTILINE] = "multiline",
	[MQ_FIELD_INTEGER] = "integer",
	[MQ_FIELD_DATE] = "date",
	[MQ_FIELD_DATETIME] = "datetime",
	[MQ_FIELD_PHONE] = "phone",
	[MQ_FIELD_IDCARD] = "idcard",
	[MQ_FIELD_CHOICE] = "choice",
	[MQ_FIELD_LOOKUP] = "lookup",
	[MQ_FIELD_YESNO] = "yesno",
};

const char *const form_lookup_names[MQ_LOOKUP_STATION + 1] = {
	[MQ_LOOKUP_CATEGORY] = "category",
	[MQ_LOOKUP_UNIT] = "unit",
	[MQ_LOOKUP_STAFF] = "staff",
	[MQ_LOOKUP_RESIDENT] = "resident",
	[MQ_LOOKUP_HOUSEHOLD] = "household",
	[MQ_LOOKUP_STATION] = "station",
};
/* clang-format on */

/* The values a screen supplies to a form's context (mq/form.h, docs/forms.md). */
/* row_ids: the ids of the rows marked in a list (a bigint[] literal, "{1,2,3}"). */
const char *const mq_form_context_sources[] = {"case_id", "extension_id", "row_version", "row_ids",
					       NULL};

const char *mq_field_type_name(enum mq_field_type type)
{
	return form_type_names[type];
}

const char *mq_lookup_kind_name(enum mq_lookup_kind kind)
{
	return form_lookup_names[kind];
}

/* --- small helpers ------------------------------------------------------------------ */

/* "a, b, c" of a NULL-terminated list. Caller frees. */
char *form_join(const char *const *words)
{
	size_t i, len = 1;
	char *out;

	for (i = 0; words[i] != NULL; i++)
		len += strlen(words[i]) + 2;
	out = xmalloc(len);
	out[0] = '\0';
	for (i = 0; words[i] != NULL; i++) {
		if (i > 0)
			strcat(out, ", ");
		strcat(out, words[i]);
	}
	return out;
}

/*
 * Walk UTF-8 text: the number of characters, or -1 when it is not valid
 * UTF-8. *control receives whether it has a control character other than
 * those in allowed (e.g. "\n").
 */
long form_utf8_chars(const char *s, const char *allowed, bool *control)
{
	size_t len = strlen(s), off = 0;
	long chars = 0;

	*control = false;
	while (off < len) {
		wchar_t wc;
		size_t n = mq_utf8_decode(s + off, len - off, &wc);

		if (wc == 0xFFFD && !(n == 3 && memcmp(s + off, "\xEF\xBF\xBD", 3) == 0))
			return -1;
		if ((wc < 0x20 || (wc >= 0x7F && wc < 0xA0)) && strchr(allowed, (int)wc) == NULL)
			*control = true;
		off += n;
		chars++;
	}
	return chars;
}

const char *mq_form_title(const struct mq_form *form, const char *lang)
{
	return mq_text_get(&form->title, lang);
}

const char *mq_form_help(const struct mq_form *form, const char *lang)
{
	return mq_text_get(&form->help, lang);
}

const char *mq_form_label(const struct mq_form_field *field, const char *lang)
{
	return mq_text_get(&field->label, lang);
}

const char *mq_form_field_help(const struct mq_form_field *field, const char *lang)
{
	return mq_text_get(&field->help, lang);
}

const char *mq_form_option_label(const struct mq_form_option *option, const char *lang)
{
	return mq_text_get(&option->label, lang);
}

const struct mq_form_option *mq_form_option_find(const struct mq_form_field *field,
						 const char *value)
{
	size_t i;

	for (i = 0; value != NULL && i < field->noptions; i++) {
		if (strcmp(field->options[i].value, value) == 0)
			return &field->options[i];
	}
	return NULL;
}

int mq_yesno_parse(const char *value)
{
	static const char *const yes[] = {"true", "yes", "y", "t", "1", "on"};
	static const char *const no[] = {"false", "no", "n", "f", "0", "off"};
	size_t i;

	for (i = 0; value != NULL && i < MQ_NITEMS(yes); i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return 1;
		if (strcasecmp(value, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* --- freeing -------------------------------------------------------------------------- */

static void form_text_free(struct mq_text *t)
{
	free(t->zh);
	free(t->en);
	t->zh = t->en = NULL;
}

static void form_field_free(struct mq_form_field *f)
{
	size_t i;

	free(f->name);
	free(f->param);
	form_text_free(&f->label);
	form_text_free(&f->help);
	free(f->pattern);
	if (f->regex != NULL) {
		regfree(f->regex);
		free(f->regex);
	}
	free(f->default_value);
	for (i = 0; i < f->noptions; i++) {
		free(f->options[i].value);
		form_text_free(&f->options[i].label);
	}
	free(f->options);
}

void mq_form_free(struct mq_form *form)
{
	size_t i;

	if (form == NULL)
		return;
	free(form->name);
	free(form->path);
	form_text_free(&form->title);
	form_text_free(&form->help);
	free(form->schema);
	free(form->function);
	for (i = 0; i < form->nresult; i++)
		free(form->result[i]);
	free(form->result);
	for (i = 0; i < form->ncontext; i++) {
		free(form->context[i].param);
		free(form->context[i].from);
	}
	free(form->context);
	for (i = 0; i < form->nfields; i++)
		form_field_free(&form->fields[i]);
	free(form->fields);
	if (form->offer != NULL) {
		free(form->offer->screen);
		free(form->offer->name);
		free(form->offer->key);
		form_text_free(&form->offer->label);
		mq_cfg_words_free(form->offer->status);
		mq_cfg_words_free(form->offer->duty);
		free(form->offer);
	}
	free(form);
}

/* --- directories ----------------------------------------------------------------------- */

void mq_forms_free_paths(char **paths, size_t n)
{
	mq_cfg_free_paths(paths, n);
}

int mq_forms_scan_dir(const char *dir, char ***paths, size_t *n, char **cause)
{
	return mq_cfg_scan_dir(dir, FORM_SUFFIX, paths, n, cause);
}

void mq_forms_free(struct mq_form **forms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mq_form_free(forms[i]);
	free(forms);
}

int mq_forms_load_dir(const char *dir, struct mq_form ***forms, size_t *n, char **cause)
{
	struct mq_form **out;
	char **paths;
	size_t count, i;

	*forms = NULL;
	*n = 0;
	if (mq_forms_scan_dir(dir, &paths, &count, cause) != 0)
		return -1;
	out = xcalloc(count + 1, sizeof *out);
	for (i = 0; i < count; i++) {
		out[i] = mq_form_load(paths[i], cause);
		if (out[i] == NULL) {
			mq_forms_free(out, i);
			mq_forms_free_paths(paths, count);
			return -1;
		}
	}
	mq_forms_free_paths(paths, count);
	*forms = out;
	*n = count;
	return 0;
}

const struct mq_form *mq_form_find(struct mq_form *const *forms, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(forms[i]->name, name) == 0)
			return forms[i];
	}
	return NULL;
}
