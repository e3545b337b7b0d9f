/*
 * The case vocabulary of the console in one place: the words a status, a
 * warning level or a message's state is shown as (English msgids, Chinese in
 * src/po/zh_CN.po), the warning letters and row colours, and which statuses
 * run the deadline clock. The case screen, the lists and the view engine all
 * read them here, so a status has one translation.
 */
#ifndef MQ_VOCAB_H
#define MQ_VOCAB_H

#include <stdbool.h>

#include "console.h"

/* The place of a status in the enum case_status (received 0 ... withdrawn 8), or -1. */
int vocab_status_index(const char *status);
/* "in_progress" -> 办理中; an unknown status as it is. */
const char *vocab_status_label(const char *status);
/* "yellow" -> 黄色预警; none (or anything else) -> 无预警. */
const char *vocab_warning_label(const char *level);
/* "Y", "O", "R" for a warning level, "" for none or NULL. */
const char *vocab_warning_marker(const char *level);
/* The look of a row by its warning level (NULL: normal). */
enum tty_role vocab_warning_role(const char *level);
/* An SMS's state: sent, undeliverable, retrying, queued. */
const char *vocab_sms_status_label(const char *status);
/* A channel, an urgency, a satisfaction or a commitment kind in words; others as they are. */
const char *vocab_enum_label(const char *value);
/* A timeline event's kind in words (accept -> 已受理); others as they are. */
const char *vocab_event_label(const char *kind);
/* Does the deadline run in this status (accepted, dispatched, in progress, rectifying)? */
bool vocab_clock_runs(const char *status);
/* "village" -> 村 (a kind of unit), or NULL when it is none. */
const char *vocab_unit_kind_label(const char *kind);
/* "village" -> 村级分站 (a kind of station), or NULL when it is none. */
const char *vocab_station_kind_label(const char *kind);

#endif
