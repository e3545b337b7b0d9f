/*
 * The list widget (list.c): a table of rows under a header, with a selection
 * bar, scrolling, an incremental filter over the loaded rows, sorting by the
 * columns a screen declares sortable and keyset pagination. The widget never
 * talks to the database: it asks its screen for the next page through a
 * callback with the last loaded row (never an OFFSET), from key handlers and
 * refreshes only, never from draw().
 *
 * The pure parts (listfmt.c: column widths, fitting a row, filter matching,
 * countdowns, what a search looks like) need no terminal, so the unit tests
 * (tests/unit/test_list.c) link them alone.
 *
 * Memory stays bounded: a list holds at most LIST_MAX_ROWS rows (plus the
 * page that crossed the line); beyond that it stops loading and says so.
 */
#ifndef MQ_LIST_H
#define MQ_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "console.h"

/* (Reloads after notifications: at most every LIST_RELOAD_MS, pace.h; the
 * console's loop wakes at least every CONSOLE_TICK_MS to do a deferred one.) */
#define LIST_PAGE       50   /* rows a screen returns per page (its LIMIT) */
#define LIST_MAX_ROWS   5000 /* rows kept at most: no page is loaded beyond */
#define LIST_GAP        1    /* blank columns between two columns */
#define LIST_FILTER_MAX 32   /* characters of the filter text */

/* A column of a list, declared by its screen (static). */
struct list_column {
	const char *title;  /* as shown (translated by the screen); "" for none */
	int min;            /* columns it takes at least */
	int weight;         /* its share of the spare columns (0: none) */
	int align;          /* as mq_strpad(): -1 left, 1 right, 0 centred */
	bool sortable;      /* `s` may sort by it: the screen re-queries in that order */
	enum tty_role role; /* its cells' look (a chart's colour); TTY_NORMAL: the row's */
};

/* One row: its id (a case id), its look and its cells. */
struct list_row {
	long long id;       /* keeps the selection across a refresh */
	enum tty_role role; /* TTY_NORMAL, or e.g. TTY_WARN_RED for the whole row */
	char **cells;       /* ncells (visible + hidden) owned strings; NULL is "" */
};

struct list;

/* What a screen gives the widget; arg is the screen's own state. */
struct list_ops {
	/*
	 * Load the page after `last` (NULL: the first page) in the order of
	 * column `sort` (list_sort()), at most LIST_PAGE rows, each appended
	 * with list_add() and list_set(). Returns the rows appended (fewer than
	 * LIST_PAGE: the end), or -1 after showing the error (console_db_error).
	 */
	int (*fetch)(struct console *c, void *arg, struct list *l, const struct list_row *last);
	/* Enter on a row. Optional. */
	void (*open)(struct console *c, void *arg, const struct list_row *row);
	/*
	 * A cell computed at draw time (a countdown from a stored time), newly
	 * allocated; NULL to show the stored cell. Optional; must not query.
	 */
	char *(*cell)(void *arg, const struct list_row *row, int col, time_t now);
	/* A short note for the person ("Sorted by 时限."): the screen shows it. Optional. */
	void (*say)(struct console *c, void *arg, const char *text);
};

/*
 * A new empty list of ncols visible columns (cols must outlive it) and
 * nhidden more cells per row that are neither shown nor filtered (keyset
 * values such as a raw timestamp). sort: the column sorted by at first.
 * Free with list_free().
 */
struct list *list_new(const struct list_column *cols, int ncols, int nhidden, int sort,
		      const struct list_ops *ops, void *arg);
void list_free(struct list *l);

/* The text shown when there is no row at all (translated; must outlive the list). */
void list_set_empty(struct list *l, const char *text);

/* Append a row (for fetch()); its cells start NULL. The pointer is valid until the next add. */
struct list_row *list_add(struct list *l, long long id, enum tty_role role);
/*
 * Set cell col of row r to a copy of s (NULL: empty): its first MQ_TEXT_MAX
 * characters, "…" after them when there is more (mq_text_clip).
 */
void list_set(struct list *l, struct list_row *r, int col, const char *s);

/*
 * Load the first page again (and as many more as needed to find the
 * selected row again, up to as many rows as were loaded), keeping the
 * selection on the same id when it is still there. With keep false the
 * selection goes to the first row (a new filter or sort). When the first
 * page cannot be read the rows loaded before stay. Returns 0 or -1.
 */
int list_reload(struct console *c, struct list *l, bool keep);

/*
 * Live refresh. list_invalidate(): what the list shows changed (a
 * notification, a case opened from it); list_tick() (from the screen's
 * notify, tick or key handler) then reloads, keeping the selection, at most
 * once every LIST_RELOAD_MS: a burst of notifications costs one reload.
 */
void list_invalidate(struct list *l);
void list_tick(struct console *c, struct list *l);

/* Draw at (y, x) in height rows and width columns: header, rows, filter line. */
void list_draw(struct list *l, int y, int x, int height, int width);

/*
 * The widget's actions (ids from LIST_ACTIONS on, apart from a screen's own
 * and the line editor's): moving, paging, `/` filter, `s` sort, `r`/F5
 * refresh, Enter open, Esc clearing the filter. list_keytab_add() puts them
 * in a screen's run-time table (sorts: the list has more than one order, so
 * `s` is offered); while the filter is typed, list_input() is the line
 * editor's table, whose actions list_action() takes too.
 */
#define LIST_ACTIONS 2000
enum {
	LIST_A_UP = LIST_ACTIONS,
	LIST_A_DOWN,
	LIST_A_PAGE_UP,
	LIST_A_PAGE_DOWN,
	LIST_A_FIRST,
	LIST_A_LAST,
	LIST_A_FILTER,
	LIST_A_CLEAR,
	LIST_A_SORT,
	LIST_A_RELOAD,
	LIST_A_OPEN,
	LIST_A_EXPORT,
	LIST_A_MARK,
	LIST_A_MARK_ALL,
	LIST_A_END_OF_ACTIONS,
};
/*
 * What E exports the list as (list-export.c): name makes the files' names
 * ("news" -> news-20261207-0930.csv), title heads the text (not owned, both
 * must outlive the list). Without a name the list cannot be exported.
 */
void list_set_export(struct list *l, const char *name, const char *title);

/* list-export.c: load every row (up to LIST_MAX_ROWS) and write the rows shown to files. */
void list_export(struct console *c, struct list *l);

/*
 * Write a table (the cells as shown) to the export directory as name-<time>.csv
 * and .txt headed by title, and say so on the message line (capped: the
 * rows stop at the list's limit). list_export() is this for a list's rows.
 */
struct mq_table;
void export_table_files(struct console *c, const char *name, const char *title,
			const struct mq_table *t, bool capped);

/* For the export: every page loaded (0; -1 after the error was shown). */
int list_load_all(struct console *c, struct list *l);
/* The i-th row the filter lets through, and a cell as drawn now (caller frees). */
const struct list_row *list_shown_row(const struct list *l, size_t i);
char *list_cell_text(const struct list *l, const struct list_row *r, int col, time_t now);
/* The columns (the screen's), their number in *n; the export's name and title. */
const struct list_column *list_columns(const struct list *l, int *n);
const char *list_export_name(const struct list *l);
const char *list_export_title(const struct list *l);

/* sorts: the list has more than one order (else s only says so); opens: Enter opens a row. */
int list_keytab_add(struct keytab *t, bool sorts, bool opens, char **cause);
/*
 * The same; !rows: only moving and reloading (a record's text scrolls as a
 * list does); marks: m/Insert and M mark rows (list_set_marking()).
 */
int list_keytab_add_some(struct keytab *t, bool sorts, bool opens, bool rows, bool marks,
			 char **cause);
/* E on a record that is a report: its figures exported (screen-record.c). */
int list_keytab_add_export(struct keytab *t, char **cause);
const struct keytab *list_input(const struct list *l);
/*
 * The picker's way of listing: the filter line always has the focus (moves,
 * Enter and Esc still act); with search, the rows are not matched here but
 * fetched again as the text changes (fetch reads list_filter_text()).
 * label: the line's (translated; must outlive the list).
 */
void list_set_typing(struct list *l, bool search, const char *label);
const char *list_filter_text(const struct list *l);
/* Select the shown row whose cell col is value: true when there is one. */
bool list_select_cell(struct list *l, int col, const char *value);
/* Select the shown row with this id: true when there is one. */
bool list_select_id(struct list *l, long long id);
/* Run an action of the widget (or of the filter line); SCREEN_IGNORED when it is not one. */
enum key_result list_action(struct console *c, struct list *l, int action, key_code key);

/*
 * Marking rows (a view with mark = true): the widget draws a '*' before a
 * marked row and keeps the marks by id across reloads (dropping those of
 * rows no longer in a complete list). list_marks() gives the marked ids (the
 * widget's array, valid until the next action or reload) and their number.
 */
void list_set_marking(struct list *l, bool on);
bool list_marked(const struct list *l, long long id);
size_t list_marks(const struct list *l, const long long **ids);
void list_marks_clear(struct list *l);

/* The selected row, or NULL when nothing is shown. */
const struct list_row *list_selected(const struct list *l);
int list_sort(const struct list *l);
size_t list_count(const struct list *l);  /* rows loaded */
size_t list_shown(const struct list *l);  /* rows the filter lets through */
bool list_complete(const struct list *l); /* every row is loaded */
bool list_capped(const struct list *l);   /* stopped at LIST_MAX_ROWS */

/* --- listfmt.c: the pure parts (no terminal, no database) ------------------------- */

/*
 * Share total columns among ncols columns with gap blank columns between
 * two visible ones: each gets its min, the spare goes by weight (the
 * remainder one column at a time, from the left, to weighted columns; all
 * to the last column when none has weight). Columns that do not fit even at
 * their min are hidden (width 0) from the right. The widths of the visible
 * columns plus their gaps add up to total exactly (when one column fits).
 */
void listfmt_widths(const struct list_column *cols, int ncols, int total, int gap, int *widths);

/*
 * One line of a table: cells[i] fitted into widths[i] columns (cut at a
 * character with "…", padded by cols[i].align), gap blanks between visible
 * columns. Exactly the sum of the widths and gaps wide. Caller frees.
 */
char *listfmt_row(const struct list_column *cols, const char *const *cells, const int *widths,
		  int ncols, int gap);

/* Whether needle (ASCII case folded) occurs in any of the cells; "" matches all. */
bool listfmt_match(const char *const *cells, int ncells, const char *needle);

/* "2天3小时", "5小时10分", "12分钟" (English "2d 3h", "5h 10m", "12m"). Caller frees. */
char *listfmt_duration(long long seconds);
/* Time left to due: listfmt_duration(), or "超期5小时" ("overdue 5h"). Caller frees. */
char *listfmt_countdown(time_t due, time_t now);

#endif
