/*
 * Fuzz harness for the configuration reader (src/common/config.c): the input
 * is the whole text of a configuration file, read with
 * mq_config_load_file(..., must_exist = true) over the defaults. It must
 * either load or fail with a "file:line: message" cause, never crash, leak
 * or exit; what it loads is then laid out with the width functions, as
 * --help-config and the console do with settings.
 *
 * libconfig reads a path, so the bytes go to a file in a private directory
 * made once per process (mkdtemp under /tmp; not memfd_create, whose
 * /proc/self/fd directory would make `@include "0"` read stdin). Relative
 * @include names resolve in that directory, so the only thing they can reach
 * is the input itself, a directory ("", ".", "..": libconfig 1.5 then exits
 * the process, see corpus/config/crash-include-directory.conf) or nothing.
 * libconfig's own leaks on syntax errors are suppressed by lsan.supp.
 *
 * MQ_FUZZ_VERBOSE=1 in the environment prints the outcome of each input (to
 * see what a corpus file exercises).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mq/config.h"
#include "mq/width.h"

#include "fuzz.h"

#define FUZZ_CONFIG_NAME "in.conf"

static char fuzz_config_dir[] = "/tmp/mq-fuzz-config-XXXXXX";
static char fuzz_config_path[sizeof fuzz_config_dir + sizeof FUZZ_CONFIG_NAME];
static bool fuzz_config_verbose;

static void fuzz_config_cleanup(void)
{
	unlink(fuzz_config_path);
	rmdir(fuzz_config_dir);
}

static void fuzz_config_setup(void)
{
	if (fuzz_config_path[0] != '\0')
		return;
	if (mkdtemp(fuzz_config_dir) == NULL) {
		perror("fuzz_config: mkdtemp");
		abort();
	}
	snprintf(fuzz_config_path, sizeof fuzz_config_path, "%s/%s", fuzz_config_dir,
		 FUZZ_CONFIG_NAME);
	atexit(fuzz_config_cleanup);
	fuzz_config_verbose = getenv("MQ_FUZZ_VERBOSE") != NULL;
}

/*
 * Would an @include in the input name a path with '/' or the input itself?
 * Such inputs are skipped: "/dev/zero" or "../../dev/stdin" would exhaust
 * memory or hang and anything else would read whatever this machine holds,
 * and libconfig nests includes 10 deep, so k self-includes cost k^10 parses.
 * This follows the libconfig 1.5 scanner: `@include[ \t]+"NAME"`, where NAME
 * keeps `\\` and `\"` as one character, drops a backslash before anything
 * else (flex echoes it to stdout) and loses the rest of a run of plain
 * characters after a NUL byte. It matches "@include" anywhere, not only at
 * the start of a line, so it may skip a little more than it must.
 */
static bool fuzz_config_include_unsafe(const uint8_t *data, size_t size)
{
	static const char keyword[] = "@include";
	const size_t klen = sizeof keyword - 1;
	char name[sizeof FUZZ_CONFIG_NAME + 1];
	size_t i, j, len;
	bool slash, truncated;

	for (i = 0; i + klen <= size; i++) {
		if (memcmp(data + i, keyword, klen) != 0)
			continue;
		j = i + klen;
		if (j >= size || (data[j] != ' ' && data[j] != '\t'))
			continue;
		while (j < size && (data[j] == ' ' || data[j] == '\t'))
			j++;
		if (j >= size || data[j] != '"')
			continue;
		j++;
		len = 0;
		slash = false;
		truncated = false;
		while (j < size && data[j] != '"') {
			int c = -1;

			if (data[j] == '\\') {
				if (j + 1 < size && (data[j + 1] == '\\' || data[j + 1] == '"')) {
					c = data[j + 1];
					j++;
				}
				truncated = false;
			} else if (data[j] == '\0') {
				truncated = true;
			} else if (!truncated) {
				c = data[j];
			}
			j++;
			if (c == '/')
				slash = true;
			if (c != -1 && len < sizeof name - 1)
				name[len++] = (char)c;
			else if (c != -1)
				len = sizeof name; /* longer than ours: not the input */
		}
		if (slash)
			return true;
		if (len == strlen(FUZZ_CONFIG_NAME) && memcmp(name, FUZZ_CONFIG_NAME, len) == 0)
			return true;
	}
	return false;
}

/* Lay a loaded string out the ways the console does; the result is discarded. */
static void fuzz_config_layout(const char *s)
{
	int width, align;

	FUZZ_CHECK(s != NULL); /* a loaded configuration has every string set */
	width = mq_strwidth(s);
	FUZZ_CHECK(width >= 0);
	for (align = -1; align <= 1; align++) {
		char *cell = mq_strpad(s, width > 2 ? width - 2 : 8, align);

		free(cell);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mq_config cfg;
	char *cause = NULL;
	int rc;

	fuzz_config_setup();
	if (fuzz_config_include_unsafe(data, size)) {
		if (fuzz_config_verbose)
			fprintf(stderr, "  skipped: @include outside the scratch directory\n");
		return -1; /* not added to the corpus */
	}
	fuzz_write_file("fuzz_config", fuzz_config_path, data, size);

	mq_config_defaults(&cfg);
	rc = mq_config_load_file(&cfg, fuzz_config_path, true, &cause);
	if (rc == 0) {
		FUZZ_CHECK(cause == NULL); /* success sets no cause */
		fuzz_config_layout(cfg.db_conninfo);
		fuzz_config_layout(cfg.db_service);
		fuzz_config_layout(cfg.ui_language);
		fuzz_config_layout(cfg.forms_dir);
		/* Values checked against the table. */
		FUZZ_CHECK(cfg.db_connect_timeout >= 1 && cfg.db_connect_timeout <= 300);
		FUZZ_CHECK(strcmp(cfg.ui_language, "zh_CN") == 0 ||
			   strcmp(cfg.ui_language, "en") == 0);

		/* Load it again over itself: every string set is replaced. */
		rc = mq_config_load_file(&cfg, fuzz_config_path, true, &cause);
		FUZZ_CHECK(rc == 0 && cause == NULL);
	} else {
		/* Every failure says why, and names the file. */
		FUZZ_CHECK(rc == -1 && cause != NULL);
		FUZZ_CHECK(strstr(cause, fuzz_config_dir) != NULL);
		(void)mq_strwidth(cause);
	}
	if (fuzz_config_verbose)
		fprintf(stderr, "  %s\n", cause != NULL ? cause : "loaded");
	free(cause);
	mq_config_free(&cfg);
	return 0;
}
