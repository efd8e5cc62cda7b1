/* Checking: each file is read, parsed, mapped to the canonical model by a
 * format adapter, and every enabled rule runs over it. */
#ifndef TM_RUN_H
#define TM_RUN_H
#include "buf.h"
#include "ctx.h"

/* Starts Lua and loads the rules (for check, rules and explain). */
int tm_run_setup(tm_ctx *c);
/* Pushes the settings of rule `rule`: its defaults with the given config
 * settings tables applied over them in order. */
void tm_run_push_settings(tm_ctx *c, size_t rule, const int *refs, size_t nrefs);
/* Writes the canonical model of the one file in c->files as a native model. */
int tm_run_convert(tm_ctx *c, tm_buf *out);
/* Checks file fi from bytes already read (takes and frees src): what
 * check does after reading, for fuzzers and tests. */
struct tm_src;
void tm_run_check_src(tm_ctx *c, uint32_t fi, struct tm_src *src);
/* Checks one file (read, parse, adapt, run the rules). */
void tm_run_check_file(tm_ctx *c, uint32_t fi);
/* Sorts the findings (after checking). */
void tm_run_sort(tm_ctx *c);
/* Checks every file in c->files; findings and diags land in c. */
void tm_run_check(tm_ctx *c);

#endif
