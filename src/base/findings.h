/* The one findings list: rules add to it, it is sorted once, and every
 * writer reads it without changing it. */
#ifndef TM_FINDINGS_H
#define TM_FINDINGS_H
#include <stddef.h>
#include <stdint.h>

typedef enum { TM_LEVEL_NONE = 0, TM_LEVEL_NOTE, TM_LEVEL_WARNING, TM_LEVEL_ERROR } tm_level;

const char *tm_level_name(tm_level l);
/* -1 when `s` names no level; "none" and "off" give TM_LEVEL_NONE. */
int tm_level_parse(const char *s, tm_level *out);

typedef struct tm_finding {
    uint32_t rule;            /* index into the loaded rules */
    tm_level level;
    uint32_t file;            /* index into the checked files */
    uint32_t line, col, end_line, end_col;  /* 1-based; end column exclusive */
    char *msg;                /* owned */
    char *justification;      /* owned; non-NULL when suppressed in the file */
    char *element;            /* owned; the reported element's title, for reports, or NULL */
    char *fix;                /* owned; a safe fix: the text to put in place of the reported key or value, or NULL */
    char *fix_old;            /* owned; the text it replaces (checked before any edit) */
    char fingerprint[17];     /* hex of a hash that ignores line numbers */
    int baseline;             /* 0 no baseline, else TM_BASE_* */
} tm_finding;

enum { TM_BASE_NEW = 1, TM_BASE_UNCHANGED, TM_BASE_UPDATED, TM_BASE_ABSENT };

typedef struct tm_findings {
    tm_finding *v;
    size_t n, cap;
} tm_findings;

void tm_fnd_init(tm_findings *f);
void tm_fnd_free(tm_findings *f);
/* Frees what a finding owns (not the finding itself). */
void tm_fnd_release(tm_finding *x);
/* Takes ownership of msg. */
tm_finding *tm_fnd_add(tm_findings *f, char *msg);
/* Orders by file, line, column, then rule id and message: stable output
 * whatever order the rules ran or reported in. */
void tm_fnd_sort(tm_findings *f, const char *const *rule_ids);
/* Removes the findings suppressed in the file. */
void tm_fnd_drop_suppressed(tm_findings *f);
/* 64-bit FNV-1a of the given parts, each followed by a NUL, as 16 hex. */
void tm_fnd_fingerprint(char out[17], const char *const *parts, size_t n);
/* The same in steps, for a caller that hashes a common prefix once:
 * h = tm_fnd_fp_add(TM_FND_FP_START, part), ..., then tm_fnd_fp_hex. */
#define TM_FND_FP_START 1469598103934665603ull
uint64_t tm_fnd_fp_add(uint64_t h, const char *part);
void tm_fnd_fp_hex(char out[17], uint64_t h);

#endif
