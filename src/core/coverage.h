/* `tmlint rules --coverage`: every leaf meta threat of the seed, from
 * rules/meta-leaves.tsv, with the rules whose `meta` names it, the audit
 * check that covers it, or why nothing does. */
#ifndef TM_COVERAGE_H
#define TM_COVERAGE_H
#include "buf.h"
#include "ctx.h"

/* Writes the table (text) or a JSON document to out; -1 with diagnostics
 * when the data file and the rules disagree (a leaf marked checked that no
 * rule checks, a leaf marked unchecked that one does, a built-in rule's
 * meta id that is no leaf). */
int tm_coverage(tm_ctx *c, int json, tm_buf *out);

/* For `tmlint audit`: per file, how many of the observable leaves a rule
 * that runs on its format (or the audit itself) checks. */
void tm_coverage_per_file(tm_ctx *c);

#endif
