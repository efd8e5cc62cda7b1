#include "audit_history.h"
#include "audit_lead.h"
#include "audit_summary.h"
#include "buf.h"
#include "ctx.h"
#include "tree.h"
#include "yaml_load.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TM_HISTORY_MAX_FILES 10000


static uint64_t number(const tm_doc *d, uint32_t map, const char *key)
{
    const char *s = tm_node_scalar(d, map, key);
    return s ? strtoull(s, NULL, 10) : 0;
}

static uint32_t seq(const tm_doc *d, uint32_t map, const char *key)
{
    if (map == TM_NONE || d->nodes[map].type != TM_NODE_MAP)
        return TM_NONE;
    uint32_t v = tm_node_get(d, map, key, strlen(key), NULL);
    return v != TM_NONE && d->nodes[v].type == TM_NODE_SEQ ? v : TM_NONE;
}

static tm_trend_owner *owner_of(tm_trend_point *p, const char *owner)
{
    for (size_t i = 0; i < p->nowners; i++)
        if (!strcmp(p->owners[i].owner, owner))
            return &p->owners[i];
    p->owners = tm_xrealloc(p->owners, (p->nowners + 1) * sizeof *p->owners);
    tm_trend_owner *o = &p->owners[p->nowners++];
    memset(o, 0, sizeof *o);
    o->owner = tm_xstrdup(owner);
    return o;
}

static int cmp_owner(const void *a, const void *b)
{
    const tm_trend_owner *x = a, *y = b;
    if (!*x->owner != !*y->owner)
        return *x->owner ? -1 : 1;
    return strcmp(x->owner, y->owner);
}

/* One earlier audit's point; 0, or -1 when the file is no dated audit. */
static int read_point(const char *path, tm_trend_point *p, tm_diags *diags)
{
    tm_docs docs;
    tm_diags quiet;
    tm_diags_init(&quiet);
    int rc = tm_yaml_load_output_file(path, &docs, &quiet);
    tm_diags_free(&quiet);
    if (rc != 0)
        return tm_diag_add(diags, TM_DIAG_WARNING, path, 0, 0, NULL, "not readable as JSON; left out of the trend");
    const tm_doc *d = docs.n ? docs.v[0] : NULL;
    uint32_t root = d ? d->root : TM_NONE;
    uint32_t tool = d && root != TM_NONE && d->nodes[root].type == TM_NODE_MAP ? tm_node_get(d, root, "tool", 4, NULL)
                                                                                : TM_NONE;
    const char *name = d ? tm_node_scalar(d, tool, "name") : NULL;
    const char *date = d ? tm_node_scalar(d, root, "audited") : NULL;
    uint32_t models = d ? seq(d, root, "models") : TM_NONE;
    uint32_t summary = d && root != TM_NONE ? tm_node_get(d, root, "summary", 7, NULL) : TM_NONE;
    int dok = 0;
    if (date)
        tm_day_number(date, &dok);
    if (!name || strcmp(name, "tmlint") || models == TM_NONE || !dok || strlen(date) != 10) {
        tm_docs_free(&docs);
        return tm_diag_add(diags, TM_DIAG_WARNING, path, 0, 0, NULL,
                           "not a tmlint audit's JSON with its date (tmlint audit --format json); left out of the trend");
    }
    memset(p, 0, sizeof *p);
    memcpy(p->date, date, 11);
    p->source = tm_xstrdup(path);
    p->errors = number(d, summary, "error");
    p->warnings = number(d, summary, "warning");
    p->notes = number(d, summary, "note");
    for (uint32_t i = 0; i < tm_node_count(&d->nodes[models]); i++) {
        uint32_t m = d->kids[d->nodes[models].off + i];
        if (d->nodes[m].type != TM_NODE_MAP)
            continue;   /* not a model's entry */
        const char *owner = tm_node_scalar(d, m, "owner");
        tm_trend_owner *o = owner_of(p, owner && strcmp(owner, "null") ? owner : "");
        uint64_t threats = number(d, m, "threats"), mitigated = number(d, m, "mitigated");
        p->models++;
        p->threats += threats;
        p->mitigated += mitigated;
        o->models++;
        o->errors += number(d, m, "errors");
        o->warnings += number(d, m, "warnings");
        o->threats += threats;
        o->mitigated += mitigated;
    }
    uint32_t high = seq(d, root, "open_high_by_owner");
    for (uint32_t i = 0; high != TM_NONE && i < tm_node_count(&d->nodes[high]); i++) {
        uint32_t g = d->kids[d->nodes[high].off + i];
        const char *owner = tm_node_scalar(d, g, "owner");
        size_t n = number(d, g, "count");
        p->open_high += n;
        owner_of(p, owner && strcmp(owner, "null") ? owner : "")->open_high += n;
    }
    tm_docs_free(&docs);
    return 0;
}

/* This audit's point. */
static void this_point(const tm_ctx *c, tm_trend_point *p)
{
    memset(p, 0, sizeof *p);
    memcpy(p->date, c->now, 11);
    tm_audit_summary s;
    tm_audit_summarise(c, &s);
    p->errors = s.n[TM_LEVEL_ERROR];
    p->warnings = s.n[TM_LEVEL_WARNING];
    p->notes = s.n[TM_LEVEL_NOTE];
    for (size_t i = 0; i < s.nmodels; i++) {
        const tm_file *f = &c->files[s.models[i].file];
        tm_trend_owner *o = owner_of(p, f->stats.owner);
        p->models++;
        p->threats += f->stats.threats;
        p->mitigated += f->stats.mitigated;
        o->models++;
        o->errors += s.models[i].n[TM_LEVEL_ERROR];
        o->warnings += s.models[i].n[TM_LEVEL_WARNING];
        o->threats += f->stats.threats;
        o->mitigated += f->stats.mitigated;
    }
    tm_audit_summary_free(&s);
    tm_lead_views v;
    tm_lead_views_make(c, &v);
    for (size_t g = 0; g < v.nhigh_owners; g++) {
        p->open_high += v.high_by_owner[g].n;
        owner_of(p, v.high_by_owner[g].owner)->open_high += v.high_by_owner[g].n;
    }
    tm_lead_views_free(&v);
}

static int cmp_point(const void *a, const void *b)
{
    const tm_trend_point *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    if (c)
        return c;
    if (!x->source != !y->source)   /* this audit last among its day */
        return x->source ? -1 : 1;
    return x->source ? strcmp(x->source, y->source) : 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tm_history_load(tm_ctx *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, dir, 0, 0, NULL, "--history: cannot read the directory: %s",
                           strerror(errno));
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    size_t more = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".json"))
            continue;
        if (nn == TM_HISTORY_MAX_FILES) {   /* counted, and said below */
            more++;
            continue;
        }
        names = tm_xrealloc(names, (nn + 1) * sizeof *names);
        names[nn++] = tm_xstrdup(e->d_name);
    }
    closedir(d);
    if (more)
        tm_diag_add(&c->diags, TM_DIAG_WARNING, dir, 0, 0, NULL,
                    "--history: %zu JSON files are past the %d read; the trend leaves them out", more,
                    TM_HISTORY_MAX_FILES);
    if (nn)
        qsort(names, nn, sizeof *names, cmp_name);
    tm_history *h = tm_xcalloc(1, sizeof *h);
    h->v = tm_xcalloc(nn + 1, sizeof *h->v);
    for (size_t i = 0; i < nn; i++) {
        tm_buf p;
        tm_buf_init(&p);
        tm_buf_printf(&p, "%s/%s", dir, names[i]);
        tm_trend_point pt;
        if (read_point(p.p, &pt, &c->diags) == 0) {
            if (!strcmp(pt.date, c->now)) {   /* today's run again: this audit stands for the day */
                free(pt.source);
                for (size_t k = 0; k < pt.nowners; k++)
                    free(pt.owners[k].owner);
                free(pt.owners);
            } else {
                h->v[h->n++] = pt;
            }
        }
        tm_buf_free(&p);
        free(names[i]);
    }
    free(names);
    this_point(c, &h->v[h->n++]);
    qsort(h->v, h->n, sizeof *h->v, cmp_point);
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].nowners)
            qsort(h->v[i].owners, h->v[i].nowners, sizeof *h->v[i].owners, cmp_owner);
    c->history = h;
    return 0;
}

void tm_history_free(tm_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].source);
        for (size_t k = 0; k < h->v[i].nowners; k++)
            free(h->v[i].owners[k].owner);
        free(h->v[i].owners);
    }
    free(h->v);
    free(h);
}
