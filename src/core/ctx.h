/* The one context of a run: options, the loaded rules, the files, the
 * findings and the diagnostics. Made in main and passed down; nothing in
 * tmlint keeps state anywhere else. */
#ifndef TM_CTX_H
#define TM_CTX_H
#include "diag.h"
#include "junit.h"
#include "findings.h"
#include "lua_rt.h"
#include "repo.h"
#include "strmap.h"
#include "timings.h"
#include "yaml_load.h"
#include <stdint.h>

typedef struct tm_opts {
    const char *format;          /* writer name: text, sarif */
    const char *output;          /* NULL: stdout */
    tm_level fail_on;            /* TM_LEVEL_NONE: never fail on findings */
    const char *now;             /* YYYY-MM-DD, or NULL for SOURCE_DATE_EPOCH/clock */
    const char *rules_dir;       /* NULL: next to the binary */
    const char *exe;             /* argv[0], to find the rules */
    tm_limits limits;
    int64_t rule_instructions;   /* per rule call, plus rule_per_node per node */
    int count_instructions;      /* --max-rule-instructions given: tmlint's own code counts too */
    int64_t rule_per_node;
    size_t rule_memory;          /* bytes a rule call may add */
    size_t lua_memory;           /* cap on everything Lua holds */
    size_t max_findings;         /* per rule per document */
    int color;                   /* 1 on, 0 off */
    int verbose;
    int no_repo;                 /* --no-repo: rules learn nothing of the repository */
    int quiet;                   /* -q: findings only, no summary */
    int rule_time;               /* seconds a rule or adapter call may take */
    int follow_symlinks;         /* walks follow links out of the tree */
    int timings;                 /* print where the time went */
    int coverage;                /* rules --coverage */
    const char *stdin_filename;  /* the name of `-` (standard input) */
    int allow_empty;             /* no model found is not an error */
    int force_exclude;           /* include/exclude apply to named files too */
    const char *config;          /* --config FILE */
    const char *input_format;    /* --input-format NAME */
    const char *baseline;        /* --baseline OLD.sarif */
    const char *compare;         /* audit --compare OLD.json */
    const char *history;         /* audit --history DIR */
    int new_only;                /* --new-only */
    const char *category;        /* --category: SARIF automationDetails.id */
    int omit_suppressed;         /* --omit-suppressed */
    int audit;                   /* collect per-model numbers (tmlint audit) */
    int jobs;                    /* worker processes: audit's, or check's for a large model (split.c) */
    int output_is_stdout_pipe;   /* unused: reserved */
    char **enable, **disable;    /* --enable / --disable RULE (borrowed) */
    size_t nenable, ndisable;
    char **only;                 /* --only RULE (borrowed) */
    size_t nonly;
    char **select, **ignore;     /* --select / --ignore PREFIX of rule ids (borrowed) */
    size_t nselect, nignore;
    int statistics;              /* --statistics: a count per rule instead of each finding */
    int fix;                     /* check --fix */
    int fix_diff;                /* check --fix --diff */
    const char *new_rule;        /* init --rule ID */
    const char *new_rule_name;   /* init --name NAME */
    const char *commit_msg;      /* --commit-msg FILE: a Threat-Model-Unchanged trailer there acknowledges TM342 */
    int change_acknowledged;     /* it does */
    char **exclude;              /* --exclude GLOB (borrowed) */
    size_t nexclude;
    char **test_results;         /* --test-results FILE (borrowed) */
    size_t ntest_results;
    const char *changed_since;   /* --changed-since REF */
    int staged;                  /* --staged: the change is the index */
    uint32_t shard, shards;      /* audit --shard I/N (1-based I); shards 0: not sharded */
    const char *shard_list;      /* audit --shard-list FILE: print FILE's repositories of this shard */
    int merge;                   /* audit --merge: the paths are shards' JSON files */
} tm_opts;

struct tm_cfg;

/* One record of what a security lead acts on (audit): an open threat at
 * the top of its scale, an accepted threat with an expiry, a mitigation
 * with a due date that is not done. */
typedef enum { TM_LEAD_HIGH, TM_LEAD_ACCEPT, TM_LEAD_DUE } tm_lead_kind;
typedef struct tm_lead {
    tm_lead_kind kind;
    char *id, *title;
    char *rating;                /* high: the rating; due: the mitigation's status */
    char *date;                  /* accept: expires; due: due (YYYY-MM-DD) */
    char *by;                    /* accept: who accepted; due: the mitigation's owner */
    uint32_t line, col;
} tm_lead;

typedef struct tm_file {
    char *path;                  /* as the user named it */
    struct tm_cfg *cfg;          /* the config that governs it, or NULL */
    char *uri;                   /* relative to the repository root, or file:// */
    char *identity;              /* audit: the repository's identity and the path in it (--compare matches by it) */
    char *web;                   /* audit: a URL of the file for reports (GitHub/GitLab at HEAD, or file://) */
    char *run_root;              /* audit: the repository whose SARIF run holds it (with trailing /) */
    char *run_uri;               /* audit: its URI in that run */
    int run_rel;                 /* run_uri is relative to the run's %SRCROOT% */
    uint32_t arg;                /* which command-line path reached it (an audit merge orders by it) */
    int relative;                /* uri is relative to %SRCROOT% */
    int failed;                  /* could not be loaded or read as a model */
    int rule_failed;             /* a rule failed on it (its other rules ran) */
    int baseline_only;           /* not checked now: named by --baseline's absent results */
    uint32_t part_of;            /* 1 + the main file that includes this one, else 0 */
    char *data;                  /* standard input's bytes (path `-`), or NULL */
    size_t len;
    uint32_t *na;                /* rules not applicable to it (its format lacks their fields) */
    size_t nna;
    char na_format[24];          /* the format that lacks them */
    struct {                     /* for `audit`: summed over the file's documents */
        int models;
        uint32_t threats, mitigated, accepted, essentials, with_criteria;
        uint32_t claimed;        /* threats whose status says mitigated */
        char owner[128];         /* the model's owner, or "" */
        char reviewed[11];       /* latest review date, or "" */
        uint32_t meta_checked, meta_observable;   /* meta threats its format and configuration let tmlint check */
        uint32_t rules_off, rules_builtin;   /* tmlint's rules its configuration switches off, of how many */
        uint32_t ci_cannot_fail; /* places its repository's CI runs tmlint so it cannot fail (TM346) */
        char format[24];
        uint32_t counts[4];      /* threats, components, flows, mitigations the model lists (all documents) */
        tm_lead *lead;           /* what a security lead acts on */
        size_t nlead;
    } stats;
} tm_file;

typedef struct tm_rule {
    char *id, *name, *summary, *help, *message, *path;
    char **meta;                 /* meta-threat ids */
    size_t nmeta;
    char **needs;                /* canonical fields it needs (`needs`): where the */
    size_t nneeds;               /* format lacks one (model.missing), it does not apply */
    int reads_ci;                /* `reads_ci = true`: it calls tm.repo.ci() */
    tm_level level;              /* default level */
    tm_level effective;          /* after configuration; NONE = off */
    int ref;                     /* registry ref of the rule table; LUA_NOREF until loaded (lazy) */
    const struct tm_bytecode *lazy;   /* a built-in rule whose code loads when first needed */
    const struct tm_cfg *origin; /* the config whose rules_dirs it came from; NULL: every file */
    const struct tm_cfg **also;  /* further configs naming the same directory (a monorepo's */
    size_t nalso;                /* shared rules): it applies under those too */
    uint32_t home;               /* audit --merge, a team rule: 1 + a file under its configuration */
    tm_timing timing;            /* --timings */
} tm_rule;

typedef struct tm_adapter {
    char *name, *path;
    int ref;                     /* registry ref of the adapter table */
    const struct tm_cfg *origin; /* the config naming it (`adapter:`), or NULL */
    tm_timing timing;            /* --timings: detect and build */
} tm_adapter;

enum { TM_PHASE_PARSE, TM_PHASE_PUSH, TM_PHASE_SCHEMA, TM_PHASE_STARTUP, TM_PHASE_OUTPUT, TM_PHASE_COLLECT, TM_PHASES };

typedef struct tm_ctx {
    tm_opts opts;
    tm_repos repos;              /* repositories of checked files, found once */
    struct tm_compare *compare;  /* audit --compare: the earlier audit, or NULL */
    struct tm_history *history;  /* audit --history: the trend, or NULL */
    tm_tests tests;              /* --test-results, read before the rules run */
    int tests_failed;            /* one of them could not be read: failing-evidence stays quiet */
    const char *repo_why;        /* why a rule asking tm.repo got no repository (static text) */
    int split_procs;             /* most processes a document's rules ran in (split.c), for --timings */
    char now[11];
    char *root;                  /* absolute repository root, with trailing / */
    char *rules_dir;
    tm_diags diags;
    tm_findings findings;
    tm_file *files;
    size_t nfiles;
    tm_rule *rules;
    size_t nrules;
    tm_adapter *adapters;
    size_t nadapters;
    tm_timing phase[TM_PHASES];  /* --timings */
    int64_t started_ns;          /* when the run began, for --timings */
    char base_commit[41];        /* the base commit of the file being checked, or "" */
    tm_rt *rt;
    struct tm_cfg **cfgs;        /* every config loaded */
    size_t ncfgs;
    struct tm_cfg *forced;       /* --config */
    tm_strmap cfg_cache;         /* directory -> the config it gets (NULL: none) */
    tm_strmap dir_listed;        /* walk: real directory -> TM_LISTED | which of the names below it holds */
    char *cwd;                   /* real working directory */
    char *ceiling;               /* real path of the walk's argument when outside cwd */
    tm_strmap file_uris;         /* uri -> 1 + index in files: each file once */
    size_t sniffed;              /* files passed over by name and looked into (src/load/sniff.h) */
    int cfg_failed;              /* a config could not be loaded */
    struct tm_unmodeled *unmodeled;   /* audit: repositories with code and no model */
    size_t nunmodeled;
    uint32_t walk_arg;           /* the command-line path the walk is on (tm_file.arg) */
    size_t diag_phase[2];        /* audit: diags.n when the checks began and ended (a shard records it) */
    tm_strmap diag_uris;         /* audit --merge: a diagnostic's file -> its SARIF URI, as the shard saw it */
    int keep_heap;               /* the process exits after this run: skip work that only frees memory */
} tm_ctx;

void tm_ctx_init(tm_ctx *c);
void tm_ctx_free(tm_ctx *c);
/* The files and what each owns (a harness that reuses the context). */
void tm_ctx_free_files(tm_ctx *c);
void tm_lead_free(tm_lead *v, size_t n);
/* What a rule owns (not the rule itself). */
void tm_rule_free_fields(tm_rule *r);
/* Sets c->now from opts.now, SOURCE_DATE_EPOCH or the clock; -1 if bad. */
int tm_ctx_set_now(tm_ctx *c);

#endif
