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

int vocab_status_index(const char *status)
{
	size_t i;

	for (i = 0; status != NULL && i < MQ_NITEMS(vocab_statuses); i++)
		if (strcmp(status, vocab_statuses[i].status) == 0)
			return (int)i;
	return -1;
}

const char *vocab_status_label(const char *status)
{
	int i = vocab_status_index(status);

	return i >= 0 ? _(vocab_statuses[i].label) : status;
}

const char *vocab_sms_status_label(const char *status)
{
	if (strcmp(status, "sent") == 0)
		return _("sent");
	if (strcmp(status, "dead") == 0)
		return _("undeliverable");
	if (strcmp(status, "failed") == 0)
		return _("retrying");
	return _("queued");
}

const char *vocab_enum_label(const char *value)
{
	static const struct {
		const char *value, *label;
	} labels[] = {
		{"walk_in", N_("walk-in")},
		{"hotline", N_("hotline")},
		{"email", N_("e-mail")},
		{"letter", N_("letter")},
		{"party_visit", N_("party member's visit")},
		{"dialogue_meeting", N_("dialogue meeting")},
		{"station_terminal", N_("station terminal")},
		{"normal", N_("normal")},
		{"urgent", N_("urgent")},
		{"very_urgent", N_("very urgent")},
		{"satisfied", N_("satisfied")},
		{"basically_satisfied", N_("basically satisfied")},
		{"not_satisfied", N_("not satisfied")},
		{"days", N_("working days")},
		{"hours", N_("working hours")},
		{"immediate", N_("immediate")},
	};
	size_t i;

	for (i = 0; i < MQ_NITEMS(labels); i++)
		if (strcmp(labels[i].value, value) == 0)
			return _(labels[i].label);
	return value;
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
