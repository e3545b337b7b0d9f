/*
 * Configuration: one table describes every setting (name, type, default,
 * range, help); files are read with libconfig in this order, later ones
 * overriding earlier ones:
 *
 *   /etc/minqing/minqing.conf, ~/.config/minqing/minqing.conf, -c FILE
 *
 * The first two are optional; a file named with -c must exist. A syntax
 * error, an unknown setting, a value of the wrong type or out of range, or a
 * password anywhere in the file is reported as "file:line: message".
 */
#ifndef MQ_CONFIG_H
#define MQ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum mq_setting_type {
	MQ_SETTING_STRING,
	MQ_SETTING_INT,
	MQ_SETTING_BOOL,
	MQ_SETTING_CHOICE, /* a string from a fixed list */
};

struct mq_config {
	char *db_conninfo; /* libpq conninfo string ("" = libpq defaults) */
	char *db_service;  /* pg_service.conf service name ("" = none) */
	int db_connect_timeout;
	char *ui_language; /* "zh_CN" or "en" */
	bool ui_color;     /* NO_COLOR in the environment overrides it */
	bool ui_bell;
	char *forms_dir;
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

/* Fill every field with its default. mq_config_free() releases the strings. */
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

/* Print the settings table (for --help-config and docs). */
void mq_config_print_table(void);

#endif
