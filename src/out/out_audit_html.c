/* An audit as one self-contained HTML page: health, charts, the models
 * (grouped by owner too), the rules with a drill-down each, the findings
 * of every model with links to their lines, and with --compare what got
 * better or worse. Its one script (src/out/report.js, allowed by its hash in
 * the page's Content Security Policy) sorts and filters the tables; the
 * page fetches nothing and reads the same without it. */
#include "audit.h"
#include "audit_summary.h"
#include "out.h"
#include "report_js.h"
#include "unmodeled.h"
#include "audit_lead.h"
#include "audit_history.h"
#include "bytecode.h"
#include <stdlib.h>
#include <string.h>

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif
#ifndef TMLINT_HELP_URI
#define TMLINT_HELP_URI "https://github.com/tmlint/tmlint/blob/main/docs/rules/"
#endif

#define h tm_out_markup

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:84em;padding:0 1em;color:#1d1d1f}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}h3{margin-bottom:.3em}\n"
    "a{color:#1a56a8}.sub{color:#555}\n"
    ".cards{display:flex;gap:.8em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.5em .9em;min-width:7em}\n"
    ".card b{display:block;font-size:1.7em}.error{color:#b00020}.warning{color:#8a4b00}.note{color:#00639b}\n"
    "table{border-collapse:collapse;width:100%;margin:.3em 0 1em}th,td{text-align:left;padding:.25em .4em;"
    "border-bottom:1px solid #e4e4e4;vertical-align:top;overflow-wrap:break-word}\n"
    "th{font-size:.85em;background:#f4f5f7;white-space:nowrap}td.num,th.num{text-align:right;white-space:nowrap}\n"
    "td.nw{white-space:nowrap}td.wrap{overflow-wrap:anywhere}#models-table{font-size:.93em}#models-table th,#models-table td{padding:.25em .3em}\n"
    /* narrow windows: the two columns a reader needs least give way */
    "@media (max-width:1100px){.opt{display:none}}\n"
    "button.sort{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;text-align:inherit;color:inherit}\n"
    "th[aria-sort=ascending] button.sort::after{content:\" \\25B2\"}th[aria-sort=descending] button.sort::after{content:\" \\25BC\"}\n"
    ".sparks{display:flex;flex-wrap:wrap;gap:.5em 1.5em}.spark{margin:0}.spark svg{display:block;max-width:100%;height:auto}\n"
    ".filter{margin:.4em 0}.filter input{font:inherit;padding:.2em .4em;width:16em;max-width:100%}.filter .count{margin-left:.6em;color:#555}\n"
    ".bars{display:grid;grid-template-columns:minmax(8em,22em) 1fr;gap:.2em .6em;align-items:center;margin:.4em 0 1.2em}\n"
    ".bars .label{overflow-wrap:anywhere;font-size:.9em}.bars .track{display:flex;align-items:center;gap:.4em}\n"
    ".bars .bar{display:inline-block;height:.9em;background:#4a6fa5;min-width:2px}\n"
    ".better{color:#17692a}.worse{color:#b00020}.same{color:#555}\n"
    "details{margin:.3em 0;border:1px solid #e4e4e4;border-radius:4px;padding:.2em .6em}summary{cursor:pointer}\n"
    ".claims{color:#8a4b00;font-size:.85em;display:block}\n"
    "@media print{body{max-width:none;margin:0;font-size:11px}.opt{display:table-cell}.filter,button.sort::after{display:none}"
    "details{border:0;padding:0}a{color:inherit;text-decoration:none}h2{break-after:avoid}tr{break-inside:avoid}"
    "section{break-inside:auto}}\n";

/* A path that may wrap after each separator: escaped a piece at a time,
 * each piece ending at a separator, with a <wbr> after it. */
static void path_html(tm_buf *b, const char *path)
{
    tm_buf piece;
    tm_buf_init(&piece);
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/-_.");
        piece.len = 0;
        tm_buf_add(&piece, p, n + (p[n] != 0));
        tm_buf_addc(&piece, 0);
        h(b, piece.p);
        p += n + (p[n] != 0);
        if (*p || p[-1] == '/')
            tm_buf_adds(b, "<wbr>");
    }
    tm_buf_free(&piece);
}

static void rule_doc(tm_buf *b, const tm_rule *r)
{
    if (!tm_bytecode_documented(r->id, r->name)) {   /* a team's rule: no page of ours to link */
        h(b, r->id);
        return;
    }
    tm_buf_adds(b, "<a href=\"");
    h(b, TMLINT_HELP_URI);
    tm_buf uri;
    tm_buf_init(&uri);
    tm_buf_printf(&uri, "%s-%s.md", r->id, r->name);
    h(b, uri.p);
    tm_buf_free(&uri);
    tm_buf_adds(b, "\" title=\"what the rule checks, and how to fix it\">");
    h(b, r->id);
    tm_buf_adds(b, "</a>");
}

/* A change cell: "▲ +2" worse, "▼ -3" better, "=" the same, or "new". A
 * larger number is worse unless more_is_better. */
static void delta_cell(tm_buf *b, int known, size_t now, size_t then, int more_is_better)
{
    if (!known) {
        tm_buf_adds(b, "<td class=\"num\" data-v=\"0\">new</td>");
        return;
    }
    char d[24];
    tm_audit_delta(d, sizeof d, now, then);
    long v = (long)now - (long)then;
    const char *cls = !v ? "same" : (v > 0) == !!more_is_better ? "better" : "worse";
    tm_buf_printf(b, "<td class=\"num %s\" data-v=\"%ld\">%s%s</td>", cls, v,
                  !v ? "= " : v > 0 ? "&#9650; " : "&#9660; ", d);
}

/* One bar per row, largest first, labels that wrap instead of being cut. */
static void bars(tm_buf *b, const char *title, const char *const *labels, const size_t *values, size_t n,
                 const char *const *captions)
{
    size_t *order = tm_xcalloc(n + 1, sizeof *order), max = 1;
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        if (values[i] > max)
            max = values[i];
    }
    for (size_t i = 1; i < n && !captions; i++)   /* insertion sort: stable, n <= 20; captions keep the given order */
        for (size_t j = i; j > 0 && values[order[j]] > values[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    tm_buf_adds(b, "<figure><figcaption><b>");
    h(b, title);
    tm_buf_adds(b, "</b></figcaption><div class=\"bars\" role=\"list\">\n");
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        tm_buf_adds(b, "<span class=\"label\" role=\"listitem\">");
        path_html(b, labels[i]);
        tm_buf_printf(b, "</span><span class=\"track\"><span class=\"bar\" style=\"width:%zu%%\"></span>",
                      values[i] * 85 / max);
        if (captions)
            h(b, captions[i]);
        else
            tm_buf_printf(b, "%zu", values[i]);
        tm_buf_adds(b, "</span>\n");
    }
    tm_buf_adds(b, "</div></figure>\n");
    free(order);
}

static void num(tm_buf *b, size_t v)
{
    tm_buf_printf(b, "<td class=\"num\" data-v=\"%zu\">%zu</td>", v, v);
}

static void pct(tm_buf *b, uint32_t part, uint32_t whole)
{
    char t[8];
    tm_audit_percent(t, sizeof t, part, whole);
    tm_buf_printf(b, "<td class=\"num\" data-v=\"%ld\">%s</td>", whole ? (long)((uint64_t)part * 1000 / whole) : -1L, t);
}

static void link_line(tm_buf *b, const tm_file *f, const tm_finding *x)
{
    tm_buf_adds(b, "<a href=\"");
    h(b, f->web ? f->web : "");
    tm_buf_printf(b, "#L%u\">", x->line);
    path_html(b, f->path);
    tm_buf_printf(b, ":%u:%u</a>", x->line, x->col);
}

/* One small line chart as inline SVG (the page's CSP allows it: no
 * script, no fetch): a point per audit, oldest left. `v` in per mille
 * when pct (the mitigated share). */
static void spark(tm_buf *b, const char *title, const tm_history *hist, const long *v, int pct)
{
    const int W = 260, H = 70, L = 6, R = 6, T = 8, B = 16;
    long max = 1;
    for (size_t i = 0; i < hist->n; i++)
        if (v[i] > max)
            max = v[i];
    if (pct)
        max = 1000;
    tm_buf_adds(b, "<figure class=\"spark\"><figcaption><b>");
    tm_out_markup(b, title);
    tm_buf_adds(b, "</b>: ");
    for (size_t i = 0; i < hist->n; i++) {
        if (i)
            tm_buf_adds(b, " &#8594; ");
        if (pct)
            tm_buf_printf(b, "%ld%%", v[i] < 0 ? 0 : (v[i] + 5) / 10);
        else
            tm_buf_printf(b, "%ld", v[i]);
    }
    tm_buf_printf(b, "</figcaption><svg role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" aria-label=\"", W, H, W,
                  H);
    tm_out_markup(b, title);
    tm_buf_adds(b, " over the audits\"><polyline fill=\"none\" stroke=\"#1a5fb4\" stroke-width=\"2\" points=\"");
    for (size_t i = 0; i < hist->n; i++) {
        long x = hist->n > 1 ? L + (long)i * (W - L - R) / (long)(hist->n - 1) : W / 2;
        long y = T + (H - T - B) - (v[i] < 0 ? 0 : v[i]) * (H - T - B) / max;
        tm_buf_printf(b, "%s%ld,%ld", i ? " " : "", x, y);
    }
    tm_buf_adds(b, "\"/>");
    for (size_t i = 0; i < hist->n; i++) {
        long x = hist->n > 1 ? L + (long)i * (W - L - R) / (long)(hist->n - 1) : W / 2;
        long y = T + (H - T - B) - (v[i] < 0 ? 0 : v[i]) * (H - T - B) / max;
        tm_buf_printf(b, "<circle cx=\"%ld\" cy=\"%ld\" r=\"3\" fill=\"#1a5fb4\"><title>", x, y);
        tm_out_markup(b, hist->v[i].date);
        tm_buf_adds(b, "</title></circle>");
    }
    tm_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\">", L, H - 3);
    tm_out_markup(b, hist->v[0].date);
    tm_buf_printf(b, "</text><text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">", W - R, H - 3);
    tm_out_markup(b, hist->v[hist->n - 1].date);
    tm_buf_adds(b, "</text></svg></figure>\n");
}

/* audit --history: the trend, whole and per owner. */
static void trend_section(tm_buf *b, const tm_history *hist)
{
    long *v = tm_xcalloc(hist->n + 1, sizeof *v);
    tm_buf_printf(b, "<section id=\"trend\"><h2>Trend</h2>\n<p class=\"sub\">%zu audits, %s to %s, this one last.</p>"
                     "<div class=\"sparks\">\n", hist->n, hist->v[0].date, hist->v[hist->n - 1].date);
    for (size_t i = 0; i < hist->n; i++)
        v[i] = (long)hist->v[i].errors;
    spark(b, "Errors", hist, v, 0);
    for (size_t i = 0; i < hist->n; i++)
        v[i] = (long)hist->v[i].warnings;
    spark(b, "Warnings", hist, v, 0);
    for (size_t i = 0; i < hist->n; i++)
        v[i] = (long)hist->v[i].open_high;
    spark(b, "Open threats rated high or critical", hist, v, 0);
    for (size_t i = 0; i < hist->n; i++)
        v[i] = hist->v[i].threats ? (long)(hist->v[i].mitigated * 1000 / hist->v[i].threats) : -1;
    spark(b, "Threats mitigated", hist, v, 1);
    tm_buf_adds(b, "</div>\n<table class=\"sortable\" aria-label=\"trend by owner\"><thead><tr><th>Owner</th>");
    for (size_t i = 0; i < hist->n; i++) {
        tm_buf_adds(b, "<th class=\"num\">");
        tm_out_markup(b, hist->v[i].date);
        tm_buf_adds(b, "</th>");
    }
    tm_buf_adds(b, "</tr></thead><tbody>\n");
    /* every owner of the last audit, and any earlier one that is gone */
    const tm_trend_point *last = &hist->v[hist->n - 1];
    for (size_t k = 0; k < last->nowners; k++) {
        const char *owner = last->owners[k].owner;
        tm_buf_adds(b, "<tr><td>");
        tm_out_markup(b, *owner ? owner : "(no owner)");
        tm_buf_adds(b, "</td>");
        for (size_t i = 0; i < hist->n; i++) {
            const tm_trend_owner *o = NULL;
            for (size_t j = 0; j < hist->v[i].nowners && !o; j++)
                if (!strcmp(hist->v[i].owners[j].owner, owner))
                    o = &hist->v[i].owners[j];
            if (!o)
                tm_buf_adds(b, "<td class=\"num\" data-v=\"-1\">-</td>");
            else
                tm_buf_printf(b, "<td class=\"num\" data-v=\"%zu\" title=\"errors, warnings, open high or critical\">"
                                 "%zu / %zu / %zu</td>",
                              o->errors, o->errors, o->warnings, o->open_high);
        }
        tm_buf_adds(b, "</tr>\n");
    }
    tm_buf_adds(b, "</tbody></table><p class=\"sub\">Each cell: errors / warnings / open threats rated high or "
                   "critical.</p></section>\n");
    free(v);
}

/* Where a lead record is, linked to its line like a finding. */
static void lead_link(tm_buf *b, const tm_lead_ref *r)
{
    tm_buf_adds(b, "<a href=\"");
    h(b, r->f->web ? r->f->web : "");
    tm_buf_printf(b, "#L%u\">", r->x->line);
    path_html(b, r->f->path);
    tm_buf_printf(b, ":%u:%u</a>", r->x->line, r->x->col);
}

static void text_cell(tm_buf *b, const char *v)
{
    tm_buf_adds(b, "<td>");
    h(b, v && *v ? v : "-");
    tm_buf_adds(b, "</td>");
}

/* Rows of a lead's table shown open; more go behind a click, so that the
 * page's top stays a summary. */
#define TM_LEAD_OPEN_ROWS 15

/* What a security lead acts on (audit_lead.h), a section each with its
 * own anchor; the tables sort and filter as the others do. */
static void lead_sections(tm_buf *b, const tm_ctx *c)
{
    tm_lead_views v;
    tm_lead_views_make(c, &v);
    tm_buf_adds(b, "<section id=\"act\"><h2>To act on</h2>\n");
    tm_buf_printf(b, "<h3 id=\"open-high\">Open threats rated high or critical: %zu</h3>\n<p class=\"sub\">Open "
                     "threats in the top of their model's scale (the two highest levels of a scale of four or more), "
                     "by owner, the owner with the most first.</p>\n", v.nhigh);
    if (v.nhigh) {
        /* the teams first, the threats behind a click when they are many */
        tm_buf_adds(b, "<table class=\"sortable\" aria-label=\"open threats rated high or critical by owner\"><thead><tr>"
                       "<th>Owner</th><th class=\"num\">Open high or critical</th></tr></thead><tbody>\n");
        for (size_t g = 0; g < v.nhigh_owners; g++) {
            tm_buf_adds(b, "<tr>");
            text_cell(b, *v.high_by_owner[g].owner ? v.high_by_owner[g].owner : "(no owner)");
            num(b, v.high_by_owner[g].n);
            tm_buf_adds(b, "</tr>\n");
        }
        tm_buf_adds(b, "</tbody></table>\n");
        if (v.nhigh > TM_LEAD_OPEN_ROWS)
            tm_buf_printf(b, "<details><summary>All %zu threats</summary>\n", v.nhigh);
        tm_buf_adds(b, "<table class=\"sortable\" aria-label=\"open threats rated high or critical\"><thead><tr>"
                       "<th>Owner</th><th class=\"num\">Open</th><th>Threat</th><th>Title</th><th>Rating</th><th>Where</th>"
                       "</tr></thead><tbody>\n");
        for (size_t g = 0; g < v.nhigh_owners; g++) {
            const tm_lead_group *gr = &v.high_by_owner[g];
            for (size_t i = 0; i < gr->n; i++) {
                const tm_lead_ref *r = &v.high[gr->first + i];
                tm_buf_adds(b, "<tr>");
                text_cell(b, *gr->owner ? gr->owner : "(no owner)");
                num(b, gr->n);
                text_cell(b, r->x->id);
                text_cell(b, r->x->title);
                text_cell(b, r->x->rating);
                tm_buf_adds(b, "<td>");
                lead_link(b, r);
                tm_buf_adds(b, "</td></tr>\n");
            }
        }
        tm_buf_adds(b, "</tbody></table>\n");
        if (v.nhigh > TM_LEAD_OPEN_ROWS)
            tm_buf_adds(b, "</details>\n");
    }
    tm_buf_printf(b, "<h3 id=\"acceptances\">Accepted risks that expired or expire within 90 days: %zu</h3>\n", v.naccept);
    if (v.naccept > TM_LEAD_OPEN_ROWS)
        tm_buf_printf(b, "<details><summary>All %zu</summary>\n", v.naccept);
    if (v.naccept) {
        tm_buf_adds(b, "<table class=\"sortable\" aria-label=\"expiring acceptances\"><thead><tr><th>Expires</th>"
                       "<th>State</th><th class=\"num\">Days left</th><th>Threat</th><th>Title</th><th>Accepted by</th>"
                       "<th>Owner</th><th>Where</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < v.naccept; i++) {
            const tm_lead_ref *r = &v.accept[i];
            tm_buf_adds(b, "<tr>");
            text_cell(b, r->x->date);
            tm_buf_printf(b, "<td class=\"%s\">%s</td>", r->days < 0 ? "error" : "warning", tm_lead_accept_state(r->days));
            tm_buf_printf(b, "<td class=\"num\" data-v=\"%ld\">%ld</td>", r->days, r->days);
            text_cell(b, r->x->id);
            text_cell(b, r->x->title);
            text_cell(b, r->x->by);
            text_cell(b, r->owner);
            tm_buf_adds(b, "<td>");
            lead_link(b, r);
            tm_buf_adds(b, "</td></tr>\n");
        }
        tm_buf_adds(b, "</tbody></table>\n");
    }
    if (v.naccept > TM_LEAD_OPEN_ROWS)
        tm_buf_adds(b, "</details>\n");
    tm_buf_printf(b, "<h3 id=\"overdue\">Mitigations past their due date: %zu</h3>\n<p class=\"sub\">Not done and "
                     "not dropped; by owner (the mitigation's, else the model's), the longest overdue first.</p>\n",
                  v.ndue);
    if (v.ndue > TM_LEAD_OPEN_ROWS)
        tm_buf_printf(b, "<details><summary>All %zu</summary>\n", v.ndue);
    if (v.ndue) {
        tm_buf_adds(b, "<table class=\"sortable\" aria-label=\"overdue mitigations\"><thead><tr><th>Owner</th>"
                       "<th>Due</th><th class=\"num\">Days over</th><th>Mitigation</th><th>Title</th><th>Status</th>"
                       "<th>Where</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < v.ndue; i++) {
            const tm_lead_ref *r = &v.due[i];
            tm_buf_adds(b, "<tr>");
            text_cell(b, *r->owner ? r->owner : "(no owner)");
            text_cell(b, r->x->date);
            num(b, (size_t)-r->days);
            text_cell(b, r->x->id);
            text_cell(b, r->x->title);
            text_cell(b, r->x->rating);
            tm_buf_adds(b, "<td>");
            lead_link(b, r);
            tm_buf_adds(b, "</td></tr>\n");
        }
        tm_buf_adds(b, "</tbody></table>\n");
    }
    if (v.ndue > TM_LEAD_OPEN_ROWS)
        tm_buf_adds(b, "</details>\n");
    const tm_file *const *lists[2] = {v.no_owner, v.never_reviewed};
    size_t ns[2] = {v.nno_owner, v.nnever_reviewed};
    const char *ids[2] = {"no-owner", "never-reviewed"};
    const char *heads[2] = {"Models with no owner", "Models never reviewed"};
    for (int l = 0; l < 2; l++) {
        tm_buf_printf(b, "<h3 id=\"%s\">%s: %zu</h3>\n", ids[l], heads[l], ns[l]);
        if (!ns[l])
            continue;
        tm_buf_adds(b, "<ul class=\"plain\">");
        for (size_t i = 0; i < ns[l]; i++) {
            tm_buf_adds(b, "<li>");
            path_html(b, lists[l][i]->path);
            tm_buf_adds(b, "</li>");
        }
        tm_buf_adds(b, "</ul>\n");
    }
    tm_buf_adds(b, "</section>\n");
    tm_lead_views_free(&v);
}

static int live(const tm_finding *x)
{
    return !x->justification && x->baseline != TM_BASE_ABSENT;
}

static void finding_row(tm_buf *b, const tm_ctx *c, const tm_finding *x, int with_rule)
{
    const tm_rule *r = &c->rules[x->rule];
    const tm_file *f = &c->files[x->file];
    tm_buf_adds(b, "<tr><td>");
    link_line(b, f, x);
    tm_buf_printf(b, "</td><td class=\"%s\">%s</td>", tm_level_name(x->level), tm_level_name(x->level));
    if (with_rule) {
        tm_buf_adds(b, "<td>");
        rule_doc(b, r);
        tm_buf_adds(b, " ");
        h(b, r->name);
        tm_buf_adds(b, "</td>");
    }
    tm_buf_adds(b, "<td>");
    h(b, x->element ? x->element : "");
    tm_buf_adds(b, "</td><td class=\"wrap\">");
    h(b, x->msg);
    tm_buf_adds(b, "</td></tr>\n");
}

void tm_out_audit_html(const tm_ctx *c, tm_buf *b)
{
    tm_audit_summary s;
    tm_audit_summarise(c, &s);
    const tm_compare *cmp = s.cmp;
    tm_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   /* one script, by its hash; no handlers, no fetches */
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                   "script-src 'sha256-" TM_REPORT_JS_SHA256 "'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
                   "<title>tmlint audit</title>\n<style>\n");
    tm_buf_adds(b, style);
    tm_buf_adds(b, "</style></head><body>\n");
    tm_buf_printf(b, "<h1>Threat model audit</h1>\n<p class=\"sub\">%zu models checked on %s by tmlint %s", s.nmodels,
                  c->now, TMLINT_VERSION);
    if (cmp) {
        tm_buf_adds(b, ", compared with <code>");
        h(b, cmp->path);
        tm_buf_adds(b, "</code>");
        if (cmp->date) {
            tm_buf_adds(b, " of ");
            h(b, cmp->date);
        }
    }
    tm_buf_adds(b, ".</p>\n");
    size_t clean = 0;
    for (size_t i = 0; i < s.nmodels; i++)
        clean += !s.models[i].n[TM_LEVEL_ERROR] && !c->files[s.models[i].file].failed;
    tm_buf_adds(b, "<section id=\"health\"><h2>Health</h2><div class=\"cards\">\n");
    const char *card_names[] = {"models", "repositories with code and no model", "without errors", "errors",
                                "warnings", "notes", "could not be checked"};
    const char *card_cls[] = {"", "", "", " error", " warning", " note", ""};
    size_t card_v[] = {s.nmodels, c->nunmodeled, clean, s.n[TM_LEVEL_ERROR], s.n[TM_LEVEL_WARNING],
                       s.n[TM_LEVEL_NOTE], s.failed};
    for (int i = 0; i < 7; i++) {
        tm_buf_printf(b, "<div class=\"card%s\"><b>%zu</b>%s", card_cls[i], card_v[i], card_names[i]);
        if (cmp && i >= 3 && i <= 5) {
            char d[24];
            size_t then = cmp->n[TM_LEVEL_ERROR - (i - 3)];
            tm_audit_delta(d, sizeof d, card_v[i], then);
            tm_buf_printf(b, "<br><span class=\"%s\">%s%s since</span>",
                          card_v[i] > then ? "worse" : card_v[i] < then ? "better" : "same",
                          card_v[i] > then ? "&#9650; " : card_v[i] < then ? "&#9660; " : "= ", d);
        }
        tm_buf_adds(b, "</div>\n");
    }
    tm_buf_adds(b, "</div></section>\n");

    /* the biggest gap first: code that no model describes */
    if (c->nunmodeled) {
        tm_buf_adds(b, "<section id=\"unmodeled\"><h2>Repositories with code and no threat model</h2>\n"
                       "<table class=\"sortable\" aria-label=\"repositories without a model\"><thead><tr><th>Repository</th>"
                       "<th class=\"num\">Files</th><th class=\"num\">Code files</th><th class=\"num\">Commits</th></tr>"
                       "</thead><tbody>\n");
        for (size_t i = 0; i < c->nunmodeled; i++) {
            const tm_unmodeled *u = &c->unmodeled[i];
            char cm[32];
            tm_audit_commits(u, cm, sizeof cm);
            tm_buf_adds(b, "<tr><td>");
            path_html(b, u->path);
            tm_buf_printf(b, "</td><td class=\"num\" data-v=\"%zu\">%zu%s</td>", u->files, u->files,
                          u->more_files ? "+" : "");
            num(b, u->code);
            tm_buf_printf(b, "<td class=\"num\" data-v=\"%zu\">%s</td></tr>\n", u->no_history ? 0 : u->commits, cm);
        }
        tm_buf_adds(b, "</tbody></table></section>\n");
    }
    lead_sections(b, c);
    if (c->history)
        trend_section(b, c->history);

    /* charts: the 20 largest of each */
    size_t nr = s.nrules < 20 ? s.nrules : 20, nm = s.nmodels < 20 ? s.nmodels : 20;
    const char **labels = tm_xcalloc((nr > nm ? nr : nm) + 1, sizeof *labels);
    size_t *values = tm_xcalloc((nr > nm ? nr : nm) + 1, sizeof *values);
    char (*names)[96] = tm_xcalloc(nr + 1, sizeof *names);
    size_t k = 0;
    for (size_t i = 0; i < s.nrules && k < nr; i++) {
        if (!s.rules[i].findings)
            continue;
        const tm_rule *r = &c->rules[s.rules[i].rule];
        snprintf(names[k], sizeof names[k], "%s %s", r->id, r->name);
        labels[k] = names[k];
        values[k++] = s.rules[i].findings;
    }
    tm_buf_adds(b, "<section id=\"charts\"><h2>Findings</h2>\n");
    bars(b, "Findings per rule", labels, values, k, NULL);
    /* models ranked by errors, then warnings, then notes (the models
     * table's order): 24 errors come before 82 notes */
    char (*caps)[64] = tm_xcalloc(nm + 1, sizeof *caps);
    const char **capv = tm_xcalloc(nm + 1, sizeof *capv);
    for (size_t i = 0; i < nm; i++) {
        const size_t *n = s.models[i].n;
        labels[i] = c->files[s.models[i].file].path;
        /* the bar's length weighs a finding by its level: 100 an error, 10 a warning, 1 a note */
        values[i] = 100 * n[TM_LEVEL_ERROR] + 10 * n[TM_LEVEL_WARNING] + n[TM_LEVEL_NOTE];
        snprintf(caps[i], sizeof caps[i], "%zu errors, %zu warnings, %zu notes", n[TM_LEVEL_ERROR],
                 n[TM_LEVEL_WARNING], n[TM_LEVEL_NOTE]);
        capv[i] = caps[i];
    }
    bars(b, "Models by errors, then warnings, then notes", labels, values, nm, capv);
    free(caps);
    free(capv);
    free(labels);
    free(values);
    free(names);
    tm_buf_adds(b, "</section>\n");

    /* the models */
    tm_buf_adds(b, "<section id=\"models\"><h2>Models</h2>\n<p class=\"sub\">Mitigated: threats with at least one "
                   "mitigation that is neither an idea nor dropped. Where the threats' statuses say otherwise, "
                   "what they claim is shown beneath.</p>\n<table class=\"sortable\" id=\"models-table\" aria-label=\"models\"><thead><tr>"
                   "<th>Model</th><th>Owner</th><th>Format</th><th class=\"num\">Err</th><th class=\"num\">Warn</th>"
                   "<th class=\"num\">Note</th>");
    if (cmp)
        tm_buf_adds(b, "<th class=\"num\" title=\"findings now minus findings in the earlier audit\">Change</th>");
    tm_buf_adds(b, "<th class=\"num\">Threats</th><th class=\"num\">Mitigated</th><th class=\"num\">Accepted</th>"
                   "<th class=\"num\" title=\"essential mitigations with acceptance criteria\">Criteria</th>"
                   "<th class=\"num opt\" title=\"meta threats its format lets tmlint check, of those a model or "
                   "repository can show\">Meta</th><th class=\"opt\" title=\"its repository's CI runs tmlint so that it can never "
                   "fail (TM346)\">CI</th><th title=\"days since the last review\">Reviewed</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < s.nmodels; i++) {
        const tm_audit_model *m = &s.models[i];
        const tm_file *f = &c->files[m->file];
        tm_audit_shares sh;
        tm_audit_shares_of(c, f, &sh);
        tm_buf_printf(b, "<tr><td><a href=\"#m%zu\">", m->file);
        path_html(b, f->path);
        tm_buf_adds(b, "</a></td><td>");
        h(b, f->stats.owner[0] ? f->stats.owner : "-");
        tm_buf_adds(b, "</td><td>");
        h(b, f->failed ? "not checked" : f->stats.format);
        tm_buf_adds(b, "</td>");
        if (f->failed)   /* not checked: no numbers, rather than zeros that look clean */
            tm_buf_adds(b, "<td class=\"num\" data-v=\"-1\">-</td><td class=\"num\" data-v=\"-1\">-</td>"
                           "<td class=\"num\" data-v=\"-1\">-</td>");
        else {
            num(b, m->n[TM_LEVEL_ERROR]);
            num(b, m->n[TM_LEVEL_WARNING]);
            num(b, m->n[TM_LEVEL_NOTE]);
        }
        if (cmp)
            delta_cell(b, m->old != NULL, tm_audit_total(m->n), m->old ? tm_audit_total(m->old->n) : 0, 0);
        num(b, f->stats.threats);
        char t[8];
        tm_audit_percent(t, sizeof t, f->stats.mitigated, f->stats.threats);
        tm_buf_printf(b, "<td class=\"num\" data-v=\"%ld\">%s",
                      f->stats.threats ? (long)((uint64_t)f->stats.mitigated * 1000 / f->stats.threats) : -1L, t);
        if (f->stats.claimed != f->stats.mitigated && f->stats.threats)
            tm_buf_printf(b, "<span class=\"claims\">claims %s</span>", sh.claimed);
        tm_buf_adds(b, "</td>");
        pct(b, f->stats.accepted, f->stats.threats);
        pct(b, f->stats.with_criteria, f->stats.essentials);
        tm_buf_printf(b, "<td class=\"num opt\" data-v=\"%u\">%s</td><td class=\"nw opt\">%s</td><td class=\"nw\">%s</td></tr>\n", f->stats.meta_checked,
                      sh.meta, f->stats.ci_cannot_fail ? "can't fail" : "-", sh.age);
    }
    tm_buf_adds(b, "</tbody></table>\n");
    if (cmp && s.ngone) {
        tm_buf_adds(b, "<h3>In the earlier audit, not in this one</h3>\n<table class=\"sortable\" aria-label=\"models "
                       "gone\"><thead><tr><th>Model</th><th class=\"num\">Findings then</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < s.ngone; i++) {
            tm_buf_adds(b, "<tr><td>");
            path_html(b, s.gone[i]->path);
            tm_buf_adds(b, "</td>");
            num(b, tm_audit_total(s.gone[i]->n));
            tm_buf_adds(b, "</tr>\n");
        }
        tm_buf_adds(b, "</tbody></table>\n");
    }
    tm_buf_adds(b, "</section>\n");

    /* grouped by owner */
    tm_buf_adds(b, "<section id=\"owners\"><h2>By owner</h2>\n<table class=\"sortable\" aria-label=\"owners\"><thead><tr>"
                   "<th>Owner</th><th>Models</th><th class=\"num\">Err</th><th class=\"num\">Warn</th>"
                   "<th class=\"num\">Note</th><th class=\"num\">Threats</th><th class=\"num\">Mitigated</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < s.nowners; i++) {
        const tm_audit_owner *o = &s.owners[i];
        tm_buf_adds(b, "<tr><td>");
        h(b, o->owner[0] ? o->owner : "(no owner)");
        tm_buf_adds(b, "</td><td>");
        size_t shown = 0;
        for (size_t m = 0; m < s.nmodels; m++) {
            const tm_file *f = &c->files[s.models[m].file];
            if (strcmp(f->stats.owner, o->owner))
                continue;
            tm_buf_printf(b, "%s<a href=\"#m%zu\">", shown++ ? "<br>" : "", s.models[m].file);
            path_html(b, f->path);
            tm_buf_adds(b, "</a>");
        }
        tm_buf_adds(b, "</td>");
        num(b, o->n[TM_LEVEL_ERROR]);
        num(b, o->n[TM_LEVEL_WARNING]);
        num(b, o->n[TM_LEVEL_NOTE]);
        num(b, o->threats);
        pct(b, o->mitigated, o->threats);
        tm_buf_adds(b, "</tr>\n");
    }
    tm_buf_adds(b, "</tbody></table></section>\n");

    /* the rules, and a drill-down each */
    tm_buf_adds(b, "<section id=\"rules\"><h2>Rules</h2>\n<table class=\"sortable\" aria-label=\"rules\"><thead><tr>"
                   "<th>Rule</th><th>Name</th><th>Level</th><th class=\"num\">Models</th><th class=\"num\">Findings</th>");
    if (cmp)
        tm_buf_adds(b, "<th class=\"num\">Then</th><th class=\"num\">Change</th>");
    tm_buf_adds(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < s.nrules; i++) {
        const tm_audit_rule *ru = &s.rules[i];
        const tm_rule *r = &c->rules[ru->rule];
        tm_buf_adds(b, "<tr><td>");
        rule_doc(b, r);
        tm_buf_adds(b, "</td><td><a href=\"#rule-");
        h(b, r->id);
        tm_buf_adds(b, "\">");
        h(b, r->name);
        tm_buf_printf(b, "</a></td><td class=\"%s\">%s</td>", tm_level_name(r->level), tm_level_name(r->level));
        num(b, ru->models);
        num(b, ru->findings);
        if (cmp) {
            size_t then = ru->old ? ru->old->findings : 0;
            num(b, then);
            delta_cell(b, 1, ru->findings, then, 0);
        }
        tm_buf_adds(b, "</tr>\n");
    }
    tm_buf_adds(b, "</tbody></table>\n");
    for (size_t i = 0; i < s.nrules; i++) {
        const tm_audit_rule *ru = &s.rules[i];
        if (!ru->findings)
            continue;
        const tm_rule *r = &c->rules[ru->rule];
        tm_buf_adds(b, "<details id=\"rule-");
        h(b, r->id);
        tm_buf_adds(b, "\"><summary><b>");
        h(b, r->id);
        tm_buf_adds(b, " ");
        h(b, r->name);
        tm_buf_printf(b, "</b>: %zu finding%s in %zu model%s</summary>\n", ru->findings, ru->findings == 1 ? "" : "s",
                      ru->models, ru->models == 1 ? "" : "s");
        tm_buf_adds(b, "<table class=\"sortable\" aria-label=\"findings of ");
        h(b, r->id);
        tm_buf_adds(b, "\"><thead><tr><th>Place</th><th>Level</th><th>Element</th><th>Message</th></tr></thead><tbody>\n");
        for (size_t x = 0; x < c->findings.n; x++)
            if (c->findings.v[x].rule == ru->rule && live(&c->findings.v[x]))
                finding_row(b, c, &c->findings.v[x], 0);
        tm_buf_adds(b, "</tbody></table></details>\n");
    }
    tm_buf_adds(b, "</section>\n");

    /* the findings of each model */
    tm_buf_adds(b, "<section id=\"details\"><h2>Findings by model</h2>\n");
    for (size_t i = 0; i < s.nmodels; i++) {
        const tm_file *f = &c->files[s.models[i].file];
        tm_buf_printf(b, "<h3 id=\"m%zu\">", s.models[i].file);
        path_html(b, f->path);
        tm_buf_adds(b, "</h3>\n");
        if (f->stats.owner[0]) {
            tm_buf_adds(b, "<p class=\"sub\">Owner: ");
            h(b, f->stats.owner);
            tm_buf_adds(b, "</p>\n");
        }
        size_t shown = 0;
        for (size_t x = 0; x < c->findings.n; x++) {
            const tm_finding *fx = &c->findings.v[x];
            size_t owner = c->files[fx->file].part_of ? c->files[fx->file].part_of - 1 : fx->file;
            if (owner != s.models[i].file || !live(fx))
                continue;
            if (!shown++) {
                tm_buf_adds(b, "<table class=\"sortable\" aria-label=\"findings of ");
                h(b, f->path);
                tm_buf_adds(b, "\"><thead><tr><th>Place</th><th>Level</th><th>Rule</th><th>Element</th>"
                               "<th>Message</th></tr></thead><tbody>\n");
            }
            finding_row(b, c, fx, 1);
        }
        if (shown)
            tm_buf_adds(b, "</tbody></table>\n");
        else if (!f->failed)
            tm_buf_adds(b, "<p>No findings.</p>\n");
        /* what tmlint said about the file (why it could not be checked, a
         * rule that failed on it): on the page, not only on a terminal */
        size_t said = 0;
        for (size_t d = 0; d < c->diags.n; d++) {
            const tm_diag *x = &c->diags.v[d];
            if (!x->file || strcmp(x->file, f->path))
                continue;
            if (!said++)
                tm_buf_printf(b, "<p class=\"error\">%s</p>\n<ul class=\"diags\">\n",
                              f->failed ? "Could not be checked:" : "tmlint reported:");
            tm_buf_adds(b, "<li>");
            if (x->line)
                tm_buf_printf(b, "%u:%u: ", x->line, x->col);
            tm_buf_printf(b, "%s: ", x->sev == TM_DIAG_ERROR ? "error" : x->sev == TM_DIAG_WARNING ? "warning" : "note");
            h(b, x->msg);
            tm_buf_adds(b, "</li>\n");
        }
        if (said)
            tm_buf_adds(b, "</ul>\n");
        else if (f->failed)
            tm_buf_adds(b, "<p>Could not be checked; see the errors tmlint printed.</p>\n");
    }
    tm_buf_adds(b, "</section>\n");
    tm_buf_adds(b, "<script>");
    tm_buf_adds(b, tm_report_js);
    tm_buf_adds(b, "</script>\n</body></html>\n");
    tm_audit_summary_free(&s);
}
