/* One large document's rules run in several processes at once. Each
 * process takes the next rule not yet taken (a counter they share), so
 * slow rules do not leave a process idle; the workers send back what
 * their rules reported, and the lists end up exactly as if every rule had
 * run here, in order: same findings, same diagnostics, same order. */
#ifndef TM_SPLIT_H
#define TM_SPLIT_H
#include "ctx.h"
#include "lua_api.h"
#include "suppress.h"

/* Documents with fewer nodes are checked in one process: forking and
 * sending results back would cost more than the rules. */
#define TM_SPLIT_MIN_NODES 10000

/* The cores this process may use: online, in its affinity mask, and
 * within a cgroup v2 CPU quota. */
int tm_cpus(void);

/* How many processes to run the document's rules in: 1 unless --jobs
 * asks for more, the run allows it (check, not audit, whose workers
 * already share the cores; not --verbose, whose rule output would
 * interleave) and the document is large. TMLINT_SPLIT_NODES overrides
 * the size threshold (tests), and TMLINT_SPLIT_TEST makes a worker fail
 * ("exit", "cut") or the parent leave every rule to the workers ("idle"). */
int tm_split_jobs(const tm_ctx *c, const tm_doc *doc);

/* Runs rule i, in whichever process takes it. */
typedef void (*tm_split_run)(void *ud, size_t rule);

/* Runs every rule i with want[i] set exactly once, in `jobs` processes
 * (this one among them). A rule that asks for the repository (history,
 * the change under check, files, CI) is stopped there (h->defer_repo) and
 * runs here once the others are done, with the rules of any worker that
 * failed, in rule order: repository state is built here only, in the
 * order one process would build it. */
void tm_split_rules(tm_ctx *c, tm_file *f, tm_host *h, tm_sup *sup, const unsigned char *want, int jobs,
                    tm_split_run run, void *ud);

#endif
