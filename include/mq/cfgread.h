/*
 * Reading the data files of the console (forms/NAME.view, and the forms' way
 * of doing it): a libconfig group checked setting by setting, every mistake
 * "file:line: message" at the setting that is wrong, a misspelt setting
 * named with the closest known one. The reader never keeps a pointer into
 * the configuration beyond the call that reads it: strings handed out by
 * mq_cfg_string() point into it and are copied by the caller.
 */
#ifndef MQ_CFGREAD_H
#define MQ_CFGREAD_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

#include "mq/common.h"

#define MQ_CFG_IDENT_MAX 63 /* PostgreSQL's NAMEDATALEN - 1 */

/* A text in both languages; both NULL when a file gives none. */
struct mq_text {
	char *zh;
	char *en;
};

/* The text in lang ("en..." English, anything else Chinese); NULL when none. */
const char *mq_text_get(const struct mq_text *t, const char *lang);
void mq_text_free(struct mq_text *t);

struct mq_cfg_reader {
	const char *path; /* the file read, for messages */
	char **cause;     /* where the first error goes (caller frees) */
};

/* *cause = "file:line: message" at setting at; returns -1. */
int mq_cfg_fail(struct mq_cfg_reader *r, const config_setting_t *at, const char *fmt, ...)
	MQ_PRINTF(3, 4);
/* Every setting of group has a name from allowed (NULL-terminated). */
int mq_cfg_check_names(struct mq_cfg_reader *r, const config_setting_t *group,
		       const char *const *allowed);
/*
 * A string setting: *out points into the configuration (NULL when absent and
 * !required); *at (optional) is the setting, or the group when absent.
 */
int mq_cfg_string(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		  bool required, const char **out, const config_setting_t **at);
/* [a-z_][a-z0-9_]*, at most MQ_CFG_IDENT_MAX bytes: safe between quotes in SQL. */
bool mq_cfg_is_identifier(const char *s);
/* An identifier setting copied into *out (left NULL when absent and !required). */
int mq_cfg_identifier(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		      bool required, char **out);
/* "schema.name", both identifiers, copied into *out. */
int mq_cfg_function(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		    char **out);
/* A whole number in [min, max] into *out (unchanged when absent). */
int mq_cfg_int(struct mq_cfg_reader *r, const config_setting_t *group, const char *name, int min,
	       int max, int *out);
int mq_cfg_bool(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		bool *out);
/* name = { zh = "..."; en = "..."; }; both required, one line each unless lines. */
int mq_cfg_text(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		bool required, bool lines, struct mq_text *t);
/* The zh and en strings of group itself (an option: { value; zh; en; }) into *t. */
int mq_cfg_zh_en(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		 bool lines, struct mq_text *t);
/* A whole number setting s (int or int64) into *out. */
int mq_cfg_int64(struct mq_cfg_reader *r, const config_setting_t *s, const char *name,
		 long long *out);
/* A list ( ... ) (or an array [ ... ] when arrays); *out NULL when absent. */
int mq_cfg_list(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		bool required, bool arrays, const config_setting_t **out);
/*
 * An array of strings (["a", "b"]) or one string, each one of words when
 * words is not NULL, into a NULL-terminated copy (*out NULL when absent).
 */
int mq_cfg_words(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		 const char *const *words, char ***out);
void mq_cfg_words_free(char **w);
/* Is s empty or only white space (ASCII, or the ideographic space U+3000 of an input method)? */
bool mq_cfg_blank(const char *s);
/* The word of a NULL-terminated list closest to s, when close enough to be a typo. */
const char *mq_cfg_suggest(const char *s, const char *const *words);

/*
 * The regular files DIR/NAME+SUFFIX (not starting with a dot), sorted by name,
 * into *paths (free with mq_cfg_free_paths()). -1 with *cause when the
 * directory cannot be read.
 */
int mq_cfg_scan_dir(const char *dir, const char *suffix, char ***paths, size_t *n, char **cause);
void mq_cfg_free_paths(char **paths, size_t n);
/* The file name of path without its directory and suffix. Caller frees. */
char *mq_cfg_name_of(const char *path, const char *suffix);

#endif
