/* Team configuration, `.tmlint.yaml`: found in a checked file's directory
 * or the nearest parent up to the repository root, or named with
 * --config. It switches rules off, changes their level and settings,
 * filters directory scans, adds the team's own rules, and overrides all of
 * that for some paths. Every mistake in it is an error with its line and
 * column. */
#ifndef TM_CONFIG_H
#define TM_CONFIG_H
#include "ctx.h"
#include "glob.h"

#define TM_CONFIG_NAME ".tmlint.yaml"
#define TM_CONFIG_ALT ".tmlint.yml"   /* read too: a team that writes .yml must not get the defaults unseen */
/* What a walk saw in a directory's listing (ctx's dir_listed): the
 * configuration lookup then needs no lstat for these names there. */
enum { TM_LISTED = 1, TM_LISTED_YAML = 2, TM_LISTED_YML = 4, TM_LISTED_GIT = 8,
       TM_LISTED_CFG_LINK = 16 };   /* a configuration there may be a symbolic link: lstat it */

/* What a config (or one of its overrides) says about one rule. */
typedef struct tm_rule_set {
    int level_set;
    tm_level level;          /* TM_LEVEL_NONE: off */
    int settings_ref;        /* registry ref of a settings table, or LUA_NOREF */
} tm_rule_set;

typedef struct tm_override {
    char **files;            /* globs, relative to the config's directory */
    size_t nfiles;
    uint32_t rules_node;     /* the `rules:` mapping, resolved later */
    int lua_path;            /* index among overrides, for the Lua side */
    tm_rule_set *rules;      /* per rule index once resolved */
} tm_override;

typedef struct tm_cfg {
    char *path, *dir;        /* dir ends without a slash */
    struct tm_doc *doc;      /* the parsed file, for positions */
    uint32_t rules_node;     /* the top `rules:` mapping or TM_NONE */
    tm_rule_set *rules;      /* per rule index once resolved */
    char **include, **exclude, **rules_dirs;
    size_t ninclude, nexclude, nrules_dirs;
    tm_override *ov;
    size_t nov;
    char *format, *adapter;
    int adapter_index;       /* loaded `adapter:`, or -1 */
    int lua_root;            /* registry ref of the config as Lua values */
    int used;                /* governs a file to check: its rules are loaded and resolved */
    char *ov_rel;            /* cache: the path whose override matches ov_hit holds */
    unsigned char *ov_hit;   /* per override: whether one of its globs matches ov_rel */
    char *glob_cut;          /* the first glob whose match was cut at TM_GLOB_MAX_STEPS, or NULL */
} tm_cfg;

/* The config that governs `path` (a file or directory), loading it on
 * first use; NULL when none. Errors (with positions) go to c->diags and
 * make it NULL too, with *failed set. */
tm_cfg *tm_cfg_for(tm_ctx *c, const char *path, int *failed);
/* The same for a directory given by its real path (no symlinks, no
 * trailing slash): a walk knows it without asking the kernel. */
tm_cfg *tm_cfg_for_dir(tm_ctx *c, const char *real_dir, int *failed);
/* Loads --config FILE as the config for every file. */
int tm_cfg_load_forced(tm_ctx *c, const char *path);
/* After all rules (built-in and from rules_dirs) are loaded: checks each
 * config's rule ids, levels and settings against them. */
int tm_cfg_resolve(tm_ctx *c);
/* Loads the rules_dirs of every config loaded so far. */
int tm_cfg_load_rule_dirs(tm_ctx *c);
/* Effective level of rule `r` for the file at `path` under `cfg` (which may
 * be NULL), and, when settings_refs is given, the refs of the settings
 * tables to apply over the defaults, in order (at most 1 + overrides);
 * returns how many. */
tm_level tm_cfg_level(const tm_ctx *c, const tm_cfg *cfg, const char *path, size_t r,
                      int *settings_refs, size_t *nrefs);
/* Whether the file at real path `real` is a test fixture of a team rule
 * in effect under `cfg` (under the tests/ of one of its rules_dirs, or of
 * --rules-dir): `tmlint test` runs those; a check of the repository must
 * not report the findings they are written to have. */
int tm_cfg_is_fixture(tm_ctx *c, tm_cfg *cfg, const char *real);
/* Whether a directory scan under `cfg` takes `path` (include/exclude). */
int tm_cfg_takes(const tm_cfg *cfg, const char *path, int default_match);
void tm_cfg_free_all(tm_ctx *c);
/* A note for each configuration one of whose globs took more steps than
 * a match may (read as not matching). */
void tm_cfg_report(tm_ctx *c);
/* Writes a commented starter config to `path`; refuses to overwrite. It
 * lists every rule loaded (team rules marked), and carries over the rules
 * directories, adapter and format of `in_effect` (the configuration that
 * governed here before, or NULL) and --rules-dir. */
int tm_cfg_init(tm_ctx *c, const tm_cfg *in_effect, const char *path);


#endif
