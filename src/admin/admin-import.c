/*
 * `minqing-admin import households|residents|party-members|links|archive
 * FILE`: paper registers and the village archive into the system
 * (docs/import-export.md). The file is CSV as a
 * village office saves it from Excel or WPS: UTF-8 with or without a BOM,
 * or GBK/GB18030 (--encoding). This program parses nothing of it: it
 * strips a UTF-8 BOM, refuses a BOM that contradicts --encoding, and hands
 * the bytes to PostgreSQL's own COPY (FORMAT csv, HEADER, ENCODING), into
 * the view minqing.import_input under an import opened by
 * minqing.import_begin(). The database checks the rows set-based and writes
 * them (minqing.import_KIND()), all in one transaction; this side prints
 * the rejects with their line numbers in the person's language (the
 * reasons are English templates, msgids below) and, with --partial, writes
 * the rejected rows with their reasons to a reject file in the encoding of
 * the input.
 *
 * Exit codes: 0 imported (with --partial, also when rows were rejected), 1
 * rows rejected and nothing written, the file unreadable or refused by
 * COPY, or the database refused; 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "mq/common.h"
#include "mq/i18n.h"

struct import_kind {
	const char *name;     /* the command's word, also minqing.import_run.kind */
	const char *function; /* minqing.import_...(p_import, p_partial) */
	int ncolumns;
	const char *columns[8]; /* the file's columns in order: labels, translated */
};

static const struct import_kind import_kinds[] = {
	{"households",
	 "minqing.import_households",
	 5,
	 {N_("village code"), N_("household number"), N_("address"), N_("phone number"),
	  N_("grid cell")}},
	{"residents",
	 "minqing.import_residents",
	 8,
	 {N_("village code"), N_("household number"), N_("name"), N_("gender"), N_("date of birth"),
	  N_("relation"), N_("phone number"), N_("ID number")}},
	{"party-members",
	 "minqing.import_party_members",
	 3,
	 {N_("ID number"), N_("party branch"), N_("joined on")}},
	{"links",
	 "minqing.import_links",
	 3,
	 {N_("ID number"), N_("village code"), N_("household number")}},
	/* The village archive, one field a row (docs/import-export.md); the
	   format `minqing-admin export archive` writes. */
	{"archive",
	 "minqing.import_archive",
	 5,
	 {N_("village code"), N_("archive section"), N_("item number"), N_("archive field"),
	  N_("field value")}},
};

/*
 * The reasons schema/functions/59_import.sql gives a rejected row, so that
 * xgettext finds them; each %s is a parameter (args), in order.
 */
static const char *const import_reasons[] MQ_UNUSED = {
	N_("a value is required"),
	N_("unknown village %s"),
	N_("village %s is outside your jurisdiction"),
	N_("longer than %s characters"),
	N_("holds control or invisible characters"),
	N_("not a phone number: %s"),
	N_("not an ID number (17 digits and a check character): %s"),
	N_("wrong check character in ID number %s"),
	N_("household number %s appears again (first at line %s)"),
	N_("household number %s is already registered at another address: %s"),
	N_("gender must be M or F (男 or 女), not %s"),
	N_("not a date (YYYY-MM-DD): %s"),
	N_("unknown relation %s"),
	N_("no household %s in village %s"),
	N_("ID number %s appears again (first at line %s)"),
	N_("resident %s appears again in household %s (first at line %s)"),
	N_("ID number %s is already registered in another household"),
	N_("no resident with ID number %s in your jurisdiction"),
	N_("no party member with ID number %s in your jurisdiction"),
	N_("household %s is not in the village of the party member"),
	N_("household %s already has another party member as its contact"),
	N_("household %s appears again in the file"),
	N_("party member %s would look after more than 10 households"),
	N_("unknown archive section %s"),
	N_("section %s has no field %s"),
	N_("%s is a field of a list: give the item number"),
	N_("%s is not in a list: leave the item empty"),
	N_("the item of the collective economy is the year (1949 to 2100), not %s"),
	N_("the item must be a number from 1 to 200, not %s"),
	N_("not a number: %s"),
	N_("must not be negative: %s"),
	N_("not a whole number: %s"),
	N_("unknown value %s: give one of %s"),
	N_("%s appears again (first at line %s)"),
	N_("item %s lacks %s"),
	N_("section %s of %s has rejected rows: it is left as it was"),
	N_("the archive refused section %s of %s: %s"),
};

static const char *const import_copy_encoding[] = {"UTF8", "GBK", "GB18030"};

/* The file as COPY reads it: what was read ahead to find a BOM comes first. */
struct import_input {
	FILE *f;
	char head[4];
	size_t head_len, head_pos;
	int read_errno;
};

static long import_read(void *arg, char *buf, size_t size)
{
	struct import_input *in = arg;
	size_t n = 0;

	if (in->head_pos < in->head_len) {
		n = in->head_len - in->head_pos;
		if (n > size)
			n = size;
		memcpy(buf, in->head + in->head_pos, n);
		in->head_pos += n;
		return (long)n;
	}
	n = fread(buf, 1, size, in->f);
	if (n == 0 && ferror(in->f)) {
		in->read_errno = errno != 0 ? errno : EIO;
		return -1;
	}
	return (long)n;
}

/*
 * Read ahead for a byte-order mark. A UTF-8 BOM is skipped (Excel writes
 * one with "CSV UTF-8"), and refused with another --encoding; UTF-16 (Excel's
 * "Unicode text") is refused. MQ_EXIT_OK, or the code to exit with after
 * saying why.
 */
static int import_sniff(struct import_input *in, const char *path, enum admin_encoding enc,
			bool *bom)
{
	const unsigned char *h = (const unsigned char *)in->head;

	in->head_len = fread(in->head, 1, sizeof in->head, in->f);
	if (in->head_len < sizeof in->head && ferror(in->f)) {
		mq_warnx(_("cannot read %s: %s"), path, strerror(errno));
		return MQ_EXIT_FAILURE;
	}
	*bom = false;
	if (in->head_len >= 2 &&
	    ((h[0] == 0xff && h[1] == 0xfe) || (h[0] == 0xfe && h[1] == 0xff))) {
		mq_warnx(_("%s is UTF-16 (Excel's \"Unicode text\"): save it as CSV (UTF-8 or GBK) "
			   "and import that"),
			 path);
		return MQ_EXIT_FAILURE;
	}
	if (in->head_len >= 3 && h[0] == 0xef && h[1] == 0xbb && h[2] == 0xbf) {
		if (enc != ADMIN_ENC_UTF8) {
			mq_warnx(_("%s begins with the byte-order mark of UTF-8, but --encoding "
				   "says %s: "
				   "leave --encoding out for this file"),
				 path, admin_iconv_encoding[enc]);
			return MQ_EXIT_USAGE;
		}
		*bom = true;
		in->head_pos = 3;
	}
	return MQ_EXIT_OK;
}

/*
 * The reason in the person's language with its parameters put in: %s takes
 * the next one, %N$s the Nth (a translation may reorder them), %% is %. The
 * template is only ever copied, never given to printf. Caller frees.
 */
static char *import_reason_text(const char *reason, char **args, int nargs)
{
	const char *t = _(reason);
	size_t cap = strlen(t) + 1, len = 0;
	char *out;
	int next = 0, i;

	for (i = 0; i < nargs; i++)
		cap += strlen(args[i]);
	out = xmalloc(cap);
	while (*t != '\0') {
		const char *arg = NULL;

		if (t[0] == '%' && t[1] == '%') {
			out[len++] = '%';
			t += 2;
			continue;
		}
		if (t[0] == '%' && t[1] == 's') {
			arg = next < nargs ? args[next] : "";
			next++;
			t += 2;
		} else if (t[0] == '%' && t[1] >= '1' && t[1] <= '9' && t[2] == '$' &&
			   t[3] == 's') {
			int k = t[1] - '1';

			arg = k < nargs ? args[k] : "";
			t += 4;
		}
		if (arg != NULL) {
			size_t n = strlen(arg);

			/* cap counts each argument once; a repeated %N$s grows the buffer. */
			if (len + n + strlen(t) + 1 > cap) {
				cap = len + n + strlen(t) + 1;
				out = xrealloc(out, cap);
			}
			memcpy(out + len, arg, n);
			len += n;
			continue;
		}
		if (len + 2 > cap) {
			cap = len + 2 + strlen(t);
			out = xrealloc(out, cap);
		}
		out[len++] = *t++;
	}
	out[len] = '\0';
	return out;
}

/*
 * The elements of a one-dimensional text[] as PostgreSQL prints it
 * ({a,"b c",NULL}): the import functions' args, text the database made.
 * Returns the count; *out holds that many strings (caller frees each and
 * the array).
 */
static int import_split_array(const char *s, char ***out)
{
	size_t cap = 4;
	int n = 0;
	char **v = xcalloc(cap, sizeof *v);

	if (*s == '{')
		s++;
	while (*s != '\0' && *s != '}') {
		size_t len = 0, vcap = strlen(s) + 1;
		char *e = xmalloc(vcap);
		bool quoted = *s == '"';

		if (quoted) {
			s++;
			while (*s != '\0' && *s != '"') {
				if (*s == '\\' && s[1] != '\0')
					s++;
				e[len++] = *s++;
			}
			if (*s == '"')
				s++;
		} else {
			while (*s != '\0' && *s != ',' && *s != '}')
				e[len++] = *s++;
		}
		e[len] = '\0';
		if ((size_t)n == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = e;
		if (*s == ',')
			s++;
	}
	*out = v;
	return n;
}

/* The label of column "cN" of kind k, translated. */
static const char *import_column_label(const struct import_kind *k, const char *field)
{
	int i = field[0] == 'c' ? atoi(field + 1) : 0;

	if (i >= 1 && i <= k->ncolumns)
		return _(k->columns[i - 1]);
	return field;
}

/*
 * Print the rejects (line, column, reason) on stdout and, when rejects is
 * given, write each rejected row once with its reasons joined by "; ".
 */
static void import_report(const struct import_kind *k, PGresult *res, struct admin_out *rejects)
{
	char *reasons = NULL, *record = NULL;
	const char *last_line = NULL;
	int i, j;

	for (i = 0; i <= PQntuples(res); i++) {
		const char *line = i < PQntuples(res) ? mq_db_field(res, i, "line") : NULL;
		char **args, *text;
		int nargs;

		/* A new line: the previous one's reasons go to the reject file. */
		if (rejects != NULL && last_line != NULL &&
		    (line == NULL || strcmp(line, last_line) != 0)) {
			char *field = admin_csv_field(reasons, true);
			char *out = xasprintf("%s,%s\n", record, field);

			admin_out_write(rejects, out);
			free(out);
			free(field);
			free(reasons);
			reasons = NULL;
		}
		if (line == NULL)
			break;
		nargs = import_split_array(mq_db_field(res, i, "args"), &args);
		text = import_reason_text(mq_db_field(res, i, "reason"), args, nargs);
		printf(_("line %s, %s: %s\n"), line,
		       import_column_label(k, mq_db_field(res, i, "field")), text);
		if (reasons == NULL) {
			reasons = xstrdup(text);
		} else {
			char *more = xasprintf("%s; %s", reasons, text);

			free(reasons);
			reasons = more;
		}
		record = (char *)mq_db_field(res, i, "record");
		last_line = line;
		free(text);
		for (j = 0; j < nargs; j++)
			free(args[j]);
		free(args);
	}
	free(reasons);
}

/* The header of the reject file: the kind's columns and the reason, translated. */
static void import_reject_header(const struct import_kind *k, struct admin_out *r, bool bom)
{
	char *line = xstrdup(bom ? "\xef\xbb\xbf" : "");
	int i;

	for (i = 0; i <= k->ncolumns; i++) {
		char *field =
			admin_csv_field(i < k->ncolumns ? _(k->columns[i]) : _("reason"), true);
		char *next = xasprintf("%s%s%s", line, field, i < k->ncolumns ? "," : "\n");

		free(line);
		free(field);
		line = next;
	}
	admin_out_write(r, line);
	free(line);
}

static int import_usage(void)
{
	mq_warnx(_("usage: minqing-admin import households|residents|party-members|links|archive "
		   "FILE [--encoding utf-8|gbk|gb18030] [--partial] [--reject-file FILE]"));
	return MQ_EXIT_USAGE;
}

/* COPY's refusal of the file: its words and, from its context, the line. */
static void import_copy_error(const struct import_kind *k, const char *path,
			      const struct mq_db_error *err, enum admin_encoding enc)
{
	const char *at = err->context != NULL ? strstr(err->context, ", line ") : NULL;
	long line = at != NULL ? strtol(at + 7, NULL, 10) : 0;

	if (line > 0)
		mq_warnx(_("%s, line %ld: the file cannot be read as CSV: %s"), path, line,
			 err->message);
	else
		mq_warnx(_("%s: the file cannot be read as CSV: %s"), path, err->message);
	/* 22021: invalid byte sequence for the encoding COPY was told. */
	if (strcmp(err->sqlstate, "22021") == 0 && enc == ADMIN_ENC_UTF8)
		fprintf(stderr, _("hint: a file saved by Excel or WPS as plain CSV is in GBK: "
				  "try --encoding gbk\n"));
	else if (strcmp(err->sqlstate, "22P04") == 0) {
		char *list = xstrdup("");
		int i;

		for (i = 0; i < k->ncolumns; i++) {
			char *next = xasprintf("%s%s%s", list, i > 0 ? ", " : "", _(k->columns[i]));

			free(list);
			list = next;
		}
		fprintf(stderr, _("hint: a register of %s has %d columns, in this order: %s\n"),
			k->name, k->ncolumns, list);
		free(list);
	}
}

/*
 * One import in one transaction: begin, COPY, check and write, report,
 * commit. The reject file is written before the commit: when it cannot be,
 * nothing is imported.
 */
static int import_run(struct mq_db *db, const struct import_kind *k, const char *path,
		      enum admin_encoding enc, bool partial, const char *reject_path)
{
	struct import_input in = {0};
	struct admin_out rejects = {NULL, (iconv_t)-1, false};
	struct mq_db_error err;
	const char *params[2];
	char *id = NULL, *sql = NULL, *columns = NULL;
	PGresult *res = NULL, *sum = NULL;
	bool bom = false, written;
	int rc, i;

	if ((in.f = fopen(path, "rb")) == NULL) {
		mq_warnx(_("cannot open %s: %s"), path, strerror(errno));
		return MQ_EXIT_FAILURE;
	}
	if ((rc = import_sniff(&in, path, enc, &bom)) != MQ_EXIT_OK) {
		fclose(in.f);
		return rc;
	}
	rc = MQ_EXIT_FAILURE;
	if (mq_db_begin(db, &err) != 0)
		goto db_failed;
	params[0] = k->name;
	if ((res = mq_db_query(db, &err, "SELECT minqing.import_begin($1) AS id", 1, params)) ==
	    NULL)
		goto db_failed;
	id = xstrdup(mq_db_field(res, 0, "id"));
	PQclear(res);
	res = NULL;
	params[0] = id;
	if (mq_db_exec(db, &err, "SELECT set_config('minqing.import_id', $1, true)", 1, params) !=
	    0)
		goto db_failed;
	columns = xstrdup("c1");
	for (i = 2; i <= k->ncolumns; i++) {
		char *next = xasprintf("%s, c%d", columns, i);

		free(columns);
		columns = next;
	}
	sql = xasprintf("COPY minqing.import_input (%s) FROM STDIN "
			"(FORMAT csv, HEADER true, ENCODING '%s')",
			columns, import_copy_encoding[enc]);
	if (mq_db_copy_in(db, &err, sql, import_read, &in, "the file could not be read") != 0) {
		if (in.read_errno != 0)
			mq_warnx(_("cannot read %s: %s"), path, strerror(in.read_errno));
		else
			import_copy_error(k, path, &err, enc);
		mq_db_error_clear(&err);
		mq_db_rollback(db, NULL);
		goto out;
	}
	params[1] = partial ? "true" : "false";
	free(sql);
	sql = xasprintf("SELECT line, field, reason, args, record FROM %s($1, $2)", k->function);
	if ((res = mq_db_query(db, &err, sql, 2, params)) == NULL)
		goto db_failed;
	if ((sum = mq_db_query(db, &err,
			       "SELECT read_rows, inserted, updated, unchanged, rejected, written "
			       "FROM minqing.import_run WHERE import_id = $1",
			       1, params)) == NULL ||
	    PQntuples(sum) != 1)
		goto db_failed;
	written = strcmp(mq_db_field(sum, 0, "written"), "t") == 0;
	if (PQntuples(res) > 0 && (partial || reject_path != NULL)) {
		char *def = reject_path == NULL ? xasprintf("%s.rejected.csv", path) : NULL;
		const char *to = reject_path != NULL ? reject_path : def;

		if (enc != ADMIN_ENC_UTF8)
			rejects.cd = iconv_open(admin_iconv_encoding[enc], "UTF-8");
		rejects.f = fopen(to, "wb");
		if (rejects.f != NULL && (enc == ADMIN_ENC_UTF8 || rejects.cd != (iconv_t)-1)) {
			import_reject_header(k, &rejects, bom);
			import_report(k, res, &rejects);
		} else {
			rejects.failed = true;
		}
		if (rejects.f != NULL && fclose(rejects.f) != 0)
			rejects.failed = true;
		if (rejects.cd != (iconv_t)-1)
			iconv_close(rejects.cd);
		if (rejects.failed) {
			mq_warnx(_("cannot write the reject file %s: %s; nothing was imported"), to,
				 strerror(errno));
			free(def);
			mq_db_rollback(db, NULL);
			goto out;
		}
		printf(_("the rejected rows and their reasons are in %s\n"), to);
		free(def);
	} else {
		import_report(k, res, NULL);
	}
	if (mq_db_commit(db, &err) != 0)
		goto db_failed;
	printf(_("%s: %s rows read, %s inserted, %s updated, %s unchanged, %s rejected\n"), path,
	       mq_db_field(sum, 0, "read_rows"), mq_db_field(sum, 0, "inserted"),
	       mq_db_field(sum, 0, "updated"), mq_db_field(sum, 0, "unchanged"),
	       mq_db_field(sum, 0, "rejected"));
	if (!written) {
		mq_warnx(_(
			"nothing was imported: correct the rows above and run the import again, or "
			"take the good rows with --partial"));
		goto out;
	}
	rc = MQ_EXIT_OK;
	goto out;

db_failed:
	/* A refusal without parameters has its words in the catalogue (servertext.c). */
	if (err.message != NULL && strcmp(_(err.message), err.message) != 0)
		mq_warnx("%s", _(err.message));
	else if (strcmp(err.sqlstate, "42501") == 0) /* not granted: not an administrator */
		mq_warnx("%s", _("only an administrator may import registers"));
	else
		admin_db_error(&err);
	mq_db_error_clear(&err);
	mq_db_rollback(db, NULL);
out:
	PQclear(res);
	PQclear(sum);
	free(sql);
	free(columns);
	free(id);
	fclose(in.f);
	return rc;
}

static int import_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"encoding", required_argument, NULL, 'e'},
		{"partial", no_argument, NULL, 'p'},
		{"reject-file", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	enum admin_encoding enc = ADMIN_ENC_UTF8;
	const struct import_kind *kind = NULL;
	const char *reject_path = NULL;
	bool partial = false;
	size_t i;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (admin_parse_encoding(optarg, &enc) != 0)
				return MQ_EXIT_USAGE;
			break;
		case 'p':
			partial = true;
			break;
		case 'r':
			reject_path = optarg;
			break;
		default:
			return import_usage();
		}
	}
	if (optind != argc - 2)
		return import_usage();
	for (i = 0; i < MQ_NITEMS(import_kinds); i++)
		if (strcmp(argv[optind], import_kinds[i].name) == 0)
			kind = &import_kinds[i];
	if (kind == NULL) {
		mq_warnx(_("unknown kind of register: %s"), argv[optind]);
		return import_usage();
	}
	return import_run(db, kind, argv[optind + 1], enc, partial, reject_path);
}

const struct admin_cmd admin_cmd_import = {
	.name = "import",
	.usage = N_("import KIND FILE [--encoding E] [--partial] [--reject-file FILE]"),
	.details = N_("KIND: households, residents, party-members, links or archive (CSV, as Excel "
		      "or WPS\n"
		      "saves it); E: utf-8 (default), gbk or gb18030. --partial keeps the good "
		      "rows of a\n"
		      "file with bad ones; --reject-file writes the bad rows and why to FILE."),
	.help = N_("paper registers into the system: households, residents, party-members, links, "
		   "archive (CSV)"),
	.needs_schema = true,
	.exec = import_exec,
};
