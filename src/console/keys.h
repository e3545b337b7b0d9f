/*
 * The console's key bindings (keys.c): the global table, the tables every
 * screen registers, the person's keys.<action>, and --keys.
 */
#ifndef MQ_CONSOLE_KEYS_H
#define MQ_CONSOLE_KEYS_H

#include <stdio.h>

#include "keytab.h"
#include "mq/config.h"

struct console;
struct screen_inst;

/* --- keys.c: the global key table and the person's bindings ------------------------------ */

/* The actions of the global table (keys_global), looked up after the screen's tables. */
enum {
	KEY_GLOBAL_BACK = 1000,
	KEY_GLOBAL_CLOSE, /* q: back; in the main menu, quit */
	KEY_GLOBAL_QUIT,
	KEY_GLOBAL_HELP,
	KEY_GLOBAL_REDRAW,
};
extern const struct keytab keys_global;

/*
 * A table built at run time (a list screen's, from its view file): known to
 * the checks and to --keys. Call before keys_check()/console_run(); t must
 * outlive the console.
 */
void keys_register(const struct keytab *t);
/* The tables of the screens (static ones, then registered ones): how many, at most max. */
size_t keys_tables(const struct keytab **tabs, size_t max);
/* The bindings of a configuration: 0, or -1 with *cause (caller frees); keybinds_free(). */
int keys_bindings(const struct mq_config *cfg, struct keybinds *kb, char **cause);
/* Check the bindings of a configuration against every table (at start): 0 or -1, *cause. */
int keys_check(const struct mq_config *cfg, char **cause);
/* Read and check the bindings of c->cfg into c->keybinds: 0, or -1 with *cause. */
int keys_init(struct console *c, char **cause);
/* minqing --keys: every bindable action, its default keys, where it applies. */
int keys_print(const struct mq_config *cfg, FILE *f, char **cause);
/* The key table of an open screen (its own, or the screen's), or NULL. */
const struct keytab *keys_screen_table(const struct screen_inst *s);

#endif
