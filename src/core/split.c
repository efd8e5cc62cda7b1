#define _GNU_SOURCE   /* sched_getaffinity, CPU_COUNT */
#include "split.h"
#include "lua_api.h"
#include "wire.h"
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int tm_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0 && CPU_COUNT(&set) < n)
        n = CPU_COUNT(&set);   /* taskset, docker --cpuset-cpus */
    /* a cgroup v2 quota (docker --cpus 1.5): "QUOTA PERIOD" or "max PERIOD" */
    FILE *q = fopen("/sys/fs/cgroup/cpu.max", "r");
    if (q) {
        long quota, period;
        if (fscanf(q, "%ld %ld", &quota, &period) == 2 && quota > 0 && period > 0 &&
            (quota + period - 1) / period < n)
            n = (quota + period - 1) / period;
        fclose(q);
    }
    return n > 0 ? (int)n : 1;
}

int tm_split_jobs(const tm_ctx *c, const tm_doc *doc)
{
    /* Only when asked (--jobs N). After a fork every heap page either
     * process writes faults once (copy on write), and lua_close writes
     * them all: on 2 cores the split was slower than one process at every
     * size (bench/README.md), so by default a document's rules run here. */
    if (c->opts.audit || c->opts.verbose || c->opts.jobs <= 1)
        return 1;
    size_t min = TM_SPLIT_MIN_NODES;
    const char *e = getenv("TMLINT_SPLIT_NODES");
    if (e && *e) {
        char *end;
        unsigned long v = strtoul(e, &end, 10);
        if (!*end)
            min = v;
    }
    return doc->n < min ? 1 : c->opts.jobs;
}

/* Where one rule's results are: who ran it (0: this process, k: worker k,
 * -1: nobody yet) and its slices of that process's lists. */
typedef struct span {
    int who;
    size_t f0, f1, d0, d1;
    int64_t ns, work;
    uint32_t failed;
} span;

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void read_all(int fd, tm_buf *b)
{
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return;
        tm_buf_add(b, chunk, (size_t)r);
    }
}

/* Drops what a rule added to the lists from f0 and d0 on. */
static void drop_since(tm_ctx *c, size_t f0, size_t d0)
{
    for (size_t j = f0; j < c->findings.n; j++) {
        tm_fnd_release(&c->findings.v[j]);
    }
    c->findings.n = f0;
    for (size_t j = d0; j < c->diags.n; j++) {
        free(c->diags.v[j].file);
        free(c->diags.v[j].rule);
        free(c->diags.v[j].msg);
    }
    c->diags.n = d0;
}

/* Takes rules off the shared counter and runs them until none is left;
 * `sp` (this process's view) gets each one's slices. A rule that asks for
 * the repository is stopped at that call and left to the end (see
 * tm_split_rules): what it did is dropped, as if it never ran. */
static void take_rules(tm_ctx *c, tm_file *f, tm_host *h, const unsigned char *want, atomic_uint *next, span *sp,
                       int who, tm_split_run run, void *ud)
{
    h->defer_repo = 1;
    for (;;) {
        unsigned i = atomic_fetch_add(next, 1u);
        if (i >= c->nrules)
            break;
        if (!want[i])
            continue;
        tm_timing t0 = c->rules[i].timing;
        int failed0 = f->rule_failed;
        sp[i].f0 = c->findings.n;
        sp[i].d0 = c->diags.n;
        h->repo_deferred = 0;
        run(ud, i);
        if (h->repo_deferred) {
            drop_since(c, sp[i].f0, sp[i].d0);
            c->rules[i].timing = t0;
            f->rule_failed = failed0;
            continue;   /* sp[i].who stays -1 */
        }
        sp[i].who = who;
        sp[i].f1 = c->findings.n;
        sp[i].d1 = c->diags.n;
        sp[i].ns = c->rules[i].timing.ns - t0.ns;
        sp[i].work = c->rules[i].timing.work - t0.work;
        sp[i].failed = (uint32_t)(f->rule_failed - failed0);
    }
    h->defer_repo = 0;
    h->repo_deferred = 0;
}

/* The rules nobody ran (they asked for the repository, or their worker
 * failed), here, in rule order: repository state (the history walk, the
 * change under check, why a repository rule was quiet) builds up exactly
 * as in one process. */
static void run_left(tm_ctx *c, tm_file *f, const unsigned char *want, span *sp, tm_split_run run, void *ud)
{
    for (size_t i = 0; i < c->nrules; i++) {
        if (!want[i] || sp[i].who >= 0)
            continue;
        tm_timing t0 = c->rules[i].timing;
        int failed0 = f->rule_failed;
        sp[i].f0 = c->findings.n;
        sp[i].d0 = c->diags.n;
        run(ud, i);
        sp[i].who = 0;
        sp[i].f1 = c->findings.n;
        sp[i].d1 = c->diags.n;
        sp[i].ns = c->rules[i].timing.ns - t0.ns;
        sp[i].work = c->rules[i].timing.work - t0.work;
        sp[i].failed = (uint32_t)(f->rule_failed - failed0);
    }
}

/* A worker's record: the rules it ran, each with its time, failures,
 * findings and diagnostics; then the suppressions it used. (No repository
 * state: rules that ask for it run in the parent.) */
static void worker(tm_ctx *c, tm_file *f, tm_host *h, tm_sup *sup, const unsigned char *want, atomic_uint *next,
                   span *sp, tm_split_run run, void *ud, int fd)
{
    tm_timing gc0 = c->phase[TM_PHASE_COLLECT];
    take_rules(c, f, h, want, next, sp, 1, run, ud);
    /* tests: a worker that dies after running its rules ("exit"), or that
     * sends half its record and exits as if all were well ("cut") */
    const char *test = getenv("TMLINT_SPLIT_TEST");
    int cut = test && !strcmp(test, "cut");
    if (test && !strcmp(test, "exit"))
        _exit(3);
    tm_buf b;
    tm_buf_init(&b);
    uint32_t nran = 0;
    for (size_t i = 0; i < c->nrules; i++)
        nran += sp[i].who == 1;
    tm_wire_u32(&b, nran);
    for (size_t i = 0; i < c->nrules; i++) {
        if (sp[i].who != 1)
            continue;
        tm_wire_u32(&b, (uint32_t)i);
        tm_wire_u64(&b, (uint64_t)sp[i].ns);
        tm_wire_u64(&b, (uint64_t)sp[i].work);
        tm_wire_u32(&b, sp[i].failed);
        tm_wire_u32(&b, (uint32_t)(sp[i].f1 - sp[i].f0));
        for (size_t j = sp[i].f0; j < sp[i].f1; j++) {
            tm_wire_finding(&b, &c->findings.v[j]);
            tm_wire_u32(&b, c->findings.v[j].file);
        }
        tm_wire_u32(&b, (uint32_t)(sp[i].d1 - sp[i].d0));
        for (size_t j = sp[i].d0; j < sp[i].d1; j++)
            tm_wire_diag(&b, &c->diags.v[j]);
    }
    tm_wire_u64(&b, (uint64_t)(c->phase[TM_PHASE_COLLECT].ns - gc0.ns));   /* its collections, for --timings */
    tm_wire_u64(&b, c->phase[TM_PHASE_COLLECT].calls - gc0.calls);
    uint32_t nused = 0;
    for (uint32_t i = 0; i < sup->doc->n; i++)
        nused += sup->used[i] != 0;
    tm_wire_u32(&b, nused);
    for (uint32_t i = 0; i < sup->doc->n; i++)
        if (sup->used[i])
            tm_wire_u32(&b, i);
    int rc = write_all(fd, b.p, cut ? b.len / 2 : b.len);
    /* no exit(): the parent's buffered output and atexit handlers are the parent's */
    _exit(rc == 0 ? 0 : 1);
}

/* One worker's results, read whole before any is used. */
typedef struct got {
    tm_findings fnd;
    tm_diags diags;
    uint32_t *used;
    size_t nused;
    tm_timing gc;   /* its collections between rules */
} got;

static int decode(tm_ctx *c, const tm_sup *sup, const unsigned char *want, const tm_buf *in, int k, span *sp,
                  got *g)
{
    tm_wire_reader r = {(const unsigned char *)in->p, in->len, 0};
    uint32_t nran = tm_wire_get_u32(&r);
    for (uint32_t n = 0; n < nran && !r.bad; n++) {
        uint32_t i = tm_wire_get_u32(&r);
        if (r.bad || i >= c->nrules || !want[i] || sp[i].who != -1)
            return -1;
        span s = {.who = k};
        s.ns = (int64_t)tm_wire_get_u64(&r);
        s.work = (int64_t)tm_wire_get_u64(&r);
        s.failed = tm_wire_get_u32(&r);
        uint32_t nf = tm_wire_get_u32(&r);
        s.f0 = g->fnd.n;
        for (uint32_t j = 0; j < nf && !r.bad; j++) {
            tm_finding *x = tm_wire_get_finding(&r, &g->fnd, (uint32_t)c->nrules);
            uint32_t file = tm_wire_get_u32(&r);
            if (x && file < c->nfiles)
                x->file = file;
            else
                r.bad = 1;
        }
        s.f1 = g->fnd.n;
        uint32_t nd = tm_wire_get_u32(&r);
        s.d0 = g->diags.n;
        for (uint32_t j = 0; j < nd && !r.bad; j++)
            tm_wire_get_diag(&r, &g->diags);
        s.d1 = g->diags.n;
        if (!r.bad)
            sp[i] = s;
    }
    g->gc.ns = (int64_t)tm_wire_get_u64(&r);
    g->gc.calls = tm_wire_get_u64(&r);
    uint32_t nused = tm_wire_get_u32(&r);
    if (r.bad || nused > sup->doc->n)
        return -1;
    g->used = tm_xcalloc(nused ? nused : 1, sizeof *g->used);
    for (uint32_t j = 0; j < nused && !r.bad; j++) {
        uint32_t node = tm_wire_get_u32(&r);
        if (node >= sup->doc->n)
            r.bad = 1;
        g->used[g->nused++] = node;
    }
    return r.bad || r.left ? -1 : 0;
}

static void got_free(got *g)
{
    tm_fnd_free(&g->fnd);
    tm_diags_free(&g->diags);
    free(g->used);
}

/* Rebuilds the lists from `base` on in rule order, moving each rule's
 * slice from whichever process ran it (everything this process added
 * since `base` is in some rule's slice). */
static void reassemble(tm_ctx *c, size_t f_base, size_t d_base, const span *sp, got *gs)
{
    size_t nf = c->findings.n - f_base, nd = c->diags.n - d_base;
    for (size_t i = 0; i < c->nrules; i++) {
        if (sp[i].who > 0) {
            nf += sp[i].f1 - sp[i].f0;
            nd += sp[i].d1 - sp[i].d0;
        }
    }
    tm_finding *fv = tm_xcalloc(nf ? nf : 1, sizeof *fv);
    tm_diag *dv = tm_xcalloc(nd ? nd : 1, sizeof *dv);
    size_t fo = 0, dn = 0;
    for (size_t i = 0; i < c->nrules; i++) {
        if (sp[i].who < 0)
            continue;
        const tm_finding *fs = sp[i].who ? gs[sp[i].who].fnd.v : c->findings.v;
        const tm_diag *ds = sp[i].who ? gs[sp[i].who].diags.v : c->diags.v;
        if (sp[i].f1 > sp[i].f0)
            memcpy(fv + fo, fs + sp[i].f0, (sp[i].f1 - sp[i].f0) * sizeof *fv);
        fo += sp[i].f1 - sp[i].f0;
        if (sp[i].d1 > sp[i].d0)
            memcpy(dv + dn, ds + sp[i].d0, (sp[i].d1 - sp[i].d0) * sizeof *dv);
        dn += sp[i].d1 - sp[i].d0;
    }
    c->findings.v = tm_xrealloc(c->findings.v, (f_base + fo ? f_base + fo : 1) * sizeof *c->findings.v);
    if (fo)
        memcpy(c->findings.v + f_base, fv, fo * sizeof *fv);
    c->findings.n = c->findings.cap = f_base + fo;
    c->diags.v = tm_xrealloc(c->diags.v, (d_base + dn ? d_base + dn : 1) * sizeof *c->diags.v);
    if (dn)
        memcpy(c->diags.v + d_base, dv, dn * sizeof *dv);
    c->diags.n = c->diags.cap = d_base + dn;
    free(fv);
    free(dv);
}

void tm_split_rules(tm_ctx *c, tm_file *f, tm_host *h, tm_sup *sup, const unsigned char *want, int jobs,
                    tm_split_run run, void *ud)
{
    span *sp = tm_xcalloc(c->nrules ? c->nrules : 1, sizeof *sp);
    for (size_t i = 0; i < c->nrules; i++)
        sp[i].who = -1;
    atomic_uint *next = jobs > 1 ? mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
                                 : MAP_FAILED;
    int nworkers = 0;
    int *fds = NULL;
    pid_t *pids = NULL;
    size_t f_base = c->findings.n, d_base = c->diags.n;
    if (next != MAP_FAILED) {
        atomic_init(next, 0u);
        fds = tm_xcalloc((size_t)jobs, sizeof *fds);
        pids = tm_xcalloc((size_t)jobs, sizeof *pids);
        fflush(NULL);
        for (int k = 1; k < jobs; k++) {
            int p[2];
            if (pipe(p) != 0)
                break;
            pid_t pid = fork();
            if (pid < 0) {
                close(p[0]);
                close(p[1]);
                break;
            }
            if (pid == 0) {
                close(p[0]);
                for (int j = 1; j < k; j++)
                    close(fds[j]);
                worker(c, f, h, sup, want, next, sp, run, ud, p[1]);
            }
            close(p[1]);
            fds[k] = p[0];
            pids[k] = pid;
            nworkers = k;
        }
    }
    if (nworkers == 0) {   /* one process after all: run them here, in order */
        for (size_t i = 0; i < c->nrules; i++)
            if (want[i])
                run(ud, i);
        if (next != MAP_FAILED)
            munmap(next, sizeof *next);
        free(fds);
        free(pids);
        free(sp);
        return;
    }
    /* tests: the parent takes no rule, so that every rule but those left
     * to the end runs in the worker(s) */
    const char *test = getenv("TMLINT_SPLIT_TEST");
    if (!test || strcmp(test, "idle"))
        take_rules(c, f, h, want, next, sp, 0, run, ud);
    if (nworkers + 1 > c->split_procs)
        c->split_procs = nworkers + 1;
    got *gs = tm_xcalloc((size_t)nworkers + 1, sizeof *gs);
    int lost = 0;
    for (int k = 1; k <= nworkers; k++) {
        tm_buf in;
        tm_buf_init(&in);
        read_all(fds[k], &in);
        close(fds[k]);
        int st = 0;
        while (waitpid(pids[k], &st, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || decode(c, sup, want, &in, k, sp, &gs[k]) != 0) {
            for (size_t i = 0; i < c->nrules; i++)   /* its rules are nobody's: run them again here */
                if (sp[i].who == k)
                    sp[i].who = -1;
            got_free(&gs[k]);
            memset(&gs[k], 0, sizeof gs[k]);
            lost++;
        } else {
            for (size_t i = 0; i < c->nrules; i++) {
                if (sp[i].who != k)
                    continue;
                c->rules[i].timing.ns += sp[i].ns;
                c->rules[i].timing.work += sp[i].work;
                c->rules[i].timing.calls++;
                f->rule_failed += (int)sp[i].failed;
            }
            for (size_t j = 0; j < gs[k].nused; j++)
                sup->used[gs[k].used[j]] = 1;
            c->phase[TM_PHASE_COLLECT].ns += gs[k].gc.ns;
            c->phase[TM_PHASE_COLLECT].calls += gs[k].gc.calls;
        }
        tm_buf_free(&in);
    }
    munmap(next, sizeof *next);
    run_left(c, f, want, sp, run, ud);
    reassemble(c, f_base, d_base, sp, gs);
    if (lost)
        tm_diag_add(&c->diags, TM_DIAG_WARNING, f->path, 0, 0, NULL,
                    "%d of the processes the rules were split across failed; their rules ran again in this one", lost);
    for (int k = 1; k <= nworkers; k++) {
        gs[k].fnd.n = 0;     /* moved */
        gs[k].diags.n = 0;
        got_free(&gs[k]);
    }
    free(gs);
    free(fds);
    free(pids);
    free(sp);
}
