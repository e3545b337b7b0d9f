/*
 * Views are data, like forms: a view file (forms/NAME.view, libconfig
 * syntax, docs/views.md) declares a list screen of the console — the SQL
 * function it pages, the columns it shows (labels in Chinese and English,
 * widths, a formatter), its choices (filters a key switches), its orders and
 * their keysets, a search prompt, what Enter opens, the forms offered on a
 * row, the notification channel that makes it read again, and where it sits
 * in the menu. The console's list engine (src/console/screen-view.c) does
 * the rest: keyset paging, widths by display columns, the filter, the live
 * reload.
 *
 * This part reads and checks a file (every mistake "file:line: message"); it
 * needs neither a terminal nor a database, so the fuzzer and the unit tests
 * link it alone. The checks against the database are the linter's
 * (minqing --lint-forms).
 */
#ifndef MQ_VIEW_H
#define MQ_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "mq/cfgread.h"

#define MQ_VIEW_SUFFIX ".view"

/* How a column's value is shown (the engine's formatters, docs/views.md). */
enum mq_view_format {
	MQ_VIEW_TEXT,      /* as the function gives it */
	MQ_VIEW_STATUS,    /* a case status: its label (in_progress -> 办理中) */
	MQ_VIEW_MARKER,    /* a warning level: its letter Y, O, R (seen without colour) */
	MQ_VIEW_WARNING,   /* a warning level: its label (yellow -> 黄色预警) */
	MQ_VIEW_DATE,      /* a timestamp: the date where the person is */
	MQ_VIEW_DATETIME,  /* a timestamp: date and time where the person is */
	MQ_VIEW_COUNTDOWN, /* a deadline: time left or overdue, live (status column decides) */
	MQ_VIEW_OVERDUE,   /* a deadline: how long overdue, live */
	MQ_VIEW_PHONE,     /* a mobile number, middle digits masked: 139****0001 */
	MQ_VIEW_PARA,      /* a long text: its first line in a list, wrapped whole in a record */
	MQ_VIEW_SPARK,     /* an array of numbers: a sparkline ▁▃█ (mq/chart.h) */
	MQ_VIEW_BAR,       /* a number: a bar of the column's width, out of scale */
	MQ_VIEW_DELTA,     /* a number: its change from the column `from`, ↑12 ↓3 */
};

/* How a view shows its rows. */
enum mq_view_layout {
	MQ_VIEW_LIST,   /* rows in columns, paged by keyset */
	MQ_VIEW_RECORD, /* one row, label and value a line (docs/views.md, "Records") */
};

/* A value of a column and how it is shown (a kind: notice -> 通知). */
struct mq_view_value {
	char *value;
	struct mq_text label;
};

struct mq_view_column {
	char *name;                   /* the function's output column */
	char *en;                     /* the column shown instead in English, or NULL (label_en) */
	struct mq_text label;         /* NULLs: no header */
	struct mq_view_value *values; /* values shown by their label (others as they are) */
	size_t nvalues;
	int min;    /* display columns at least */
	int weight; /* share of the spare columns */
	int align;  /* -1 left, 1 right, 0 centred */
	enum mq_view_format format;
	char *from;   /* delta: the column it is compared with (the previous period's) */
	double scale; /* bar: the value of a full bar; 0: the largest of the rows */
	int line;
};

/* A parameter of the function and the output column whose value it gets. */
struct mq_view_bind {
	char *param;
	char *column;
	char *shown; /* fill: the column whose value a lookup field shows (NULL: the value) */
};

/* An order: its keyset (the last row's columns -> parameters). */
struct mq_view_sort {
	char *column;        /* the column marked ↓ in the header */
	char *param, *value; /* param = value selects the order; both NULL: the only one */
	struct mq_view_bind *after;
	size_t nafter;
	int line;
};

struct mq_view_choice {
	char *key;   /* a key name ("o"); NULL: only reached by the group's cycle key */
	char *value; /* NULL: SQL NULL */
	struct mq_text label;
	struct mq_text empty; /* NULLs: the view's */
};

/* A group of choices: one parameter, one value at a time (the first at open). */
struct mq_view_choices {
	char *param;
	struct mq_text label; /* heading: "显示：全部" */
	char *cycle;          /* a key that steps to the next value, or NULL */
	struct mq_view_choice *values;
	size_t nvalues;
	int line;
};

struct mq_view_kind {
	char *kind;            /* a kind the classify function returns */
	struct mq_text label;  /* heading: "按案件编号查找：…"; NULLs: none */
	struct mq_text refuse; /* set: this kind is not searched, the person is told */
};

/* A search prompt: what is typed goes to param, classified first. */
struct mq_view_search {
	char **keys; /* key names that open the prompt */
	char *param;
	char *classify; /* schema.function(text) returning (kind, norm); NULL: none */
	struct mq_text prompt, help, all, empty;
	struct mq_view_kind *kinds;
	size_t nkinds;
	int max_chars;
	int line;
};

/*
 * What a row (or a record) offers: a form, when its status and the person's
 * duty allow, or another view opened on it. Either form or view is set.
 */
struct mq_view_action {
	char *key;
	char *form;                /* forms/<form>.form; its context "row.<column>" from the row */
	char *view;                /* or the view opened, its given parameters bound from the row */
	struct mq_view_bind *bind; /* view: param <- the row's column */
	size_t nbind;
	char *title; /* view: the column whose value titles it (NULL: the view's title) */
	bool no_row; /* row = false: offered without a row (a new item), nothing taken from one */
	/*
	 * rows = "marked": the form gets the ids of the marked rows (the selected
	 * one when none is marked) as a bigint[] in its context source row_ids.
	 */
	bool marked;
	struct mq_view_bind
		*fill; /* form: a field's first value <- the row's column (param: the field) */
	size_t nfill;
	struct mq_text label;
	char **status; /* the status column's values that allow it; NULL: any */
	char **duty;   /* duties that may; NULL: any */
	int line;
};

struct mq_view {
	char *name; /* the file name without .view */
	char *path;
	char *base; /* the view this one is based on, or NULL (resolved at load) */
	struct mq_text title;
	struct mq_text empty; /* shown when there is no row */
	struct mq_text count; /* heading: "件数：12" */
	char *function;       /* schema.name */
	char *id;             /* the output column that identifies a row (bigint) */
	char *limit;          /* the page size parameter; NULL: one call gives every row */
	char *warning;        /* the column whose warning level colours a row; NULL none */
	char *status;         /* the column actions test; NULL none */
	enum mq_view_layout layout;
	/*
	 * source = "report": the function and its lines are read through the
	 * reports' connection (a hot standby, mq/db-report.h); on_open and the
	 * actions' forms write through the main one, as every view's do.
	 */
	bool source_report;
	char *open;                     /* what Enter opens: "case", a view's name; NULL nothing */
	struct mq_view_bind *open_bind; /* open is a view: its given params <- the row's columns */
	size_t nopen_bind;
	char *open_title; /* the column whose value titles the view opened (NULL: its title) */
	int open_line;
	/*
	 * open = { ...; when = "has_children"; else = ...; }: a row whose `when`
	 * column is not true opens the else target instead ("case", or a view
	 * with its binds and title): a drill-down's last level opens the cases.
	 */
	char *open_when;
	char *else_open;
	struct mq_view_bind *else_bind;
	size_t nelse_bind;
	char *else_title;
	char **given; /* parameters the opener must bind (NULL: none; opened from a menu) */
	/*
	 * Parameters an opener may bind (a drill-down's unit and period); opened
	 * from a menu they are the function's defaults. One that is also a group
	 * of choices or the search starts the screen at the value bound.
	 */
	char **optional;
	char *lines;       /* record: rows (label_zh, label_en, value, depth) shown after */
	char *on_open;     /* record: called with the given params once it is shown */
	char *notify;      /* channel whose notifications make it read again */
	bool jurisdiction; /* heading: "辖区：<the person's unit>" */
	bool mark;         /* rows can be marked (m, M): for actions with rows = "marked" */
	char **duty;       /* who may open it; NULL: every staff duty */
	char *menu;        /* the menu module it is added to (basic, work, assessment), or NULL */
	char *report;      /* its name for `minqing-admin report NAME`, or NULL (not a report) */
	int menu_order;    /* its row's place in that module: lower first (1-99, default 50) */
	struct mq_view_bind *fixed; /* parameters with a fixed value (column = the value) */
	size_t nfixed;
	struct mq_view_bind *start; /* choices' values at open (param, column = the value) */
	size_t nstart;
	struct mq_view_column *columns;
	size_t ncolumns;
	struct mq_view_sort *sorts;
	size_t nsorts;
	struct mq_view_choices *choices;
	size_t nchoices;
	struct mq_view_search *search; /* NULL: none */
	struct mq_view_action *actions;
	size_t nactions;
};

/*
 * Read and check one view file. A view with `base` is read on top of the
 * view file of that name in the same directory (its settings replace the
 * base's, one setting at a time). NULL with *cause (caller frees).
 */
struct mq_view *mq_view_load(const char *path, char **cause);
void mq_view_free(struct mq_view *v);

/*
 * Every DIR/NAME.view, in file-name order; a bad file stops with its
 * file:line, and so does a view that opens (open, actions) a view that is not
 * there or leaves one of its given parameters unbound.
 */
int mq_views_load_dir(const char *dir, struct mq_view ***views, size_t *n, char **cause);
void mq_views_free(struct mq_view **views, size_t n);
const struct mq_view *mq_view_find(struct mq_view *const *views, size_t n, const char *name);

/*
 * A chart column's text (spark, bar, delta; mq/chart.h): raw the column's
 * value, from the value of its `from` column (delta), max the value of a
 * full bar when the column has no scale (the largest of the rows). NULL when
 * the column is not a chart. Caller frees.
 */
char *mq_view_chart(const struct mq_view_column *col, const char *raw, const char *from, double max,
		    bool ascii);

/* Is param one of the view's optional parameters? */
bool mq_view_optional(const struct mq_view *v, const char *param);

/* The names of the formatters, in enum order, NULL-terminated. */
extern const char *const mq_view_format_names[];
/* The duties a view may name, NULL-terminated. */
extern const char *const mq_view_duties[];

#endif
