/*
 * The picker (pick.c): choose one item of a list (a form's options and
 * lookups), found by typing part of it.
 */
#ifndef MQ_CONSOLE_PICK_H
#define MQ_CONSOLE_PICK_H

#include <stddef.h>

struct console;

/* --- pick.c: choose one item of a list (options, lookups) ----------------------------- */

enum pick_source {
	PICK_STATIC,    /* the items given */
	PICK_CATEGORY,  /* the category tree of the person's district (value: id) */
	PICK_UNIT,      /* district, towns and villages (value: unit code) */
	PICK_STAFF,     /* handlers (value: login), those of unit `context` first */
	PICK_RESIDENT,  /* residents found by name, phone or household number (value: id) */
	PICK_HOUSEHOLD, /* households found by number, head, address, phone (value: id) */
	PICK_STATION,   /* the stations a case may be received at, by code (value: id) */
};

struct pick_item {
	char *value;
	char *label;
	char *detail; /* NULL: none */
	int depth;    /* indentation in a tree */
};

struct pick_args {
	enum pick_source source;
	const struct pick_item *items; /* PICK_STATIC: copied at open */
	size_t nitems;
	const char *current; /* the value to start on, or NULL; read at open only */
	char *context;       /* PICK_STAFF: a unit code to list first; copied at open */
	/* The person chose: value and label are valid during the call only. */
	void (*chosen)(struct console *c, void *arg, const char *value, const char *label);
	void *arg;
};

/* Open the picker over the current screen; it closes itself. */
void pick_open(struct console *c, const char *title, const struct pick_args *args);
void pick_items_free(struct pick_item *items, size_t n);

#endif
