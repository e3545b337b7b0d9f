/*
 * minqing-admin: entry point, option parsing and command dispatch. Every
 * command connects by libpq's rules (config file, then PG* variables) and,
 * unless it is `migrate`, refuses a database whose schema version it does
 * not know.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/program.h"
#include "mq/width.h"

static const struct admin_cmd *admin_cmds[] = {
	&admin_cmd_migrate, &admin_cmd_demo_data, &admin_cmd_user,
	&admin_cmd_check,   &admin_cmd_stats,     &admin_cmd_import,
	&admin_cmd_export,  &admin_cmd_report,    &admin_cmd_status,
};

static void admin_usage(FILE *f)
{
	size_t i;

	fprintf(f, _("Usage: minqing-admin [-c FILE] COMMAND [ARGS]\n\n"
		     "Administration of Minqing e-Station (民情e站).\n\nCommands:\n"));
	for (i = 0; i < MQ_NITEMS(admin_cmds); i++) {
		const char *usage = _(admin_cmds[i]->usage);
		char *padded;

		/* A usage too long for its column has a line of its own, never cut. */
		if (mq_strwidth(usage) > 40) {
			fprintf(f, "  %s\n  %-40s %s\n", usage, "", _(admin_cmds[i]->help));
			continue;
		}
		/* Padded by display width: the usage may be Chinese. */
		padded = mq_strpad(usage, 40, -1);
		fprintf(f, "  %s %s\n", padded, _(admin_cmds[i]->help));
		free(padded);
	}
	fprintf(f, _("\nOptions:\n"
		     "  -c, --config FILE   read FILE after the system and user configuration\n"
		     "  -h, --help          show this help\n"
		     "      --help-config   show every setting of the configuration file (type,\n"
		     "                      default, allowed values) and exit\n"
		     "  -V, --version       show the version and the schema version\n\n"
		     "The database is chosen by the configuration file, then PGHOST, PGPORT,\n"
		     "PGUSER and PGDATABASE. Exit codes: 0 ok, 1 failed, 2 usage or\n"
		     "configuration, 3 cannot connect, 4 schema version mismatch.\n"));
}

/* `minqing-admin COMMAND --help`: needs no database. */
static void admin_cmd_usage(const struct admin_cmd *cmd)
{
	printf(_("Usage: minqing-admin [-c FILE] %s\n"), _(cmd->usage));
	if (cmd->details != NULL)
		printf("%s\n", _(cmd->details));
	printf("\n%s\n", _(cmd->help));
}

/* Whether COMMAND's arguments ask for its help (-h or --help before a "--"). */
static bool admin_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	return false;
}

const char *const admin_iconv_encoding[] = {"UTF-8", "GBK", "GB18030"};

int admin_parse_encoding(const char *s, enum admin_encoding *enc)
{
	if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
		*enc = ADMIN_ENC_UTF8;
	else if (strcasecmp(s, "gbk") == 0 || strcasecmp(s, "cp936") == 0)
		*enc = ADMIN_ENC_GBK;
	else if (strcasecmp(s, "gb18030") == 0)
		*enc = ADMIN_ENC_GB18030;
	else {
		mq_warnx(_("unknown encoding %s: give utf-8, gbk or gb18030"), s);
		return -1;
	}
	return 0;
}

char *admin_csv_field(const char *s, bool always)
{
	size_t len = 0;
	char *out;

	if (!always && strpbrk(s, ",\"\r\n") == NULL)
		return xstrdup(s);
	out = xmalloc(2 * strlen(s) + 3);
	out[len++] = '"';
	for (; *s != '\0'; s++) {
		if (*s == '"')
			out[len++] = '"';
		out[len++] = *s;
	}
	out[len++] = '"';
	out[len] = '\0';
	return out;
}

void admin_out_write(struct admin_out *o, const char *s)
{
	char *in = (char *)s, *buf, *out;
	size_t inleft = strlen(s), outleft = 4 * inleft + 16;

	if (o->cd == (iconv_t)-1) {
		if (fputs(s, o->f) == EOF)
			o->failed = true;
		return;
	}
	buf = out = xmalloc(outleft);
	if (iconv(o->cd, &in, &inleft, &out, &outleft) == (size_t)-1 ||
	    iconv(o->cd, NULL, NULL, &out, &outleft) == (size_t)-1 ||
	    fwrite(buf, 1, (size_t)(out - buf), o->f) != (size_t)(out - buf))
		o->failed = true;
	free(buf);
}

void admin_db_error(const struct mq_db_error *err)
{
	char *text = mq_db_error_text(err);

	mq_warnx("%s", text);
	if (err->hint != NULL)
		fprintf(stderr, _("hint: %s\n"), err->hint);
	free(text);
}

bool admin_is_superuser(struct mq_db *db)
{
	return mq_db_is_superuser(db);
}

int admin_exec_script(struct mq_db *db, const char *sql, struct mq_db_error *err)
{
	return mq_db_run_script(db, err, sql);
}

/*
 * Over 80 lines on purpose: option parsing, configuration, dispatch and
 * connection read best as one sequence of early returns, each with its exit code.
 */
int main(int argc, char **argv)
{
	enum { OPT_HELP_CONFIG = 256 };
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"help-config", no_argument, NULL, OPT_HELP_CONFIG},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct mq_program_db how = {.appname = "minqing-admin", .prompt = MQ_DB_PROMPT_ON_TTY};
	struct admin_ctx ctx;
	const struct admin_cmd *cmd = NULL;
	struct mq_db *db;
	char *cause = NULL;
	size_t i;
	int c, rc;
	bool help_config = false, help = false;

	mq_progname = "minqing-admin";
	setlocale(LC_ALL, "");
	/* Zeroed: mq_config_load() fills the defaults; _free() copes with NULLs. */
	memset(&ctx, 0, sizeof ctx);
	/* "+": stop at the command name; its own options follow it. */
	while ((c = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			ctx.config_path = optarg;
			break;
		case OPT_HELP_CONFIG:
			help_config = true;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			printf("minqing-admin %s (schema version %d)\n", MQ_VERSION,
			       mq_schema_version);
			mq_config_free(&ctx.cfg);
			return MQ_EXIT_OK;
		default:
			mq_i18n_init(ctx.cfg.ui_language);
			admin_usage(stderr);
			mq_config_free(&ctx.cfg);
			return MQ_EXIT_USAGE;
		}
	}
	/* The help in the configuration's language (a broken file: said, then the default's). */
	if (help) {
		if (mq_program_config(&ctx.cfg, ctx.config_path) != MQ_EXIT_OK)
			mq_i18n_init(NULL);
		admin_usage(stdout);
		mq_config_free(&ctx.cfg);
		return MQ_EXIT_OK;
	}
	if ((rc = mq_program_config(&ctx.cfg, ctx.config_path)) != MQ_EXIT_OK)
		return rc;
	/* A global option: no command, no database. */
	if (help_config) {
		mq_config_print_table();
		mq_config_free(&ctx.cfg);
		return MQ_EXIT_OK;
	}
	if (optind >= argc) {
		admin_usage(stderr);
		mq_config_free(&ctx.cfg);
		return MQ_EXIT_USAGE;
	}
	for (i = 0; i < MQ_NITEMS(admin_cmds); i++)
		if (strcmp(argv[optind], admin_cmds[i]->name) == 0)
			cmd = admin_cmds[i];
	if (cmd == NULL) {
		mq_warnx(_("unknown command: %s"), argv[optind]);
		admin_usage(stderr);
		mq_config_free(&ctx.cfg);
		return MQ_EXIT_USAGE;
	}
	if (admin_wants_help(argc - optind, argv + optind)) {
		admin_cmd_usage(cmd);
		mq_config_free(&ctx.cfg);
		return MQ_EXIT_OK;
	}

	how.schema = cmd->needs_schema;
	if ((rc = mq_program_connect(&ctx.cfg, &how, &db, &cause)) != MQ_EXIT_OK) {
		mq_warnx("%s", cause);
		free(cause);
		mq_config_free(&ctx.cfg);
		return rc;
	}
	optind++; /* the command parses its own options from argv[0] = its name */
	rc = cmd->exec(&ctx, db, argc - optind + 1, argv + optind - 1);
	mq_db_close(db);
	mq_config_free(&ctx.cfg);
	return rc;
}
