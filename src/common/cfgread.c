/*
 * The checked reading of libconfig groups shared by the data files
 * (include/mq/cfgread.h). Every function returns 0, or -1 after putting
 * "file:line: message" in *r->cause; nothing is allocated on the error path
 * that the caller would have to free.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mq/cfgread.h"
#include "mq/common.h"
#include "mq/config.h"
#include "mq/i18n.h"
#include "mq/width.h"

static const char *const cfg_text_settings[] = {"zh", "en", NULL};

const char *mq_text_get(const struct mq_text *t, const char *lang)
{
	bool en =
		lang != NULL && strncmp(lang, "en", 2) == 0 && (lang[2] == '\0' || lang[2] == '_');

	return en ? t->en : t->zh;
}

void mq_text_free(struct mq_text *t)
{
	free(t->zh);
	free(t->en);
	t->zh = t->en = NULL;
}

int mq_cfg_fail(struct mq_cfg_reader *r, const config_setting_t *at, const char *fmt, ...)
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

/* Levenshtein distance of two short ASCII strings (longer ones: SIZE_MAX). */
static size_t cfg_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[MQ_CFG_IDENT_MAX + 2];

	if (la > MQ_CFG_IDENT_MAX || lb > MQ_CFG_IDENT_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);

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

const char *mq_cfg_suggest(const char *s, const char *const *words)
{
	const char *best = NULL;
	size_t i, best_d = SIZE_MAX, limit = strlen(s) <= 4 ? 1 : strlen(s) <= 8 ? 2 : 3;

	for (i = 0; words[i] != NULL; i++) {
		size_t d = cfg_distance(s, words[i]);

		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

int mq_cfg_check_names(struct mq_cfg_reader *r, const config_setting_t *group,
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
		if ((guess = mq_cfg_suggest(name, allowed)) != NULL)
			return mq_cfg_fail(r, s, _("unknown setting '%s' (did you mean '%s'?)"),
					   name, guess);
		return mq_cfg_fail(r, s, _("unknown setting '%s'"), name);
	}
	return 0;
}

int mq_cfg_string(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		  bool required, const char **out, const config_setting_t **at)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	*out = NULL;
	if (at != NULL)
		*at = s != NULL ? s : group;
	if (s == NULL) {
		if (required)
			return mq_cfg_fail(r, group, _("%s is missing"), name);
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return mq_cfg_fail(r, s, _("%s must be a string in double quotes"), name);
	*out = config_setting_get_string(s);
	return 0;
}

bool mq_cfg_is_identifier(const char *s)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) > MQ_CFG_IDENT_MAX || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

int mq_cfg_identifier(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		      bool required, char **out)
{
	const config_setting_t *at;
	const char *v;

	if (mq_cfg_string(r, group, name, required, &v, &at) != 0)
		return -1;
	if (v == NULL)
		return 0;
	if (!mq_cfg_is_identifier(v))
		return mq_cfg_fail(r, at,
				   _("%s \"%s\" is not an identifier: use a-z, 0-9 and _, not "
				     "starting with a digit, at most %d characters"),
				   name, v, MQ_CFG_IDENT_MAX);
	*out = xstrdup(v);
	return 0;
}

int mq_cfg_function(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		    char **out)
{
	const config_setting_t *at;
	const char *v, *dot;
	char *schema;
	bool ok;

	if (mq_cfg_string(r, group, name, true, &v, &at) != 0)
		return -1;
	dot = strchr(v, '.');
	schema = dot != NULL ? xstrndup(v, (size_t)(dot - v)) : NULL;
	ok = dot != NULL && mq_cfg_is_identifier(schema) && mq_cfg_is_identifier(dot + 1);
	free(schema);
	if (!ok)
		return mq_cfg_fail(r, at, _("%s \"%s\" must be schema.name, e.g. minqing.inbox"),
				   name, v);
	*out = xstrdup(v);
	return 0;
}

int mq_cfg_int(struct mq_cfg_reader *r, const config_setting_t *group, const char *name, int min,
	       int max, int *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	long long n;

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return mq_cfg_fail(r, s, _("%s must be a whole number from %d to %d"), name, min,
				   max);
	n = config_setting_type(s) == CONFIG_TYPE_INT ? config_setting_get_int(s)
						      : config_setting_get_int64(s);
	if (n < min || n > max)
		return mq_cfg_fail(r, s, _("%s must be from %d to %d, not %lld"), name, min, max,
				   n);
	*out = (int)n;
	return 0;
}

int mq_cfg_bool(struct mq_cfg_reader *r, const config_setting_t *group, const char *name, bool *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return mq_cfg_fail(r, s, _("%s must be true or false"), name);
	*out = config_setting_get_bool(s) != 0;
	return 0;
}

bool mq_cfg_blank(const char *s)
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

/* Valid UTF-8, not blank, no control character (but '\n' when lines). */
static int cfg_check_words(struct mq_cfg_reader *r, const config_setting_t *at, const char *name,
			   const char *v, bool lines)
{
	size_t len = strlen(v), off = 0;
	bool control = false;

	while (off < len) {
		wchar_t wc;
		size_t n = mq_utf8_decode(v + off, len - off, &wc);

		if (wc == 0xFFFD && !(n == 3 && memcmp(v + off, "\xEF\xBF\xBD", 3) == 0))
			return mq_cfg_fail(r, at, _("%s is not valid UTF-8"), name);
		if ((wc < 0x20 || (wc >= 0x7F && wc < 0xA0)) && !(lines && wc == '\n'))
			control = true;
		off += n;
	}
	if (mq_cfg_blank(v))
		return mq_cfg_fail(r, at, _("%s must not be empty"), name);
	if (control)
		return mq_cfg_fail(r, at,
				   lines ? _("%s has a control character (only line breaks are "
					     "allowed)")
					 : _("%s must be one line without control characters"),
				   name);
	return 0;
}

/* One language of a text: group.lang, required (the form's msgids, one per language). */
static int cfg_text_part(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
			 const char *lang, bool lines, char **out)
{
	const config_setting_t *at;
	const char *v;
	char *full;
	int rc;

	if (mq_cfg_string(r, group, lang, false, &v, &at) != 0)
		return -1;
	if (v == NULL)
		return mq_cfg_fail(
			r, group,
			strcmp(lang, "zh") == 0
				? _("%s.zh is missing: every text is in Chinese and English")
				: _("%s.en is missing: every text is in Chinese and English"),
			name);
	full = xasprintf("%s.%s", name, lang);
	rc = cfg_check_words(r, at, full, v, lines);
	free(full);
	if (rc == 0)
		*out = xstrdup(v);
	return rc;
}

int mq_cfg_zh_en(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		 bool lines, struct mq_text *t)
{
	char *zh = NULL;

	if (cfg_text_part(r, group, name, "zh", lines, &zh) != 0)
		return -1;
	if (cfg_text_part(r, group, name, "en", lines, &t->en) != 0) {
		free(zh);
		return -1;
	}
	t->zh = zh;
	return 0;
}

int mq_cfg_text(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		bool required, bool lines, struct mq_text *t)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s == NULL) {
		if (required)
			return mq_cfg_fail(r, group, _("%s is missing"), name);
		return 0;
	}
	if (!config_setting_is_group(s))
		return mq_cfg_fail(r, s,
				   _("%s must be a group: %s = { zh = \"...\"; en = \"...\"; };"),
				   name, name);
	if (mq_cfg_check_names(r, s, cfg_text_settings) != 0)
		return -1;
	return mq_cfg_zh_en(r, s, name, lines, t);
}

int mq_cfg_int64(struct mq_cfg_reader *r, const config_setting_t *s, const char *name,
		 long long *out)
{
	if (config_setting_type(s) == CONFIG_TYPE_INT)
		*out = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		*out = config_setting_get_int64(s);
	else
		return mq_cfg_fail(r, s, _("%s must be a whole number"), name);
	return 0;
}

int mq_cfg_list(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		bool required, bool arrays, const config_setting_t **out)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	*out = NULL;
	if (s == NULL) {
		if (required)
			return mq_cfg_fail(r, group, _("%s is missing"), name);
		return 0;
	}
	if (!config_setting_is_list(s) && !(arrays && config_setting_is_array(s)))
		return mq_cfg_fail(r, s, _("%s must be a list: %s = ( ... );"), name, name);
	*out = s;
	return 0;
}

void mq_cfg_words_free(char **w)
{
	size_t i;

	for (i = 0; w != NULL && w[i] != NULL; i++)
		free(w[i]);
	free(w);
}

int mq_cfg_words(struct mq_cfg_reader *r, const config_setting_t *group, const char *name,
		 const char *const *words, char ***out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	int i, n;
	char **w;

	*out = NULL;
	if (s == NULL)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		n = 1;
	else if (config_setting_is_array(s) && config_setting_length(s) > 0)
		n = config_setting_length(s);
	else
		return mq_cfg_fail(r, s,
				   _("%s must be a string or an array of strings: [\"a\", \"b\"]"),
				   name);
	w = xcalloc((size_t)n + 1, sizeof *w);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = n == 1 && config_setting_type(s) == CONFIG_TYPE_STRING
						    ? s
						    : config_setting_get_elem(s, (unsigned int)i);
		const char *v = config_setting_get_string(e), *guess;
		size_t k;
		bool known = words == NULL;

		if (v == NULL) {
			mq_cfg_words_free(w);
			return mq_cfg_fail(r, s, _("%s must be a string or an array of strings"),
					   name);
		}
		for (k = 0; !known && words[k] != NULL; k++)
			known = strcmp(v, words[k]) == 0;
		if (!known) {
			mq_cfg_words_free(w);
			if ((guess = mq_cfg_suggest(v, words)) != NULL)
				return mq_cfg_fail(r, s,
						   _("%s: unknown \"%s\" (did you mean \"%s\"?)"),
						   name, v, guess);
			return mq_cfg_fail(r, s, _("%s: unknown \"%s\""), name, v);
		}
		w[i] = xstrdup(v);
	}
	*out = w;
	return 0;
}

/* --- directories ----------------------------------------------------------------------- */

static int cfg_cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void mq_cfg_free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static bool cfg_has_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), sl = strlen(suffix);

	return name[0] != '.' && len > sl && strcmp(name + len - sl, suffix) == 0;
}

int mq_cfg_scan_dir(const char *dir, const char *suffix, char ***paths, size_t *n, char **cause)
{
	struct dirent *de;
	char **list = NULL;
	size_t count = 0, cap = 0;
	DIR *d;
	int saved;

	*paths = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return mq_fail(cause, _("%s: cannot read the forms directory: %s"), dir,
			       strerror(errno));
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct stat sb;
		char *path;

		if (!cfg_has_suffix(de->d_name, suffix))
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
	saved = errno;
	closedir(d);
	if (saved != 0) {
		mq_cfg_free_paths(list, count);
		return mq_fail(cause, _("%s: cannot read the forms directory: %s"), dir,
			       strerror(saved));
	}
	if (count > 0)
		qsort(list, count, sizeof *list, cfg_cmp_paths);
	*paths = list;
	*n = count;
	return 0;
}

char *mq_cfg_name_of(const char *path, const char *suffix)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > strlen(suffix) && strcmp(base + len - strlen(suffix), suffix) == 0)
		len -= strlen(suffix);
	return xstrndup(base, len);
}
