#include "ci_files.h"
#include "include.h"
#include "config.h"
#include "walk.h"
#include "repo.h"
#include "source.h"
#include "yaml_load.h"
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CI_FILES 64

/* Where CI services and hook managers keep their configuration. */
static const char *const fixed[] = {
    ".gitlab-ci.yml", ".pre-commit-config.yaml", ".circleci/config.yml", "azure-pipelines.yml",
    "bitbucket-pipelines.yml", ".drone.yml", ".woodpecker.yml",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory entries looked at in .github/workflows: a bound on the walk of
 * a hostile directory, said when reached. */
#define MAX_WORKFLOW_ENTRIES 100000

/* The first `max` workflow files of .github/workflows by name (readdir's
 * order is the file system's, so all are listed and sorted first); *total
 * gets how many there are, so that a cut is said. */
static size_t workflows(const char *root, char **out, size_t max, size_t *total)
{
    *total = 0;
    tm_buf p;
    tm_buf_init(&p);
    tm_buf_printf(&p, "%s.github/workflows", root);
    DIR *d = opendir(p.p);
    tm_buf_free(&p);
    if (!d)
        return 0;
    char **all = NULL;
    size_t n = 0, cap = 0, seen = 0;
    struct dirent *e;
    while ((e = readdir(d)) && ++seen <= MAX_WORKFLOW_ENTRIES) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || !((l > 4 && !strcmp(e->d_name + l - 4, ".yml")) ||
                                     (l > 5 && !strcmp(e->d_name + l - 5, ".yaml"))))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            all = tm_xrealloc(all, cap * sizeof *all);
        }
        tm_buf r;
        tm_buf_init(&r);
        tm_buf_printf(&r, ".github/workflows/%s", e->d_name);
        all[n++] = r.p;
    }
    closedir(d);
    qsort(all, n, sizeof *all, cmp_str);
    size_t keep = n < max ? n : max;
    memcpy(out, all, keep * sizeof *out);
    for (size_t i = keep; i < n; i++)
        free(all[i]);
    free(all);
    *total = seen > MAX_WORKFLOW_ENTRIES ? SIZE_MAX : n;
    return keep;
}

/* Reads one CI file into the tree. A file that cannot be read as YAML is
 * said in one note: it is the CI's business, not a model error. */
static void attach_one(tm_ctx *c, uint32_t fi, tm_doc *doc, const char *root, char *rel)
{
    if (!tm_repo_exists(root, rel)) {   /* inside the root, symlinks resolved */
        free(rel);
        return;
    }
    tm_buf path;
    tm_buf_init(&path);
    tm_buf_printf(&path, "%s%s", root, rel);
    /* opened confined to the root: a path swapped for a symlink after the
     * check above still cannot make tmlint read outside the repository */
    int fd = tm_repo_open(root, rel);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        tm_buf_free(&path);
        free(rel);
        return;
    }
    tm_diags quiet;
    tm_diags_init(&quiet);
    tm_src src;
    tm_docs docs = {0};
    int ok = tm_src_read_fd(&src, fd, path.p, c->opts.limits.max_file_size, &quiet) == 0 &&
             tm_yaml_load(&src, &c->opts.limits, &docs, &quiet) == 0;
    tm_src_free(&src);
    const tm_doc *d = ok && docs.n ? docs.v[0] : NULL;
    if (!ok) {
        const tm_diag *why = quiet.n ? &quiet.v[0] : NULL;
        tm_diag_add(&c->diags, TM_DIAG_NOTE, path.p, why ? why->line : 0, why ? why->col : 0, NULL,
                    "this CI file is not readable YAML (%s); rules that read CI files skipped it",
                    why ? why->msg : "unknown error");
    } else if (d && d->root != TM_NONE && (uint64_t)doc->n + d->n > c->opts.limits.max_nodes) {
        tm_diag_add(&c->diags, TM_DIAG_NOTE, path.p, 1, 1, NULL,
                    "this CI file and the model hold more than %llu nodes (--max-nodes); rules that read CI files"
                    " skipped it", (unsigned long long)c->opts.limits.max_nodes);
    } else if (d && d->root != TM_NONE) {
        uint32_t r = tm_include_graft(c, fi, doc, d, path.p);
        doc->ci = tm_xrealloc(doc->ci, (doc->nci + 1) * sizeof *doc->ci);
        doc->ci[doc->nci++] = (struct tm_ci){r, rel};
        rel = NULL;
    }
    tm_docs_free(&docs);
    tm_diags_free(&quiet);
    tm_buf_free(&path);
    free(rel);
}

/* Whether a rule that runs on the file may read CI files: one that says
 * so (reads_ci), or one a team wrote (from a configuration's rules_dirs,
 * or every rule when --rules-dir names the directory), which may call
 * tm.repo.ci() without saying. Otherwise reading them is wasted work: the
 * pre-commit hook that runs only TM342, say. */
static int ci_wanted(tm_ctx *c, uint32_t fi)
{
    if (c->opts.rules_dir)
        return 1;
    const tm_file *f = &c->files[fi];
    char *rel = tm_walk_rel(f->cfg, f->path);
    int want = 0;
    for (size_t r = 0; r < c->nrules && !want; r++)
        if (c->rules[r].reads_ci || c->rules[r].origin)
            want = tm_cfg_level(c, f->cfg, rel, r, NULL, NULL) != TM_LEVEL_NONE;
    free(rel);
    return want;
}

void tm_ci_attach(tm_ctx *c, uint32_t fi, tm_doc *doc)
{
    if (c->opts.no_repo || doc->root == TM_NONE || !ci_wanted(c, fi))
        return;
    const char *why;
    const char *root = tm_repo_root(&c->repos, c->files[fi].path, &why);
    if (!root || !tm_repo_claim_ci(&c->repos, root))
        return;
    char *rels[MAX_CI_FILES];
    size_t n = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        rels[n++] = tm_xstrdup(fixed[i]);
    size_t total, got = workflows(root, rels + n, MAX_CI_FILES - n, &total);
    if (total > got)   /* every cap is said: a check that read part of the CI must not pass as whole */
    {
        if (total == SIZE_MAX)
            tm_diag_add(&c->diags, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                        "repository %s: more than %d entries in .github/workflows (not all looked at); the CI rules"
                        " read the first %zu workflow files by name", root, MAX_WORKFLOW_ENTRIES, got);
        else
            tm_diag_add(&c->diags, TM_DIAG_NOTE, NULL, 0, 0, NULL,
                        "repository %s: %zu workflow files in .github/workflows; the CI rules read the first %zu by name",
                        root, total, got);
    }
    n += got;
    for (size_t i = 0; i < n; i++)
        attach_one(c, fi, doc, root, rels[i]);   /* takes rels[i] */
}
