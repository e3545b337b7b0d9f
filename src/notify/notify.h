/*
 * minqing-notify: the outbox drainer (docs/notify.md, docs/architecture.md).
 *
 * notify.c runs the loop: LISTEN minqing_outbox, take the due messages in one
 * transaction per batch (minqing.outbox_due, FOR UPDATE SKIP LOCKED), hand
 * each to the transport, mark it sent or failed, COMMIT. Each transport is
 * one file exporting a descriptor, like tmux's commands: notify-spool.c,
 * notify-command.c, notify-gammu.c. notify-text.c holds what every transport
 * shares: phone numbers and SMS segments.
 *
 * Because a batch that dies before COMMIT is taken again by the next run,
 * every transport must be idempotent per message_id, or say that it is
 * at-least-once (the command transport; the spool, which writes the same
 * file again under the same name).
 */
#ifndef MQ_NOTIFY_H
#define MQ_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "mq/common.h"
#include "mq/config.h"
#include "mq/db.h"

/* One SMS segment: at most 70 UCS-2 code units (a Chinese character is one). */
#define NOTIFY_SEGMENT_UNITS 70
/* A part of a concatenated (multipart) SMS: the 6-byte UDH leaves 67 units. */
#define NOTIFY_MULTIPART_UNITS 67
#define NOTIFY_MAX_SEGMENTS    255

/* One message taken from the outbox, as the transport sees it. */
struct notify_msg {
	long long id;        /* outbox.message_id */
	const char *id_text; /* the same, as text */
	const char *phone;   /* normalised: 11 digits, 1[3-9]... */
	const char *name;    /* recipient_name, may be "" */
	const char *body;    /* the whole text, UTF-8 */
	char **parts;        /* numbered segments "(1/3)..." (one part: the body) */
	size_t nparts;
};

enum notify_outcome {
	NOTIFY_SENT,      /* handed over; *ref set */
	NOTIFY_RETRY,     /* temporary failure; *cause set; try again later */
	NOTIFY_PERMANENT, /* will never work (e.g. the gateway refused the data) */
};

struct notify_ctx;

/*
 * A transport. init runs once after the database connection is made (and
 * again after a reconnect when reinit is set); send delivers one message
 * inside the drainer's transaction; free releases what init made. poll,
 * when the transport has one, runs after each round of batches and on each
 * wake-up (a notification or the --interval timeout): the gammu transport
 * reads the delivery of sent messages back from Gammu's sentitems. It runs
 * its own transactions on ctx->db and returns 0, or -1 with *cause (the
 * caller logs it and tries again at the next round).
 */
struct notify_transport {
	const char *name;
	bool reinit; /* init again after the drainer reconnects */
	int (*init)(struct notify_ctx *ctx, char **cause);
	/* *ref (on NOTIFY_SENT) and *cause (otherwise) are the caller's to free. */
	enum notify_outcome (*send)(struct notify_ctx *ctx, const struct notify_msg *msg,
				    int *segments, char **ref, char **cause);
	void (*free)(struct notify_ctx *ctx);
	int (*poll)(struct notify_ctx *ctx, char **cause); /* optional */
};

extern const struct notify_transport notify_transport_spool;
extern const struct notify_transport notify_transport_command;
extern const struct notify_transport notify_transport_gammu;

struct notify_ctx {
	struct mq_config cfg;
	struct mq_db *db; /* the outbox connection; NULL while reconnecting */
	const struct notify_transport *transport;
	void *tdata; /* the transport's own state */

	const char *spool_dir;
	const char *command;
	int command_timeout;        /* seconds */
	const char *gammu_conninfo; /* NULL: the outbox's own connection */
	const char *gammu_schema;   /* NULL: found by search_path */
	const char *gammu_creator;
	bool no_inbox; /* gammu: do not read Gammu's inbox (messages received) */
	int batch;
	int max_attempts;
	int interval; /* seconds */
	bool once;
	time_t relay_resume; /* after a failed relay: none before this (notify_idle) */
	time_t fold_next;    /* the next fold of the report log (notify_idle) */
};

/* Log one line to stderr: "2026-01-02 03:04:05 minqing-notify: ...". */
void notify_log(const char *fmt, ...) MQ_PRINTF(1, 2);

/*
 * Normalise a mainland mobile number: spaces and dashes removed, a leading
 * +86 / 0086 / 86 before 11 digits dropped (a "+" once, before the digits,
 * and only as +86); the result must match ^1[3-9][0-9]{9}$. Writes 12
 * bytes (with the NUL) to out; 0 or -1.
 */
int notify_phone_normalise(const char *in, char out[12]);

/* "138****5678" for logs (out: at least 12 bytes). */
void notify_phone_mask(const char *phone, char out[12]);

/*
 * UCS-2 code units of UTF-8 text (a character outside the BMP takes two),
 * decoded with the width module, so an invalid byte counts as U+FFFD.
 */
size_t notify_text_units(const char *s);

/*
 * Split text into SMS segments. A text of at most 70 code units is one
 * segment, as it is. A longer one is cut into parts of at most `units` code
 * units (70 for numbered parts, 67 for a concatenated SMS), never inside a
 * UTF-8 sequence or a surrogate pair; with numbered, each part starts with
 * "(i/n)", inside the limit.
 * Returns a NULL-terminated array (caller frees with notify_parts_free) and
 * sets *n; NULL (and *cause) when it would take more than 255 parts.
 */
char **notify_split(const char *text, size_t units, bool numbered, size_t *n, char **cause);
void notify_parts_free(char **parts);

#endif
