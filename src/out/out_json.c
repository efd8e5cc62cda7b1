/* --format json: tmlint's own stable schema for scripts
 * (docs/json-format.md). Suppressed findings appear, marked, since a
 * script may want them. */
#include "json.h"
#include "audit_shard.h"
#include "audit_summary.h"
#include "audit_lead.h"
#include "audit_history.h"
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

/* --compare: per model and per rule, the numbers then and the change */
void tm_out_json_compare(const tm_ctx *c, const tm_audit_summary *s, tm_buf *b, const size_t *group, size_t g)
{
    const tm_compare *cmp = s->cmp;
    int first = !group || g == 0;   /* totals, rules and gone models: in the first run */
    tm_buf_adds(b, "{\"with\": ");
    tm_json_strz(b, cmp->path);
    tm_buf_adds(b, ", \"audited\": ");
    if (cmp->date)
        tm_json_strz(b, cmp->date);
    else
        tm_buf_adds(b, "null");
    if (first)
        tm_buf_printf(b, ",\n    \"summary\": {\"error\": %ld, \"warning\": %ld, \"note\": %ld}",
                  (long)s->n[TM_LEVEL_ERROR] - (long)cmp->n[TM_LEVEL_ERROR],
                  (long)s->n[TM_LEVEL_WARNING] - (long)cmp->n[TM_LEVEL_WARNING],
                  (long)s->n[TM_LEVEL_NOTE] - (long)cmp->n[TM_LEVEL_NOTE]);
    tm_buf_adds(b, ",\n    \"models\": [");
    size_t k = 0;
    for (size_t i = 0; i < s->nmodels; i++) {
        const tm_audit_model *m = &s->models[i];
        const tm_file *f = &c->files[m->file];
        if (group && group[m->file] != g)
            continue;
        tm_buf_adds(b, k++ ? ",\n      {\"path\": " : "\n      {\"path\": ");
        tm_json_strz(b, f->path);
        if (m->old)
            tm_buf_printf(b, ", \"status\": \"%s\", \"findings\": %zu, \"before\": %zu, \"change\": %ld, "
                             "\"mitigated\": %u, \"mitigated_before\": %u}",
                          tm_audit_total(m->n) > tm_audit_total(m->old->n)   ? "worse"
                          : tm_audit_total(m->n) < tm_audit_total(m->old->n) ? "better" : "same",
                          tm_audit_total(m->n), tm_audit_total(m->old->n),
                          (long)tm_audit_total(m->n) - (long)tm_audit_total(m->old->n), f->stats.mitigated,
                          m->old->mitigated);
        else
            tm_buf_printf(b, ", \"status\": \"new\", \"findings\": %zu, \"before\": null, \"change\": null, "
                             "\"mitigated\": %u, \"mitigated_before\": null}",
                          tm_audit_total(m->n), f->stats.mitigated);
    }
    for (size_t i = 0; first && i < s->ngone; i++) {
        tm_buf_adds(b, k++ ? ",\n      {\"path\": " : "\n      {\"path\": ");
        tm_json_strz(b, s->gone[i]->path);
        tm_buf_printf(b, ", \"status\": \"gone\", \"findings\": null, \"before\": %zu, \"change\": null, "
                         "\"mitigated\": null, \"mitigated_before\": %u}",
                      tm_audit_total(s->gone[i]->n), s->gone[i]->mitigated);
    }
    tm_buf_adds(b, k ? "\n    ]" : "]");
    if (!first) {
        tm_buf_adds(b, "}");
        return;
    }
    tm_buf_adds(b, ",\n    \"rules\": [");
    for (size_t i = 0; i < s->nrules; i++) {
        const tm_audit_rule *ru = &s->rules[i];
        size_t then = ru->old ? ru->old->findings : 0;
        tm_buf_adds(b, i ? ",\n      {\"rule\": " : "\n      {\"rule\": ");
        tm_json_strz(b, c->rules[ru->rule].id);
        tm_buf_printf(b, ", \"status\": \"%s\", \"findings\": %zu, \"before\": %zu, \"change\": %ld}",
                      ru->findings > then ? "worse" : ru->findings < then ? "better" : "same", ru->findings, then,
                      (long)ru->findings - (long)then);
    }
    tm_buf_adds(b, s->nrules ? "\n    ]}" : "]}");
}

/* audit --history: a point per audit, oldest first, this one last. */
static void trend_json(const tm_history *h, tm_buf *b)
{
    tm_buf_adds(b, "  \"trend\": [");
    for (size_t i = 0; i < h->n; i++) {
        const tm_trend_point *p = &h->v[i];
        tm_buf_adds(b, i ? ",\n    {\"audited\": " : "\n    {\"audited\": ");
        tm_json_strz(b, p->date);
        tm_buf_adds(b, ", \"source\": ");
        tm_json_opt(b, p->source);
        tm_buf_printf(b, ", \"models\": %zu, \"errors\": %zu, \"warnings\": %zu, \"notes\": %zu, \"open_high\": %zu, "
                         "\"threats\": %llu, \"mitigated\": %llu, \"owners\": [",
                      p->models, p->errors, p->warnings, p->notes, p->open_high, (unsigned long long)p->threats,
                      (unsigned long long)p->mitigated);
        for (size_t k = 0; k < p->nowners; k++) {
            const tm_trend_owner *o = &p->owners[k];
            tm_buf_adds(b, k ? ", {\"owner\": " : "{\"owner\": ");
            tm_json_opt(b, *o->owner ? o->owner : NULL);
            tm_buf_printf(b, ", \"models\": %zu, \"errors\": %zu, \"warnings\": %zu, \"open_high\": %zu, \"threats\": %llu, "
                             "\"mitigated\": %llu}",
                          o->models, o->errors, o->warnings, o->open_high, (unsigned long long)o->threats,
                          (unsigned long long)o->mitigated);
        }
        tm_buf_adds(b, "]}");
    }
    tm_buf_adds(b, h->n ? "\n  ],\n" : "],\n");
}

/* One lead record's common fields: where it is and what. */
static void lead_rec(tm_buf *b, const tm_lead_ref *r)
{
    tm_buf_adds(b, "{\"path\": ");
    tm_json_strz(b, r->f->path);
    tm_buf_adds(b, ", \"uri\": ");
    tm_json_strz(b, r->f->uri);
    tm_buf_printf(b, ", \"line\": %u, \"column\": %u, \"id\": ", r->x->line, r->x->col);
    tm_json_opt(b, r->x->id);
    tm_buf_adds(b, ", \"title\": ");
    tm_json_opt(b, r->x->title);
    tm_buf_adds(b, ", \"owner\": ");
    tm_json_opt(b, *r->owner ? r->owner : NULL);
}

static void opt_str(tm_buf *b, const char *key, const char *v)
{
    tm_buf_printf(b, ", \"%s\": ", key);
    tm_json_opt(b, v);
}

/* The lead's views (audit_lead.h): open_high_by_owner,
 * expiring_acceptances, overdue_mitigations, models_without_owner,
 * models_never_reviewed. */
static void lead_json(const tm_ctx *c, tm_buf *b)
{
    tm_lead_views v;
    tm_lead_views_make(c, &v);
    tm_buf_adds(b, "  \"open_high_by_owner\": [");
    for (size_t g = 0; g < v.nhigh_owners; g++) {
        const tm_lead_group *gr = &v.high_by_owner[g];
        tm_buf_adds(b, g ? ",\n    {\"owner\": " : "\n    {\"owner\": ");
        tm_json_opt(b, *gr->owner ? gr->owner : NULL);
        tm_buf_printf(b, ", \"count\": %zu, \"threats\": [", gr->n);
        for (size_t i = 0; i < gr->n; i++) {
            const tm_lead_ref *r = &v.high[gr->first + i];
            tm_buf_adds(b, i ? ",\n      " : "\n      ");
            lead_rec(b, r);
            opt_str(b, "rating", r->x->rating);
            tm_buf_addc(b, '}');
        }
        tm_buf_adds(b, "]}");
    }
    tm_buf_adds(b, v.nhigh_owners ? "\n  ],\n" : "],\n");
    tm_buf_adds(b, "  \"expiring_acceptances\": [");
    for (size_t i = 0; i < v.naccept; i++) {
        const tm_lead_ref *r = &v.accept[i];
        tm_buf_adds(b, i ? ",\n    " : "\n    ");
        lead_rec(b, r);
        opt_str(b, "accepted_by", r->x->by);
        opt_str(b, "expires", r->x->date);
        tm_buf_printf(b, ", \"days_left\": %ld, \"state\": \"%s\"}", r->days, tm_lead_accept_state(r->days));
    }
    tm_buf_adds(b, v.naccept ? "\n  ],\n" : "],\n");
    tm_buf_adds(b, "  \"overdue_mitigations\": [");
    for (size_t i = 0; i < v.ndue; i++) {
        const tm_lead_ref *r = &v.due[i];
        tm_buf_adds(b, i ? ",\n    " : "\n    ");
        lead_rec(b, r);
        opt_str(b, "due", r->x->date);
        opt_str(b, "status", r->x->rating);
        tm_buf_printf(b, ", \"days_overdue\": %ld}", -r->days);
    }
    tm_buf_adds(b, v.ndue ? "\n  ],\n" : "],\n");
    const tm_file *const *lists[2] = {v.no_owner, v.never_reviewed};
    size_t ns[2] = {v.nno_owner, v.nnever_reviewed};
    const char *keys[2] = {"models_without_owner", "models_never_reviewed"};
    for (int l = 0; l < 2; l++) {
        tm_buf_printf(b, "  \"%s\": [", keys[l]);
        for (size_t i = 0; i < ns[l]; i++) {
            tm_buf_adds(b, i ? ", " : "");
            tm_json_strz(b, lists[l][i]->path);
        }
        tm_buf_adds(b, "],\n");
    }
    tm_lead_views_free(&v);
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
        tm_buf_printf(b, ", \"checked\": %s, \"format\": ", f->failed ? "false" : "true");
        if (f->stats.format[0]) {
            tm_json_strz(b, f->stats.format);
            tm_buf_printf(b, ", \"counts\": {\"threats\": %u, \"components\": %u, \"flows\": %u, \"mitigations\": %u}",
                          f->stats.counts[0], f->stats.counts[1], f->stats.counts[2], f->stats.counts[3]);
        } else {
            tm_buf_adds(b, "null");
        }
        tm_buf_addc(b, '}');
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
        tm_audit_summary s;
        tm_audit_summarise(c, &s);
        tm_buf_printf(b, "  \"audited\": \"%s\",\n  \"models\": [", c->now);
        size_t k = 0;
        for (size_t i = 0; i < c->nfiles; i++) {
            const tm_file *f = &c->files[i];
            if (f->baseline_only || f->part_of)
                continue;
            const tm_audit_model *m = NULL;
            for (size_t j = 0; j < s.nmodels && !m; j++)
                if (s.models[j].file == i)
                    m = &s.models[j];
            tm_buf_adds(b, k++ ? ",\n    {\"path\": " : "\n    {\"path\": ");
            tm_json_strz(b, f->path);
            tm_buf_adds(b, ", \"identity\": ");
            tm_json_strz(b, f->identity ? f->identity : f->path);
            tm_buf_adds(b, ", \"format\": ");
            tm_json_strz(b, f->stats.format);
            tm_buf_adds(b, ", \"owner\": ");
            if (f->stats.owner[0])
                tm_json_strz(b, f->stats.owner);
            else
                tm_buf_adds(b, "null");
            tm_buf_printf(b, ", \"errors\": %zu, \"warnings\": %zu, \"notes\": %zu", m->n[TM_LEVEL_ERROR],
                          m->n[TM_LEVEL_WARNING], m->n[TM_LEVEL_NOTE]);
            tm_buf_printf(b, ", \"threats\": %u, \"mitigated\": %u, \"claimed_mitigated\": %u, \"accepted\": %u, "
                             "\"essential_mitigations\": %u, \"with_acceptance_criteria\": %u, ",
                          f->stats.threats, f->stats.mitigated, f->stats.claimed, f->stats.accepted,
                          f->stats.essentials, f->stats.with_criteria);
            tm_buf_printf(b, "\"meta_threats_checked\": %u, \"meta_threats_observable\": %u, \"rules_disabled\": %u, "
                             "\"ci_cannot_fail\": %u, \"reviewed\": ",
                          f->stats.meta_checked, f->stats.meta_observable, f->stats.rules_off, f->stats.ci_cannot_fail);
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
        lead_json(c, b);
        if (c->history)
            trend_json(c->history, b);
        if (s.cmp) {
            tm_buf_adds(b, "  \"compare\": ");
            tm_out_json_compare(c, &s, b, NULL, 0);
            tm_buf_adds(b, ",\n");
        }
        tm_audit_summary_free(&s);
        if (c->opts.shards && !c->opts.merge)
            tm_shard_json(c, b);   /* what --merge reads */
    }
    tm_buf_printf(b, "  \"summary\": {\"error\": %zu, \"warning\": %zu, \"note\": %zu, \"suppressed\": %zu, "
                     "\"files\": %zu, \"files_not_checked\": %zu}\n}\n",
                  n[TM_LEVEL_ERROR], n[TM_LEVEL_WARNING], n[TM_LEVEL_NOTE], suppressed, c->nfiles, failed);
}

/* GitLab's severities are info, minor, major, critical, blocker. */
