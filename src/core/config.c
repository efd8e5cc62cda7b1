#include "config.h"
#include "repo.h"
#include "esc.h"
#include "buf.h"
#include "lua_api.h"
#include "rules.h"
#include "source.h"
#include "suggest.h"
#include "yaml_load.h"
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_SIZE ((size_t)1 << 20)
static tm_cfg broken_cfg;   /* address only: marks a config that failed to load */
#define BROKEN (&broken_cfg)

/* ---- loading ---- */

#define cfg_err(c, cfg, node, ...) \
    tm_diag_add(&(c)->diags, TM_DIAG_ERROR, (cfg)->path, (node) == TM_NONE ? 0 : (cfg)->doc->pos[node].line, \
                (node) == TM_NONE ? 0 : (cfg)->doc->pos[node].col, NULL, __VA_ARGS__)

/* "TM101 has no setting 'max_age_dyas'; did you mean 'max_age_days'?": the
 * rule's settings (a plain table: rules.c copies it) and `level` */
static int no_setting(tm_ctx *c, const tm_cfg *cfg, uint32_t at, const tm_rule *r, int defaults, const char *name)
{
    lua_State *L = c->rt->L;
    size_t n = 0, cap = 16;
    const char **names = tm_xmalloc(cap * sizeof *names);
    names[n++] = "level";
    if (lua_istable(L, defaults)) {
        lua_pushnil(L);
        while (lua_next(L, defaults)) {
            if (lua_type(L, -2) == LUA_TSTRING) {
                if (n == cap)
                    names = tm_xrealloc(names, (cap *= 2) * sizeof *names);
                names[n++] = lua_tostring(L, -2);   /* the table keeps it alive */
            }
            lua_pop(L, 1);
        }
    }
    const char *sug = tm_suggest(name, names, n);
    int rc = sug ? cfg_err(c, cfg, at, "%s has no setting '%s'; did you mean '%s'?", r->id, name, sug)
                 : cfg_err(c, cfg, at, "%s has no setting '%s'", r->id, name);
    free(names);
    return rc;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void unref_set(tm_ctx *c, tm_rule_set *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < c->nrules; i++)
        if (rs[i].settings_ref != LUA_NOREF && c->rt)
            luaL_unref(c->rt->L, LUA_REGISTRYINDEX, rs[i].settings_ref);
    free(rs);
}

static void cfg_free(tm_ctx *c, tm_cfg *cfg)
{
    if (!cfg || cfg == BROKEN)
        return;
    free(cfg->path);
    free(cfg->dir);
    free(cfg->ov_rel);
    free(cfg->ov_hit);
    free(cfg->glob_cut);
    if (cfg->doc) {
        tm_doc_free(cfg->doc);
        free(cfg->doc);
    }
    unref_set(c, cfg->rules);
    free_list(cfg->include, cfg->ninclude);
    free_list(cfg->exclude, cfg->nexclude);
    free_list(cfg->rules_dirs, cfg->nrules_dirs);
    for (size_t i = 0; i < cfg->nov; i++) {
        free_list(cfg->ov[i].files, cfg->ov[i].nfiles);
        unref_set(c, cfg->ov[i].rules);
    }
    free(cfg->ov);
    free(cfg->format);
    free(cfg->adapter);
    if (cfg->lua_root != LUA_NOREF && c->rt)
        luaL_unref(c->rt->L, LUA_REGISTRYINDEX, cfg->lua_root);
    free(cfg);
}

void tm_cfg_free_all(tm_ctx *c)
{
    for (size_t i = 0; i < c->ncfgs; i++)
        cfg_free(c, c->cfgs[i]);
    free(c->cfgs);
    tm_strmap_free(&c->cfg_cache);
    tm_strmap_free(&c->dir_listed);
    c->cfgs = NULL;
    c->ncfgs = 0;
}

static const char *scalar(const tm_doc *d, uint32_t n)
{
    return (n != TM_NONE && d->nodes[n].type == TM_NODE_SCALAR) ? tm_node_str(d, &d->nodes[n]) : NULL;
}

/* A string or a list of strings. */
static int str_list(tm_ctx *c, tm_cfg *cfg, uint32_t key, uint32_t v, char ***out, size_t *n)
{
    const tm_doc *d = cfg->doc;
    const tm_node *vn = &d->nodes[v];
    if (vn->type == TM_NODE_SCALAR) {
        *out = tm_xmalloc(sizeof **out);
        (*out)[0] = tm_xstrdup(tm_node_str(d, vn));
        *n = 1;
        return 0;
    }
    if (vn->type != TM_NODE_SEQ)
        return cfg_err(c, cfg, v, "'%s' must be a list of strings", scalar(d, key));
    *out = tm_xcalloc(vn->len ? vn->len : 1, sizeof **out);
    *n = 0;
    for (uint32_t i = 0; i < vn->len; i++) {
        const char *s = scalar(d, d->kids[vn->off + i]);
        if (!s)
            return cfg_err(c, cfg, d->kids[vn->off + i], "'%s' must be a list of strings", scalar(d, key));
        (*out)[(*n)++] = tm_xstrdup(s);
    }
    return 0;
}

static int parse_top(tm_ctx *c, tm_cfg *cfg)
{
    const tm_doc *d = cfg->doc;
    const tm_node *root = &d->nodes[d->root];
    int rc = 0;
    for (uint32_t i = 0; i + 1 < root->len; i += 2) {
        uint32_t k = d->kids[root->off + i], v = d->kids[root->off + i + 1];
        const char *key = tm_node_str(d, &d->nodes[k]);
        if (tm_node_is_null(d, &d->nodes[v]))
            continue;
        if (!strcmp(key, "rules")) {
            if (d->nodes[v].type != TM_NODE_MAP)
                rc = cfg_err(c, cfg, v, "'rules' must map rule ids or names to a level or settings");
            cfg->rules_node = v;
        } else if (!strcmp(key, "include")) {
            rc |= str_list(c, cfg, k, v, &cfg->include, &cfg->ninclude);
        } else if (!strcmp(key, "exclude")) {
            rc |= str_list(c, cfg, k, v, &cfg->exclude, &cfg->nexclude);
        } else if (!strcmp(key, "rules_dirs")) {
            rc |= str_list(c, cfg, k, v, &cfg->rules_dirs, &cfg->nrules_dirs);
        } else if (!strcmp(key, "format") || !strcmp(key, "adapter")) {
            const char *s = scalar(d, v);
            if (!s)
                rc = cfg_err(c, cfg, v, "'%s' must be a string", key);
            else if (!strcmp(key, "format"))
                cfg->format = tm_xstrdup(s);
            else
                cfg->adapter = tm_xstrdup(s);
        } else if (!strcmp(key, "overrides")) {
            const tm_node *vn = &d->nodes[v];
            if (vn->type != TM_NODE_SEQ) {
                rc = cfg_err(c, cfg, v, "'overrides' must be a list of {files: [...], rules: {...}}");
                continue;
            }
            cfg->ov = tm_xcalloc(vn->len ? vn->len : 1, sizeof *cfg->ov);
            for (uint32_t j = 0; j < vn->len; j++) {
                uint32_t o = d->kids[vn->off + j];
                tm_override *ov = &cfg->ov[cfg->nov++];
                ov->rules_node = TM_NONE;
                ov->lua_path = (int)j + 1;
                if (d->nodes[o].type != TM_NODE_MAP) {
                    rc = cfg_err(c, cfg, o, "each override must be a mapping with 'files' and 'rules'");
                    continue;
                }
                const tm_node *on = &d->nodes[o];
                for (uint32_t q = 0; q + 1 < on->len; q += 2) {
                    uint32_t ok = d->kids[on->off + q], ovv = d->kids[on->off + q + 1];
                    const char *okey = tm_node_str(d, &d->nodes[ok]);
                    if (!strcmp(okey, "files"))
                        rc |= str_list(c, cfg, ok, ovv, &ov->files, &ov->nfiles);
                    else if (!strcmp(okey, "rules")) {
                        if (d->nodes[ovv].type != TM_NODE_MAP)
                            rc = cfg_err(c, cfg, ovv, "'rules' must map rule ids or names to a level or settings");
                        else
                            ov->rules_node = ovv;
                    } else
                        rc = cfg_err(c, cfg, ok, "unknown key '%s' in an override (use files and rules)", okey);
                }
                if (!ov->nfiles)
                    rc = cfg_err(c, cfg, o, "an override needs 'files' (globs relative to the config's directory)");
            }
        } else {
            static const char *const keys[] = {"rules", "include", "exclude", "rules_dirs", "overrides", "format", "adapter"};
            const char *sug = tm_suggest(key, keys, sizeof keys / sizeof *keys);
            if (sug)
                rc = cfg_err(c, cfg, k, "unknown key '%s'; did you mean '%s'?", key, sug);
            else
                rc = cfg_err(c, cfg, k,
                             "unknown key '%s' (use rules, include, exclude, rules_dirs, overrides, format or adapter)", key);
        }
    }
    return rc ? -1 : 0;
}

/* real_dir: the real path of the file's directory, when the caller knows it */
static tm_cfg *load_cfg(tm_ctx *c, const char *path, const char *real_dir)
{
    tm_cfg *cfg = tm_xcalloc(1, sizeof *cfg);
    cfg->path = tm_xstrdup(path);
    cfg->lua_root = LUA_NOREF;
    cfg->rules_node = TM_NONE;
    cfg->adapter_index = -1;
    char real[PATH_MAX];
    const char *slash;
    if (real_dir)
        cfg->dir = tm_xstrdup(real_dir);
    else if (realpath(path, real) && (slash = strrchr(real, '/')))
        cfg->dir = tm_xstrndup(real, slash == real ? 1 : (size_t)(slash - real));
    else
        cfg->dir = tm_xstrdup(".");
    tm_src src;
    tm_docs docs = {NULL, 0};
    int rc = tm_src_read(&src, path, CONFIG_MAX_SIZE, &c->diags);
    if (rc == 0)
        rc = tm_yaml_load(&src, &c->opts.limits, &docs, &c->diags);
    tm_src_free(&src);
    if (rc == 0 && docs.n == 0) {
        /* an empty config is a valid config that changes nothing */
        tm_docs_free(&docs);
    } else if (rc == 0) {
        cfg->doc = docs.v[0];
        for (size_t i = 1; i < docs.n; i++) {
            tm_doc_free(docs.v[i]);
            free(docs.v[i]);
        }
        free(docs.v);
        const tm_node *root = &cfg->doc->nodes[cfg->doc->root];
        if (root->type == TM_NODE_SCALAR && tm_node_is_null(cfg->doc, root)) {
            /* only comments */
        } else if (root->type != TM_NODE_MAP) {
            rc = cfg_err(c, cfg, cfg->doc->root, "a tmlint configuration is a mapping");
        } else {
            rc = parse_top(c, cfg);
        }
    }
    if (rc != 0) {
        cfg_free(c, cfg);
        return NULL;
    }
    c->cfgs = tm_xrealloc(c->cfgs, (c->ncfgs + 1) * sizeof *c->cfgs);
    c->cfgs[c->ncfgs++] = cfg;
    return cfg;
}

int tm_cfg_load_forced(tm_ctx *c, const char *path)
{
    c->forced = load_cfg(c, path, NULL);
    if (c->forced)
        c->forced->used = 1;
    return c->forced ? 0 : -1;
}

static int has_entry(const char *dir, const char *name)
{
    char probe[PATH_MAX + 32];
    struct stat st;
    snprintf(probe, sizeof probe, "%s/%s", strcmp(dir, "/") ? dir : "", name);
    return lstat(probe, &st) == 0;
}

/* has_entry, answered from the walk's listing of dir when it has one */
static int listed(const tm_ctx *c, const char *dir, const char *name, uintptr_t bit)
{
    void **v = c->dir_listed.n ? tm_strmap_get(&c->dir_listed, dir) : NULL;
    return v ? ((uintptr_t)*v & bit) != 0 : has_entry(dir, name);
}

static void up(char *dir)
{
    char *slash = strrchr(dir, '/');
    *(slash == dir ? slash + 1 : slash) = 0;
}

/* Whether a repository root (.git) is above dir. */
static int git_above(const char *dir)
{
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s", dir);
    while (strcmp(d, "/")) {
        up(d);
        if (has_entry(d, ".git"))
            return 1;
    }
    return 0;
}

/* The search for a file's configuration goes up from its directory and
 * stops at the repository root (.git). Outside a repository it stops at
 * the working directory, or at the named path when that is outside it:
 * a configuration in some parent directory must not switch rules off. A
 * world-writable directory never supplies one: anyone could have put it
 * there. Every answer is cached per directory, so a walk stays linear. */
tm_cfg *tm_cfg_for(tm_ctx *c, const char *path, int *failed)
{
    *failed = 0;
    if (c->forced)
        return c->forced;
    char dir[PATH_MAX];
    struct stat st;
    if (!realpath(path, dir)) {
        /* a name that is not a file (--stdin-filename): its directory decides */
        char parent[PATH_MAX];
        const char *slash = strrchr(path, '/');
        snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
        if (!*parent || !realpath(parent, dir))
            return NULL;
    } else if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        up(dir);
    }
    return tm_cfg_for_dir(c, dir, failed);
}

/* A configuration that is a symbolic link must lead inside the repository
 * that holds it (outside any, its own directory), as every path a
 * repository supplies: a hostile one could point it at a secret, which
 * the configuration's errors would then quote. */
static int link_inside(tm_ctx *c, const char *dir, const char *probe)
{
    void **v = c->dir_listed.n ? tm_strmap_get(&c->dir_listed, dir) : NULL;
    if (v && !((uintptr_t)*v & TM_LISTED_CFG_LINK))
        return 1;   /* the walk's listing said: a regular file */
    char *fence;
    const char *why;
    int out = tm_repo_link_outside(&c->repos, probe, &fence, &why);
    if (out)
        tm_diag_add(&c->diags, TM_DIAG_ERROR, probe, 0, 0, NULL,
                    "refusing this configuration, a symbolic link: %s (%s); --config names one outside", why,
                    fence ? fence : "?");
    free(fence);
    return !out;
}

tm_cfg *tm_cfg_for_dir(tm_ctx *c, const char *real_dir, int *failed)
{
    *failed = 0;
    if (c->forced)
        return c->forced;
    char dir[PATH_MAX];
    struct stat st;
    snprintf(dir, sizeof dir, "%s", real_dir);
    if (!c->cwd) {
        char cwd[PATH_MAX];
        c->cwd = tm_xstrdup(getcwd(cwd, sizeof cwd) ? cwd : "/");   /* getcwd's path has no links */
    }
    char **passed = NULL;
    size_t np = 0;
    tm_cfg *found = NULL;
    for (;;) {
        void **hit = tm_strmap_get(&c->cfg_cache, dir);
        if (hit) {
            found = *hit;
            break;
        }
        passed = tm_xrealloc(passed, (np + 1) * sizeof *passed);
        passed[np++] = tm_xstrdup(dir);
        int yaml = listed(c, dir, TM_CONFIG_NAME, TM_LISTED_YAML), yml = listed(c, dir, TM_CONFIG_ALT, TM_LISTED_YML);
        if (yaml || yml) {
            const char *name = yaml ? TM_CONFIG_NAME : TM_CONFIG_ALT;
            char probe[PATH_MAX + 32];
            snprintf(probe, sizeof probe, "%s/%s", strcmp(dir, "/") ? dir : "", name);
            if (stat(dir, &st) == 0 && (st.st_mode & S_IWOTH)) {
                if (c->opts.verbose) {
                    tm_esc_fputs(probe, stderr);
                    fputs(": ignored: it is in a world-writable directory\n", stderr);
                }
            } else if (yaml && yml) {   /* which one the team edits is unknown: neither is guessed */
                tm_diag_add(&c->diags, TM_DIAG_ERROR, probe, 0, 0, NULL,
                            TM_CONFIG_ALT " beside it is a configuration too: keep one of the two");
                found = BROKEN;
                c->cfg_failed = 1;
                break;
            } else if (!link_inside(c, dir, probe)) {
                found = BROKEN;
                c->cfg_failed = 1;
                break;
            } else {
                found = load_cfg(c, probe, dir);
                if (!found) {
                    found = BROKEN;
                    c->cfg_failed = 1;
                }
                break;
            }
        }
        if (listed(c, dir, ".git", TM_LISTED_GIT) || !strcmp(dir, "/"))
            break;
        int at_ceiling = (c->cwd && !strcmp(dir, c->cwd)) || (c->ceiling && !strcmp(dir, c->ceiling));
        if (at_ceiling && !git_above(dir))
            break;
        up(dir);
    }
    /* every directory passed on the way shares the answer */
    for (size_t i = 0; i < np; i++) {
        tm_strmap_put(&c->cfg_cache, passed[i], found);
        free(passed[i]);
    }
    free(passed);
    if (found == BROKEN) {
        *failed = 1;
        return NULL;
    }
    return found;
}

/* ---- rules ---- */

/* The position of the value of `key` (or of its list entry `name`). */
static uint32_t entry_at(const tm_cfg *cfg, const char *key, const char *name)
{
    const tm_doc *d = cfg->doc;
    uint32_t at = d && d->root != TM_NONE ? tm_node_get(d, d->root, key, strlen(key), NULL) : TM_NONE;
    if (at != TM_NONE && d->nodes[at].type == TM_NODE_SEQ)
        for (uint32_t i = 0; i < d->nodes[at].len; i++) {
            uint32_t k = d->kids[d->nodes[at].off + i];
            const char *t = scalar(d, k);
            if (t && !strcmp(t, name)) {
                at = k;
                break;
            }
        }
    return at;
}

/* A path the configuration names, resolved inside the repository that
 * holds the configuration (tm_repo_resolve); NULL after an error that
 * names the setting and the path as written, never what the file holds. */
static char *confined_path(tm_ctx *c, tm_cfg *cfg, const char *name, const char *key, char **fence,
                           const char **why)
{
    char *p = tm_repo_resolve(&c->repos, cfg->path, name, fence, why);
    if (p)
        return p;
    uint32_t at = entry_at(cfg, key, name);
    if (!strncmp(*why, "it leads outside", 16))
        cfg_err(c, cfg, at, "%s: refusing '%s': %s (%s)", key, name, *why, *fence ? *fence : "?");
    else
        cfg_err(c, cfg, at, "%s: '%s' cannot be read: %s", key, name, *why);
    return NULL;
}

int tm_cfg_load_rule_dirs(tm_ctx *c)
{
    int rc = 0;
    for (size_t i = 0; i < c->ncfgs; i++) {
        tm_cfg *cfg = c->cfgs[i];
        for (size_t j = 0; cfg->used && j < cfg->nrules_dirs; j++) {
            char *fence;
            const char *why;
            char *p = confined_path(c, cfg, cfg->rules_dirs[j], "rules_dirs", &fence, &why);
            struct stat st;
            if (!p)
                rc = -1;
            else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
                rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, cfg->path, 0, 0, NULL,
                                 "rules_dirs: '%s' is not a directory", cfg->rules_dirs[j]);
            else if (tm_rules_load_extra(c, p, cfg) != 0)
                rc = -1;
            else if (!tm_rules_from_dir(c, p, cfg)) {   /* rules one level down, or none yet: the team's rules would not run */
                uint32_t at = entry_at(cfg, "rules_dirs", cfg->rules_dirs[j]);
                tm_diag_add(&c->diags, TM_DIAG_WARNING, cfg->path, at == TM_NONE ? 0 : cfg->doc->pos[at].line,
                            at == TM_NONE ? 0 : cfg->doc->pos[at].col, NULL,
                            "rules_dirs: '%s' holds no rule file (*.lua directly in it): no team rule of it runs",
                            cfg->rules_dirs[j]);
            }
            free(p);
            free(fence);
        }
        if (cfg->adapter && cfg->used) {
            char *fence;
            const char *why;
            char *p = confined_path(c, cfg, cfg->adapter, "adapter", &fence, &why);
            cfg->adapter_index = p ? tm_rules_load_adapter(c, p, cfg) : -1;
            if (cfg->adapter_index < 0)
                rc = -1;
            free(p);
            free(fence);
        }
        if (cfg->format) {
            int known = 0;
            for (size_t a = 0; a < c->nadapters; a++)
                known |= !c->adapters[a].origin && !strcmp(c->adapters[a].name, cfg->format);
            if (!known)
                rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, cfg->path, 0, 0, NULL,
                                 "format: '%s' is not a format tmlint reads (tmlint --help lists them)", cfg->format);
        }
    }
    return rc;
}

/* The Lua type a YAML scalar becomes (see src/rt/lua_tree.c push_scalar). */
static int yaml_lua_type(const tm_doc *d, uint32_t n)
{
    const tm_node *nd = &d->nodes[n];
    if (nd->type != TM_NODE_SCALAR)
        return LUA_TTABLE;
    if (nd->flags & (TM_NODE_QUOTED | TM_NODE_STRTAG))
        return LUA_TSTRING;
    if (tm_node_is_null(d, nd))
        return LUA_TNIL;
    const char *s = tm_node_str(d, nd);
    if (!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "True") || !strcmp(s, "False") ||
        !strcmp(s, "TRUE") || !strcmp(s, "FALSE"))
        return LUA_TBOOLEAN;
    char *end;
    errno = 0;
    strtod(s, &end);
    if (*s && !*end && strspn(s, "0123456789+-.eE") == strlen(s))
        return LUA_TNUMBER;
    return LUA_TSTRING;
}

static int parse_level(const char *s, const tm_rule *r, tm_level *out)
{
    if (!strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "none")) {
        *out = TM_LEVEL_NONE;
        return 0;
    }
    if (!strcmp(s, "on") || !strcmp(s, "true")) {
        *out = r->level;
        return 0;
    }
    return tm_level_parse(s, out) == 0 && *out != TM_LEVEL_NONE ? 0 : -1;
}

/* Resolves one `rules:` mapping; `lua_rules` is the matching Lua table on
 * the stack (or 0). */
static int resolve_rules(tm_ctx *c, tm_cfg *cfg, uint32_t map, int lua_rules, tm_rule_set **out)
{
    lua_State *L = c->rt->L;
    const tm_doc *d = cfg->doc;
    tm_rule_set *rs = tm_xcalloc(c->nrules ? c->nrules : 1, sizeof *rs);
    for (size_t i = 0; i < c->nrules; i++)
        rs[i].settings_ref = LUA_NOREF;
    *out = rs;
    int rc = 0;
    const tm_node *m = &d->nodes[map];
    for (uint32_t i = 0; i + 1 < m->len; i += 2) {
        uint32_t k = d->kids[m->off + i], v = d->kids[m->off + i + 1];
        const char *name = tm_node_str(d, &d->nodes[k]);
        int ri = tm_rules_find_under(c, name, cfg);
        if (ri < 0) {
            /* the closest id or name, for a typo */
            const char **cands = tm_xmalloc((2 * c->nrules + 1) * sizeof *cands);
            for (size_t j = 0; j < c->nrules; j++) {
                cands[2 * j] = c->rules[j].id;
                cands[2 * j + 1] = c->rules[j].name;
            }
            const char *sug = tm_suggest(name, cands, 2 * c->nrules);
            if (sug)
                rc = cfg_err(c, cfg, k, "unknown rule '%s'; did you mean '%s'?", name, sug);
            else
                rc = cfg_err(c, cfg, k, "unknown rule '%s' (tmlint rules lists them)", name);
            free(cands);
            continue;
        }
        const tm_rule *r = &c->rules[ri];
        const tm_node *vn = &d->nodes[v];
        if (vn->type == TM_NODE_SCALAR) {
            if (parse_level(tm_node_str(d, vn), r, &rs[ri].level) != 0) {
                static const char *const levels[] = {"off", "error", "warning", "note"};
                const char *sug = tm_suggest(tm_node_str(d, vn), levels, 4);
                if (sug)
                    rc = cfg_err(c, cfg, v, "'%s' for %s is not a level; did you mean '%s'?", tm_node_str(d, vn),
                                 r->id, sug);
                else
                    rc = cfg_err(c, cfg, v,
                                 "'%s' for %s is not a level (use off, error, warning or note, or settings)",
                                 tm_node_str(d, vn), r->id);
            } else
                rs[ri].level_set = 1;
            continue;
        }
        if (vn->type != TM_NODE_MAP) {
            rc = cfg_err(c, cfg, v, "%s takes a level or a mapping of settings", r->id);
            continue;
        }
        /* its settings are in its table; a rule that cannot load has none
         * (it is off, and said so), and nothing here may read a nil */
        if (tm_rules_need(c, (size_t)ri) == 0) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref);
            lua_getfield(L, -1, "settings");
        } else {
            lua_pushnil(L);
            lua_pushnil(L);
        }
        int defaults = lua_gettop(L);
        int settings = 0;
        for (uint32_t q = 0; q + 1 < vn->len; q += 2) {
            uint32_t sk = d->kids[vn->off + q], sv = d->kids[vn->off + q + 1];
            const char *sname = tm_node_str(d, &d->nodes[sk]);
            if (!strcmp(sname, "level")) {
                const char *lv = scalar(d, sv);
                if (!lv || parse_level(lv, r, &rs[ri].level) != 0)
                    rc = cfg_err(c, cfg, sv, "the level of %s must be off, error, warning or note", r->id);
                else
                    rs[ri].level_set = 1;
                continue;
            }
            int want = lua_istable(L, defaults) ? lua_getfield(L, defaults, sname) : LUA_TNIL;
            int boolean_unset = want == LUA_TBOOLEAN && !lua_toboolean(L, -1);
            if (lua_istable(L, defaults))
                lua_pop(L, 1);
            if (want == LUA_TNIL) {
                rc = no_setting(c, cfg, sk, r, defaults, sname);
                continue;
            }
            int got = yaml_lua_type(d, sv);
            if (got != want && !(boolean_unset && got == LUA_TTABLE)) {
                rc = cfg_err(c, cfg, sv, "setting '%s' of %s takes a %s, not a %s", sname, r->id,
                             lua_typename(L, want), got == LUA_TNIL ? "null" : lua_typename(L, got));
                continue;
            }
            settings = 1;
        }
        lua_settop(L, defaults - 2);
        if (settings && lua_rules) {
            lua_getfield(L, lua_rules, name);
            rs[ri].settings_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        }
    }
    return rc;
}

int tm_cfg_resolve(tm_ctx *c)
{
    lua_State *L = c->rt->L;
    int rc = 0;
    for (size_t i = 0; i < c->ncfgs; i++) {
        tm_cfg *cfg = c->cfgs[i];
        /* a configuration that governs no checked file is read (its
         * shape is checked) but never turned into Lua values or resolved:
         * a tree of thousands of them costs only their parse */
        if (!cfg->doc || !cfg->used || cfg->doc->nodes[cfg->doc->root].type != TM_NODE_MAP)
            continue;
        if (cfg->lua_root == LUA_NOREF) {
            tm_api_push_doc(L, cfg->doc);
            cfg->lua_root = luaL_ref(L, LUA_REGISTRYINDEX);
        }
        int top = lua_gettop(L);
        lua_rawgeti(L, LUA_REGISTRYINDEX, cfg->lua_root);
        int root = lua_gettop(L);
        if (cfg->rules_node != TM_NONE && cfg->doc->nodes[cfg->rules_node].type == TM_NODE_MAP) {
            lua_getfield(L, root, "rules");
            if (resolve_rules(c, cfg, cfg->rules_node, lua_gettop(L), &cfg->rules) != 0)
                rc = -1;
            lua_pop(L, 1);
        }
        for (size_t j = 0; j < cfg->nov; j++) {
            tm_override *ov = &cfg->ov[j];
            if (ov->rules_node == TM_NONE)
                continue;
            lua_getfield(L, root, "overrides");
            lua_rawgeti(L, -1, ov->lua_path);
            lua_getfield(L, -1, "rules");
            if (resolve_rules(c, cfg, ov->rules_node, lua_gettop(L), &ov->rules) != 0)
                rc = -1;
            lua_pop(L, 3);
        }
        lua_settop(L, top);
    }
    return rc;
}

static void apply(const tm_rule_set *rs, size_t r, tm_level *lv, int *refs, size_t *n)
{
    if (!rs)
        return;
    if (rs[r].level_set)
        *lv = rs[r].level;
    if (refs && rs[r].settings_ref != LUA_NOREF)
        refs[(*n)++] = rs[r].settings_ref;
}

/* Which overrides apply to rel: computed once per file, not once per rule
 * (64 rules times 256 long globs was half a minute). */
static void match_overrides(tm_cfg *cfg, const char *rel)
{
    if (cfg->ov_rel && !strcmp(cfg->ov_rel, rel))
        return;
    free(cfg->ov_rel);
    cfg->ov_rel = tm_xstrdup(rel);
    if (!cfg->ov_hit)
        cfg->ov_hit = tm_xcalloc(cfg->nov, 1);
    for (size_t i = 0; i < cfg->nov; i++) {
        cfg->ov_hit[i] = 0;
        for (size_t j = 0; j < cfg->ov[i].nfiles && !cfg->ov_hit[i]; j++) {
            size_t budget = TM_GLOB_MAX_STEPS;
            int m = tm_glob_match_b(cfg->ov[i].files[j], rel, &budget);
            if (m < 0 && !cfg->glob_cut)
                cfg->glob_cut = tm_xstrdup(cfg->ov[i].files[j]);
            cfg->ov_hit[i] = m == 1;
        }
    }
}

void tm_cfg_report(tm_ctx *c)
{
    for (size_t i = 0; i < c->ncfgs; i++)
        if (c->cfgs[i]->glob_cut)
            tm_diag_add(&c->diags, TM_DIAG_NOTE, c->cfgs[i]->path, 0, 0, NULL,
                        "a glob of overrides took more than %zu steps to match a path and was read as not matching"
                        " there: '%.80s%s'", TM_GLOB_MAX_STEPS, c->cfgs[i]->glob_cut,
                        strlen(c->cfgs[i]->glob_cut) > 80 ? "..." : "");
}

tm_level tm_cfg_level(const tm_ctx *c, const tm_cfg *cfg, const char *rel, size_t r,
                      int *refs, size_t *nrefs)
{
    const tm_rule *rule = &c->rules[r];
    size_t n = 0;
    tm_level lv = rule->level;
    if (!tm_rule_under(rule, cfg)) {   /* a team's own rule applies under its own config(s), whatever is asked */
        if (nrefs)
            *nrefs = 0;
        return TM_LEVEL_NONE;
    }
    if (cfg) {
        apply(cfg->rules, r, &lv, refs, &n);
        if (cfg->nov && rel)
            match_overrides((tm_cfg *)cfg, rel);   /* a cache only: what cfg says does not change */
        for (size_t i = 0; i < cfg->nov && rel; i++)
            if (cfg->ov_hit[i])
                apply(cfg->ov[i].rules, r, &lv, refs, &n);
    }
    /* the command line wins over every file */
    for (size_t i = 0; i < c->opts.nenable; i++)
        if (tm_rules_named(c, r, c->opts.enable[i]) && lv == TM_LEVEL_NONE)
            lv = rule->level;
    for (size_t i = 0; i < c->opts.ndisable; i++)
        if (tm_rules_named(c, r, c->opts.disable[i]))
            lv = TM_LEVEL_NONE;
    if (c->opts.nonly) {   /* --only: these rules and no others, each on */
        int listed = 0;
        for (size_t i = 0; i < c->opts.nonly && !listed; i++)
            listed = tm_rules_named(c, r, c->opts.only[i]);
        lv = !listed ? TM_LEVEL_NONE : lv == TM_LEVEL_NONE ? rule->level : lv;
    }
    if (c->opts.nselect) {   /* --select PREFIX: those rules and no others, each on */
        int picked = 0;
        for (size_t i = 0; i < c->opts.nselect && !picked; i++)
            picked = !strncmp(rule->id, c->opts.select[i], strlen(c->opts.select[i]));
        lv = !picked ? TM_LEVEL_NONE : lv == TM_LEVEL_NONE ? rule->level : lv;
    }
    for (size_t i = 0; i < c->opts.nignore; i++)
        if (!strncmp(rule->id, c->opts.ignore[i], strlen(c->opts.ignore[i])))
            lv = TM_LEVEL_NONE;
    if (c->opts.change_acknowledged && !strcmp(rule->id, "TM342"))
        lv = TM_LEVEL_NONE;   /* the commit message says why the model stays as it is */
    if (nrefs)
        *nrefs = n;
    return lv;
}

static int under_tests(const char *dir, const char *real)
{
    char r[PATH_MAX];
    if (!realpath(dir, r))   /* only a name to compare with: nothing of it is read */
        return 0;
    size_t n = strlen(r);
    return !strncmp(real, r, n) && !strncmp(real + n, "/tests/", 7);
}

int tm_cfg_is_fixture(tm_ctx *c, tm_cfg *cfg, const char *real)
{
    if (c->opts.rules_dir && under_tests(c->opts.rules_dir, real))
        return 1;
    if (!cfg)
        return 0;
    for (size_t i = 0; i < cfg->nrules_dirs; i++) {
        tm_buf d;
        tm_buf_init(&d);
        if (cfg->rules_dirs[i][0] == '/')
            tm_buf_adds(&d, cfg->rules_dirs[i]);
        else
            tm_buf_printf(&d, "%s/%s", cfg->dir, cfg->rules_dirs[i]);
        int hit = under_tests(d.p, real);
        tm_buf_free(&d);
        if (hit)
            return 1;
    }
    return 0;
}

int tm_cfg_takes(const tm_cfg *cfg, const char *rel, int default_match)
{
    if (!cfg)
        return default_match;
    int take = default_match;
    if (cfg->ninclude) {
        take = 0;
        for (size_t i = 0; i < cfg->ninclude; i++)
            take |= tm_glob_match(cfg->include[i], rel);
    }
    for (size_t i = 0; take && i < cfg->nexclude; i++)
        if (tm_glob_match(cfg->exclude[i], rel))
            take = 0;
    return take;
}

/* `to`, a real path, as seen from the real directory `from`: "x/y",
 * "../x", or "." (both without trailing slashes). */
static char *rel_between(const char *from, const char *to)
{
    size_t common = 0;
    for (size_t i = 0;; i++) {
        int fe = !from[i] || from[i] == '/', te = !to[i] || to[i] == '/';
        if (fe && te)
            common = i;
        if (!from[i] || !to[i] || from[i] != to[i])
            break;
    }
    if (!strcmp(from, "/"))
        common = 0;
    tm_buf b;
    tm_buf_init(&b);
    for (const char *p = from + common; *p; p++)
        if (*p == '/' && p[1])
            tm_buf_adds(&b, b.len ? "/.." : "..");
    const char *rest = to + common;
    while (*rest == '/')
        rest++;
    if (*rest)
        tm_buf_printf(&b, "%s%s", b.len ? "/" : "", rest);
    if (!b.len)
        tm_buf_adds(&b, ".");
    return tm_buf_detach(&b);
}

/* A path as YAML's double-quoted scalar. */
static void yaml_quoted(tm_buf *b, const char *s)
{
    tm_buf_addc(b, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            tm_buf_printf(b, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f)
            tm_buf_printf(b, "\\x%02x", ch);
        else
            tm_buf_addc(b, (char)ch);
    }
    tm_buf_addc(b, '"');
}

/* Where a team rule came from, for init's listing: the directory of its
 * file, from `here` */
static char *rule_dir_from(const tm_rule *r, const char *here)
{
    char real[PATH_MAX];
    if (!r->path || !realpath(r->path, real))
        return NULL;
    char *slash = strrchr(real, '/');
    if (slash && slash != real)
        *slash = 0;
    return rel_between(here, real);
}

int tm_cfg_init(tm_ctx *c, const tm_cfg *in_effect, const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "already exists; not overwriting it");
    char here[PATH_MAX];
    if (!getcwd(here, sizeof here))
        strcpy(here, "/");
    char builtin[PATH_MAX];
    if (!c->rules_dir || !realpath(c->rules_dir, builtin))
        builtin[0] = 0;
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b,
        "# tmlint configuration. tmlint uses the nearest .tmlint.yaml (or .tmlint.yml)\n"
        "# above a checked file (up to the repository root), or the one given with --config.\n");
    if (in_effect) {
        char *was = rel_between(here, in_effect->dir);
        tm_buf_adds(&b, "# It replaces, for the files below it, ");
        tm_buf_adds(&b, was);
        const char *base = strrchr(in_effect->path, '/');
        tm_buf_adds(&b, "/");
        tm_buf_adds(&b, base ? base + 1 : in_effect->path);
        tm_buf_adds(&b, " (nothing is inherited):\n# its rules directories and adapter are carried over below.\n");
        free(was);
    }
    tm_buf_adds(&b,
        "\n"
        "# Per rule, by id or name: off, error, warning or note, or a mapping of\n"
        "# settings (and `level:`). `tmlint rules` shows the result.\n"
        "rules:\n");
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        size_t bl = strlen(builtin);
        int team = r->origin || (bl && r->path && strncmp(r->path, builtin, bl) != 0);
        char *from = team ? rule_dir_from(r, here) : NULL;
        tm_buf_printf(&b, "  # %s: %s    # %s, default %s", r->id, tm_level_name(r->level), r->name,
                      tm_level_name(r->level));
        if (team)
            tm_buf_printf(&b, "; a team rule, from %s", from ? from : "?");
        tm_buf_addc(&b, '\n');
        free(from);
    }
    tm_buf_adds(&b,
        "  # TM302: {max_share: 0.5}     # settings: see `tmlint explain TM302`\n"
        "\n"
        "# Which files a directory scan checks (globs relative to this file; `**`\n"
        "# spans directories). Without include, the usual names are taken:\n"
        "# *.tm.yaml, *.tm.yml, *.tm.json, threat-model.y(a)ml, threatmodel.y(a)ml,\n"
        "# and any JSON or YAML file whose first bytes are those of a model.\n"
        "# include: [\"models/**/*.yaml\"]\n"
        "# exclude: [\"vendor/**\"]\n"
        "\n"
        "# Directories of the team's own rules (same API and sandbox as the built-in ones).\n");
    /* the rules directories in effect: the configuration's and --rules-dir */
    size_t ndirs = 0;
    tm_buf dirs;
    tm_buf_init(&dirs);
    for (size_t i = 0; in_effect && i < in_effect->nrules_dirs; i++) {
        tm_buf full;
        tm_buf_init(&full);
        tm_buf_printf(&full, "%s/%s", in_effect->dir, in_effect->rules_dirs[i]);
        char real[PATH_MAX];
        char *rel = realpath(full.p, real) ? rel_between(here, real) : NULL;
        if (rel) {
            tm_buf_adds(&dirs, ndirs++ ? ", " : "");
            yaml_quoted(&dirs, rel);
        }
        free(rel);
        tm_buf_free(&full);
    }
    char real[PATH_MAX];
    if (c->opts.rules_dir && !(c->rules_dir && !strcmp(c->rules_dir, c->opts.rules_dir)) &&
        realpath(c->opts.rules_dir, real)) {
        char *rel = rel_between(here, real);
        tm_buf_adds(&dirs, ndirs++ ? ", " : "");
        yaml_quoted(&dirs, rel);
        free(rel);
    }
    if (ndirs)
        tm_buf_printf(&b, "rules_dirs: [%s]\n", dirs.p);
    else
        tm_buf_adds(&b, "# rules_dirs: [tm-rules]\n");
    tm_buf_free(&dirs);
    if (in_effect && in_effect->adapter) {
        tm_buf full;
        tm_buf_init(&full);
        tm_buf_printf(&full, "%s/%s", in_effect->dir, in_effect->adapter);
        char *rel = realpath(full.p, real) ? rel_between(here, real) : NULL;
        if (rel) {
            tm_buf_adds(&b, "\n# The team's adapter, for a model shape of its own.\nadapter: ");
            yaml_quoted(&b, rel);
            tm_buf_addc(&b, '\n');
        }
        free(rel);
        tm_buf_free(&full);
    }
    if (in_effect && in_effect->format) {
        tm_buf_adds(&b, "\n# The format every model here is read as.\nformat: ");
        yaml_quoted(&b, in_effect->format);
        tm_buf_addc(&b, '\n');
    }
    tm_buf_adds(&b,
        "\n"
        "# Different settings for some paths; later entries win.\n"
        "# overrides:\n"
        "#   - files: [\"legacy/**\"]\n"
        "#     rules: {TM310: warning}\n"
        "\n"
        "# Editors: this first line of a native model (model: 1) gives completion and\n"
        "# checks as you type, from the schema tmlint itself enforces (rule TM006):\n"
        "# yaml-language-server: $schema=" TMLINT_HOMEPAGE "/raw/main/docs/schema/model.schema.json\n"
        "# (an installed tmlint has it in share/tmlint/model.schema.json)\n");
    int rc = 0;
    FILE *f = fopen(path, "wx");
    if (!f || fwrite(b.p, 1, b.len, f) != b.len)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    tm_buf_free(&b);
    return rc;
}
