/* The other output formats, for scripts and CI systems besides GitHub:
 *   json         tmlint's own stable schema (docs/json-format.md)
 *   codequality  GitLab Code Quality (an array of issues)
 *   junit        JUnit XML: a test suite per file, a failing test per finding
 * All read the final findings list; suppressed findings appear only in
 * json (marked), since the others have no way to say "suppressed". */
#include "json.h"
#include "out.h"
#include "unmodeled.h"
#include <stdlib.h>
#include <string.h>

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif

static const char *baseline_name(int b)
{
    static const char *const names[] = {"", "new", "unchanged", "updated", "absent"};
    return b >= 0 && b <= 4 ? names[b] : "";
}

void tm_out_json(const tm_ctx *c, tm_buf *b)
{
    size_t n[4] = {0}, suppressed = 0, failed = 0;
    tm_buf_adds(b, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"tmlint\", \"version\": \"" TMLINT_VERSION "\"},\n");
    tm_buf_adds(b, "  \"files\": [");
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        failed += f->failed != 0;
        tm_buf_adds(b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        tm_json_strz(b, f->path);
        tm_buf_adds(b, ", \"uri\": ");
        tm_json_strz(b, f->uri);
        tm_buf_printf(b, ", \"checked\": %s}", f->failed ? "false" : "true");
    }
    tm_buf_adds(b, c->nfiles ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [");
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        const tm_rule *r = &c->rules[f->rule];
        if (f->justification)
            suppressed++;
        else if (f->baseline != TM_BASE_ABSENT)
            n[f->level]++;
        tm_buf_adds(b, i ? ",\n    {\"rule\": " : "\n    {\"rule\": ");
        tm_json_strz(b, r->id);
        tm_buf_adds(b, ", \"name\": ");
        tm_json_strz(b, r->name);
        tm_buf_printf(b, ", \"level\": \"%s\", \"path\": ", tm_level_name(f->level));
        tm_json_strz(b, c->files[f->file].path);
        tm_buf_printf(b, ", \"line\": %u, \"column\": %u, \"end_line\": %u, \"end_column\": %u, \"message\": ",
                      f->line, f->col, f->end_line, f->end_col);
        tm_json_strz(b, f->msg);
        tm_buf_printf(b, ", \"fingerprint\": \"%s\", \"suppressed\": %s", f->fingerprint,
                      f->justification ? "true" : "false");
        if (f->justification) {
            tm_buf_adds(b, ", \"justification\": ");
            tm_json_strz(b, f->justification);
        }
        if (f->baseline) {
            tm_buf_printf(b, ", \"baseline\": \"%s\"", baseline_name(f->baseline));
        }
        tm_buf_addc(b, '}');
    }
    tm_buf_adds(b, c->findings.n ? "\n  ],\n  \"errors\": [" : "],\n  \"errors\": [");
    for (size_t i = 0; i < c->diags.n; i++) {
        const tm_diag *d = &c->diags.v[i];
        tm_buf_printf(b, "%s{\"level\": \"%s\", \"path\": ", i ? ",\n    " : "\n    ",
                      d->sev == TM_DIAG_ERROR ? "error" : d->sev == TM_DIAG_WARNING ? "warning" : "note");
        if (d->file)
            tm_json_strz(b, d->file);
        else
            tm_buf_adds(b, "null");
        tm_buf_printf(b, ", \"line\": %u, \"column\": %u, \"rule\": ", d->line, d->col);
        if (d->rule)
            tm_json_strz(b, d->rule);
        else
            tm_buf_adds(b, "null");
        tm_buf_adds(b, ", \"message\": ");
        tm_json_strz(b, d->msg);
        tm_buf_addc(b, '}');
    }
    tm_buf_adds(b, c->diags.n ? "\n  ],\n" : "],\n");
    if (c->opts.audit) {   /* the audit's numbers per model */
        tm_buf_adds(b, "  \"models\": [");
        size_t k = 0;
        for (size_t i = 0; i < c->nfiles; i++) {
            const tm_file *f = &c->files[i];
            if (f->baseline_only || f->part_of)
                continue;
            tm_buf_adds(b, k++ ? ",\n    {\"path\": " : "\n    {\"path\": ");
            tm_json_strz(b, f->path);
            tm_buf_adds(b, ", \"format\": ");
            tm_json_strz(b, f->stats.format);
            tm_buf_printf(b, ", \"threats\": %u, \"mitigated\": %u, \"accepted\": %u, \"essential_mitigations\": %u, "
                             "\"with_acceptance_criteria\": %u, ",
                          f->stats.threats, f->stats.mitigated, f->stats.accepted, f->stats.essentials,
                          f->stats.with_criteria);
            tm_buf_printf(b, "\"meta_threats_checked\": %u, \"meta_threats_observable\": %u, \"ci_cannot_fail\": %u, "
                             "\"reviewed\": ",
                          f->stats.meta_checked, f->stats.meta_observable, f->stats.ci_cannot_fail);
            if (f->stats.reviewed[0] && strcmp(f->stats.reviewed, "-"))
                tm_json_strz(b, f->stats.reviewed);
            else
                tm_buf_adds(b, "null");
            tm_buf_addc(b, '}');
        }
        tm_buf_adds(b, k ? "\n  ],\n" : "],\n");
        tm_buf_adds(b, "  \"unmodeled_repositories\": [");
        for (size_t i = 0; i < c->nunmodeled; i++) {
            const tm_unmodeled *u = &c->unmodeled[i];
            tm_buf_adds(b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
            tm_json_strz(b, u->path);
            tm_buf_printf(b, ", \"files\": %zu, \"files_complete\": %s, \"code_files\": %zu, \"commits\": ", u->files,
                          u->more_files ? "false" : "true", u->code);
            if (u->no_history)
                tm_buf_adds(b, "null, \"commits_complete\": false}");
            else
                tm_buf_printf(b, "%zu, \"commits_complete\": %s}", u->commits, u->more_commits ? "false" : "true");
        }
        tm_buf_adds(b, c->nunmodeled ? "\n  ],\n" : "],\n");
    }
    tm_buf_printf(b, "  \"summary\": {\"error\": %zu, \"warning\": %zu, \"note\": %zu, \"suppressed\": %zu, "
                     "\"files\": %zu, \"files_not_checked\": %zu}\n}\n",
                  n[TM_LEVEL_ERROR], n[TM_LEVEL_WARNING], n[TM_LEVEL_NOTE], suppressed, c->nfiles, failed);
}

/* GitLab's severities are info, minor, major, critical, blocker. */
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
static int live(const tm_finding *f)
{
    return !f->justification && f->baseline != TM_BASE_ABSENT;
}

#define xml_text tm_out_markup

void tm_out_junit(const tm_ctx *c, tm_buf *b)
{
    size_t total = 0, failures = 0;
    for (size_t i = 0; i < c->findings.n; i++)
        failures += live(&c->findings.v[i]);
    for (size_t fi = 0; fi < c->nfiles; fi++) {
        if (c->files[fi].baseline_only)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < c->findings.n; i++)
            n += c->findings.v[i].file == fi && live(&c->findings.v[i]);
        total += n ? n : 1;
    }
    total += c->nunmodeled;
    failures += c->nunmodeled;
    tm_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tmlint\" tests=\"%zu\" failures=\"%zu\">\n",
                  total, failures);
    for (size_t fi = 0; fi < c->nfiles; fi++) {
        const tm_file *file = &c->files[fi];
        if (file->baseline_only)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < c->findings.n; i++)
            n += c->findings.v[i].file == fi && live(&c->findings.v[i]);
        tm_buf_adds(b, "  <testsuite name=\"");
        xml_text(b, file->path);
        tm_buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\">\n", n ? n : 1, n, file->failed ? 1 : 0);
        if (!n) {   /* a clean (or unreadable) file is one test */
            tm_buf_adds(b, "    <testcase classname=\"");
            xml_text(b, file->path);
            tm_buf_adds(b, file->failed ? "\" name=\"tmlint\"><error message=\"could not be checked\"/></testcase>\n"
                                        : "\" name=\"tmlint\"/>\n");
        }
        for (size_t i = 0; i < c->findings.n; i++) {
            const tm_finding *f = &c->findings.v[i];
            if (f->file != fi || !live(f))
                continue;
            const tm_rule *r = &c->rules[f->rule];
            tm_buf_adds(b, "    <testcase classname=\"");
            xml_text(b, file->path);
            tm_buf_printf(b, "\" name=\"%s %s at %u:%u\">\n      <failure type=\"%s\" message=\"", r->id, r->name,
                          f->line, f->col, tm_level_name(f->level));
            xml_text(b, f->msg);
            tm_buf_adds(b, "\">");
            xml_text(b, file->path);
            tm_buf_printf(b, ":%u:%u: %s: ", f->line, f->col, tm_level_name(f->level));
            xml_text(b, f->msg);
            tm_buf_printf(b, " [%s %s]</failure>\n    </testcase>\n", r->id, r->name);
        }
        tm_buf_adds(b, "  </testsuite>\n");
    }
    if (c->nunmodeled) {
        tm_buf_printf(b, "  <testsuite name=\"repositories with code and no threat model\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
                      c->nunmodeled, c->nunmodeled);
        for (size_t i = 0; i < c->nunmodeled; i++) {
            const tm_unmodeled *u = &c->unmodeled[i];
            tm_buf_adds(b, "    <testcase classname=\"");
            xml_text(b, u->path);
            tm_buf_printf(b, "\" name=\"threat model\">\n      <failure type=\"warning\" message=\"no threat model\">"
                             "%zu files, %zu of them code, %zu%s commits</failure>\n    </testcase>\n",
                          u->files, u->code, u->commits, u->more_commits ? "+" : "");
        }
        tm_buf_adds(b, "  </testsuite>\n");
    }
    tm_buf_adds(b, "</testsuites>\n");
}
