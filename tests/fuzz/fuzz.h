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

#endif
