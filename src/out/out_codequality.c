/* --format codequality: GitLab Code Quality, an array of issues. It has no
 * way to say "suppressed", so suppressed findings are left out. */
#include "json.h"
#include "out.h"
#include "unmodeled.h"
#include <stdlib.h>
#include <string.h>

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif

static const char *gitlab_severity(tm_level l)
{
    return l == TM_LEVEL_ERROR ? "major" : l == TM_LEVEL_WARNING ? "minor" : "info";
}

/* How many earlier findings share finding i's fingerprint: makes each
 * GitLab fingerprint unique yet stable while the findings stay the same. */
static size_t *repeat_counts(const tm_findings *fs)
{
    size_t cap = 16;
    while (cap < fs->n * 2)
        cap *= 2;
    size_t *slot = tm_xmalloc(cap * sizeof *slot);   /* first finding with that fingerprint */
    size_t *seen = tm_xcalloc(cap, sizeof *seen);    /* how many so far */
    size_t *count = tm_xcalloc(fs->n ? fs->n : 1, sizeof *count);
    for (size_t i = 0; i < cap; i++)
        slot[i] = (size_t)-1;
    for (size_t i = 0; i < fs->n; i++) {
        size_t h = 0;
        for (const char *p = fs->v[i].fingerprint; *p; p++)
            h = h * 31 + (unsigned char)*p;
        h &= cap - 1;
        while (slot[h] != (size_t)-1 && strcmp(fs->v[slot[h]].fingerprint, fs->v[i].fingerprint) != 0)
            h = (h + 1) & (cap - 1);
        if (slot[h] == (size_t)-1)
            slot[h] = i;
        count[i] = seen[h]++;
    }
    free(slot);
    free(seen);
    return count;
}

void tm_out_codequality(const tm_ctx *c, tm_buf *b)
{
    tm_buf_addc(b, '[');
    size_t k = 0;
    size_t *rep = repeat_counts(&c->findings);
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (f->justification || f->baseline == TM_BASE_ABSENT)
            continue;
        const tm_rule *r = &c->rules[f->rule];
        const tm_file *file = &c->files[f->file];
        tm_buf_adds(b, k++ ? ",\n  {\"description\": " : "\n  {\"description\": ");
        tm_json_strz(b, f->msg);
        tm_buf_adds(b, ", \"check_name\": ");
        tm_json_strz(b, r->id);
        /* unique per issue: GitLab drops issues that share a fingerprint */
        if (rep[i])
            tm_buf_printf(b, ", \"fingerprint\": \"%s-%zu\"", f->fingerprint, rep[i] + 1);
        else
            tm_buf_printf(b, ", \"fingerprint\": \"%s\"", f->fingerprint);
        tm_buf_printf(b, ", \"severity\": \"%s\", \"location\": {\"path\": ", gitlab_severity(f->level));
        tm_json_strz(b, file->relative ? file->uri : file->path);
        tm_buf_printf(b, ", \"lines\": {\"begin\": %u}}}", f->line);
    }
    free(rep);
    for (size_t i = 0; i < c->nunmodeled; i++) {   /* audit: a repository never threat-modeled */
        const tm_unmodeled *u = &c->unmodeled[i];
        tm_buf m;
        tm_buf_init(&m);
        tm_buf_printf(&m, "repository %s holds code (%zu code files of %zu%s, %zu%s commits) and no threat model", u->path,
                      u->code, u->files, u->more_files ? "+" : "", u->commits, u->more_commits ? "+" : "");
        tm_buf_adds(b, k++ ? ",\n  {\"description\": " : "\n  {\"description\": ");
        tm_json_strz(b, m.p);
        tm_buf_free(&m);
        tm_buf_adds(b, ", \"check_name\": \"tmlint/unmodeled-repository\", \"fingerprint\": ");
        tm_buf fp;
        tm_buf_init(&fp);
        tm_buf_printf(&fp, "unmodeled:%s", u->path);
        tm_json_strz(b, fp.p);
        tm_buf_free(&fp);
        tm_buf_adds(b, ", \"severity\": \"minor\", \"location\": {\"path\": ");
        tm_json_strz(b, u->path);
        tm_buf_adds(b, ", \"lines\": {\"begin\": 1}}}");
    }
    tm_buf_adds(b, k ? "\n]\n" : "]\n");
}

/* A finding that is a current problem: not suppressed, not gone. */
