/*
 * `minqing-admin export archive UNIT_CODE`: a village's whole archive (the
 * eight sections of docs/archive.md, as they stand) for a spreadsheet or
 * for printing (docs/import-export.md).
 *
 * --format csv (the default): one field a row, "village code, section,
 * item, field, value", the sections by their Chinese names and the fields
 * by their Chinese labels (minqing.archive_export()): the format `import
 * archive` reads, so a file exported and imported again changes nothing.
 * UTF-8 with a byte-order mark (Excel opens it as UTF-8), or GBK/GB18030
 * without one (--encoding); rows end in CRLF, a field with a comma, quote
 * or line break is quoted with its quotes doubled.
 *
 * --format text: the sections as headings, "label：value" lines wrapped at
 * 80 display columns (a Chinese character is two; mq_linebreak() never cuts
 * one), for printing.
 *
 * Runs as the caller's login: archive_section() (through archive_export())
 * checks the duty and jurisdiction, so the database decides what may be
 * exported. Exit codes: 0 written, 1 refused or not writable (a character
 * the encoding lacks), 2 usage.
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
#include "mq/width.h"

#define EXPORT_COLUMNS 80

static int export_usage(void)
{
	mq_warnx(_("usage: minqing-admin export archive UNIT_CODE [--format csv|text] "
		   "[--encoding utf-8|gbk|gb18030] [--output FILE]"));
	return MQ_EXIT_USAGE;
}

static void export_csv(struct admin_out *o, PGresult *rows, bool bom)
{
	const char *header[] = {N_("village code"), N_("archive section"), N_("item number"),
				N_("archive field"), N_("field value")};
	const char *column[] = {"unit_code", "section_name", "item", "label", "value"};
	int i, j;

	if (bom)
		admin_out_write(o, "\xef\xbb\xbf");
	for (i = -1; i < PQntuples(rows); i++) {
		for (j = 0; j < 5; j++) {
			char *f = admin_csv_field(
				i < 0 ? _(header[j]) : mq_db_field(rows, i, column[j]), false);

			admin_out_write(o, f);
			admin_out_write(o, j < 4 ? "," : "\r\n");
			free(f);
		}
	}
}

/*
 * text broken into lines of EXPORT_COLUMNS display columns after indent
 * spaces, the lines after the first indented two more.
 */
static void export_wrapped(struct admin_out *o, int indent, const char *text)
{
	const char *p = text, *next;
	bool first = true;

	do {
		int in = indent + (first ? 0 : 2);
		size_t n = mq_linebreak(p, EXPORT_COLUMNS - in, NULL, &next);
		char *line = xasprintf("%*s%.*s\n", in, "", (int)n, p);

		admin_out_write(o, line);
		free(line);
		first = false;
		p = next;
	} while (*p != '\0');
}

static const char *const export_numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八"};

/* The sections (archive_sections) as headings, each with its rows. */
static void export_text(struct admin_out *o, PGresult *sections, PGresult *rows)
{
	int i, r = 0;
	char *title;

	if (PQntuples(sections) == 0)
		return;
	title = xasprintf(_("Village archive of %s (%s)\n"), mq_db_field(sections, 0, "unit_name"),
			  mq_db_field(sections, 0, "unit_code"));
	admin_out_write(o, title);
	free(title);
	for (i = 0; i < PQntuples(sections) && i < 8; i++) {
		const char *sec = mq_db_field(sections, i, "section");
		const char *rev = mq_db_field(sections, i, "revision_no");
		const char *last_item = "";
		char *head;
		bool any = false;

		if (strcmp(rev, "0") == 0)
			head = xasprintf(_("\n%s. %s (never saved)\n"), export_numerals[i],
					 mq_db_field(sections, i, "name"));
		else
			head = xasprintf(_("\n%s. %s (revision %s, saved %.10s)\n"),
					 export_numerals[i], mq_db_field(sections, i, "name"), rev,
					 mq_db_field(sections, i, "saved_at"));
		admin_out_write(o, head);
		free(head);
		for (; r < PQntuples(rows) && strcmp(mq_db_field(rows, r, "section"), sec) == 0;
		     r++) {
			const char *item = mq_db_field(rows, r, "item");
			char *line;
			int indent = item[0] != '\0' ? 2 : 0;

			if (strcmp(item, last_item) != 0) {
				/* 集体经济's items are years, the others numbers. */
				char *ih = strcmp(sec, "5") == 0 ? xasprintf(_("year %s:\n"), item)
								 : xasprintf("（%s）\n", item);

				admin_out_write(o, ih);
				free(ih);
				last_item = item;
			}
			/* The labels are Chinese (archive_labels()), so the colon is too. */
			line = xasprintf("%s：%s", mq_db_field(rows, r, "label"),
					 mq_db_field(rows, r, "value"));
			export_wrapped(o, indent, line);
			free(line);
			any = true;
		}
		if (!any)
			admin_out_write(o, _("(nothing recorded)\n"));
	}
}

static int export_exec(struct admin_ctx *ctx MQ_UNUSED, struct mq_db *db, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"encoding", required_argument, NULL, 'e'},
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	enum admin_encoding enc = ADMIN_ENC_UTF8;
	struct admin_out out = {NULL, (iconv_t)-1, false};
	struct mq_db_error err;
	PGresult *sections = NULL, *rows = NULL;
	const char *output = NULL, *params[1];
	bool text = false;
	int c, rc = MQ_EXIT_FAILURE;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				text = false;
			else if (strcmp(optarg, "text") == 0)
				text = true;
			else
				return export_usage();
			break;
		case 'e':
			if (admin_parse_encoding(optarg, &enc) != 0)
				return MQ_EXIT_USAGE;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return export_usage();
		}
	}
	if (optind != argc - 2 || strcmp(argv[optind], "archive") != 0)
		return export_usage();
	params[0] = argv[optind + 1];
	/* One snapshot for the headings and the rows. */
	if (mq_db_begin(db, &err) != 0 ||
	    mq_db_exec(db, &err, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0,
		       NULL) != 0)
		goto db_failed;
	if ((sections = mq_db_query(
		     db, &err,
		     "SELECT unit_code, unit_name, section, name, revision_no, "
		     "saved_at::date::text AS saved_at FROM minqing.archive_sections($1)",
		     1, params)) == NULL ||
	    (rows = mq_db_query(
		     db, &err,
		     "SELECT unit_code, section, section_name, coalesce(item, '') AS item, "
		     "label, value FROM minqing.archive_export($1)",
		     1, params)) == NULL)
		goto db_failed;
	mq_db_rollback(db, NULL);
	if (enc != ADMIN_ENC_UTF8 &&
	    (out.cd = iconv_open(admin_iconv_encoding[enc], "UTF-8")) == (iconv_t)-1) {
		mq_warnx(_("cannot convert to %s: %s"), admin_iconv_encoding[enc], strerror(errno));
		goto out;
	}
	out.f = output != NULL ? fopen(output, "wb") : stdout;
	if (out.f == NULL) {
		mq_warnx(_("cannot open %s: %s"), output, strerror(errno));
		goto out;
	}
	if (text)
		export_text(&out, sections, rows);
	else
		export_csv(&out, rows, enc == ADMIN_ENC_UTF8);
	if (fflush(out.f) != 0)
		out.failed = true;
	if (output != NULL && fclose(out.f) != 0)
		out.failed = true;
	if (out.failed) {
		mq_warnx(_("cannot write %s in %s: %s"), output != NULL ? output : _("the output"),
			 admin_iconv_encoding[enc],
			 errno == EILSEQ ? _("a character the encoding does not have")
					 : strerror(errno));
		if (output != NULL)
			remove(output);
		goto out;
	}
	rc = MQ_EXIT_OK;
	goto out;

db_failed:
	admin_db_error(&err);
	mq_db_error_clear(&err);
	mq_db_rollback(db, NULL);
out:
	if (out.cd != (iconv_t)-1)
		iconv_close(out.cd);
	PQclear(sections);
	PQclear(rows);
	return rc;
}

const struct admin_cmd admin_cmd_export = {
	.name = "export",
	.usage = N_("export archive UNIT_CODE [--format csv|text] [--encoding E] [--output FILE]"),
	.help = N_(
		"a village's archive as CSV (what import archive reads) or as text for printing"),
	.needs_schema = true,
	.exec = export_exec,
};
