/* Tool diagnostics (not findings): files that could not be loaded, rules
 * that failed, bad options. Recorded as values and printed in one place. */
#ifndef TM_DIAG_H
#define TM_DIAG_H
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

typedef enum { TM_DIAG_ERROR, TM_DIAG_WARNING, TM_DIAG_NOTE } tm_diag_sev;

typedef struct tm_diag {
    tm_diag_sev sev;
    char *file;        /* NULL for diagnostics about tmlint itself */
    uint32_t line, col; /* 1-based; 0 when unknown */
    char *rule;        /* rule or adapter id when it is the culprit, else NULL */
    char *msg;
} tm_diag;

typedef struct tm_diags {
    tm_diag *v;
    size_t n, cap;
} tm_diags;

void tm_diags_init(tm_diags *d);
void tm_diags_free(tm_diags *d);
/* Records one diagnostic; returns -1 so callers can `return tm_diag_add(...)`. */
int tm_diag_add(tm_diags *d, tm_diag_sev sev, const char *file, uint32_t line,
                uint32_t col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
size_t tm_diags_count(const tm_diags *d, tm_diag_sev sev);
/* GNU style: "file:line:col: error: msg" or "tmlint: error: msg". */
void tm_diag_print(const tm_diag *d, FILE *out);

#endif
