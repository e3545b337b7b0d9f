/*
 * The safe way of reading any libconfig file (mq/config.h:
 * mq_libconfig_read, mq_libconfig_file), shared by the configuration
 * (config.c) and the form reader (form-read.c). Apart from config.c because
 * config.c checks database.conninfo with libpq, and the form parser and its
 * fuzzer must not need libpq.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/i18n.h"

/*
 * The name to show for a file libconfig names as file: libconfig 1.5 keeps
 * an @include file's name as written, relative to the include directory.
 * Caller frees.
 */
static char *config_file_name(const char *file, const char *path, const char *dir)
{
	if (file == NULL || strcmp(file, path) == 0)
		return xstrdup(path);
	if (file[0] != '/' && dir != NULL)
		return xasprintf("%s/%s", dir, file);
	return xstrdup(file);
}

/*
 * Open path only to tell a missing file from an unreadable one and to catch
 * a UTF-8 byte-order mark, which libconfig 1.5 reports as a bare syntax
 * error. Returns 1 if the file is there and looks readable, 0 if it does not
 * exist and !must_exist, -1 with *cause otherwise.
 */
static int config_probe(const char *path, bool must_exist, char **cause)
{
	unsigned char head[3];
	struct stat sb;
	size_t got;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		if ((errno == ENOENT || errno == ENOTDIR) && !must_exist)
			return 0;
		return mq_fail(cause, _("%s: cannot open: %s"), path, strerror(errno));
	}
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return mq_fail(cause, _("%s: cannot open: %s"), path, strerror(EISDIR));
	}
	got = fread(head, 1, sizeof head, f);
	if (got < sizeof head && ferror(f)) {
		int saved = errno;

		fclose(f);
		return mq_fail(cause, _("%s: cannot read: %s"), path, strerror(saved));
	}
	fclose(f);
	if (got == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		return mq_fail(cause, _("%s:1: remove the UTF-8 byte-order mark"), path);
	return 1;
}

/*
 * libconfig 1.5 ends the whole process (exit(2) from its scanner) when an
 * @include names a directory, blocks on a FIFO and exhausts memory on
 * /dev/zero; it also cuts a name at a NUL byte, making it the directory
 * itself. So before libconfig sees a file, check it ourselves: no NUL bytes,
 * and every @include "NAME" (relative to dir) a regular file that passes the
 * same check, at most CONFIG_MAX_INCLUDE_DEPTH deep. 0, or -1 with *cause.
 */
#define CONFIG_MAX_INCLUDE_DEPTH 10
#define CONFIG_MAX_FILE_SIZE     (1024 * 1024)

static int config_check_includes(const char *path, const char *dir, int depth, char **cause)
{
	char *text, *line, *next, *name, *end, *target;
	struct stat sb;
	size_t len;
	FILE *f;
	int lineno = 1, rc = 0;

	f = fopen(path, "rb");
	if (f == NULL)
		return 0; /* libconfig reports it with its own words */
	text = xmalloc(CONFIG_MAX_FILE_SIZE + 1);
	len = fread(text, 1, CONFIG_MAX_FILE_SIZE + 1, f);
	fclose(f);
	if (len > CONFIG_MAX_FILE_SIZE) {
		free(text);
		return mq_fail(cause, _("%s: larger than %d bytes"), path, CONFIG_MAX_FILE_SIZE);
	}
	text[len] = '\0';
	for (line = text; rc == 0 && line < text + len; line = next, lineno++) {
		next = memchr(line, '\n', (size_t)(text + len - line));
		next = next != NULL ? next + 1 : text + len;
		if (memchr(line, '\0', (size_t)(next - line)) != NULL) {
			rc = mq_fail(cause, _("%s:%d: the file contains a NUL byte"), path, lineno);
			break;
		}
		while (*line == ' ' || *line == '\t')
			line++;
		if (strncmp(line, "@include", 8) != 0)
			continue;
		name = strchr(line, '"');
		end = name != NULL ? strchr(name + 1, '"') : NULL;
		if (name == NULL || end == NULL || end > next) {
			continue; /* malformed: libconfig reports the syntax error */
		}
		name++;
		if (end == name || memchr(name, '\\', (size_t)(end - name)) != NULL) {
			rc = mq_fail(cause, _("%s:%d: @include needs a plain file name"), path,
				     lineno);
			break;
		}
		if (depth >= CONFIG_MAX_INCLUDE_DEPTH) {
			rc = mq_fail(cause, _("%s:%d: @include nested too deeply"), path, lineno);
			break;
		}
		if (name[0] == '/' || dir == NULL)
			target = xstrndup(name, (size_t)(end - name));
		else
			target = xasprintf("%s/%.*s", dir, (int)(end - name), name);
		if (stat(target, &sb) != 0)
			rc = mq_fail(cause, _("%s:%d: cannot include %s: %s"), path, lineno, target,
				     strerror(errno));
		else if (!S_ISREG(sb.st_mode))
			rc = mq_fail(cause, _("%s:%d: cannot include %s: not a regular file"), path,
				     lineno, target);
		else
			rc = config_check_includes(target, dir, depth + 1, cause);
		free(target);
	}
	free(text);
	return rc;
}

/* The directory @include names in path are relative to; NULL for none. Caller frees. */
static char *config_include_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return NULL;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int mq_libconfig_read(struct config_t *c, const char *path, bool must_exist, char **cause)
{
	char *dir;
	int rc;

	rc = config_probe(path, must_exist, cause);
	if (rc <= 0)
		return rc;

	/* @include "x" is relative to the including file, not the cwd. */
	dir = config_include_dir(path);
	if (dir != NULL)
		config_set_include_dir(c, dir);

	if (config_check_includes(path, dir, 0, cause) != 0)
		rc = -1;
	else if (config_read_file(c, path) != CONFIG_TRUE) {
		char *file = config_file_name(config_error_file(c), path, dir);

		if (config_error_type(c) == CONFIG_ERR_FILE_IO)
			rc = mq_fail(cause, _("%s: cannot read: %s"), file, strerror(errno));
		else
			rc = mq_fail(cause, "%s:%d: %s", file, config_error_line(c),
				     config_error_text(c));
		free(file);
	}
	free(dir);
	return rc;
}

char *mq_libconfig_file(const struct config_setting_t *s, const char *path)
{
	char *dir = config_include_dir(path), *file;

	file = config_file_name(config_setting_source_file(s), path, dir);
	free(dir);
	return file;
}
