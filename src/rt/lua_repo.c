/* tm.repo and tm.tests: what rules may ask of the repository and of the
 * test results (lua_api.h). */
#include "lua_api.h"
#include "lua_api_int.h"
#include "lua_rt.h"
#include "buf.h"
#include "utf8.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "repo.h"
#include "junit.h"

/* The repository root for the running rule's file, or NULL (and why). */
static const char *repo_root(lua_State *L)
{
    tm_host *h = tm_rt_of(L)->host;
    if (h && h->defer_repo) {   /* the rule runs again later, in the parent, in rule order */
        h->repo_deferred = 1;
        luaL_error(L, "repository calls wait until the split rules are done");
        return NULL;
    }
    if (!h || !h->path)
        return NULL;
    const char *why = "tmlint was run with --no-repo";
    const char *root = h->repos ? tm_repo_root(h->repos, h->path, &why) : NULL;
    if (!root && h->repo_why && !*h->repo_why)
        *h->repo_why = why;
    return root;
}

/* tmnative.repo_available(): whether the checked file is in a repository */
static int l_repo_available(lua_State *L)
{
    tm_rt_charge(L, 50);
    lua_pushboolean(L, repo_root(L) != NULL);
    return 1;
}

/* tmnative.repo_exists(path): a file or directory at path (relative to the
 * repository root, inside it); nil outside a repository */
static int l_repo_exists(lua_State *L)
{
    const char *rel = luaL_checkstring(L, 1);
    tm_rt_charge(L, 200);
    const char *root = repo_root(L);
    if (!root)
        return 0;
    lua_pushboolean(L, tm_repo_exists(root, rel));
    return 1;
}

/* tmnative.repo_contains(path, text): whether that file holds text */
static int l_repo_contains(lua_State *L)
{
    const char *rel = luaL_checkstring(L, 1);
    size_t tlen;
    const char *text = luaL_checklstring(L, 2, &tlen);
    tm_rt_charge(L, 200);
    const char *root = repo_root(L);
    if (!root)
        return 0;
    size_t cost;
    int found = tm_repo_contains(root, rel, text, tlen, &cost);
    tm_rt_charge(L, (int64_t)(cost / 16));
    if (found < 0) {   /* past the read cap: unknown (nil), and said */
        tm_host *h = tm_rt_of(L)->host;
        if (h && h->repo_why && !*h->repo_why)
            *h->repo_why = "a file a rule looked into is larger than 4 MiB and was not read";
        return 0;
    }
    lua_pushboolean(L, found);
    return 1;
}

#define REPO_MAX_COMMITS 10000   /* the one history walk per repository stops there */

/* tmnative.repo_last_change(globs): the newest commit of the last 10,000
 * (first-parent) that changed a path matching a glob, as {age (commits
 * back from HEAD), time (seconds), id}; false when none did; nil outside a
 * repository or when its history cannot be read. repo_first_change: the
 * oldest such commit of those read. */
static int repo_change(lua_State *L, int first)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    tm_rt_charge(L, 200);
    const char *root = repo_root(L);
    if (!root)
        return 0;
    size_t n = lua_rawlen(L, 1);
    if (n > 256)
        return luaL_error(L, "tm.repo.last_change: at most 256 globs");
    const char *globs[256];
    size_t k = 0;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, (lua_Integer)i);
        if (lua_type(L, -1) == LUA_TSTRING)
            globs[k++] = lua_tostring(L, -1);   /* kept alive by the table */
        lua_pop(L, 1);
    }
    tm_host *h = tm_rt_of(L)->host;
    size_t age = 0, cost = 0;
    long long when = 0;
    char id[41];
    const char *why;
    int r = tm_repo_last_change(h->repos, root, globs, k, first, REPO_MAX_COMMITS, tm_rt_of(L)->deadline, &age, &when, id, &cost, &why);
    tm_rt_charge(L, (int64_t)cost);
    if (r < 0) {
        if (h->repo_why && !*h->repo_why)
            *h->repo_why = why;
        return 0;
    }
    if (r == 0) {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)age);
    lua_setfield(L, -2, "age");
    lua_pushinteger(L, (lua_Integer)when);
    lua_setfield(L, -2, "time");
    lua_pushstring(L, id);
    lua_setfield(L, -2, "id");
    return 1;
}

static int l_repo_last_change(lua_State *L)
{
    return repo_change(L, 0);
}

static int l_repo_first_change(lua_State *L)
{
    return repo_change(L, 1);
}

/* tmnative.repo_base(): {model, commit} for the checked file as it was
 * at the base commit of the change under check, when the change touches
 * it; nil otherwise. The model's tables are not the file's: report() refuses them. */
static int l_repo_base(lua_State *L)
{
    tm_rt_charge(L, 50);
    tm_host *h = tm_rt_of(L)->host;
    if (!h || h->base_ref <= 0)   /* LUA_NOREF, LUA_REFNIL, or a host that never set it */
        return 0;
    lua_createtable(L, 0, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, h->base_ref);
    lua_setfield(L, -2, "model");
    lua_pushstring(L, h->base_commit);
    lua_setfield(L, -2, "commit");
    return 1;
}

/* tmnative.repo_ci(): the CI files of the checked file's repository (read
 * with the first model of it in the run; see ci_files.h) as a list of
 * {path (from the root), tree}; report() on their tables reports in the CI
 * file. nil outside a repository. */
static int l_repo_ci(lua_State *L)
{
    tm_rt_charge(L, 200);
    if (!repo_root(L))
        return 0;
    const tm_doc *d = ((tm_host *)tm_rt_of(L)->host)->doc;
    lua_createtable(L, (int)d->nci, 0);
    for (size_t i = 0; i < d->nci; i++) {
        uint32_t r = d->ci[i].root;
        size_t j = d->nparts;
        while (j > 0 && d->parts[j - 1].first > r)
            j--;
        /* a grafted file's nodes are contiguous: none is deeper than their count */
        size_t span = j == 0 ? d->n : (j < d->nparts ? d->parts[j].first : d->n) - d->parts[j - 1].first;
        tm_rt_charge(L, (int64_t)span);
        lua_createtable(L, 0, 2);
        lua_pushstring(L, d->ci[i].rel);
        lua_setfield(L, -2, "path");
        tm_api_push_subtree(L, d, r, span);
        lua_setfield(L, -2, "tree");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* tmnative.repo_file(): the checked file's path relative to its
 * repository's root, or nil */
static int l_repo_file(lua_State *L)
{
    tm_rt_charge(L, 200);
    const char *root = repo_root(L);
    if (!root)
        return 0;
    tm_host *h = tm_rt_of(L)->host;
    char *rel = tm_repo_rel(root, h->path);
    if (!rel)
        return 0;
    lua_pushstring(L, rel);
    free(rel);
    return 1;
}

/* The strings of a list of globs (at most 256), kept alive by the table. */
static size_t glob_list(lua_State *L, int idx, const char **globs, const char *fn)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    size_t n = lua_rawlen(L, idx);
    if (n > 256)
        return (size_t)luaL_error(L, "%s: at most 256 globs", fn);
    size_t k = 0;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i);
        if (lua_type(L, -1) == LUA_TSTRING)
            globs[k++] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    return k;
}

/* tmnative.repo_changed(globs, {unacknowledged = true}?): whether the
 * change under check (--changed-since, --staged) touches a matching path
 * (with unacknowledged, only by commits that do not acknowledge it); nil when there is no change
 * under check, no repository, or the change cannot be read */
static int l_repo_changed(lua_State *L)
{
    const char *globs[256];
    size_t k = glob_list(L, 1, globs, "tm.repo.changed");
    int unack = 0;
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "unacknowledged");
        lua_rawget(L, 2);
        unack = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    tm_rt_charge(L, 200);
    const char *root = repo_root(L);
    if (!root)
        return 0;
    tm_host *h = tm_rt_of(L)->host;
    size_t cost = 0;
    const char *why;
    int r = tm_repo_changed(h->repos, root, globs, k, unack, tm_rt_of(L)->deadline, &cost, &why);
    tm_rt_charge(L, (int64_t)cost);
    if (r < 0)
        return 0;
    lua_pushboolean(L, r);
    return 1;
}

/* tmnative.tests_available(): whether --test-results were read */
static int l_tests_available(lua_State *L)
{
    tm_rt_charge(L, 50);
    tm_host *h = tm_rt_of(L)->host;
    lua_pushboolean(L, h && h->tests != NULL);
    return 1;
}

/* tmnative.tests_find(path, name?): the worst result of the test cases
 * that verified_by names, as {result, test, at, message}; false when the
 * results hold none; nil without --test-results */
static int l_tests_find(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const char *name = luaL_optstring(L, 2, NULL);
    tm_rt_charge(L, 200);
    tm_host *h = tm_rt_of(L)->host;
    if (!h || !h->tests)
        return 0;
    size_t at = 0, cost = 0;
    int r = tm_tests_find(h->tests, path, name, &at, &cost);
    tm_rt_charge(L, (int64_t)cost);
    if (r < 0) {
        lua_pushboolean(L, 0);
        return 1;
    }
    const tm_test_case *c = &h->tests->v[at];
    lua_createtable(L, 0, 4);
    lua_pushstring(L, tm_test_result_name(c->result));
    lua_setfield(L, -2, "result");
    if (c->classname && strcmp(c->classname, c->name))
        lua_pushfstring(L, "%s.%s", c->classname, c->name);
    else
        lua_pushstring(L, c->name);
    lua_setfield(L, -2, "test");
    lua_pushfstring(L, "%s:%d", h->tests->files[c->src], (int)c->line);
    lua_setfield(L, -2, "at");
    if (c->message) {
        lua_pushstring(L, c->message);
        lua_setfield(L, -2, "message");
    }
    return 1;
}

void tm_api_add_repo(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"repo_available", l_repo_available}, {"repo_exists", l_repo_exists}, {"repo_contains", l_repo_contains},
        {"repo_last_change", l_repo_last_change}, {"repo_first_change", l_repo_first_change}, {"repo_ci", l_repo_ci},
        {"repo_base", l_repo_base}, {"repo_file", l_repo_file}, {"repo_changed", l_repo_changed},
        {"tests_available", l_tests_available}, {"tests_find", l_tests_find}, {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
