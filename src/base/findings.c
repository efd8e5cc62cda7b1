#include "findings.h"
#include "buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tm_level_name(tm_level l)
{
    switch (l) {
    case TM_LEVEL_ERROR: return "error";
    case TM_LEVEL_WARNING: return "warning";
    case TM_LEVEL_NOTE: return "note";
    default: return "none";
    }
}

int tm_level_parse(const char *s, tm_level *out)
{
    if (!strcmp(s, "error")) *out = TM_LEVEL_ERROR;
    else if (!strcmp(s, "warning")) *out = TM_LEVEL_WARNING;
    else if (!strcmp(s, "note")) *out = TM_LEVEL_NOTE;
    else if (!strcmp(s, "none") || !strcmp(s, "off")) *out = TM_LEVEL_NONE;
    else return -1;
    return 0;
}

void tm_fnd_init(tm_findings *f)
{
    f->v = NULL;
    f->n = f->cap = 0;
}

void tm_fnd_free(tm_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        tm_fnd_release(&f->v[i]);
    }
    free(f->v);
    tm_fnd_init(f);
}

void tm_fnd_release(tm_finding *x)
{
    free(x->msg);
    free(x->justification);
    free(x->element);
    free(x->fix);
    free(x->fix_old);
}

tm_finding *tm_fnd_add(tm_findings *f, char *msg)
{
    if (f->n == f->cap) {
        size_t had = f->cap * sizeof *f->v;
        f->cap = f->cap ? f->cap * 2 : 64;
        f->v = tm_xgrow(f->v, had, f->cap * sizeof *f->v);
    }
    tm_finding *x = &f->v[f->n++];
    memset(x, 0, sizeof *x);
    x->msg = msg;
    return x;
}

/* qsort has no context argument in C11, so the rule ids ride along in a
 * parallel key array built for the sort. */
typedef struct key {
    const tm_finding *f;
    const char *rule;
} key;

static int cmp(const void *a, const void *b)
{
    const key *x = a, *y = b;
    const tm_finding *p = x->f, *q = y->f;
    if (p->file != q->file) return p->file < q->file ? -1 : 1;
    if (p->line != q->line) return p->line < q->line ? -1 : 1;
    if (p->col != q->col) return p->col < q->col ? -1 : 1;
    int c = strcmp(x->rule, y->rule);
    if (c) return c;
    return strcmp(p->msg, q->msg);
}

void tm_fnd_sort(tm_findings *f, const char *const *rule_ids)
{
    if (f->n < 2)
        return;
    key *k = tm_xmalloc(f->n * sizeof *k);
    for (size_t i = 0; i < f->n; i++) {
        k[i].f = &f->v[i];
        k[i].rule = rule_ids[f->v[i].rule];
    }
    qsort(k, f->n, sizeof *k, cmp);
    tm_finding *v = tm_xmalloc(f->cap * sizeof *v);
    for (size_t i = 0; i < f->n; i++)
        v[i] = *k[i].f;
    free(k);
    free(f->v);
    f->v = v;
}

uint64_t tm_fnd_fp_add(uint64_t h, const char *part)
{
    for (const unsigned char *s = (const unsigned char *)(part ? part : ""); *s; s++)
        h = (h ^ *s) * 1099511628211ull;
    return (h ^ 0) * 1099511628211ull;
}

void tm_fnd_fp_hex(char out[17], uint64_t h)
{
    static const char hex[] = "0123456789abcdef";   /* as %016llx, without printf per finding */
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

void tm_fnd_fingerprint(char out[17], const char *const *parts, size_t n)
{
    uint64_t h = TM_FND_FP_START;
    for (size_t i = 0; i < n; i++)
        h = tm_fnd_fp_add(h, parts[i]);
    tm_fnd_fp_hex(out, h);
}

void tm_fnd_drop_suppressed(tm_findings *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (f->v[i].justification) {
            tm_fnd_release(&f->v[i]);
        } else {
            f->v[k++] = f->v[i];
        }
    }
    f->n = k;
}
