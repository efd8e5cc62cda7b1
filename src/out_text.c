/* Text output: one finding a line, GNU style, as editors and pre-commit
 * expect; colour only when asked (a terminal without NO_COLOR). */
#include "out.h"
#include <stdlib.h>

static const char *level_colour(tm_level l)
{
    return l == TM_LEVEL_ERROR ? "\033[1;31m" : l == TM_LEVEL_WARNING ? "\033[1;33m" : "\033[1;36m";
}

/* A message is one line: model text may hold newlines or escape codes. */
static char *one_line(const char *s)
{
    char *d = tm_xstrdup(s);
    for (char *p = d; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = ' ';
    return d;
}

void tm_out_text(const tm_ctx *c, tm_buf *out)
{
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (f->justification || f->baseline == TM_BASE_ABSENT)
            continue;   /* suppressed in the file, or gone since the baseline: counted only */
        const tm_rule *r = &c->rules[f->rule];
        char *msg = one_line(f->msg);
        if (c->opts.color)
            tm_buf_printf(out, "\033[1m%s:%u:%u:\033[0m %s%s:\033[0m %s \033[2m[%s %s]\033[0m\n",
                          c->files[f->file].path, f->line, f->col, level_colour(f->level),
                          tm_level_name(f->level), msg, r->id, r->name);
        else
            tm_buf_printf(out, "%s:%u:%u: %s: %s [%s %s]\n", c->files[f->file].path, f->line, f->col,
                          tm_level_name(f->level), msg, r->id, r->name);
        free(msg);
    }
}
