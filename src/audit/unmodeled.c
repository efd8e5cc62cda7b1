#include "unmodeled.h"
#include "buf.h"
#include "ctx.h"
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 12
#define MAX_DIRS 100000

typedef struct scan {
    tm_ctx *c;
    tm_strmap modeled;       /* real repository roots that hold a checked model */
    size_t dirs;             /* directories visited, for the bound */
    int too_deep;            /* a directory below MAX_DEPTH was passed over */
} scan;

static int has_git(const char *dir)
{
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_printf(&b, "%s/.git", dir);
    struct stat st;
    int r = lstat(b.p, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
    tm_buf_free(&b);
    return r;
}

static int skipped(const char *name)
{
    return name[0] == '.' || !strcmp(name, "node_modules");
}

/* What counts as code: the usual source and infrastructure extensions. */
static int is_code(const char *name)
{
    static const char *const ext[] = {
        "c", "h", "cc", "cpp", "cxx", "hpp", "go", "rs", "py", "js", "mjs", "ts", "tsx", "jsx", "java", "kt",
        "scala", "rb", "php", "cs", "swift", "m", "mm", "lua", "pl", "sh", "bash", "ps1", "sql", "tf", "hcl",
        "proto", "ex", "exs", "erl", "hs", "clj", "dart", "vue", "svelte", "zig", "nim", "groovy", "gradle"};
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return !strcmp(name, "Dockerfile") || !strcmp(name, "Makefile");
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (!strcmp(dot + 1, ext[i]))
            return 1;
    return 0;
}

/* Counts the files of a repository, leaving out .git and nested repositories. */
static void count_files(const char *dir, int depth, tm_unmodeled *u)
{
    if (depth > 64 || u->more_files)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git"))
            continue;
        if (e->d_type == DT_DIR && skipped(e->d_name))   /* dependencies and tool state are not the project's code */
            continue;
        tm_buf p;
        tm_buf_init(&p);
        tm_buf_printf(&p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p.p, &st) == 0) {
            if (S_ISDIR(st.st_mode) && !has_git(p.p)) {
                count_files(p.p, depth + 1, u);
            } else if (S_ISREG(st.st_mode)) {
                if (u->files >= TM_UNMODELED_MAX_FILES) {
                    u->more_files = 1;
                } else {
                    u->files++;
                    u->code += is_code(e->d_name);
                }
            }
        }
        tm_buf_free(&p);
    }
    closedir(d);
}

static void count_commits(tm_ctx *c, const char *root, tm_unmodeled *u)
{
    const char *why;
    tm_git *g = &c->repos.git;
    if (tm_git_load(g, &why) != 0) {
        u->no_history = 1;
        return;
    }
    git_repository *repo = NULL;
    git_revwalk *rw = NULL;
    if (tm_repo_git_open(&c->repos, root, &repo, &why) != 0 || g->git_revwalk_new(&rw, repo) != 0 ||
        g->git_revwalk_push_head(rw) != 0) {
        u->no_history = 1;
    } else {
        git_oid oid;
        while (g->git_revwalk_next(&oid, rw) == 0) {
            if (u->commits >= TM_UNMODELED_MAX_COMMITS) {
                u->more_commits = 1;
                break;
            }
            u->commits++;
        }
    }
    g->git_revwalk_free(rw);
    g->git_repository_free(repo);
}

static void visit(scan *s, const char *dir, int depth)
{
    if (depth > MAX_DEPTH) {
        s->too_deep = 1;
        return;
    }
    if (++s->dirs > MAX_DIRS)
        return;
    if (has_git(dir)) {
        char real[PATH_MAX];
        if (realpath(dir, real)) {
            tm_buf key;
            tm_buf_init(&key);
            tm_buf_printf(&key, "%s%s", real, strcmp(real, "/") ? "/" : "");
            if (!tm_strmap_get(&s->modeled, key.p)) {
                tm_unmodeled u;
                memset(&u, 0, sizeof u);
                count_files(dir, 0, &u);
                if (u.code) {   /* a repository of documents only is no project to model */
                    count_commits(s->c, key.p, &u);
                    u.path = tm_xstrdup(dir);
                    u.real = tm_xstrdup(real);
                    tm_ctx *c = s->c;
                    c->unmodeled = tm_xrealloc(c->unmodeled, (c->nunmodeled + 1) * sizeof *c->unmodeled);
                    c->unmodeled[c->nunmodeled++] = u;
                }
            }
            tm_buf_free(&key);
        }
    }
    DIR *d = opendir(dir);
    if (!d)
        return;
    /* sorted, so that the report does not depend on the file system's order */
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (skipped(e->d_name))
            continue;
        names = tm_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = tm_xstrdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        tm_buf p;
        tm_buf_init(&p);
        tm_buf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        struct stat st;
        if (lstat(p.p, &st) == 0 && S_ISDIR(st.st_mode))
            visit(s, p.p, depth + 1);
        tm_buf_free(&p);
        free(names[i]);
    }
    free(names);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const tm_unmodeled *)a)->path, ((const tm_unmodeled *)b)->path);
}

void tm_unmodeled_find(tm_ctx *c, char **paths, size_t n)
{
    scan s;
    memset(&s, 0, sizeof s);
    s.c = c;
    tm_strmap_init(&s.modeled);
    for (size_t i = 0; i < c->nfiles; i++) {
        if (c->files[i].baseline_only || c->files[i].data)
            continue;
        const char *why;
        const char *root = tm_repo_root(&c->repos, c->files[i].path, &why);
        if (root)
            tm_strmap_put(&s.modeled, root, (void *)1);
    }
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            visit(&s, paths[i], 0);
    }
    tm_strmap_free(&s.modeled);
    /* a search for repositories without a model that stopped early must say so */
    if (s.dirs > MAX_DIRS)
        tm_diag_add(&c->diags, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                    "the search for repositories with no model stopped after %d directories; ones past that are not"
                    " listed", MAX_DIRS);
    if (s.too_deep)
        tm_diag_add(&c->diags, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                    "the search for repositories with no model went %d directories deep and no deeper", MAX_DEPTH);
    if (c->nunmodeled > 1)
        qsort(c->unmodeled, c->nunmodeled, sizeof *c->unmodeled, by_path);
}

void tm_unmodeled_free(tm_unmodeled *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].real);
    }
    free(v);
}
