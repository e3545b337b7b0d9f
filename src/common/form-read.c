/*
 * Reading a form file (include/mq/form.h, docs/forms.md).
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

#include "mq/cfgread.h"
#include "mq/common.h"
#include "mq/config.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "form-internal.h"

/* clang-format off */
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
/* clang-format on */

/* The settings each group may hold; anything else is a mistake. */
static const char *const form_root_settings[] = {"form", NULL};
static const char *const form_settings[] = {"title", "help",    "function", "result",
					    "offer", "context", "fields",   NULL};
static const char *const form_context_settings[] = {"param", "from", NULL};
static const char *const form_option_settings[] = {"value", "zh", "en", NULL};
static const char *const form_field_settings[] = {
	"name",     "param",   "type",    "label", "help", "width",  "height",  "max_length",
	"required", "pattern", "default", "min",   "max",  "lookup", "options", NULL};

/* --- reading a file -------------------------------------------------------------------- */

/* The file being read and where its first mistake goes. */
/* The checked reading of libconfig groups is mq/cfgread.h's, shared with the view files. */

/* function = "schema.name": both parts identifiers. */
static int form_read_function(struct mq_cfg_reader *r, const config_setting_t *group,
			      struct mq_form *form)
{
	const config_setting_t *at;
	const char *v, *dot;
	char *schema, *fn;

	if (mq_cfg_string(r, group, "function", true, &v, &at) != 0)
		return -1;
	form->function_line = config_setting_source_line(at);
	dot = strchr(v, '.');
	if (dot == NULL)
		return mq_cfg_fail(
			r, at,
			_("function must be schema.name, e.g. \"minqing.case_intake\", not "
			  "\"%s\""),
			v);
	schema = xstrndup(v, (size_t)(dot - v));
	fn = xstrdup(dot + 1);
	if (!mq_cfg_is_identifier(schema) || !mq_cfg_is_identifier(fn)) {
		free(schema);
		free(fn);
		return mq_cfg_fail(
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
static int form_read_result(struct mq_cfg_reader *r, const config_setting_t *group,
			    struct mq_form *form)
{
	const config_setting_t *list;
	int i, n;

	if (mq_cfg_list(r, group, "result", false, true, &list) != 0)
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
			return mq_cfg_fail(r, s, _("%s must be a string in double quotes"),
					   "result");
		v = config_setting_get_string(s);
		if (!mq_cfg_is_identifier(v))
			return mq_cfg_fail(r, s,
					   _("%s \"%s\" is not an identifier: use a-z, 0-9 and _, "
					     "not starting with a digit, at most %d characters"),
					   "result", v, FORM_IDENT_MAX);
		for (k = 0; k < form->nresult; k++) {
			if (strcmp(form->result[k], v) == 0)
				return mq_cfg_fail(r, s, _("duplicate result column '%s'"), v);
		}
		form->result[form->nresult++] = xstrdup(v);
	}
	return 0;
}

/* Has another field or context entry taken this param? Then fail at s. */
static int form_check_param_unique(struct mq_cfg_reader *r, const struct mq_form *form,
				   const config_setting_t *s, const char *param, size_t nfields,
				   size_t ncontext)
{
	size_t k;

	for (k = 0; k < ncontext; k++) {
		if (strcmp(form->context[k].param, param) == 0)
			return mq_cfg_fail(r, s, _("duplicate param '%s' (also at line %d)"), param,
					   form->context[k].line);
	}
	for (k = 0; k < nfields; k++) {
		if (strcmp(form->fields[k].param, param) == 0)
			return mq_cfg_fail(r, s, _("duplicate param '%s' (also at line %d)"), param,
					   form->fields[k].line);
	}
	return 0;
}

/* context = ( { param = "p_case"; from = "case_id"; } ); */
static int form_read_context(struct mq_cfg_reader *r, const config_setting_t *group,
			     struct mq_form *form)
{
	const config_setting_t *list;
	int i, n;

	if (mq_cfg_list(r, group, "context", false, false, &list) != 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	form->context = xcalloc((size_t)n + 1, sizeof *form->context);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned int)i), *at;
		struct mq_form_context *cx = &form->context[form->ncontext];
		const char *from, *guess;
		bool known;

		if (!config_setting_is_group(s))
			return mq_cfg_fail(r, s,
					   _("each context entry is a group: { param = \"p_case\"; "
					     "from = \"case_id\"; }"));
		if (mq_cfg_check_names(r, s, form_context_settings) != 0)
			return -1;
		cx->line = config_setting_source_line(s);
		if (mq_cfg_identifier(r, s, "param", true, &cx->param) != 0)
			return -1;
		form->ncontext++;
		if (form_check_param_unique(r, form, config_setting_get_member(s, "param"),
					    cx->param, 0, form->ncontext - 1) != 0)
			return -1;
		if (mq_cfg_string(r, s, "from", true, &from, &at) != 0)
			return -1;
		known = mq_form_context_known(from);
		if (!known) {
			char *list_text = form_join(mq_form_context_sources);

			if ((guess = mq_cfg_suggest(from, mq_form_context_sources)) != NULL)
				mq_cfg_fail(r, at,
					    _("unknown context source '%s' (did you mean '%s'?)"),
					    from, guess);
			else
				mq_cfg_fail(r, at, _("unknown context source '%s' (one of: %s)"),
					    from, list_text);
			free(list_text);
			return -1;
		}
		cx->from = xstrdup(from);
	}
	return 0;
}

/* options = ( { value = "walk_in"; zh = "来访"; en = "Walk-in"; }, ... ); */
static int form_read_options(struct mq_cfg_reader *r, const config_setting_t *group,
			     struct mq_form_field *f)
{
	const config_setting_t *list;
	int i, n;

	if (mq_cfg_list(r, group, "options", false, false, &list) != 0)
		return -1;
	if (list == NULL)
		return mq_cfg_fail(r, group, _("a choice field needs options = ( ... );"));
	n = config_setting_length(list);
	if (n == 0)
		return mq_cfg_fail(r, list, _("options must not be empty"));
	f->options = xcalloc((size_t)n, sizeof *f->options);
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned int)i), *at;
		struct mq_form_option *o = &f->options[f->noptions];
		const char *value;
		bool control;

		if (!config_setting_is_group(s))
			return mq_cfg_fail(r, s,
					   _("each option is a group: { value = \"...\"; zh = "
					     "\"...\"; en = \"...\"; }"));
		if (mq_cfg_check_names(r, s, form_option_settings) != 0)
			return -1;
		if (mq_cfg_string(r, s, "value", true, &value, &at) != 0)
			return -1;
		if (value[0] == '\0' || form_utf8_chars(value, "", &control) < 0 || control)
			return mq_cfg_fail(r, at,
					   _("an option's value must be a non-empty line of text"));
		if (mq_form_option_find(f, value) != NULL)
			return mq_cfg_fail(r, at, _("duplicate option value '%s'"), value);
		o->line = config_setting_source_line(s);
		if (mq_cfg_zh_en(r, s, "option", false, &o->label) != 0)
			return -1;
		o->value = xstrdup(value);
		f->noptions++;
	}
	return 0;
}

/* A setting only some types may have: fail at it when the field is of another type. */
static int form_only_for(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
			 bool allowed, const char *types)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL || allowed)
		return 0;
	return mq_cfg_fail(r, s, _("%s is only for %s fields"), name, types);
}

static int form_read_type(struct mq_cfg_reader *r, const config_setting_t *group,
			  struct mq_form_field *f)
{
	const config_setting_t *at;
	const char *v, *guess;
	char *list;
	size_t k;

	if (mq_cfg_string(r, group, "type", true, &v, &at) != 0)
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
		if ((guess = mq_cfg_suggest(v, names)) != NULL)
			mq_cfg_fail(r, at, _("unknown field type '%s' (did you mean '%s'?)"), v,
				    guess);
		else
			mq_cfg_fail(r, at, _("unknown field type '%s' (one of: %s)"), v, list);
	}
	free(list);
	return -1;
}

static int form_read_lookup(struct mq_cfg_reader *r, const config_setting_t *group,
			    struct mq_form_field *f)
{
	const char *names[MQ_NITEMS(form_lookup_names) + 1];
	const config_setting_t *at;
	const char *v, *guess;
	char *list;
	size_t k;

	if (mq_cfg_string(r, group, "lookup", false, &v, &at) != 0)
		return -1;
	for (k = 0; v != NULL && k < MQ_NITEMS(form_lookup_names); k++) {
		if (strcmp(v, form_lookup_names[k]) == 0) {
			f->lookup = (enum mq_lookup_kind)k;
			return 0;
		}
	}
	memcpy(names, form_lookup_names, sizeof form_lookup_names);
	names[MQ_NITEMS(form_lookup_names)] = NULL;
	list = form_join(names);
	if (v == NULL)
		mq_cfg_fail(r, group, _("a lookup field needs lookup = \"KIND\"; (one of: %s)"),
			    list);
	else if ((guess = mq_cfg_suggest(v, names)) != NULL)
		mq_cfg_fail(r, at, _("unknown lookup kind '%s' (did you mean '%s'?)"), v, guess);
	else
		mq_cfg_fail(r, at, _("unknown lookup kind '%s' (one of: %s)"), v, list);
	free(list);
	return -1;
}

/* pattern = "...": compiled now, so a bad one is a mistake in the file. */
static int form_read_pattern(struct mq_cfg_reader *r, const config_setting_t *group,
			     struct mq_form_field *f)
{
	const config_setting_t *at;
	const char *v;
	regex_t *re;
	char err[256];
	int rc;

	if (mq_cfg_string(r, group, "pattern", false, &v, &at) != 0)
		return -1;
	if (v == NULL)
		return 0;
	re = xmalloc(sizeof *re);
	rc = regcomp(re, v, REG_EXTENDED);
	if (rc != 0) {
		regerror(rc, re, err, sizeof err);
		free(re);
		return mq_cfg_fail(r, at, _("bad regular expression \"%s\": %s"), v, err);
	}
	f->regex = re;
	f->pattern = xstrdup(v);
	return 0;
}

/* min and max of an integer field. */
static int form_read_bounds(struct mq_cfg_reader *r, const config_setting_t *group,
			    struct mq_form_field *f)
{
	const config_setting_t *smin = config_setting_get_member(group, "min");
	const config_setting_t *smax = config_setting_get_member(group, "max");

	if (smin != NULL) {
		if (mq_cfg_int64(r, smin, "min", &f->min) != 0)
			return -1;
		f->has_min = true;
	}
	if (smax != NULL) {
		if (mq_cfg_int64(r, smax, "max", &f->max) != 0)
			return -1;
		f->has_max = true;
	}
	if (f->has_min && f->has_max && f->min > f->max)
		return mq_cfg_fail(r, smax, _("max (%lld) is less than min (%lld)"), f->max,
				   f->min);
	return 0;
}

/* default = ...: of the field's own kind, and a value the field accepts. */
static int form_read_default(struct mq_cfg_reader *r, const config_setting_t *group,
			     struct mq_form_field *f)
{
	const config_setting_t *s = config_setting_get_member(group, "default");
	char *msg = NULL;
	long long n;

	if (s == NULL)
		return 0;
	if (f->type == MQ_FIELD_YESNO) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return mq_cfg_fail(r, s, _("%s must be true or false"), "default");
		f->default_value = xstrdup(config_setting_get_bool(s) ? "true" : "false");
		return 0;
	}
	if (f->type == MQ_FIELD_INTEGER) {
		if (mq_cfg_int64(r, s, "default", &n) != 0)
			return -1;
		f->default_value = xasprintf("%lld", n);
	} else {
		if (config_setting_type(s) != CONFIG_TYPE_STRING)
			return mq_cfg_fail(r, s, _("%s must be a string in double quotes"),
					   "default");
		f->default_value = xstrdup(config_setting_get_string(s));
	}
	if (f->default_value[0] == '\0')
		return mq_cfg_fail(r, s, _("default must not be empty (leave it out instead)"));
	if (mq_field_validate(f, f->default_value, &msg) != 0) {
		mq_cfg_fail(r, s, _("default \"%s\" is not valid: %s"), f->default_value, msg);
		free(msg);
		return -1;
	}
	return 0;
}

/* One field of fields = ( ... ), into f (already zeroed). */
static int form_read_field(struct mq_cfg_reader *r, const config_setting_t *s, struct mq_form *form,
			   size_t index, struct mq_form_field *f)
{
	enum mq_field_type t;
	bool typed;
	size_t k;

	f->line = config_setting_source_line(s);
	if (!config_setting_is_group(s))
		return mq_cfg_fail(
			r, s,
			_("each field is a group: { name = \"...\"; param = \"...\"; type "
			  "= \"...\"; label = { ... }; }"));
	if (mq_cfg_check_names(r, s, form_field_settings) != 0)
		return -1;
	if (mq_cfg_identifier(r, s, "name", true, &f->name) != 0)
		return -1;
	for (k = 0; k < index; k++) {
		if (strcmp(form->fields[k].name, f->name) == 0)
			return mq_cfg_fail(r, config_setting_get_member(s, "name"),
					   _("duplicate field name '%s' (also at line %d)"),
					   f->name, form->fields[k].line);
	}
	if (mq_cfg_identifier(r, s, "param", true, &f->param) != 0)
		return -1;
	if (form_check_param_unique(r, form, config_setting_get_member(s, "param"), f->param, index,
				    form->ncontext) != 0)
		return -1;
	if (form_read_type(r, s, f) != 0)
		return -1;
	t = f->type;
	if (mq_cfg_text(r, s, "label", true, false, &f->label) != 0)
		return -1;
	if (mq_cfg_text(r, s, "help", false, true, &f->help) != 0)
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
	if (mq_cfg_int(r, s, "width", 1, FORM_WIDTH_MAX, &f->width) != 0 ||
	    mq_cfg_int(r, s, "height", 1, FORM_HEIGHT_MAX, &f->height) != 0 ||
	    mq_cfg_int(r, s, "max_length", 1, FORM_LENGTH_MAX, &f->max_length) != 0 ||
	    mq_cfg_bool(r, s, "required", &f->required) != 0 || form_read_pattern(r, s, f) != 0)
		return -1;
	if (t == MQ_FIELD_INTEGER && form_read_bounds(r, s, f) != 0)
		return -1;
	if (t == MQ_FIELD_LOOKUP && form_read_lookup(r, s, f) != 0)
		return -1;
	if (t == MQ_FIELD_CHOICE && form_read_options(r, s, f) != 0)
		return -1;
	return form_read_default(r, s, f);
}

/*
 * offer = { screen = "case"; key = "a"; label = { zh; en; }; status = [...];
 * duty = [...]; extension = true; order = 10; };
 */
static int form_read_offer(struct mq_cfg_reader *r, const config_setting_t *group,
			   struct mq_form *form)
{
	static const char *const settings[] = {"screen", "name",      "key",   "label", "status",
					       "duty",   "extension", "order", NULL};
	static const char *const screens[] = {"case", NULL};
	static const char *const statuses[] = {"received",  "accepted", "dispatched", "in_progress",
					       "waiting",   "resolved", "reported",   "closed",
					       "withdrawn", NULL};
	static const char *const duties[] = {"officer", "handler", "supervisor", "admin", NULL};
	const config_setting_t *s = config_setting_get_member(group, "offer"), *at;
	struct mq_form_offer *o;
	char **screen = NULL;
	const char *key;

	if (s == NULL)
		return 0;
	if (!config_setting_is_group(s))
		return mq_cfg_fail(r, s, _("%s must be a group of settings: %s = { ... };"),
				   "offer", "offer");
	if (mq_cfg_check_names(r, s, settings) != 0)
		return -1;
	o = form->offer = xcalloc(1, sizeof *o);
	o->line = config_setting_source_line(s);
	if (mq_cfg_words(r, s, "screen", screens, &screen) != 0)
		return -1;
	if (screen == NULL || screen[1] != NULL) {
		mq_cfg_words_free(screen);
		return mq_cfg_fail(r, s,
				   _("offer.screen is missing: the screen that offers the form"));
	}
	o->screen = screen[0];
	free(screen);
	if (mq_cfg_string(r, s, "key", true, &key, &at) != 0)
		return -1;
	if (key[0] == '\0' || strlen(key) > 16)
		return mq_cfg_fail(r, at, _("%s \"%s\" is not a key name (a, F3, C-f, Enter, ...)"),
				   "key", key);
	o->key = xstrdup(key);
	if (mq_cfg_identifier(r, s, "name", false, &o->name) != 0)
		return -1;
	if (o->name == NULL)
		o->name =
			xstrdup(strncmp(form->name, "case_", 5) == 0 ? form->name + 5 : form->name);
	if (mq_cfg_text(r, s, "label", true, false, &o->label) != 0 ||
	    mq_cfg_words(r, s, "status", statuses, &o->status) != 0 ||
	    mq_cfg_words(r, s, "duty", duties, &o->duty) != 0 ||
	    mq_cfg_bool(r, s, "extension", &o->extension) != 0 ||
	    mq_cfg_int(r, s, "order", 0, 1000, &o->order) != 0)
		return -1;
	if (o->status == NULL)
		return mq_cfg_fail(
			r, s, _("offer.status is missing: the statuses the action applies to"));
	return 0;
}

static int form_read_fields(struct mq_cfg_reader *r, const config_setting_t *group,
			    struct mq_form *form)
{
	const config_setting_t *list;
	int i, n;

	if (mq_cfg_list(r, group, "fields", true, false, &list) != 0)
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
struct mq_form *mq_form_load(const char *path, char **cause)
{
	struct mq_cfg_reader r = {.path = path, .cause = cause};
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
	form->name = mq_cfg_name_of(path, FORM_SUFFIX);
	form->path = xstrdup(path);
	root = config_root_setting(&c);
	rc = mq_cfg_check_names(&r, root, form_root_settings);
	if (rc == 0 && (g = config_setting_get_member(root, "form")) == NULL)
		rc = mq_fail(cause, _("%s:1: the file must define form = { ... };"), path);
	else if (rc == 0 && !config_setting_is_group(g))
		rc = mq_cfg_fail(&r, g, _("%s must be a group of settings: %s = { ... };"), "form",
				 "form");
	else if (rc == 0) {
		form->line = config_setting_source_line(g);
		if (mq_cfg_check_names(&r, g, form_settings) != 0 ||
		    mq_cfg_text(&r, g, "title", true, false, &form->title) != 0 ||
		    mq_cfg_text(&r, g, "help", false, true, &form->help) != 0 ||
		    form_read_function(&r, g, form) != 0 || form_read_result(&r, g, form) != 0 ||
		    form_read_context(&r, g, form) != 0 || form_read_fields(&r, g, form) != 0 ||
		    form_read_offer(&r, g, form) != 0)
			rc = -1;
	}
	config_destroy(&c);
	if (rc != 0) {
		mq_form_free(form);
		return NULL;
	}
	return form;
}
