#include "audit_lead.h"
#include "buf.h"
#include <stdlib.h>
#include <string.h>

long tm_day_number(const char *s, int *ok)
{
    *ok = 0;
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    long y = atol(s), m = atol(s + 5), d = atol(s + 8);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return 0;
    /* days from civil (proleptic Gregorian), 1970-01-01 = 0 */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *ok = 1;
    return era * 146097 + doe - 719468;
}

const char *tm_lead_accept_state(long days)
{
    return days < 0 ? "expired" : days <= TM_LEAD_SOON_DAYS ? "within 30 days" : "within 90 days";
}

static int cmp_path_line(const tm_lead_ref *a, const tm_lead_ref *b)
{
    int c = strcmp(a->f->path, b->f->path);
    if (c)
        return c;
    if (a->x->line != b->x->line)
        return a->x->line < b->x->line ? -1 : 1;
    return a->x->col < b->x->col ? -1 : a->x->col > b->x->col;
}

/* By owner (those with none last), then by path and line. */
static int cmp_owner(const void *pa, const void *pb)
{
    const tm_lead_ref *a = pa, *b = pb;
    if (!*a->owner != !*b->owner)
        return *a->owner ? -1 : 1;
    int c = strcmp(a->owner, b->owner);
    return c ? c : cmp_path_line(a, b);
}

/* By date, then path and line. */
static int cmp_days(const void *pa, const void *pb)
{
    const tm_lead_ref *a = pa, *b = pb;
    if (a->days != b->days)
        return a->days < b->days ? -1 : 1;
    return cmp_path_line(a, b);
}

/* By owner, then the longest overdue first. */
static int cmp_owner_days(const void *pa, const void *pb)
{
    const tm_lead_ref *a = pa, *b = pb;
    if (!*a->owner != !*b->owner)
        return *a->owner ? -1 : 1;
    int c = strcmp(a->owner, b->owner);
    return c ? c : cmp_days(pa, pb);
}

static void push(tm_lead_ref **v, size_t *n, tm_lead_ref r)
{
    if ((*n & (*n - 1)) == 0)   /* grow at powers of two */
        *v = tm_xrealloc(*v, (*n ? *n * 2 : 1) * sizeof **v);
    (*v)[(*n)++] = r;
}

static tm_lead_group *groups(const tm_lead_ref *v, size_t n, size_t *ng)
{
    tm_lead_group *g = NULL;
    *ng = 0;
    for (size_t i = 0; i < n; i++) {
        if (*ng && !strcmp(g[*ng - 1].owner, v[i].owner)) {
            g[*ng - 1].n++;
            continue;
        }
        g = tm_xrealloc(g, (*ng + 1) * sizeof *g);
        g[(*ng)++] = (tm_lead_group){v[i].owner, i, 1};
    }
    return g;
}

static int cmp_group(const void *pa, const void *pb)
{
    const tm_lead_group *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    if (!*a->owner != !*b->owner)
        return *a->owner ? -1 : 1;
    return strcmp(a->owner, b->owner);
}

void tm_lead_views_make(const tm_ctx *c, tm_lead_views *v)
{
    memset(v, 0, sizeof *v);
    int ok;
    long now = tm_day_number(c->now, &ok);
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        if (f->baseline_only || f->part_of || f->failed || !f->stats.models)
            continue;
        if (!f->stats.owner[0]) {
            v->no_owner = tm_xrealloc(v->no_owner, (v->nno_owner + 1) * sizeof *v->no_owner);
            v->no_owner[v->nno_owner++] = f;
        }
        if (!f->stats.reviewed[0]) {   /* "-": the format has no such field, which is no neglect */
            v->never_reviewed = tm_xrealloc(v->never_reviewed, (v->nnever_reviewed + 1) * sizeof *v->never_reviewed);
            v->never_reviewed[v->nnever_reviewed++] = f;
        }
        for (size_t k = 0; k < f->stats.nlead; k++) {
            const tm_lead *x = &f->stats.lead[k];
            int dok;
            long d = x->date ? tm_day_number(x->date, &dok) : 0;
            tm_lead_ref r = {f, x, f->stats.owner, x->date && dok ? d - now : 0};
            if (x->kind == TM_LEAD_HIGH) {
                push(&v->high, &v->nhigh, r);
            } else if (x->kind == TM_LEAD_ACCEPT && x->date && dok && r.days <= TM_LEAD_LATER_DAYS) {
                push(&v->accept, &v->naccept, r);
            } else if (x->kind == TM_LEAD_DUE && x->date && dok && r.days < 0) {
                if (x->by && *x->by)
                    r.owner = x->by;
                push(&v->due, &v->ndue, r);
            }
        }
    }
    if (v->nhigh)
        qsort(v->high, v->nhigh, sizeof *v->high, cmp_owner);
    if (v->naccept)
        qsort(v->accept, v->naccept, sizeof *v->accept, cmp_days);
    if (v->ndue)
        qsort(v->due, v->ndue, sizeof *v->due, cmp_owner_days);
    v->high_by_owner = groups(v->high, v->nhigh, &v->nhigh_owners);
    v->due_by_owner = groups(v->due, v->ndue, &v->ndue_owners);
    /* the teams with the most first */
    if (v->nhigh_owners)
        qsort(v->high_by_owner, v->nhigh_owners, sizeof *v->high_by_owner, cmp_group);
    if (v->ndue_owners)
        qsort(v->due_by_owner, v->ndue_owners, sizeof *v->due_by_owner, cmp_group);
}

void tm_lead_views_free(tm_lead_views *v)
{
    free(v->high);
    free(v->accept);
    free(v->due);
    free(v->high_by_owner);
    free(v->due_by_owner);
    free(v->no_owner);
    free(v->never_reviewed);
    memset(v, 0, sizeof *v);
}
