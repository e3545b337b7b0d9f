/*
 * pace.h: how often a console re-reads what others changed. One place for
 * the console (console.c, list.c, screen-case.c) and for mq-load, which
 * plays consoles and must load the server as they do.
 *
 * Every change of a case notifies every console of the district (a dozen a
 * second in a busy one). Counting the inbox once a second, relaying once a
 * second and reloading the list on top every 0.3 s was most of the
 * server's time at 400 consoles (docs/operations.md, "Load"); the person's
 * own change is still shown at once.
 */
#ifndef MQ_CONSOLE_PACE_H
#define MQ_CONSOLE_PACE_H

#define CONSOLE_PENDING_SECONDS 10   /* the inbox count, for others' changes */
#define CONSOLE_RELAY_SECONDS   5    /* the console's own relay (see console_relay()) */
#define CONSOLE_NEWS_PACE_MS    3000 /* the news of warnings and urges */
#define CONSOLE_NEWS_MS         300  /* a case on top, when it is the case changed */
#define LIST_RELOAD_MS          2000 /* a list on top (list_tick()) */

#endif
