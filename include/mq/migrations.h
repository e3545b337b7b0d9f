/*
 * The schema migrations and the demo-data script, embedded in the programs
 * at build time from schema/ (see src/tools/embed.c), so that minqing-admin
 * needs no files beside it.
 */
#ifndef MQ_MIGRATIONS_H
#define MQ_MIGRATIONS_H

#include <stddef.h>

struct mq_migration {
	int version;      /* from the file name: 001_spine.sql is version 1 */
	const char *name; /* file name */
	const char *sql;
};

extern const struct mq_migration mq_migrations[];
extern const size_t mq_nmigrations;

/* The scripts of schema/demo, in name order: run by `minqing-admin demo-data`. */
extern const struct mq_migration mq_demo_scripts[];
extern const size_t mq_ndemo_scripts;

#endif
