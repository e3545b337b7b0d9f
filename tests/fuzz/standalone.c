/*
 * Replays a fuzz harness over saved inputs without libFuzzer, so the corpus
 * is a regression test in every build (ctest "fuzz.NAME"; with
 * -DMQ_SANITIZE=ON under ASan and UBSan):
 *
 *   fuzz_NAME_replay DIR_OR_FILE...
 *
 * Each argument is a file or a directory whose regular files (not
 * recursively, names starting with '.' skipped) are replayed in name order.
 * Each input is given to LLVMFuzzerTestOneInput in a buffer of exactly its
 * size, as libFuzzer does, so reading past it is caught. The name of each
 * input is printed before it runs, so a crash names its input. Exits 1 if an
 * argument cannot be read, if there is no input at all, or if the harness
 * calls exit() (which libFuzzer also reports as a crash).
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static const char *replay_current; /* the input being run, for replay_atexit */

static void replay_atexit(void)
{
	if (replay_current == NULL)
		return;
	fprintf(stderr, "fuzz replay: the harness called exit() on %s\n", replay_current);
	_exit(1);
}

/* Read a whole file into a buffer of exactly its size. -1 on error. */
static int replay_read(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *exact;
	size_t len = 0, cap = 0;

	if (f == NULL)
		return -1;
	for (;;) {
		size_t got;

		if (len == cap) {
			uint8_t *grown;

			cap = cap == 0 ? 4096 : 2 * cap;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	exact = malloc(len > 0 ? len : 1);
	if (exact == NULL) {
		free(buf);
		errno = ENOMEM;
		return -1;
	}
	if (len > 0)
		memcpy(exact, buf, len);
	free(buf);
	*data = exact;
	*size = len;
	return 0;
}

static int replay_file(const char *path)
{
	uint8_t *data;
	size_t size;
	int rc;

	if (replay_read(path, &data, &size) != 0) {
		fprintf(stderr, "fuzz replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(stderr, "fuzz replay: %s (%zu bytes)\n", path, size);
	replay_current = path;
	rc = LLVMFuzzerTestOneInput(data, size);
	replay_current = NULL;
	free(data);
	if (rc != 0 && rc != -1) {
		fprintf(stderr, "fuzz replay: %s: the harness returned %d\n", path, rc);
		return -1;
	}
	return 0;
}

static int replay_skip_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Replay every regular file of dir; adds the number run to *count. */
static int replay_dir(const char *dir, size_t *count)
{
	struct dirent **names;
	int n, i, rc = 0;

	n = scandir(dir, &names, replay_skip_dot, alphasort);
	if (n < 0) {
		fprintf(stderr, "fuzz replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + 1 + strlen(names[i]->d_name) + 1;
		char *path = malloc(len);
		struct stat sb;

		if (path == NULL) {
			fprintf(stderr, "fuzz replay: out of memory\n");
			exit(1);
		}
		snprintf(path, len, "%s/%s", dir, names[i]->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			if (replay_file(path) != 0)
				rc = -1;
			else
				(*count)++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	atexit(replay_atexit);
	for (i = 1; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "fuzz replay: %s: %s\n", argv[i], strerror(errno));
			failed = 1;
		} else if (S_ISDIR(sb.st_mode)) {
			if (replay_dir(argv[i], &count) != 0)
				failed = 1;
		} else if (replay_file(argv[i]) != 0) {
			failed = 1;
		} else {
			count++;
		}
	}
	if (count == 0) {
		fprintf(stderr, "fuzz replay: no input to replay\n");
		failed = 1;
	}
	fprintf(stderr, "fuzz replay: %zu inputs, %s\n", count, failed ? "FAILED" : "ok");
	return failed;
}
