/* Text output: one finding a line, GNU style, as editors and pre-commit
 * expect; colour only when asked (a terminal without NO_COLOR). */
#include "out.h"
#include "esc.h"
#include <stdint.h>
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

/* One finding's line (shared by text and full). */
static void finding_line(const tm_ctx *c, const tm_finding *f, tm_buf *out)
{
    const tm_rule *r = &c->rules[f->rule];
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

/* --format full: each finding, then its source line and a caret under its
 * column (code points, as the positions count), as ruff and rustc show
 * them. Each file is read once (findings come sorted by file and line). */
void tm_out_full(const tm_ctx *c, tm_buf *out)
{
    uint32_t cur = UINT32_MAX;
    tm_buf text;
    tm_buf_init(&text);
    int have = 0;
    const char *at = NULL;   /* start of line `at_line` in text */
    uint32_t at_line = 1;
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (f->justification || f->baseline == TM_BASE_ABSENT)
            continue;
        finding_line(c, f, out);
        if (f->file != cur) {   /* the next file: read it (standard input's bytes are kept) */
            cur = f->file;
            tm_buf_free(&text);
            tm_buf_init(&text);
            const tm_file *tf = &c->files[cur];
            have = tf->data ? (tm_buf_add(&text, tf->data, tf->len), 1)
                            : tm_read_file(tf->path, &text, c->opts.limits.max_file_size) == 0;
            tm_buf_addc(&text, 0);
            at = text.p;
            at_line = 1;
        }
        if (!have || !f->line)
            continue;
        if (f->line < at_line) {
            at = text.p;
            at_line = 1;
        }
        while (at_line < f->line && at) {
            const char *nl = strchr(at, '\n');
            at = nl ? nl + 1 : NULL;
            at_line++;
        }
        if (!at)
            continue;
        const char *end = strchr(at, '\n');
        size_t len = end ? (size_t)(end - at) : strlen(at);
        if (len && at[len - 1] == '\r')
            len--;
        char *line = malloc(len + 1);
        if (!line)
            continue;
        memcpy(line, at, len);
        line[len] = 0;
        char num[16];
        int w = snprintf(num, sizeof num, "%u", f->line);
        tm_buf_printf(out, "%*s |\n%s | ", w, "", num);
        tm_esc_text(out, line, 0);
        tm_buf_printf(out, "\n%*s | ", w, "");
        /* the caret under the column: a tab stays a tab, every other code point one space */
        uint32_t cp = 1;
        for (size_t k = 0; k < len && cp < f->col; k++) {
            unsigned char ch = (unsigned char)line[k];
            if ((ch & 0xC0) == 0x80)
                continue;
            tm_buf_addc(out, ch == '\t' ? '\t' : ' ');
            cp++;
        }
        tm_buf_adds(out, c->opts.color ? "\033[1m^\033[0m\n" : "^\n");
        free(line);
    }
    tm_buf_free(&text);
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
        /* one finding, one line: names and messages come from the repository */
        finding_line(c, f, out);
    }
}
