/*
 * mq_program_connect(): the one path from configuration to a connection
 * that all four programs share, so that the same failure gives the same
 * exit code whichever program met it (see mq/program.h and the table in
 * docs/development.md). The rule that makes them agree: whatever step
 * fails, a connection that is gone by then is MQ_EXIT_CONNECT.
 */
#include <stdlib.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/db.h"
#include "mq/i18n.h"
#include "mq/program.h"

/* The code of a step that failed with *cause: the connection decides first. */
static int program_fail(struct mq_db **dbp, int code)
{
	if (mq_db_lost(*dbp))
		code = MQ_EXIT_CONNECT;
	mq_db_close(*dbp);
	*dbp = NULL;
	return code;
}

int mq_program_connect(const struct mq_config *cfg, const struct mq_program_db *how,
		       struct mq_db **dbp, char **cause)
{
	*dbp = mq_db_connect(cfg, how->appname, how->prompt, cause);
	if (*dbp == NULL)
		return MQ_EXIT_CONNECT;
	if (how->schema && mq_db_require_schema(*dbp, cause) != 0)
		return program_fail(dbp, MQ_EXIT_SCHEMA);
	if (how->identity != NULL && mq_db_whoami(*dbp, how->identity, cause) != 0)
		return program_fail(dbp, MQ_EXIT_FAILURE);
	return MQ_EXIT_OK;
}

int mq_program_config(struct mq_config *cfg, const char *path)
{
	char *cause = NULL;

	/* The default language first, so that errors in the files are translated. */
	mq_i18n_init(NULL);
	if (mq_config_load(cfg, path, &cause) != 0) {
		mq_i18n_init(cfg->ui_language);
		mq_warnx("%s", cause);
		free(cause);
		mq_config_free(cfg);
		return MQ_EXIT_USAGE;
	}
	mq_i18n_init(cfg->ui_language);
	return MQ_EXIT_OK;
}
