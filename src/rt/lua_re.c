/* The re module: PCRE2 for rules, with match limits (lua_api.h). */
#include "lua_api.h"
#include "lua_api_int.h"
#include "lua_rt.h"
#include "buf.h"
#include "utf8.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "regex.h"

/* ---- re: PCRE2 for rules ---- */

#define RE_PATTERN "tmlint.re.pattern"

/* A compiled pattern from re.compile: it owns its code, and its size is
 * counted in the userdata so the rule's memory cap covers it. */
typedef struct re_pattern {
    pcre2_code *code;   /* NULL until first use when compiled lazily */
    const char *src;    /* then the pattern (user value 2 keeps it alive) */
    size_t len;
    uint32_t opts;
    uint32_t uses;
} re_pattern;

/* Sized like the code it stands for, so the allocator counts it. */
static void pattern_ballast(lua_State *L, int pat, const pcre2_code *code)
{
    size_t size = 0, jit = 0;
    pcre2_pattern_info(code, PCRE2_INFO_SIZE, &size);
    pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jit);
    lua_newuserdatauv(L, size + jit, 0);
    lua_setiuservalue(L, pat, 1);
}

static int re_pattern_gc(lua_State *L)
{
    re_pattern *p = luaL_checkudata(L, 1, RE_PATTERN);
    pcre2_code_free(p->code);
    p->code = NULL;
    return 0;
}

static int re_pattern_tostring(lua_State *L)
{
    lua_pushliteral(L, "re pattern");
    return 1;
}

/* The metatable is created once per Lua state, in C, and hidden
 * (__metatable): no rule can reach it to swap the finalizer. */
static void push_pattern_meta(lua_State *L)
{
    if (luaL_newmetatable(L, RE_PATTERN)) {
        lua_pushcfunction(L, re_pattern_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, re_pattern_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        tm_rt_of(L)->re_meta = lua_topointer(L, -1);
    }
}

/* The compiled pattern at idx, or NULL: luaL_testudata, without looking
 * the metatable up by name in the registry on each of a rule's matches. */
static re_pattern *as_pattern(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TUSERDATA)
        return NULL;
    const void *want = tm_rt_of(L)->re_meta;
    if (!want)
        return luaL_testudata(L, idx, RE_PATTERN);
    if (!lua_getmetatable(L, idx))
        return NULL;
    const void *mt = lua_topointer(L, -1);
    lua_pop(L, 1);
    return mt == want ? lua_touserdata(L, idx) : NULL;
}

int tm_re_is_pattern(lua_State *L, int idx)
{
    return as_pattern(L, idx) != NULL;
}


static const pcre2_code *re_arg(lua_State *L, int pat, int flags)
{
    return tm_re_arg_n(L, pat, flags, 1);
}

/* The pattern at `pat` (flags at index `flags`; 0: none), counted as `uses` uses (a bulk scan counts as
 * many, so that it runs as machine code from the start). */
const pcre2_code *tm_re_arg_n(lua_State *L, int pat, int flags, uint32_t uses)
{
    re_pattern *rp = as_pattern(L, pat);
    if (rp) {
        if (flags > 0 && !lua_isnoneornil(L, flags))
            luaL_error(L, "re: give flags to re.compile, not with a compiled pattern");
        if (!rp->code) {
            char err[256];
            pat = lua_absindex(L, pat);
            tm_rt_charge(L, 100 + (int64_t)rp->len * 4);
            pcre2_code *code = tm_re_compile(rp->src, rp->len, rp->opts, err, sizeof err);
            if (!code)
                luaL_error(L, "re: %s", err);
            rp->code = code;
            pattern_ballast(L, pat, code);   /* if this fails, __gc frees the code */
        }
        int jitted = 0;
        for (uint32_t u = 0; u < uses && rp->uses < TM_RE_JIT_AFTER; u++)
            jitted |= tm_re_use(rp->code, &rp->uses);
        if (jitted)   /* its machine code counts too */
            pattern_ballast(L, pat, rp->code);
        return rp->code;
    }
    size_t n;
    const char *p = luaL_checklstring(L, pat, &n);
    const char *fl = flags > 0 ? luaL_optstring(L, flags, "") : "";
    char err[256];
    const pcre2_code *c = tm_re_get(tm_rt_of(L)->re, p, n, fl, err, sizeof err);
    if (!c)
        luaL_error(L, "re: %s", err);
    for (uint32_t u = 1; u < uses && u < TM_RE_JIT_AFTER; u++)
        c = tm_re_get(tm_rt_of(L)->re, p, n, fl, err, sizeof err);
    return c;
}

/* A regex that hits its match limit stops the rule: caught by pcall, it
 * would let a loop spend the limit again and again. */
static int re_failed(lua_State *L, int rc, const char *err)
{
    if (rc == -3)
        return tm_rt_stop(L, "a regex backtracked past its match limit");
    return luaL_error(L, "re: %s", err);
}

int tm_re_exec_as(lua_State *L, const pcre2_code *c, const char *s, size_t n, size_t start,
                      PCRE2_SIZE **ov, int valid)
{
    char err[256];
    tm_rt_charge(L, 1 + (int64_t)(n - (start < n ? start : n)) / 16);
    tm_re *re = tm_rt_of(L)->re;
    int rc = valid ? tm_re_exec_valid(re, c, s, n, start, ov, err, sizeof err)
                   : tm_re_exec(re, c, s, n, start, ov, err, sizeof err);
    if (rc < 0)
        return re_failed(L, rc, err);
    return rc;
}

static int re_run(lua_State *L, const pcre2_code *c, const char *s, size_t n, size_t start, PCRE2_SIZE **ov)
{
    char err[256];
    tm_rt_charge(L, 1 + (int64_t)(n - (start < n ? start : n)) / 16);
    int rc = tm_re_exec(tm_rt_of(L)->re, c, s, n, start, ov, err, sizeof err);
    if (rc < 0)
        return re_failed(L, rc, err);
    return rc;
}

static size_t init_arg(lua_State *L, int i, size_t n)
{
    lua_Integer init = luaL_optinteger(L, i, 1);
    if (init < 0)
        init = (lua_Integer)n + init + 1;
    if (init < 1)
        init = 1;
    return (size_t)init - 1;
}

/* re.find(s, pattern [, init [, flags]]) -> start, end (1-based) or nil */
static int l_re_find(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    const pcre2_code *c = re_arg(L, 2, 4);
    PCRE2_SIZE *ov;
    if (!re_run(L, c, s, n, init_arg(L, 3, n), &ov)) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_pushinteger(L, (lua_Integer)ov[1]);
    return 2;
}

/* re.match(s, pattern [, init [, flags]]) -> captures, or the whole match */
static int l_re_match(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    const pcre2_code *c = re_arg(L, 2, 4);
    PCRE2_SIZE *ov;
    int rc = re_run(L, c, s, n, init_arg(L, 3, n), &ov);
    if (!rc) {
        lua_pushnil(L);
        return 1;
    }
    if (rc == 1) {
        lua_pushlstring(L, s + ov[0], ov[1] - ov[0]);
        return 1;
    }
    luaL_checkstack(L, rc, "too many captures");
    for (int i = 1; i < rc; i++) {
        if (ov[2 * i] == PCRE2_UNSET)
            lua_pushboolean(L, 0);
        else
            lua_pushlstring(L, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
    }
    return rc - 1;
}

/* re.test(s, pattern [, flags]) -> boolean */
static int l_re_test(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    const pcre2_code *c = re_arg(L, 2, 3);
    PCRE2_SIZE *ov;
    lua_pushboolean(L, re_run(L, c, s, n, 0, &ov) > 0);
    return 1;
}

/* re.any(s, p1, p2, ...): re.test(s, p1) or re.test(s, p2) or ..., tried
 * in order up to the first that matches, with s checked for UTF-8 once
 * and one call from Lua (a rule testing each text against two patterns
 * paid both twice). Patterns without flags: compiled, or text. */
static int l_re_any(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    int top = lua_gettop(L);
    luaL_argcheck(L, top >= 2, 2, "a pattern expected");
    int valid = tm_utf8_valid(s, n);
    PCRE2_SIZE *ov;
    for (int i = 2; i <= top; i++) {
        const pcre2_code *c = re_arg(L, i, 0);
        if (tm_re_exec_as(L, c, s, n, 0, &ov, valid) > 0) {
            lua_pushboolean(L, 1);
            return 1;
        }
    }
    lua_pushboolean(L, 0);
    return 1;
}

/* re.gsub(s, pattern, replacement [, flags]) -> string, count. The output
 * buffer is a Lua userdata, so an error midway leaks nothing. */
static int l_re_gsub(lua_State *L)
{
    size_t n, rn;
    const char *s = luaL_checklstring(L, 1, &n);
    const char *rep = luaL_checklstring(L, 3, &rn);
    const pcre2_code *c = re_arg(L, 2, 4);
    tm_rt_charge(L, 1 + (int64_t)(n + rn) / 16);
    size_t cap = n + rn + 64;
    for (;;) {
        char *buf = lua_newuserdatauv(L, cap + 1, 0);
        size_t olen = cap;
        char err[256];
        int rc = tm_re_substitute(tm_rt_of(L)->re, c, s, n, rep, rn, buf, &olen, err, sizeof err);
        if (rc == -2) {   /* too small: olen says what is needed */
            lua_pop(L, 1);
            cap = olen;
            continue;
        }
        if (rc < 0)
            return re_failed(L, rc, err);
        tm_rt_charge(L, 1 + (int64_t)olen / 16);
        lua_pushlstring(L, buf, olen);
        lua_pushinteger(L, rc);
        return 2;
    }
}

/* re.compile(pattern [, flags]) -> a compiled pattern, with its flags; a
 * bad pattern fails when the rule loads rather than mid-run, and a match
 * with it does no lookup. */
static int l_re_compile(lua_State *L)
{
    size_t n;
    const char *p = luaL_checklstring(L, 1, &n);
    const char *fl = luaL_optstring(L, 2, "");
    tm_rt_charge(L, 100 + (int64_t)n * 4);
    char err[256];
    uint32_t opts;
    if (tm_re_flags(fl, &opts, err, sizeof err) != 0)
        return luaL_error(L, "re: %s", err);
    if (tm_rt_of(L)->lazy_re) {   /* compiled by re_arg_n on first use */
        re_pattern *rp = lua_newuserdatauv(L, sizeof *rp, 2);
        *rp = (re_pattern){NULL, p, n, opts, 0};
        push_pattern_meta(L);
        lua_setmetatable(L, -2);
        lua_pushvalue(L, 1);
        lua_setiuservalue(L, -2, 2);
        return 1;
    }
    /* the userdata and its finalizer first: if an allocation fails after
     * compiling, __gc frees the code */
    re_pattern *rp = lua_newuserdatauv(L, sizeof *rp, 1);
    *rp = (re_pattern){NULL, NULL, 0, opts, 0};
    push_pattern_meta(L);
    lua_setmetatable(L, -2);
    rp->code = tm_re_compile(p, n, opts, err, sizeof err);
    if (!rp->code)
        return luaL_error(L, "re: %s", err);
    pattern_ballast(L, lua_gettop(L), rp->code);   /* held as the pattern's user value */
    return 1;
}

void tm_api_push_re(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"compile", l_re_compile}, {"find", l_re_find}, {"match", l_re_match}, {"test", l_re_test},
        {"any", l_re_any}, {"gsub", l_re_gsub}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
