/* The questions a security lead asks of an audit, answered from each
 * model's lead records (rules/lib/stats.lua): open threats at the top of
 * their scale by owner, acceptances that expired or expire within 90 days,
 * mitigations past their due date, models with no owner or no review. The
 * JSON and the HTML page both read these views. */
#ifndef TM_AUDIT_LEAD_H
#define TM_AUDIT_LEAD_H
#include "ctx.h"

#define TM_LEAD_SOON_DAYS 30
#define TM_LEAD_LATER_DAYS 90

typedef struct tm_lead_ref {
    const tm_file *f;
    const tm_lead *x;
    const char *owner;   /* the team: the mitigation's owner, else the model's; "" for none */
    long days;           /* the record's date minus --now, in days (0 when it has none) */
} tm_lead_ref;

typedef struct tm_lead_group {
    const char *owner;   /* "" for models that name none */
    size_t first, n;     /* a slice of the view */
} tm_lead_group;

typedef struct tm_lead_views {
    tm_lead_ref *high, *accept, *due;
    size_t nhigh, naccept, ndue;
    tm_lead_group *high_by_owner, *due_by_owner;
    size_t nhigh_owners, ndue_owners;
    const tm_file **no_owner, **never_reviewed;
    size_t nno_owner, nnever_reviewed;
} tm_lead_views;

/* Days since 1970-01-01 of YYYY-MM-DD (what follows is ignored), or 0
 * with *ok = 0 when it is no day of the calendar. */
long tm_day_number(const char *ymd, int *ok);
/* "expired", "within 30 days", "within 90 days" for an acceptance `days` away. */
const char *tm_lead_accept_state(long days);
void tm_lead_views_make(const tm_ctx *c, tm_lead_views *v);
void tm_lead_views_free(tm_lead_views *v);

#endif
