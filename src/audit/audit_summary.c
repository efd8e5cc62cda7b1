#include "audit_summary.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t tm_audit_total(const size_t n[4])
{
    return n[TM_LEVEL_ERROR] + n[TM_LEVEL_WARNING] + n[TM_LEVEL_NOTE];
}

static int cmp_model(const void *a, const void *b)
{
    const tm_audit_model *x = a, *y = b;
    for (int l = TM_LEVEL_ERROR; l >= TM_LEVEL_NOTE; l--)
        if (x->n[l] != y->n[l])
            return x->n[l] > y->n[l] ? -1 : 1;
    return x->file < y->file ? -1 : x->file > y->file;
}

static int cmp_rule(const void *a, const void *b)
{
    const tm_audit_rule *x = a, *y = b;
    if (x->models != y->models)
        return x->models > y->models ? -1 : 1;
    if (x->findings != y->findings)
        return x->findings > y->findings ? -1 : 1;
    size_t xo = x->old ? x->old->findings : 0, yo = y->old ? y->old->findings : 0;
    if (xo != yo)
        return xo > yo ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int cmp_owner(const void *a, const void *b)
{
    const tm_audit_owner *x = a, *y = b;
    for (int l = TM_LEVEL_ERROR; l >= TM_LEVEL_NOTE; l--)
        if (x->n[l] != y->n[l])
            return x->n[l] > y->n[l] ? -1 : 1;
    if (!*x->owner != !*y->owner)   /* "no owner" last among equals */
        return *x->owner ? -1 : 1;
    return strcmp(x->owner, y->owner);
}

void tm_audit_summarise(const tm_ctx *c, tm_audit_summary *s)
{
    memset(s, 0, sizeof *s);
    s->cmp = c->compare;
    s->models = tm_xcalloc(c->nfiles ? c->nfiles : 1, sizeof *s->models);
    s->rules = tm_xcalloc(c->nrules ? c->nrules : 1, sizeof *s->rules);
    size_t *slot = tm_xcalloc(c->nfiles ? c->nfiles : 1, sizeof *slot);   /* file -> 1 + model row */
    for (size_t i = 0; i < c->nfiles; i++) {
        if (c->files[i].baseline_only || c->files[i].part_of)
            continue;
        s->models[s->nmodels].file = i;
        s->models[s->nmodels].old = tm_compare_model(c->compare, c->files[i].identity, c->files[i].path);
        slot[i] = ++s->nmodels;
        s->failed += c->files[i].failed != 0;
    }
    uint8_t *seen = tm_xcalloc(c->nrules * (c->nfiles ? c->nfiles : 1) + 1, 1);
    for (size_t r = 0; r < c->nrules; r++) {
        s->rules[r].rule = r;
        s->rules[r].old = tm_compare_rule(c->compare, c->rules[r].id);
    }
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (f->justification || f->baseline == TM_BASE_ABSENT)
            continue;
        s->n[f->level]++;
        /* a finding in an included file counts for the model that includes it */
        size_t owner = c->files[f->file].part_of ? c->files[f->file].part_of - 1 : f->file;
        if (slot[owner])
            s->models[slot[owner] - 1].n[f->level]++;
        tm_audit_rule *rr = &s->rules[f->rule];
        rr->findings++;
        if (!seen[f->rule * c->nfiles + owner]) {
            seen[f->rule * c->nfiles + owner] = 1;
            rr->models++;
        }
    }
    free(seen);
    free(slot);
    qsort(s->models, s->nmodels, sizeof *s->models, cmp_model);
    /* rules with findings now, or then: a rule whose findings all went is news */
    size_t k = 0;
    for (size_t r = 0; r < c->nrules; r++)
        if (s->rules[r].findings || (s->rules[r].old && s->rules[r].old->findings))
            s->rules[k++] = s->rules[r];
    s->nrules = k;
    qsort(s->rules, s->nrules, sizeof *s->rules, cmp_rule);
    /* owners, in the order the models come */
    s->owners = tm_xcalloc(s->nmodels + 1, sizeof *s->owners);
    for (size_t i = 0; i < s->nmodels; i++) {
        const tm_file *f = &c->files[s->models[i].file];
        size_t o = 0;
        while (o < s->nowners && strcmp(s->owners[o].owner, f->stats.owner))
            o++;
        if (o == s->nowners)
            s->owners[s->nowners++].owner = f->stats.owner;
        tm_audit_owner *ow = &s->owners[o];
        ow->models++;
        for (int l = 0; l < 4; l++)
            ow->n[l] += s->models[i].n[l];
        ow->threats += f->stats.threats;
        ow->mitigated += f->stats.mitigated;
    }
    qsort(s->owners, s->nowners, sizeof *s->owners, cmp_owner);
    if (c->compare) {
        s->gone = tm_xcalloc(c->compare->nmodels + 1, sizeof *s->gone);
        unsigned char *here = tm_xcalloc(c->compare->nmodels + 1, 1);   /* one pass each way, not models x models */
        for (size_t m = 0; m < s->nmodels; m++)
            if (s->models[m].old)
                here[s->models[m].old - c->compare->models] = 1;
        for (size_t i = 0; i < c->compare->nmodels; i++)
            if (!here[i])
                s->gone[s->ngone++] = &c->compare->models[i];
        free(here);
    }
}

void tm_audit_summary_free(tm_audit_summary *s)
{
    free(s->models);
    free(s->rules);
    free(s->owners);
    free(s->gone);
    memset(s, 0, sizeof *s);
}

void tm_audit_percent(char *out, size_t n, uint32_t part, uint32_t whole)
{
    if (!whole)
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%u%%", (unsigned)(((uint64_t)part * 100u + whole / 2) / whole));
}

void tm_audit_delta(char *out, size_t n, size_t now, size_t then)
{
    if (now > then)
        snprintf(out, n, "+%zu", now - then);
    else if (now < then)
        snprintf(out, n, "-%zu", then - now);
    else
        snprintf(out, n, "0");
}

/* days since the review, "never", or "-" when the format records none */
static void review_age(const tm_ctx *c, const tm_file *f, char *out, size_t n)
{
    if (!f->stats.reviewed[0] || !strcmp(f->stats.reviewed, "-")) {
        snprintf(out, n, "%s", f->stats.models && !f->stats.reviewed[0] ? "never" : "-");
        return;
    }
    int y1, m1, d1, y2, m2, d2;
    if (sscanf(f->stats.reviewed, "%d-%d-%d", &y1, &m1, &d1) != 3 || sscanf(c->now, "%d-%d-%d", &y2, &m2, &d2) != 3) {
        snprintf(out, n, "?");
        return;
    }
    /* days from civil, as in rules/lib/tm.lua */
    long a[2];
    int ys[2] = {y1, y2}, ms[2] = {m1, m2}, ds[2] = {d1, d2};
    for (int i = 0; i < 2; i++) {
        int y = ys[i] - (ms[i] <= 2);
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153 * (ms[i] + (ms[i] > 2 ? -3 : 9)) + 2) / 5 + ds[i] - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        a[i] = era * 146097 + doe - 719468;
    }
    snprintf(out, n, "%ld days", a[1] - a[0]);
}

void tm_audit_shares_of(const tm_ctx *c, const tm_file *f, tm_audit_shares *s)
{
    tm_audit_percent(s->mit, sizeof s->mit, f->stats.mitigated, f->stats.threats);
    tm_audit_percent(s->claimed, sizeof s->claimed, f->stats.claimed, f->stats.threats);
    tm_audit_percent(s->acc, sizeof s->acc, f->stats.accepted, f->stats.threats);
    tm_audit_percent(s->cri, sizeof s->cri, f->stats.with_criteria, f->stats.essentials);
    review_age(c, f, s->age, sizeof s->age);
    /* how many of the meta threats a file can show its format lets tmlint check */
    snprintf(s->meta, sizeof s->meta, "%u/%u", f->stats.meta_checked, f->stats.meta_observable);
}

void tm_audit_commits(const tm_unmodeled *u, char *out, size_t n)
{
    if (u->no_history)
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%zu%s", u->commits, u->more_commits ? "+" : "");
}
