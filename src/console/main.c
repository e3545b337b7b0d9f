/*
 * minqing: the console of Minqing e-Station (民情e站) for information
 * officers, handlers, supervisors, administrators and the public kiosks.
 *
 * Start-up order: locale, configuration, language, a UTF-8 terminal; then
 * either --check (connect, schema, identity, printed for scripts) or the
 * interactive console, which connects BEFORE it takes over the terminal so
 * that a password prompt works, and checks the schema version and that the
 * account is staff before it draws anything.
 */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "console.h"
#include "keys.h"
#include "lint.h"
#include "mq/common.h"
#include "mq/config.h"
#include "mq/db.h"
#include "mq/i18n.h"
#include "mq/program.h"

static void main_usage(FILE *f)
{
	fprintf(f, _("Usage: minqing [-c FILE] [--check | --lint-forms [DIR]]\n\n"
		     "The console of Minqing e-Station (民情e站).\n\n"
		     "Options:\n"
		     "  -c, --config FILE   read FILE after the system and user configuration\n"
		     "      --check         connect, check the schema and the account, print\n"
		     "                      who is logged in, and exit\n"
		     "      --debug-timing FILE\n"
		     "                      append the time of every query to FILE\n"
		     "      --lint-forms [DIR]\n"
		     "                      check every DIR/*.form (default: forms.dir) against\n"
		     "                      the database, print \"FILE: ok\" or the first problem\n"
		     "                      as \"FILE:LINE: message\", and exit\n"
		     "  -h, --help          show this help\n"
		     "      --keys          list the actions keys.<action> can bind, their\n"
		     "                      default keys and screens, and exit\n"
		     "      --help-config   show every setting of the configuration file (type,\n"
		     "                      default, allowed values) and exit\n"
		     "  -V, --version       show the version and the schema version\n\n"
		     "The database is chosen by the configuration file, then PGHOST, PGPORT,\n"
		     "PGUSER and PGDATABASE. Exit codes: 0 ok, 1 the account is not staff,\n"
		     "2 usage or configuration (or a bad form), 3 cannot connect, 4 schema\n"
		     "version mismatch, 5 the terminal cannot be used (not a terminal, not "
		     "UTF-8, or no cursor addressing as with TERM=dumb).\n"));
}

/* Is the character set of the locale UTF-8? */
static bool main_utf8(void)
{
	const char *codeset = nl_langinfo(CODESET);

	return codeset != NULL &&
	       (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0);
}

/*
 * Explain that the locale is not UTF-8: in the locale's language (English
 * when it is C), and also in Chinese if the person's language is Chinese,
 * since a terminal without LANG (as over SSH) usually shows UTF-8 anyway.
 */
#define MAIN_NOT_UTF8                                                                              \
	N_("the terminal's character set is %s, not UTF-8: Chinese cannot be shown. "              \
	   "Set a UTF-8 locale, e.g. export LANG=C.UTF-8")

static void main_not_utf8(const struct mq_config *cfg)
{
	const char *codeset = nl_langinfo(CODESET);
	char *first = xasprintf(_(MAIN_NOT_UTF8), codeset), *second;

	mq_warnx("%s", first);
	if (strcmp(cfg->ui_language, "en") != 0 && setlocale(LC_MESSAGES, "C.UTF-8") != NULL) {
		second = xasprintf(gettext(MAIN_NOT_UTF8), codeset);
		if (strcmp(second, first) != 0)
			mq_warnx("%s", second);
		free(second);
	}
	free(first);
}

/* Connect, check the schema version and read who is logged in (mq_program_connect()). */
static int main_connect(const struct mq_config *cfg, struct mq_db **dbp, struct mq_identity *id)
{
	const struct mq_program_db how = {
		.appname = "minqing",
		.prompt = MQ_DB_PROMPT_ON_TTY,
		.schema = true,
		.identity = id,
	};
	char *cause = NULL;
	int rc = mq_program_connect(cfg, &how, dbp, &cause);

	if (rc != MQ_EXIT_OK) {
		mq_warnx("%s", cause);
		free(cause);
	}
	return rc;
}

/* --check: the lines are parsed by scripts and tests: keep the keys stable. */
static int main_check(const struct mq_config *cfg)
{
	struct mq_db *db = NULL;
	struct mq_identity id;
	char *target;
	int rc, version = 0;

	if ((rc = main_connect(cfg, &db, &id)) != MQ_EXIT_OK)
		return rc;
	if (mq_db_schema_version(db, &version, NULL) != 0)
		version = mq_schema_version; /* just checked by main_connect() */
	target = mq_db_describe_target(db);
	printf("account: %s\n", id.login);
	printf("name: %s\n", id.display_name);
	printf("duty: %s\n", id.duty);
	printf("unit: %s %s\n", id.unit_code, id.unit_name);
	printf("district: %s\n", id.district_name);
	printf("schema version: %d\n", version);
	printf("server version: %s\n", mq_db_parameter(db, "server_version"));
	printf("connection: %s\n", target);
	printf("database: %s\n", mq_db_name(db));
	free(target);
	mq_identity_free(&id);
	mq_db_close(db);
	return MQ_EXIT_OK;
}

/*
 * Memory: a hundred officers share one SSH host, so an idle console must be
 * small. libpq links libldap, which links GnuTLS, whose library constructor
 * initialises itself and p11-kit at load time (about 1 MB of memory per
 * process, measured with tests/bench/rss.sh) for TLS the console never
 * uses (libpq's own TLS is OpenSSL). GnuTLS skips that when
 * GNUTLS_NO_IMPLICIT_INIT is set before the process starts, so the console
 * sets it and executes itself again, once, before anything else happens.
 * If that fails, it simply goes on.
 */
static void main_lean_exec(char **argv)
{
	if (getenv("GNUTLS_NO_IMPLICIT_INIT") != NULL)
		return;
	if (setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 1) != 0)
		return;
	execv("/proc/self/exe", argv);
	/* still here: not Linux, or no /proc; nothing is lost */
}

/*
 * Over 80 lines on purpose: the start-up order (options, configuration,
 * language, terminal checks, forms, connection) is the documented sequence
 * of early returns, each with its exit code; split, the order would be hidden.
 */
/*
 * The form and view files of forms.dir, and the key tables made from them
 * (each view's, the case screen's actions), registered for the checks and
 * --keys. A bad file stops here, with its file:line.
 */
static int main_views_load(const struct mq_config *cfg, struct console_opts *opts, char **cause)
{
	const struct keytab *t;
	size_t i;

	if (mq_forms_load_dir(cfg->forms_dir, &opts->forms, &opts->nforms, cause) != 0 ||
	    mq_views_load_dir(cfg->forms_dir, &opts->views, &opts->nviews, cause) != 0)
		return -1;
	if ((t = case_actions_load(opts->forms, opts->nforms, cfg->ui_language, cause)) == NULL)
		return -1;
	keys_register(t);
	opts->view_tabs = xcalloc(opts->nviews + 1, sizeof *opts->view_tabs);
	for (i = 0; i < opts->nviews; i++) {
		opts->view_tabs[i] = view_keytab_new(opts->views[i], cfg->ui_language, cause);
		if (opts->view_tabs[i] == NULL)
			return -1;
		keys_register(opts->view_tabs[i]);
	}
	return 0;
}

static void main_views_free(struct console_opts *opts)
{
	size_t i;

	for (i = 0; opts->view_tabs != NULL && i < opts->nviews; i++)
		if (opts->view_tabs[i] != NULL)
			keytab_free(opts->view_tabs[i]);
	free(opts->view_tabs);
	mq_views_free(opts->views, opts->nviews);
	opts->views = NULL;
	opts->view_tabs = NULL;
	opts->nviews = 0;
}

/* What the command line asks for. */
struct main_args {
	const char *config_path, *lint_dir, *timing_path;
	bool check, lint, help_config, keys;
};

/* Read the options into *a: -1 to go on, or the exit code (--help, --version, a mistake). */
static int main_parse(int argc, char **argv, struct main_args *a)
{
	enum { OPT_CHECK = 256, OPT_LINT_FORMS, OPT_DEBUG_TIMING, OPT_HELP_CONFIG, OPT_KEYS };
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"check", no_argument, NULL, OPT_CHECK},
		{"lint-forms", no_argument, NULL, OPT_LINT_FORMS},
		{"debug-timing", required_argument, NULL, OPT_DEBUG_TIMING},
		{"help", no_argument, NULL, 'h'},
		{"help-config", no_argument, NULL, OPT_HELP_CONFIG},
		{"keys", no_argument, NULL, OPT_KEYS},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			a->config_path = optarg;
			break;
		case OPT_CHECK:
			a->check = true;
			break;
		case OPT_LINT_FORMS:
			a->lint = true;
			break;
		case OPT_DEBUG_TIMING:
			a->timing_path = optarg;
			break;
		case OPT_HELP_CONFIG:
			a->help_config = true;
			break;
		case OPT_KEYS:
			a->keys = true;
			break;
		case 'h':
			mq_i18n_init(NULL);
			main_usage(stdout);
			return MQ_EXIT_OK;
		case 'V':
			printf("minqing %s (schema version %d)\n", MQ_VERSION, mq_schema_version);
			return MQ_EXIT_OK;
		default:
			mq_i18n_init(NULL);
			main_usage(stderr);
			return MQ_EXIT_USAGE;
		}
	}
	if (a->lint && optind < argc)
		a->lint_dir = argv[optind++]; /* --lint-forms [DIR] */
	if (optind < argc || (a->lint && a->check)) {
		mq_i18n_init(NULL);
		if (optind < argc)
			mq_warnx(_("unexpected argument: %s"), argv[optind]);
		else
			mq_warnx(_("--check and --lint-forms do not go together"));
		main_usage(stderr);
		return MQ_EXIT_USAGE;
	}
	return -1;
}

/*
 * Over 80 lines on purpose: after the options, one sequence of steps
 * (configuration, views and keys, the checks, the terminal, the forms, the
 * connection, the console), each failing with its own exit code, and one
 * place that frees what was made.
 */
int main(int argc, char **argv)
{
	struct main_args args = {0};
	struct mq_config cfg;
	struct mq_identity id;
	struct mq_db *db = NULL;
	const char *config_path, *lint_dir, *timing_path;
	struct console_opts opts;
	char *cause = NULL;
	bool check, lint, help_config, keys;
	int rc;

	main_lean_exec(argv);
	mq_progname = "minqing";
	setlocale(LC_ALL, "");
	/* Zeroed: mq_config_load() fills the defaults; _free() copes with NULLs. */
	memset(&cfg, 0, sizeof cfg);
	if ((rc = main_parse(argc, argv, &args)) >= 0)
		return rc;
	config_path = args.config_path;
	lint_dir = args.lint_dir;
	timing_path = args.timing_path;
	check = args.check;
	lint = args.lint;
	help_config = args.help_config;
	keys = args.keys;
	if ((rc = mq_program_config(&cfg, config_path)) != MQ_EXIT_OK)
		return rc;
	memset(&opts, 0, sizeof opts);
	/* After the files: the table is in the language they choose. */
	if (help_config) {
		mq_config_print_table();
		rc = MQ_EXIT_OK;
		goto out;
	}
	/*
	 * The views' key tables take part in the checks of the bindings and in
	 * --keys, so they are read first (a bad view file stops here, with its
	 * file:line); --lint-forms reads each file itself, one verdict each.
	 */
	if (!lint && main_views_load(&cfg, &opts, &cause) != 0) {
		rc = MQ_EXIT_USAGE;
		goto fail;
	}
	/* The actions in the configured language, with the person's own keys; no database. */
	if (keys) {
		rc = keys_print(&cfg, stdout, &cause) == 0 ? MQ_EXIT_OK : MQ_EXIT_USAGE;
		if (rc != MQ_EXIT_OK)
			goto fail;
		goto out;
	}
	if (keys_check(&cfg, &cause) != 0) {
		rc = MQ_EXIT_USAGE;
		goto fail;
	}
	if (!main_utf8()) {
		main_not_utf8(&cfg);
		rc = MQ_EXIT_TERMINAL;
		goto out;
	}

	if (check || lint) {
		rc = check ? main_check(&cfg) : lint_forms(&cfg, lint_dir);
		goto out;
	}

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		mq_warnx(_("the console needs a terminal: standard input and output must be a "
			   "terminal (for scripts, use --check)"));
		rc = MQ_EXIT_TERMINAL;
		goto out;
	}
	/* A terminal that cannot address the cursor (TERM=dumb) is refused before anything. */
	if (tty_check(&cause) != 0) {
		rc = MQ_EXIT_TERMINAL;
		goto fail;
	}
	if (timing_path != NULL && (opts.timing = fopen(timing_path, "a")) == NULL) {
		mq_warnx(_("cannot open %s: %s"), timing_path, strerror(errno));
		rc = MQ_EXIT_USAGE;
		goto out;
	}
	opts.root = &screen_main_menu;
	/* Before the screen is taken over, so that a password prompt works. */
	if ((rc = main_connect(&cfg, &db, &id)) == MQ_EXIT_OK) {
		rc = console_run(&cfg, db, &id, &opts);
		mq_identity_free(&id);
		mq_db_close(db);
	}
	goto out;
fail:
	mq_warnx("%s", cause);
	free(cause);
out:
	if (opts.timing != NULL)
		fclose(opts.timing);
	case_actions_free();
	mq_forms_free(opts.forms, opts.nforms);
	main_views_free(&opts);
	mq_config_free(&cfg);
	/*
	 * The terminal went away (an SSH session dropped): the connection is
	 * closed and the terminal cannot be restored, so leave at once. A normal
	 * exit would run the exit handlers, and in a sanitizer build the leak
	 * check there was seen to spin forever under the hang-up (ptrace of a
	 * process whose terminal is gone), at a full CPU each.
	 */
	if (rc == 128 + SIGHUP) {
		fflush(NULL);
		_exit(rc);
	}
	return rc;
}
