/* Shared set-up for the fuzz targets that need rules: one context for the
 * whole fuzzing run, made in LLVMFuzzerInitialize (harness state, not
 * product code). */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H
#include "ctx.h"

/* The context, with the rules loaded; aborts if they cannot be. */
tm_ctx *fuzz_ctx(void);
/* Forgets findings and diagnostics between inputs. */
void fuzz_reset(tm_ctx *c);

#endif
