/*
 * Forms are data: a form file (forms/NAME.form, libconfig syntax, described
 * in docs/forms.md) names the database function a form submits to, the
 * values the screen supplies (the case being worked on), and the fields a
 * person fills in, with Chinese and English labels, a type, and validation.
 *
 * This is the part of forms that does not draw anything: loading and
 * checking a file (every mistake as "file:line: message"), checking a value
 * a person typed (the friendly early check; the database's check is the one
 * that counts), building the call that submits a form, and checking a form
 * against the functions of a connected database (minqing --lint-forms).
 */
#ifndef MQ_FORM_H
#define MQ_FORM_H

#include <stdbool.h>
#include <stddef.h>

struct mq_db;

#include "mq/cfgread.h"

/* The type of a field: what may be typed and how it is checked. */
enum mq_field_type {
	MQ_FIELD_TEXT,      /* one line */
	MQ_FIELD_MULTILINE, /* several lines */
	MQ_FIELD_INTEGER,   /* a whole number, optionally between min and max */
	MQ_FIELD_DATE,      /* YYYY-MM-DD, a real calendar date */
	MQ_FIELD_DATETIME,  /* YYYY-MM-DD HH:MM */
	MQ_FIELD_PHONE,     /* mainland mobile number: 1[3-9] and 9 digits */
	MQ_FIELD_IDCARD,    /* 18-character resident ID with its GB 11643 check character */
	MQ_FIELD_CHOICE,    /* one of the form's options */
	MQ_FIELD_LOOKUP,    /* a row found by the console's lookup of one kind */
	MQ_FIELD_YESNO,     /* true or false */
};

/*
 * What a lookup field finds, and the value it submits: a category's id, a
 * unit's code, a staff member's login, a resident's, household's or
 * station's id.
 */
enum mq_lookup_kind {
	MQ_LOOKUP_CATEGORY,
	MQ_LOOKUP_UNIT,
	MQ_LOOKUP_STAFF,
	MQ_LOOKUP_RESIDENT,
	MQ_LOOKUP_HOUSEHOLD,
	MQ_LOOKUP_STATION,
};

/* A text in both languages; both NULL when the form gives none (help). */
/* struct mq_text (a text in Chinese and English) and mq_text_get(): mq/cfgread.h. */

struct mq_form_option {
	char *value; /* what is submitted */
	struct mq_text label;
	int line;
};

struct mq_form_field {
	char *name;  /* identifier, unique in the form */
	char *param; /* the function's parameter it fills, unique in the form */
	enum mq_field_type type;
	struct mq_text label;
	struct mq_text help;   /* NULLs when none */
	int width;             /* columns of the input box */
	int height;            /* rows (multiline; 1 for the others) */
	int max_length;        /* characters */
	bool required;         /* an empty value is refused */
	char *pattern;         /* POSIX extended regex the whole value matches; NULL = none */
	void *regex;           /* its compiled regex_t (private) */
	char *default_value;   /* initial value as text ("true"/"false" for yesno); NULL = none */
	bool has_min, has_max; /* integer */
	long long min, max;    /* integer */
	enum mq_lookup_kind lookup;     /* lookup */
	struct mq_form_option *options; /* choice */
	size_t noptions;
	int line; /* of the field's { in the file */
};

/*
 * The names of the values a screen can supply to a form (a context entry's
 * from = "..."), declared once here: the reader refuses any other name (with
 * a suggestion), and the console's form screen answers exactly these (see
 * the context callback of mq_form_build_call()). NULL-terminated:
 * "case_id", "extension_id", "row_version". A new source is added here and
 * in the screen that opens the form with it.
 */
extern const char *const mq_form_context_sources[];

/* A value the screen supplies, not the person: from is one of mq_form_context_sources. */
struct mq_form_context {
	char *param;
	char *from;
	int line;
};

/*
 * Where a screen offers the form as one of its actions (offer = { ... }):
 * today the case screen, which lists the actions that apply to the case
 * with their keys. keys.<name> rebinds it.
 */
struct mq_form_offer {
	char *screen;         /* "case" */
	char *name;           /* keys.<name>; default: the form's name without "case_" */
	char *key;            /* the default key's name ("a", "F3", "C-x") */
	struct mq_text label; /* the word in the action bar (受理) */
	char **status;        /* the statuses it applies to, NULL-terminated */
	char **duty;          /* the duties that may, NULL-terminated; NULL: every staff duty */
	bool extension;       /* only while an extension request waits for a decision */
	int order;            /* its place among the screen's actions (smaller first) */
	int line;
};

struct mq_form {
	char *name; /* the file name without .form */
	char *path; /* as given to mq_form_load() */
	struct mq_text title;
	struct mq_text help; /* NULLs when none */
	char *schema;        /* "minqing" of "minqing.case_intake" */
	char *function;      /* "case_intake" */
	int function_line;
	char **result; /* output columns the screen shows after submitting */
	size_t nresult;
	int result_line;
	struct mq_form_context *context;
	size_t ncontext;
	struct mq_form_field *fields;
	size_t nfields;
	struct mq_form_offer *offer; /* NULL: no screen offers it by itself */
	int line;                    /* of form = { */
};

/*
 * Load and check one form file. NULL with *cause (caller frees) as
 * "file:line: message" when the file cannot be read or has any mistake:
 * a syntax error, an unknown or misplaced setting, a value of the wrong type,
 * a missing label, a bad identifier or regex, a duplicate name or param.
 * Patterns are compiled in the current locale (LC_CTYPE). Free with
 * mq_form_free().
 */
struct mq_form *mq_form_load(const char *path, char **cause);
void mq_form_free(struct mq_form *form);

/*
 * The paths ("DIR/NAME.form") of the form files in dir, sorted by file name:
 * regular files (or links to them) whose names end in ".form" and do not
 * start with ".". 0, or -1 with *cause. Free with mq_forms_free_paths().
 */
int mq_forms_scan_dir(const char *dir, char ***paths, size_t *n, char **cause);
void mq_forms_free_paths(char **paths, size_t n);

/*
 * Load every form of dir (as mq_forms_scan_dir() finds them), in that order.
 * 0, or -1 with *cause naming the first bad file (nothing is kept then).
 * Free with mq_forms_free().
 */
int mq_forms_load_dir(const char *dir, struct mq_form ***forms, size_t *n, char **cause);
void mq_forms_free(struct mq_form **forms, size_t n);

/* The form called name (its file name without .form), or NULL. */
const struct mq_form *mq_form_find(struct mq_form *const *forms, size_t n, const char *name);

const char *mq_form_title(const struct mq_form *form, const char *lang);
const char *mq_form_help(const struct mq_form *form, const char *lang);
const char *mq_form_label(const struct mq_form_field *field, const char *lang);
const char *mq_form_field_help(const struct mq_form_field *field, const char *lang);
const char *mq_form_option_label(const struct mq_form_option *option, const char *lang);

/* The option of a choice field with this value, or NULL. */
const struct mq_form_option *mq_form_option_find(const struct mq_form_field *field,
						 const char *value);

/* The names used in form files: "text", ..., "category", .... */
const char *mq_field_type_name(enum mq_field_type type);
const char *mq_lookup_kind_name(enum mq_lookup_kind kind);

/*
 * Check what a person typed (UTF-8; NULL counts as empty) against the
 * field: required, type (dates against the calendar, the ID number's check
 * character), max_length in characters, min/max, options, pattern. 0 when it
 * is acceptable (an empty optional value is); otherwise -1 and *msg (caller
 * frees), translated, short, without the label: "required", "no such date:
 * 2023-02-29", ....
 */
int mq_field_validate(const struct mq_form_field *field, const char *value, char **msg);

/*
 * The yes/no value of text a person or a file gave: 1 for true/yes/y/t/1/on,
 * 0 for false/no/n/f/0/off (any case), -1 otherwise.
 */
int mq_yesno_parse(const char *value);

/* Where a context entry's value comes from: the screen answers context(from, arg). */
typedef const char *(*mq_form_context_fn)(const char *from, void *arg);

/*
 * The context values a screen has when it opens a form: name -> value
 * pairs, the names from mq_form_context_sources. The opener puts what it
 * has; a source not put is "not given" (the entry is left out of the call).
 * Plain data with the values inside (short: ids and versions), so it can be
 * copied with the struct that holds it; zeroed it is empty.
 */
#define MQ_FORM_CONTEXT_VALUE_MAX 64
#define MQ_FORM_CONTEXT_NAME_MAX  48
struct mq_form_context_values {
	size_t n;
	struct {
		char name[MQ_FORM_CONTEXT_NAME_MAX]; /* mq_form_context_known() */
		char value[MQ_FORM_CONTEXT_VALUE_MAX];
	} v[16];
};

/*
 * A context source may also be a column of the row (or record) a view
 * offers the form on: from = "row.unit_code" is that row's unit_code.
 */
#define MQ_FORM_CONTEXT_ROW "row."

/* Is name one of mq_form_context_sources, or "row." and a column name? */
bool mq_form_context_known(const char *name);

/*
 * Put (or replace) the value of source name. name must be known
 * (mq_form_context_known()) and value shorter than MQ_FORM_CONTEXT_VALUE_MAX:
 * anything else is a programming error (fatal).
 */
void mq_form_context_put(struct mq_form_context_values *cv, const char *name, const char *value);

/* The value put for name, or NULL. */
const char *mq_form_context_value(const struct mq_form_context_values *cv, const char *name);

/* An mq_form_context_fn answering from the struct mq_form_context_values arg. */
const char *mq_form_context_lookup(const char *from, void *arg);

/*
 * Build the statement that submits form:
 *
 *   SELECT * FROM "schema"."function"("p_a" => $1, "p_b" => $2, ...)
 *
 * values has one entry per field (form->fields order); NULL or "" means not
 * given, and a field not given is left out so the function's default for
 * that parameter applies. Then each context entry whose value context()
 * returns (NULL: left out too). Parameters are untyped: PostgreSQL types
 * them from the function's declaration. Yes/no values are sent as "true" or
 * "false"; everything else as given. Fields come first, in form order, so
 * $n can be traced back with mq_form_field_for_arg().
 *
 * *sql (caller frees) and *params, an array of *nparams pointers (caller
 * frees the array only: they point into values, into what context()
 * returned, or to static strings, and must outlive its use). context may be
 * NULL when the form has no context entries.
 */
void mq_form_build_call(const struct mq_form *form, const char *const *values,
			mq_form_context_fn context, void *arg, char **sql, const char ***params,
			int *nparams);

/*
 * The field a server error is about: the one whose param is name, else the
 * one called name, else the one whose param is "p_" name (the COLUMN of an
 * error raised by the function, e.g. "result" for p_result). NULL if none.
 */
const struct mq_form_field *mq_form_field_for_param(const struct mq_form *form, const char *name);

/* The field whose value mq_form_build_call() passed as $n (1-based), or NULL. */
const struct mq_form_field *mq_form_field_for_arg(const struct mq_form *form,
						  const char *const *values, int n);

/*
 * Check form against the database db is connected to (catalogs only,
 * nothing is written): the function exists, exactly one of its overloads
 * takes the form's parameters by name, every field and context param is an
 * input parameter of it, every parameter without a default is given by a
 * required field or a context entry, field types suit the parameter types
 * (yes/no a boolean, integer a number, date and datetime a date or time),
 * choice options and defaults are valid values of the parameter's type, and
 * the result columns are output columns. 0, or -1 with *cause as
 * "file:line: message" at the form's function, field or result line (or,
 * when a query fails, the server's message with its SQLSTATE or the
 * connection's; mq_db_lost(db) then tells a lost connection apart).
 */
int mq_form_lint_db(struct mq_db *db, const struct mq_form *form, char **cause);

#endif
