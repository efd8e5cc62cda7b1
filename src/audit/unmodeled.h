/* `tmlint audit`: the repositories under the audited paths that hold code
 * but no threat model tmlint found (meta threat 1.2.3, a project that was
 * never threat-modeled), with their size. */
#ifndef TM_UNMODELED_H
#define TM_UNMODELED_H
#include <stddef.h>

struct tm_ctx;

typedef struct tm_unmodeled {
    char *path;              /* the repository's work tree, as reached from the audited path */
    char *real;              /* its real path */
    size_t files, code;      /* regular files, and those of them that are source code */
    size_t commits;          /* on HEAD's history, up to TM_UNMODELED_MAX_COMMITS */
    int more_files, more_commits;   /* the counts stopped at their limits */
    int no_history;          /* the history could not be read */
} tm_unmodeled;

#define TM_UNMODELED_MAX_FILES 200000
#define TM_UNMODELED_MAX_COMMITS 100000

/* Finds them under `paths` (directories are searched, not following
 * symbolic links, skipping hidden directories and node_modules) and
 * stores them in c->unmodeled, sorted by path. */
void tm_unmodeled_find(struct tm_ctx *c, char **paths, size_t n);
void tm_unmodeled_free(tm_unmodeled *v, size_t n);

#endif
