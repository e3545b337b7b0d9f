/*
 * The schema migrations, the function files and the demo-data scripts,
 * embedded in the programs at build time from schema/ (see
 * src/tools/embed.c), so that minqing-admin needs no files beside it.
 */
#ifndef MQ_MIGRATIONS_H
#define MQ_MIGRATIONS_H

#include <stddef.h>

struct mq_migration {
	int version;      /* from the file name: 001_spine.sql is version 1 (10_spine.sql: 10) */
	const char *name; /* file name */
	const char *sql;
};

extern const struct mq_migration mq_migrations[];
extern const size_t mq_nmigrations;

/*
 * schema/functions/NN_area.sql in name order, the order migrate applies them
 * in: the current definition of every function and view, their grants and
 * comments (idempotent).
 */
extern const struct mq_migration mq_function_files[];
extern const size_t mq_nfunction_files;

/* The scripts of schema/demo, in name order: run by `minqing-admin demo-data`. */
extern const struct mq_migration mq_demo_scripts[];
extern const size_t mq_ndemo_scripts;

#endif
