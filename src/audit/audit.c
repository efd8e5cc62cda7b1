#include "audit.h"
#include "esc.h"
#include "unmodeled.h"
#include "include.h"
#include "io.h"
#include "run.h"
#include "walk.h"
#include "weblink.h"
#include "repo.h"
#include "strmap.h"
#include <limits.h>
#include "utf8.h"
#include "wire.h"

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the worker protocol: length-prefixed records on a pipe (wire.h) ---- */

void tm_audit_wire_leads(tm_buf *b, const tm_file *f)
{
    tm_wire_u32(b, (uint32_t)f->stats.nlead);
    for (size_t i = 0; i < f->stats.nlead; i++) {
        const tm_lead *x = &f->stats.lead[i];
        tm_wire_u32(b, (uint32_t)x->kind);
        tm_wire_str(b, x->id);
        tm_wire_str(b, x->title);
        tm_wire_str(b, x->rating);
        tm_wire_str(b, x->date);
        tm_wire_str(b, x->by);
        tm_wire_u32(b, x->line);
        tm_wire_u32(b, x->col);
    }
}

int tm_audit_wire_get_leads(tm_wire_reader *r, tm_file *f)
{
    uint32_t nlead = tm_wire_get_u32(r);
    if (r->bad || nlead > 100000 || nlead > r->left / 32)   /* each takes 32 bytes at least */
        return -1;
    tm_lead_free(f->stats.lead, f->stats.nlead);
    f->stats.lead = nlead ? tm_xcalloc(nlead, sizeof *f->stats.lead) : NULL;
    f->stats.nlead = nlead;
    for (uint32_t i = 0; i < nlead; i++) {
        tm_lead *x = &f->stats.lead[i];
        uint32_t kind = tm_wire_get_u32(r);
        x->kind = kind <= TM_LEAD_DUE ? (tm_lead_kind)kind : TM_LEAD_HIGH;
        x->id = tm_wire_get_str(r);
        x->title = tm_wire_get_str(r);
        x->rating = tm_wire_get_str(r);
        x->date = tm_wire_get_str(r);
        x->by = tm_wire_get_str(r);
        x->line = tm_wire_get_u32(r);
        x->col = tm_wire_get_u32(r);
    }
    return r->bad ? -1 : 0;
}

/* One file's results as a record: the file's flags and numbers, then its
 * diagnostics and findings. */
static void encode_file(tm_ctx *c, uint32_t fi, size_t diag0, tm_buf *b)
{
    tm_buf rec;
    tm_buf_init(&rec);
    const tm_file *f = &c->files[fi];
    tm_wire_u32(&rec, fi);
    tm_wire_u32(&rec, (uint32_t)f->failed);
    tm_wire_u32(&rec, (uint32_t)f->rule_failed);
    tm_wire_u32(&rec, (uint32_t)f->stats.models);
    tm_wire_u32(&rec, f->stats.threats);
    tm_wire_u32(&rec, f->stats.mitigated);
    tm_wire_u32(&rec, f->stats.claimed);
    tm_wire_u32(&rec, f->stats.accepted);
    tm_wire_u32(&rec, f->stats.essentials);
    tm_wire_u32(&rec, f->stats.with_criteria);
    for (int k = 0; k < 4; k++)
        tm_wire_u32(&rec, f->stats.counts[k]);
    tm_audit_wire_leads(&rec, f);
    tm_wire_str(&rec, f->stats.reviewed);
    tm_wire_str(&rec, f->stats.format);
    tm_wire_str(&rec, f->stats.owner);
    tm_wire_str(&rec, f->na_format);   /* the rules its format cannot feed */
    tm_wire_u32(&rec, (uint32_t)f->nna);
    for (size_t i = 0; i < f->nna; i++)
        tm_wire_u32(&rec, f->na[i]);
    tm_wire_u32(&rec, (uint32_t)(c->diags.n - diag0));
    for (size_t i = diag0; i < c->diags.n; i++) {
        tm_wire_diag(&rec, &c->diags.v[i]);
    }
    tm_wire_u32(&rec, (uint32_t)c->findings.n);
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *x = &c->findings.v[i];
        tm_wire_finding(&rec, x);
        /* a finding in an included file: that file, which the parent may not know yet */
        tm_wire_str(&rec, x->file != fi ? c->files[x->file].path : "");
    }
    tm_wire_u32(b, (uint32_t)rec.len);
    tm_buf_add(b, rec.p, rec.len);
    tm_buf_free(&rec);
}

/* Merges one record; its diagnostics go to per_file[fi] to keep file order. */
static int decode_file(tm_ctx *c, tm_wire_reader *r, tm_diags *per_file)
{
    uint32_t fi = tm_wire_get_u32(r);
    if (r->bad || fi >= c->nfiles)
        return -1;
    tm_file *f = &c->files[fi];
    f->failed = (int)tm_wire_get_u32(r);
    f->rule_failed = (int)tm_wire_get_u32(r);
    f->stats.models = (int)tm_wire_get_u32(r);
    f->stats.threats = tm_wire_get_u32(r);
    f->stats.mitigated = tm_wire_get_u32(r);
    f->stats.claimed = tm_wire_get_u32(r);
    f->stats.accepted = tm_wire_get_u32(r);
    f->stats.essentials = tm_wire_get_u32(r);
    f->stats.with_criteria = tm_wire_get_u32(r);
    for (int k = 0; k < 4; k++)
        f->stats.counts[k] = tm_wire_get_u32(r);
    if (tm_audit_wire_get_leads(r, f) != 0)
        return -1;
    char *rev = tm_wire_get_str(r), *fmt = tm_wire_get_str(r), *own = tm_wire_get_str(r);
    snprintf(f->stats.reviewed, sizeof f->stats.reviewed, "%s", rev ? rev : "");
    snprintf(f->stats.format, sizeof f->stats.format, "%s", fmt ? fmt : "");
    tm_utf8_copy(f->stats.owner, sizeof f->stats.owner, own ? own : "");
    free(rev);
    free(fmt);
    free(own);
    char *naf = tm_wire_get_str(r);
    snprintf(f->na_format, sizeof f->na_format, "%s", naf ? naf : "");
    free(naf);
    uint32_t nna = tm_wire_get_u32(r);
    if (r->bad || nna > c->nrules)
        return -1;
    free(f->na);
    f->na = nna ? tm_xcalloc(nna, sizeof *f->na) : NULL;
    f->nna = 0;
    for (uint32_t i = 0; i < nna && !r->bad; i++) {
        uint32_t ri = tm_wire_get_u32(r);
        if (ri < c->nrules)
            f->na[f->nna++] = ri;
    }
    uint32_t nd = tm_wire_get_u32(r);
    for (uint32_t i = 0; i < nd && !r->bad; i++)
        tm_wire_get_diag(r, &per_file[fi]);
    uint32_t nf = tm_wire_get_u32(r);
    for (uint32_t i = 0; i < nf && !r->bad; i++) {
        tm_finding *x = tm_wire_get_finding(r, &c->findings, (uint32_t)c->nrules);
        char *part = tm_wire_get_str(r);
        if (!x || r->bad) {
            if (x)
                x->file = fi;
            free(part);
            r->bad = 1;
            break;
        }
        x->file = part && *part ? tm_include_part_file(c, fi, part) : fi;
        if (x->element && !*x->element) {
            free(x->element);
            x->element = NULL;
        }
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
        if (tm_io_write_all(fd, b.p, b.len) != 0)
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
            free(fds);   /* the parent's bookkeeping: the worker never returns to it */
            free(pids);
            free(in);
            free(used);
            free(per_file);
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
                tm_wire_reader r = {(const unsigned char *)in[k].p + used[k], in[k].len - used[k], 0};
                uint32_t len = tm_wire_get_u32(&r);
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

/* The repository whose SARIF run holds a file: the nearest parent with
 * .git, else the run's root. Caller frees. */
static char *run_root_of(const tm_ctx *c, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return tm_xstrdup(c->root ? c->root : "/");
    for (char *slash = strrchr(real, '/'); slash; slash = strrchr(real, '/')) {
        *slash = 0;
        char probe[PATH_MAX + 8];
        struct stat st;
        snprintf(probe, sizeof probe, "%s/.git", real);
        if (stat(probe, &st) == 0) {
            tm_buf b;
            tm_buf_init(&b);
            tm_buf_printf(&b, "%s/", real);
            return tm_buf_detach(&b);
        }
        if (slash == real)
            break;
    }
    return tm_xstrdup(c->root ? c->root : "/");
}

/* Where a file goes in the audit's SARIF: its repository's run, and its
 * URI there (relative to that repository when inside it). Found here,
 * with the files at hand, so that a merge of shards needs none of them. */
static void run_place(const tm_ctx *c, tm_file *f)
{
    f->run_root = f->baseline_only ? tm_xstrdup(c->root ? c->root : "/") : run_root_of(c, f->path);
    char real[PATH_MAX];
    size_t rl = strlen(f->run_root);
    if (!f->baseline_only && realpath(f->path, real) && !strncmp(real, f->run_root, rl)) {
        tm_buf u;
        tm_buf_init(&u);
        tm_walk_uri_escape_rel(&u, real + rl);
        f->run_uri = tm_buf_detach(&u);
        f->run_rel = 1;
    } else {
        f->run_uri = tm_xstrdup(f->uri);
        f->run_rel = f->relative;
    }
}

/* "file://" and the absolute path, percent-encoded */
static char *file_url(const char *path)
{
    char real[PATH_MAX];
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b, "file://");
    if (realpath(path, real)) {
        tm_weblink_encode(&b, real);
    } else {
        char cwd[PATH_MAX];
        if (path[0] != '/' && getcwd(cwd, sizeof cwd)) {
            tm_weblink_encode(&b, cwd);
            tm_buf_addc(&b, '/');
        }
        tm_weblink_encode(&b, path);
    }
    return tm_buf_detach(&b);
}

/* A remote URL as an identity: no scheme, no credentials, no ".git" or
 * trailing slash, the host in lower case; scp-like "git@host:owner/repo"
 * reads as "host/owner/repo". NULL when nothing is left. */
char *tm_audit_remote_identity(const char *url)
{
    const char *p = url;
    const char *scheme = strstr(p, "://");
    int scp = 0;
    if (scheme)
        p = scheme + 3;
    const char *slash = strchr(p, '/');
    const char *at = strchr(p, '@');
    if (at && (!slash || at < slash))   /* user or user:token, dropped */
        p = at + 1;
    if (!scheme) {
        const char *colon = strchr(p, ':');
        slash = strchr(p, '/');
        scp = colon && (!slash || colon < slash);
    }
    tm_buf b;
    tm_buf_init(&b);
    int in_host = 1;
    for (const char *q = p; *q; q++) {
        char ch = *q;
        if (in_host && (ch == '/' || (scp && ch == ':'))) {
            in_host = 0;
            ch = '/';
        } else if (in_host && ch >= 'A' && ch <= 'Z') {
            ch = (char)(ch - 'A' + 'a');
        }
        tm_buf_addc(&b, ch);
    }
    while (b.len && b.p[b.len - 1] == '/')
        b.p[--b.len] = 0;
    if (b.len > 4 && !strcmp(b.p + b.len - 4, ".git"))
        b.p[b.len -= 4] = 0;
    if (!b.len) {
        tm_buf_free(&b);
        return NULL;
    }
    return tm_buf_detach(&b);
}

char *tm_audit_repo_identity(tm_ctx *c, const char *root)
{
    char commit[41], *remote = NULL;
    char *id = NULL;
    if (tm_repo_head_remote(&c->repos, root, commit, &remote) == 0 && remote)
        id = tm_audit_remote_identity(remote);
    free(remote);
    if (!id) {
        char *r = tm_xstrdup(root);
        size_t n = strlen(r);
        while (n > 1 && r[n - 1] == '/')
            r[--n] = 0;
        const char *name = strrchr(r, '/');
        id = tm_xstrdup(name ? name + 1 : r);
        free(r);
    }
    return id;
}

void tm_audit_links(tm_ctx *c)
{
    tm_strmap bases;   /* root -> "https://host/repo/blob/COMMIT/", or "" */
    tm_strmap_init(&bases);
    tm_strmap rids;    /* root -> the repository's identity */
    tm_strmap_init(&rids);
    for (size_t i = 0; i < c->nfiles; i++) {
        tm_file *f = &c->files[i];
        if (!f->run_root)
            run_place(c, f);
        if (f->web || !f->path || !strcmp(f->path, "-"))
            continue;
        const char *why, *root = c->opts.no_repo ? NULL : tm_repo_root(&c->repos, f->path, &why);
        const char *base = NULL;
        if (root) {
            void **slot = tm_strmap_get(&bases, root);
            if (!slot) {
                char commit[41], *remote = NULL;
                const char *blob = NULL;
                char *repo = NULL;
                if (tm_repo_head_remote(&c->repos, root, commit, &remote) == 0 && remote)
                    repo = tm_weblink_repo(remote, &blob);
                tm_buf b;
                tm_buf_init(&b);
                if (repo)
                    tm_buf_printf(&b, "%s%s%s/", repo, blob, commit);
                else
                    tm_buf_adds(&b, "");
                free(repo);
                free(remote);
                tm_strmap_put(&bases, root, tm_buf_detach(&b));
                slot = tm_strmap_get(&bases, root);
            }
            base = *slot;
        }
        /* the identity: the repository (its remote, else its directory's
         * name) and the path in it; without a repository, the real path */
        if (!f->identity) {
            char *in_repo = root ? tm_repo_rel(root, f->path) : NULL;
            const char *rid = NULL;
            if (root) {   /* once per repository */
                void **slot = tm_strmap_get(&rids, root);
                if (!slot) {
                    tm_strmap_put(&rids, root, tm_audit_repo_identity(c, root));
                    slot = tm_strmap_get(&rids, root);
                }
                rid = *slot;
            }
            tm_buf id;
            tm_buf_init(&id);
            char real[PATH_MAX];
            if (rid && in_repo)
                tm_buf_printf(&id, "%s:%s", rid, in_repo);
            else
                tm_buf_adds(&id, realpath(f->path, real) ? real : f->path);
            f->identity = tm_buf_detach(&id);
            free(in_repo);
        }
        char *rel = base && *base ? tm_repo_rel(root, f->path) : NULL;
        if (rel) {
            tm_buf b;
            tm_buf_init(&b);
            tm_buf_adds(&b, base);
            tm_weblink_encode(&b, rel);
            f->web = tm_buf_detach(&b);
            free(rel);
        } else {
            f->web = file_url(f->path);
        }
    }
    for (size_t i = 0; i < bases.cap; i++)
        if (bases.keys && bases.keys[i])
            free(bases.vals[i]);
    tm_strmap_free(&bases);
    for (size_t i = 0; i < rids.cap; i++)
        if (rids.keys && rids.keys[i])
            free(rids.vals[i]);
    tm_strmap_free(&rids);
}
