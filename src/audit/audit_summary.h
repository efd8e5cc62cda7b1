/* The numbers of an audit as every report shows them: per model (most
 * errors first), per rule (most models first), per owner, the totals, and
 * with --compare what each was in the earlier audit. One place computes
 * them; the text, HTML, JSON, SARIF and JUnit writers only lay them out. */
#ifndef TM_AUDIT_SUMMARY_H
#define TM_AUDIT_SUMMARY_H
#include "audit_compare.h"
#include "ctx.h"
#include "unmodeled.h"

typedef struct tm_audit_model {
    size_t file;
    size_t n[4];                 /* findings by level */
    const tm_cmp_model *old;     /* --compare: the same path then, or NULL (new) */
} tm_audit_model;

typedef struct tm_audit_rule {
    size_t rule;
    size_t models, findings;
    const tm_cmp_rule *old;      /* --compare: its numbers then, or NULL (none then) */
} tm_audit_rule;

typedef struct tm_audit_owner {
    const char *owner;           /* "" for models that name none */
    size_t models, n[4];
    uint32_t threats, mitigated;
} tm_audit_owner;

typedef struct tm_audit_summary {
    tm_audit_model *models;
    size_t nmodels;
    tm_audit_rule *rules;        /* rules with findings now, or then (--compare) */
    size_t nrules;
    tm_audit_owner *owners;
    size_t nowners;
    size_t n[4], failed;
    const tm_compare *cmp;       /* c->compare */
    const tm_cmp_model **gone;   /* --compare: models then that are not audited now */
    size_t ngone;
} tm_audit_summary;

void tm_audit_summarise(const tm_ctx *c, tm_audit_summary *s);
void tm_audit_summary_free(tm_audit_summary *s);

/* The numbers of one model in the words of the reports. */
typedef struct tm_audit_shares {
    char mit[8], claimed[8], acc[8], cri[8], age[24], meta[24];
} tm_audit_shares;
void tm_audit_shares_of(const tm_ctx *c, const tm_file *f, tm_audit_shares *s);
/* "73%", or "-" when there is nothing to count */
void tm_audit_percent(char *out, size_t n, uint32_t part, uint32_t whole);
/* "1234", "100000+" at the walk's limit, or "-" without a history */
void tm_audit_commits(const tm_unmodeled *u, char *out, size_t n);
/* now - then as "+3", "-2" or "0" */
void tm_audit_delta(char *out, size_t n, size_t now, size_t then);
size_t tm_audit_total(const size_t n[4]);
/* --compare as a JSON object (the JSON report's "compare", a SARIF run's
 * property): the models whose file is in group g (all when group is
 * NULL); the totals, rules and gone models only with the first group. */
void tm_out_json_compare(const tm_ctx *c, const tm_audit_summary *s, tm_buf *b, const size_t *group, size_t g);

#endif
