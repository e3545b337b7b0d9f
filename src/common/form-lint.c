/*
 * Checking a form against the functions of a connected database
 * (mq_form_lint_db, used by minqing --lint-forms): catalogs only, through
 * the gateway (mq/db.h), so a failed query reports its SQLSTATE.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libpq-fe.h>

#include "mq/cfgread.h"
#include "mq/common.h"
#include "mq/db.h"
#include "mq/form.h"
#include "mq/i18n.h"
#include "mq/width.h"
#include "form-internal.h"

/* --- checking against the database ------------------------------------------------------- */

/* One parameter (or output column) of a function, from pg_proc. */
struct lint_arg {
	const char *name; /* "" when unnamed */
	char mode;        /* i, o, b (inout), v (variadic), t (table column) */
	bool has_default;
	unsigned int type;   /* pg_type oid */
	const char *typname; /* format_type() */
	char category;       /* typcategory of the type (of the base type of a domain) */
};

/* One overload: its rows of the catalog query. */
struct lint_proc {
	const char *signature; /* regprocedure text */
	const char *oid;
	struct lint_arg *args;
	size_t nargs;
	char rettype;   /* typtype of the return type */
	bool composite; /* returns a table's or a composite type's row */
	bool isvoid;
};

struct lint {
	struct mq_db *db;
	const struct mq_form *form;
	char **cause;
	char *fn; /* schema.function */
};

static bool lint_is_input(char mode)
{
	return mode == 'i' || mode == 'b' || mode == 'v';
}

static bool lint_is_output(char mode)
{
	return mode == 'o' || mode == 'b' || mode == 't';
}

static int lint_fail_line(struct lint *l, int line, const char *fmt, ...) MQ_PRINTF(3, 4);

static int lint_fail_line(struct lint *l, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	mq_fail(l->cause, "%s:%d: %s", l->form->path, line > 0 ? line : 1, msg);
	free(msg);
	return -1;
}

/* A failed query: the server's words and SQLSTATE, or the connection's. Clears err. */
static int lint_fail_query(struct lint *l, struct mq_db_error *err)
{
	char *text = mq_db_error_text(err);

	text[strcspn(text, "\n")] = '\0';
	mq_fail(l->cause, _("%s: cannot check the form against the database: %s"), l->form->path,
		text);
	free(text);
	mq_db_error_clear(err);
	return -1;
}

static const struct lint_arg *lint_find_input(const struct lint_proc *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nargs; i++) {
		if (lint_is_input(p->args[i].mode) && strcmp(p->args[i].name, name) == 0)
			return &p->args[i];
	}
	return NULL;
}

/* Is param given by the form: a field (required only if must_be_required) or context? */
static bool lint_form_gives(const struct mq_form *form, const char *param, bool must_be_required)
{
	size_t i;

	for (i = 0; i < form->ncontext; i++) {
		if (strcmp(form->context[i].param, param) == 0)
			return true;
	}
	for (i = 0; i < form->nfields; i++) {
		if (strcmp(form->fields[i].param, param) == 0)
			return !must_be_required || form->fields[i].required;
	}
	return false;
}

/* Does p take every param of the form by name, and get every one it has no default for? */
static bool lint_proc_matches(const struct mq_form *form, const struct lint_proc *p)
{
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		if (lint_find_input(p, form->fields[i].param) == NULL)
			return false;
	}
	for (i = 0; i < form->ncontext; i++) {
		if (lint_find_input(p, form->context[i].param) == NULL)
			return false;
	}
	for (i = 0; i < p->nargs; i++) {
		if (lint_is_input(p->args[i].mode) && !p->args[i].has_default &&
		    (p->args[i].name[0] == '\0' || !lint_form_gives(form, p->args[i].name, false)))
			return false;
	}
	return true;
}

/* A param the only overload does not take: say why, at line. */
static int lint_not_a_param(struct lint *l, const struct lint_proc *p, const char *param, int line)
{
	const char **names = xcalloc(p->nargs + 1, sizeof *names);
	const char *guess;
	size_t i, n = 0;
	char *list;
	int rc;

	for (i = 0; i < p->nargs; i++) {
		if (strcmp(p->args[i].name, param) == 0 && lint_is_output(p->args[i].mode)) {
			free(names);
			return lint_fail_line(l, line,
					      _("%s is an output column of %s, not a parameter"),
					      param, l->fn);
		}
		if (lint_is_input(p->args[i].mode) && p->args[i].name[0] != '\0')
			names[n++] = p->args[i].name;
	}
	guess = mq_cfg_suggest(param, names);
	list = form_join(names);
	if (guess != NULL)
		rc = lint_fail_line(l, line, _("%s is not a parameter of %s (did you mean %s?)"),
				    param, l->fn, guess);
	else
		rc = lint_fail_line(l, line, _("%s is not a parameter of %s (its parameters: %s)"),
				    param, l->fn, list[0] != '\0' ? list : "-");
	free(list);
	free(names);
	return rc;
}

/* Why the only overload does not fit the form: the first reason, at its line. */
static int lint_explain_mismatch(struct lint *l, const struct lint_proc *p)
{
	const struct mq_form *form = l->form;
	size_t i;

	for (i = 0; i < form->nfields; i++) {
		if (lint_find_input(p, form->fields[i].param) == NULL)
			return lint_not_a_param(l, p, form->fields[i].param, form->fields[i].line);
	}
	for (i = 0; i < form->ncontext; i++) {
		if (lint_find_input(p, form->context[i].param) == NULL)
			return lint_not_a_param(l, p, form->context[i].param,
						form->context[i].line);
	}
	for (i = 0; i < p->nargs; i++) {
		const struct lint_arg *a = &p->args[i];

		if (!lint_is_input(a->mode) || a->has_default)
			continue;
		if (a->name[0] == '\0')
			return lint_fail_line(l, form->function_line,
					      _("%s has a parameter without a name and without a "
						"default: a form cannot call it"),
					      p->signature);
		if (!lint_form_gives(form, a->name, false))
			return lint_fail_line(
				l, form->function_line,
				_("parameter %s of %s has no default, and no field or "
				  "context entry gives it"),
				a->name, l->fn);
	}
	return lint_fail_line(l, form->function_line, _("%s does not fit the form"), p->signature);
}

/* Which typcategory a field type needs of its parameter; 0 = any. */
static char lint_category_for(const struct mq_form_field *f)
{
	switch (f->type) {
	case MQ_FIELD_TEXT:
	case MQ_FIELD_MULTILINE:
	case MQ_FIELD_PHONE:
	case MQ_FIELD_IDCARD:
		return 'S';
	case MQ_FIELD_INTEGER:
		return 'N';
	case MQ_FIELD_DATE:
	case MQ_FIELD_DATETIME:
		return 'D';
	case MQ_FIELD_YESNO:
		return 'B';
	case MQ_FIELD_CHOICE:
		return 0;
	case MQ_FIELD_LOOKUP:
		return f->lookup == MQ_LOOKUP_UNIT || f->lookup == MQ_LOOKUP_STAFF ? 'S' : 'N';
	}
	return 0;
}

/*
 * Is value a valid input of the type (its input function, and a domain's
 * checks)? 1 yes, 0 no with *why (caller frees), -1 the query failed.
 */
static int lint_value_ok(struct lint *l, unsigned int type, const char *value, char **why)
{
	bool in_tx = mq_db_in_transaction(l->db);
	const char *params[1] = {value};
	const unsigned int types[1] = {type};
	struct mq_db_error err;
	PGresult *res;
	int rc;

	*why = NULL;
	if (in_tx && mq_db_exec(l->db, &err, "SAVEPOINT mq_form_lint", 0, NULL) != 0)
		return lint_fail_query(l, &err);
	res = mq_db_query_typed(l->db, &err, "SELECT $1", 1, types, params);
	if (res != NULL)
		rc = 1;
	else if (strncmp(err.sqlstate, "22", 2) == 0 || strncmp(err.sqlstate, "23", 2) == 0) {
		*why = xstrdup(err.message != NULL ? err.message : err.sqlstate);
		mq_db_error_clear(&err);
		rc = 0;
	} else
		rc = lint_fail_query(l, &err);
	PQclear(res);
	if (in_tx && mq_db_exec(l->db, &err, "ROLLBACK TO SAVEPOINT mq_form_lint", 0, NULL) != 0)
		mq_db_error_clear(&err); /* the connection's state says the rest */
	return rc;
}

/* Types, options and defaults of the fields against the parameters of p. */
static int lint_fields(struct lint *l, const struct lint_proc *p)
{
	const struct mq_form *form = l->form;
	size_t i, k;

	for (i = 0; i < form->nfields; i++) {
		const struct mq_form_field *f = &form->fields[i];
		const struct lint_arg *a = lint_find_input(p, f->param);
		char need = lint_category_for(f), *why;
		int ok;

		if (!a->has_default && !f->required)
			return lint_fail_line(
				l, f->line,
				_("field %s is optional, but parameter %s of %s has no "
				  "default: make the field required"),
				f->name, f->param, l->fn);
		if (need != 0 && a->category != need)
			return lint_fail_line(
				l, f->line, _("field %s is %s, but parameter %s of %s is %s"),
				f->name, form_type_names[f->type], f->param, l->fn, a->typname);
		for (k = 0; k < f->noptions; k++) {
			ok = lint_value_ok(l, a->type, f->options[k].value, &why);
			if (ok < 0)
				return -1;
			if (ok == 0) {
				lint_fail_line(
					l, f->options[k].line,
					_("option \"%s\" is not a valid %s for parameter %s: "
					  "%s"),
					f->options[k].value, a->typname, f->param, why);
				free(why);
				return -1;
			}
		}
		if (f->default_value != NULL) {
			ok = lint_value_ok(l, a->type, f->default_value, &why);
			if (ok < 0)
				return -1;
			if (ok == 0) {
				lint_fail_line(
					l, f->line,
					_("default \"%s\" is not a valid %s for parameter %s: "
					  "%s"),
					f->default_value, a->typname, f->param, why);
				free(why);
				return -1;
			}
		}
	}
	return 0;
}

/* The result columns against what p returns. */
static int lint_result(struct lint *l, const struct lint_proc *p)
{
	const struct mq_form *form = l->form;
	const char **cols;
	size_t i, k, n = 0;
	PGresult *res = NULL;
	char *list;
	int rc = 0;

	if (form->nresult == 0)
		return 0;
	cols = xcalloc(p->nargs + 2, sizeof *cols);
	for (i = 0; i < p->nargs; i++) {
		if (lint_is_output(p->args[i].mode))
			cols[n++] = p->args[i].name;
	}
	if (n == 0 && p->composite) {
		const char *params[1] = {p->oid};

		struct mq_db_error err;

		res = mq_db_query(l->db, &err,
				  "SELECT a.attname FROM pg_catalog.pg_proc p "
				  "JOIN pg_catalog.pg_type t ON t.oid = p.prorettype "
				  "JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid "
				  "WHERE p.oid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
				  "ORDER BY a.attnum",
				  1, params);
		if (res == NULL) {
			free(cols);
			return lint_fail_query(l, &err);
		}
		cols = xrealloc(cols, ((size_t)PQntuples(res) + 1) * sizeof *cols);
		for (k = 0; k < (size_t)PQntuples(res); k++)
			cols[n++] = mq_db_field(res, (int)k, "attname");
	} else if (n == 0 && p->rettype == 'p' && !p->isvoid) {
		rc = lint_fail_line(l, form->result_line,
				    _("%s returns a record without named columns: the form cannot "
				      "name result columns"),
				    p->signature);
	} else if (n == 0 && !p->isvoid) {
		cols[n++] = form->function; /* a scalar: the column is named after the function */
	}
	cols[n] = NULL;
	for (i = 0; rc == 0 && i < form->nresult; i++) {
		bool found = false;

		for (k = 0; k < n && !found; k++)
			found = strcmp(cols[k], form->result[i]) == 0;
		if (found)
			continue;
		list = form_join(cols);
		rc = lint_fail_line(l, form->result_line,
				    _("%s is not a result column of %s (its columns: %s)"),
				    form->result[i], l->fn, list[0] != '\0' ? list : "-");
		free(list);
	}
	PQclear(res);
	free(cols);
	return rc;
}

/* Group the rows of the catalog query by overload. */
static struct lint_proc *lint_procs(PGresult *res, size_t *nprocs)
{
	int rows = PQntuples(res), row;
	struct lint_proc *procs = xcalloc((size_t)rows + 1, sizeof *procs);
	size_t n = 0;

	for (row = 0; row < rows; row++) {
		struct lint_proc *p;
		struct lint_arg *a;

		if (n == 0 || strcmp(procs[n - 1].oid, mq_db_field(res, row, "oid")) != 0) {
			p = &procs[n++];
			p->signature = mq_db_field(res, row, "signature");
			p->oid = mq_db_field(res, row, "oid");
			p->rettype = mq_db_field(res, row, "rettype")[0];
			p->composite = strcmp(mq_db_field(res, row, "composite"), "t") == 0;
			p->isvoid = strcmp(mq_db_field(res, row, "isvoid"), "t") == 0;
			p->args = xcalloc((size_t)rows, sizeof *p->args);
		}
		p = &procs[n - 1];
		if (PQgetisnull(res, row, mq_db_col(res, "ord")))
			continue; /* no parameters at all */
		a = &p->args[p->nargs++];
		a->name = mq_db_field(res, row, "name");
		a->mode = mq_db_field(res, row, "mode")[0];
		a->has_default = strcmp(mq_db_field(res, row, "has_default"), "t") == 0;
		a->type = (unsigned int)strtoul(mq_db_field(res, row, "type"), NULL, 10);
		a->typname = mq_db_field(res, row, "typname");
		a->category = mq_db_field(res, row, "category")[0];
	}
	*nprocs = n;
	return procs;
}

/*
 * Every overload of schema.function with one row per argument (in order;
 * one row of NULLs for a function without any): name, mode, whether it has
 * a default (the last pronargdefaults inputs do), type and its category
 * (a domain's base type's), and what the function returns.
 */
#define LINT_CATALOG_QUERY                                                                         \
	"SELECT p.oid::pg_catalog.regprocedure::text AS signature, p.oid::text AS oid, "           \
	"       a.ord, coalesce(a.name, '') AS name, coalesce(a.mode, 'i') AS mode, "              \
	"       CASE WHEN coalesce(a.mode, 'i') IN ('i', 'b', 'v') THEN "                          \
	"            count(*) FILTER (WHERE coalesce(a.mode, 'i') IN ('i', 'b', 'v')) "            \
	"                 OVER (PARTITION BY p.oid ORDER BY a.ord) "                               \
	"            > p.pronargs - p.pronargdefaults ELSE false END AS has_default, "             \
	"       a.type::text AS type, pg_catalog.format_type(a.type, NULL) AS typname, "           \
	"       coalesce(b.typcategory, t.typcategory)::text AS category, "                        \
	"       r.typtype::text AS rettype, r.typrelid <> 0 AS composite, "                        \
	"       p.prorettype = 'pg_catalog.void'::pg_catalog.regtype::oid AS isvoid "              \
	"  FROM pg_catalog.pg_proc p "                                                             \
	"  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "                              \
	"  JOIN pg_catalog.pg_type r ON r.oid = p.prorettype "                                     \
	"  LEFT JOIN LATERAL ROWS FROM ("                                                          \
	"            pg_catalog.unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])), "        \
	"            pg_catalog.unnest(p.proargnames), pg_catalog.unnest(p.proargmodes)) "         \
	"       WITH ORDINALITY AS a(type, name, mode, ord) ON true "                              \
	"  LEFT JOIN pg_catalog.pg_type t ON t.oid = a.type "                                      \
	"  LEFT JOIN pg_catalog.pg_type b ON b.oid = nullif(t.typbasetype, 0) "                    \
	" WHERE n.nspname = $1 AND p.proname = $2 AND p.prokind = 'f' "                            \
	" ORDER BY p.oid, a.ord"

int mq_form_lint_db(struct mq_db *db, const struct mq_form *form, char **cause)
{
	struct lint l = {.db = db, .form = form, .cause = cause};
	struct mq_db_error err;
	const char *params[2] = {form->schema, form->function};
	const struct lint_proc *match = NULL;
	struct lint_proc *procs;
	size_t nprocs, nmatch = 0, i;
	PGresult *res;
	int rc;

	l.fn = xasprintf("%s.%s", form->schema, form->function);
	res = mq_db_query(db, &err, LINT_CATALOG_QUERY, 2, params);
	if (res == NULL) {
		rc = lint_fail_query(&l, &err);
		free(l.fn);
		return rc;
	}
	procs = lint_procs(res, &nprocs);
	for (i = 0; i < nprocs; i++) {
		if (lint_proc_matches(form, &procs[i])) {
			match = &procs[i];
			nmatch++;
		}
	}
	if (nprocs == 0)
		rc = lint_fail_line(&l, form->function_line,
				    _("function %s does not exist in the database"), l.fn);
	else if (nmatch == 0 && nprocs == 1)
		rc = lint_explain_mismatch(&l, &procs[0]);
	else if (nmatch == 0)
		rc = lint_fail_line(&l, form->function_line,
				    _("none of the %zu functions called %s takes the form's "
				      "parameters"),
				    nprocs, l.fn);
	else if (nmatch > 1)
		rc = lint_fail_line(&l, form->function_line,
				    _("%zu functions called %s take the form's parameters: a call "
				      "could not choose between them"),
				    nmatch, l.fn);
	else if ((rc = lint_fields(&l, match)) == 0)
		rc = lint_result(&l, match);
	for (i = 0; i < nprocs; i++)
		free(procs[i].args);
	free(procs);
	PQclear(res);
	free(l.fn);
	return rc;
}
