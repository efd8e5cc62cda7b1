#include "baseline.h"
#include "buf.h"
#include "rules.h"
#include "source.h"
#include "strmap.h"
#include "tree.h"
#include "yaml_load.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct old_result {
    const char *rule, *fingerprint, *message, *level, *uri;
    uint32_t line, col, end_line, end_col;
    int matched;
} old_result;

static const char *str_at(const tm_doc *d, uint32_t map, const char *path)
{
    /* follows "a.b.c" through mappings; arrays: first item */
    uint32_t at = map;
    char key[64];
    for (const char *p = path; at != TM_NONE && *p;) {
        const char *e = strchr(p, '.');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = 0;
        if (d->nodes[at].type == TM_NODE_SEQ)
            at = d->nodes[at].len ? d->kids[d->nodes[at].off] : TM_NONE;
        if (at == TM_NONE)
            return NULL;
        at = tm_node_get(d, at, key, n, NULL);
        p += n;
        if (*p == '.')
            p++;
    }
    if (at == TM_NONE || d->nodes[at].type != TM_NODE_SCALAR)
        return NULL;
    return tm_node_str(d, &d->nodes[at]);
}

/* The shape of the fingerprints tmlint writes. */
static int hex16(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 16;
}

static uint32_t num_at(const tm_doc *d, uint32_t map, const char *path)
{
    const char *s = str_at(d, map, path);
    return s ? (uint32_t)strtoul(s, NULL, 10) : 0;
}

static tm_level level_of(const char *s)
{
    tm_level l;
    return s && tm_level_parse(s, &l) == 0 && l != TM_LEVEL_NONE ? l : TM_LEVEL_WARNING;
}

/* A file entry for a URI, added when the baseline names a file not checked
 * now (its results are absent). */
static uint32_t file_for_uri(tm_ctx *c, const char *uri)
{
    void **known = tm_strmap_get(&c->file_uris, uri);
    if (known && *known)
        return (uint32_t)((uintptr_t)*known - 1);
    tm_strmap_put(&c->file_uris, uri, (void *)(uintptr_t)(c->nfiles + 1));
    c->files = tm_xrealloc(c->files, (c->nfiles + 1) * sizeof *c->files);
    tm_file *f = &c->files[c->nfiles];
    memset(f, 0, sizeof *f);
    f->path = tm_xstrdup(uri);
    f->uri = tm_xstrdup(uri);
    f->relative = strncmp(uri, "file:", 5) != 0;
    f->baseline_only = 1;
    return (uint32_t)c->nfiles++;
}

int tm_baseline_apply(tm_ctx *c, const char *path)
{
    tm_docs docs;
    if (tm_yaml_load_output_file(path, &docs, &c->diags) != 0)
        return -1;
    const tm_doc *d = docs.n ? docs.v[0] : NULL;
    uint32_t runs = d && d->root != TM_NONE ? tm_node_get(d, d->root, "runs", 4, NULL) : TM_NONE;
    if (runs == TM_NONE || d->nodes[runs].type != TM_NODE_SEQ) {
        tm_docs_free(&docs);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "not a SARIF file (no 'runs' list)");
    }
    old_result *old = NULL;
    size_t nold = 0;
    for (uint32_t r = 0; r < d->nodes[runs].len; r++) {
        uint32_t run = d->kids[d->nodes[runs].off + r];
        uint32_t res = tm_node_get(d, run, "results", 7, NULL);
        if (res == TM_NONE || d->nodes[res].type != TM_NODE_SEQ)
            continue;
        for (uint32_t i = 0; i < d->nodes[res].len; i++) {
            uint32_t x = d->kids[d->nodes[res].off + i];
            const char *state = str_at(d, x, "baselineState");
            const char *fp = str_at(d, x, "partialFingerprints.tmlint/v1");
            if (!fp || (state && !strcmp(state, "absent")))
                continue;   /* not ours, or already gone in that run */
            if (!hex16(fp)) {
                /* tmlint writes 16 hex digits; anything else was not written
                 * by it, and would be copied into the new output */
                const tm_pos *at = &d->pos[x];

                tm_diag_add(&c->diags, TM_DIAG_ERROR, path, at->line, at->col, NULL,
                            "baseline result %u has a fingerprint tmlint does not write (16 hex digits)", i + 1);
                free(old);
                tm_docs_free(&docs);
                return -1;
            }
            old = tm_xrealloc(old, (nold + 1) * sizeof *old);
            old_result *o = &old[nold++];
            memset(o, 0, sizeof *o);
            o->fingerprint = fp;
            o->rule = str_at(d, x, "ruleId");
            o->message = str_at(d, x, "message.text");
            o->level = str_at(d, x, "level");
            o->uri = str_at(d, x, "locations.physicalLocation.artifactLocation.uri");
            o->line = num_at(d, x, "locations.physicalLocation.region.startLine");
            o->col = num_at(d, x, "locations.physicalLocation.region.startColumn");
            o->end_line = num_at(d, x, "locations.physicalLocation.region.endLine");
            o->end_col = num_at(d, x, "locations.physicalLocation.region.endColumn");
        }
    }
    /* match each current finding to the first unmatched old result with
     * its fingerprint: old results with one fingerprint are chained in
     * order, and the map holds each chain's next unmatched one */
    tm_strmap heads;
    tm_strmap_init(&heads);
    size_t *next = tm_xmalloc((nold ? nold : 1) * sizeof *next), *tail = tm_xmalloc((nold ? nold : 1) * sizeof *tail);
    for (size_t k = 0; k < nold; k++) {
        next[k] = (size_t)-1;
        void **h = tm_strmap_get(&heads, old[k].fingerprint);
        if (!h) {
            tm_strmap_put(&heads, old[k].fingerprint, (void *)(uintptr_t)(k + 1));
            tail[k] = k;
        } else {
            size_t first = (size_t)(uintptr_t)*h - 1;
            next[tail[first]] = k;
            tail[first] = k;
        }
    }
    for (size_t i = 0; i < c->findings.n; i++) {
        tm_finding *f = &c->findings.v[i];
        f->baseline = TM_BASE_NEW;
        void **h = tm_strmap_get(&heads, f->fingerprint);
        if (!h || !*h)
            continue;
        size_t k = (size_t)(uintptr_t)*h - 1;
        old_result *o = &old[k];
        o->matched = 1;
        *h = next[k] == (size_t)-1 ? NULL : (void *)(uintptr_t)(next[k] + 1);
        int same = o->message && !strcmp(o->message, f->msg) && level_of(o->level) == f->level;
        f->baseline = same ? TM_BASE_UNCHANGED : TM_BASE_UPDATED;
    }
    free(next);
    free(tail);
    tm_strmap_free(&heads);
    for (size_t k = 0; k < nold; k++) {
        old_result *o = &old[k];
        int rule = o->rule ? tm_rules_find_id(c, o->rule) : -1;
        if (o->matched || rule < 0 || !o->uri)
            continue;   /* a rule tmlint no longer has cannot be reported */
        tm_finding *f = tm_fnd_add(&c->findings, tm_xstrdup(o->message ? o->message : ""));
        f->rule = (uint32_t)rule;
        f->level = level_of(o->level);
        f->file = file_for_uri(c, o->uri);
        f->line = o->line ? o->line : 1;
        f->col = o->col ? o->col : 1;
        f->end_line = o->end_line ? o->end_line : f->line;
        f->end_col = o->end_col ? o->end_col : f->col + 1;
        memcpy(f->fingerprint, o->fingerprint, strlen(o->fingerprint) < 16 ? strlen(o->fingerprint) : 16);
        f->baseline = TM_BASE_ABSENT;
    }
    free(old);
    tm_docs_free(&docs);
    const char **ids = tm_xmalloc((c->nrules ? c->nrules : 1) * sizeof *ids);
    for (size_t i = 0; i < c->nrules; i++)
        ids[i] = c->rules[i].id;
    tm_fnd_sort(&c->findings, ids);
    free(ids);
    return 0;
}

void tm_baseline_keep_new(tm_ctx *c)
{
    size_t k = 0;
    for (size_t i = 0; i < c->findings.n; i++) {
        tm_finding *f = &c->findings.v[i];
        if (f->baseline == TM_BASE_NEW) {
            c->findings.v[k++] = *f;
        } else {
            tm_fnd_release(f);
        }
    }
    c->findings.n = k;
}
