#include "diag.h"
#include "buf.h"
#include "esc.h"
#include <stdarg.h>
#include <stdlib.h>

void tm_diags_init(tm_diags *d)
{
    d->v = NULL;
    d->n = d->cap = 0;
}

void tm_diags_free(tm_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].rule);
        free(d->v[i].msg);
    }
    free(d->v);
    tm_diags_init(d);
}

int tm_diag_add(tm_diags *d, tm_diag_sev sev, const char *file, uint32_t line,
                uint32_t col, const char *rule, const char *fmt, ...)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->v = tm_xrealloc(d->v, d->cap * sizeof *d->v);
    }
    tm_buf b;
    tm_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    tm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    tm_diag *x = &d->v[d->n++];
    x->sev = sev;
    x->file = file ? tm_xstrdup(file) : NULL;
    x->line = line;
    x->col = col;
    x->rule = rule ? tm_xstrdup(rule) : NULL;
    x->msg = tm_buf_detach(&b);
    return -1;
}

size_t tm_diags_count(const tm_diags *d, tm_diag_sev sev)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->v[i].sev == sev;
    return n;
}

static const char *sev_name(tm_diag_sev s)
{
    return s == TM_DIAG_ERROR ? "error" : s == TM_DIAG_WARNING ? "warning" : "note";
}

/* Diagnostics quote file names, keys and rule messages: escaped so that
 * each stays on its one line. */
void tm_diag_print(const tm_diag *d, FILE *out)
{
    tm_buf b;
    tm_buf_init(&b);
    if (d->file) {
        tm_esc_text(&b, d->file, 0);
        if (d->line)
            tm_buf_printf(&b, ":%u:%u", d->line, d->col);
    } else {
        tm_buf_adds(&b, "tmlint");
    }
    tm_buf_printf(&b, ": %s: ", sev_name(d->sev));
    tm_esc_text(&b, d->msg, 1);
    tm_buf_addc(&b, '\n');
    fwrite(b.p, 1, b.len, out);
    tm_buf_free(&b);
}
