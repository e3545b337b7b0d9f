/*
 * Configuration: one table describes every setting (name, type, default,
 * range, help); files are read with libconfig in this order, later ones
 * overriding earlier ones:
 *
 *   /etc/minqing/minqing.conf, ~/.config/minqing/minqing.conf, -c FILE
 *
 * The first two are optional; a file named with -c must exist. forms.dir
 * defaults to the build tree's forms/ for a program run from its build (see
 * mq_config_defaults()), else to the installed MQ_DATADIR/forms. A syntax
 * error, an unknown setting, a value of the wrong type or out of range, or a
 * password anywhere in the file is reported as "file:line: message".
 */
#ifndef MQ_CONFIG_H
#define MQ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The actions of the console a person may give a key of their own in the
 * configuration file (keys.<action> = "F9"): the console's keys.c knows each
 * one's default key. X-macro: one list for the settings and the console.
 */
#define MQ_KEY_ACTIONS(X)                                                                          \
	X(quit)                                                                                    \
	X(help)                                                                                    \
	X(back)                                                                                    \
	X(redraw)                                                                                  \
	X(submit)                                                                                  \
	X(reload)                                                                                  \
	X(next_field)                                                                              \
	X(prev_field)                                                                              \
	X(accept)                                                                                  \
	X(resolve_at_once)                                                                         \
	X(category)                                                                                \
	X(dispatch)                                                                                \
	X(start)                                                                                   \
	X(progress)                                                                                \
	X(resolve)                                                                                 \
	X(return )                                                                                 \
	X(pause)                                                                                   \
	X(resume)                                                                                  \
	X(extend)                                                                                  \
	X(decide_extension)                                                                        \
	X(report_back)                                                                             \
	X(close)                                                                                   \
	X(withdraw)                                                                                \
	X(urge)

#define MQ_KEY_ENUM(a) MQ_KEY_##a,
enum mq_key_action { MQ_KEY_ACTIONS(MQ_KEY_ENUM) MQ_NKEYS };
#undef MQ_KEY_ENUM

enum mq_setting_type {
	MQ_SETTING_STRING,
	MQ_SETTING_INT,
	MQ_SETTING_BOOL,
	MQ_SETTING_CHOICE, /* a string from a fixed list */
};

struct mq_config {
	char *db_conninfo; /* libpq conninfo string ("" = libpq defaults) */
	char *db_service;  /* pg_service.conf service name ("" = none) */
	/* a hot standby for the reports (host, port, options; "" = the main connection) */
	char *db_report_conninfo;
	int db_connect_timeout;
	char *ui_language; /* "zh_CN" or "en" */
	bool ui_color;     /* NO_COLOR in the environment overrides it */
	bool ui_bell;
	char *ui_charts; /* auto, unicode or ascii: the glyphs of the report charts */
	char *forms_dir;
	char *export_dir;      /* where E writes a list's files ("" = ~/minqing-exports) */
	char *export_encoding; /* of the CSV: UTF-8 (with BOM), GBK or GB18030 */
	char *keys[MQ_NKEYS];  /* keys.<action>: another key for it, "" = none */
	/*
	 * keys.<name> for a name not in MQ_KEY_ACTIONS: an action of a screen
	 * built at run time (a view file), as "filter.overdue" for
	 * keys = { filter = { overdue = "F6"; }; }. The console checks that the
	 * action exists; the configuration only that the value is a string.
	 */
	struct mq_key_extra {
		char *action;
		char *key;
	} * key_extra;
	size_t nkey_extra;
};

struct mq_setting {
	const char *name; /* dotted path, e.g. "database.conninfo" */
	enum mq_setting_type type;
	const char *default_value;  /* as text: "10", "true", "zh_CN" */
	int min, max;               /* MQ_SETTING_INT only */
	const char *const *choices; /* MQ_SETTING_CHOICE only, NULL-terminated */
	size_t offset;              /* into struct mq_config */
	const char *help;           /* English; translated when printed */
};

extern const struct mq_setting mq_settings[];
extern const size_t mq_nsettings;

/*
 * Fill every field with its default: the table's, except forms.dir when the
 * running program has a forms directory beside it (the build tree, which
 * links <build>/forms to the source forms/). mq_config_free() releases the
 * strings.
 */
void mq_config_defaults(struct mq_config *cfg);
void mq_config_free(struct mq_config *cfg);

/*
 * Read one file into cfg, overriding what it sets. If the file does not
 * exist: returns 0 when !must_exist, else -1. On error returns -1 and sets
 * *cause (caller frees) to "file:line: message".
 */
int mq_config_load_file(struct mq_config *cfg, const char *path, bool must_exist, char **cause);

/*
 * Defaults, then the system file, the user's file ($XDG_CONFIG_HOME or
 * ~/.config), then explicit_path if not NULL. -1 with *cause on error.
 */
int mq_config_load(struct mq_config *cfg, const char *explicit_path, char **cause);

/*
 * Reading a libconfig file safely, for the configuration and the forms alike.
 * libconfig 1.5 exits the process on an @include of a directory, hangs on a
 * FIFO and reports a UTF-8 byte-order mark as a bare syntax error, so the
 * file and every file it @includes (relative to its directory) is checked
 * first: a regular file, no BOM, no NUL byte, at most 1 MiB, @include nested
 * at most 10 deep. c must be config_init()ed; the caller config_destroy()s
 * it whatever happens. Returns 1 when read, 0 when the file does not exist
 * and !must_exist, -1 with *cause as "file:line: message" or "file: ...".
 */
struct config_t;
struct config_setting_t;
int mq_libconfig_read(struct config_t *c, const char *path, bool must_exist, char **cause);

/*
 * The file a setting of the file read from path comes from, as a person can
 * open it (an @included file's name joined to its directory). Caller frees.
 */
char *mq_libconfig_file(const struct config_setting_t *s, const char *path);

/* Print the settings table (for --help-config and docs). */
void mq_config_print_table(void);

#endif
