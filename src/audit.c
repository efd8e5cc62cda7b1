#include "audit.h"
#include "esc.h"
#include "unmodeled.h"
#include "include.h"
#include "out.h"
#include "run.h"
#include "walk.h"

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the worker protocol: length-prefixed records on a pipe ---- */

static void put_u32(tm_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    tm_buf_add(b, x, 4);
}

static void put_str(tm_buf *b, const char *s)
{
    if (!s) {
        put_u32(b, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    tm_buf_add(b, s, n);
}

typedef struct reader {
    const unsigned char *p;
    size_t left;
    int bad;
} reader;

static uint32_t get_u32(reader *r)
{
    if (r->left < 4) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    r->left -= 4;
    return v;
}

static char *get_str(reader *r)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == UINT32_MAX)
        return NULL;
    if (r->left < n) {
        r->bad = 1;
        return NULL;
    }
    char *s = tm_xstrndup((const char *)r->p, n);
    r->p += n;
    r->left -= n;
    return s;
}

/* One file's results as a record: the file's flags and numbers, then its
 * diagnostics and findings. */
static void encode_file(tm_ctx *c, uint32_t fi, size_t diag0, tm_buf *b)
{
    tm_buf rec;
    tm_buf_init(&rec);
    const tm_file *f = &c->files[fi];
    put_u32(&rec, fi);
    put_u32(&rec, (uint32_t)f->failed);
    put_u32(&rec, (uint32_t)f->rule_failed);
    put_u32(&rec, (uint32_t)f->stats.models);
    put_u32(&rec, f->stats.threats);
    put_u32(&rec, f->stats.mitigated);
    put_u32(&rec, f->stats.accepted);
    put_u32(&rec, f->stats.essentials);
    put_u32(&rec, f->stats.with_criteria);
    put_str(&rec, f->stats.reviewed);
    put_str(&rec, f->stats.format);
    put_str(&rec, f->na_format);   /* the rules its format cannot feed */
    put_u32(&rec, (uint32_t)f->nna);
    for (size_t i = 0; i < f->nna; i++)
        put_u32(&rec, f->na[i]);
    put_u32(&rec, (uint32_t)(c->diags.n - diag0));
    for (size_t i = diag0; i < c->diags.n; i++) {
        const tm_diag *d = &c->diags.v[i];
        put_u32(&rec, (uint32_t)d->sev);
        put_u32(&rec, d->line);
        put_u32(&rec, d->col);
        put_str(&rec, d->file);
        put_str(&rec, d->rule);
        put_str(&rec, d->msg);
    }
    put_u32(&rec, (uint32_t)c->findings.n);
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *x = &c->findings.v[i];
        put_u32(&rec, x->rule);
        put_u32(&rec, (uint32_t)x->level);
        put_u32(&rec, x->line);
        put_u32(&rec, x->col);
        put_u32(&rec, x->end_line);
        put_u32(&rec, x->end_col);
        put_str(&rec, x->msg);
        put_str(&rec, x->justification);
        put_str(&rec, x->fingerprint);
        /* a finding in an included file: that file, which the parent may not know yet */
        put_str(&rec, x->file != fi ? c->files[x->file].path : "");
    }
    put_u32(b, (uint32_t)rec.len);
    tm_buf_add(b, rec.p, rec.len);
    tm_buf_free(&rec);
}

/* Merges one record; its diagnostics go to per_file[fi] to keep file order. */
static int decode_file(tm_ctx *c, reader *r, tm_diags *per_file)
{
    uint32_t fi = get_u32(r);
    if (r->bad || fi >= c->nfiles)
        return -1;
    tm_file *f = &c->files[fi];
    f->failed = (int)get_u32(r);
    f->rule_failed = (int)get_u32(r);
    f->stats.models = (int)get_u32(r);
    f->stats.threats = get_u32(r);
    f->stats.mitigated = get_u32(r);
    f->stats.accepted = get_u32(r);
    f->stats.essentials = get_u32(r);
    f->stats.with_criteria = get_u32(r);
    char *rev = get_str(r), *fmt = get_str(r);
    snprintf(f->stats.reviewed, sizeof f->stats.reviewed, "%s", rev ? rev : "");
    snprintf(f->stats.format, sizeof f->stats.format, "%s", fmt ? fmt : "");
    free(rev);
    free(fmt);
    char *naf = get_str(r);
    snprintf(f->na_format, sizeof f->na_format, "%s", naf ? naf : "");
    free(naf);
    uint32_t nna = get_u32(r);
    if (r->bad || nna > c->nrules)
        return -1;
    free(f->na);
    f->na = nna ? tm_xcalloc(nna, sizeof *f->na) : NULL;
    f->nna = 0;
    for (uint32_t i = 0; i < nna && !r->bad; i++) {
        uint32_t ri = get_u32(r);
        if (ri < c->nrules)
            f->na[f->nna++] = ri;
    }
    uint32_t nd = get_u32(r);
    for (uint32_t i = 0; i < nd && !r->bad; i++) {
        tm_diag_sev sev = (tm_diag_sev)get_u32(r);
        uint32_t line = get_u32(r), col = get_u32(r);
        char *file = get_str(r), *rule = get_str(r), *msg = get_str(r);
        if (!r->bad)
            tm_diag_add(&per_file[fi], sev, file, line, col, rule, "%s", msg ? msg : "");
        free(file);
        free(rule);
        free(msg);
    }
    uint32_t nf = get_u32(r);
    for (uint32_t i = 0; i < nf && !r->bad; i++) {
        uint32_t rule = get_u32(r), level = get_u32(r);
        uint32_t line = get_u32(r), col = get_u32(r), el = get_u32(r), ec = get_u32(r);
        char *msg = get_str(r), *just = get_str(r), *fp = get_str(r), *part = get_str(r);
        if (r->bad || rule >= c->nrules) {
            free(msg);
            free(just);
            free(fp);
            free(part);
            r->bad = 1;
            break;
        }
        tm_finding *x = tm_fnd_add(&c->findings, msg ? msg : tm_xstrdup(""));
        x->rule = rule;
        x->level = (tm_level)level;
        x->file = part && *part ? tm_include_part_file(c, fi, part) : fi;
        x->line = line;
        x->col = col;
        x->end_line = el;
        x->end_col = ec;
        x->justification = just;
        snprintf(x->fingerprint, sizeof x->fingerprint, "%s", fp ? fp : "");
        free(fp);
        free(part);
    }
    return r->bad ? -1 : 0;
}

static void progress_bar(size_t done, size_t total)
{
    int width = 30, fill = total ? (int)(done * (size_t)width / total) : width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu models", fill, "##############################", width - fill, "", done, total);
    if (done == total)
        fputc('\n', stderr);
}


/* The worker: every file i with i % jobs == k, each sent as soon as done. */
static void worker(tm_ctx *c, int k, int jobs, int fd)
{
    size_t n0 = c->nfiles;   /* files included by a model are added as parts: not ours to send */
    for (size_t i = (size_t)k; i < n0; i += (size_t)jobs) {
        size_t d0 = c->diags.n;
        tm_run_check_file(c, (uint32_t)i);
        tm_buf b;
        tm_buf_init(&b);
        encode_file(c, (uint32_t)i, d0, &b);
        if (tm_out_write_all(fd, b.p, b.len) != 0)
            _exit(3);
        tm_buf_free(&b);
        tm_fnd_free(&c->findings);
    }
    close(fd);
    _exit(0);
}

int tm_audit_check(tm_ctx *c, int progress)
{
    int jobs = c->opts.jobs > 0 ? c->opts.jobs : 1;
    size_t n0 = c->nfiles;   /* the models; files they include are added as parts while checking */
    if ((size_t)jobs > c->nfiles)
        jobs = c->nfiles ? (int)c->nfiles : 1;
    if (jobs == 1) {
        for (size_t i = 0; i < n0; i++) {
            tm_run_check_file(c, (uint32_t)i);
            if (progress)
                progress_bar(i + 1, n0);
        }
        tm_run_sort(c);
        return 0;
    }
    fflush(NULL);
    int *fds = tm_xcalloc((size_t)jobs, sizeof *fds);
    pid_t *pids = tm_xcalloc((size_t)jobs, sizeof *pids);
    tm_buf *in = tm_xcalloc((size_t)jobs, sizeof *in);
    size_t *used = tm_xcalloc((size_t)jobs, sizeof *used);
    tm_diags *per_file = tm_xcalloc(c->nfiles, sizeof *per_file);
    int rc = 0;
    for (int k = 0; k < jobs; k++) {
        int p[2];
        if (pipe(p) != 0) {
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "cannot start workers: %s", strerror(errno));
            jobs = k;
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            for (int j = 0; j < k; j++)
                close(fds[j]);
            size_t d0 = c->diags.n;
            (void)d0;
            worker(c, k, jobs, p[1]);
        }
        close(p[1]);
        if (pid < 0) {
            close(p[0]);
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "cannot start workers: %s", strerror(errno));
            jobs = k;
            break;
        }
        fds[k] = p[0];
        pids[k] = pid;
    }
    /* read every pipe as data comes, so no worker blocks on a full one */
    size_t done = 0;
    struct pollfd *pf = tm_xcalloc((size_t)jobs ? (size_t)jobs : 1, sizeof *pf);
    int open_fds = jobs;
    for (int k = 0; k < jobs; k++) {
        pf[k].fd = fds[k];
        pf[k].events = POLLIN;
    }
    char chunk[65536];
    while (open_fds > 0) {
        if (poll(pf, (nfds_t)jobs, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 0; k < jobs; k++) {
            if (pf[k].fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(pf[k].fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close(pf[k].fd);
                pf[k].fd = -1;
                open_fds--;
                continue;
            }
            tm_buf_add(&in[k], chunk, (size_t)n);
            /* decode every complete record */
            while (in[k].len - used[k] >= 4) {
                reader r = {(const unsigned char *)in[k].p + used[k], in[k].len - used[k], 0};
                uint32_t len = get_u32(&r);
                if (r.left < len)
                    break;
                r.left = len;
                if (decode_file(c, &r, per_file) != 0)
                    rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "a worker sent a damaged result");
                used[k] += 4 + (size_t)len;
                done++;
                if (progress)
                    progress_bar(done, n0);
            }
        }
    }
    for (int k = 0; k < jobs; k++) {
        int st = 0;
        waitpid(pids[k], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                             "worker %d ended abnormally (status %d)", k, st);
        tm_buf_free(&in[k]);
    }
    if (done < n0 && rc == 0)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "%zu models were not checked", n0 - done);
    /* diagnostics in file order, whatever order the workers finished in */
    for (size_t i = 0; i < n0; i++) {
        for (size_t j = 0; j < per_file[i].n; j++) {
            const tm_diag *d = &per_file[i].v[j];
            tm_diag_add(&c->diags, d->sev, d->file, d->line, d->col, d->rule, "%s", d->msg);
        }
        tm_diags_free(&per_file[i]);
    }
    free(per_file);
    free(pf);
    free(fds);
    free(pids);
    free(in);
    free(used);
    tm_run_sort(c);
    return rc;
}

void tm_audit_ci_gates(tm_ctx *c)
{
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (f->justification || strcmp(c->rules[f->rule].name, "ci-cannot-fail"))
            continue;
        size_t owner = c->files[f->file].part_of ? c->files[f->file].part_of - 1 : f->file;
        c->files[owner].stats.ci_cannot_fail++;
    }
}

/* ---- the summary ---- */

typedef struct model_row {
    size_t file;
    size_t n[4];
} model_row;

typedef struct rule_row {
    size_t rule, models, findings;
} rule_row;

static int cmp_model(const void *a, const void *b)
{
    const model_row *x = a, *y = b;
    for (int l = TM_LEVEL_ERROR; l >= TM_LEVEL_NOTE; l--)
        if (x->n[l] != y->n[l])
            return x->n[l] > y->n[l] ? -1 : 1;
    return x->file < y->file ? -1 : x->file > y->file;
}

static int cmp_rule(const void *a, const void *b)
{
    const rule_row *x = a, *y = b;
    if (x->models != y->models)
        return x->models > y->models ? -1 : 1;
    if (x->findings != y->findings)
        return x->findings > y->findings ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

typedef struct summary {
    model_row *models;
    size_t nmodels;
    rule_row *rules;
    size_t nrules;
    size_t n[4], failed;
} summary;

static void summarise(const tm_ctx *c, summary *s)
{
    memset(s, 0, sizeof *s);
    s->models = tm_xcalloc(c->nfiles ? c->nfiles : 1, sizeof *s->models);
    s->rules = tm_xcalloc(c->nrules ? c->nrules : 1, sizeof *s->rules);
    for (size_t i = 0; i < c->nfiles; i++) {
        if (c->files[i].baseline_only || c->files[i].part_of)
            continue;
        s->models[s->nmodels++].file = i;
        s->failed += c->files[i].failed != 0;
    }
    uint8_t *seen = tm_xcalloc(c->nrules * (c->nfiles ? c->nfiles : 1) + 1, 1);
    for (size_t r = 0; r < c->nrules; r++)
        s->rules[r].rule = r;
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        if (f->justification || f->baseline == TM_BASE_ABSENT)
            continue;
        s->n[f->level]++;
        /* a finding in an included file counts for the model that includes it */
        size_t owner = c->files[f->file].part_of ? c->files[f->file].part_of - 1 : f->file;
        for (size_t m = 0; m < s->nmodels; m++)
            if (s->models[m].file == owner) {
                s->models[m].n[f->level]++;
                break;
            }
        rule_row *rr = &s->rules[f->rule];
        rr->findings++;
        if (!seen[f->rule * c->nfiles + owner]) {
            seen[f->rule * c->nfiles + owner] = 1;
            rr->models++;
        }
    }
    free(seen);
    qsort(s->models, s->nmodels, sizeof *s->models, cmp_model);
    qsort(s->rules, c->nrules, sizeof *s->rules, cmp_rule);
    while (s->nrules < c->nrules && s->rules[s->nrules].findings)
        s->nrules++;
}

static void summary_free(summary *s)
{
    free(s->models);
    free(s->rules);
}

/* "73%" or "-" when there is nothing to count */
static void percent(char *out, size_t n, uint32_t part, uint32_t whole)
{
    if (!whole)
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%u%%", (unsigned)((part * 100u + whole / 2) / whole));
}

/* days since the review, "never", or "-" when the format records none */
static void review_age(const tm_ctx *c, const tm_file *f, char *out, size_t n)
{
    if (!f->stats.reviewed[0] || !strcmp(f->stats.reviewed, "-")) {
        snprintf(out, n, "%s", f->stats.models && !f->stats.reviewed[0] ? "never" : "-");
        return;
    }
    int y1, m1, d1, y2, m2, d2;
    if (sscanf(f->stats.reviewed, "%d-%d-%d", &y1, &m1, &d1) != 3 || sscanf(c->now, "%d-%d-%d", &y2, &m2, &d2) != 3) {
        snprintf(out, n, "?");
        return;
    }
    /* days from civil, as in rules/lib/tm.lua */
    long a[2];
    int ys[2] = {y1, y2}, ms[2] = {m1, m2}, ds[2] = {d1, d2};
    for (int i = 0; i < 2; i++) {
        int y = ys[i] - (ms[i] <= 2);
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153 * (ms[i] + (ms[i] > 2 ? -3 : 9)) + 2) / 5 + ds[i] - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        a[i] = era * 146097 + doe - 719468;
    }
    snprintf(out, n, "%ld days", a[1] - a[0]);
}

/* A model's numbers as the summary shows them. */
typedef struct shares {
    char mit[8], acc[8], cri[8], age[24], meta[24];
} shares;

static void model_shares(const tm_ctx *c, const tm_file *f, shares *s)
{
    percent(s->mit, sizeof s->mit, f->stats.mitigated, f->stats.threats);
    percent(s->acc, sizeof s->acc, f->stats.accepted, f->stats.threats);
    percent(s->cri, sizeof s->cri, f->stats.with_criteria, f->stats.essentials);
    review_age(c, f, s->age, sizeof s->age);
    /* how many of the meta threats a file can show its format lets tmlint check */
    snprintf(s->meta, sizeof s->meta, "%u/%u", f->stats.meta_checked, f->stats.meta_observable);
}

/* "1234", "100000+" at the walk's limit, or "-" without a history */
static void commits_text(const tm_unmodeled *u, char *out, size_t n)
{
    if (u->no_history)
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%zu%s", u->commits, u->more_commits ? "+" : "");
}

void tm_out_audit_text(const tm_ctx *c, tm_buf *b)
{
    summary s;
    summarise(c, &s);
    tm_buf_printf(b, "tmlint audit: %zu models (%zu could not be checked): %zu errors, %zu warnings, %zu notes",
                  s.nmodels, s.failed, s.n[TM_LEVEL_ERROR], s.n[TM_LEVEL_WARNING], s.n[TM_LEVEL_NOTE]);
    if (c->nunmodeled)
        tm_buf_printf(b, "; %zu repositor%s with code and no threat model", c->nunmodeled,
                      c->nunmodeled == 1 ? "y" : "ies");
    tm_buf_adds(b, "\n\n");
    tm_buf_printf(b, "%-48s %-15s %5s %5s %5s %7s %6s %6s %8s %6s %-10s %s\n", "MODEL", "FORMAT", "ERR", "WARN", "NOTE",
                  "THREATS", "MITIG", "ACCEPT", "CRITERIA", "META", "CI", "LAST REVIEW");
    for (size_t i = 0; i < s.nmodels; i++) {
        const model_row *m = &s.models[i];
        const tm_file *f = &c->files[m->file];
        shares sh;
        model_shares(c, f, &sh);
        /* a directory name may hold control characters: escaped for the terminal */
        tm_buf path;
        tm_buf_init(&path);
        tm_esc_text(&path, f->path, 0);
        if (f->failed)
            tm_buf_printf(b, "%-48s %-15s %s\n", path.p, "-", "could not be checked");
        else
            tm_buf_printf(b, "%-48s %-15s %5zu %5zu %5zu %7u %6s %6s %8s %6s %-10s %s\n", path.p,
                          f->stats.format[0] ? f->stats.format : "-", m->n[TM_LEVEL_ERROR],
                          m->n[TM_LEVEL_WARNING], m->n[TM_LEVEL_NOTE], f->stats.threats, sh.mit, sh.acc, sh.cri, sh.meta,
                          f->stats.ci_cannot_fail ? "can't fail" : "-", sh.age);
        tm_buf_free(&path);
    }
    tm_buf_printf(b, "\n%-40s %7s %9s\n", "RULE", "MODELS", "FINDINGS");
    for (size_t i = 0; i < s.nrules; i++) {
        const tm_rule *r = &c->rules[s.rules[i].rule];
        char name[64];
        snprintf(name, sizeof name, "%s %s", r->id, r->name);
        tm_buf_printf(b, "%-40s %7zu %9zu\n", name, s.rules[i].models, s.rules[i].findings);
    }
    if (c->nunmodeled) {
        tm_buf_printf(b, "\n%-48s %7s %7s %8s\n", "REPOSITORY WITH CODE AND NO THREAT MODEL", "FILES", "CODE", "COMMITS");
        for (size_t i = 0; i < c->nunmodeled; i++) {
            const tm_unmodeled *u = &c->unmodeled[i];
            char cm[32];
            commits_text(u, cm, sizeof cm);
            tm_buf path;
            tm_buf_init(&path);
            tm_esc_text(&path, u->path, 0);
            tm_buf_printf(b, "%-48s %6zu%s %7zu %8s\n", path.p, u->files, u->more_files ? "+" : " ", u->code, cm);
            tm_buf_free(&path);
        }
    }
    summary_free(&s);
}

/* ---- HTML: one self-contained page, no scripts, no fetches ---- */

#define h tm_out_markup

/* A horizontal bar chart: one bar per row, labels left, values right. */
static void bar_chart(tm_buf *b, const char *title, const char *const *labels, const size_t *values, size_t n)
{
    size_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    int row = 22, height = (int)n * row + 10;
    tm_buf_adds(b, "<figure><figcaption>");
    h(b, title);
    tm_buf_printf(b, "</figcaption><svg role=\"img\" width=\"760\" height=\"%d\" viewBox=\"0 0 760 %d\">\n", height, height);
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * row + 5, w = (int)(values[i] * 420 / max);
        tm_buf_printf(b, "<text x=\"270\" y=\"%d\" text-anchor=\"end\">", y + 15);
        h(b, labels[i]);
        tm_buf_printf(b, "</text><rect x=\"280\" y=\"%d\" width=\"%d\" height=\"16\" class=\"bar\"/>"
                         "<text x=\"%d\" y=\"%d\">%zu</text>\n", y + 2, w ? w : 1, 286 + w, y + 15, values[i]);
    }
    tm_buf_adds(b, "</svg></figure>\n");
}

/* The path of `target` relative to directory `base` (both absolute, real
 * paths), for links that keep working when the report moves with the
 * models. Caller frees. */
static char *relative_to(const char *base, const char *target)
{
    size_t common = 0, i = 0;
    for (; base[i] && base[i] == target[i]; i++)
        if (base[i] == '/')
            common = i + 1;
    if (!base[i] && target[i] == '/')
        common = i + 1;
    tm_buf b;
    tm_buf_init(&b);
    for (const char *p = base + common; *p; p++)
        if (*p == '/' || p == base + common)
            tm_buf_adds(&b, "../");
    if (common == strlen(base) + 1 || (!base[common] && common))
        b.len = 0;
    tm_buf_adds(&b, target + common);
    return tm_buf_detach(&b);
}

/* A relative link no browser can read a scheme into: "./" or "../" in
 * front, and every byte but unreserved ones and "/" percent-encoded. */
static char *safe_link(const char *rel)
{
    static const char hex[] = "0123456789ABCDEF";
    tm_buf u;
    tm_buf_init(&u);
    if (strncmp(rel, "../", 3))
        tm_buf_adds(&u, "./");
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
            tm_buf_addc(&u, (char)*p);
        } else {
            tm_buf_addc(&u, '%');
            tm_buf_addc(&u, hex[*p >> 4]);
            tm_buf_addc(&u, hex[*p & 15]);
        }
    }
    return tm_buf_detach(&u);
}

/* Where a finding's link points: the model relative to the page (or to the
 * working directory when the page goes to stdout). */
static char *link_to(const tm_ctx *c, const tm_file *f)
{
    char file[4096], dir[4096];
    if (!realpath(f->path, file))
        return safe_link(f->path[0] == '/' ? f->path + 1 : f->path);
    if (c->opts.output) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s", c->opts.output);
        char *slash = strrchr(tmp, '/');
        if (slash)
            *slash = 0;
        if (!realpath(slash ? (tmp[0] ? tmp : "/") : ".", dir))
            return safe_link(f->path[0] == '/' ? f->path + 1 : f->path);
    } else if (!realpath(".", dir)) {
        return safe_link(f->path[0] == '/' ? f->path + 1 : f->path);
    }
    char *rel = relative_to(dir, file);
    char *link = safe_link(rel);
    free(rel);
    return link;
}

void tm_out_audit_html(const tm_ctx *c, tm_buf *b)
{
    summary s;
    summarise(c, &s);
    tm_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                   /* no scripts at all, no handlers, no fetches: only the page's own style */
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                   "img-src data:; base-uri 'none'; form-action 'none'\">\n<title>tmlint audit</title>\n"
                   "<style>\nbody{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}\n"
                   "h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}\n"
                   ".cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:8em}\n"
                   ".card b{display:block;font-size:1.8em}.error{color:#b00020}.warning{color:#a05a00}.note{color:#00639b}\n"
                   "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #eee;vertical-align:top}\n"
                   "td.num{text-align:right}svg text{font:12px system-ui,sans-serif}rect.bar{fill:#4a6fa5}\n"
                   "figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:.3em}\n</style></head><body>\n");
    tm_buf_printf(b, "<h1>Threat model audit</h1>\n<p>%zu models checked on %s by tmlint %s.</p>\n",
                  s.nmodels, c->now, TMLINT_VERSION);
    size_t clean = 0;
    for (size_t i = 0; i < s.nmodels; i++)
        clean += !s.models[i].n[TM_LEVEL_ERROR] && !c->files[s.models[i].file].failed;
    tm_buf_printf(b, "<section id=\"health\"><h2>Health</h2><div class=\"cards\">\n"
                     "<div class=\"card\"><b>%zu</b>models</div>\n"
                     "<div class=\"card\"><b>%zu</b>repositories with code and no model</div>\n"
                     "<div class=\"card\"><b>%zu</b>without errors</div>\n"
                     "<div class=\"card error\"><b>%zu</b>errors</div>\n"
                     "<div class=\"card warning\"><b>%zu</b>warnings</div>\n"
                     "<div class=\"card note\"><b>%zu</b>notes</div>\n"
                     "<div class=\"card\"><b>%zu</b>could not be checked</div></div></section>\n",
                  s.nmodels, c->nunmodeled, clean, s.n[TM_LEVEL_ERROR], s.n[TM_LEVEL_WARNING], s.n[TM_LEVEL_NOTE], s.failed);
    size_t nr = s.nrules < 20 ? s.nrules : 20, nm = s.nmodels < 20 ? s.nmodels : 20;
    const char **labels = tm_xcalloc((nr > nm ? nr : nm) + 1, sizeof *labels);
    size_t *values = tm_xcalloc((nr > nm ? nr : nm) + 1, sizeof *values);
    char (*names)[80] = tm_xcalloc(nr + 1, sizeof *names);
    for (size_t i = 0; i < nr; i++) {
        const tm_rule *r = &c->rules[s.rules[i].rule];
        snprintf(names[i], sizeof names[i], "%s %s", r->id, r->name);
        labels[i] = names[i];
        values[i] = s.rules[i].findings;
    }
    tm_buf_adds(b, "<section id=\"charts\"><h2>Findings</h2>\n");
    bar_chart(b, "Findings per rule", labels, values, nr);
    for (size_t i = 0; i < nm; i++) {
        const model_row *m = &s.models[i];
        labels[i] = c->files[m->file].path;
        values[i] = m->n[TM_LEVEL_ERROR] + m->n[TM_LEVEL_WARNING] + m->n[TM_LEVEL_NOTE];
    }
    bar_chart(b, "Findings per model", labels, values, nm);
    tm_buf_adds(b, "</section>\n<section id=\"models\"><h2>Models</h2>\n<table><thead><tr><th>Model</th><th>Format</th>"
                   "<th>Errors</th><th>Warnings</th><th>Notes</th><th>Threats</th><th>Mitigated</th><th>Accepted</th>"
                   "<th>With criteria</th><th title=\"meta threats its format lets tmlint check, of those a model or repository can show\">Meta threats checked</th><th title=\"its repository's CI runs tmlint so that it can never fail (TM346)\">CI</th><th>Last review</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < s.nmodels; i++) {
        const model_row *m = &s.models[i];
        const tm_file *f = &c->files[m->file];
        shares sh;
        model_shares(c, f, &sh);
        tm_buf_printf(b, "<tr><td><a href=\"#m%zu\">", m->file);
        h(b, f->path);
        tm_buf_adds(b, "</a></td><td>");
        h(b, f->failed ? "not checked" : f->stats.format);
        tm_buf_printf(b, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                         "<td class=\"num\">%u</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td><td>%s</td></tr>\n",
                      m->n[TM_LEVEL_ERROR], m->n[TM_LEVEL_WARNING], m->n[TM_LEVEL_NOTE], f->stats.threats, sh.mit, sh.acc,
                      sh.cri, sh.meta, f->stats.ci_cannot_fail ? "can't fail" : "-", sh.age);
    }
    tm_buf_adds(b, "</tbody></table></section>\n<section id=\"details\"><h2>Findings by model</h2>\n");
    for (size_t i = 0; i < s.nmodels; i++) {
        const tm_file *f = &c->files[s.models[i].file];
        tm_buf_printf(b, "<h3 id=\"m%zu\">", s.models[i].file);
        h(b, f->path);
        tm_buf_adds(b, "</h3>\n");
        size_t shown = 0;
        for (size_t k = 0; k < c->findings.n; k++) {
            const tm_finding *x = &c->findings.v[k];
            if (x->file != s.models[i].file || x->justification || x->baseline == TM_BASE_ABSENT)
                continue;
            if (!shown++)
                tm_buf_adds(b, "<table><thead><tr><th>Line</th><th>Level</th><th>Rule</th><th>Message</th></tr></thead><tbody>\n");
            const tm_rule *r = &c->rules[x->rule];
            tm_buf_adds(b, "<tr><td><a href=\"");
            char *link = link_to(c, f);
            h(b, link);
            free(link);
            tm_buf_printf(b, "#L%u\">%u:%u</a></td><td class=\"%s\">%s</td><td>%s ", x->line, x->line, x->col,
                          tm_level_name(x->level), tm_level_name(x->level), r->id);
            h(b, r->name);
            tm_buf_adds(b, "</td><td>");
            h(b, x->msg);
            tm_buf_adds(b, "</td></tr>\n");
        }
        if (shown)
            tm_buf_adds(b, "</tbody></table>\n");
        else
            tm_buf_adds(b, f->failed ? "<p>Could not be checked; see the errors tmlint printed.</p>\n"
                                     : "<p>No findings.</p>\n");
    }
    tm_buf_adds(b, "</section>\n");
    if (c->nunmodeled) {
        tm_buf_adds(b, "<section id=\"unmodeled\"><h2>Repositories with code and no threat model</h2>\n"
                       "<table><thead><tr><th>Repository</th><th>Files</th><th>Code files</th><th>Commits</th></tr>"
                       "</thead><tbody>\n");
        for (size_t i = 0; i < c->nunmodeled; i++) {
            const tm_unmodeled *u = &c->unmodeled[i];
            char cm[32];
            commits_text(u, cm, sizeof cm);
            tm_buf_adds(b, "<tr><td>");
            h(b, u->path);
            tm_buf_printf(b, "</td><td class=\"num\">%zu%s</td><td class=\"num\">%zu</td><td class=\"num\">%s</td></tr>\n",
                          u->files, u->more_files ? "+" : "", u->code, cm);
        }
        tm_buf_adds(b, "</tbody></table></section>\n");
    }
    tm_buf_adds(b, "</body></html>\n");
    free(labels);
    free(values);
    free(names);
    summary_free(&s);
}
