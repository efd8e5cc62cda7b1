#include "repo.h"
#include "buf.h"
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tm_repo_ent {
    char *dir;       /* the directory asked about */
    char *root;      /* its repository's work tree, or NULL */
    const char *why;
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

static void find_root(tm_repos *rs, struct tm_repo_ent *e)
{
    if (!rs->inited) {
        git_libgit2_init();
        rs->inited = 1;
    }
    git_repository *repo = NULL;
    if (git_repository_open_ext(&repo, e->dir, 0, NULL) != 0) {
        e->why = "not in a git repository";
        return;
    }
    const char *wd = git_repository_workdir(repo);
    char real[PATH_MAX];
    if (!wd) {
        e->why = "the repository has no work tree";
    } else if (!realpath(wd, real)) {
        e->why = "the repository's work tree cannot be resolved";
    } else {
        tm_buf b;
        tm_buf_init(&b);
        tm_buf_adds(&b, real);
        if (b.len == 0 || b.p[b.len - 1] != '/')
            tm_buf_addc(&b, '/');
        e->root = tm_buf_detach(&b);
    }
    git_repository_free(repo);
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
    find_root(rs, e);
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

void tm_repos_free(tm_repos *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->v[i].dir);
        free(rs->v[i].root);
    }
    free(rs->v);
    if (rs->inited)
        git_libgit2_shutdown();
    memset(rs, 0, sizeof *rs);
}
