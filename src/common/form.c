/*
 * Forms (include/mq/form.h, docs/forms.md): reading and checking form files,
 * checking typed values, building the call that submits a form, and checking
 * a form against the functions of a database.
 *
 * A form file is read with the configuration's safe libconfig reader
 * (mq_libconfig_read: no BOM, no NUL, no @include of anything but a regular
 * file) and then checked setting by setting against the tables below, so a
 * misspelt setting is an error at its line and never silently ignored.
 * Everything a form holds is checked when it is loaded (identifiers,
 * labels, regexes, defaults against their own field), so a loaded form can
 * be drawn and submitted without further checks.
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

#include <libconfig.h>
#include <libpq-fe.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/db.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "mq/width.h"

#define FORM_SUFFIX     ".form"
#define FORM_IDENT_MAX  63 /* PostgreSQL's NAMEDATALEN - 1 */
#define FORM_WIDTH_MAX  200
#define FORM_HEIGHT_MAX 50
#define FORM_LENGTH_MAX 100000

/* clang-format off */
static const char *const form_type_names[] = {
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

/* Columns of the input box when the form does not say. */
static const int form_default_width[] = {
	[MQ_FIELD_TEXT] = 40,
	[MQ_FIELD_MULTILINE] = 60,
	[MQ_FIELD_INTEGER] = 10,
	[MQ_FIELD_DATE] = 10,
	[MQ_FIELD_DATETIME] = 16,
	[MQ_FIELD_PHONE] = 11,
	[MQ_FIELD_IDCARD] = 18,
	[MQ_FIELD_CHOICE] = 20,
	[MQ_FIELD_LOOKUP] = 30,
	[MQ_FIELD_YESNO] = 4,
};

/*
 * Characters a value may have: the form's max_length for text and
 * multiline (these defaults otherwise), the length of the format for the
 * others, 0 for the fields that are chosen rather than typed.
 */
static const int form_default_length[] = {
	[MQ_FIELD_TEXT] = 200,
	[MQ_FIELD_MULTILINE] = 2000,
	[MQ_FIELD_INTEGER] = 20,
	[MQ_FIELD_DATE] = 10,
	[MQ_FIELD_DATETIME] = 16,
	[MQ_FIELD_PHONE] = 11,
	[MQ_FIELD_IDCARD] = 18,
	[MQ_FIELD_CHOICE] = 0,
	[MQ_FIELD_LOOKUP] = 0,
	[MQ_FIELD_YESNO] = 0,
};

static const char *const form_lookup_names[] = {
	[MQ_LOOKUP_CATEGORY] = "category",
	[MQ_LOOKUP_UNIT] = "unit",
	[MQ_LOOKUP_STAFF] = "staff",
	[MQ_LOOKUP_RESIDENT] = "resident",
	[MQ_LOOKUP_HOUSEHOLD] = "household",
};
/* clang-format on */

/* The values a screen supplies to a form's context (see docs/forms.md). */
static const char *const form_context_keys[] = {"case_id", "extension_id", "row_version", NULL};

/* The settings each group may hold; anything else is a mistake. */
static const char *const form_root_settings[] = {"form", NULL};
static const char *const form_settings[] = {"title",   "help",   "function", "result",
					    "context", "fields", NULL};
static const char *const form_text_settings[] = {"zh", "en", NULL};
static const char *const form_context_settings[] = {"param", "from", NULL};
static const char *const form_option_settings[] = {"value", "zh", "en", NULL};
static const char *const form_field_settings[] = {
	"name",     "param",   "type",    "label", "help", "width",  "height",  "max_length",
	"required", "pattern", "default", "min",   "max",  "lookup", "options", NULL};

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
static bool form_is_identifier(const char *s)
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
static const char *form_suggest(const char *s, const char *const *words)
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
static char *form_join(const char *const *words)
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
static long form_utf8_chars(const char *s, const char *allowed, bool *control)
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
static bool form_blank(const char *s)
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

/* --- reading a file -------------------------------------------------------------------- */

/* The file being read and where its first mistake goes. */
struct form_reader {
	const char *path;
	char **cause;
};

static int form_fail(struct form_reader *r, const config_setting_t *at, const char *fmt, ...)
	MQ_PRINTF(3, 4);

/* *cause = "file:line: message" at setting at; returns -1. */
static int form_fail(struct form_reader *r, const config_setting_t *at, const char *fmt, ...)
{
	va_list ap;
	char *msg, *file;
	int line = config_setting_source_line(at);

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	file = mq_libconfig_file(at, r->path);
	mq_fail(r->cause, "%s:%d: %s", file, line > 0 ? line : 1, msg);
	free(file);
	free(msg);
	return -1;
}

/* Every setting of group has a name from allowed; prefix names the group in messages. */
static int form_check_names(struct form_reader *r, const config_setting_t *group,
			    const char *const *allowed)
{
	int i, n = config_setting_length(group);

	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned int)i);
		const char *name = config_setting_name(s), *guess;
		size_t k;
		bool known = false;

		if (name == NULL)
			continue;
		for (k = 0; allowed[k] != NULL && !known; k++)
			known = strcmp(name, allowed[k]) == 0;
		if (known)
			continue;
		if ((guess = form_suggest(name, allowed)) != NULL)
			return form_fail(r, s, _("unknown setting '%s' (did you mean '%s'?)"), name,
					 guess);
		return form_fail(r, s, _("unknown setting '%s'"), name);
	}
	return 0;
}

/*
 * A string setting of group: *out points into the configuration (NULL when
 * absent and !required); *at is the setting (or the group when absent).
 */
static int form_get_string(struct form_reader *r, const config_setting_t *group, const char *name,
			   bool required, const char **out, const config_setting_t **at)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	*out = NULL;
	if (at != NULL)
		*at = s != NULL ? s : group;
	if (s == NULL) {
		if (required)
			return form_fail(r, group, _("%s is missing"), name);
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return form_fail(r, s, _("%s must be a string in double quotes"), name);
	*out = config_setting_get_string(s);
	return 0;
}

/* An identifier setting (name, param, ...), copied into *out. */
static int form_get_identifier(struct form_reader *r, const config_setting_t *group,
			       const char *name, char **out)
{
	const config_setting_t *at;
	const char *v;

	if (form_get_string(r, group, name, true, &v, &at) != 0)
		return -1;
	if (!form_is_identifier(v))
		return form_fail(r, at,
				 _("%s \"%s\" is not an identifier: use a-z, 0-9 and _, not "
				   "starting with a digit, at most %d characters"),
				 name, v, FORM_IDENT_MAX);
	*out = xstrdup(v);
	return 0;
}

static int form_get_int(struct form_reader *r, const config_setting_t *group, const char *name,
			int min, int max, int *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	long long n;

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return form_fail(r, s, _("%s must be a whole number from %d to %d"), name, min,
				 max);
	n = config_setting_type(s) == CONFIG_TYPE_INT ? config_setting_get_int(s)
						      : config_setting_get_int64(s);
	if (n < min || n > max)
		return form_fail(r, s, _("%s must be from %d to %d, not %lld"), name, min, max, n);
	*out = (int)n;
	return 0;
}

static int form_get_int64(struct form_reader *r, const config_setting_t *s, const char *name,
			  long long *out)
{
	if (config_setting_type(s) == CONFIG_TYPE_INT)
		*out = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		*out = config_setting_get_int64(s);
	else
		return form_fail(r, s, _("%s must be a whole number"), name);
	return 0;
}

static int form_get_bool(struct form_reader *r, const config_setting_t *group, const char *name,
			 bool *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return form_fail(r, s, _("%s must be true or false"), name);
	*out = config_setting_get_bool(s) != 0;
	return 0;
}

/*
 * A text a person reads (a label, a title, an option): valid UTF-8, not
 * blank, no control characters (newlines only where lines are allowed).
 */
static int form_check_words(struct form_reader *r, const config_setting_t *at, const char *name,
			    const char *v, bool lines)
{
	bool control;

	if (form_utf8_chars(v, lines ? "\n" : "", &control) < 0)
		return form_fail(r, at, _("%s is not valid UTF-8"), name);
	if (form_blank(v))
		return form_fail(r, at, _("%s must not be empty"), name);
	if (control)
		return form_fail(r, at,
				 lines ? _("%s has a control character (only line breaks are "
					   "allowed)")
				       : _("%s must be one line without control characters"),
				 name);
	return 0;
}

/* The zh and en strings of one group (a text, or an option) into *t. */
static int form_get_zh_en(struct form_reader *r, const config_setting_t *group, const char *name,
			  bool lines, struct mq_text *t)
{
	const config_setting_t *at;
	const char *zh, *en;
	char *full;
	int rc;

	if (form_get_string(r, group, "zh", false, &zh, &at) != 0)
		return -1;
	if (zh == NULL)
		return form_fail(r, group,
				 _("%s.zh is missing: every text is in Chinese and English"), name);
	full = xasprintf("%s.zh", name);
	rc = form_check_words(r, at, full, zh, lines);
	free(full);
	if (rc != 0)
		return -1;
	if (form_get_string(r, group, "en", false, &en, &at) != 0)
		return -1;
	if (en == NULL)
		return form_fail(r, group,
				 _("%s.en is missing: every text is in Chinese and English"), name);
	full = xasprintf("%s.en", name);
	rc = form_check_words(r, at, full, en, lines);
	free(full);
	if (rc != 0)
		return -1;
	t->zh = xstrdup(zh);
	t->en = xstrdup(en);
	return 0;
}

/* name = { zh = "..."; en = "..."; }; of group into *t (left NULL when absent and optional). */
static int form_get_text(struct form_reader *r, const config_setting_t *group, const char *name,
			 bool required, bool lines, struct mq_text *t)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL) {
		if (required)
			return form_fail(r, group, _("%s is missing"), name);
		return 0;
	}
	if (!config_setting_is_group(s))
		return form_fail(r, s,
				 _("%s must be a group: %s = { zh = \"...\"; en = \"...\"; };"),
				 name, name);
	if (form_check_names(r, s, form_text_settings) != 0)
		return -1;
	return form_get_zh_en(r, s, name, lines, t);
}

/* A list setting: (...) or, for plain values, [...]. NULL when absent. */
static int form_get_list(struct form_reader *r, const config_setting_t *group, const char *name,
			 bool required, bool arrays, const config_setting_t **out)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	*out = NULL;
	if (s == NULL) {
		if (required)
			return form_fail(r, group, _("%s is missing"), name);
		return 0;
	}
	if (!config_setting_is_list(s) && !(arrays && config_setting_is_array(s)))
		return form_fail(r, s, _("%s must be a list: %s = ( ... );"), name, name);
	*out = s;
	return 0;
}

/* function = "schema.name": both parts identifiers. */
static int form_read_function(struct form_reader *r, const config_setting_t *group,
			      struct mq_form *form)
{
	const config_setting_t *at;
	const char *v, *dot;
	char *schema, *fn;

	if (form_get_string(r, group, "function", true, &v, &at) != 0)
		return -1;
	form->function_line = config_setting_source_line(at);
	dot = strchr(v, '.');
	if (dot == NULL)
		return form_fail(
			r, at,
			_("function must be schema.name, e.g. \"minqing.case_intake\", not "
			  "\"%s\""),
			v);
	schema = xstrndup(v, (size_t)(dot - v));
	fn = xstrdup(dot + 1);
	if (!form_is_identifier(schema) || !form_is_identifier(fn)) {
		free(schema);
		free(fn);
		return form_fail(
			r, at,
			_("function must be schema.name, e.g. \"minqing.case_intake\", not "
			  "\"%s\""),
			v);
	}
	form->schema = schema;
	form->function = fn;
	return 0;
}

/* result = ( "case_id", "case_no" ); */
static int form_read_result(struct form_reader *r, const config_setting_t *group,
			    struct mq_form *form)
{
	const config_setting_t *list;
	int i, n;

	if (form_get_list(r, group, "result", false, true, &list) != 0)
		return -1;
	if (list == NULL)
		return 0;
	form->result_line = config_setting_source_line(list);
	n = config_setting_length(list);
	form->result = xcalloc((size_t)n + 1, sizeof *form->result);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned int)i);
		const char *v;
		size_t k;

		if (config_setting_type(s) != CONFIG_TYPE_STRING)
			return form_fail(r, s, _("%s must be a string in double quotes"), "result");
		v = config_setting_get_string(s);
		if (!form_is_identifier(v))
			return form_fail(r, s,
					 _("%s \"%s\" is not an identifier: use a-z, 0-9 and _, "
					   "not starting with a digit, at most %d characters"),
					 "result", v, FORM_IDENT_MAX);
		for (k = 0; k < form->nresult; k++) {
			if (strcmp(form->result[k], v) == 0)
				return form_fail(r, s, _("duplicate result column '%s'"), v);
		}
		form->result[form->nresult++] = xstrdup(v);
	}
	return 0;
}

/* Has another field or context entry taken this param? Then fail at s. */
static int form_check_param_unique(struct form_reader *r, const struct mq_form *form,
				   const config_setting_t *s, const char *param, size_t nfields,
				   size_t ncontext)
{
	size_t k;

	for (k = 0; k < ncontext; k++) {
		if (strcmp(form->context[k].param, param) == 0)
			return form_fail(r, s, _("duplicate param '%s' (also at line %d)"), param,
					 form->context[k].line);
	}
	for (k = 0; k < nfields; k++) {
		if (strcmp(form->fields[k].param, param) == 0)
			return form_fail(r, s, _("duplicate param '%s' (also at line %d)"), param,
					 form->fields[k].line);
	}
	return 0;
}

/* context = ( { param = "p_case"; from = "case_id"; } ); */
static int form_read_context(struct form_reader *r, const config_setting_t *group,
			     struct mq_form *form)
{
	const config_setting_t *list;
	int i, n;

	if (form_get_list(r, group, "context", false, false, &list) != 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	form->context = xcalloc((size_t)n + 1, sizeof *form->context);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned int)i), *at;
		struct mq_form_context *cx = &form->context[form->ncontext];
		const char *from, *guess;
		size_t k;
		bool known = false;

		if (!config_setting_is_group(s))
			return form_fail(r, s,
					 _("each context entry is a group: { param = \"p_case\"; "
					   "from = \"case_id\"; }"));
		if (form_check_names(r, s, form_context_settings) != 0)
			return -1;
		cx->line = config_setting_source_line(s);
		if (form_get_identifier(r, s, "param", &cx->param) != 0)
			return -1;
		form->ncontext++;
		if (form_check_param_unique(r, form, config_setting_get_member(s, "param"),
					    cx->param, 0, form->ncontext - 1) != 0)
			return -1;
		if (form_get_string(r, s, "from", true, &from, &at) != 0)
			return -1;
		for (k = 0; form_context_keys[k] != NULL && !known; k++)
			known = strcmp(from, form_context_keys[k]) == 0;
		if (!known) {
			char *list_text = form_join(form_context_keys);

			if ((guess = form_suggest(from, form_context_keys)) != NULL)
				form_fail(r, at,
					  _("unknown context source '%s' (did you mean '%s'?)"),
					  from, guess);
			else
				form_fail(r, at, _("unknown context source '%s' (one of: %s)"),
					  from, list_text);
			free(list_text);
			return -1;
		}
		cx->from = xstrdup(from);
	}
	return 0;
}

/* options = ( { value = "walk_in"; zh = "来访"; en = "Walk-in"; }, ... ); */
static int form_read_options(struct form_reader *r, const config_setting_t *group,
			     struct mq_form_field *f)
{
	const config_setting_t *list;
	int i, n;

	if (form_get_list(r, group, "options", false, false, &list) != 0)
		return -1;
	if (list == NULL)
		return form_fail(r, group, _("a choice field needs options = ( ... );"));
	n = config_setting_length(list);
	if (n == 0)
		return form_fail(r, list, _("options must not be empty"));
	f->options = xcalloc((size_t)n, sizeof *f->options);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned int)i), *at;
		struct mq_form_option *o = &f->options[f->noptions];
		const char *value;
		bool control;

		if (!config_setting_is_group(s))
			return form_fail(r, s,
					 _("each option is a group: { value = \"...\"; zh = "
					   "\"...\"; en = \"...\"; }"));
		if (form_check_names(r, s, form_option_settings) != 0)
			return -1;
		if (form_get_string(r, s, "value", true, &value, &at) != 0)
			return -1;
		if (value[0] == '\0' || form_utf8_chars(value, "", &control) < 0 || control)
			return form_fail(r, at,
					 _("an option's value must be a non-empty line of text"));
		if (mq_form_option_find(f, value) != NULL)
			return form_fail(r, at, _("duplicate option value '%s'"), value);
		o->line = config_setting_source_line(s);
		if (form_get_zh_en(r, s, "option", false, &o->label) != 0)
			return -1;
		o->value = xstrdup(value);
		f->noptions++;
	}
	return 0;
}

/* A setting only some types may have: fail at it when the field is of another type. */
static int form_only_for(struct form_reader *r, const config_setting_t *group, const char *name,
			 bool allowed, const char *types)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL || allowed)
		return 0;
	return form_fail(r, s, _("%s is only for %s fields"), name, types);
}

static int form_read_type(struct form_reader *r, const config_setting_t *group,
			  struct mq_form_field *f)
{
	const config_setting_t *at;
	const char *v, *guess;
	char *list;
	size_t k;

	if (form_get_string(r, group, "type", true, &v, &at) != 0)
		return -1;
	for (k = 0; k < MQ_NITEMS(form_type_names); k++) {
		if (strcmp(v, form_type_names[k]) == 0) {
			f->type = (enum mq_field_type)k;
			return 0;
		}
	}
	{
		const char *names[MQ_NITEMS(form_type_names) + 1];

		memcpy(names, form_type_names, sizeof form_type_names);
		names[MQ_NITEMS(form_type_names)] = NULL;
		list = form_join(names);
		if ((guess = form_suggest(v, names)) != NULL)
			form_fail(r, at, _("unknown field type '%s' (did you mean '%s'?)"), v,
				  guess);
		else
			form_fail(r, at, _("unknown field type '%s' (one of: %s)"), v, list);
	}
	free(list);
	return -1;
}

static int form_read_lookup(struct form_reader *r, const config_setting_t *group,
			    struct mq_form_field *f)
{
	const char *names[MQ_NITEMS(form_lookup_names) + 1];
	const config_setting_t *at;
	const char *v, *guess;
	char *list;
	size_t k;

	if (form_get_string(r, group, "lookup", false, &v, &at) != 0)
		return -1;
	if (v == NULL)
		return form_fail(r, group,
				 _("a lookup field needs lookup = \"KIND\"; (one of: %s)"),
				 "category, unit, staff, resident, household");
	for (k = 0; k < MQ_NITEMS(form_lookup_names); k++) {
		if (strcmp(v, form_lookup_names[k]) == 0) {
			f->lookup = (enum mq_lookup_kind)k;
			return 0;
		}
	}
	memcpy(names, form_lookup_names, sizeof form_lookup_names);
	names[MQ_NITEMS(form_lookup_names)] = NULL;
	list = form_join(names);
	if ((guess = form_suggest(v, names)) != NULL)
		form_fail(r, at, _("unknown lookup kind '%s' (did you mean '%s'?)"), v, guess);
	else
		form_fail(r, at, _("unknown lookup kind '%s' (one of: %s)"), v, list);
	free(list);
	return -1;
}

/* pattern = "...": compiled now, so a bad one is a mistake in the file. */
static int form_read_pattern(struct form_reader *r, const config_setting_t *group,
			     struct mq_form_field *f)
{
	const config_setting_t *at;
	const char *v;
	regex_t *re;
	char err[256];
	int rc;

	if (form_get_string(r, group, "pattern", false, &v, &at) != 0)
		return -1;
	if (v == NULL)
		return 0;
	re = xmalloc(sizeof *re);
	rc = regcomp(re, v, REG_EXTENDED);
	if (rc != 0) {
		regerror(rc, re, err, sizeof err);
		free(re);
		return form_fail(r, at, _("bad regular expression \"%s\": %s"), v, err);
	}
	f->regex = re;
	f->pattern = xstrdup(v);
	return 0;
}

/* min and max of an integer field. */
static int form_read_bounds(struct form_reader *r, const config_setting_t *group,
			    struct mq_form_field *f)
{
	const config_setting_t *smin = config_setting_get_member(group, "min");
	const config_setting_t *smax = config_setting_get_member(group, "max");

	if (smin != NULL) {
		if (form_get_int64(r, smin, "min", &f->min) != 0)
			return -1;
		f->has_min = true;
	}
	if (smax != NULL) {
		if (form_get_int64(r, smax, "max", &f->max) != 0)
			return -1;
		f->has_max = true;
	}
	if (f->has_min && f->has_max && f->min > f->max)
		return form_fail(r, smax, _("max (%lld) is less than min (%lld)"), f->max, f->min);
	return 0;
}

/* default = ...: of the field's own kind, and a value the field accepts. */
static int form_read_default(struct form_reader *r, const config_setting_t *group,
			     struct mq_form_field *f)
{
	const config_setting_t *s = config_setting_get_member(group, "default");
	char *msg = NULL;
	long long n;

	if (s == NULL)
		return 0;
	if (f->type == MQ_FIELD_YESNO) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return form_fail(r, s, _("%s must be true or false"), "default");
		f->default_value = xstrdup(config_setting_get_bool(s) ? "true" : "false");
		return 0;
	}
	if (f->type == MQ_FIELD_INTEGER) {
		if (form_get_int64(r, s, "default", &n) != 0)
			return -1;
		f->default_value = xasprintf("%lld", n);
	} else {
		if (config_setting_type(s) != CONFIG_TYPE_STRING)
			return form_fail(r, s, _("%s must be a string in double quotes"),
					 "default");
		f->default_value = xstrdup(config_setting_get_string(s));
	}
	if (f->default_value[0] == '\0')
		return form_fail(r, s, _("default must not be empty (leave it out instead)"));
	if (mq_field_validate(f, f->default_value, &msg) != 0) {
		form_fail(r, s, _("default \"%s\" is not valid: %s"), f->default_value, msg);
		free(msg);
		return -1;
	}
	return 0;
}

/* One field of fields = ( ... ), into f (already zeroed). */
static int form_read_field(struct form_reader *r, const config_setting_t *s, struct mq_form *form,
			   size_t index, struct mq_form_field *f)
{
	enum mq_field_type t;
	bool typed;
	size_t k;

	f->line = config_setting_source_line(s);
	if (!config_setting_is_group(s))
		return form_fail(r, s,
				 _("each field is a group: { name = \"...\"; param = \"...\"; type "
				   "= \"...\"; label = { ... }; }"));
	if (form_check_names(r, s, form_field_settings) != 0)
		return -1;
	if (form_get_identifier(r, s, "name", &f->name) != 0)
		return -1;
	for (k = 0; k < index; k++) {
		if (strcmp(form->fields[k].name, f->name) == 0)
			return form_fail(r, config_setting_get_member(s, "name"),
					 _("duplicate field name '%s' (also at line %d)"), f->name,
					 form->fields[k].line);
	}
	if (form_get_identifier(r, s, "param", &f->param) != 0)
		return -1;
	if (form_check_param_unique(r, form, config_setting_get_member(s, "param"), f->param, index,
				    form->ncontext) != 0)
		return -1;
	if (form_read_type(r, s, f) != 0)
		return -1;
	t = f->type;
	if (form_get_text(r, s, "label", true, false, &f->label) != 0)
		return -1;
	if (form_get_text(r, s, "help", false, true, &f->help) != 0)
		return -1;

	typed = t == MQ_FIELD_TEXT || t == MQ_FIELD_MULTILINE;
	if (form_only_for(r, s, "height", t == MQ_FIELD_MULTILINE, "multiline") != 0 ||
	    form_only_for(r, s, "max_length", typed, "text and multiline") != 0 ||
	    form_only_for(r, s, "pattern", typed, "text and multiline") != 0 ||
	    form_only_for(r, s, "min", t == MQ_FIELD_INTEGER, "integer") != 0 ||
	    form_only_for(r, s, "max", t == MQ_FIELD_INTEGER, "integer") != 0 ||
	    form_only_for(r, s, "lookup", t == MQ_FIELD_LOOKUP, "lookup") != 0 ||
	    form_only_for(r, s, "options", t == MQ_FIELD_CHOICE, "choice") != 0)
		return -1;

	f->width = form_default_width[t];
	f->height = t == MQ_FIELD_MULTILINE ? 4 : 1;
	f->max_length = form_default_length[t];
	if (form_get_int(r, s, "width", 1, FORM_WIDTH_MAX, &f->width) != 0 ||
	    form_get_int(r, s, "height", 1, FORM_HEIGHT_MAX, &f->height) != 0 ||
	    form_get_int(r, s, "max_length", 1, FORM_LENGTH_MAX, &f->max_length) != 0 ||
	    form_get_bool(r, s, "required", &f->required) != 0 || form_read_pattern(r, s, f) != 0)
		return -1;
	if (t == MQ_FIELD_INTEGER && form_read_bounds(r, s, f) != 0)
		return -1;
	if (t == MQ_FIELD_LOOKUP && form_read_lookup(r, s, f) != 0)
		return -1;
	if (t == MQ_FIELD_CHOICE && form_read_options(r, s, f) != 0)
		return -1;
	return form_read_default(r, s, f);
}

static int form_read_fields(struct form_reader *r, const config_setting_t *group,
			    struct mq_form *form)
{
	const config_setting_t *list;
	int i, n;

	if (form_get_list(r, group, "fields", true, false, &list) != 0)
		return -1;
	n = config_setting_length(list);
	form->fields = xcalloc((size_t)n + 1, sizeof *form->fields);
	for (i = 0; i < n; i++) {
		/* Counted first, so that mq_form_free() frees what a failure left. */
		form->nfields++;
		if (form_read_field(r, config_setting_get_elem(list, (unsigned int)i), form,
				    (size_t)i, &form->fields[i]) != 0)
			return -1;
	}
	return 0;
}

/* The form name of a path: its file name without .form. Caller frees. */
static char *form_name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > strlen(FORM_SUFFIX) && strcmp(base + len - strlen(FORM_SUFFIX), FORM_SUFFIX) == 0)
		len -= strlen(FORM_SUFFIX);
	return xstrndup(base, len);
}

struct mq_form *mq_form_load(const char *path, char **cause)
{
	struct form_reader r = {.path = path, .cause = cause};
	struct mq_form *form;
	const config_setting_t *root, *g = NULL;
	config_t c;
	int rc;

	config_init(&c);
	if (mq_libconfig_read(&c, path, true, cause) != 1) {
		config_destroy(&c);
		return NULL;
	}
	form = xcalloc(1, sizeof *form);
	form->name = form_name_of(path);
	form->path = xstrdup(path);
	root = config_root_setting(&c);
	rc = form_check_names(&r, root, form_root_settings);
	if (rc == 0 && (g = config_setting_get_member(root, "form")) == NULL)
		rc = mq_fail(cause, _("%s:1: the file must define form = { ... };"), path);
	else if (rc == 0 && !config_setting_is_group(g))
		rc = form_fail(&r, g, _("%s must be a group of settings: %s = { ... };"), "form",
			       "form");
	else if (rc == 0) {
		form->line = config_setting_source_line(g);
		if (form_check_names(&r, g, form_settings) != 0 ||
		    form_get_text(&r, g, "title", true, false, &form->title) != 0 ||
		    form_get_text(&r, g, "help", false, true, &form->help) != 0 ||
		    form_read_function(&r, g, form) != 0 || form_read_result(&r, g, form) != 0 ||
		    form_read_context(&r, g, form) != 0 || form_read_fields(&r, g, form) != 0)
			rc = -1;
	}
	config_destroy(&c);
	if (rc != 0) {
		mq_form_free(form);
		return NULL;
	}
	return form;
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

/* --- checking what a person typed ------------------------------------------------------- */

static bool form_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static int form_number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int form_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/* YYYY-MM-DD at s: -1 not that shape, 0 no such date, 1 a real date. */
static int form_date(const char *s)
{
	int y, m, d;

	if (strlen(s) < 10 || !form_all_digits(s, 4) || s[4] != '-' || !form_all_digits(s + 5, 2) ||
	    s[7] != '-' || !form_all_digits(s + 8, 2))
		return -1;
	y = form_number(s, 4);
	m = form_number(s + 5, 2);
	d = form_number(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > form_days_in_month(y, m))
		return 0;
	return 1;
}

static int form_validate_date(const char *v, bool with_time, char **msg)
{
	const char *shape = with_time ? _("not a date and time: use YYYY-MM-DD HH:MM")
				      : _("not a date: use YYYY-MM-DD");
	int rc;

	if (strlen(v) != (with_time ? 16u : 10u) || (with_time && v[10] != ' '))
		return mq_fail(msg, "%s", shape);
	rc = form_date(v);
	if (rc < 0)
		return mq_fail(msg, "%s", shape);
	if (rc == 0)
		return mq_fail(msg, _("no such date: %.10s"), v);
	if (!with_time)
		return 0;
	if (!form_all_digits(v + 11, 2) || v[13] != ':' || !form_all_digits(v + 14, 2))
		return mq_fail(msg, "%s", shape);
	if (form_number(v + 11, 2) > 23 || form_number(v + 14, 2) > 59)
		return mq_fail(msg, _("no such time: %s"), v + 11);
	return 0;
}

static int form_validate_integer(const struct mq_form_field *f, const char *v, char **msg)
{
	const char *digits = v + (v[0] == '-' || v[0] == '+');
	long long n;
	char *end;

	if (digits[0] == '\0' || !form_all_digits(digits, strlen(digits)))
		return mq_fail(msg, _("not a whole number"));
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno == ERANGE)
		return mq_fail(msg, _("too large a number"));
	if (f->has_min && n < f->min)
		return mq_fail(msg, _("must be at least %lld"), f->min);
	if (f->has_max && n > f->max)
		return mq_fail(msg, _("must be at most %lld"), f->max);
	return 0;
}

/* GB 11643: 17 digits weighted 2^(17-i) mod 11, check character "10X98765432"[sum % 11]. */
static int form_validate_idcard(const char *v, char **msg)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int i, sum = 0;

	if (strlen(v) != 18 || !form_all_digits(v, 17) ||
	    !((v[17] >= '0' && v[17] <= '9') || v[17] == 'X'))
		return mq_fail(msg, _("not a resident ID number: 17 digits and a check character "
				      "(0-9 or upper-case X)"));
	for (i = 0; i < 17; i++)
		sum += (v[i] - '0') * weight[i];
	if ("10X98765432"[sum % 11] != v[17])
		return mq_fail(msg, _("the ID number's check character does not match: a digit "
				      "is probably mistyped"));
	return 0;
}

static int form_validate_lookup(const struct mq_form_field *f, const char *v, char **msg)
{
	size_t i, len = strlen(v);

	switch (f->lookup) {
	case MQ_LOOKUP_CATEGORY:
	case MQ_LOOKUP_RESIDENT:
	case MQ_LOOKUP_HOUSEHOLD:
		if (len == 0 || len > 18 || !form_all_digits(v, len) || strspn(v, "0") == len)
			return mq_fail(msg, _("not a valid record number"));
		return 0;
	case MQ_LOOKUP_UNIT:
	case MQ_LOOKUP_STAFF:
		for (i = 0; i < len; i++) {
			if ((unsigned char)v[i] <= ' ' || v[i] == 0x7F)
				break;
		}
		if (len == 0 || len > FORM_IDENT_MAX || i < len)
			return mq_fail(msg, f->lookup == MQ_LOOKUP_UNIT ? _("not a valid unit code")
									: _("not a valid login"));
		return 0;
	}
	fatal("field %s has an unknown lookup kind %d", f->name, (int)f->lookup);
}

int mq_field_validate(const struct mq_form_field *f, const char *v, char **msg)
{
	bool control;
	long chars;

	if (v == NULL)
		v = "";
	if (form_blank(v)) {
		if (f->required)
			return mq_fail(msg, _("required"));
		if (v[0] == '\0')
			return 0;
	}
	chars = form_utf8_chars(v, f->type == MQ_FIELD_MULTILINE ? "\n\t" : "", &control);
	if (chars < 0)
		return mq_fail(msg, _("not valid UTF-8 text"));
	if (control)
		return mq_fail(msg, strchr(v, '\n') != NULL
					    ? _("must be one line")
					    : _("must not contain control characters"));
	/* The other types have a format, checked below, which says more. */
	if ((f->type == MQ_FIELD_TEXT || f->type == MQ_FIELD_MULTILINE) && chars > f->max_length)
		return mq_fail(msg, _("at most %d characters (this has %ld)"), f->max_length,
			       chars);

	switch (f->type) {
	case MQ_FIELD_TEXT:
	case MQ_FIELD_MULTILINE:
		break;
	case MQ_FIELD_INTEGER:
		return form_validate_integer(f, v, msg);
	case MQ_FIELD_DATE:
		return form_validate_date(v, false, msg);
	case MQ_FIELD_DATETIME:
		return form_validate_date(v, true, msg);
	case MQ_FIELD_PHONE:
		if (strlen(v) != 11 || !form_all_digits(v, 11) || v[0] != '1' || v[1] < '3')
			return mq_fail(msg, _("not a mobile number: 11 digits starting with 13 to "
					      "19"));
		return 0;
	case MQ_FIELD_IDCARD:
		return form_validate_idcard(v, msg);
	case MQ_FIELD_CHOICE:
		if (mq_form_option_find(f, v) == NULL)
			return mq_fail(msg, _("not one of the choices"));
		return 0;
	case MQ_FIELD_LOOKUP:
		return form_validate_lookup(f, v, msg);
	case MQ_FIELD_YESNO:
		if (mq_yesno_parse(v) < 0)
			return mq_fail(msg, _("answer yes or no"));
		return 0;
	}
	if (f->regex != NULL) {
		regmatch_t m;

		/* The whole value must match, not a part of it. */
		if (regexec(f->regex, v, 1, &m, 0) != 0 || m.rm_so != 0 ||
		    (size_t)m.rm_eo != strlen(v))
			return mq_fail(msg, _("not in the required form (%s)"), f->pattern);
	}
	return 0;
}

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

/* --- checking against the database ------------------------------------------------------- */

/* One parameter (or output column) of a function, from pg_proc. */
struct lint_arg {
	const char *name; /* "" when unnamed */
	char mode;        /* i, o, b (inout), v (variadic), t (table column) */
	bool has_default;
	unsigned int type;   /* pg_type oid */
	const char *typname; /* format_type() */
	char category;       /* typcategory of the type (of the base type of a domain) */
};

/* One overload: its rows of the catalog query. */
struct lint_proc {
	const char *signature; /* regprocedure text */
	const char *oid;
	struct lint_arg *args;
	size_t nargs;
	char rettype;   /* typtype of the return type */
	bool composite; /* returns a table's or a composite type's row */
	bool isvoid;
};

struct lint {
	struct mq_db *db;
	const struct mq_form *form;
	char **cause;
	char *fn; /* schema.function */
};

static bool lint_is_input(char mode)
{
	return mode == 'i' || mode == 'b' || mode == 'v';
}

static bool lint_is_output(char mode)
{
	return mode == 'o' || mode == 'b' || mode == 't';
}

static int lint_fail_line(struct lint *l, int line, const char *fmt, ...) MQ_PRINTF(3, 4);

static int lint_fail_line(struct lint *l, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	mq_fail(l->cause, "%s:%d: %s", l->form->path, line > 0 ? line : 1, msg);
	free(msg);
	return -1;
}

/* A failed query: the server's words and SQLSTATE, or the connection's. Clears err. */
static int lint_fail_query(struct lint *l, struct mq_db_error *err)
{
	char *text = mq_db_error_text(err);

	text[strcspn(text, "\n")] = '\0';
	mq_fail(l->cause, _("%s: cannot check the form against the database: %s"), l->form->path,
		text);
	free(text);
	mq_db_error_clear(err);
	return -1;
}

static const struct lint_arg *lint_find_input(const struct lint_proc *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nargs; i++) {
		if (lint_is_input(p->args[i].mode) && strcmp(p->args[i].name, name) == 0)
			return &p->args[i];
	}
	return NULL;
}

/* Is param given by the form: a field (required only if must_be_required) or context? */
static bool lint_form_gives(const struct mq_form *form, const char *param, bool must_be_required)
{
	size_t i;

	for (i = 0; i < form->ncontext; i++) {
		if (strcmp(form->context[i].param, param) == 0)
			return true;
	}
	for (i = 0; i < form->nfields; i++) {
		if (strcmp(form->fields[i].param, param) == 0)
			return !must_be_required || form->fields[i].required;
	}
	return false;
}

/* Does p take every param of the form by name, and get every one it has no default for? */
static bool lint_proc_matches(const struct mq_form *form, const struct lint_proc *p)
{
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		if (lint_find_input(p, form->fields[i].param) == NULL)
			return false;
	}
	for (i = 0; i < form->ncontext; i++) {
		if (lint_find_input(p, form->context[i].param) == NULL)
			return false;
	}
	for (i = 0; i < p->nargs; i++) {
		if (lint_is_input(p->args[i].mode) && !p->args[i].has_default &&
		    (p->args[i].name[0] == '\0' || !lint_form_gives(form, p->args[i].name, false)))
			return false;
	}
	return true;
}

/* A param the only overload does not take: say why, at line. */
static int lint_not_a_param(struct lint *l, const struct lint_proc *p, const char *param, int line)
{
	const char **names = xcalloc(p->nargs + 1, sizeof *names);
	const char *guess;
	size_t i, n = 0;
	char *list;
	int rc;

	for (i = 0; i < p->nargs; i++) {
		if (strcmp(p->args[i].name, param) == 0 && lint_is_output(p->args[i].mode)) {
			free(names);
			return lint_fail_line(l, line,
					      _("%s is an output column of %s, not a parameter"),
					      param, l->fn);
		}
		if (lint_is_input(p->args[i].mode) && p->args[i].name[0] != '\0')
			names[n++] = p->args[i].name;
	}
	guess = form_suggest(param, names);
	list = form_join(names);
	if (guess != NULL)
		rc = lint_fail_line(l, line, _("%s is not a parameter of %s (did you mean %s?)"),
				    param, l->fn, guess);
	else
		rc = lint_fail_line(l, line, _("%s is not a parameter of %s (its parameters: %s)"),
				    param, l->fn, list[0] != '\0' ? list : "-");
	free(list);
	free(names);
	return rc;
}

/* Why the only overload does not fit the form: the first reason, at its line. */
static int lint_explain_mismatch(struct lint *l, const struct lint_proc *p)
{
	const struct mq_form *form = l->form;
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		if (lint_find_input(p, form->fields[i].param) == NULL)
			return lint_not_a_param(l, p, form->fields[i].param, form->fields[i].line);
	}
	for (i = 0; i < form->ncontext; i++) {
		if (lint_find_input(p, form->context[i].param) == NULL)
			return lint_not_a_param(l, p, form->context[i].param,
						form->context[i].line);
	}
	for (i = 0; i < p->nargs; i++) {
		const struct lint_arg *a = &p->args[i];

		if (!lint_is_input(a->mode) || a->has_default)
			continue;
		if (a->name[0] == '\0')
			return lint_fail_line(l, form->function_line,
					      _("%s has a parameter without a name and without a "
						"default: a form cannot call it"),
					      p->signature);
		if (!lint_form_gives(form, a->name, false))
			return lint_fail_line(
				l, form->function_line,
				_("parameter %s of %s has no default, and no field or "
				  "context entry gives it"),
				a->name, l->fn);
	}
	return lint_fail_line(l, form->function_line, _("%s does not fit the form"), p->signature);
}

/* Which typcategory a field type needs of its parameter; 0 = any. */
static char lint_category_for(const struct mq_form_field *f)
{
	switch (f->type) {
	case MQ_FIELD_TEXT:
	case MQ_FIELD_MULTILINE:
	case MQ_FIELD_PHONE:
	case MQ_FIELD_IDCARD:
		return 'S';
	case MQ_FIELD_INTEGER:
		return 'N';
	case MQ_FIELD_DATE:
	case MQ_FIELD_DATETIME:
		return 'D';
	case MQ_FIELD_YESNO:
		return 'B';
	case MQ_FIELD_CHOICE:
		return 0;
	case MQ_FIELD_LOOKUP:
		return f->lookup == MQ_LOOKUP_UNIT || f->lookup == MQ_LOOKUP_STAFF ? 'S' : 'N';
	}
	return 0;
}

/*
 * Is value a valid input of the type (its input function, and a domain's
 * checks)? 1 yes, 0 no with *why (caller frees), -1 the query failed.
 */
static int lint_value_ok(struct lint *l, unsigned int type, const char *value, char **why)
{
	bool in_tx = mq_db_in_transaction(l->db);
	const char *params[1] = {value};
	const unsigned int types[1] = {type};
	struct mq_db_error err;
	PGresult *res;
	int rc;

	*why = NULL;
	if (in_tx && mq_db_exec(l->db, &err, "SAVEPOINT mq_form_lint", 0, NULL) != 0)
		return lint_fail_query(l, &err);
	res = mq_db_query_typed(l->db, &err, "SELECT $1", 1, types, params);
	if (res != NULL)
		rc = 1;
	else if (strncmp(err.sqlstate, "22", 2) == 0 || strncmp(err.sqlstate, "23", 2) == 0) {
		*why = xstrdup(err.message != NULL ? err.message : err.sqlstate);
		mq_db_error_clear(&err);
		rc = 0;
	} else
		rc = lint_fail_query(l, &err);
	PQclear(res);
	if (in_tx && mq_db_exec(l->db, &err, "ROLLBACK TO SAVEPOINT mq_form_lint", 0, NULL) != 0)
		mq_db_error_clear(&err); /* the connection's state says the rest */
	return rc;
}

/* Types, options and defaults of the fields against the parameters of p. */
static int lint_fields(struct lint *l, const struct lint_proc *p)
{
	const struct mq_form *form = l->form;
	size_t i, k;

	for (i = 0; i < form->nfields; i++) {
		const struct mq_form_field *f = &form->fields[i];
		const struct lint_arg *a = lint_find_input(p, f->param);
		char need = lint_category_for(f), *why;
		int ok;

		if (!a->has_default && !f->required)
			return lint_fail_line(
				l, f->line,
				_("field %s is optional, but parameter %s of %s has no "
				  "default: make the field required"),
				f->name, f->param, l->fn);
		if (need != 0 && a->category != need)
			return lint_fail_line(
				l, f->line, _("field %s is %s, but parameter %s of %s is %s"),
				f->name, form_type_names[f->type], f->param, l->fn, a->typname);
		for (k = 0; k < f->noptions; k++) {
			ok = lint_value_ok(l, a->type, f->options[k].value, &why);
			if (ok < 0)
				return -1;
			if (ok == 0) {
				lint_fail_line(
					l, f->options[k].line,
					_("option \"%s\" is not a valid %s for parameter %s: "
					  "%s"),
					f->options[k].value, a->typname, f->param, why);
				free(why);
				return -1;
			}
		}
		if (f->default_value != NULL) {
			ok = lint_value_ok(l, a->type, f->default_value, &why);
			if (ok < 0)
				return -1;
			if (ok == 0) {
				lint_fail_line(
					l, f->line,
					_("default \"%s\" is not a valid %s for parameter %s: "
					  "%s"),
					f->default_value, a->typname, f->param, why);
				free(why);
				return -1;
			}
		}
	}
	return 0;
}

/* The result columns against what p returns. */
static int lint_result(struct lint *l, const struct lint_proc *p)
{
	const struct mq_form *form = l->form;
	const char **cols;
	size_t i, k, n = 0;
	PGresult *res = NULL;
	char *list;
	int rc = 0;

	if (form->nresult == 0)
		return 0;
	cols = xcalloc(p->nargs + 2, sizeof *cols);
	for (i = 0; i < p->nargs; i++) {
		if (lint_is_output(p->args[i].mode))
			cols[n++] = p->args[i].name;
	}
	if (n == 0 && p->composite) {
		const char *params[1] = {p->oid};

		struct mq_db_error err;

		res = mq_db_query(l->db, &err,
				  "SELECT a.attname FROM pg_catalog.pg_proc p "
				  "JOIN pg_catalog.pg_type t ON t.oid = p.prorettype "
				  "JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid "
				  "WHERE p.oid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
				  "ORDER BY a.attnum",
				  1, params);
		if (res == NULL) {
			free(cols);
			return lint_fail_query(l, &err);
		}
		cols = xrealloc(cols, ((size_t)PQntuples(res) + 1) * sizeof *cols);
		for (k = 0; k < (size_t)PQntuples(res); k++)
			cols[n++] = mq_db_field(res, (int)k, "attname");
	} else if (n == 0 && p->rettype == 'p' && !p->isvoid) {
		rc = lint_fail_line(l, form->result_line,
				    _("%s returns a record without named columns: the form cannot "
				      "name result columns"),
				    p->signature);
	} else if (n == 0 && !p->isvoid) {
		cols[n++] = form->function; /* a scalar: the column is named after the function */
	}
	cols[n] = NULL;
	for (i = 0; rc == 0 && i < form->nresult; i++) {
		bool found = false;

		for (k = 0; k < n && !found; k++)
			found = strcmp(cols[k], form->result[i]) == 0;
		if (found)
			continue;
		list = form_join(cols);
		rc = lint_fail_line(l, form->result_line,
				    _("%s is not a result column of %s (its columns: %s)"),
				    form->result[i], l->fn, list[0] != '\0' ? list : "-");
		free(list);
	}
	PQclear(res);
	free(cols);
	return rc;
}

/* Group the rows of the catalog query by overload. */
static struct lint_proc *lint_procs(PGresult *res, size_t *nprocs)
{
	int rows = PQntuples(res), row;
	struct lint_proc *procs = xcalloc((size_t)rows + 1, sizeof *procs);
	size_t n = 0;

	for (row = 0; row < rows; row++) {
		struct lint_proc *p;
		struct lint_arg *a;

		if (n == 0 || strcmp(procs[n - 1].oid, mq_db_field(res, row, "oid")) != 0) {
			p = &procs[n++];
			p->signature = mq_db_field(res, row, "signature");
			p->oid = mq_db_field(res, row, "oid");
			p->rettype = mq_db_field(res, row, "rettype")[0];
			p->composite = strcmp(mq_db_field(res, row, "composite"), "t") == 0;
			p->isvoid = strcmp(mq_db_field(res, row, "isvoid"), "t") == 0;
			p->args = xcalloc((size_t)rows, sizeof *p->args);
		}
		p = &procs[n - 1];
		if (PQgetisnull(res, row, mq_db_col(res, "ord")))
			continue; /* no parameters at all */
		a = &p->args[p->nargs++];
		a->name = mq_db_field(res, row, "name");
		a->mode = mq_db_field(res, row, "mode")[0];
		a->has_default = strcmp(mq_db_field(res, row, "has_default"), "t") == 0;
		a->type = (unsigned int)strtoul(mq_db_field(res, row, "type"), NULL, 10);
		a->typname = mq_db_field(res, row, "typname");
		a->category = mq_db_field(res, row, "category")[0];
	}
	*nprocs = n;
	return procs;
}

/*
 * Every overload of schema.function with one row per argument (in order;
 * one row of NULLs for a function without any): name, mode, whether it has
 * a default (the last pronargdefaults inputs do), type and its category
 * (a domain's base type's), and what the function returns.
 */
#define LINT_CATALOG_QUERY                                                                         \
	"SELECT p.oid::pg_catalog.regprocedure::text AS signature, p.oid::text AS oid, "           \
	"       a.ord, coalesce(a.name, '') AS name, coalesce(a.mode, 'i') AS mode, "              \
	"       CASE WHEN coalesce(a.mode, 'i') IN ('i', 'b', 'v') THEN "                          \
	"            count(*) FILTER (WHERE coalesce(a.mode, 'i') IN ('i', 'b', 'v')) "            \
	"                 OVER (PARTITION BY p.oid ORDER BY a.ord) "                               \
	"            > p.pronargs - p.pronargdefaults ELSE false END AS has_default, "             \
	"       a.type::text AS type, pg_catalog.format_type(a.type, NULL) AS typname, "           \
	"       coalesce(b.typcategory, t.typcategory)::text AS category, "                        \
	"       r.typtype::text AS rettype, r.typrelid <> 0 AS composite, "                        \
	"       p.prorettype = 'pg_catalog.void'::pg_catalog.regtype::oid AS isvoid "              \
	"  FROM pg_catalog.pg_proc p "                                                             \
	"  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "                              \
	"  JOIN pg_catalog.pg_type r ON r.oid = p.prorettype "                                     \
	"  LEFT JOIN LATERAL ROWS FROM ("                                                          \
	"            pg_catalog.unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])), "        \
	"            pg_catalog.unnest(p.proargnames), pg_catalog.unnest(p.proargmodes)) "         \
	"       WITH ORDINALITY AS a(type, name, mode, ord) ON true "                              \
	"  LEFT JOIN pg_catalog.pg_type t ON t.oid = a.type "                                      \
	"  LEFT JOIN pg_catalog.pg_type b ON b.oid = nullif(t.typbasetype, 0) "                    \
	" WHERE n.nspname = $1 AND p.proname = $2 AND p.prokind = 'f' "                            \
	" ORDER BY p.oid, a.ord"

int mq_form_lint_db(struct mq_db *db, const struct mq_form *form, char **cause)
{
	struct lint l = {.db = db, .form = form, .cause = cause};
	struct mq_db_error err;
	const char *params[2] = {form->schema, form->function};
	const struct lint_proc *match = NULL;
	struct lint_proc *procs;
	size_t nprocs, nmatch = 0, i;
	PGresult *res;
	int rc;

	l.fn = xasprintf("%s.%s", form->schema, form->function);
	res = mq_db_query(db, &err, LINT_CATALOG_QUERY, 2, params);
	if (res == NULL) {
		rc = lint_fail_query(&l, &err);
		free(l.fn);
		return rc;
	}
	procs = lint_procs(res, &nprocs);
	for (i = 0; i < nprocs; i++) {
		if (lint_proc_matches(form, &procs[i])) {
			match = &procs[i];
			nmatch++;
		}
	}
	if (nprocs == 0)
		rc = lint_fail_line(&l, form->function_line,
				    _("function %s does not exist in the database"), l.fn);
	else if (nmatch == 0 && nprocs == 1)
		rc = lint_explain_mismatch(&l, &procs[0]);
	else if (nmatch == 0)
		rc = lint_fail_line(&l, form->function_line,
				    _("none of the %zu functions called %s takes the form's "
				      "parameters"),
				    nprocs, l.fn);
	else if (nmatch > 1)
		rc = lint_fail_line(&l, form->function_line,
				    _("%zu functions called %s take the form's parameters: a call "
				      "could not choose between them"),
				    nmatch, l.fn);
	else if ((rc = lint_fields(&l, match)) == 0)
		rc = lint_result(&l, match);
	for (i = 0; i < nprocs; i++)
		free(procs[i].args);
	free(procs);
	PQclear(res);
	free(l.fn);
	return rc;
}
