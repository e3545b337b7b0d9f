/*
 * `minqing-admin user add|disable|enable|move|duty|list`: accounts. Every
 * person who logs in is a PostgreSQL login role; minqing.user_add() creates
 * the role, grants the group role of the duty and writes the staff row in one
 * transaction, and minqing.staff_set_active/unit/duty() change an account
 * (the functions the console's forms call too), so this command only
 * collects the arguments (and, with --password, hashes the password on this
 * side so it never travels or is logged in clear).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"
#include "mq/width.h"

static const char *user_duty_label(const char *duty)
{
	if (strcmp(duty, "officer") == 0)
		return _("information officer");
	if (strcmp(duty, "handler") == 0)
		return _("handler");
	if (strcmp(duty, "supervisor") == 0)
		return _("supervisor");
	if (strcmp(duty, "admin") == 0)
		return _("administrator");
	if (strcmp(duty, "kiosk") == 0)
		return _("kiosk");
	return duty;
}

/* Ask twice; a SCRAM verifier computed by libpq, caller scrubs and frees. */
static char *user_ask_password(struct mq_db *db, const char *login)
{
	char *a, *b, *hash = NULL, *cause = NULL;

	a = mq_db_read_password(_("New password: "));
	if (a == NULL) {
		mq_warnx(_("no password given (a terminal is needed to ask for it)"));
		return NULL;
	}
	b = mq_db_read_password(_("Again: "));
	if (b == NULL || strcmp(a, b) != 0)
		mq_warnx(_("the passwords do not match"));
	else if ((hash = mq_db_encrypt_password(db, a, login, &cause)) == NULL) {
		mq_warnx("%s", cause);
		free(cause);
	}
	memset(a, 0, strlen(a));
	free(a);
	if (b != NULL) {
		memset(b, 0, strlen(b));
		free(b);
	}
	return hash;
}

static int user_add(struct mq_db *db, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"name", required_argument, NULL, 'n'},
		{"unit", required_argument, NULL, 'u'},
		{"duty", required_argument, NULL, 'd'},
		{"position", required_argument, NULL, 'p'},
		{"phone", required_argument, NULL, 't'},
		{"password", no_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	const char *params[7] = {NULL};
	struct mq_db_error err;
	char *hash = NULL;
	PGresult *res;
	bool ask = false;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			params[1] = optarg;
			break;
		case 'u':
			params[2] = optarg;
			break;
		case 'd':
			params[3] = optarg;
			break;
		case 'p':
			params[5] = optarg;
			break;
		case 't':
			params[6] = optarg;
			break;
		case 'P':
			ask = true;
			break;
		default:
			return MQ_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || params[1] == NULL || params[2] == NULL || params[3] == NULL) {
		mq_warnx(_(
			"usage: minqing-admin user add LOGIN --name NAME --unit CODE --duty "
			"officer|handler|supervisor|admin|kiosk [--position TEXT] [--phone NUMBER] "
			"[--password]"));
		return MQ_EXIT_USAGE;
	}
	params[0] = argv[optind];
	if (ask && (hash = user_ask_password(db, params[0])) == NULL)
		return MQ_EXIT_FAILURE;
	params[4] = hash;
	res = mq_db_query(db, &err,
			  "SELECT minqing.user_add($1, $2, $3, $4::minqing.duty, $5, $6, $7)", 7,
			  params);
	if (hash != NULL) {
		memset(hash, 0, strlen(hash));
		free(hash);
	}
	if (res == NULL) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	printf(_("added %s (%s, %s at %s)\n"), params[0], params[1], user_duty_label(params[3]),
	       params[2]);
	PQclear(res);
	return MQ_EXIT_OK;
}

/*
 * One change of an existing account through its minqing.staff_set_*()
 * function (the same the console's forms call): `sql` takes the login as
 * $1 and `value` (NULL: none) as $2. The caller says what was done.
 */
static int user_change(struct mq_db *db, const char *sql, const char *login, const char *value)
{
	struct mq_db_error err;
	const char *params[2] = {login, value};

	if (mq_db_exec(db, &err, sql, value != NULL ? 2 : 1, params) != 0) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	return MQ_EXIT_OK;
}

static int user_disable(struct mq_db *db, int argc, char **argv)
{
	if (argc != 2) {
		mq_warnx(_("usage: minqing-admin user disable LOGIN"));
		return MQ_EXIT_USAGE;
	}
	if (user_change(db, "SELECT minqing.staff_set_active($1, false)", argv[1], NULL) != 0)
		return MQ_EXIT_FAILURE;
	printf(_("disabled %s: the account can no longer log in\n"), argv[1]);
	return MQ_EXIT_OK;
}

static int user_enable(struct mq_db *db, int argc, char **argv)
{
	if (argc != 2) {
		mq_warnx(_("usage: minqing-admin user enable LOGIN"));
		return MQ_EXIT_USAGE;
	}
	if (user_change(db, "SELECT minqing.staff_set_active($1, true)", argv[1], NULL) != 0)
		return MQ_EXIT_FAILURE;
	printf(_("enabled %s: the account can log in again\n"), argv[1]);
	return MQ_EXIT_OK;
}

static int user_move(struct mq_db *db, int argc, char **argv)
{
	if (argc != 3) {
		mq_warnx(_("usage: minqing-admin user move LOGIN UNIT"));
		return MQ_EXIT_USAGE;
	}
	if (user_change(db, "SELECT minqing.staff_set_unit($1, $2)", argv[1], argv[2]) != 0)
		return MQ_EXIT_FAILURE;
	printf(_("moved %s to unit %s\n"), argv[1], argv[2]);
	return MQ_EXIT_OK;
}

static int user_duty(struct mq_db *db, int argc, char **argv)
{
	if (argc != 3) {
		mq_warnx(_("usage: minqing-admin user duty LOGIN "
			   "officer|handler|supervisor|admin|kiosk"));
		return MQ_EXIT_USAGE;
	}
	if (user_change(db, "SELECT minqing.staff_set_duty($1, $2::minqing.duty)", argv[1],
			argv[2]) != 0)
		return MQ_EXIT_FAILURE;
	printf(_("%s is now: %s\n"), argv[1], user_duty_label(argv[2]));
	return MQ_EXIT_OK;
}

static int user_list(struct mq_db *db, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"unit", required_argument, NULL, 'u'},
		{"duty", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	static const int widths[] = {18, 10, 20, 10, 24, 6};
	const char *params[2] = {NULL, NULL};
	struct mq_db_error err;
	PGresult *res;
	int c, i, j;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			params[0] = optarg;
			break;
		case 'd':
			params[1] = optarg;
			break;
		default:
			mq_warnx(_("usage: minqing-admin user list [--unit CODE] [--duty DUTY]"));
			return MQ_EXIT_USAGE;
		}
	}
	/* Under the caller's row-level security: an administrator sees their scope. */
	res = mq_db_query(db, &err,
			  "SELECT s.login, s.display_name, s.duty::text, u.code, u.name, "
			  "CASE WHEN s.active AND r.rolcanlogin THEN 'yes' ELSE 'no' END "
			  "FROM minqing.staff s JOIN minqing.org_unit u ON u.unit_id = s.unit_id "
			  "LEFT JOIN pg_roles r ON r.rolname = s.login "
			  "WHERE ($1::text IS NULL OR u.path OPERATOR(ext.<@) (SELECT path FROM "
			  "minqing.org_unit WHERE code = $1)) AND ($2::text IS NULL OR "
			  "s.duty::text = $2) ORDER BY u.path, s.duty, s.login",
			  2, params);
	if (res == NULL) {
		admin_db_error(&err);
		mq_db_error_clear(&err);
		return MQ_EXIT_FAILURE;
	}
	{
		const char *heads[] = {_("login"), _("name"),      _("duty"),
				       _("unit"),  _("unit name"), _("active")};

		for (j = 0; j < 6; j++) {
			char *cell = mq_strpad(heads[j], widths[j], -1);

			printf("%s%s", cell, j < 5 ? " " : "\n");
			free(cell);
		}
	}
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < 6; j++) {
			const char *v = PQgetvalue(res, i, j);
			char *cell;

			if (j == 2)
				v = user_duty_label(v);
			cell = mq_strpad(v, widths[j], -1);
			printf("%s%s", cell, j < 5 ? " " : "\n");
			free(cell);
		}
	}
	printf(_("%d accounts\n"), PQntuples(res));
	PQclear(res);
	return MQ_EXIT_OK;
}

static int user_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(db, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "disable") == 0)
		return user_disable(db, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "enable") == 0)
		return user_enable(db, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "move") == 0)
		return user_move(db, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "duty") == 0)
		return user_duty(db, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return user_list(db, argc - 1, argv + 1);
	mq_warnx(_("usage: minqing-admin user add|disable|enable|move|duty|list ..."));
	return MQ_EXIT_USAGE;
}

const struct admin_cmd admin_cmd_user = {
	.name = "user",
	.usage = N_("user add|disable|enable|move|duty|list ..."),
	.details = N_(
		"  user add LOGIN --name NAME --unit CODE --duty DUTY [--position TEXT] [--phone "
		"NUMBER]\n"
		"           [--password]\n"
		"  user disable LOGIN\n"
		"  user enable LOGIN\n"
		"  user move LOGIN UNIT\n"
		"  user duty LOGIN DUTY\n"
		"  user list [--unit CODE] [--duty DUTY]\n"
		"DUTY: officer, handler, supervisor, admin or kiosk. Without --password the "
		"account\n"
		"logs in by peer authentication or a certificate; with it, the password is asked\n"
		"for and hashed here, never sent in clear."),
	.help = N_(
		"add, disable, enable, move or list the accounts of staff, or change their duty"),
	.needs_schema = true,
	.exec = user_exec,
};
