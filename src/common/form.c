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

const char *const form_lookup_names[MQ_LOOKUP_HOUSEHOLD + 1] = {
	[MQ_LOOKUP_CATEGORY] = "category",
	[MQ_LOOKUP_UNIT] = "unit",
	[MQ_LOOKUP_STAFF] = "staff",
	[MQ_LOOKUP_RESIDENT] = "resident",
	[MQ_LOOKUP_HOUSEHOLD] = "household",
};
/* clang-format on */

/* The values a screen supplies to a form's context (mq/form.h, docs/forms.md). */
const char *const mq_form_context_sources[] = {"case_id", "extension_id", "row_version", NULL};

const char *mq_field_type_name(enum mq_field_type type)
{
	return form_type_names[type];
}

const char *mq_lookup_kind_name(enum mq_lookup_kind kind)
{
	return form_lookup_names[kind];
}

/* --- small helpers ------------------------------------------------------------------ */

/* [a-z_][a-z0-9_]*, at most FORM_IDENT_MAX bytes: safe to put between quotes in SQL. */
bool form_is_identifier(const char *s)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) > FORM_IDENT_MAX || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	}
	return true;
}

/* Levenshtein distance of two short ASCII strings (longer ones: a large number). */
static size_t form_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[FORM_IDENT_MAX + 2];

	if (la > FORM_IDENT_MAX || lb > FORM_IDENT_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best;

			best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The word of a NULL-terminated list closest to s, if it is close enough to be a typo. */
const char *form_suggest(const char *s, const char *const *words)
{
	const char *best = NULL;
	size_t i, best_d = SIZE_MAX, limit = strlen(s) <= 4 ? 1 : strlen(s) <= 8 ? 2 : 3;

	for (i = 0; words[i] != NULL; i++) {
		size_t d = form_distance(s, words[i]);

		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

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

/* Is s empty or only white space (ASCII or the ideographic space U+3000)? */
bool form_blank(const char *s)
{
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else
			return false;
	}
	return true;
}

static bool form_is_english(const char *lang)
{
	return lang != NULL && strncmp(lang, "en", 2) == 0 && (lang[2] == '\0' || lang[2] == '_');
}

const char *mq_text_get(const struct mq_text *t, const char *lang)
{
	if (form_is_english(lang) && t->en != NULL)
		return t->en;
	return t->zh != NULL ? t->zh : t->en;
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
	free(form);
}

/* --- directories ----------------------------------------------------------------------- */

static int form_cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void mq_forms_free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

int mq_forms_scan_dir(const char *dir, char ***paths, size_t *n, char **cause)
{
	struct dirent *de;
	char **list = NULL;
	size_t count = 0, cap = 0;
	DIR *d;

	*paths = NULL;
	*n = 0;
	d = opendir(dir);
	if (d == NULL)
		return mq_fail(cause, _("%s: cannot read the forms directory: %s"), dir,
			       strerror(errno));
	while ((errno = 0, de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct stat sb;
		char *path;

		if (de->d_name[0] == '.' || len <= strlen(FORM_SUFFIX) ||
		    strcmp(de->d_name + len - strlen(FORM_SUFFIX), FORM_SUFFIX) != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		if (count == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			list = xrealloc(list, cap * sizeof *list);
		}
		list[count++] = path;
	}
	if (errno != 0) {
		int saved = errno;

		closedir(d);
		mq_forms_free_paths(list, count);
		return mq_fail(cause, _("%s: cannot read the forms directory: %s"), dir,
			       strerror(saved));
	}
	closedir(d);
	if (count > 0)
		qsort(list, count, sizeof *list, form_cmp_paths);
	*paths = list;
	*n = count;
	return 0;
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
