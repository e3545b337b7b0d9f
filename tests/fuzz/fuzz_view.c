/*
 * Fuzz harness for the view reader (src/common/view.c): the input is the
 * whole text of a view file, read with mq_view_load(). It must either load
 * or fail with a "file:line: message" cause naming the file, never crash,
 * leak or exit; what loads holds what the list engine relies on (a title
 * in both languages, at least one column and one order, every order with a
 * keyset, every choice group with a value, texts that lay out).
 *
 * The bytes go to in.view in a private directory. Inputs with an @include
 * are skipped: the form and configuration harnesses fuzz the include
 * handling of the same reader, and here an @include could read files
 * outside the directory. A `base` names a view of the same directory by an
 * identifier, so it can only reach in.view itself (refused: a base view
 * cannot have a base) or a missing file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mq/view.h"
#include "mq/width.h"

#include "fuzz.h"

static char fuzz_view_dir[] = "/tmp/mq-fuzz-view-XXXXXX";
static char fuzz_view_path[sizeof fuzz_view_dir + 16];

static void fuzz_view_cleanup(void)
{
	unlink(fuzz_view_path);
	rmdir(fuzz_view_dir);
}

static void fuzz_view_setup(void)
{
	if (fuzz_view_path[0] != '\0')
		return;
	if (mkdtemp(fuzz_view_dir) == NULL) {
		perror("fuzz_view: mkdtemp");
		abort();
	}
	snprintf(fuzz_view_path, sizeof fuzz_view_path, "%s/in.view", fuzz_view_dir);
	atexit(fuzz_view_cleanup);
}

static bool fuzz_view_has_include(const uint8_t *data, size_t size)
{
	static const char keyword[] = "@include";
	size_t i;

	for (i = 0; i + sizeof keyword - 1 <= size; i++)
		if (memcmp(data + i, keyword, sizeof keyword - 1) == 0)
			return true;
	return false;
}

/* A text both languages of which lay out (a label may be absent: both NULL). */
static void fuzz_view_text(const struct mq_text *t, bool required)
{
	FUZZ_CHECK((t->zh == NULL) == (t->en == NULL));
	FUZZ_CHECK(!required || t->zh != NULL);
	if (t->zh != NULL) {
		FUZZ_CHECK(mq_strwidth(t->zh) > 0);
		FUZZ_CHECK(mq_strwidth(t->en) > 0);
	}
}

static void fuzz_view_use(const struct mq_view *v)
{
	size_t i, j;

	FUZZ_CHECK(strcmp(v->name, "in") == 0 && v->base == NULL);
	fuzz_view_text(&v->title, true);
	fuzz_view_text(&v->empty, true);
	fuzz_view_text(&v->count, false);
	FUZZ_CHECK(v->function != NULL && strchr(v->function, '.') != NULL);
	/* paged: by a keyset; unpaged (one call) and records: no sorts */
	FUZZ_CHECK(v->ncolumns > 0 && (v->limit != NULL) == (v->nsorts > 0));
	FUZZ_CHECK(v->layout == MQ_VIEW_LIST || v->limit == NULL);
	FUZZ_CHECK(v->layout == MQ_VIEW_RECORD || (v->lines == NULL && v->on_open == NULL));
	FUZZ_CHECK(v->open == NULL || v->id != NULL);
	for (i = 0; i < v->ncolumns; i++) {
		FUZZ_CHECK(v->columns[i].name != NULL && v->columns[i].min >= 1);
		FUZZ_CHECK(v->columns[i].align >= -1 && v->columns[i].align <= 1);
		fuzz_view_text(&v->columns[i].label, false);
	}
	for (i = 0; i < v->nsorts; i++) {
		FUZZ_CHECK(v->sorts[i].nafter > 0 && v->sorts[i].column != NULL);
		FUZZ_CHECK((v->sorts[i].param == NULL) == (v->sorts[i].value == NULL));
		FUZZ_CHECK(v->nsorts == 1 || v->sorts[i].param != NULL);
	}
	for (i = 0; i < v->nchoices; i++) {
		FUZZ_CHECK(v->choices[i].nvalues > 0 && v->choices[i].param != NULL);
		for (j = 0; j < v->choices[i].nvalues; j++)
			fuzz_view_text(&v->choices[i].values[j].label, true);
	}
	if (v->search != NULL) {
		FUZZ_CHECK(v->search->keys != NULL && v->search->keys[0] != NULL);
		fuzz_view_text(&v->search->prompt, true);
		FUZZ_CHECK(v->search->nkinds == 0 || v->search->classify != NULL);
	}
	for (i = 0; i < v->nactions; i++) {
		const struct mq_view_action *a = &v->actions[i];

		FUZZ_CHECK((a->form != NULL) != (a->view != NULL) && a->key != NULL &&
			   v->id != NULL);
		FUZZ_CHECK(a->form != NULL || a->nfill == 0);
		FUZZ_CHECK(a->view != NULL || a->nbind == 0);
		for (j = 0; j < a->nfill; j++)
			FUZZ_CHECK(a->fill[j].param != NULL && a->fill[j].column != NULL);
	}
	for (i = 0; i < v->ncolumns; i++)
		for (j = 0; j < v->columns[i].nvalues; j++) {
			FUZZ_CHECK(v->columns[i].values[j].value != NULL);
			fuzz_view_text(&v->columns[i].values[j].label, false);
		}
	FUZZ_CHECK(v->open == NULL || strcmp(v->open, "case") == 0 || v->open_line > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mq_view *v;
	char *cause = NULL;

	fuzz_view_setup();
	if (fuzz_view_has_include(data, size))
		return -1; /* not added to the corpus */
	fuzz_write_file("fuzz_view", fuzz_view_path, data, size);
	v = mq_view_load(fuzz_view_path, &cause);
	if (v != NULL) {
		FUZZ_CHECK(cause == NULL);
		fuzz_view_use(v);
		mq_view_free(v);
	} else {
		FUZZ_CHECK(cause != NULL && strstr(cause, fuzz_view_dir) != NULL);
		(void)mq_strwidth(cause);
	}
	free(cause);
	return 0;
}
