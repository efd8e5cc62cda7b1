#include "run.h"
#include "utf8.h"
#include "ci_files.h"
#include "buf.h"
#include "config.h"
#include "lua_api.h"
#include "rules.h"
#include "source.h"
#include "include.h"
#include "schema.h"
#include "split.h"
#include "suppress.h"
#include "walk.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define GARBAGE_STEP ((size_t)4 << 20)   /* rules' garbage between collections */


int tm_run_setup(tm_ctx *c)
{
    if (tm_rules_locate(c) != 0)
        return -1;
    tm_re_limits rl = {1000000, 10000, 64 * 1024};
    c->rt = tm_rt_new(c->opts.lua_memory, &rl, &c->diags);
    if (!c->rt)
        return -1;
    c->rt->verbose = c->opts.verbose;
    c->rt->time_limit_ns = (int64_t)c->opts.rule_time * 1000000000;
    c->rt->count_always = c->opts.count_instructions;
    return tm_rules_load(c);
}

/* Copies the pairs of the table at `from` into the table at `to`, except
 * `level` (a config's settings tables hold the level too). */
static void merge(lua_State *L, int to, int from)
{
    lua_pushnil(L);
    while (lua_next(L, from)) {
        if (lua_type(L, -2) == LUA_TSTRING && !strcmp(lua_tostring(L, -2), "level")) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, to);
    }
}

void tm_run_push_settings(tm_ctx *c, size_t rule, const int *refs, size_t nrefs)
{
    lua_State *L = c->rt->L;
    lua_newtable(L);   /* a fresh copy: rules may not change the shared tables */
    int t = lua_gettop(L);
    /* its defaults are in its table; a rule that cannot load has none (it
     * is off, and said so) */
    if (tm_rules_need(c, rule) == 0) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, c->rules[rule].ref);
        if (lua_getfield(L, -1, "settings") == LUA_TTABLE)
            merge(L, t, lua_gettop(L));
        lua_pop(L, 2);
    }
    for (size_t i = 0; i < nrefs; i++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, refs[i]);
        if (lua_istable(L, -1))
            merge(L, t, lua_gettop(L));
        lua_pop(L, 1);
    }
}

static const char *type_name(const tm_node *n)
{
    return n->type == TM_NODE_MAP ? "mapping" : n->type == TM_NODE_SEQ ? "sequence" : "scalar";
}

/* The adapter forced for file f (--input-format, then the config's
 * `adapter:` or `format:`), -1 to detect, or -2 when the name is unknown. */
static int forced_adapter(tm_ctx *c, const tm_file *f, const char **name)
{
    *name = c->opts.input_format;
    if (!*name && f->cfg && f->cfg->adapter_index >= 0)
        return f->cfg->adapter_index;
    if (!*name && f->cfg)
        *name = f->cfg->format;
    if (!*name)
        return -1;
    for (size_t i = 0; i < c->nadapters; i++)
        if (!c->adapters[i].origin && !strcmp(c->adapters[i].name, *name))
            return (int)i;
    return -2;
}

static void push_adapter_ctx(tm_ctx *c, const tm_file *f)
{
    lua_State *L = c->rt->L;
    lua_newtable(L);
    lua_pushstring(L, f->path);
    lua_setfield(L, -2, "file");
    lua_pushstring(L, c->now);
    lua_setfield(L, -2, "now");
}

/* Calls adapter a's function `fn` (detect or build) on the tree at `root`,
 * under the budget; leaves `nres` results on the stack, or returns -1. */
static int call_adapter(tm_ctx *c, const tm_file *f, tm_adapter *a, const char *fn, int root,
                        int64_t budget, size_t memory, int nres)
{
    lua_State *L = c->rt->L;
    char who[160];
    snprintf(who, sizeof who, "adapter %s", a->name);
    lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref);
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
    lua_pushvalue(L, root);
    push_adapter_ctx(c, f);
    int rc = tm_rt_call(c->rt, 2, nres, budget, memory, who, f->path, &c->diags);
    tm_timing *t = &a->timing;
    t->ns += c->rt->last_ns;
    t->work += c->rt->last_work;
    t->calls++;
    return rc;
}

/* t[k] pushed without metamethods: what an adapter or rule returned is
 * read here outside any protected call, and an __index that raised
 * would end the process (a team adapter's model is hostile input). */
static int raw_field(lua_State *L, int t, const char *k)
{
    t = lua_absindex(L, t);
    lua_pushstring(L, k);
    return lua_rawget(L, t);
}

static size_t list_len(lua_State *L, int t, const char *k)
{
    raw_field(L, t, k);
    size_t n = lua_istable(L, -1) ? (size_t)lua_rawlen(L, -1) : 0;
    lua_pop(L, 1);
    return n;
}

/* Detection asks every built-in adapter: a file is read as a format only
 * when exactly one claims it by what that format alone has. Two claims or
 * none refuse the file, naming the candidates or what each one missed:
 * reading a file under a guessed format is how a misread passes clean. */
static int detect_adapter(tm_ctx *c, tm_file *f, const tm_doc *doc, int root, int64_t budget)
{
    lua_State *L = c->rt->L;
    tm_buf claims, missed;
    tm_buf_init(&claims);
    tm_buf_init(&missed);
    int chosen = -1, nclaims = 0;
    for (size_t i = 0; i < c->nadapters; i++) {
        tm_adapter *a = &c->adapters[i];
        if (a->origin)
            continue;   /* a team's adapter is used only where its config names it */
        if (call_adapter(c, f, a, "detect", root, budget, c->opts.rule_memory, 2) != 0) {
            chosen = -2;
            break;
        }
        if (lua_toboolean(L, -2)) {
            tm_buf_printf(&claims, "%s%s", claims.len ? ", " : "", a->name);
            nclaims++;
            chosen = (int)i;
        } else {
            const char *why = lua_isstring(L, -1) ? lua_tostring(L, -1) : "its markers are absent";
            tm_buf_printf(&missed, "%s%s: %s", missed.len ? "; " : "", a->name, why);
        }
        lua_pop(L, 2);
    }
    const tm_pos *rp = &doc->pos[doc->root];
    if (chosen >= 0 && nclaims > 1) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, rp->line, rp->col, NULL,
                    "more than one format could read this file (%s); name one with --input-format or the"
                    " configuration's format:", claims.p);
        chosen = -2;
    } else if (chosen == -1) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, rp->line, rp->col, NULL,
                    "not a threat model tmlint can read (%s); a native model starts with 'model: 1',"
                    " --input-format names a format, and a team's own shape needs an adapter",
                    missed.p ? missed.p : "no formats");
        chosen = -2;
    }
    tm_buf_free(&claims);
    tm_buf_free(&missed);
    return chosen;
}

/* Picks the adapter (forced, or the one whose detect claims the file) and
 * runs its build; leaves the model on the stack. Returns 1 (model popped)
 * for a fragment that another file includes: nothing to check here. */
static int build_model(tm_ctx *c, tm_file *f, const tm_doc *doc, int root, int64_t budget)
{
    lua_State *L = c->rt->L;
    const char *fname;
    int chosen = forced_adapter(c, f, &fname);
    if (chosen == -2) {
        tm_buf names;
        tm_buf_init(&names);
        for (size_t i = 0; i < c->nadapters; i++)
            if (!c->adapters[i].origin)
                tm_buf_printf(&names, "%s%s", names.len ? ", " : "", c->adapters[i].name);
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, 0, 0, NULL, "unknown input format '%s' (formats: %s)",
                    fname, names.p ? names.p : "none");
        tm_buf_free(&names);
        return -1;
    }
    if (chosen < 0 && (chosen = detect_adapter(c, f, doc, root, budget)) < 0)
        return -1;
    tm_adapter *a = &c->adapters[chosen];
    if (call_adapter(c, f, a, "build", root, budget, c->opts.lua_memory, 1) != 0)
        return -1;
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, 0, 0, a->name,
                           "adapter %s returned no model (build must return a table)", a->name);
    }
    int m = lua_gettop(L);
    const tm_pos *rp = &doc->pos[doc->root];
    if (raw_field(L, m, "fragment") == LUA_TSTRING) {
        /* said once, as a note: its findings come through the file that includes it */
        tm_diag_add(&c->diags, TM_DIAG_NOTE, f->path, rp->line, rp->col, NULL, "%s", lua_tostring(L, -1));
        lua_settop(L, m - 1);
        return 1;
    }
    lua_pop(L, 1);
    /* tm.arch completes what every format shares (flows, zones, targets,
     * categories), so rules find the same shape whatever built it */
    lua_getfield(L, LUA_REGISTRYINDEX, "tm.lib");
    if (lua_istable(L, -1) && lua_getfield(L, -1, "arch") == LUA_TFUNCTION) {
        lua_remove(L, -2);
        lua_pushvalue(L, m);
        char who[160];
        snprintf(who, sizeof who, "adapter %s", a->name);
        int rc = tm_rt_call(c->rt, 1, 0, budget, c->opts.lua_memory, who, f->path, &c->diags);
        a->timing.ns += c->rt->last_ns;
        a->timing.work += c->rt->last_work;
        if (rc != 0) {
            lua_settop(L, m - 1);
            return -1;
        }
    } else {
        lua_pop(L, lua_istable(L, -1) ? 2 : 1);
    }
    /* `model: 1` declares a native model, which cannot be a misread: an
     * empty one is left to empty-model (TM104) */
    int certain = raw_field(L, m, "certain") == LUA_TBOOLEAN && lua_toboolean(L, -1);   /* the adapter is sure of the format */
    lua_pop(L, 1);
    if (strcmp(a->name, "native") && !certain && !list_len(L, m, "threats") && !list_len(L, m, "components") &&
        !list_len(L, m, "mitigations")) {
        raw_field(L, m, "format");
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, rp->line, rp->col, NULL,
                    "read as %s, but the file holds no threats, components or mitigations; if it is"
                    " another format, --input-format names it", lua_isstring(L, -1) ? lua_tostring(L, -1) : a->name);
        lua_settop(L, m - 1);
        return -1;
    }
    return 0;
}

/* --timings: the collections tmlint asks for between rules and documents
 * (those Lua makes as a rule allocates are the rule's) */
static void collected(tm_ctx *c, int64_t t0)
{
    c->phase[TM_PHASE_COLLECT].ns += tm_clock_ns() - t0;
    c->phase[TM_PHASE_COLLECT].calls++;
}

typedef struct sup_ctx {
    tm_ctx *c;
    tm_host *h;
    const tm_level *levels;   /* per rule, for this file */
} sup_ctx;

static int sup_known(void *ud, const char *rule)
{
    sup_ctx *s = ud;
    int known = -1;   /* two repositories' team rules may share the id: the one in effect here counts */
    for (size_t i = 0; i < s->c->nrules && known < 1; i++)
        if (tm_rules_named(s->c, i, rule))
            known = s->levels[i] != TM_LEVEL_NONE;
    return known;
}

static void sup_report(void *ud, uint32_t at, const char *problem)
{
    sup_ctx *s = ud;
    tm_api_add_finding(s->h, at, at, TM_IGNORE_KEY, tm_xstrdup(problem));
}

static void schema_report(void *ud, uint32_t el, uint32_t at, const char *field, const char *msg, const char *fix)
{
    tm_host *h = ud;
    tm_api_add_finding(h, el, at, field, tm_xstrdup(msg));
    if (fix && h->doc->nodes[at].type == TM_NODE_SCALAR) {   /* the key or value itself: check --fix */
        tm_finding *f = &h->findings->v[h->findings->n - 1];
        f->fix = tm_xstrdup(fix);
        f->fix_old = tm_xstrdup(tm_node_str(h->doc, &h->doc->nodes[at]));
    }
}

/* TM006: a native file against the format's description (src/load/schema.c);
 * its findings are suppressible like any rule's. */
static void check_schema(tm_ctx *c, tm_host *h, const tm_doc *doc, int model, const tm_level *levels)
{
    lua_State *L = c->rt->L;
    int i = tm_rules_find(c, "TM006");
    if (i < 0 || levels[i] == TM_LEVEL_NONE)
        return;
    raw_field(L, model, "format");
    int native = lua_type(L, -1) == LUA_TSTRING && !strcmp(lua_tostring(L, -1), "native");
    lua_pop(L, 1);
    if (!native)
        return;
    h->rule = (uint32_t)i;
    h->rule_id = c->rules[i].id;
    h->rule_name = c->rules[i].name;
    h->level = levels[i];
    /* the `allow` setting: a team's declared keys */
    tm_file *f = &c->files[h->file];
    int *refs = tm_xcalloc(c->nrules + 2 + (f->cfg ? f->cfg->nov : 0), sizeof *refs);
    size_t nrefs = 0;
    char *rel = tm_walk_rel(f->cfg, f->path);
    tm_cfg_level(c, f->cfg, rel, (size_t)i, refs, &nrefs);
    tm_run_push_settings(c, (size_t)i, refs, nrefs);
    const char **allow = NULL;
    size_t nallow = 0;
    if (lua_getfield(L, -1, "allow") == LUA_TTABLE) {
        size_t n = (size_t)lua_rawlen(L, -1);
        allow = tm_xcalloc(n + 1, sizeof *allow);
        for (size_t k = 1; k <= n; k++) {
            lua_rawgeti(L, -1, (lua_Integer)k);
            if (lua_type(L, -1) == LUA_TSTRING)
                allow[nallow++] = lua_tostring(L, -1);   /* alive in the settings table */
            lua_pop(L, 1);
        }
    }
    tm_schema_check(doc, allow, nallow, schema_report, h);
    lua_pop(L, 2);
    free(allow);
    free(rel);
    free(refs);
}

/* TM005: the suppressions themselves, once every rule has run. */
static void check_suppressions(tm_ctx *c, tm_host *h, tm_sup *sup, const tm_level *levels)
{
    int i = tm_rules_find(c, "TM005");
    if (i < 0 || levels[i] == TM_LEVEL_NONE)
        return;
    h->rule = (uint32_t)i;
    h->rule_id = c->rules[i].id;
    h->rule_name = c->rules[i].name;
    h->level = levels[i];
    h->sup = NULL;   /* TM005 cannot be suppressed */
    sup_ctx s = {c, h, levels};
    tm_sup_check(sup, sup_known, sup_report, &s);
}

/* TM005's min_words for file f: a suppression's reason needs as many words
 * as an acceptance's. */
static int suppression_min_words(tm_ctx *c, tm_file *f)
{
    int i = tm_rules_find(c, "TM005"), n = 4;
    if (i < 0)
        return n;
    lua_State *L = c->rt->L;
    int *refs = tm_xcalloc(c->nrules + 2 + (f->cfg ? f->cfg->nov : 0), sizeof *refs);
    size_t nrefs = 0;
    char *rel = tm_walk_rel(f->cfg, f->path);
    tm_cfg_level(c, f->cfg, rel, (size_t)i, refs, &nrefs);
    tm_run_push_settings(c, (size_t)i, refs, nrefs);
    if (lua_getfield(L, -1, "min_words") == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0 &&
        lua_tointeger(L, -1) < 1000)
        n = (int)lua_tointeger(L, -1);
    lua_pop(L, 2);
    free(rel);
    free(refs);
    return n;
}
/* Whether rule r applies to the model at stack index `model`: not when the
 * format lacks a field the rule needs (model.missing). A rule that does
 * not apply is recorded on the file once, with the format. */
static int applies(tm_ctx *c, tm_file *f, const tm_rule *r, int model, uint32_t ri)
{
    lua_State *L = c->rt->L;
    int ok = 1;
    if (raw_field(L, model, "missing") == LUA_TTABLE) {
        for (size_t j = 0; j < r->nneeds && ok; j++) {
            if (raw_field(L, -1, r->needs[j]) == LUA_TBOOLEAN && lua_toboolean(L, -1))
                ok = 0;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (ok)
        return 1;
    for (size_t j = 0; j < f->nna; j++)
        if (f->na[j] == ri)
            return 0;
    f->na = tm_xrealloc(f->na, (f->nna + 1) * sizeof *f->na);
    f->na[f->nna++] = ri;
    if (raw_field(L, model, "format") == LUA_TSTRING)
        snprintf(f->na_format, sizeof f->na_format, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return 0;
}


/* What every rule of one document shares, for running one of them. */
typedef struct rules_run {
    tm_ctx *c;
    tm_file *f;
    tm_host *h;
    int model;
    int64_t budget;
    const tm_level *levels;
    int *refs;
    const char *rel;
    size_t garbage_mark;
    int generational;
} rules_run;

static void run_rule(void *ud, size_t i)
{
    rules_run *rr = ud;
    tm_ctx *c = rr->c;
    tm_host *h = rr->h;
    lua_State *L = c->rt->L;
    tm_rule *r = &c->rules[i];
    size_t nrefs = 0;
    tm_cfg_level(c, rr->f->cfg, rr->rel, i, rr->refs, &nrefs);
    h->rule = (uint32_t)i;
    h->rule_id = r->id;
    h->rule_name = r->name;
    h->message = r->message;
    h->level = rr->levels[i];
    h->reported = 0;
    h->kept = 0;
    char who[160];
    snprintf(who, sizeof who, "rule %s", r->id);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref);
    int rt = lua_gettop(L);
    lua_getfield(L, rt, "run");
    lua_pushvalue(L, rr->model);
    tm_api_push_report(L);
    tm_run_push_settings(c, i, rr->refs, nrefs);
    lua_newtable(L);
    lua_pushstring(L, c->now);
    lua_setfield(L, -2, "now");
    lua_pushstring(L, rr->f->path);
    lua_setfield(L, -2, "file");
    if (tm_rt_call(c->rt, 4, 0, rr->budget, c->opts.rule_memory, who, rr->f->path, &c->diags) != 0)
        rr->f->rule_failed++;
    r->timing.ns += c->rt->last_ns;
    r->timing.work += c->rt->last_work;
    r->timing.calls++;
    lua_settop(L, rt - 1);
    /* The model is read by every rule and outlives them all; what a rule
     * builds is mostly garbage once it returns. Once the rules have left
     * GARBAGE_STEP behind, the collector goes generational (one full
     * collection, which makes the model old), and from then on a young
     * collection after each further GARBAGE_STEP frees the rules' garbage
     * without walking the model again. */
    if (c->rt->mem_used > rr->garbage_mark) {
        int64_t t0 = tm_clock_ns();
        if (rr->generational)
            lua_gc(L, LUA_GCSTEP, 0);
        else
            lua_gc(L, LUA_GCGEN, 0, 0);
        collected(c, t0);
        rr->generational = 1;
        rr->garbage_mark = c->rt->mem_used + GARBAGE_STEP;
    }
    if (h->reported > h->cap)
        tm_diag_add(&c->diags, TM_DIAG_WARNING, rr->f->path, 0, 0, r->id,
                    "rule %s reported %zu findings; only the first %zu are kept (--max-findings)",
                    r->id, h->reported, h->cap);
}

static void run_rules(tm_ctx *c, tm_file *f, uint32_t fi, const tm_doc *doc, int model, int base, int64_t budget)
{
    lua_State *L = c->rt->L;
    tm_host h;
    memset(&h, 0, sizeof h);
    tm_sup sup;
    tm_sup_init(&sup, doc);
    sup.min_words = suppression_min_words(c, f);
    h.sup = &sup;
    h.doc = doc;
    h.uri = f->uri;
    h.file = fi;
    h.findings = &c->findings;
    h.cap = c->opts.max_findings;
    h.want_titles = c->opts.audit;
    const char **part_uris = tm_xcalloc(doc->nparts + 1, sizeof *part_uris);
    for (size_t i = 0; i < doc->nparts; i++)
        part_uris[i] = c->files[doc->parts[i].file].uri;
    h.part_uris = part_uris;
    h.path = f->path;
    h.repos = c->opts.no_repo ? NULL : &c->repos;
    h.repo_why = &c->repo_why;
    h.tests = c->opts.ntest_results && !c->tests_failed ? &c->tests : NULL;
    h.base_ref = LUA_NOREF;
    if (base) {   /* a rule's C calls run in frames of their own: they find it in the registry */
        lua_pushvalue(L, base);
        h.base_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    h.base_commit = c->base_commit;
    c->rt->host = &h;
    tm_level *levels = tm_xcalloc(c->nrules ? c->nrules : 1, sizeof *levels);
    unsigned char *want = tm_xcalloc(c->nrules ? c->nrules : 1, 1);
    int *refs = tm_xcalloc(c->nrules + 2 + (f->cfg ? f->cfg->nov : 0), sizeof *refs);
    char *rel = tm_walk_rel(f->cfg, f->path);
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        levels[i] = r->effective == TM_LEVEL_NONE ? TM_LEVEL_NONE : tm_cfg_level(c, f->cfg, rel, i, NULL, NULL);
        if (levels[i] != TM_LEVEL_NONE && r->nneeds && !applies(c, f, r, model, (uint32_t)i))
            levels[i] = TM_LEVEL_NONE;
        want[i] = levels[i] != TM_LEVEL_NONE;
    }
    /* the code of a built-in rule loads when it first runs (before the
     * split, so that the workers share it) */
    for (size_t i = 0; i < c->nrules; i++)
        if (want[i] && tm_rules_need(c, i) != 0) {
            want[i] = 0;
            levels[i] = TM_LEVEL_NONE;
        }
    rules_run rr = {c, f, &h, model, budget, levels, refs, rel, c->rt->mem_used + GARBAGE_STEP, 0};
    int jobs = tm_split_jobs(c, doc);
    if (jobs > 1) {
        /* go generational before the fork: young collections leave the
         * (old) model's pages alone, so the workers keep sharing them
         * instead of each copying the whole heap in its first full mark */
        int64_t t0 = tm_clock_ns();
        lua_gc(L, LUA_GCGEN, 0, 0);
        collected(c, t0);
        rr.generational = 1;
    }
    tm_split_rules(c, f, &h, &sup, want, jobs, run_rule, &rr);
    if (rr.generational)
        lua_gc(L, LUA_GCINC, 0, 0, 0);   /* the next document's model starts young */
    int64_t t0 = tm_clock_ns();
    check_schema(c, &h, doc, model, levels);
    c->phase[TM_PHASE_SCHEMA].ns += tm_clock_ns() - t0;
    c->phase[TM_PHASE_SCHEMA].calls++;
    check_suppressions(c, &h, &sup, levels);
    tm_sup_free(&sup);
    free(part_uris);
    free(levels);
    free(want);
    free(refs);
    free(rel);
    luaL_unref(L, LUA_REGISTRYINDEX, h.base_ref);
    c->rt->host = NULL;
}

static uint32_t stat_field(lua_State *L, int t, const char *k)
{
    lua_getfield(L, t, k);
    lua_Integer v = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    return v > 0 ? (uint32_t)v : 0;
}

/* A string field of the table at t, copied (valid UTF-8, at most 300
 * bytes), or NULL. */
static char *lead_str(lua_State *L, int t, const char *k)
{
    char *v = NULL;
    if (lua_getfield(L, t, k) == LUA_TSTRING) {
        char tmp[301];
        tm_utf8_copy(tmp, sizeof tmp, lua_tostring(L, -1));
        v = tm_xstrdup(tmp);
    }
    lua_pop(L, 1);
    return v;
}

/* stats.lua's `lead` list into f->stats.lead (at most 100,000 a file). */
static void read_lead(lua_State *L, int t, tm_file *f, tm_diags *d)
{
    lua_Integer n = luaL_len(L, t);
    if ((lua_Integer)f->stats.nlead + n > 100000)
        tm_diag_add(d, TM_DIAG_NOTE, f->path, 0, 0, NULL,
                    "audit: %lld records of what to act on, of which the first 100,000 are listed",
                    (long long)f->stats.nlead + (long long)n);
    for (lua_Integer i = 1; i <= n && f->stats.nlead < 100000; i++) {
        if (lua_rawgeti(L, t, i) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        int r = lua_gettop(L);
        char *kind = lead_str(L, r, "kind");
        int k = !kind ? -1 : !strcmp(kind, "high") ? TM_LEAD_HIGH : !strcmp(kind, "accept") ? TM_LEAD_ACCEPT
                : !strcmp(kind, "due") ? TM_LEAD_DUE : -1;
        free(kind);
        if (k >= 0) {
            f->stats.lead = tm_xrealloc(f->stats.lead, (f->stats.nlead + 1) * sizeof *f->stats.lead);
            tm_lead *x = &f->stats.lead[f->stats.nlead++];
            x->kind = (tm_lead_kind)k;
            x->id = lead_str(L, r, "id");
            x->title = lead_str(L, r, "title");
            x->rating = lead_str(L, r, "rating");
            x->date = lead_str(L, r, "date");
            x->by = lead_str(L, r, "by");
            x->line = stat_field(L, r, "line");
            x->col = stat_field(L, r, "col");
        }
        lua_pop(L, 1);
    }
}

/* rules/lib/stats.lua over the model at `model`: the audit's numbers. */
static void model_stats(tm_ctx *c, tm_file *f, const tm_doc *doc, int model, int64_t budget)
{
    lua_State *L = c->rt->L;
    int top = lua_gettop(L);
    /* tm.pos finds the elements' places in this document */
    tm_host h;
    memset(&h, 0, sizeof h);
    h.doc = doc;
    h.path = f->path;
    h.uri = f->uri;
    h.base_ref = LUA_NOREF;
    if (tm_rules_push_env(c, "audit statistics") != 0)
        return;
    tm_host *saved = c->rt->host;
    c->rt->host = &h;
    tm_buf p;
    tm_buf_init(&p);
    tm_buf_printf(&p, "%s/lib/stats.lua", c->rules_dir);
    int rc = tm_rt_load(c->rt, p.p, "@rules/lib/stats.lua", &c->diags);
    tm_buf_free(&p);
    if (rc == 0)
        rc = tm_rt_call(c->rt, 0, 1, 10000000, (size_t)16 << 20, "audit statistics", NULL, &c->diags);
    if (rc == 0) {
        lua_pushvalue(L, model);
        rc = tm_rt_call(c->rt, 1, 1, budget, c->opts.rule_memory, "audit statistics", f->path, &c->diags);
    }
    if (rc == 0 && lua_istable(L, -1)) {
        int t = lua_gettop(L);
        f->stats.models++;
        f->stats.threats += stat_field(L, t, "threats");
        f->stats.mitigated += stat_field(L, t, "mitigated");
        f->stats.claimed += stat_field(L, t, "claimed");
        f->stats.accepted += stat_field(L, t, "accepted");
        f->stats.essentials += stat_field(L, t, "essentials");
        f->stats.with_criteria += stat_field(L, t, "with_criteria");
        if (lua_getfield(L, t, "reviewed") == LUA_TSTRING &&
            (!f->stats.reviewed[0] || !strcmp(f->stats.reviewed, "-") || strcmp(lua_tostring(L, -1), f->stats.reviewed) > 0))
            snprintf(f->stats.reviewed, sizeof f->stats.reviewed, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        if (lua_getfield(L, t, "format") == LUA_TSTRING)
            snprintf(f->stats.format, sizeof f->stats.format, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        if (lua_getfield(L, t, "owner") == LUA_TSTRING && !f->stats.owner[0])
            tm_utf8_copy(f->stats.owner, sizeof f->stats.owner, lua_tostring(L, -1));
        lua_pop(L, 1);
        if (lua_getfield(L, t, "lead") == LUA_TTABLE)
            read_lead(L, lua_gettop(L), f, &c->diags);
        lua_pop(L, 1);
    }
    c->rt->host = saved;
    lua_settop(L, top);
}

/* The model of the document as it was at the base commit of the change
 * under check, left on the stack (nil when there is none). Its tables are
 * not the file's nodes: rules read it and cannot report at it. What goes
 * wrong reading it is said in one note, not as errors of the file. */
static void push_base_model(tm_ctx *c, tm_file *f, const tm_doc *base, int64_t budget)
{
    lua_State *L = c->rt->L;
    if (!base || base->root == TM_NONE || base->nodes[base->root].type != TM_NODE_MAP) {
        lua_pushnil(L);
        return;
    }
    tm_diags saved = c->diags;
    tm_diags_init(&c->diags);
    int top = lua_gettop(L);
    char why[256];
    int built = -1;
    if (tm_api_push_doc_protected(L, base, why, sizeof why) == 0)
        built = build_model(c, f, base, lua_gettop(L), budget);
    else
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, 0, 0, NULL, "it could not be read into Lua: %s", why);
    tm_api_clear_doc(L);
    if (built != 0) {
        lua_settop(L, top);
        lua_pushnil(L);
    } else {
        lua_replace(L, top + 1);   /* the model, over the tree */
        lua_settop(L, top + 1);
    }
    tm_diags mine = c->diags;
    c->diags = saved;
    if (built < 0)
        tm_diag_add(&c->diags, TM_DIAG_NOTE, f->path, 0, 0, NULL,
                    "its version at the base commit %.12s cannot be read as a model (%s); rules that compare with it"
                    " did not", c->base_commit, mine.n ? mine.v[0].msg : "no model");
    tm_diags_free(&mine);
}

/* Whether no file after fi is checked on its own (the others, parts of
 * a model or CI files, are read with the file that includes them). */
static int last_model(const tm_ctx *c, uint32_t fi)
{
    for (size_t j = (size_t)fi + 1; j < c->nfiles; j++)
        if (!c->files[j].part_of)
            return 0;
    return 1;
}

/* Pushes the document's tree as Lua values; -1, with nothing pushed and
 * an error at its top, when it does not fit in what Lua may hold. */
static int push_model(tm_ctx *c, const tm_file *f, const tm_doc *doc)
{
    char why[256];
    if (tm_api_push_doc_protected(c->rt->L, doc, why, sizeof why) == 0)
        return 0;
    const tm_pos *rp = &doc->pos[doc->root];
    tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, rp->line, rp->col, NULL,
                "the model could not be read into Lua: %s (Lua may hold %zu MiB in all)", why, c->opts.lua_memory >> 20);
    return -1;
}

/* Checks one document; returns 0 when it was empty (null), else 1.
 * `last`: no document is checked after it. */
static int check_doc(tm_ctx *c, tm_file *f, uint32_t fi, const tm_doc *doc, const tm_doc *base, int last,
                     tm_build *built_by)
{
    lua_State *L = c->rt->L;
    if (doc->root == TM_NONE)
        return 0;
    const tm_node *r = &doc->nodes[doc->root];
    const tm_pos *rp = &doc->pos[doc->root];
    if (r->type != TM_NODE_MAP) {
        if (r->type == TM_NODE_SCALAR && tm_node_is_null(doc, r))
            return 0;   /* an empty document (e.g. after a trailing ---) */
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, rp->line, rp->col, NULL,
                    "the top level is a %s; a threat model is a mapping", type_name(r));
        f->failed = 1;
        return 1;
    }
    int64_t budget = c->opts.rule_instructions + c->opts.rule_per_node * (int64_t)doc->n;
    int top = lua_gettop(L);
    /* The tree and the model are built once and then only read. So the
     * collector stays off while they are built (Lua still collects when an
     * allocation hits a cap), runs as run_rules says while the rules run,
     * and once in full at the document's end. */
    lua_gc(L, LUA_GCSTOP);
    push_base_model(c, f, base, budget);
    int base_model = lua_gettop(L);
    int64_t t0 = tm_clock_ns();
    int pushed = (built_by && tm_api_build_take(built_by, doc) == 0) || push_model(c, f, doc) == 0;
    c->phase[TM_PHASE_PUSH].ns += tm_clock_ns() - t0;
    c->phase[TM_PHASE_PUSH].calls++;
    if (!pushed)
        lua_pushnil(L);
    int root = lua_gettop(L);
    int built = pushed ? build_model(c, f, doc, root, budget) : -1;
    if (built < 0) {
        f->failed = 1;
    } else if (built == 0) {
        /* how the file was read, for the JSON and SARIF (scripts and audits ask) */
        if (!f->stats.format[0]) {
            if (raw_field(L, lua_gettop(L), "format") == LUA_TSTRING)
                snprintf(f->stats.format, sizeof f->stats.format, "%s", lua_tostring(L, -1));
            lua_pop(L, 1);
        }
        /* what it yields (tmlint test's expect-count asks) */
        static const char *const lists[4] = {"threats", "components", "flows", "mitigations"};
        for (int k = 0; k < 4; k++)
            f->stats.counts[k] += (uint32_t)list_len(L, lua_gettop(L), lists[k]);
        if (c->opts.audit)
            model_stats(c, f, doc, lua_gettop(L), budget);
        run_rules(c, f, fi, doc, lua_gettop(L), lua_isnil(L, base_model) ? 0 : base_model, budget);
    }
    lua_settop(L, top);
    tm_api_clear_doc(L);
    lua_gc(L, LUA_GCRESTART);
    /* The full collection makes room for the next document. After the
     * last one of a process about to exit, it would only walk the whole
     * heap (a twentieth of a 10,000-threat run) for the kernel to take
     * back at once; a host living on (the library, the language server)
     * collects. */
    if (!(last && c->keep_heap)) {
        int64_t t1 = tm_clock_ns();
        lua_gc(L, LUA_GCCOLLECT);
        collected(c, t1);
    }
    return 1;
}

/* The file's documents at the base commit of the change under check
 * (--changed-since, --staged), when the change touches the file. */
static void load_base(tm_ctx *c, tm_file *f, tm_docs *out)
{
    c->base_commit[0] = 0;
    if (c->opts.no_repo || (!c->repos.change_ref && !c->repos.change_staged))
        return;
    const char *why;
    const char *root = tm_repo_root(&c->repos, f->path, &why);
    char *rel = root ? tm_repo_rel(root, f->path) : NULL;
    size_t cost;
    const char *globs[1] = {rel};
    char *data = NULL;
    size_t len = 0;
    if (rel && tm_repo_changed(&c->repos, root, globs, 1, 0, 0, &cost, &why) == 1 &&
        tm_repo_base_file(&c->repos, root, rel, c->opts.limits.max_file_size, &data, &len, c->base_commit, &why) == 1) {
        tm_diags quiet;
        tm_diags_init(&quiet);
        tm_src src;
        if (tm_src_from_mem(&src, f->path, data, len, &quiet) != 0 ||
            tm_yaml_load(&src, &c->opts.limits, out, &quiet) != 0) {
            tm_docs_free(out);
            tm_diag_add(&c->diags, TM_DIAG_NOTE, f->path, 0, 0, NULL,
                        "its version at the base commit %.12s is not readable YAML (%s); rules that compare with it"
                        " did not", c->base_commit, quiet.n ? quiet.v[0].msg : "unknown error");
        }
        tm_src_free(&src);
        tm_diags_free(&quiet);
    }
    free(data);
    free(rel);
}

void tm_run_check_file(tm_ctx *c, uint32_t fi)
{
    tm_file *f = &c->files[fi];
    if (f->part_of)
        return;   /* read with the file that includes it */
    if (f->failed)
        return;   /* its configuration is broken (an audit goes on without it): its intent is unknown */
    int64_t t0 = tm_clock_ns();
    tm_src src;
    int rc = f->data ? tm_src_from_mem(&src, f->path, f->data, f->len, &c->diags)
                     : tm_src_read(&src, f->path, c->opts.limits.max_file_size, &c->diags);
    if (rc != 0) {
        f->failed = 1;
        tm_src_free(&src);
        return;
    }
    c->phase[TM_PHASE_PARSE].ns += tm_clock_ns() - t0;
    tm_run_check_src(c, fi, &src);
}

void tm_run_check_src(tm_ctx *c, uint32_t fi, tm_src *src_in)
{
    tm_file *f = &c->files[fi];
    tm_src src = *src_in;
    memset(src_in, 0, sizeof *src_in);
    tm_docs docs;
    int64_t t0 = tm_clock_ns();
    /* With TMLINT_DIRECT=1 the model's Lua tables are built as the loader
     * reads (the collector stopped, as check_doc builds them), the same as
     * the push makes them from the finished tree. It is the first step to
     * a model held once (docs/design-document.md): while the tree is
     * still built beside them it saves no time, so the push stays the
     * default, and tests/direct checks that both give the same output. */
    lua_State *L = c->rt->L;
    tm_build *built = NULL;
    if (getenv("TMLINT_DIRECT")) {
        lua_gc(L, LUA_GCSTOP);
        built = tm_api_build_new(L);
    }
    int loaded = tm_yaml_load_with(&src, &c->opts.limits, &docs, &c->diags, built ? tm_api_build_sink(built) : NULL);
    tm_src_free(&src);   /* the trees hold all they need; free the bytes early */
    c->phase[TM_PHASE_PARSE].ns += tm_clock_ns() - t0;
    c->phase[TM_PHASE_PARSE].calls++;
    if (loaded != 0) {
        f->failed = 1;
    } else if (docs.n == 0) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, 0, 0, NULL, "file is empty: no YAML document in it");
        f->failed = 1;
    } else {
        /* a Threagile main file reads its includes into its tree; the files
         * array may grow, so f is looked up again */
        uint32_t read_n = docs.v[0]->n;
        int inc = tm_include_resolve(c, fi, docs.v[0]);
        if (built && docs.v[0]->n != read_n)
            tm_api_build_forget(built, docs.v[0]);   /* includes joined the tree: it is pushed whole */
        if (inc != 0)
            c->files[fi].failed = 1;
        else
            tm_ci_attach(c, fi, docs.v[0]);
        f = &c->files[fi];
        tm_docs base = {0};
        load_base(c, f, &base);
        int present = 0;
        for (size_t i = 0; i < docs.n; i++)
            present += check_doc(c, f, fi, docs.v[i], i < base.n ? base.v[i] : NULL,
                                 i + 1 == docs.n && last_model(c, fi), built);
        tm_docs_free(&base);
        if (!present) {   /* `~`, `null` or a lone `---`: no model, so no green */
            const tm_doc *d = docs.v[0];
            const tm_pos *rp = d->root != TM_NONE ? &d->pos[d->root] : NULL;
            tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, rp ? rp->line : 1, rp ? rp->col : 1, NULL,
                        "no model in the file: its only document%s empty or null", docs.n == 1 ? " is" : "s are");
            f->failed = 1;
        }
    }
    if (built) {
        tm_api_build_free(built);
        lua_gc(L, LUA_GCRESTART);
    }
    tm_docs_free(&docs);
    tm_rt_rest(c->rt);   /* no timer signal while the next file is read (or the server waits) */
}

/* The converter (rules/lib/convert.lua), a function, pushed. */
static int push_converter(tm_ctx *c)
{
    if (tm_rules_push_env(c, "converter") != 0)
        return -1;
    tm_buf p;
    tm_buf_init(&p);
    tm_buf_printf(&p, "%s/lib/convert.lua", c->rules_dir);
    int rc = tm_rt_load(c->rt, p.p, "@rules/lib/convert.lua", &c->diags);
    tm_buf_free(&p);
    if (rc == 0)
        rc = tm_rt_call(c->rt, 0, 1, 10000000, (size_t)64 << 20, "converter", NULL, &c->diags);
    return rc;
}

/* Calls one(u) for each table entry of the list model[name] (u its index). */
typedef void (*entry_fn)(tm_ctx *c, const tm_file *f, const tm_doc *doc, int u);
static void each_entry(tm_ctx *c, const tm_file *f, const tm_doc *doc, int model, const char *name, entry_fn one)
{
    lua_State *L = c->rt->L;
    if (raw_field(L, model, name) == LUA_TTABLE) {
        int list = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, list);
        for (lua_Integer i = 1; i <= n; i++) {
            if (lua_rawgeti(L, list, i) == LUA_TTABLE)
                one(c, f, doc, lua_gettop(L));
            lua_settop(L, list);
        }
    }
    lua_pop(L, 1);
}

/* The node of entry u's `node`, or TM_NONE. */
static uint32_t entry_node(lua_State *L, int u)
{
    raw_field(L, u, "node");
    uint32_t at = tm_api_node_of(L, -1);
    lua_pop(L, 1);
    return at;
}

/* convert: a value the adapter could not place (model.unread, TM007 in a
 * check) is written as the default it was read as; say so, at its line,
 * since the converted file will not show it. */
static void unread_warning(tm_ctx *c, const tm_file *f, const tm_doc *doc, int u)
{
    lua_State *L = c->rt->L;
    uint32_t at = entry_node(L, u);
    raw_field(L, u, "field");
    raw_field(L, u, "value");
    raw_field(L, u, "read_as");
    const char *key = lua_type(L, -3) == LUA_TSTRING ? lua_tostring(L, -3) : NULL;
    const char *value = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    const char *as = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    uint32_t line = 0, col = 0;
    if (at != TM_NONE && key) {
        uint32_t kn = TM_NONE, v = tm_node_get(doc, at, key, strlen(key), &kn);
        if (v != TM_NONE && doc->nodes[v].type != TM_NODE_SCALAR && kn != TM_NONE)
            v = kn;   /* a list or mapping: at its key, as check reports it */
        const tm_pos *nd = &doc->pos[v != TM_NONE ? v : at];
        line = nd->line;
        col = nd->col;
    }
    if (key && value)
        tm_diag_add(&c->diags, TM_DIAG_WARNING, f->path, line, col, "TM007",
                    "%s '%s' is not one of this format's values; converted as %s", key, value,
                    as ? as : "the default");
    else if (key && raw_field(L, u, "shape") == LUA_TSTRING) {
        const char *shape = lua_tostring(L, -1);
        int vocab = raw_field(L, u, "map") == LUA_TTABLE;   /* tm.vocab, else tm.one */
        tm_diag_add(&c->diags, TM_DIAG_WARNING, f->path, line, col, "TM007",
                    vocab ? "%s is %s, not one of this format's values; converted as %s"
                          : "%s is %s where the format has one value; converted as %s",
                    key, shape, as ? as : "the default");
    }
}

/* ... and a key one slip from the format's (model.misspelt, TM008): not
 * read, so not converted */
static void misspelt_warning(tm_ctx *c, const tm_file *f, const tm_doc *doc, int u)
{
    lua_State *L = c->rt->L;
    uint32_t at = entry_node(L, u);
    raw_field(L, u, "key");
    raw_field(L, u, "suggestion");
    const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    const char *best = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    uint32_t line = 0, col = 0, kn = TM_NONE;
    if (at != TM_NONE && key && tm_node_get(doc, at, key, strlen(key), &kn) != TM_NONE && kn != TM_NONE) {
        line = doc->pos[kn].line;
        col = doc->pos[kn].col;
    }
    if (key && best)
        tm_diag_add(&c->diags, TM_DIAG_WARNING, f->path, line, col, "TM008",
                    "key '%s' is not one this format has (did you mean '%s'?); it was not read or converted",
                    key, best);
}

static void unread_warnings(tm_ctx *c, const tm_file *f, const tm_doc *doc, int model)
{
    each_entry(c, f, doc, model, "unread", unread_warning);
    each_entry(c, f, doc, model, "misspelt", misspelt_warning);
}

int tm_run_convert(tm_ctx *c, tm_buf *out)
{
    lua_State *L = c->rt->L;
    if (c->nfiles != 1)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "convert takes exactly one file");
    tm_file *f = &c->files[0];
    if (f->failed)
        return -1;
    tm_src src;
    if (tm_src_read(&src, f->path, c->opts.limits.max_file_size, &c->diags) != 0) {
        tm_src_free(&src);
        return -1;
    }
    tm_docs docs;
    int rc = tm_yaml_load(&src, &c->opts.limits, &docs, &c->diags);
    tm_src_free(&src);
    if (rc != 0)
        return -1;
    if (docs.n == 0)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, 0, 0, NULL, "file is empty: no YAML document in it");
    else if (tm_include_resolve(c, 0, docs.v[0]) != 0)
        rc = -1;
    f = &c->files[0];
    for (size_t i = 0; rc == 0 && i < docs.n; i++) {
        const tm_doc *doc = docs.v[i];
        const tm_node *r = &doc->nodes[doc->root];
        const tm_pos *rp = &doc->pos[doc->root];
        if (r->type != TM_NODE_MAP) {
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, rp->line, rp->col, NULL,
                             "the top level is a %s; a threat model is a mapping", type_name(r));
            break;
        }
        int top = lua_gettop(L);
        if ((rc = push_model(c, f, doc)) != 0)
            break;
        int root = lua_gettop(L);
        int64_t budget = c->opts.rule_instructions + c->opts.rule_per_node * (int64_t)doc->n;
        int built = push_converter(c) == 0 && build_model(c, f, doc, root, budget) == 0;
        if (built)
            unread_warnings(c, f, doc, lua_gettop(L));
        if (built)
            c->rt->long_strings = 1;   /* the converter returns the whole file as one string */
        if (!built || tm_rt_call(c->rt, 1, 1, budget, c->opts.rule_memory, "converter", f->path, &c->diags) != 0) {
            rc = -1;
        } else {
            size_t n;
            const char *text = lua_tolstring(L, -1, &n);
            if (i)
                tm_buf_adds(out, "---\n");
            tm_buf_add(out, text ? text : "", text ? n : 0);
        }
        lua_settop(L, top);
        tm_api_clear_doc(L);
    }
    tm_docs_free(&docs);
    return rc;
}

void tm_run_sort(tm_ctx *c)
{
    const char **ids = tm_xmalloc((c->nrules ? c->nrules : 1) * sizeof *ids);
    for (size_t i = 0; i < c->nrules; i++)
        ids[i] = c->rules[i].id;
    tm_fnd_sort(&c->findings, ids);
    free(ids);
}

void tm_run_check(tm_ctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++)
        tm_run_check_file(c, (uint32_t)i);
    tm_run_sort(c);
}
