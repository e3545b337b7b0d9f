/*
 * minqing --lint-forms [DIR]: read every form file of a directory and check
 * it against the database the configuration connects to (the function it
 * submits to, its parameters, types, options and result columns), so a
 * form that would fail on a person's screen fails here first: in CI, after a
 * migration, or before a changed form is installed.
 *
 * The directory is read before connecting (a wrong directory is a usage
 * error, 2, whatever the database does); then it connects as --check does,
 * with the schema version check, and checks the forms in file-name order,
 * each on its own: one bad form does not hide the next one's verdict.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lint.h"
#include "mq/common.h"
#include "mq/db.h"
#include "mq/cfgread.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "mq/program.h"
#include "mq/view.h"

/* One form: 0 good, 2 bad, 3 the connection went away while checking it. */
static int lint_one(struct mq_db *db, const char *path)
{
	struct mq_form *form;
	char *cause = NULL;
	int rc = MQ_EXIT_OK;

	form = mq_form_load(path, &cause);
	if (form == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return MQ_EXIT_USAGE;
	}
	if (mq_form_lint_db(db, form, &cause) != 0) {
		rc = mq_db_lost(db) ? MQ_EXIT_CONNECT : MQ_EXIT_USAGE;
		if (rc == MQ_EXIT_CONNECT)
			mq_warnx("%s", cause);
		else
			fprintf(stderr, "%s\n", cause);
		free(cause);
	} else
		printf("%s: ok\n", path); /* parsed by scripts: not translated */
	mq_form_free(form);
	return rc;
}

/* One view: 0 good, 2 bad, 3 the connection went away while checking it. */
static int lint_view_one(struct mq_db *db, const char *path, struct mq_form *const *forms,
			 size_t nforms)
{
	struct mq_view *v;
	char *cause = NULL;
	bool lost = false;
	int rc = MQ_EXIT_OK;

	if ((v = mq_view_load(path, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return MQ_EXIT_USAGE;
	}
	if (lint_view_db(db, v, forms, nforms, &cause, &lost) != 0) {
		rc = lost ? MQ_EXIT_CONNECT : MQ_EXIT_USAGE;
		fprintf(stderr, "%s\n", cause);
		free(cause);
	} else
		printf("%s: ok\n", path); /* parsed by scripts: not translated */
	mq_view_free(v);
	return rc;
}

/* Every DIR/NAME.view, after the forms (whose names the views' actions use). */
static int lint_views(struct mq_db *db, const char *dir, int rc)
{
	struct mq_form **forms = NULL;
	char **paths, *cause = NULL;
	size_t n, nforms = 0, i;

	if (mq_cfg_scan_dir(dir, MQ_VIEW_SUFFIX, &paths, &n, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_USAGE;
	}
	/* A bad form was reported above; the views are checked against the good ones. */
	if (mq_forms_load_dir(dir, &forms, &nforms, &cause) != 0) {
		free(cause);
		forms = NULL;
		nforms = 0;
	}
	for (i = 0; i < n && rc != MQ_EXIT_CONNECT; i++) {
		int one = lint_view_one(db, paths[i], forms, nforms);

		if (one != MQ_EXIT_OK)
			rc = one;
	}
	mq_forms_free(forms, nforms);
	mq_cfg_free_paths(paths, n);
	return rc;
}

/* Has dir a view file? (A directory of views alone is checked too.) */
static bool lint_has_views(const char *dir)
{
	char **paths, *cause = NULL;
	size_t n = 0;

	if (mq_cfg_scan_dir(dir, MQ_VIEW_SUFFIX, &paths, &n, &cause) != 0) {
		free(cause);
		return false;
	}
	mq_cfg_free_paths(paths, n);
	return n > 0;
}

int lint_forms(const struct mq_config *cfg, const char *dir)
{
	const struct mq_program_db how = {
		.appname = "minqing --lint-forms",
		.prompt = MQ_DB_PROMPT_ON_TTY,
		.schema = true,
	};
	struct mq_db *db;
	char **paths, *cause = NULL;
	size_t n, i;
	int rc = MQ_EXIT_OK;

	if (dir == NULL)
		dir = cfg->forms_dir;
	if (mq_forms_scan_dir(dir, &paths, &n, &cause) != 0) {
		mq_warnx("%s", cause);
		free(cause);
		return MQ_EXIT_USAGE;
	}
	if (n == 0 && !lint_has_views(dir)) {
		mq_warnx(_("%s: no form or view files (*.form, *.view)"), dir);
		mq_forms_free_paths(paths, n);
		return MQ_EXIT_USAGE;
	}

	if ((rc = mq_program_connect(cfg, &how, &db, &cause)) != MQ_EXIT_OK) {
		mq_warnx("%s", cause);
		free(cause);
		mq_forms_free_paths(paths, n);
		return rc;
	}

	for (i = 0; i < n && rc != MQ_EXIT_CONNECT; i++) {
		int one = lint_one(db, paths[i]);

		if (one != MQ_EXIT_OK)
			rc = one;
	}
	if (rc != MQ_EXIT_CONNECT)
		rc = lint_views(db, dir, rc);
	fflush(stdout);
	mq_db_close(db);
	mq_forms_free_paths(paths, n);
	return rc;
}
