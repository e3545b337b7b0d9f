/*
 * The entry point every fuzz harness in this directory defines: libFuzzer
 * calls it with each input it tries (fuzz_NAME, built with -DMQ_FUZZ=ON and
 * clang), standalone.c calls it with each file of the checked-in corpus
 * (fuzz_NAME_replay, the ctest "fuzz.NAME" of every build). A harness checks
 * its invariants with abort(), so a broken one is a crash in both.
 */
#ifndef MQ_FUZZ_H
#define MQ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort, saying which invariant broke, unless cond holds. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_check_failed(__FILE__, __LINE__, #cond);                              \
	} while (0)

static inline _Noreturn void fuzz_check_failed(const char *file, int line, const char *expr)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, expr);
	abort();
}

/*
 * Write an input to path (created or truncated, mode 0600) for a harness
 * whose parser reads files; any failure aborts, naming the harness.
 */
static inline void fuzz_write_file(const char *harness, const char *path, const uint8_t *data,
				   size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd == -1) {
		fprintf(stderr, "%s: open %s: %s\n", harness, path, strerror(errno));
		abort();
	}
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "%s: write %s: %s\n", harness, path, strerror(errno));
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
}

#endif
