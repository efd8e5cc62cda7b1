/* `tmlint audit --shard I/N` and `--merge`: an organisation's audit spread
 * over CI jobs. A shard audits the repositories whose identity hashes to
 * it and puts, in its JSON, everything the writers read (files, findings,
 * diagnostics, rules, repositories without a model), so that a merge,
 * which has none of the repositories, writes every format byte for byte
 * as one audit of all of them would. */
#ifndef TM_AUDIT_SHARD_H
#define TM_AUDIT_SHARD_H
#include "buf.h"
#include "ctx.h"
#include <stdint.h>

/* The shard (0-based) of N a repository identity falls in: FNV-1a, the
 * same on every machine and in every version. */
uint32_t tm_shard_of(const char *identity, uint32_t n);

/* Keeps, of the walked files and of the repositories without a model,
 * those of shard c->opts.shard. */
void tm_shard_select(tm_ctx *c);

/* --shard-list FILE: prints the lines of FILE (repository URLs; blank
 * lines and # comments skipped) of this shard. 0, or -1 with a diag. */
int tm_shard_list(tm_ctx *c, const char *file);

/* The JSON member `"shard": {...}` (with its trailing ",\n") that a shard
 * run adds to its --format json. */
void tm_shard_json(const tm_ctx *c, tm_buf *b);

/* Reads the shards' JSON files into c as if one audit had checked them
 * all: every shard of one --shard run, once each. 0, or -1 with diags. */
int tm_shard_merge(tm_ctx *c, char *const *paths, size_t n);

#endif
