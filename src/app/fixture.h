/* `tmlint test`: rule fixtures. A fixture is a model file whose comments
 * (or, for JSON, a sidecar FILE.expect) say which findings it must give:
 * `# expect: RULE[, RULE]` on the line a finding starts (or alone on the
 * line before it), `# ok: RULE` where none may start, `# now: DATE`,
 * `# expect-read: FORMAT`, `# expect-count: threats=N`, `# args:` for a
 * rule that reads the change under check or test results, and `# see:`
 * for other files whose annotations count (a repository's CI files). Each fixture is
 * checked by a child `tmlint check --format json` (so a fixture that
 * crashes a rule cannot take the runner with it) and its findings compared
 * with what the annotations say. */
#ifndef TM_FIXTURE_H
#define TM_FIXTURE_H
#include "ctx.h"

typedef struct tm_fx_mark {
    unsigned line, col;      /* where the annotation is (for errors) */
    unsigned target;         /* the line a finding must (or must not) start on */
    char *rule;
    int ok;                  /* `ok:`: no finding of rule at target */
    int used;                /* an expect that a finding met */
} tm_fx_mark;

typedef struct tm_fixture {
    char *path;
    char now[11];            /* YYYY-MM-DD, or empty for the run's */
    char *read_format;       /* expect-read, or NULL */
    struct tm_fx_count {
        char key[16];
        long n;
        unsigned line;
    } counts[8];
    size_t ncounts;
    tm_fx_mark *marks;
    size_t nmarks;
    char *see[8];            /* `# see:`: other files whose annotations count */
    size_t nsee;
    char *args[16];          /* `# args:`: --staged, --changed-since REF, --test-results FILE, --no-repo */
    size_t nargs;
} tm_fixture;

/* Reads the annotations of `path` (its bytes in data/len; JSON ones from
 * PATH.expect). 0, or -1 with errors at their line and column in d. */
int tm_fixture_parse(tm_fixture *fx, const char *path, const char *data, size_t len, tm_diags *d);
void tm_fixture_free(tm_fixture *fx);

/* tmlint test PATH...: runs every fixture under the paths (or, with none,
 * under the tests/ folder of each team rules directory in effect) and
 * prints what does not match; returns the exit status. */
int tm_fixture_cmd(tm_ctx *c, char *const *paths, size_t n, const char *format, const char *self);

#endif
