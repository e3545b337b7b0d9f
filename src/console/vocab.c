/*
 * The case vocabulary (vocab.h). The msgids are those the case screen has
 * always used, so the existing translations serve every screen.
 */
#include <string.h>

#include "mq/common.h"
#include "mq/i18n.h"
#include "vocab.h"

static const struct {
	const char *status;
	const char *label;
} vocab_statuses[] = {
	{"received", N_("received")},
	{"accepted", N_("accepted")},
	{"dispatched", N_("dispatched")},
	{"in_progress", N_("in progress")},
	{"waiting", N_("waiting for the resident")},
	{"resolved", N_("resolved")},
	{"reported", N_("reported back")},
	{"closed", N_("closed")},
	{"withdrawn", N_("withdrawn")},
};

static const struct {
	const char *level;
	const char *label;
	const char *marker;
	enum tty_role role;
} vocab_levels[] = {
	{"yellow", N_("yellow warning"), "Y", TTY_WARN_YELLOW},
	{"orange", N_("orange warning"), "O", TTY_WARN_ORANGE},
	{"red", N_("red warning"), "R", TTY_WARN_RED},
};

const char *vocab_status_label(const char *status)
{
	size_t i;

	for (i = 0; i < MQ_NITEMS(vocab_statuses); i++)
		if (strcmp(status, vocab_statuses[i].status) == 0)
			return _(vocab_statuses[i].label);
	return status;
}

static int vocab_level(const char *level)
{
	size_t i;

	for (i = 0; level != NULL && i < MQ_NITEMS(vocab_levels); i++)
		if (strcmp(level, vocab_levels[i].level) == 0)
			return (int)i;
	return -1;
}

const char *vocab_warning_label(const char *level)
{
	int i = vocab_level(level);

	return i >= 0 ? _(vocab_levels[i].label) : _("no warning");
}

const char *vocab_warning_marker(const char *level)
{
	int i = vocab_level(level);

	return i >= 0 ? vocab_levels[i].marker : "";
}

enum tty_role vocab_warning_role(const char *level)
{
	int i = vocab_level(level);

	return i >= 0 ? vocab_levels[i].role : TTY_NORMAL;
}

bool vocab_clock_runs(const char *status)
{
	return status != NULL &&
	       (strcmp(status, "accepted") == 0 || strcmp(status, "dispatched") == 0 ||
		strcmp(status, "in_progress") == 0);
}
