#include "timings.h"
#include "ctx.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t tm_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

typedef struct row {
    char name[96];
    tm_timing t;
} row;

static int by_time(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->t.ns != y->t.ns)
        return x->t.ns < y->t.ns ? 1 : -1;
    return strcmp(x->name, y->name);
}

void tm_timings_print(const tm_ctx *c, FILE *out, int64_t total_ns)
{
    size_t cap = c->nrules + c->nadapters + 8, n = 0;
    row *rows = calloc(cap, sizeof *rows);
    if (!rows)
        return;
    static const char *const phase_names[TM_PHASES] = {
        "(read and parse YAML)", "(model into Lua)", "(schema check, TM006)", "(startup: load rules)", "(write output)",
        "(collector, between rules)"};
    for (int i = 0; i < TM_PHASES; i++) {
        snprintf(rows[n].name, sizeof rows[n].name, "%s", phase_names[i]);
        rows[n++].t = c->phase[i];
    }
    for (size_t i = 0; i < c->nadapters; i++)
        if (c->adapters[i].timing.calls) {
            snprintf(rows[n].name, sizeof rows[n].name, "adapter %s", c->adapters[i].name);
            rows[n++].t = c->adapters[i].timing;
        }
    for (size_t i = 0; i < c->nrules; i++)
        if (c->rules[i].timing.calls) {
            snprintf(rows[n].name, sizeof rows[n].name, "%s %s", c->rules[i].id, c->rules[i].name);
            rows[n++].t = c->rules[i].timing;
        }
    qsort(rows, n, sizeof *rows, by_time);
    fprintf(out, "%-44s %10s %7s %14s %7s\n", "rule, adapter or phase", "time (ms)", "share", "instructions", "calls");
    for (size_t i = 0; i < n; i++) {
        char work[32] = "-";
        if (rows[i].t.work)
            snprintf(work, sizeof work, "%lld", (long long)rows[i].t.work);
        fprintf(out, "%-44s %10.3f %6.1f%% %14s %7llu\n", rows[i].name, rows[i].t.ns / 1e6,
                total_ns > 0 ? 100.0 * (double)rows[i].t.ns / (double)total_ns : 0.0, work,
                (unsigned long long)rows[i].t.calls);
    }
    fprintf(out, "%-44s %10.3f %6.1f%%\n", "whole run", total_ns / 1e6, 100.0);
    if (c->split_procs > 1)
        fprintf(out, "(the rules ran in up to %d processes at once: their times overlap)\n", c->split_procs);
    if (c->rt && c->rt->uncounted_calls)
        fprintf(out, "(instructions -: tmlint's own code runs uncounted, stopped at its time limit by a timer; "
                     "--max-rule-instructions counts it)\n");
    free(rows);
}
