/*
 * Translation: every string a person reads goes through _() (gettext).
 * The msgids are English; the Chinese catalogue (src/po/zh_CN.po) is the
 * first language of the users and the default.
 */
#ifndef MQ_I18N_H
#define MQ_I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

/*
 * Select the UI language ("zh_CN" or "en") and bind the catalogue. Looks for
 * the catalogue next to the executable (build tree: <bindir>/locale), then
 * $MINQING_LOCALEDIR, then the installed locale directory. Call after
 * setlocale(LC_ALL, "").
 */
void mq_i18n_init(const char *language);

#endif
