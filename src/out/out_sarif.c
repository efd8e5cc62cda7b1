/* SARIF 2.1.0, shaped for GitHub code scanning: every rule that ran in
 * tool.driver.rules, relative URIs under %SRCROOT%, stable fingerprints,
 * and files or rules that failed as tool execution notifications. */
#include "json.h"
#include "audit_summary.h"
#include "out.h"
#include "rules.h"
#include "bytecode.h"
#include "unmodeled.h"
#include "walk.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif
#ifndef TMLINT_HOMEPAGE
#define TMLINT_HOMEPAGE "https://github.com/tmlint/tmlint"
#endif
#ifndef TMLINT_HELP_URI
#define TMLINT_HELP_URI TMLINT_HOMEPAGE "/blob/main/docs/rules/"
#endif

static void kv_str(tm_buf *b, int ind, const char *k, const char *v, int comma)
{
    tm_json_key(b, ind, k);
    tm_json_strz(b, v);
    if (comma)
        tm_buf_addc(b, ',');
}

static void text_obj(tm_buf *b, int ind, const char *k, const char *text, size_t max, int comma)
{
    tm_json_key(b, ind, k);
    tm_buf_adds(b, "{\"text\": ");
    size_t n = strlen(text);
    tm_json_str(b, text, n > max ? max : n);   /* GitHub caps descriptions at 1024 */
    tm_buf_adds(b, comma ? "}," : "}");
}

/* "threat-without-mitigation" -> "ThreatWithoutMitigation". Caller frees. */
static char *pascal_case(const char *name)
{
    char *out = tm_xmalloc(strlen(name) + 1), *o = out;
    int up = 1;
    for (const char *p = name; *p; p++) {
        if (*p == '-' || *p == '_') {
            up = 1;
            continue;
        }
        *o++ = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
        up = 0;
    }
    *o = 0;
    return out;
}

/* The help text's first paragraph, joined into one line. Caller frees. */
static char *first_paragraph(const char *help)
{
    const char *end = strstr(help, "\n\n");
    size_t n = end ? (size_t)(end - help) : strlen(help);
    char *s = tm_xstrndup(help, n);
    for (char *p = s; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return s;
}

static const char *sarif_level(tm_level l)
{
    return l == TM_LEVEL_ERROR ? "error" : l == TM_LEVEL_WARNING ? "warning" : "note";
}

/* The run's rule table: the rules in `wanted`, an id once (two
 * repositories' team rules may share one; a run's ids must be unique, and
 * the second's results point at the first's entry). */
static void rules(const tm_ctx *c, tm_buf *b, int ind, int *index, const unsigned char *wanted)
{
    tm_json_key(b, ind, "rules");
    tm_buf_addc(b, '[');
    int n = 0;
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        index[i] = -1;
        if (!wanted[i])
            continue;
        for (size_t j = 0; j < i && index[i] < 0; j++)
            if (index[j] >= 0 && !strcasecmp(c->rules[j].id, r->id))
                index[i] = index[j];
        if (index[i] >= 0)
            continue;
        index[i] = n;
        if (n++)
            tm_buf_addc(b, ',');
        tm_json_indent(b, ind + 1);
        tm_buf_addc(b, '{');
        kv_str(b, ind + 2, "id", r->id, 1);
        char *pascal = pascal_case(r->name);
        kv_str(b, ind + 2, "name", pascal, 1);   /* SARIF wants PascalCase friendly names */
        free(pascal);
        text_obj(b, ind + 2, "shortDescription", r->summary, 1000, 1);
        char *full = first_paragraph(r->help);
        text_obj(b, ind + 2, "fullDescription", full, 1000, 1);
        free(full);
        tm_json_key(b, ind + 2, "help");
        tm_buf_adds(b, "{\"text\": ");
        size_t from = b->len;   /* the same text twice: escaped once */
        tm_json_strz(b, r->help);
        size_t len = b->len - from;
        tm_buf_adds(b, ", \"markdown\": ");
        tm_buf_reserve(b, len);
        memcpy(b->p + b->len, b->p + from, len);
        b->len += len;
        b->p[b->len] = '\0';
        tm_buf_adds(b, "},");
        if (tm_bytecode_documented(r->id, r->name)) {   /* a team's rule has no page of ours: its help above is all there is */
            tm_buf uri;
            tm_buf_init(&uri);
            tm_buf_printf(&uri, "%s%s-%s.md", TMLINT_HELP_URI, r->id, r->name);
            kv_str(b, ind + 2, "helpUri", uri.p, 1);
            tm_buf_free(&uri);
        }
        tm_json_key(b, ind + 2, "defaultConfiguration");
        tm_buf_printf(b, "{\"level\": \"%s\"},", sarif_level(r->effective));
        tm_json_key(b, ind + 2, "properties");
        tm_buf_adds(b, "{\"tags\": [\"security\", \"threat-modeling\"");
        for (size_t m = 0; m < r->nmeta && m < 16; m++) {
            tm_buf_adds(b, ", ");
            tm_buf t;
            tm_buf_init(&t);
            tm_buf_printf(&t, "meta-threat/%s", r->meta[m]);
            tm_json_strz(b, t.p);
            tm_buf_free(&t);
        }
        tm_buf_addc(b, ']');
        /* makes GitHub file the results as security alerts, ranked */
        if (r->effective == TM_LEVEL_ERROR)
            tm_buf_adds(b, ", \"security-severity\": \"7.5\"");
        else if (r->effective == TM_LEVEL_WARNING)
            tm_buf_adds(b, ", \"security-severity\": \"5.0\"");
        tm_buf_adds(b, ", \"precision\": \"very-high\"}");
        tm_json_indent(b, ind + 1);
        tm_buf_addc(b, '}');
    }
    tm_json_indent(b, ind);
    tm_buf_addc(b, ']');
}

static void artifact(tm_buf *b, const char *uri, int relative)
{
    tm_buf_adds(b, "\"artifactLocation\": {\"uri\": ");
    tm_json_strz(b, uri);
    if (relative)
        tm_buf_adds(b, ", \"uriBaseId\": \"%SRCROOT%\"");
    tm_buf_addc(b, '}');
}

/* Which run each file goes to (audits: one run per repository) and its
 * URI there. */
typedef struct view {
    size_t *group;
    char **uri;
    int *relative;
    char **roots;
    size_t nroots;
} view;

/* run.artifacts: each model file of the run with the format it was read
 * as (properties."tmlint/format"), for scripts and audits that need to
 * know how a file was read. */
static void artifacts(const tm_ctx *c, tm_buf *b, const view *v, size_t g)
{
    int any = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        if (v->group[i] != g || f->baseline_only || f->part_of)
            continue;
        if (!any) {
            tm_json_key(b, 2, "artifacts");
            tm_buf_addc(b, '[');
        }
        tm_buf_adds(b, any ? ", {\"location\": {\"uri\": " : "{\"location\": {\"uri\": ");
        any = 1;
        tm_json_strz(b, v->uri[i]);
        if (v->relative[i])
            tm_buf_adds(b, ", \"uriBaseId\": \"%SRCROOT%\"");
        tm_buf_adds(b, "}, \"properties\": {\"tmlint/format\": ");
        if (f->stats.format[0])
            tm_json_strz(b, f->stats.format);
        else
            tm_buf_adds(b, "null");
        tm_buf_adds(b, "}}");
    }
    if (any)
        tm_buf_adds(b, "],");
}

static void results(const tm_ctx *c, tm_buf *b, int ind, const int *index, const view *v, size_t g)
{
    tm_json_key(b, ind, "results");
    tm_buf_addc(b, '[');
    size_t shown = 0;
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (v->group[f->file] != g)
            continue;
        if (shown++)
            tm_buf_addc(b, ',');
        tm_json_indent(b, ind + 1);
        tm_buf_addc(b, '{');
        kv_str(b, ind + 2, "ruleId", c->rules[f->rule].id, 1);
        tm_json_key(b, ind + 2, "ruleIndex");
        if (index[f->rule] < 0)
            tm_buf_addc(b, '-');
        tm_buf_addu(b, index[f->rule] < 0 ? 1u : (unsigned)index[f->rule]);
        tm_buf_addc(b, ',');
        kv_str(b, ind + 2, "level", sarif_level(f->level), 1);
        text_obj(b, ind + 2, "message", f->msg, (size_t)-1, 1);
        tm_json_key(b, ind + 2, "locations");
        tm_buf_adds(b, "[{\"physicalLocation\": {");
        artifact(b, v->uri[f->file], v->relative[f->file]);
        tm_buf_adds(b, ", \"region\": {\"startLine\": ");
        tm_buf_addu(b, f->line);
        tm_buf_adds(b, ", \"startColumn\": ");
        tm_buf_addu(b, f->col);
        tm_buf_adds(b, ", \"endLine\": ");
        tm_buf_addu(b, f->end_line);
        tm_buf_adds(b, ", \"endColumn\": ");
        tm_buf_addu(b, f->end_col);
        tm_buf_adds(b, "}}}],");
        tm_json_key(b, ind + 2, "partialFingerprints");
        tm_buf_adds(b, "{\"tmlint/v1\": \"");
        tm_buf_adds(b, f->fingerprint);
        tm_buf_adds(b, "\"}");
        if (f->baseline) {
            static const char *const states[] = {"", "new", "unchanged", "updated", "absent"};
            tm_buf_addc(b, ',');
            tm_json_key(b, ind + 2, "baselineState");
            tm_buf_printf(b, "\"%s\"", states[f->baseline]);
        }
        if (f->justification) {
            tm_buf_addc(b, ',');
            tm_json_key(b, ind + 2, "suppressions");
            tm_buf_adds(b, "[{\"kind\": \"inSource\", \"justification\": ");
            tm_json_strz(b, f->justification);
            tm_buf_adds(b, "}]");
        }
        tm_json_indent(b, ind + 1);
        tm_buf_addc(b, '}');
    }
    if (shown)
        tm_json_indent(b, ind);
    tm_buf_addc(b, ']');
}

static void notifications(const tm_ctx *c, tm_buf *b, int ind, const void *vp, size_t g)
{
    const view *v = vp;
    size_t nd = g == 0 ? c->diags.n : 0;   /* tool notifications go with the first run */
    tm_json_key(b, ind, "invocations");
    tm_buf_addc(b, '[');
    tm_json_indent(b, ind + 1);
    tm_buf_addc(b, '{');
    tm_json_key(b, ind + 2, "executionSuccessful");
    tm_buf_adds(b, tm_diags_count(&c->diags, TM_DIAG_ERROR) ? "false," : "true,");
    tm_json_key(b, ind + 2, "toolExecutionNotifications");
    tm_buf_addc(b, '[');
    for (size_t i = 0; i < nd; i++) {
        const tm_diag *d = &c->diags.v[i];
        tm_buf_adds(b, i ? ",\n" : "\n");
        for (int k = 0; k < ind + 3; k++)
            tm_buf_adds(b, "  ");
        tm_buf_printf(b, "{\"level\": \"%s\", \"message\": {\"text\": ",
                      d->sev == TM_DIAG_ERROR ? "error" : d->sev == TM_DIAG_WARNING ? "warning" : "note");
        tm_json_strz(b, d->msg);
        tm_buf_addc(b, '}');
        if (d->file) {
            int rel;
            void **known = tm_strmap_get(&c->diag_uris, d->file);   /* a merge: as the shard saw it */
            char *uri = known ? tm_xstrdup((const char *)*known + 1) : tm_walk_uri(c, d->file, &rel);
            if (known)
                rel = *(const char *)*known == 'r';
            tm_buf_adds(b, ", \"locations\": [{\"physicalLocation\": {");
            artifact(b, uri, rel);
            if (d->line)
                tm_buf_printf(b, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}", d->line,
                              d->col ? d->col : 1);
            tm_buf_adds(b, "}}]");
            free(uri);
        }
        if (d->rule) {
            tm_buf_adds(b, ", \"associatedRule\": {\"id\": ");
            tm_json_strz(b, d->rule);
            tm_buf_addc(b, '}');
        }
        tm_buf_addc(b, '}');
    }
    /* rules that could not apply to a file's format: a note each file */
    size_t nn = 0;
    /* each in its file's run (an audit has one per repository) */
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        if (!f->nna || f->baseline_only || v->group[i] != g)
            continue;
        tm_buf_adds(b, nd + nn++ ? ",\n" : "\n");
        for (int k = 0; k < ind + 3; k++)
            tm_buf_adds(b, "  ");
        tm_buf m;
        tm_buf_init(&m);
        tm_buf_printf(&m, "%zu rules do not apply: the %s format has no field for them (", f->nna, f->na_format);
        for (size_t j = 0; j < f->nna; j++)
            tm_buf_printf(&m, "%s%s", j ? ", " : "", c->rules[f->na[j]].id);
        tm_buf_adds(&m, ")");
        tm_buf_adds(b, "{\"level\": \"note\", \"message\": {\"text\": ");
        tm_json_strz(b, m.p);
        tm_buf_free(&m);
        tm_buf_adds(b, "}, \"locations\": [{\"physicalLocation\": {");
        artifact(b, v->uri[i], v->relative[i]);
        tm_buf_adds(b, "}}], \"properties\": {\"tmlint/notApplicable\": [");
        for (size_t j = 0; j < f->nna; j++) {
            tm_buf_adds(b, j ? ", " : "");
            tm_json_strz(b, c->rules[f->na[j]].id);
        }
        tm_buf_adds(b, "]}}");
    }
    /* audit: repositories with code and no threat model, a warning each */
    for (size_t i = 0; g == 0 && i < c->nunmodeled; i++) {
        const tm_unmodeled *u = &c->unmodeled[i];
        tm_buf_adds(b, nd + nn++ ? ",\n" : "\n");
        for (int k = 0; k < ind + 3; k++)
            tm_buf_adds(b, "  ");
        tm_buf m;
        tm_buf_init(&m);
        tm_buf_printf(&m, "repository %s holds code (%zu of %zu%s files) and no threat model", u->path, u->code,
                      u->files, u->more_files ? "+" : "");
        tm_buf_adds(b, "{\"level\": \"warning\", \"message\": {\"text\": ");
        tm_json_strz(b, m.p);
        tm_buf_free(&m);
        /* absolute: an audit's runs are rooted at the repositories that have models */
        char real[PATH_MAX];
        tm_buf uri;
        tm_buf_init(&uri);
        tm_buf_adds(&uri, "file://");
        tm_walk_uri_escape(&uri, u->real ? u->real : realpath(u->path, real) ? real : u->path);
        tm_buf_adds(&uri, "/");
        tm_buf_adds(b, "}, \"locations\": [{\"physicalLocation\": {");
        artifact(b, uri.p, 0);
        tm_buf_free(&uri);
        tm_buf_printf(b, "}}], \"descriptor\": {\"id\": \"tmlint/unmodeled-repository\"}, \"properties\": "
                         "{\"tmlint/files\": %zu, \"tmlint/codeFiles\": %zu",
                      u->files, u->code);
        if (!u->no_history)
            tm_buf_printf(b, ", \"tmlint/commits\": %zu, \"tmlint/commitsComplete\": %s", u->commits,
                          u->more_commits ? "false" : "true");
        tm_buf_adds(b, "}}");
    }
    if (nd + nn)
        tm_json_indent(b, ind + 2);
    tm_buf_addc(b, ']');
    tm_json_indent(b, ind + 1);
    tm_buf_addc(b, '}');
    tm_json_indent(b, ind);
    tm_buf_adds(b, "],");
}

static void make_view(const tm_ctx *c, view *v)
{
    size_t n = c->nfiles ? c->nfiles : 1;
    v->group = tm_xcalloc(n, sizeof *v->group);
    v->uri = tm_xcalloc(n, sizeof *v->uri);
    v->relative = tm_xcalloc(n, sizeof *v->relative);
    v->roots = tm_xcalloc(n + 1, sizeof *v->roots);
    v->nroots = 0;
    if (!c->opts.audit) {   /* a check: one run, the working repository */
        v->roots[v->nroots++] = tm_xstrdup(c->root ? c->root : "/");
        for (size_t i = 0; i < c->nfiles; i++) {
            v->uri[i] = tm_xstrdup(c->files[i].uri);
            v->relative[i] = c->files[i].relative;
        }
        return;
    }
    /* an audit: a run per repository, as tm_audit_links found them */
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        const char *root = f->run_root ? f->run_root : c->root ? c->root : "/";
        size_t g = 0;
        while (g < v->nroots && strcmp(v->roots[g], root) != 0)
            g++;
        if (g == v->nroots)
            v->roots[v->nroots++] = tm_xstrdup(root);
        v->group[i] = g;
        v->uri[i] = tm_xstrdup(f->run_uri ? f->run_uri : f->uri);
        v->relative[i] = f->run_uri ? f->run_rel : f->relative;
    }
    if (!v->nroots)
        v->roots[v->nroots++] = tm_xstrdup(c->root ? c->root : "/");
}

/* For each team rule, the runs holding a file under its configurations
 * (its repository's); NULL for a rule of every file. A run's rule table
 * lists another repository's team rules no more than its results do. */
static unsigned char **team_runs(const tm_ctx *c, const view *v)
{
    unsigned char **team = tm_xcalloc(c->nrules ? c->nrules : 1, sizeof *team);
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        if (!r->origin && !r->home)
            continue;
        team[i] = tm_xcalloc(v->nroots, 1);
        if (r->home)   /* merged from shards: a file under its configuration */
            team[i][v->group[r->home - 1]] = 1;
        for (size_t k = 0; k < c->nfiles && r->origin; k++)
            if (tm_rule_under(r, c->files[k].cfg))
                team[i][v->group[k]] = 1;
    }
    return team;
}

static void free_view(const tm_ctx *c, view *v)
{
    for (size_t i = 0; i < c->nfiles; i++)
        free(v->uri[i]);
    for (size_t i = 0; i < v->nroots; i++)
        free(v->roots[i]);
    free(v->group);
    free(v->uri);
    free(v->relative);
    free(v->roots);
}

void tm_out_sarif(const tm_ctx *c, tm_buf *b)
{
    int *index = tm_xmalloc((c->nrules ? c->nrules : 1) * sizeof *index);
    unsigned char *wanted = tm_xmalloc(c->nrules ? c->nrules : 1);
    view v;
    make_view(c, &v);
    unsigned char **team = team_runs(c, &v);
    tm_audit_summary s;
    memset(&s, 0, sizeof s);
    if (c->compare)
        tm_audit_summarise(c, &s);
    tm_buf_adds(b, "{");
    kv_str(b, 1, "$schema", "https://json.schemastore.org/sarif-2.1.0.json", 1);
    kv_str(b, 1, "version", "2.1.0", 1);
    tm_json_key(b, 1, "runs");
    tm_buf_addc(b, '[');
    for (size_t g = 0; g < v.nroots; g++) {
        tm_buf_adds(b, g ? ", {" : "{");
        tm_json_key(b, 2, "tool");
        tm_buf_adds(b, "{\"driver\": {");
        kv_str(b, 3, "name", "tmlint", 1);
        kv_str(b, 3, "version", TMLINT_VERSION, 1);
        kv_str(b, 3, "semanticVersion", TMLINT_VERSION, 1);
        kv_str(b, 3, "informationUri", TMLINT_HOMEPAGE, 1);
        for (size_t i = 0; i < c->nrules; i++) {
            const tm_rule *r = &c->rules[i];
            wanted[i] = r->effective != TM_LEVEL_NONE && (team[i] ? team[i][g] : 1);
        }
        rules(c, b, 3, index, wanted);
        tm_json_indent(b, 2);
        tm_buf_adds(b, "}},");
        if (c->opts.category) {
            /* only when asked: an automationDetails in the file overrides the
             * upload action's own category input */
            tm_json_key(b, 2, "automationDetails");
            tm_buf_adds(b, "{\"id\": ");
            tm_json_strz(b, c->opts.category);
            tm_buf_adds(b, "},");
        }
        notifications(c, b, 2, &v, g);
        tm_json_key(b, 2, "originalUriBaseIds");
        tm_buf_adds(b, "{\"%SRCROOT%\": {\"uri\": ");
        tm_buf u;
        tm_buf_init(&u);
        tm_buf_adds(&u, "file://");
        tm_walk_uri_escape(&u, v.roots[g]);
        tm_json_strz(b, u.p);
        tm_buf_free(&u);
        tm_buf_adds(b, "}},");
        kv_str(b, 2, "columnKind", "unicodeCodePoints", 1);
        artifacts(c, b, &v, g);
        if (c->compare) {   /* audit --compare: the change since, in the run's property bag */
            tm_json_key(b, 2, "properties");
            tm_buf_adds(b, "{\"tmlint/compare\": ");
            tm_out_json_compare(c, &s, b, v.group, g);
            tm_buf_adds(b, "},");
        }
        results(c, b, 2, index, &v, g);
        tm_json_indent(b, 1);
        tm_buf_addc(b, '}');
    }
    tm_buf_adds(b, "]\n}\n");
    if (c->compare)
        tm_audit_summary_free(&s);
    free_view(c, &v);
    free(index);
    free(wanted);
    for (size_t i = 0; i < c->nrules; i++)
        free(team[i]);
    free(team);
}
