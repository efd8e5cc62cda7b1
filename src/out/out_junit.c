/* --format junit: JUnit XML, a test suite per file and a test per
 * finding (failed at or above --fail-on, else passed with what it saw), for
 * the Tests tab of GitLab, Jenkins and other CI systems. */
#include "audit_summary.h"
#include "out.h"
#include "unmodeled.h"
#include <stdlib.h>
#include <string.h>

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif

static int live(const tm_finding *f)
{
    return !f->justification && f->baseline != TM_BASE_ABSENT;
}

#define xml_text tm_out_markup

/* audit --compare: a suite's properties say what changed since */
static void compare_props(const tm_ctx *c, const tm_audit_summary *s, size_t fi, tm_buf *b)
{
    const tm_audit_model *m = NULL;
    for (size_t i = 0; i < s->nmodels && !m; i++)
        if (s->models[i].file == fi)
            m = &s->models[i];
    if (!m)
        return;
    tm_buf_adds(b, "    <properties>\n      <property name=\"tmlint.compare.with\" value=\"");
    xml_text(b, c->compare->path);
    tm_buf_adds(b, "\"/>\n");
    if (!m->old) {
        tm_buf_adds(b, "      <property name=\"tmlint.compare.status\" value=\"new\"/>\n    </properties>\n");
        return;
    }
    size_t now = tm_audit_total(m->n), then = tm_audit_total(m->old->n);
    tm_buf_printf(b, "      <property name=\"tmlint.compare.status\" value=\"%s\"/>\n"
                     "      <property name=\"tmlint.compare.findings_before\" value=\"%zu\"/>\n"
                     "      <property name=\"tmlint.compare.change\" value=\"%ld\"/>\n    </properties>\n",
                  now > then ? "worse" : now < then ? "better" : "same", then, (long)now - (long)then);
}

/* A finding is a failed test only when it would fail the run (--fail-on,
 * error by default): a note is no failure, and 11 failures for 1 error
 * read as a broken build. */
static int fails(const tm_ctx *c, const tm_finding *f)
{
    return live(f) && c->opts.fail_on != TM_LEVEL_NONE && f->level >= c->opts.fail_on &&
           (!c->opts.new_only || f->baseline == TM_BASE_NEW);
}

void tm_out_junit(const tm_ctx *c, tm_buf *b)
{
    tm_audit_summary s;
    memset(&s, 0, sizeof s);
    if (c->compare)
        tm_audit_summarise(c, &s);
    size_t total = 0, failures = 0;
    for (size_t i = 0; i < c->findings.n; i++)
        failures += fails(c, &c->findings.v[i]);
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
        size_t n = 0, nf = 0;
        for (size_t i = 0; i < c->findings.n; i++) {
            n += c->findings.v[i].file == fi && live(&c->findings.v[i]);
            nf += c->findings.v[i].file == fi && fails(c, &c->findings.v[i]);
        }
        tm_buf_adds(b, "  <testsuite name=\"");
        xml_text(b, file->path);
        tm_buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\">\n", n ? n : 1, nf, file->failed ? 1 : 0);
        if (c->compare)
            compare_props(c, &s, fi, b);
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
            if (!fails(c, f)) {   /* below --fail-on: a passing test that says what it saw */
                tm_buf_printf(b, "\" name=\"%s %s at %u:%u\">\n      <system-out>", r->id, r->name, f->line, f->col);
                xml_text(b, file->path);
                tm_buf_printf(b, ":%u:%u: %s: ", f->line, f->col, tm_level_name(f->level));
                xml_text(b, f->msg);
                tm_buf_printf(b, " [%s %s]</system-out>\n    </testcase>\n", r->id, r->name);
                continue;
            }
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
    if (c->compare)
        tm_audit_summary_free(&s);
}
