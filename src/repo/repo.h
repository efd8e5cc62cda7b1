/* What rules may know of the git repository a checked file is in: whether
 * a path exists in its work tree, and whether a file there contains a
 * text. Read-only, confined to the repository's root, never file contents
 * handed to a rule. The repository is the nearest directory above the file
 * holding a .git, kept for the run (an audit visits many); its history is
 * read with libgit2. */
#ifndef TM_REPO_H
#define TM_REPO_H
#include "diag.h"
#include "git_dl.h"
#include "strmap.h"
#include <stddef.h>
#include <stdint.h>

typedef struct tm_repos {
    struct tm_repo_ent *v;
    size_t n;
    tm_git git;          /* loaded on the first history walk */
    const char *change_ref;   /* --changed-since REF, or NULL */
    int change_staged;        /* --staged */
} tm_repos;

/* The work-tree root (a real path ending in '/') of the repository holding
 * `file`, or NULL with *why saying why there is none. Borrowed. */
const char *tm_repo_root(tm_repos *rs, const char *file, const char **why);
/* Where a path that a repository's file supplies (an include, a
 * configuration's adapter or rules directory) leads: `name`, relative to
 * the directory of `owner` (the file naming it), resolved with symlinks.
 * The one boundary for such paths: the repository holding owner, or,
 * outside any repository, owner's directory (*fence, caller frees). The
 * real path (caller frees), or NULL with *why when it cannot be resolved
 * or leads outside *fence; a refused file is never opened. */
char *tm_repo_resolve(tm_repos *rs, const char *owner, const char *name, char **fence, const char **why);
/* Whether the file `path` is a symbolic link that leads outside the
 * repository holding it (outside any, its own directory): 1 with *why and
 * *fence (caller frees) set, else 0. A repository's own configuration and
 * rule files may link only within it. */
int tm_repo_link_outside(tm_repos *rs, const char *path, char **fence, const char **why);
/* 1 when `rel` (relative to root, no "..", not absolute) names a regular
 * file or a directory inside root once symlinks are resolved; else 0. */
int tm_repo_exists(const char *root, const char *rel);
/* `rel` inside root opened for reading (O_NONBLOCK), or -1: refused when
 * it leads outside root, and opened so that a path swapped for a symlink
 * after that check still cannot leave it (openat2 with RESOLVE_IN_ROOT;
 * where the kernel lacks it, what was opened is checked through
 * /proc/self/fd). Caller closes. */
int tm_repo_open(const char *root, const char *rel);
/* 1 when the regular file `rel` inside root (at most TM_REPO_MAX_READ
 * bytes) contains `text`; 0 otherwise; -1 when it is larger and was not
 * read. *cost gets the bytes read. */
#define TM_REPO_MAX_READ ((size_t)4 << 20)
int tm_repo_contains(const char *root, const char *rel, const char *text, size_t tlen, size_t *cost);
/* The newest commit, within the last `max_commits` commits of HEAD (first
 * parents, newest first), that changed a path matching one of `globs`
 * (relative to root; `*`, `?`, `**`). 1 with *age (its index from HEAD,
 * 0 = HEAD), *when (commit time, seconds) and id (hex, 41 bytes); 0 when
 * none did in that window; -1 when the history cannot be read (*why set).
 * With `first`, the oldest such commit the walk read instead: the walk may
 * stop short of the repository's first commit, so its age is a lower
 * bound. One walk per repository serves every call; *cost gets the work
 * done. */
int tm_repo_last_change(tm_repos *rs, const char *root, const char *const *globs, size_t nglobs, int first,
                        size_t max_commits, int64_t deadline, size_t *age, long long *when, char *id, size_t *cost,
                        const char **why);
/* 1 the first time it is asked for a root, then 0: a repository's CI
 * files are read with its first model only, so each finding in them is
 * reported once. */
int tm_repo_claim_ci(tm_repos *rs, const char *root);
/* Whether the change under check (--changed-since or --staged) touches a
 * path matching one of `globs`: 1 or 0; -1 when no change is under check
 * or it cannot be read (*why set). With `unack`, under --changed-since,
 * only what commits without a Threat-Model-Unchanged trailer (and the
 * work tree) touched counts. The change is read once per root. */
int tm_repo_changed(tm_repos *rs, const char *root, const char *const *globs, size_t nglobs, int unack,
                    int64_t deadline, size_t *cost, const char **why);
/* The bytes of `rel` (from root) at the commit the change under check is
 * compared with (HEAD for --staged, the merge base for --changed-since):
 * 1 with *data (caller frees; at most max bytes) and id (hex, 41 bytes);
 * 0 when the file was not there (or there is no base commit yet); -1 when
 * no change is under check or it cannot be read (*why set). */
int tm_repo_base_file(tm_repos *rs, const char *root, const char *rel, size_t max, char **data, size_t *len,
                      char *id, const char **why);
/* Opens the repository whose work-tree root is `root` (caller frees
 * *out): 0; -1 when libgit2 cannot open it; -2 when its git directory or
 * work tree lies outside root and git did not lay it out so (a .git file
 * or core.worktree naming another place): *why says which, and the
 * repository's entry remembers it for tm_repos_report. */
int tm_repo_git_open(tm_repos *rs, const char *root, git_repository **out, const char **why);
/* Adds what went wrong or was cut short in each repository to d: a change
 * that could not be read (error), a history that could not (warning), a
 * walk that stopped at its limit or a shallow boundary (note). */
void tm_repos_report(tm_repos *rs, tm_diags *d);
/* The commit HEAD points at (hex, 41 bytes) and the URL of the remote
 * "origin" (*url, caller frees; NULL when there is none), for links to the
 * checked-out files; 0, or -1 when the repository cannot be read. */
int tm_repo_head_remote(tm_repos *rs, const char *root, char commit[41], char **url);
/* The path of `file` relative to root, or NULL (caller frees). */
char *tm_repo_rel(const char *root, const char *file);
/* Forgets what was learnt of every repository (a long-lived checker asks
 * again: a commit may have been made), keeping libgit2 loaded. */
void tm_repos_forget(tm_repos *rs);
void tm_repos_free(tm_repos *rs);

#endif
