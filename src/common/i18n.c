/*
 * Selecting the UI language and finding the message catalogue.
 *
 * glibc's gettext honours LANGUAGE whenever LC_MESSAGES is not exactly "C" or
 * "POSIX", so with a C.UTF-8 (or any UTF-8) locale, LANGUAGE=zh_CN selects
 * the Chinese catalogue without a generated zh_CN locale (tried on Debian 12).
 */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mq/common.h"
#include "mq/i18n.h"

void mq_i18n_init(const char *language)
{
	char *dir;
	const char *env;

	/* English is the msgid language: an empty LANGUAGE list plus "en". */
	if (language != NULL && strcmp(language, "en") == 0)
		setenv("LANGUAGE", "en", 1);
	else
		setenv("LANGUAGE", language != NULL && *language != '\0' ? language : "zh_CN", 1);

	if ((env = getenv("MINQING_LOCALEDIR")) != NULL && *env != '\0')
		bindtextdomain("minqing", env);
	else if ((dir = mq_dir_beside_exe("locale")) != NULL) {
		bindtextdomain("minqing", dir);
		free(dir);
	} else
		bindtextdomain("minqing", MQ_LOCALEDIR);
	bind_textdomain_codeset("minqing", "UTF-8");
	textdomain("minqing");
}
