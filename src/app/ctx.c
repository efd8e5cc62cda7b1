#include "audit_history.h"
#include "ctx.h"
#include "unmodeled.h"
#include "audit_compare.h"
#include "config.h"
#include "buf.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void tm_ctx_init(tm_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->started_ns = tm_clock_ns();
    c->opts.format = "text";
    c->opts.fail_on = TM_LEVEL_ERROR;
    c->opts.limits.max_depth = TM_DEFAULT_MAX_DEPTH;
    c->opts.limits.max_nodes = TM_DEFAULT_MAX_NODES;
    c->opts.limits.max_file_size = TM_DEFAULT_MAX_FILE_SIZE;
    c->opts.rule_instructions = 200000000;   /* a few hundred ms of Lua */
    c->opts.rule_per_node = 500;
    c->opts.rule_memory = (size_t)256 << 20;
    c->opts.lua_memory = (size_t)4 << 30;
    /* for tests: a cap a model of a few thousand threats reaches (bytes;
     * anything but a whole number from 1 MiB up is ignored) */
    const char *lm = getenv("TMLINT_LUA_MEMORY");
    if (lm && *lm >= '0' && *lm <= '9') {
        char *end;
        unsigned long long v = strtoull(lm, &end, 10);
        if (!*end && v >= (1ull << 20) && v <= c->opts.lua_memory)
            c->opts.lua_memory = (size_t)v;
    }

    c->opts.max_findings = 100000;
    c->opts.rule_time = 5;
    c->opts.limits.max_documents = 1000;
    tm_diags_init(&c->diags);
    tm_fnd_init(&c->findings);
}

void tm_ctx_free_files(tm_ctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        free(c->files[i].path);
        free(c->files[i].uri);
        free(c->files[i].web);
        free(c->files[i].identity);
        free(c->files[i].run_root);
        free(c->files[i].run_uri);
        free(c->files[i].data);
        free(c->files[i].na);
        tm_lead_free(c->files[i].stats.lead, c->files[i].stats.nlead);
    }
    free(c->files);
    c->files = NULL;
    c->nfiles = 0;
}

void tm_rule_free_fields(tm_rule *r)
{
    free(r->id); free(r->name); free(r->summary); free(r->help);
    free(r->message); free(r->path);
    for (size_t j = 0; j < r->nmeta; j++)
        free(r->meta[j]);
    free(r->meta);
    for (size_t j = 0; j < r->nneeds; j++)
        free(r->needs[j]);
    free(r->needs);
    free(r->also);
}

void tm_ctx_free(tm_ctx *c)
{
    tm_compare_free(c->compare);
    tm_history_free(c->history);
    c->compare = NULL;
    tm_ctx_free_files(c);
    for (size_t i = 0; i < c->nrules; i++)
        tm_rule_free_fields(&c->rules[i]);
    free(c->rules);
    for (size_t i = 0; i < c->nadapters; i++) {
        free(c->adapters[i].name);
        free(c->adapters[i].path);
    }
    free(c->adapters);
    tm_cfg_free_all(c);   /* before the runtime: it holds Lua references */
    tm_rt_free(c->rt);
    tm_unmodeled_free(c->unmodeled, c->nunmodeled);
    tm_repos_free(&c->repos);
    tm_tests_free(&c->tests);
    free(c->root);
    free(c->cwd);
    free(c->ceiling);
    tm_strmap_free(&c->file_uris);
    for (size_t i = 0; i < c->diag_uris.cap; i++)
        if (c->diag_uris.keys && c->diag_uris.keys[i])
            free(c->diag_uris.vals[i]);
    tm_strmap_free(&c->diag_uris);
    free(c->rules_dir);
    tm_fnd_free(&c->findings);
    tm_diags_free(&c->diags);
}

static int valid_date(const char *s)
{
    int y, m, d;
    char extra;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
        return 0;
    return s[4] == '-' && s[7] == '-' && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

int tm_ctx_set_now(tm_ctx *c)
{
    if (c->opts.now) {
        if (!valid_date(c->opts.now))
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "--now takes a date as YYYY-MM-DD, not '%s'", c->opts.now);
        memcpy(c->now, c->opts.now, 11);
        return 0;
    }
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 0)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "SOURCE_DATE_EPOCH is not a number of seconds: '%s'", sde);
        t = (time_t)v;
    }
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(c->now, sizeof c->now, "%Y-%m-%d", &tmv);
    return 0;
}

void tm_lead_free(tm_lead *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        free(v[i].rating);
        free(v[i].date);
        free(v[i].by);
    }
    free(v);
}
