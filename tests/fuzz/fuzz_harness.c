#include "fuzz_harness.h"
#include "buf.h"
#include "run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_RULES_DIR
#define FUZZ_RULES_DIR "rules"
#endif

static tm_ctx *the_ctx;

tm_ctx *fuzz_ctx(void)
{
    if (the_ctx)
        return the_ctx;
    the_ctx = tm_xcalloc(1, sizeof *the_ctx);
    tm_ctx_init(the_ctx);
    const char *dir = getenv("TMLINT_RULES_DIR");
    the_ctx->opts.rules_dir = dir ? dir : FUZZ_RULES_DIR;
    the_ctx->opts.now = "2026-11-23";
    the_ctx->opts.limits.max_depth = 64;
    the_ctx->opts.limits.max_nodes = 200000;
    the_ctx->opts.rule_instructions = 2000000;
    the_ctx->opts.rule_per_node = 50;
    the_ctx->opts.rule_memory = (size_t)64 << 20;
    the_ctx->opts.lua_memory = (size_t)1 << 30;
    the_ctx->opts.max_findings = 1000;
    if (tm_ctx_set_now(the_ctx) != 0 || tm_run_setup(the_ctx) != 0) {
        for (size_t i = 0; i < the_ctx->diags.n; i++)
            tm_diag_print(&the_ctx->diags.v[i], stderr);
        abort();
    }
    the_ctx->root = tm_xstrdup("/fuzz/");
    return the_ctx;
}

void fuzz_reset(tm_ctx *c)
{
    tm_fnd_free(&c->findings);
    tm_diags_free(&c->diags);
    tm_ctx_free_files(c);
}
