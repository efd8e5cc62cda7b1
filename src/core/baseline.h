/* --baseline OLD.sarif: marks each finding new, unchanged or updated by its
 * fingerprint, and adds the baseline's results that are gone as absent, so
 * a team can adopt tmlint on a large legacy model and fail only on what is
 * new (--new-only). */
#ifndef TM_BASELINE_H
#define TM_BASELINE_H
#include "ctx.h"

/* Reads the SARIF file and marks c->findings (call after the check, before
 * writing). Returns 0, or -1 with a diag when the file cannot be used. */
int tm_baseline_apply(tm_ctx *c, const char *sarif_path);
/* Drops every finding that is not new (for --new-only). */
void tm_baseline_keep_new(tm_ctx *c);

#endif
