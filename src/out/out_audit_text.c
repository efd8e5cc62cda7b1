#include "out.h"
/* An audit as text: the totals, a table per model and per rule, the
 * owners, and with --compare the change since the earlier audit. */
#include "audit.h"
#include "audit_summary.h"
#include "esc.h"
#include "unmodeled.h"
#include <string.h>

/* "+2 worse", "-3 better", "0", or "new" (no such model then) */
static void change(char *out, size_t n, int known, size_t now, size_t then)
{
    if (!known) {
        snprintf(out, n, "new");
        return;
    }
    char d[24];
    tm_audit_delta(d, sizeof d, now, then);
    snprintf(out, n, "%s%s", d, now > then ? " worse" : now < then ? " better" : "");
}

void tm_out_audit_text(const tm_ctx *c, tm_buf *b)
{
    tm_audit_summary s;
    tm_audit_summarise(c, &s);
    const tm_compare *cmp = s.cmp;
    tm_buf_printf(b, "tmlint audit: %zu models (%zu could not be checked): %zu errors, %zu warnings, %zu notes",
                  s.nmodels, s.failed, s.n[TM_LEVEL_ERROR], s.n[TM_LEVEL_WARNING], s.n[TM_LEVEL_NOTE]);
    if (c->nunmodeled)
        tm_buf_printf(b, "; %zu repositor%s with code and no threat model", c->nunmodeled,
                      c->nunmodeled == 1 ? "y" : "ies");
    tm_buf_adds(b, "\n");
    if (cmp) {
        tm_buf path;
        tm_buf_init(&path);
        tm_esc_text(&path, cmp->path, 0);
        char de[24], dw[24], dn[24];
        tm_audit_delta(de, sizeof de, s.n[TM_LEVEL_ERROR], cmp->n[TM_LEVEL_ERROR]);
        tm_audit_delta(dw, sizeof dw, s.n[TM_LEVEL_WARNING], cmp->n[TM_LEVEL_WARNING]);
        tm_audit_delta(dn, sizeof dn, s.n[TM_LEVEL_NOTE], cmp->n[TM_LEVEL_NOTE]);
        tm_buf_printf(b, "since %s%s%s%s: errors %s, warnings %s, notes %s; %zu models then\n", path.p,
                      cmp->date ? " (" : "", cmp->date ? cmp->date : "", cmp->date ? ")" : "", de, dw, dn,
                      cmp->nmodels);
        tm_buf_free(&path);
    }
    tm_buf_adds(b, "\n");
    tm_buf_printf(b, "%-48s %-15s %5s %5s %5s", "MODEL", "FORMAT", "ERR", "WARN", "NOTE");
    if (cmp)
        tm_buf_printf(b, " %-12s", "CHANGE");
    tm_buf_printf(b, " %7s %6s %7s %6s %8s %6s %-10s %-20s %s\n", "THREATS", "MITIG", "CLAIMED", "ACCEPT", "CRITERIA",
                  "META", "CI", "OWNER", "LAST REVIEW");
    for (size_t i = 0; i < s.nmodels; i++) {
        const tm_audit_model *m = &s.models[i];
        const tm_file *f = &c->files[m->file];
        tm_audit_shares sh;
        tm_audit_shares_of(c, f, &sh);
        /* a directory name may hold control characters: escaped for the terminal */
        tm_buf path, owner;
        tm_buf_init(&path);
        tm_buf_init(&owner);
        tm_esc_text(&path, f->path, 0);
        tm_esc_text(&owner, f->stats.owner[0] ? f->stats.owner : "-", 0);
        tm_buf fmt;   /* a team adapter names its format */
        tm_buf_init(&fmt);
        tm_esc_text(&fmt, f->stats.format[0] ? f->stats.format : "-", 0);
        if (f->failed) {
            tm_buf_printf(b, "%-48s %-15s %s\n", path.p, "-", "could not be checked");
        } else {
            tm_buf_printf(b, "%-48s %-15s %5zu %5zu %5zu", path.p, fmt.p,
                          m->n[TM_LEVEL_ERROR], m->n[TM_LEVEL_WARNING], m->n[TM_LEVEL_NOTE]);
            if (cmp) {
                char ch[32];
                change(ch, sizeof ch, m->old != NULL, tm_audit_total(m->n), m->old ? tm_audit_total(m->old->n) : 0);
                tm_buf_printf(b, " %-12s", ch);
            }
            tm_buf_printf(b, " %7u %6s %7s %6s %8s %6s %-10s %-20s %s\n", f->stats.threats, sh.mit, sh.claimed, sh.acc,
                          sh.cri, sh.meta, f->stats.ci_cannot_fail ? "can't fail" : "-", owner.p, sh.age);
        }
        tm_buf_free(&path);
        tm_buf_free(&owner);
        tm_buf_free(&fmt);
    }
    if (cmp && s.ngone) {
        tm_buf_adds(b, "\nMODELS IN THE EARLIER AUDIT AND NOT IN THIS ONE\n");
        for (size_t i = 0; i < s.ngone; i++) {
            tm_buf path;
            tm_buf_init(&path);
            tm_esc_text(&path, s.gone[i]->path, 0);
            tm_buf_printf(b, "%-48s %zu findings then\n", path.p, tm_audit_total(s.gone[i]->n));
            tm_buf_free(&path);
        }
    }
    tm_buf_printf(b, "\n%-40s %7s %9s", "RULE", "MODELS", "FINDINGS");
    tm_buf_adds(b, cmp ? "      THEN CHANGE\n" : "\n");
    for (size_t i = 0; i < s.nrules; i++) {
        const tm_audit_rule *ru = &s.rules[i];
        const tm_rule *r = &c->rules[ru->rule];
        char name[64];
        snprintf(name, sizeof name, "%s %s", r->id, r->name);
        tm_buf_printf(b, "%-40s %7zu %9zu", name, ru->models, ru->findings);
        if (cmp) {
            char ch[32];
            size_t then = ru->old ? ru->old->findings : 0;
            change(ch, sizeof ch, 1, ru->findings, then);
            tm_buf_printf(b, " %9zu %s", then, ch);
        }
        tm_buf_adds(b, "\n");
    }
    if (s.nowners > 1 || (s.nowners == 1 && s.owners[0].owner[0])) {
        tm_buf_printf(b, "\n%-40s %7s %5s %5s %5s %6s\n", "OWNER", "MODELS", "ERR", "WARN", "NOTE", "MITIG");
        for (size_t i = 0; i < s.nowners; i++) {
            const tm_audit_owner *o = &s.owners[i];
            tm_buf owner;
            tm_buf_init(&owner);
            tm_esc_text(&owner, o->owner[0] ? o->owner : "(no owner)", 0);
            char mit[8];
            tm_audit_percent(mit, sizeof mit, o->mitigated, o->threats);
            tm_buf_printf(b, "%-40s %7zu %5zu %5zu %5zu %6s\n", owner.p, o->models, o->n[TM_LEVEL_ERROR],
                          o->n[TM_LEVEL_WARNING], o->n[TM_LEVEL_NOTE], mit);
            tm_buf_free(&owner);
        }
    }
    if (c->nunmodeled) {
        tm_buf_printf(b, "\n%-48s %7s %7s %8s\n", "REPOSITORY WITH CODE AND NO THREAT MODEL", "FILES", "CODE", "COMMITS");
        for (size_t i = 0; i < c->nunmodeled; i++) {
            const tm_unmodeled *u = &c->unmodeled[i];
            char cm[32];
            tm_audit_commits(u, cm, sizeof cm);
            tm_buf path;
            tm_buf_init(&path);
            tm_esc_text(&path, u->path, 0);
            tm_buf_printf(b, "%-48s %6zu%s %7zu %8s\n", path.p, u->files, u->more_files ? "+" : " ", u->code, cm);
            tm_buf_free(&path);
        }
    }
    tm_audit_summary_free(&s);
}
