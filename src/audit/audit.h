/* `tmlint audit`: checks many models (of many repositories) in parallel
 * worker processes and summarises them per model and per rule, as text or
 * as one self-contained HTML page. */
#ifndef TM_AUDIT_H
#define TM_AUDIT_H
#include "buf.h"
#include "ctx.h"
#include "wire.h"

/* Checks c->files with c->opts.jobs workers; the result (findings, diags,
 * per-file numbers) is the same for any number of workers. */
int tm_audit_check(tm_ctx *c, int progress);

/* Counts, per model, the places its repository's CI runs tmlint so that
 * it can never fail (ci-cannot-fail's findings, which come with the
 * repository's first model): the audit's CI column. */
void tm_audit_ci_gates(tm_ctx *c);

/* Gives each model a URL for the report's links: the file's page at the
 * checked-out commit when its repository's origin is on GitHub or GitLab,
 * else its file:// URL. */
void tm_audit_links(tm_ctx *c);

/* A remote URL as a repository's identity: no scheme, no credentials, no
 * ".git" or trailing slash, the host in lower case ("git@host:o/r" reads
 * "host/o/r"). NULL when nothing is left. Caller frees. */
char *tm_audit_remote_identity(const char *url);
/* The identity of the repository at `root`: its origin's, else the name of
 * its directory. Caller frees. */
char *tm_audit_repo_identity(tm_ctx *c, const char *root);

/* A file's lead records (tm_lead) on the wire, for the workers and shards. */
void tm_audit_wire_leads(tm_buf *b, const tm_file *f);
int tm_audit_wire_get_leads(tm_wire_reader *r, tm_file *f);

#endif
