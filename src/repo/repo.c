#include "repo.h"
#include "buf.h"
#include "glob.h"
#include "trailer.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One walk of a repository's history, newest first. */
typedef struct hist {
    char *root;
    size_t n;            /* commits walked */
    long long *when;
    char (*id)[41];
    tm_strmap newest;    /* path -> 1 + index of the newest commit that changed it */
    tm_strmap oldest;    /* path -> 1 + index of the oldest commit read that changed it */
    int failed;
    size_t visited;      /* tree entries looked at */
    const char *cut;     /* why the walk stopped inside a commit, or NULL */
    size_t max;          /* the commit limit it had */
    int bounded;         /* stopped at the commit limit or the time limit, with more to read */
    const char *why;
    char *err;           /* libgit2's own words for a failure, or NULL */
} hist;

/* The paths the change under check touches. */
typedef struct chg {
    tm_strmap paths;
    tm_strmap unack;     /* --changed-since: paths touched by commits without
                            a Threat-Model-Unchanged trailer, or by the work tree */
    int have_unack;
    int ack_cut;         /* the trailers could not all be read: none acknowledges */
    git_oid base;        /* the commit compared with: HEAD (--staged) or the merge base */
    int have_base;
    int failed;
    char *err;           /* why it could not be computed (for the report) */
} chg;

struct tm_repo_ent {
    char *dir;       /* the directory asked about */
    char *root;      /* its repository's work tree, or NULL */
    const char *why;
    hist *h;         /* set on the first entry of each root that is walked */
    chg *ch;         /* likewise, for the change under check */
    int ci_claimed;  /* a model of this root has its CI files read already */
    const char *refused;   /* why its git data is not read (boundary()), or NULL */
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
    memset(e, 0, sizeof *e);
    e->dir = dir;
    find_root(e);
    *why = e->why;
    return e->root;
}

/* Whether real path `r` is root (ending in '/') or inside it. */
static int inside(const char *root, const char *r)
{
    size_t n = strlen(root);
    return strncmp(r, root, n) == 0 || (strlen(r) == n - 1 && strncmp(r, root, n - 1) == 0);
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
    if (r && !inside(root, r)) {   /* root ends in '/' */
        free(r);   /* a symlink led outside */
        r = NULL;
    }
    return r;
}

char *tm_repo_resolve(tm_repos *rs, const char *owner, const char *name, char **fence, const char **why)
{
    *fence = NULL;
    *why = NULL;
    const char *rwhy;
    const char *root = tm_repo_root(rs, owner, &rwhy);
    char real[PATH_MAX];
    if (root) {
        *fence = tm_xstrdup(root);
    } else {   /* not in a repository: the owner's own directory */
        char *d = dir_of(owner);
        if (!realpath(d, real)) {
            free(d);
            *why = "its directory cannot be resolved";
            return NULL;
        }
        free(d);
        tm_buf b;
        tm_buf_init(&b);
        tm_buf_adds(&b, real);
        if (strcmp(real, "/"))
            tm_buf_addc(&b, '/');
        *fence = tm_buf_detach(&b);
    }
    tm_buf p;
    tm_buf_init(&p);
    if (name[0] == '/') {
        tm_buf_adds(&p, name);
    } else {
        const char *slash = strrchr(owner, '/');
        tm_buf_printf(&p, "%.*s%s", slash ? (int)(slash - owner + 1) : 0, owner, name);
    }
    char *r = NULL;
    if (!realpath(p.p, real))
        *why = strerror(errno);
    else if (!inside(*fence, real))
        *why = root ? "it leads outside the repository" : "it leads outside the directory of the file naming it (no git repository holds that file)";
    else
        r = tm_xstrdup(real);
    tm_buf_free(&p);
    return r;
}

int tm_repo_link_outside(tm_repos *rs, const char *path, char **fence, const char **why)
{
    struct stat st;
    *fence = NULL;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return 0;
    const char *slash = strrchr(path, '/');
    char *p = tm_repo_resolve(rs, path, slash ? slash + 1 : path, fence, why);
    int out = p == NULL;
    free(p);
    return out;
}

int tm_repo_exists(const char *root, const char *rel)
{
    char *p = confined(root, rel);
    struct stat st;
    int ok = p && stat(p, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
    free(p);
    return ok;
}

int tm_repo_open(const char *root, const char *rel)
{
    char *p = confined(root, rel);   /* refused now if it leads outside */
    if (!p)
        return -1;
    int fd = -1;
#if defined(SYS_openat2) && !defined(TM_NO_OPENAT2)   /* TM_NO_OPENAT2: to test the fallback */
    int dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
        how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
        fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof how);
        int e = errno;
        close(dir);
        if (fd >= 0 || (e != ENOSYS && e != EPERM && e != E2BIG)) {
            free(p);
            return fd;
        }
    }
#endif
    /* no openat2 (an old kernel, or a sandbox that filters it): open the
     * checked path, then ask the kernel what was opened */
    fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    free(p);
    if (fd < 0)
        return -1;
    char link[64], real[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof real - 1);
    if (n <= 0) {
        close(fd);
        return -1;
    }
    real[n] = 0;
    if (!inside(root, real)) {
        close(fd);
        return -1;
    }
    return fd;
}

int tm_repo_contains(const char *root, const char *rel, const char *text, size_t tlen, size_t *cost)
{
    *cost = 0;
    int fd = tm_repo_open(root, rel);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return 0;
    }
    if ((size_t)st.st_size > TM_REPO_MAX_READ) {   /* not read: unknown, not "absent" */
        close(fd);
        return -1;
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
    free(h->err);
    free(h->when);
    free(h->id);
    tm_strmap_free(&h->newest);
    tm_strmap_free(&h->oldest);
    free(h);
}


/* Walks up to max commits of HEAD's first-parent history. */
static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* libgit2's words, and for its ownership check (a checkout that belongs
 * to another user: a container's mounted volume, a CI runner's workspace)
 * what it means and the fix, which its message does not say. */
static char *git_err(tm_git *g)
{
    const git_error *e = g->git_error_last();
    const char *m = e && e->message ? e->message : "unknown libgit2 error";
    if (strstr(m, "safe.directory") || strstr(m, "not owned by current user")) {
        tm_buf b;
        tm_buf_init(&b);
        tm_buf_printf(&b, "the repository belongs to another user than the one running tmlint, and git's ownership"
                          " check refuses it; mark it trusted with `git config --global --add safe.directory DIR`"
                          " (DIR: the repository's root) or run tmlint as its owner (%s)", m);
        return tm_buf_detach(&b);
    }
    return tm_xstrdup(m);
}

/* Whether real path `p` (with or without a trailing '/') is root itself. */
static int same_dir(const char *root, const char *p)
{
    char real[PATH_MAX];
    if (!p || !realpath(p, real))
        return 0;
    size_t n = strlen(root);
    return strlen(real) == n - 1 && !strncmp(real, root, n - 1);
}

/* Whether path p resolves inside root. */
static int resolves_inside(const char *root, const char *p)
{
    char real[PATH_MAX];
    return p && realpath(p, real) && inside(root, real);
}

/* A .git file may send libgit2 to a git directory outside the work tree,
 * and a repository's own config (core.worktree) may move its work tree:
 * either way the history, remote or files read would be another tree's.
 * Allowed outside root are only the two layouts git itself makes, where
 * the git directory names this work tree back: a linked worktree (its
 * `gitdir` file holds root/.git) and a submodule (its core.worktree is
 * root). NULL when the repository keeps to root, else why not. */
static const char *boundary(tm_git *g, git_repository *repo, const char *root)
{
    const char *wd = g->git_repository_workdir(repo);
    if (!wd || !same_dir(root, wd))
        return "its work tree is set to another directory (core.worktree)";
    const char *gd = g->git_repository_path(repo), *cd = g->git_repository_commondir(repo);
    if (resolves_inside(root, gd) && resolves_inside(root, cd))
        return NULL;
    /* the git directory is elsewhere: only through a .git file, and named back */
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_printf(&b, "%s.git", root);
    struct stat st;
    int gitfile = lstat(b.p, &st) == 0 && S_ISREG(st.st_mode);
    tm_buf_free(&b);
    if (!gitfile || !gd)
        return "its git directory is outside it";
    int back = 0;
    tm_buf_init(&b);
    tm_buf_printf(&b, "%sgitdir", gd);
    int fd = open(b.p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {   /* a linked worktree: gitdir holds the path of root/.git */
        char link[PATH_MAX + 1];
        ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, link, PATH_MAX) : -1;
        close(fd);
        while (n > 0 && (link[n - 1] == '\n' || link[n - 1] == '\r'))
            n--;
        if (n > 5 && !memcmp(link + n - 5, "/.git", 5)) {
            link[n - 5] = 0;
            back = same_dir(root, link);
        }
    }
    tm_buf_free(&b);
    git_config *cfg = NULL;
    const char *wt = NULL;
    if (!back && g->git_repository_config_snapshot(&cfg, repo) == 0 &&
        g->git_config_get_string(&wt, cfg, "core.worktree") == 0 && wt) {
        /* a submodule: its core.worktree, relative to its git directory */
        tm_buf_init(&b);
        if (wt[0] == '/')
            tm_buf_adds(&b, wt);
        else
            tm_buf_printf(&b, "%s%s", gd, wt);
        back = same_dir(root, b.p);
        tm_buf_free(&b);
    }
    g->git_config_free(cfg);
    return back ? NULL : "its .git file points at a git directory outside it that does not name it back";
}

int tm_repo_git_open(tm_repos *rs, const char *root, git_repository **out, const char **why)
{
    *out = NULL;
    *why = NULL;
    struct tm_repo_ent *e = NULL;
    for (size_t i = 0; i < rs->n && !e; i++)
        if (rs->v[i].root && !strcmp(rs->v[i].root, root))
            e = &rs->v[i];
    if (e && e->refused) {
        *why = e->refused;
        return -2;
    }
    tm_git *g = &rs->git;
    git_repository *repo = NULL;
    if (g->git_repository_open(&repo, root) != 0)
        return -1;
    const char *no = boundary(g, repo, root);
    if (no) {
        g->git_repository_free(repo);
        if (e)
            e->refused = no;
        *why = no;
        return -2;
    }
    *out = repo;
    return 0;
}

/* The paths that differ between two trees, found by comparing entry ids
 * (libgit2's diff machinery reads configuration and attributes for every
 * diff, several times the cost of the comparison itself). */
typedef struct tdiff {
    tm_git *g;
    git_repository *repo;
    hist *h;
    size_t mark;         /* 1 + index of the commit the changes belong to */
    size_t *cost;
    int64_t deadline;    /* of the rule that asked, or 0 */
} tdiff;

/* What one history walk may do, whatever the repository holds: trees that
 * are reused under many names expand to far more paths than the
 * repository has bytes (a 76 KB repository, a billion paths). */
#define HIST_MAX_ENTRIES ((size_t)4000000)   /* tree entries looked at */
#define HIST_MAX_PATHS ((size_t)1000000)     /* distinct paths kept */

/* Whether the walk must stop: its entry or path bound, or the deadline
 * (read every 1,024 entries). Sets h->cut, said by tm_repos_report. */
static int cut_short(tdiff *d)
{
    hist *h = d->h;
    if (h->cut)
        return 1;
    h->visited++;
    if (h->visited > HIST_MAX_ENTRIES || h->newest.n > HIST_MAX_PATHS)
        h->cut = "it holds more paths than tmlint reads in one walk";
    else if (d->deadline && (h->visited & 1023) == 0 && mono_ns() > d->deadline)
        h->cut = "reading it took the time a rule may take";
    return h->cut != NULL;
}

static void note_path(tdiff *d, const char *path)
{
    if (!tm_strmap_get(&d->h->newest, path))
        tm_strmap_put(&d->h->newest, path, (void *)(uintptr_t)d->mark);
    tm_strmap_put(&d->h->oldest, path, (void *)(uintptr_t)d->mark);   /* the walk goes back in time */
}

static void tree_diff(tdiff *d, const git_tree *a, const git_tree *b, tm_buf *prefix, int depth);

/* One side of an entry changed: the entry itself, and all below it when it
 * is a tree that appeared, vanished or replaced a file. */
static void subtree(tdiff *d, const git_tree_entry *e, tm_buf *prefix, int depth, int newer)
{
    git_tree *t = NULL;
    if (d->g->git_tree_lookup(&t, d->repo, d->g->git_tree_entry_id(e)) == 0) {
        if (newer)
            tree_diff(d, NULL, t, prefix, depth);
        else
            tree_diff(d, t, NULL, prefix, depth);
    }
    d->g->git_tree_free(t);
}

static void tree_diff(tdiff *d, const git_tree *a, const git_tree *b, tm_buf *prefix, int depth)
{
    if (depth > 64)
        return;
    tm_git *g = d->g;
    size_t base = prefix->len;
    for (int side = 0; side < 2; side++) {
        /* side 0: entries of b (new or changed); side 1: entries of a gone from b */
        const git_tree *t = side ? a : b, *other = side ? b : a;
        size_t n = t ? g->git_tree_entrycount(t) : 0;
        for (size_t i = 0; i < n; i++) {
            const git_tree_entry *e = g->git_tree_entry_byindex(t, i);
            const char *name = g->git_tree_entry_name(e);
            const git_tree_entry *o = other ? g->git_tree_entry_byname(other, name) : NULL;
            (*d->cost)++;
            if (cut_short(d))
                break;
            if (side == 1 && o)
                continue;   /* seen from b's side */
            git_object_t ty = g->git_tree_entry_type(e);
            if (o && g->git_tree_entry_type(o) == ty &&
                !memcmp(g->git_tree_entry_id(o)->id, g->git_tree_entry_id(e)->id, sizeof g->git_tree_entry_id(e)->id))
                continue;   /* unchanged: most entries, most commits */
            prefix->len = base;
            tm_buf_adds(prefix, name);
            if (ty == GIT_OBJECT_TREE) {
                tm_buf_addc(prefix, '/');
                if (o && g->git_tree_entry_type(o) == GIT_OBJECT_TREE) {
                    git_tree *ta = NULL, *tb = NULL;
                    if (g->git_tree_lookup(&ta, d->repo, g->git_tree_entry_id(side ? e : o)) == 0 &&
                        g->git_tree_lookup(&tb, d->repo, g->git_tree_entry_id(side ? o : e)) == 0)
                        tree_diff(d, ta, tb, prefix, depth + 1);
                    g->git_tree_free(ta);
                    g->git_tree_free(tb);
                } else {
                    if (o) {   /* a file replaced by a directory, or the reverse */
                        prefix->len--;
                        prefix->p[prefix->len] = 0;
                        note_path(d, prefix->p);
                        tm_buf_addc(prefix, '/');
                    }
                    subtree(d, e, prefix, depth + 1, side == 0);
                }
            } else {
                note_path(d, prefix->p);
                if (o && g->git_tree_entry_type(o) == GIT_OBJECT_TREE) {
                    tm_buf_addc(prefix, '/');
                    subtree(d, o, prefix, depth + 1, side != 0);
                }
            }
        }
    }
    prefix->len = base;
    if (prefix->p)
        prefix->p[base] = 0;
}

/* The changes of the commit at index mark-1, whose tree is `newer`,
 * against its first parent's tree `older` (NULL for a root commit). */
static void diff_commit(tm_git *g, git_repository *repo, hist *h, size_t mark, const git_tree *older,
                        const git_tree *newer, size_t *cost, int64_t deadline)
{
    tdiff d = {g, repo, h, mark, cost, deadline};
    tm_buf prefix;
    tm_buf_init(&prefix);
    tm_buf_adds(&prefix, "");
    tree_diff(&d, older, newer, &prefix, 0);
    tm_buf_free(&prefix);
}

/* Walks up to max commits of HEAD's first-parent history, newest first.
 * With first parents only, each commit's parent is the next one the walk
 * gives, so every commit and tree is read once. */
static void walk(tm_repos *rs, hist *h, size_t max, int64_t deadline, size_t *cost)
{
    tm_git *g = &rs->git;
    git_repository *repo = NULL;
    git_revwalk *rw = NULL;
    const char *no;
    int orc = tm_repo_git_open(rs, h->root, &repo, &no);
    if (orc == -2) {   /* refused: said once by tm_repos_report */
        h->failed = 1;
        h->why = no;
        return;
    }
    if (orc != 0 || g->git_revwalk_new(&rw, repo) != 0 ||
        g->git_revwalk_push_head(rw) != 0) {
        h->failed = 1;
        h->why = "its history cannot be read (no commit yet, or a damaged .git)";
        h->err = git_err(g);
        g->git_revwalk_free(rw);
        g->git_repository_free(repo);
        return;
    }
    g->git_revwalk_simplify_first_parent(rw);
    int shallow = g->git_repository_is_shallow(repo) == 1;
    git_oid oid;
    size_t cap = 0;
    git_tree *newer = NULL;      /* the tree of the last commit recorded */
    git_commit *last = NULL;     /* that commit */
    int ended = 0;               /* the walk reached the first commit */
    for (;;) {
        if (g->git_revwalk_next(&oid, rw) != 0) {
            ended = 1;
            break;
        }
        git_commit *c = NULL;
        git_tree *t = NULL;
        if (g->git_commit_lookup(&c, repo, &oid) != 0 || g->git_commit_tree(&t, c) != 0) {
            g->git_commit_free(c);
            break;
        }
        if (newer)   /* the newer commit's changes: against this, its first parent */
            diff_commit(g, repo, h, h->n, t, newer, cost, deadline);
        if (h->n >= max || h->cut || (deadline && (h->n & 63) == 0 && mono_ns() > deadline)) {
            h->bounded = 1;   /* there is more history than was read */
            g->git_tree_free(t);
            g->git_commit_free(c);
            g->git_tree_free(newer);
            newer = NULL;
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
        g->git_tree_free(newer);
        g->git_commit_free(last);
        newer = t;
        last = c;
    }
    if (newer && ended) {
        /* the oldest commit read: a root commit added all its files; a
         * shallow clone's boundary (libgit2 leaves it out of the walk, or
         * shows it without parents) says nothing of what it changed */
        git_commit *p = NULL;
        git_tree *pt = NULL;
        if (g->git_commit_parentcount(last) == 0 && !shallow)
            diff_commit(g, repo, h, h->n, NULL, newer, cost, deadline);
        else if (g->git_commit_parentcount(last) > 0 && g->git_commit_parent(&p, last, 0) == 0 &&
                 g->git_commit_tree(&pt, p) == 0)
            diff_commit(g, repo, h, h->n, pt, newer, cost, deadline);
        else
            h->why = "the history is shallow; only the commits that are here were read";
        g->git_tree_free(pt);
        g->git_commit_free(p);
    }
    if (shallow && !h->bounded && !h->why)
        h->why = "the history is shallow; only the commits that are here were read";
    g->git_tree_free(newer);
    g->git_commit_free(last);
    g->git_revwalk_free(rw);
    g->git_repository_free(repo);
}

/* Whether `path` matches one of the globs: 1 or 0; with *why set, the
 * deadline passed (read every 256 pairs). Each match's steps are work
 * (*cost), and a match cut short at its step bound is no match. */
static int glob_any(const char *const *globs, size_t nglobs, const char *path, size_t *cost, size_t *pairs,
                    int64_t deadline, const char **why)
{
    for (size_t g = 0; g < nglobs; g++) {
        size_t budget = TM_GLOB_MAX_STEPS;
        int r = tm_glob_match_b(globs[g], path, &budget);
        *cost += 1 + (TM_GLOB_MAX_STEPS - budget) / 16;
        if (deadline && (++*pairs & 255) == 0 && mono_ns() > deadline) {
            *why = "matching its paths took the time a rule may take";
            return 1;
        }
        if (r == 1)
            return 1;
    }
    return 0;
}

int tm_repo_last_change(tm_repos *rs, const char *root, const char *const *globs, size_t nglobs, int first,
                        size_t max_commits, int64_t deadline, size_t *age, long long *when, char *id, size_t *cost,
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
        tm_strmap_init(&h->oldest);
        const char *lwhy;
        if (tm_git_load(&rs->git, &lwhy) != 0) {
            h->failed = 1;
            h->why = lwhy;
        } else {
            /* half the rule's time left: it must still compare and report */
            int64_t now = mono_ns();
            walk(rs, h, max_commits, deadline > now ? now + (deadline - now) / 2 : deadline, cost);
        h->max = max_commits;
        }
    }
    *why = h->why;
    if (h->failed)
        return -1;
    /* the newest change: the smallest index; the first: the largest */
    const tm_strmap *m = first ? &h->oldest : &h->newest;
    size_t best = 0;
    size_t pairs = 0;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys || !m->keys[i])
            continue;
        size_t idx = (size_t)(uintptr_t)m->vals[i];
        if (best && (first ? idx <= best : idx >= best))
            continue;
        const char *stop = NULL;
        if (glob_any(globs, nglobs, m->keys[i], cost, &pairs, deadline, &stop) != 0) {
            if (stop) {
                *why = stop;
                return -1;
            }
            best = idx;
        }
    }
    if (!best)
        return 0;
    *age = best - 1;
    *when = h->when[best - 1];
    memcpy(id, h->id[best - 1], 41);
    return 1;
}

static struct tm_repo_ent *root_ent(tm_repos *rs, const char *root)
{
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].root && !strcmp(rs->v[i].root, root))
            return &rs->v[i];
    return NULL;
}

static int note_changed(const git_diff_delta *d, float progress, void *payload)
{
    (void)progress;
    chg *ch = payload;
    if (d->new_file.path)
        tm_strmap_put(&ch->paths, d->new_file.path, (void *)1);
    if (d->old_file.path)
        tm_strmap_put(&ch->paths, d->old_file.path, (void *)1);
    return 0;
}

static void chg_err(chg *ch, tm_git *g, const char *what)
{
    char *m = git_err(g);
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_printf(&b, "%s (%s)", what, m);
    free(m);
    ch->failed = 1;
    ch->err = tm_buf_detach(&b);
}

/* Commits each side of a merge base is looked for in. libgit2's own
 * merge base walks both histories to their ends, with no bound: over a
 * million commits it is the whole run's time. */
#define MERGE_BASE_MAX_COMMITS ((size_t)200000)

/* The newest commit (by commit time) that both a and b reach, looking at
 * most MERGE_BASE_MAX_COMMITS commits back from each: NULL with *out, or
 * why there is none. The ancestors of a are kept as a set, so the search
 * is linear in the commits read. */
static const char *merge_base(tm_git *g, git_repository *repo, const git_oid *a, const git_oid *b, git_oid *out)
{
    /* TMLINT_MERGE_BASE_MAX: a lower bound, for the test that it holds */
    const char *env = getenv("TMLINT_MERGE_BASE_MAX");
    size_t max = env && atol(env) > 0 && (size_t)atol(env) < MERGE_BASE_MAX_COMMITS ? (size_t)atol(env)
                                                                                    : MERGE_BASE_MAX_COMMITS;
    tm_strmap seen;
    tm_strmap_init(&seen);
    git_revwalk *rw = NULL;
    git_oid oid;
    char hex[GIT_OID_HEXSZ + 1];
    size_t n = 0;
    int cut = 0;
    const char *why = "the change has no merge base with HEAD (a shallow clone needs more depth: fetch-depth 0)";
    if (g->git_revwalk_new(&rw, repo) == 0 && g->git_revwalk_push(rw, a) == 0) {
        while (g->git_revwalk_next(&oid, rw) == 0) {
            if (++n > max) {
                cut = 1;
                break;
            }
            g->git_oid_tostr(hex, sizeof hex, &oid);
            tm_strmap_put(&seen, hex, (void *)1);
        }
    }
    g->git_revwalk_free(rw);
    rw = NULL;
    n = 0;
    if (g->git_revwalk_new(&rw, repo) == 0 && g->git_revwalk_push(rw, b) == 0) {
        while (g->git_revwalk_next(&oid, rw) == 0) {
            if (++n > max) {
                cut = 1;
                break;
            }
            g->git_oid_tostr(hex, sizeof hex, &oid);
            if (tm_strmap_get(&seen, hex)) {
                *out = oid;
                why = NULL;
                break;
            }
        }
    }
    g->git_revwalk_free(rw);
    tm_strmap_free(&seen);
    if (why && cut)
        why = "the change's merge base with HEAD lies further back than tmlint looks (200,000 commits from each side);"
              " change-aware rules need a nearer --changed-since REF";
    return why;
}

/* Commits of a change whose trailers are read, one by one; past it the
 * whole change counts as unacknowledged. */
#define ACK_MAX_COMMITS ((size_t)10000)

static int note_unack(const git_diff_delta *d, float progress, void *payload)
{
    (void)progress;
    tm_strmap *m = payload;
    if (d->new_file.path)
        tm_strmap_put(m, d->new_file.path, (void *)1);
    if (d->old_file.path)
        tm_strmap_put(m, d->old_file.path, (void *)1);
    return 0;
}

/* --changed-since: the paths of the change that no commit acknowledges.
 * Each commit after the merge base counts with its own diff (against its
 * first parent), unless its message carries a Threat-Model-Unchanged
 * trailer with a reason; a merge commit brings nothing of its own (its
 * branch's commits are walked themselves); the work tree and index count
 * against HEAD, as they have no message. Returns 0, or -1 when it could
 * not be read in full (the caller then treats every path as unacknowledged). */
static int compute_unack(tm_git *g, git_repository *repo, const git_oid *head, const git_oid *mb, tm_strmap *out)
{
    git_revwalk *rw = NULL;
    git_commit *hc = NULL;
    git_tree *ht = NULL;
    git_diff *diff = NULL;
    int rc = -1;
    if (g->git_commit_lookup(&hc, repo, head) != 0 || g->git_commit_tree(&ht, hc) != 0 ||
        g->git_diff_tree_to_workdir_with_index(&diff, repo, ht, NULL) != 0)
        goto done;
    g->git_diff_foreach(diff, note_unack, NULL, NULL, NULL, out);
    g->git_diff_free(diff);
    diff = NULL;
    if (g->git_revwalk_new(&rw, repo) != 0 || g->git_revwalk_push(rw, head) != 0 || g->git_revwalk_hide(rw, mb) != 0)
        goto done;
    git_oid oid;
    size_t n = 0;
    int r;
    /* TMLINT_ACK_MAX: a lower bound, for the test that the cut is said */
    const char *env = getenv("TMLINT_ACK_MAX");
    size_t max = env && atol(env) > 0 && (size_t)atol(env) < ACK_MAX_COMMITS ? (size_t)atol(env) : ACK_MAX_COMMITS;
    while ((r = g->git_revwalk_next(&oid, rw)) == 0) {
        if (++n > max)
            goto done;
        git_commit *c = NULL, *parent = NULL;
        git_tree *t = NULL, *pt = NULL;
        int ok = g->git_commit_lookup(&c, repo, &oid) == 0;
        unsigned np = ok ? g->git_commit_parentcount(c) : 0;
        const char *msg = ok ? g->git_commit_message(c) : NULL;
        int acked = msg && tm_trailer_find(msg, strlen(msg), NULL) == 1;
        if (ok && np <= 1 && !acked) {
            ok = g->git_commit_tree(&t, c) == 0 &&
                 (np == 0 || (g->git_commit_parent(&parent, c, 0) == 0 && g->git_commit_tree(&pt, parent) == 0)) &&
                 g->git_diff_tree_to_tree(&diff, repo, pt, t, NULL) == 0;
            if (ok)
                g->git_diff_foreach(diff, note_unack, NULL, NULL, NULL, out);
            g->git_diff_free(diff);
            diff = NULL;
        }
        g->git_tree_free(t);
        g->git_tree_free(pt);
        g->git_commit_free(parent);
        g->git_commit_free(c);
        if (!ok)
            goto done;
    }
    rc = r == GIT_ITEROVER ? 0 : -1;
done:
    g->git_diff_free(diff);
    g->git_revwalk_free(rw);
    g->git_tree_free(ht);
    g->git_commit_free(hc);
    return rc;
}

/* The paths changed: the index against HEAD (--staged), or the work tree
 * and index against the merge base of REF and HEAD (--changed-since). */
static void compute_change(tm_repos *rs, const char *root, chg *ch)
{
    tm_git *g = &rs->git;
    git_repository *repo = NULL;
    git_object *obj = NULL, *peeled = NULL;
    git_commit *base = NULL;
    git_tree *tree = NULL;
    git_diff *diff = NULL;
    git_oid head, mb;
    const char *no;
    int orc = tm_repo_git_open(rs, root, &repo, &no);
    if (orc == -2) {
        ch->failed = 1;
        ch->err = tm_xstrdup(no);
        return;
    }
    if (orc != 0) {
        chg_err(ch, g, "the repository cannot be opened");
        return;
    }
    int have_head = g->git_reference_name_to_id(&head, repo, "HEAD") == 0;
    if (rs->change_staged) {
        if (have_head && (g->git_commit_lookup(&base, repo, &head) != 0 || g->git_commit_tree(&tree, base) != 0)) {
            chg_err(ch, g, "HEAD cannot be read");
            goto done;
        }
        if (have_head) {
            ch->base = head;
            ch->have_base = 1;
        }
        /* no HEAD yet (the first commit): everything staged is new */
        if (g->git_diff_tree_to_index(&diff, repo, tree, NULL, NULL) != 0) {
            chg_err(ch, g, "the index cannot be compared with HEAD");
            goto done;
        }
    } else {
        tm_buf what;
        tm_buf_init(&what);
        if (g->git_revparse_single(&obj, repo, rs->change_ref) != 0 ||
            g->git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0) {
            tm_buf_printf(&what, "--changed-since '%s' names no commit here", rs->change_ref);
            chg_err(ch, g, what.p);
            tm_buf_free(&what);
            goto done;
        }
        tm_buf_free(&what);
        const git_oid *ref = g->git_object_id(peeled);
        if (!have_head) {
            chg_err(ch, g, "HEAD names no commit");
            goto done;
        }
        const char *mbwhy = merge_base(g, repo, ref, &head, &mb);
        if (mbwhy) {
            ch->failed = 1;
            ch->err = tm_xstrdup(mbwhy);
            goto done;
        }
        ch->base = mb;
        ch->have_base = 1;
        if (g->git_commit_lookup(&base, repo, &mb) != 0 || g->git_commit_tree(&tree, base) != 0 ||
            g->git_diff_tree_to_workdir_with_index(&diff, repo, tree, NULL) != 0) {
            chg_err(ch, g, "the work tree cannot be compared with the merge base");
            goto done;
        }
    }
    g->git_diff_foreach(diff, note_changed, NULL, NULL, NULL, ch);
    if (!rs->change_staged) {
        ch->have_unack = 1;
        if (compute_unack(g, repo, &head, &mb, &ch->unack) != 0) {
            /* unread trailers acknowledge nothing */
            ch->ack_cut = 1;
            tm_strmap_free(&ch->unack);
            tm_strmap_init(&ch->unack);
            for (size_t i = 0; i < ch->paths.cap; i++)
                if (ch->paths.keys && ch->paths.keys[i])
                    tm_strmap_put(&ch->unack, ch->paths.keys[i], (void *)1);
        }
    }
done:
    g->git_diff_free(diff);
    g->git_tree_free(tree);
    g->git_commit_free(base);
    g->git_object_free(peeled);
    g->git_object_free(obj);
    g->git_repository_free(repo);
}

int tm_repo_claim_ci(tm_repos *rs, const char *root)
{
    struct tm_repo_ent *e = root_ent(rs, root);
    if (!e || e->ci_claimed)
        return 0;
    e->ci_claimed = 1;
    return 1;
}

int tm_repo_changed(tm_repos *rs, const char *root, const char *const *globs, size_t nglobs, int unack,
                    int64_t deadline, size_t *cost, const char **why)
{
    *cost = 0;
    *why = NULL;
    if (!rs->change_ref && !rs->change_staged) {
        *why = "no change is under check (give --changed-since REF, or --staged)";
        return -1;
    }
    struct tm_repo_ent *e = root_ent(rs, root);
    if (!e)
        return -1;
    if (!e->ch) {
        e->ch = tm_xcalloc(1, sizeof *e->ch);
        tm_strmap_init(&e->ch->paths);
        tm_strmap_init(&e->ch->unack);
        const char *lwhy;
        if (tm_git_load(&rs->git, &lwhy) != 0) {
            e->ch->failed = 1;
            e->ch->err = tm_xstrdup(lwhy);
        } else {
            compute_change(rs, root, e->ch);
        }
        *cost += e->ch->paths.n;
    }
    if (e->ch->failed) {
        *why = "the change under check could not be read";
        return -1;
    }
    const tm_strmap *m = unack && e->ch->have_unack ? &e->ch->unack : &e->ch->paths;
    size_t pairs = 0;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys || !m->keys[i])
            continue;
        const char *stop = NULL;
        if (glob_any(globs, nglobs, m->keys[i], cost, &pairs, deadline, &stop) != 0) {
            *why = stop;
            return stop ? -1 : 1;
        }
    }
    return 0;
}

int tm_repo_base_file(tm_repos *rs, const char *root, const char *rel, size_t max, char **data, size_t *len,
                      char *id, const char **why)
{
    *data = NULL;
    *len = 0;
    size_t cost;
    const char *globs[1] = {"**"};
    if (tm_repo_changed(rs, root, globs, 0, 0, 0, &cost, why) < 0)
        return -1;
    struct tm_repo_ent *e = root_ent(rs, root);
    if (!e->ch->have_base)
        return 0;   /* the first commit: nothing was there before */
    tm_git *g = &rs->git;
    g->git_oid_tostr(id, 41, &e->ch->base);
    git_repository *repo = NULL;
    git_commit *c = NULL;
    git_tree *t = NULL;
    git_tree_entry *te = NULL;
    git_blob *b = NULL;
    int rc = -1;
    *why = "the base commit cannot be read";
    const char *no;
    if (tm_repo_git_open(rs, root, &repo, &no) != 0 || g->git_commit_lookup(&c, repo, &e->ch->base) != 0 ||
        g->git_commit_tree(&t, c) != 0)
        goto done;
    if (g->git_tree_entry_bypath(&te, t, rel) != 0 || g->git_tree_entry_type(te) != GIT_OBJECT_BLOB) {
        rc = 0;   /* the file is new in this change */
        goto done;
    }
    if (g->git_blob_lookup(&b, repo, g->git_tree_entry_id(te)) != 0)
        goto done;
    git_object_size_t n = g->git_blob_rawsize(b);
    if (n > max) {
        *why = "the file at the base commit is larger than --max-file-size";
        goto done;
    }
    *len = (size_t)n;
    *data = tm_xmalloc(*len + 1);
    memcpy(*data, g->git_blob_rawcontent(b), *len);
    (*data)[*len] = 0;
    rc = 1;
    *why = NULL;
done:
    g->git_blob_free(b);
    g->git_tree_entry_free(te);
    g->git_tree_free(t);
    g->git_commit_free(c);
    g->git_repository_free(repo);
    return rc;
}

int tm_repo_head_remote(tm_repos *rs, const char *root, char commit[41], char **url)
{
    *url = NULL;
    commit[0] = 0;
    const char *why;
    if (tm_git_load(&rs->git, &why) != 0)
        return -1;
    tm_git *g = &rs->git;
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    git_oid head;
    int rc = -1;
    if (tm_repo_git_open(rs, root, &repo, &why) == 0 && g->git_reference_name_to_id(&head, repo, "HEAD") == 0) {
        g->git_oid_tostr(commit, 41, &head);
        /* the URL as configured: git_remote_lookup would also parse every
         * remote.origin.* entry (and, in libgit2 1.5, leak a regex match
         * block doing so) for a string we read as it stands */
        const char *u = NULL;
        if (g->git_repository_config_snapshot(&cfg, repo) == 0 &&
            g->git_config_get_string(&u, cfg, "remote.origin.url") == 0 && u)
            *url = tm_xstrdup(u);
        rc = 0;
    }
    g->git_config_free(cfg);
    g->git_repository_free(repo);
    return rc;
}

void tm_repos_report(tm_repos *rs, tm_diags *d)
{
    for (size_t i = 0; i < rs->n; i++) {
        struct tm_repo_ent *e = &rs->v[i];
        /* a change was asked for and there is no repository to read it from */
        if (!e->root && (rs->change_ref || rs->change_staged) && e->why) {
            tm_diag_add(d, TM_DIAG_ERROR, NULL, 0, 0, NULL, "%s: %s, so %s has no change to compare; change-aware rules did not run",
                        e->dir, e->why, rs->change_staged ? "--staged" : "--changed-since");
            continue;
        }
        if (e->refused) {   /* its history, change and remote were not read */
            tm_diag_add(d, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                        "repository %s: %s, so tmlint reads none of its git data; history- and change-aware rules stay"
                        " quiet", e->root, e->refused);
            if (rs->change_ref || rs->change_staged)
                tm_diag_add(d, TM_DIAG_ERROR, NULL, 0, 0, NULL, "repository %s: %s has no change to compare",
                            e->root, rs->change_staged ? "--staged" : "--changed-since");
            continue;
        }
        if (e->ch && e->ch->failed)
            tm_diag_add(d, TM_DIAG_ERROR, NULL, 0, 0, NULL, "repository %s: %s; change-aware rules did not run", e->root,
                        e->ch->err);
        else if (e->ch && e->ch->ack_cut)
            tm_diag_add(d, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                        "repository %s: the change's commits could not all be read (more than %zu, or a damaged"
                        " commit), so no Threat-Model-Unchanged trailer acknowledges any of it", e->root,
                        ACK_MAX_COMMITS);
        if (e->h && e->h->failed && e->h->err)
            tm_diag_add(d, TM_DIAG_WARNING, NULL, 0, 0, NULL,
                        "repository %s: the history cannot be read (%s); history-aware rules stay quiet", e->root,
                        e->h->err);
        else if (e->h && e->h->cut)
            tm_diag_add(d, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                        "repository %s: history read to its newest %zu commits, and the last of them in part: %s (%zu"
                        " tree entries, %zu paths at most); older changes are not seen", e->root, e->h->n, e->h->cut,
                        HIST_MAX_ENTRIES, HIST_MAX_PATHS);
        else if (e->h && e->h->bounded)
            tm_diag_add(d, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                        "repository %s: history read to its newest %zu commits (the limit, or the time a rule may take); older"
                        " changes are not seen", e->root, e->h->n);
        else if (e->h && e->h->why && !e->h->failed)
            tm_diag_add(d, TM_DIAG_NOTE, NULL, 0, 0, NULL, "repository %s: %s", e->root, e->h->why);
    }
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
    tm_repos_forget(rs);
    tm_git_unload(&rs->git);
    memset(rs, 0, sizeof *rs);
}

void tm_repos_forget(tm_repos *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->v[i].dir);
        free(rs->v[i].root);
        hist_free(rs->v[i].h);
        if (rs->v[i].ch) {
            tm_strmap_free(&rs->v[i].ch->paths);
            tm_strmap_free(&rs->v[i].ch->unack);
            free(rs->v[i].ch->err);
            free(rs->v[i].ch);
        }
    }
    free(rs->v);
    rs->v = NULL;
    rs->n = 0;
}
