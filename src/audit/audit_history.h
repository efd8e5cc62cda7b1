/* audit --history DIR: earlier audits' JSON files, read into one point each
 * (date, models, findings by level, open high or critical threats, the
 * mitigated share, the same per owner), and this audit as the last point:
 * the trend the JSON lists and the page draws. */
#ifndef TM_AUDIT_HISTORY_H
#define TM_AUDIT_HISTORY_H
#include <stddef.h>
#include <stdint.h>

struct tm_ctx;

typedef struct tm_trend_owner {
    char *owner;         /* "" for models with none */
    size_t models, errors, warnings, open_high;
    uint64_t threats, mitigated;
} tm_trend_owner;

typedef struct tm_trend_point {
    char date[11];
    char *source;        /* the file it was read from, or NULL for this audit */
    size_t models, errors, warnings, notes, open_high;
    uint64_t threats, mitigated;
    tm_trend_owner *owners;
    size_t nowners;
} tm_trend_point;

typedef struct tm_history {
    tm_trend_point *v;   /* oldest first; this audit last */
    size_t n;
} tm_history;

/* Reads every *.json in dir that is a tmlint audit with a date (others
 * get a warning and are left out), adds this audit, orders them by date.
 * 0, or -1 with an error in c->diags (dir unreadable). */
int tm_history_load(struct tm_ctx *c, const char *dir);
void tm_history_free(tm_history *h);

#endif
