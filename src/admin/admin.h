/*
 * minqing-admin: the administration command line. One file per command
 * (admin-migrate.c, admin-demo.c, admin-user.c, admin-check.c), each exported
 * as a descriptor, as tmux does with its commands.
 */
#ifndef MQ_ADMIN_H
#define MQ_ADMIN_H

#include <iconv.h>
#include <stdio.h>

#include "mq/config.h"
#include "mq/db.h"

struct admin_ctx {
	struct mq_config cfg;
	const char *config_path; /* -c FILE or NULL */
};

struct admin_cmd {
	const char *name;
	const char *usage; /* English; translated when printed */
	const char *help;
	/* More usage lines for `minqing-admin COMMAND --help` (English; NULL: none). */
	const char *details;
	bool needs_schema; /* refuse a database at another schema version */
	/* Returns an enum mq_exit code. argv[0] is the command name. */
	int (*exec)(struct admin_ctx *ctx, struct mq_db *db, int argc, char **argv);
};

extern const struct admin_cmd admin_cmd_migrate;
extern const struct admin_cmd admin_cmd_demo_data;
extern const struct admin_cmd admin_cmd_user;
extern const struct admin_cmd admin_cmd_check;
extern const struct admin_cmd admin_cmd_stats;
extern const struct admin_cmd admin_cmd_import;
extern const struct admin_cmd admin_cmd_export;
extern const struct admin_cmd admin_cmd_report;
extern const struct admin_cmd admin_cmd_status;

/* The encodings of the files import reads and export writes. */
enum admin_encoding { ADMIN_ENC_UTF8, ADMIN_ENC_GBK, ADMIN_ENC_GB18030 };
extern const char *const admin_iconv_encoding[]; /* "UTF-8", "GBK", "GB18030" */

/* utf-8 (utf8), gbk (cp936) or gb18030, any case: 0, or -1 after saying so. */
int admin_parse_encoding(const char *s, enum admin_encoding *enc);

/*
 * A file written in an encoding: UTF-8 strings converted on the way
 * (cd is (iconv_t)-1 for UTF-8). failed says a write or a conversion
 * failed (a character GBK does not have); the caller opens and closes f
 * and cd.
 */
struct admin_out {
	FILE *f;
	iconv_t cd;
	bool failed;
};

/*
 * s as one CSV field: quoted with its quotes doubled, always or (!always)
 * only when it holds a comma, a quote or a line break. Caller frees.
 */
char *admin_csv_field(const char *s, bool always);

/* Write the UTF-8 string s to o in o's encoding. */
void admin_out_write(struct admin_out *o, const char *s);

/* Print a database error as "minqing-admin: message" with detail and hint. */
void admin_db_error(const struct mq_db_error *err);

/* Is the connected role a superuser? */
bool admin_is_superuser(struct mq_db *db);

/* Run a script (several statements, simple protocol). 0 or -1 with err set. */
int admin_exec_script(struct mq_db *db, const char *sql, struct mq_db_error *err);

#endif
