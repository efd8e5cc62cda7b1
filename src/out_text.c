/* Text output: one finding a line, GNU style, as editors and pre-commit
 * expect; colour only when asked (a terminal without NO_COLOR). */
#include "out.h"
#include "esc.h"
#include <stdlib.h>
#include <string.h>

static const char *level_colour(tm_level l)
{
    return l == TM_LEVEL_ERROR ? "\033[1;31m" : l == TM_LEVEL_WARNING ? "\033[1;33m" : "\033[1;36m";
}

/* --statistics: each rule with findings, most first, as ruff prints it. */
static void statistics(const tm_ctx *c, tm_buf *out)
{
    size_t *n = calloc(c->nrules + 1, sizeof *n), *order = calloc(c->nrules + 1, sizeof *order);
    if (!n || !order) {
        free(n);
        free(order);
        return;
    }
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (!f->justification && f->baseline != TM_BASE_ABSENT)
            n[f->rule]++;
    }
    size_t k = 0;
    for (size_t r = 0; r < c->nrules; r++)
        if (n[r])
            order[k++] = r;
    for (size_t i = 1; i < k; i++)   /* a few dozen rules: insertion sort, ties by id */
        for (size_t j = i; j > 0 && (n[order[j]] > n[order[j - 1]] ||
                                     (n[order[j]] == n[order[j - 1]] &&
                                      strcmp(c->rules[order[j]].id, c->rules[order[j - 1]].id) < 0)); j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < k; i++) {
        const tm_rule *r = &c->rules[order[i]];
        tm_buf_printf(out, "%6zu  ", n[order[i]]);
        tm_esc_text(out, r->id, 0);
        tm_buf_addc(out, ' ');
        tm_esc_text(out, r->name, 0);
        tm_buf_printf(out, " (%s)\n", tm_level_name(r->effective == TM_LEVEL_NONE ? r->level : r->effective));
    }
    free(n);
    free(order);
}

void tm_out_text(const tm_ctx *c, tm_buf *out)
{
    if (c->opts.statistics) {
        statistics(c, out);
        return;
    }
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (f->justification || f->baseline == TM_BASE_ABSENT)
            continue;   /* suppressed in the file, or gone since the baseline: counted only */
        const tm_rule *r = &c->rules[f->rule];
        /* one finding, one line: names and messages come from the repository */
        if (c->opts.color)
            tm_buf_adds(out, "\033[1m");
        tm_esc_text(out, c->files[f->file].path, 0);
        tm_buf_printf(out, ":%u:%u:%s %s%s:%s ", f->line, f->col, c->opts.color ? "\033[0m" : "",
                      c->opts.color ? level_colour(f->level) : "", tm_level_name(f->level), c->opts.color ? "\033[0m" : "");
        tm_esc_text(out, f->msg, 1);
        tm_buf_adds(out, c->opts.color ? " \033[2m[" : " [");
        tm_esc_text(out, r->id, 0);
        tm_buf_addc(out, ' ');
        tm_esc_text(out, r->name, 0);
        tm_buf_adds(out, c->opts.color ? "]\033[0m\n" : "]\n");
    }
}
