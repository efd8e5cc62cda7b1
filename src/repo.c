#include "repo.h"
#include "buf.h"
#include "config.h"
#include <stdint.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One walk of a repository's history, newest first. */
typedef struct hist {
    char *root;
    size_t n;            /* commits walked */
    long long *when;
    char (*id)[41];
    tm_strmap newest;    /* path -> 1 + index of the newest commit that changed it */
    int failed;
    const char *why;
} hist;

struct tm_repo_ent {
    char *dir;       /* the directory asked about */
    char *root;      /* its repository's work tree, or NULL */
    const char *why;
    hist *h;         /* set on the first entry of each root that is walked */
};

static char *dir_of(const char *file)
{
    char *d = tm_xstrdup(file);
    char *slash = strrchr(d, '/');
    if (!slash) {
        free(d);
        return tm_xstrdup(".");
    }
    if (slash == d)
        slash[1] = 0;
    else
        *slash = 0;
    return d;
}

/* The nearest directory at or above e->dir that holds a .git (a directory,
 * or a file as in worktrees and submodules). */
static void find_root(struct tm_repo_ent *e)
{
    char real[PATH_MAX];
    if (!realpath(e->dir, real)) {
        e->why = "the file's directory cannot be resolved";
        return;
    }
    size_t n = strlen(real);
    for (;;) {
        tm_buf b;
        tm_buf_init(&b);
        tm_buf_add(&b, real, n);
        tm_buf_adds(&b, n && real[n - 1] == '/' ? ".git" : "/.git");
        struct stat st;
        int found = lstat(b.p, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
        tm_buf_free(&b);
        if (found) {
            tm_buf_init(&b);
            tm_buf_add(&b, real, n);
            if (!n || real[n - 1] != '/')
                tm_buf_addc(&b, '/');
            e->root = tm_buf_detach(&b);
            return;
        }
        if (n <= 1)
            break;
        while (n > 1 && real[n - 1] != '/')
            n--;
        if (n > 1)
            n--;   /* drop the slash too, unless it is the root */
    }
    e->why = "not in a git repository";
}

const char *tm_repo_root(tm_repos *rs, const char *file, const char **why)
{
    char *dir = dir_of(file);
    for (size_t i = 0; i < rs->n; i++)
        if (!strcmp(rs->v[i].dir, dir)) {
            free(dir);
            *why = rs->v[i].why;
            return rs->v[i].root;
        }
    rs->v = tm_xrealloc(rs->v, (rs->n + 1) * sizeof *rs->v);
    struct tm_repo_ent *e = &rs->v[rs->n++];
    e->dir = dir;
    e->root = NULL;
    e->why = NULL;
    e->h = NULL;
    find_root(e);
    *why = e->why;
    return e->root;
}

/* The real path of root/rel when it stays inside root; caller frees. */
static char *confined(const char *root, const char *rel)
{
    if (!*rel || rel[0] == '/' || strlen(rel) > 4096)
        return NULL;
    for (const char *p = rel; *p; p++)   /* no ".." component */
        if (p[0] == '.' && p[1] == '.' && (p == rel || p[-1] == '/') && (p[2] == '/' || p[2] == 0))
            return NULL;
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b, root);
    tm_buf_adds(&b, rel);
    char real[PATH_MAX];
    char *r = realpath(b.p, real) ? tm_xstrdup(real) : NULL;
    tm_buf_free(&b);
    size_t n = strlen(root);   /* root ends in '/' */
    if (r && !(strncmp(r, root, n) == 0 || (strlen(r) == n - 1 && strncmp(r, root, n - 1) == 0))) {
        free(r);   /* a symlink led outside */
        r = NULL;
    }
    return r;
}

int tm_repo_exists(const char *root, const char *rel)
{
    char *p = confined(root, rel);
    struct stat st;
    int ok = p && stat(p, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
    free(p);
    return ok;
}

int tm_repo_contains(const char *root, const char *rel, const char *text, size_t tlen, size_t *cost)
{
    *cost = 0;
    char *p = confined(root, rel);
    if (!p)
        return 0;
    int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    free(p);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > TM_REPO_MAX_READ) {
        close(fd);
        return 0;
    }
    char *buf = tm_xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    ssize_t r;
    while (got < (size_t)st.st_size && (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
        got += (size_t)r;
    close(fd);
    *cost = got;
    int found = 0;
    for (size_t i = 0; tlen > 0 && i + tlen <= got && !found; i++) {
        const char *hit = memchr(buf + i, text[0], got - tlen + 1 - i);
        if (!hit)
            break;
        i = (size_t)(hit - buf);
        found = memcmp(hit, text, tlen) == 0;
    }
    free(buf);
    return found;
}

static void hist_free(hist *h)
{
    if (!h)
        return;
    free(h->root);
    free(h->when);
    free(h->id);
    tm_strmap_free(&h->newest);
    free(h);
}

static int note_delta(const git_diff_delta *d, float progress, void *payload)
{
    (void)progress;
    void **arg = payload;
    hist *h = arg[0];
    size_t *cost = arg[1];
    const char *paths[2] = {d->new_file.path, d->old_file.path};
    for (int k = 0; k < 2; k++)
        if (paths[k] && !tm_strmap_get(&h->newest, paths[k]))
            tm_strmap_put(&h->newest, paths[k], (void *)(uintptr_t)h->n);   /* 1 + index: n is counted already */
    (*cost)++;
    return 0;
}

/* Walks up to max commits of HEAD's first-parent history. */
static void walk(tm_git *g, hist *h, size_t max, size_t *cost)
{
    git_repository *repo = NULL;
    git_revwalk *rw = NULL;
    if (g->git_repository_open(&repo, h->root) != 0 || g->git_revwalk_new(&rw, repo) != 0 ||
        g->git_revwalk_push_head(rw) != 0) {
        h->failed = 1;
        h->why = "its history cannot be read (no commit yet, or a damaged .git)";
        g->git_revwalk_free(rw);
        g->git_repository_free(repo);
        return;
    }
    g->git_revwalk_simplify_first_parent(rw);
    git_oid oid;
    size_t cap = 0;
    while (h->n < max && g->git_revwalk_next(&oid, rw) == 0) {
        git_commit *c = NULL, *p = NULL;
        git_tree *t = NULL, *pt = NULL;
        git_diff *diff = NULL;
        if (g->git_commit_lookup(&c, repo, &oid) != 0 || g->git_commit_tree(&t, c) != 0)
            break;
        if (g->git_commit_parentcount(c) > 0 &&
            (g->git_commit_parent(&p, c, 0) != 0 || g->git_commit_tree(&pt, p) != 0)) {
            /* a shallow clone's boundary: its parent is not here, and a
             * diff against nothing would say every file changed */
            h->why = "the history is shallow; only the commits that are here were read";
            g->git_tree_free(t);
            g->git_commit_free(c);
            break;
        }
        if (h->n == cap) {
            cap = cap ? cap * 2 : 256;
            h->when = tm_xrealloc(h->when, cap * sizeof *h->when);
            h->id = tm_xrealloc(h->id, cap * sizeof *h->id);
        }
        h->when[h->n] = (long long)g->git_commit_time(c);
        g->git_oid_tostr(h->id[h->n], sizeof h->id[h->n], &oid);
        h->n++;
        (*cost)++;
        if (g->git_diff_tree_to_tree(&diff, repo, pt, t, NULL) == 0) {
            void *arg[2] = {h, cost};
            g->git_diff_foreach(diff, note_delta, NULL, NULL, NULL, arg);
        }
        g->git_diff_free(diff);
        g->git_tree_free(pt);
        g->git_tree_free(t);
        g->git_commit_free(p);
        g->git_commit_free(c);
    }
    g->git_revwalk_free(rw);
    g->git_repository_free(repo);
}

int tm_repo_last_change(tm_repos *rs, const char *root, const char *const *globs, size_t nglobs,
                        size_t max_commits, size_t *age, long long *when, char *id, size_t *cost,
                        const char **why)
{
    *cost = 0;
    *why = NULL;
    hist *h = NULL;
    for (size_t i = 0; i < rs->n && !h; i++)
        if (rs->v[i].h && !strcmp(rs->v[i].h->root, root))
            h = rs->v[i].h;
    if (!h) {
        struct tm_repo_ent *e = NULL;
        for (size_t i = 0; i < rs->n && !e; i++)
            if (rs->v[i].root && !strcmp(rs->v[i].root, root))
                e = &rs->v[i];
        if (!e)
            return -1;
        h = e->h = tm_xcalloc(1, sizeof *h);
        h->root = tm_xstrdup(root);
        tm_strmap_init(&h->newest);
        const char *lwhy;
        if (tm_git_load(&rs->git, &lwhy) != 0) {
            h->failed = 1;
            h->why = lwhy;
        } else {
            walk(&rs->git, h, max_commits, cost);
        }
    }
    *why = h->why;
    if (h->failed)
        return -1;
    size_t best = 0;
    for (size_t i = 0; i < h->newest.cap; i++) {
        if (!h->newest.keys || !h->newest.keys[i])
            continue;
        size_t idx = (size_t)(uintptr_t)h->newest.vals[i];
        if (best && idx >= best)
            continue;
        for (size_t g = 0; g < nglobs; g++) {
            (*cost)++;
            if (tm_glob_match(globs[g], h->newest.keys[i])) {
                best = idx;
                break;
            }
        }
    }
    if (!best)
        return 0;
    *age = best - 1;
    *when = h->when[best - 1];
    memcpy(id, h->id[best - 1], 41);
    return 1;
}

char *tm_repo_rel(const char *root, const char *file)
{
    char real[PATH_MAX];
    if (!realpath(file, real))
        return NULL;
    size_t n = strlen(root);
    if (strncmp(real, root, n) != 0)
        return NULL;
    return tm_xstrdup(real + n);
}

void tm_repos_free(tm_repos *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->v[i].dir);
        free(rs->v[i].root);
        hist_free(rs->v[i].h);
    }
    free(rs->v);
    tm_git_unload(&rs->git);
    memset(rs, 0, sizeof *rs);
}
