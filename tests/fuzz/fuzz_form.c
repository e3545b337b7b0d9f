/*
 * Fuzz harness for the form reader (src/common/form.c): the input is the
 * whole text of a form file, read with mq_form_load(). It must either load
 * or fail with a "file:line: message" cause naming the file, never crash,
 * leak or exit. What loads is then used the ways the console uses it: every
 * label and help laid out with the width functions, every default checked
 * against its own field (a loaded form's defaults are valid), a few typed
 * values checked, the call built with the defaults and with every field
 * given, and each $n traced back to its field.
 *
 * As in fuzz_config.c (whose reasons hold here: the form reader is the same
 * libconfig reader), the bytes go to a file in a private directory, and
 * inputs whose @include could reach outside it, or the input itself, are
 * skipped (the check below is fuzz_config.c's, for the same libconfig 1.5
 * scanner). libconfig's own leaks on syntax errors are suppressed by
 * lsan.supp.
 *
 * MQ_FUZZ_VERBOSE=1 in the environment prints the outcome of each input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mq/form.h"
#include "mq/width.h"

#include "fuzz.h"

#define FUZZ_FORM_NAME "in.form"

static char fuzz_form_dir[] = "/tmp/mq-fuzz-form-XXXXXX";
static char fuzz_form_path[sizeof fuzz_form_dir + sizeof FUZZ_FORM_NAME];
static bool fuzz_form_verbose;

static void fuzz_form_cleanup(void)
{
	unlink(fuzz_form_path);
	rmdir(fuzz_form_dir);
}

static void fuzz_form_setup(void)
{
	if (fuzz_form_path[0] != '\0')
		return;
	if (mkdtemp(fuzz_form_dir) == NULL) {
		perror("fuzz_form: mkdtemp");
		abort();
	}
	snprintf(fuzz_form_path, sizeof fuzz_form_path, "%s/%s", fuzz_form_dir, FUZZ_FORM_NAME);
	atexit(fuzz_form_cleanup);
	fuzz_form_verbose = getenv("MQ_FUZZ_VERBOSE") != NULL;
}

/*
 * Would an @include in the input name a path with '/' or the input itself?
 * (fuzz_config.c explains each step: it follows libconfig 1.5's scanner.)
 */
static bool fuzz_form_include_unsafe(const uint8_t *data, size_t size)
{
	static const char keyword[] = "@include";
	const size_t klen = sizeof keyword - 1;
	char name[sizeof FUZZ_FORM_NAME + 1];
	size_t i, j, len;
	bool slash, truncated;

	for (i = 0; i + klen <= size; i++) {
		if (memcmp(data + i, keyword, klen) != 0)
			continue;
		j = i + klen;
		if (j >= size || (data[j] != ' ' && data[j] != '\t'))
			continue;
		while (j < size && (data[j] == ' ' || data[j] == '\t'))
			j++;
		if (j >= size || data[j] != '"')
			continue;
		j++;
		len = 0;
		slash = false;
		truncated = false;
		while (j < size && data[j] != '"') {
			int c = -1;

			if (data[j] == '\\') {
				if (j + 1 < size && (data[j + 1] == '\\' || data[j + 1] == '"')) {
					c = data[j + 1];
					j++;
				}
				truncated = false;
			} else if (data[j] == '\0') {
				truncated = true;
			} else if (!truncated) {
				c = data[j];
			}
			j++;
			if (c == '/')
				slash = true;
			if (c != -1 && len < sizeof name - 1)
				name[len++] = (char)c;
			else if (c != -1)
				len = sizeof name; /* longer than ours: not the input */
		}
		if (slash)
			return true;
		if (len == strlen(FUZZ_FORM_NAME) && memcmp(name, FUZZ_FORM_NAME, len) == 0)
			return true;
	}
	return false;
}

/* Lay a text out as a screen does; NULL only where the form may leave it out. */
static void fuzz_form_layout(const char *s, bool may_be_null)
{
	char *cell;
	int width;

	if (s == NULL) {
		FUZZ_CHECK(may_be_null);
		return;
	}
	width = mq_strwidth(s);
	FUZZ_CHECK(width >= 0);
	cell = mq_strpad(s, width > 4 ? width / 2 : 4, -1);
	FUZZ_CHECK(mq_strwidth(cell) == (width > 4 ? width / 2 : 4));
	free(cell);
}

/* Values a person might type, tried on every field (whatever the outcome). */
static const char *const fuzz_form_typed[] = {
	"",
	"  ",
	"路灯坏了",
	"42",
	"-1",
	"2024-02-29",
	"2023-02-29 10:00",
	"13800138000",
	"11010519491231002X",
	"walk_in",
	"T01V01",
	"true",
	"第一行\n第二行",
	"\xE8\xB7",
};

static void fuzz_form_use(const struct mq_form *form)
{
	const char **values = calloc(form->nfields + 1, sizeof *values);
	const char **all = calloc(form->nfields + 1, sizeof *all);
	const char **params;
	char *sql, *msg;
	size_t i, k;
	int n, arg;

	FUZZ_CHECK(values != NULL && all != NULL);
	FUZZ_CHECK(strcmp(form->path, fuzz_form_path) == 0);
	FUZZ_CHECK(strcmp(form->name, "in") == 0);
	FUZZ_CHECK(form->schema != NULL && form->function != NULL);
	fuzz_form_layout(mq_form_title(form, "zh_CN"), false);
	fuzz_form_layout(mq_form_title(form, "en"), false);
	fuzz_form_layout(mq_form_help(form, "en"), true);
	for (i = 0; i < form->ncontext; i++)
		FUZZ_CHECK(form->context[i].param != NULL && form->context[i].from != NULL);

	for (i = 0; i < form->nfields; i++) {
		const struct mq_form_field *f = &form->fields[i];

		FUZZ_CHECK(f->name != NULL && f->param != NULL);
		FUZZ_CHECK(f->width >= 1 && f->width <= 200 && f->height >= 1);
		FUZZ_CHECK(mq_form_field_for_param(form, f->param) == f);
		fuzz_form_layout(mq_form_label(f, "zh_CN"), false);
		fuzz_form_layout(mq_form_label(f, "en"), false);
		fuzz_form_layout(mq_form_field_help(f, "zh_CN"), true);
		for (k = 0; k < f->noptions; k++) {
			fuzz_form_layout(mq_form_option_label(&f->options[k], "en"), false);
			FUZZ_CHECK(mq_form_option_find(f, f->options[k].value) == &f->options[k]);
		}
		FUZZ_CHECK(f->type != MQ_FIELD_CHOICE || f->noptions > 0);
		/* A loaded form's default is a value its field accepts. */
		if (f->default_value != NULL) {
			msg = NULL;
			FUZZ_CHECK(mq_field_validate(f, f->default_value, &msg) == 0);
			FUZZ_CHECK(msg == NULL);
		}
		for (k = 0; k < sizeof fuzz_form_typed / sizeof fuzz_form_typed[0]; k++) {
			msg = NULL;
			if (mq_field_validate(f, fuzz_form_typed[k], &msg) == 0)
				FUZZ_CHECK(msg == NULL);
			else
				FUZZ_CHECK(msg != NULL && mq_strwidth(msg) > 0);
			free(msg);
		}
		values[i] = f->default_value;
		all[i] = f->default_value != NULL ? f->default_value : "x";
	}

	/* With the defaults: a parameter per default, and each $n traced back. */
	mq_form_build_call(form, values, NULL, NULL, &sql, &params, &n);
	FUZZ_CHECK(strncmp(sql, "SELECT * FROM \"", 15) == 0);
	FUZZ_CHECK(n >= 0 && (size_t)n <= form->nfields);
	for (arg = 1; arg <= n; arg++) {
		const struct mq_form_field *f = mq_form_field_for_arg(form, values, arg);

		FUZZ_CHECK(f != NULL && strstr(sql, f->param) != NULL);
	}
	FUZZ_CHECK(mq_form_field_for_arg(form, values, n + 1) == NULL);
	free(sql);
	free(params);

	/* Every field given: one parameter each. */
	mq_form_build_call(form, all, NULL, NULL, &sql, &params, &n);
	FUZZ_CHECK((size_t)n == form->nfields);
	free(sql);
	free(params);
	free(values);
	free(all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mq_form *form;
	char *cause = NULL;

	fuzz_form_setup();
	if (fuzz_form_include_unsafe(data, size)) {
		if (fuzz_form_verbose)
			fprintf(stderr, "  skipped: @include outside the scratch directory\n");
		return -1; /* not added to the corpus */
	}
	fuzz_write_file("fuzz_form", fuzz_form_path, data, size);

	form = mq_form_load(fuzz_form_path, &cause);
	if (form != NULL) {
		FUZZ_CHECK(cause == NULL); /* success sets no cause */
		fuzz_form_use(form);
		mq_form_free(form);
	} else {
		/* Every failure says why, and names the file (or the file it includes). */
		FUZZ_CHECK(cause != NULL);
		FUZZ_CHECK(strstr(cause, fuzz_form_dir) != NULL);
		(void)mq_strwidth(cause);
	}
	if (fuzz_form_verbose)
		fprintf(stderr, "  %s\n", cause != NULL ? cause : "loaded");
	free(cause);
	return 0;
}
