/* `tmlint audit --compare OLD.json`: the numbers of an earlier audit (its
 * --format json output), per model (by path) and per rule, for the
 * reports to show what got better or worse. */
#ifndef TM_AUDIT_COMPARE_H
#define TM_AUDIT_COMPARE_H
#include <stddef.h>
#include <stdint.h>
#include "strmap.h"

struct tm_ctx;

typedef struct tm_cmp_model {
    char *path;
    char *identity;              /* NULL in an audit written before tmlint recorded it */
    size_t n[4];                 /* findings by level (TM_LEVEL_*) */
    uint32_t threats, mitigated;
    int checked;                 /* it could be checked then */
} tm_cmp_model;

typedef struct tm_cmp_rule {
    char *id, *name;
    size_t findings, models;
} tm_cmp_rule;

typedef struct tm_compare {
    char *path;                  /* OLD.json as named */
    char *date;                  /* the day of that audit, or NULL (older tmlint) */
    tm_cmp_model *models;
    size_t nmodels;
    tm_cmp_rule *rules;
    size_t nrules;
    size_t n[4];                 /* its totals by level */
    tm_strmap by_path, by_rule;  /* path or rule id -> 1 + index: lookups stay linear over many models */
    tm_strmap by_identity;       /* identity -> 1 + index */
} tm_compare;

/* Reads OLD.json into c->compare; 0, or -1 with an error in c->diags (not
 * a tmlint audit's JSON, or unreadable). */
int tm_compare_load(struct tm_ctx *c, const char *path);
void tm_compare_free(tm_compare *cmp);
/* The earlier audit's model that is this one: by identity (the repository
 * and the path in it) when both audits record it, else by path as named. */
const tm_cmp_model *tm_compare_model(const tm_compare *cmp, const char *identity, const char *path);
const tm_cmp_rule *tm_compare_rule(const tm_compare *cmp, const char *id);

#endif
