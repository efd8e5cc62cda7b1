#include "wire.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tm_wire_u32(tm_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    tm_buf_add(b, x, 4);
}

void tm_wire_u64(tm_buf *b, uint64_t v)
{
    tm_wire_u32(b, (uint32_t)v);
    tm_wire_u32(b, (uint32_t)(v >> 32));
}

void tm_wire_str(tm_buf *b, const char *s)
{
    if (!s) {
        tm_wire_u32(b, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    tm_wire_u32(b, (uint32_t)n);
    tm_buf_add(b, s, n);
}

uint32_t tm_wire_get_u32(tm_wire_reader *r)
{
    if (r->bad || r->left < 4) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    r->left -= 4;
    return v;
}

uint64_t tm_wire_get_u64(tm_wire_reader *r)
{
    uint64_t lo = tm_wire_get_u32(r);
    return lo | (uint64_t)tm_wire_get_u32(r) << 32;
}

char *tm_wire_get_str(tm_wire_reader *r)
{
    uint32_t n = tm_wire_get_u32(r);
    if (r->bad || n == UINT32_MAX)
        return NULL;
    if (r->left < n) {
        r->bad = 1;
        return NULL;
    }
    char *s = tm_xstrndup((const char *)r->p, n);
    r->p += n;
    r->left -= n;
    return s;
}

void tm_wire_finding(tm_buf *b, const tm_finding *x)
{
    tm_wire_u32(b, x->rule);
    tm_wire_u32(b, (uint32_t)x->level);
    tm_wire_u32(b, x->line);
    tm_wire_u32(b, x->col);
    tm_wire_u32(b, x->end_line);
    tm_wire_u32(b, x->end_col);
    tm_wire_str(b, x->msg);
    tm_wire_str(b, x->justification);
    tm_wire_str(b, x->fingerprint);
    tm_wire_str(b, x->element);
    tm_wire_str(b, x->fix);
    tm_wire_str(b, x->fix_old);
}

tm_finding *tm_wire_get_finding(tm_wire_reader *r, tm_findings *into, uint32_t nrules)
{
    uint32_t rule = tm_wire_get_u32(r), level = tm_wire_get_u32(r);
    uint32_t line = tm_wire_get_u32(r), col = tm_wire_get_u32(r);
    uint32_t el = tm_wire_get_u32(r), ec = tm_wire_get_u32(r);
    char *msg = tm_wire_get_str(r), *just = tm_wire_get_str(r), *fp = tm_wire_get_str(r), *elem = tm_wire_get_str(r);
    char *fix = tm_wire_get_str(r), *fix_old = tm_wire_get_str(r);
    if (r->bad || rule >= nrules || level > TM_LEVEL_ERROR) {
        free(msg);
        free(just);
        free(fp);
        free(elem);
        free(fix);
        free(fix_old);
        r->bad = 1;
        return NULL;
    }
    tm_finding *x = tm_fnd_add(into, msg ? msg : tm_xstrdup(""));
    x->rule = rule;
    x->level = (tm_level)level;
    x->file = 0;
    x->line = line;
    x->col = col;
    x->end_line = el;
    x->end_col = ec;
    x->justification = just;
    x->element = elem;
    x->fix = fix;
    x->fix_old = fix_old;
    snprintf(x->fingerprint, sizeof x->fingerprint, "%s", fp ? fp : "");
    free(fp);
    return x;
}

void tm_wire_diag(tm_buf *b, const tm_diag *d)
{
    tm_wire_u32(b, (uint32_t)d->sev);
    tm_wire_u32(b, d->line);
    tm_wire_u32(b, d->col);
    tm_wire_str(b, d->file);
    tm_wire_str(b, d->rule);
    tm_wire_str(b, d->msg);
}

int tm_wire_get_diag(tm_wire_reader *r, tm_diags *into)
{
    tm_diag_sev sev = (tm_diag_sev)tm_wire_get_u32(r);
    uint32_t line = tm_wire_get_u32(r), col = tm_wire_get_u32(r);
    char *file = tm_wire_get_str(r), *rule = tm_wire_get_str(r), *msg = tm_wire_get_str(r);
    if (!r->bad)
        tm_diag_add(into, sev, file, line, col, rule, "%s", msg ? msg : "");
    free(file);
    free(rule);
    free(msg);
    return r->bad ? -1 : 0;
}
