/*
 * Configuration files: the table of every setting and the reader.
 *
 * mq_settings[] is the single description of the configuration: the reader
 * checks files against it, the defaults come from it, and --help-config
 * prints it. Files are libconfig syntax with one group per dotted prefix:
 *
 *   database = { conninfo = "host=/run/postgresql dbname=minqing"; };
 *   ui = { language = "zh_CN"; color = true; };
 *
 * A file is checked completely before any of it is applied, so a bad file
 * leaves the configuration as it was. Every mistake is reported as
 * "file:line: message" so the person can go straight to it. Passwords are
 * refused wherever they appear: they belong in ~/.pgpass or at the prompt.
 *
 * Files are read with mq_libconfig_read (libconfig-read.c: the checks
 * libconfig 1.5 needs before it sees a file), as form files are.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>
#include <libpq-fe.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/i18n.h"
#include "mq/width.h"

#define CONFIG_SYSTEM_FILE "/etc/minqing/minqing.conf"
#define CONFIG_USER_FILE   "minqing/minqing.conf" /* under ~/.config */

static const char *const config_language_choices[] = {"zh_CN", "en", NULL};
static const char *const config_chart_choices[] = {"auto", "unicode", "ascii", NULL};
static const char *const config_encoding_choices[] = {"UTF-8", "GBK", "GB18030", NULL};

/* clang-format off */
const struct mq_setting mq_settings[] = {
	{
		.name = "database.conninfo",
		.type = MQ_SETTING_STRING,
		.default_value = "",
		.offset = offsetof(struct mq_config, db_conninfo),
		.help = N_("libpq connection string, e.g. \"host=/run/postgresql "
		   "dbname=minqing\"; never a password (use ~/.pgpass)"),
	},
	{
		.name = "database.service",
		.type = MQ_SETTING_STRING,
		.default_value = "",
		.offset = offsetof(struct mq_config, db_service),
		.help = N_("service name in pg_service.conf"),
	},
	{
		.name = "database.connect_timeout",
		.type = MQ_SETTING_INT,
		.default_value = "10",
		.min = 1,
		.max = 300,
		.offset = offsetof(struct mq_config, db_connect_timeout),
		.help = N_("seconds to wait for the database server"),
	},
	{
		.name = "database.report_conninfo",
		.type = MQ_SETTING_STRING,
		.default_value = "",
		.offset = offsetof(struct mq_config, db_report_conninfo),
		.help = N_("where reports are read: a hot standby's libpq connection string "
		   "(host, port, options; the login and password are the main "
		   "connection's); empty: the main connection"),
	},
	{
		.name = "ui.language",
		.type = MQ_SETTING_CHOICE,
		.default_value = "zh_CN",
		.choices = config_language_choices,
		.offset = offsetof(struct mq_config, ui_language),
		.help = N_("language of the screens and messages"),
	},
	{
		.name = "ui.color",
		.type = MQ_SETTING_BOOL,
		.default_value = "true",
		.offset = offsetof(struct mq_config, ui_color),
		.help = N_("use colours (NO_COLOR in the environment turns them off)"),
	},
	{
		.name = "ui.bell",
		.type = MQ_SETTING_BOOL,
		.default_value = "false",
		.offset = offsetof(struct mq_config, ui_bell),
		.help = N_("ring the terminal bell on errors"),
	},
	{
		.name = "ui.charts",
		.type = MQ_SETTING_CHOICE,
		.default_value = "auto",
		.choices = config_chart_choices,
		.offset = offsetof(struct mq_config, ui_charts),
		.help = N_("glyphs of the report charts: unicode blocks, ascii for a font "
		   "without them, auto (ascii on the Linux console)"),
	},
	{
		.name = "forms.dir",
		.type = MQ_SETTING_STRING,
		.default_value = MQ_DATADIR "/forms",
		.offset = offsetof(struct mq_config, forms_dir),
		.help = N_("directory of the form definitions (a program run from its build "
		   "tree reads the source's forms/)"),
	},
	{
		.name = "export.dir",
		.type = MQ_SETTING_STRING,
		.default_value = "",
		.offset = offsetof(struct mq_config, export_dir),
		.help = N_("directory where E writes a list as CSV and text (empty: "
		   "~/minqing-exports)"),
	},
	{
		.name = "export.encoding",
		.type = MQ_SETTING_CHOICE,
		.default_value = "UTF-8",
		.choices = config_encoding_choices,
		.offset = offsetof(struct mq_config, export_encoding),
		.help = N_("encoding of the exported CSV: UTF-8 (with a byte-order mark, "
		   "for Excel), GBK or GB18030 (older Excel and WPS)"),
	},
#define CONFIG_KEY_SETTING(a) \
	{ \
		.name = "keys." #a, \
		.type = MQ_SETTING_STRING, \
		.default_value = "", \
		.offset = offsetof(struct mq_config, keys[MQ_KEY_##a]), \
		.help = N_("another key for this action of the console: F1-F12, C-x, " \
		   "Enter, Tab, BTab, Esc, Up, Down, Left, Right, Home, End, " \
		   "PgUp, PgDn, Delete, Backspace"), \
	},
	MQ_KEY_ACTIONS(CONFIG_KEY_SETTING)
#undef CONFIG_KEY_SETTING
};
/* clang-format on */
const size_t mq_nsettings = MQ_NITEMS(mq_settings);

/* Shown in the TYPE column of the table. */
/* clang-format off */
static const char *const config_type_names[] = {
	[MQ_SETTING_STRING] = N_("string"),
	[MQ_SETTING_INT] = N_("integer"),
	[MQ_SETTING_BOOL] = N_("boolean"),
	[MQ_SETTING_CHOICE] = N_("choice"),
};
/* clang-format on */

static void *config_field(struct mq_config *cfg, const struct mq_setting *st)
{
	return (char *)cfg + st->offset;
}

/* Replace a string field, freeing the previous value. */
static void config_set_string(struct mq_config *cfg, const struct mq_setting *st, const char *value)
{
	char **field = config_field(cfg, st);

	free(*field);
	*field = xstrdup(value);
}

static const struct mq_setting *config_find(const char *name)
{
	size_t i;

	for (i = 0; i < mq_nsettings; i++) {
		if (strcmp(mq_settings[i].name, name) == 0)
			return &mq_settings[i];
	}
	return NULL;
}

/* Is name a group containing settings ("database" for "database.conninfo")? */
static bool config_is_group_name(const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < mq_nsettings; i++) {
		if (strncmp(mq_settings[i].name, name, len) == 0 && mq_settings[i].name[len] == '.')
			return true;
	}
	return false;
}

/* A setting with this last component, to suggest for a misplaced one. */
static const struct mq_setting *config_find_leaf(const char *name)
{
	const char *leaf = strrchr(name, '.');
	size_t i;

	leaf = leaf == NULL ? name : leaf + 1;
	for (i = 0; i < mq_nsettings; i++) {
		const char *dot = strrchr(mq_settings[i].name, '.');

		if (dot != NULL && strcmp(dot + 1, leaf) == 0)
			return &mq_settings[i];
	}
	return NULL;
}

static bool config_name_is_password(const char *name)
{
	char *lower = xstrdup(name), *p;
	bool found;

	for (p = lower; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
	found = strstr(lower, "password") != NULL || strstr(lower, "passwd") != NULL;
	free(lower);
	return found;
}

/* "\"zh_CN\", \"en\"": the allowed values of a choice. Caller frees. */
static char *config_choice_list(const struct mq_setting *st)
{
	size_t i, len = 1;
	char *list;

	for (i = 0; st->choices[i] != NULL; i++)
		len += strlen(st->choices[i]) + 4;
	list = xmalloc(len);
	list[0] = '\0';
	for (i = 0; st->choices[i] != NULL; i++) {
		if (i > 0)
			strcat(list, ", ");
		strcat(list, "\"");
		strcat(list, st->choices[i]);
		strcat(list, "\"");
	}
	return list;
}

/*
 * Set *cause to "file:line: message" and return -1. The message is
 * formatted from fmt (already translated by the caller).
 */
static int config_fail(char **cause, const char *file, int line, const char *fmt, ...)
	MQ_PRINTF(4, 5);

static int config_fail(char **cause, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	mq_fail(cause, "%s:%d: %s", file, line, msg);
	free(msg);
	return -1;
}

static const char *config_password_message(void)
{
	return _("a password does not belong in the configuration file; use ~/.pgpass or let "
		 "the program ask for it");
}

/*
 * Refuse a conninfo that libpq cannot parse or that carries a password; the
 * standby's of the reports (database.report_conninfo) names no login
 * either: the person's own, of the main connection, is used there.
 */
static int config_check_conninfo(const char *name, const char *value, const char *file, int line,
				 char **cause)
{
	PQconninfoOption *opts, *o;
	char *errmsg = NULL;
	bool password = false, user = false;

	opts = PQconninfoParse(value, &errmsg);
	if (opts == NULL) {
		int rc;

		if (errmsg == NULL)
			fatal("out of memory parsing a connection string");
		errmsg[strcspn(errmsg, "\n")] = '\0';
		rc = config_fail(cause, file, line, _("%s is not a valid connection string: %s"),
				 name, errmsg);
		PQfreemem(errmsg);
		return rc;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
			password = true;
		if (strcmp(o->keyword, "user") == 0 && o->val != NULL)
			user = true;
	}
	PQconninfoFree(opts);
	if (password)
		return config_fail(cause, file, line, "%s", config_password_message());
	if (user && strcmp(name, "database.report_conninfo") == 0)
		return config_fail(cause, file, line,
				   _("%s names the standby (host, port, options), not a login: "
				     "reports are read as the person logged in"),
				   name);
	return 0;
}

/* Check the type and value of a known setting. */
static int config_check_value(const struct mq_setting *st, const config_setting_t *s,
			      const char *file, int line, char **cause)
{
	int type = config_setting_type(s);
	long long n;
	const char *str;
	char *list;
	size_t i;

	switch (st->type) {
	case MQ_SETTING_STRING:
		if (type != CONFIG_TYPE_STRING)
			return config_fail(cause, file, line,
					   _("%s must be a string in double quotes"), st->name);
		if (strcmp(st->name, "database.conninfo") == 0 ||
		    strcmp(st->name, "database.report_conninfo") == 0)
			return config_check_conninfo(st->name, config_setting_get_string(s), file,
						     line, cause);
		return 0;
	case MQ_SETTING_INT:
		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			return config_fail(cause, file, line,
					   _("%s must be a whole number from %d to %d"), st->name,
					   st->min, st->max);
		n = type == CONFIG_TYPE_INT ? config_setting_get_int(s)
					    : config_setting_get_int64(s);
		if (n < st->min || n > st->max)
			return config_fail(cause, file, line,
					   _("%s must be from %d to %d, not %lld"), st->name,
					   st->min, st->max, n);
		return 0;
	case MQ_SETTING_BOOL:
		if (type != CONFIG_TYPE_BOOL)
			return config_fail(cause, file, line, _("%s must be true or false"),
					   st->name);
		return 0;
	case MQ_SETTING_CHOICE:
		str = type == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
		for (i = 0; str != NULL && st->choices[i] != NULL; i++) {
			if (strcmp(str, st->choices[i]) == 0)
				return 0;
		}
		list = config_choice_list(st);
		if (str == NULL)
			config_fail(cause, file, line, _("%s must be one of %s"), st->name, list);
		else
			config_fail(cause, file, line, _("%s must be one of %s, not \"%s\""),
				    st->name, list, str);
		free(list);
		return -1;
	}
	fatal("setting %s has an unknown type %d", st->name, (int)st->type);
}

/*
 * Forward: a dotted keys.<name> group is checked as a group.
 */
static int config_check_group(const config_setting_t *group, const char *prefix, const char *path,
			      char **cause);

/*
 * keys.<name> for an action the table does not know: one of a screen built
 * at run time (the console checks the name against its key tables). A
 * string, or a group of them for a dotted name.
 */
static int config_check_key_extra(const config_setting_t *s, const char *name, const char *path,
				  const char *file, int line, char **cause)
{
	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		return 0;
	if (config_setting_is_group(s))
		return config_check_group(s, name, path, cause);
	return config_fail(cause, file, line, _("%s must be a string in double quotes"), name);
}

/*
 * Check every setting in a group, recursively: known names, right types,
 * values in range, no passwords. prefix is the dotted name of the group
 * (NULL for the top level); path is the file read (its @include files are
 * named relative to it).
 */
static int config_check_group(const config_setting_t *group, const char *prefix, const char *path,
			      char **cause)
{
	int i, count = config_setting_length(group);

	for (i = 0; i < count; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned int)i);
		int line = config_setting_source_line(s);
		const struct mq_setting *st, *leaf;
		char *name, *file;
		int rc = 0;

		if (config_setting_name(s) == NULL)
			continue; /* list elements are rejected with their list */
		file = mq_libconfig_file(s, path);
		if (prefix != NULL)
			name = xasprintf("%s.%s", prefix, config_setting_name(s));
		else
			name = xstrdup(config_setting_name(s));

		if (config_name_is_password(name))
			rc = config_fail(cause, file, line, "%s", config_password_message());
		else if ((st = config_find(name)) != NULL)
			rc = config_check_value(st, s, file, line, cause);
		else if (config_is_group_name(name) && config_setting_is_group(s))
			rc = config_check_group(s, name, path, cause);
		else if (strncmp(name, "keys.", 5) == 0)
			rc = config_check_key_extra(s, name, path, file, line, cause);
		else if (config_is_group_name(name))
			rc = config_fail(cause, file, line,
					 _("%s must be a group of settings: %s = { ... };"), name,
					 config_setting_name(s));
		else if ((leaf = config_find_leaf(name)) != NULL)
			rc = config_fail(cause, file, line,
					 _("unknown setting '%s' (did you mean '%s'?)"), name,
					 leaf->name);
		else
			rc = config_fail(cause, file, line, _("unknown setting '%s'"), name);
		free(name);
		free(file);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Keep keys.<name> = "key" of a name the table does not know (later files win). */
static void config_apply_key_extra(struct mq_config *cfg, const config_setting_t *group,
				   const char *prefix)
{
	int i, count = config_setting_length(group);
	size_t k;

	for (i = 0; i < count; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned int)i);
		char *name;

		if (config_setting_name(s) == NULL)
			continue;
		name = xasprintf("%s.%s", prefix, config_setting_name(s));
		if (config_setting_is_group(s))
			config_apply_key_extra(cfg, s, name);
		else if (config_setting_type(s) == CONFIG_TYPE_STRING &&
			 config_find(name) == NULL) {
			for (k = 0; k < cfg->nkey_extra; k++)
				if (strcmp(cfg->key_extra[k].action, name + 5) == 0)
					break;
			if (k == cfg->nkey_extra) {
				cfg->key_extra =
					xrealloc(cfg->key_extra, (k + 1) * sizeof *cfg->key_extra);
				cfg->key_extra[k].action = xstrdup(name + 5);
				cfg->key_extra[k].key = NULL;
				cfg->nkey_extra++;
			}
			free(cfg->key_extra[k].key);
			cfg->key_extra[k].key = xstrdup(config_setting_get_string(s));
		}
		free(name);
	}
}

/* Copy the values of a checked file into cfg. */
static void config_apply(struct mq_config *cfg, const config_t *c)
{
	const config_setting_t *keys;
	size_t i;

	if ((keys = config_lookup(c, "keys")) != NULL && config_setting_is_group(keys))
		config_apply_key_extra(cfg, keys, "keys");

	for (i = 0; i < mq_nsettings; i++) {
		const struct mq_setting *st = &mq_settings[i];
		const config_setting_t *s = config_lookup(c, st->name);

		if (s == NULL)
			continue;
		switch (st->type) {
		case MQ_SETTING_STRING:
		case MQ_SETTING_CHOICE:
			config_set_string(cfg, st, config_setting_get_string(s));
			break;
		case MQ_SETTING_INT:
			if (config_setting_type(s) == CONFIG_TYPE_INT64)
				*(int *)config_field(cfg, st) = (int)config_setting_get_int64(s);
			else
				*(int *)config_field(cfg, st) = config_setting_get_int(s);
			break;
		case MQ_SETTING_BOOL:
			*(bool *)config_field(cfg, st) = config_setting_get_bool(s) != 0;
			break;
		}
	}
}

/*
 * "DIR/forms" when the running program's directory DIR has one: the build
 * tree, where CMakeLists.txt links it to the source forms/, so a program run
 * from its build reads the forms being worked on (mq_dir_beside_exe()).
 */

/*
 * Strings are freshly allocated; cfg is overwritten without freeing anything
 * it held, so call this on a new struct only.
 */
void mq_config_defaults(struct mq_config *cfg)
{
	char *forms;
	size_t i;

	memset(cfg, 0, sizeof *cfg);
	for (i = 0; i < mq_nsettings; i++) {
		const struct mq_setting *st = &mq_settings[i];

		switch (st->type) {
		case MQ_SETTING_STRING:
		case MQ_SETTING_CHOICE:
			config_set_string(cfg, st, st->default_value);
			break;
		case MQ_SETTING_INT:
			*(int *)config_field(cfg, st) = atoi(st->default_value);
			break;
		case MQ_SETTING_BOOL:
			*(bool *)config_field(cfg, st) = strcmp(st->default_value, "true") == 0;
			break;
		}
	}
	if ((forms = mq_dir_beside_exe("forms")) != NULL) {
		free(cfg->forms_dir);
		cfg->forms_dir = forms;
	}
}

/* Free the strings of cfg and set them to NULL; safe to call twice. */
void mq_config_free(struct mq_config *cfg)
{
	size_t i;

	for (i = 0; i < mq_nsettings; i++) {
		const struct mq_setting *st = &mq_settings[i];

		if (st->type == MQ_SETTING_STRING || st->type == MQ_SETTING_CHOICE) {
			char **field = config_field(cfg, st);

			free(*field);
			*field = NULL;
		}
	}
	for (i = 0; i < cfg->nkey_extra; i++) {
		free(cfg->key_extra[i].action);
		free(cfg->key_extra[i].key);
	}
	free(cfg->key_extra);
	cfg->key_extra = NULL;
	cfg->nkey_extra = 0;
}

int mq_config_load_file(struct mq_config *cfg, const char *path, bool must_exist, char **cause)
{
	config_t c;
	int rc;

	config_init(&c);
	rc = mq_libconfig_read(&c, path, must_exist, cause);
	if (rc == 1) {
		rc = config_check_group(config_root_setting(&c), NULL, path, cause);
		if (rc == 0)
			config_apply(cfg, &c);
	}
	config_destroy(&c);
	return rc;
}

/* The user's file: $XDG_CONFIG_HOME or ~/.config. NULL if neither is set. */
static char *config_user_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/%s", xdg, CONFIG_USER_FILE);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.config/%s", home, CONFIG_USER_FILE);
	return NULL;
}

/*
 * cfg is overwritten (see mq_config_defaults); whether this succeeds or
 * fails, it holds valid values afterwards and the caller releases them with
 * mq_config_free(). MINQING_SYSTEM_CONFIG replaces the system file's path
 * (for tests).
 */
int mq_config_load(struct mq_config *cfg, const char *explicit_path, char **cause)
{
	const char *system = getenv("MINQING_SYSTEM_CONFIG");
	char *user;
	int rc;

	mq_config_defaults(cfg);
	if (system == NULL || system[0] == '\0')
		system = CONFIG_SYSTEM_FILE;
	if (mq_config_load_file(cfg, system, false, cause) != 0)
		return -1;

	user = config_user_path();
	if (user != NULL) {
		rc = mq_config_load_file(cfg, user, false, cause);
		free(user);
		if (rc != 0)
			return -1;
	}

	if (explicit_path != NULL && mq_config_load_file(cfg, explicit_path, true, cause) != 0)
		return -1;
	return 0;
}

/* The cells of one row of the table; every cell is allocated. */
enum {
	CONFIG_COL_NAME,
	CONFIG_COL_TYPE,
	CONFIG_COL_DEFAULT,
	CONFIG_COL_RANGE,
	CONFIG_COL_HELP,
	CONFIG_NCOLS
};

static void config_row(const struct mq_setting *st, char *cells[CONFIG_NCOLS])
{
	cells[CONFIG_COL_NAME] = xstrdup(st->name);
	cells[CONFIG_COL_TYPE] = xstrdup(_(config_type_names[st->type]));
	if (st->type == MQ_SETTING_STRING || st->type == MQ_SETTING_CHOICE)
		cells[CONFIG_COL_DEFAULT] = xasprintf("\"%s\"", st->default_value);
	else
		cells[CONFIG_COL_DEFAULT] = xstrdup(st->default_value);
	if (st->type == MQ_SETTING_INT)
		cells[CONFIG_COL_RANGE] = xasprintf("%d..%d", st->min, st->max);
	else if (st->type == MQ_SETTING_CHOICE)
		cells[CONFIG_COL_RANGE] = config_choice_list(st);
	else if (st->type == MQ_SETTING_BOOL)
		cells[CONFIG_COL_RANGE] = xstrdup("true, false");
	else
		cells[CONFIG_COL_RANGE] = xstrdup("-");
	cells[CONFIG_COL_HELP] = xstrdup(_(st->help));
}

static void config_print_row(char *const cells[CONFIG_NCOLS], const int widths[CONFIG_NCOLS])
{
	int col;

	for (col = 0; col < CONFIG_NCOLS - 1; col++) {
		char *cell = mq_strpad(cells[col], widths[col], -1);

		printf("%s  ", cell);
		free(cell);
	}
	printf("%s\n", cells[CONFIG_NCOLS - 1]);
}

void mq_config_print_table(void)
{
	char *header[CONFIG_NCOLS];
	char *(*rows)[CONFIG_NCOLS];
	int widths[CONFIG_NCOLS];
	size_t i;
	int col;

	header[CONFIG_COL_NAME] = xstrdup(_("SETTING"));
	header[CONFIG_COL_TYPE] = xstrdup(_("TYPE"));
	header[CONFIG_COL_DEFAULT] = xstrdup(_("DEFAULT"));
	header[CONFIG_COL_RANGE] = xstrdup(_("ALLOWED"));
	header[CONFIG_COL_HELP] = xstrdup(_("DESCRIPTION"));
	rows = xcalloc(mq_nsettings, sizeof *rows);
	for (i = 0; i < mq_nsettings; i++)
		config_row(&mq_settings[i], rows[i]);

	for (col = 0; col < CONFIG_NCOLS; col++) {
		widths[col] = mq_strwidth(header[col]);
		for (i = 0; i < mq_nsettings; i++) {
			int w = mq_strwidth(rows[i][col]);

			if (w > widths[col])
				widths[col] = w;
		}
	}

	config_print_row(header, widths);
	for (i = 0; i < mq_nsettings; i++)
		config_print_row(rows[i], widths);

	for (col = 0; col < CONFIG_NCOLS; col++) {
		free(header[col]);
		for (i = 0; i < mq_nsettings; i++)
			free(rows[i][col]);
	}
	free(rows);
}
