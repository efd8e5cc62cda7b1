#include "lua_rt.h"
#include "deadline.h"
#include "bytecode.h"
#include "esc.h"
#include "buf.h"
#include "lua_api.h"
#include "lua_pool.h"
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOOK_EVERY 1000   /* instructions between budget checks */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The deadline's clock: read on every charge from C, so the coarse one
 * (the kernel's last tick, a few ms fine, far cheaper to read) is right
 * for a limit counted in seconds. */
static int64_t deadline_ns(void)
{
    struct timespec ts;
#ifdef CLOCK_MONOTONIC_COARSE
    if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) == 0)
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Stops the running rule for good: the hook then fires on every
 * instruction and raises again, so pcall cannot catch the stop. */
int tm_rt_stop(lua_State *L, const char *why)
{
    tm_rt *rt = tm_rt_of(L);
    if (!rt->tripped) {
        rt->tripped = 1;
        rt->stop_reason = why;
        lua_sethook(L, rt->hook, LUA_MASKCOUNT, 1);
    }
    return luaL_error(L, "%s", why);
}

/* Charges work done in C to the rule's budget, and checks its deadline. */
void tm_rt_charge(lua_State *L, int64_t cost)
{
    tm_rt *rt = tm_rt_of(L);
    if (rt->tripped)
        tm_rt_stop(L, rt->stop_reason ? rt->stop_reason : "stopped");
    rt->budget -= cost;
    if (rt->budget < 0)
        tm_rt_stop(L, "instruction budget exhausted");
    /* the clock on every 32nd small charge and on each large one (the
     * hook's included: one VM instruction may compare two long strings, so
     * a thousand of them can take long): a rule calls re.test or report()
     * thousands of times, and reading the clock each time was a good part
     * of a cheap call */
    if (rt->deadline && (cost >= HOOK_EVERY || (++rt->charges & 31u) == 0) && deadline_ns() > rt->deadline)
        tm_rt_stop(L, "time limit exceeded");
}

tm_rt *tm_rt_of(lua_State *L)
{
    return *(tm_rt **)lua_getextraspace(L);
}

/* The allocator counts what Lua holds and refuses growth past the cap;
 * frees and shrinks always succeed (Lua relies on that). */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    tm_rt *rt = ud;
    size_t old = ptr ? osize : 0;   /* with ptr == NULL, osize is a type tag */
    if (nsize == 0) {
        tm_pool_realloc(rt->pool, ptr, osize, 0);
        rt->mem_used -= old;
        return NULL;
    }
    if (nsize > old && rt->mem_used + (nsize - old) > rt->mem_limit) {
        rt->mem_tripped = 1;
        return NULL;
    }
    /* a new string (Lua passes its type as osize) past the cap, while a
     * rule or adapter runs: every VM instruction that compares or hashes
     * it would cost its length, unseen by the budget. The model's own
     * strings are made before, by tmlint */
    if (!ptr && osize == LUA_TSTRING && rt->in_call && !rt->long_strings && nsize > TM_RULE_MAX_STRING + 64) {
        rt->str_tripped = 1;
        return NULL;
    }
    /* the bytes a new string fills are work too */
    if (!ptr && osize == LUA_TSTRING && rt->in_call)
        rt->budget -= (int64_t)(nsize / 16);
    void *p = tm_pool_realloc(rt->pool, ptr, osize, nsize);
    if (!p)
        return NULL;
    rt->mem_used = rt->mem_used - old + nsize;
    return p;
}

/* Once the budget is spent the hook fires on every instruction and raises
 * again, so a rule cannot swallow the stop with pcall and carry on. In a
 * call that counts no instructions, only the deadline timer sets it. */
static void hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    tm_rt *rt = tm_rt_of(L);
    if (rt->tripped)
        tm_rt_stop(L, rt->stop_reason ? rt->stop_reason : "stopped");
    if (!rt->counting) {
        lua_sethook(L, NULL, 0, 0);
        if (!rt->in_call)
            return;
        if (now_ns() >= rt->deadline)
            tm_rt_stop(L, "time limit exceeded");
        /* the timer was due by an earlier call's deadline: due by this one's
         * now (or, failing that, count from here on) */
        if (tm_deadline_by(rt->timer, rt->deadline) != 0) {
            rt->counting = 1;
            lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_EVERY);
        }
        return;
    }
    tm_rt_charge(L, HOOK_EVERY);
}

/* The deadline timer's callback, in a signal handler (lua_sethook is safe
 * there, as lua.c's interrupt shows): the call stops at its next VM
 * instruction. */
static void time_up(void *ud)
{
    tm_rt *rt = ud;
    if (rt->in_call && !rt->counting)
        lua_sethook(rt->L, hook, LUA_MASKCOUNT, 1);
}

static int l_panic(lua_State *L)
{
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "tmlint: fatal: Lua panic: %s\n", m ? m : "?");
    abort();
}

/* Lua patterns run in C where the instruction hook never fires, and some
 * backtrack exponentially. Rules may use them only without repetition
 * (* + - ?) or %b; anything more goes through re.*, which is bounded. */
static int pattern_is_safe(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '%') {
            if (i + 1 < n && p[i + 1] == 'b')
                return 0;
            i++;
        } else if (c == '[') {
            i++;
            if (i < n && p[i] == '^') i++;
            if (i < n && p[i] == ']') i++;
            while (i < n && p[i] != ']') {
                if (p[i] == '%') i++;
                i++;
            }
        } else if (c == '*' || c == '+' || c == '-' || c == '?') {
            return 0;
        }
    }
    return 1;
}

static int guard(lua_State *L, int pat_arg, int plain_arg)
{
    if (plain_arg && lua_toboolean(L, plain_arg))
        return 0;
    size_t n;
    const char *p = luaL_checklstring(L, pat_arg, &n);
    if (!pattern_is_safe(p, n))
        return luaL_error(L, "Lua patterns with repetition or %%b are not allowed in rules "
                             "(they cannot be interrupted); use re.find, re.match or re.gsub");
    return 0;
}

/* Each guard is a closure over the original function (upvalue 1). */
static int call_orig(lua_State *L)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

/* Work a C library function is about to do, in budget units (about one
 * per 16 bytes touched, one per element or iteration), from its arguments:
 * charged before it runs, so no single call can outlast the budget. */
static int64_t len_of(lua_State *L, int i)
{
    size_t n = 0;
    if (lua_type(L, i) == LUA_TSTRING)
        lua_tolstring(L, i, &n);
    return (int64_t)n;
}

static int64_t int_arg(lua_State *L, int i, int64_t dflt)
{
    return lua_isinteger(L, i) ? (int64_t)lua_tointeger(L, i) : dflt;
}

/* saturating a+b and a*b for non-negative numbers */
static int64_t add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t mul(int64_t a, int64_t b)
{
    if (a <= 0 || b <= 0)
        return 0;
    return a > INT64_MAX / b ? INT64_MAX : a * b;
}

static int64_t span(int64_t from, int64_t to)
{
    if (to < from)
        return 0;
    return from < 0 && to > INT64_MAX + from ? INT64_MAX : to - from + 1;
}

enum { W_SCAN, W_REP, W_FORMAT, W_LEN, W_CONCAT, W_MOVE, W_INSERT, W_REMOVE, W_UNPACK, W_SORT, W_NUMBER, W_ARGS };
#define SORT_SCAN_MAX 100000   /* elements whose length table.sort's charge looks at */

static int64_t cost_of(lua_State *L, int kind)
{
    switch (kind) {
    case W_SCAN:   /* find/match/gmatch/gsub: every start position tries the pattern; */
        /* a plain find compares bytes (memchr, memcmp), a pattern steps
         * through its classes one byte of the pattern at a time */
        return add(1, mul(len_of(L, 1) + 1, len_of(L, 2) + 1) / (lua_toboolean(L, 4) ? 64 : 4));
    case W_REP: {  /* string.rep(s, n [, sep]): n copies, even of "" */
        int64_t n = int_arg(L, 2, 0);
        return n <= 0 ? 1 : add(1, add(n, mul(n, len_of(L, 1) + len_of(L, 3)) / 16));
    }
    case W_FORMAT: {
        int64_t total = len_of(L, 1);
        for (int i = 2; i <= lua_gettop(L); i++)
            total += len_of(L, i) + 8;
        return 1 + total / 16;
    }
    case W_LEN: return 1 + len_of(L, 1) / 16;
    case W_CONCAT: {   /* table.concat(t, sep, i, j) */
        int64_t n = lua_istable(L, 1) ? (int64_t)lua_rawlen(L, 1) : 0;
        return add(1, span(int_arg(L, 3, 1), int_arg(L, 4, n)));
    }
    case W_MOVE:   /* table.move(a1, f, e, t [, a2]) */
        return add(1, span(int_arg(L, 2, 1), int_arg(L, 3, 0)));
    case W_INSERT:  /* table.insert(t, [pos,] v) shifts the elements from pos on; */
    case W_REMOVE: {  /* table.remove(t [, pos]) too; at the end nothing moves */
        int64_t n = lua_istable(L, 1) ? (int64_t)lua_rawlen(L, 1) : 0;
        if (lua_gettop(L) < (kind == W_INSERT ? 3 : 2))
            return 1;
        int64_t pos = int_arg(L, 2, n);
        return 1 + (pos >= 1 && pos <= n ? n - pos : 0);
    }
    case W_UNPACK: {
        int64_t n = lua_istable(L, 1) ? (int64_t)lua_rawlen(L, 1) : 0;
        return add(1, span(int_arg(L, 2, 1), int_arg(L, 3, n)));
    }
    case W_SORT: {  /* n log n comparisons, each as long as the longest string */
        int64_t n = lua_istable(L, 1) ? (int64_t)lua_rawlen(L, 1) : 0, lg = 1, longest = 0;
        for (int64_t k = n; k > 1; k >>= 1)
            lg++;
        for (int64_t i = 1; i <= n && i <= SORT_SCAN_MAX; i++) {
            if (lua_rawgeti(L, 1, i) == LUA_TSTRING && (int64_t)lua_rawlen(L, -1) > longest)
                longest = (int64_t)lua_rawlen(L, -1);
            lua_pop(L, 1);
        }
        if (n > SORT_SCAN_MAX)   /* past that the scan itself is the cost: assume the worst */
            longest = (int64_t)TM_RULE_MAX_STRING;
        return add(add(1, n), mul(mul(n, lg), 1 + longest / 16));
    }
    case W_NUMBER:   /* tonumber: a base walks every byte; a decimal read does too */
        return 1 + len_of(L, 1) / (lua_isnoneornil(L, 2) ? 16 : 4);
    case W_ARGS: return 1 + lua_gettop(L);
    }
    return 1;
}

/* A charged library function: upvalue 1 the original, upvalue 2 its kind. */
static int l_charged(lua_State *L)
{
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    if (kind == W_REP) {   /* refuse a result that cannot fit before building it */
        tm_rt *rt = tm_rt_of(L);
        int64_t n = int_arg(L, 2, 0);
        int64_t bytes = n <= 0 ? 0 : mul(n, len_of(L, 1) + len_of(L, 3));
        if ((uint64_t)bytes > rt->mem_limit - rt->mem_used) {
            rt->mem_tripped = 1;
            return luaL_error(L, "not enough memory");
        }
    }
    tm_rt_charge(L, cost_of(L, kind));
    return call_orig(L);
}

static int l_find(lua_State *L) { guard(L, 2, 4); tm_rt_charge(L, cost_of(L, W_SCAN)); return call_orig(L); }
static int l_match(lua_State *L) { guard(L, 2, 0); tm_rt_charge(L, cost_of(L, W_SCAN)); return call_orig(L); }
static int l_gmatch(lua_State *L) { guard(L, 2, 0); tm_rt_charge(L, cost_of(L, W_SCAN)); return call_orig(L); }
static int l_gsub(lua_State *L) { guard(L, 2, 0); tm_rt_charge(L, cost_of(L, W_SCAN)); return call_orig(L); }

/* setmetatable without finalizers: a __gc would run when the collector
 * gets to it, after the rule's budget is gone. */
static int l_setmetatable(lua_State *L)
{
    if (lua_istable(L, 2)) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: finalizers (__gc) are not allowed in rules");
        lua_pop(L, 1);
    }
    return call_orig(L);
}

static void charge_lib(lua_State *L, const char *lib, const char *const *names, int kind)
{
    lua_getglobal(L, lib);
    for (const char *const *n = names; *n; n++) {
        lua_getfield(L, -1, *n);
        lua_pushinteger(L, kind);
        lua_pushcclosure(L, l_charged, 2);
        lua_setfield(L, -2, *n);
    }
    lua_pop(L, 1);
}

static int l_print(lua_State *L)
{
    tm_rt *rt = tm_rt_of(L);
    if (!rt->verbose)
        return 0;
    int n = lua_gettop(L);
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b, "tmlint: rule says:");
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        tm_rt_charge(L, 1 + (int64_t)len / 16);
        tm_buf_addc(&b, ' ');
        tm_esc_text(&b, s, 1);
        lua_pop(L, 1);
    }
    tm_buf_addc(&b, '\n');
    fwrite(b.p, 1, b.len, stderr);
    tm_buf_free(&b);
    return 0;
}

static void copy_table(lua_State *L, int src)
{
    lua_createtable(L, 0, 32);   /* room for the base functions and the libraries: no rehash */
    lua_pushnil(L);
    while (lua_next(L, src)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

static int ro_newindex(lua_State *L)
{
    return luaL_error(L, "this table is shared by every rule and read-only (copy it with tm.copy)");
}

static int ro_len(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

static int ro_pairs(lua_State *L)
{
    /* pairs(string) walks the library itself: next, the table, nil */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_remove(L, -2);
    lua_pushnil(L);
    return 3;
}

/* The metatable that makes an empty table a view of table `lib`, out of
 * reach of rules (protected). A view of a library is each rule's own: what
 * a rule assigns lands in its view and shadows the library for it alone.
 * A frozen view is shared and refuses assignments. */
static void push_ro_meta(lua_State *L, int lib, int next, int frozen)
{
    lua_createtable(L, 0, 6);
    lua_pushvalue(L, lib);
    lua_setfield(L, -2, "__index");
    if (frozen) {
        lua_pushcfunction(L, ro_newindex);
        lua_setfield(L, -2, "__newindex");
    }
    lua_pushcfunction(L, ro_len);
    lua_setfield(L, -2, "__len");
    lua_pushvalue(L, next);
    lua_pushcclosure(L, ro_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
}

void tm_rt_view(lua_State *L, int frozen)
{
    int t = lua_gettop(L);
    /* one metatable per table viewed (each rule's `tm` is a view of the
     * same library): made once, kept in the registry */
    if (lua_getfield(L, LUA_REGISTRYINDEX, frozen ? "tm.views.frozen" : "tm.views") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, frozen ? "tm.views.frozen" : "tm.views");
    }
    int views = lua_gettop(L);
    lua_pushvalue(L, t);
    if (lua_rawget(L, views) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_getfield(L, LUA_REGISTRYINDEX, "tm.libs");
        lua_getfield(L, -1, "base");
        lua_getfield(L, -1, "next");
        push_ro_meta(L, t, lua_gettop(L), frozen);
        lua_replace(L, -4);
        lua_pop(L, 2);
        lua_pushvalue(L, t);
        lua_pushvalue(L, -2);
        lua_rawset(L, views);
    }
    lua_createtable(L, 0, 0);
    lua_insert(L, -2);
    lua_setmetatable(L, -2);
    lua_replace(L, t);
    lua_settop(L, t);
}

static const char *const shared_libs[] = {"string", "table", "math", "utf8", "re", "tmnative", NULL};

/* Opens only the safe libraries and trims them in place; the trimmed
 * originals are kept in the registry as "tm.libs" to copy per rule. */
static int setup(lua_State *L)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->name; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    /* string: keep the originals for the guards, then replace in place so
     * that method calls ("x"):find(...) are guarded too */
    lua_getglobal(L, "string");
    static const luaL_Reg guarded[] = {
        {"find", l_find}, {"match", l_match}, {"gmatch", l_gmatch}, {"gsub", l_gsub}, {NULL, NULL}};
    for (const luaL_Reg *g = guarded; g->name; g++) {
        lua_getfield(L, -1, g->name);
        lua_pushcclosure(L, g->func, 1);
        lua_setfield(L, -2, g->name);
    }
    lua_pushnil(L); lua_setfield(L, -2, "dump");   /* bytecode out is bytecode in */
    lua_pop(L, 1);
    /* every C function whose work grows with its arguments is charged first */
    static const char *const s_rep[] = {"rep", NULL}, *const s_fmt[] = {"format", NULL},
                             *const s_len[] = {"byte", "upper", "lower", "reverse", "len", "sub", "pack", "unpack", "packsize", NULL},
                             *const s_args[] = {"char", NULL},
                             *const t_concat[] = {"concat", NULL}, *const t_move[] = {"move", NULL},
                             *const t_ins[] = {"insert", NULL}, *const t_rem[] = {"remove", NULL}, *const t_unpack[] = {"unpack", NULL},
                             *const t_sort[] = {"sort", NULL}, *const t_args[] = {"pack", NULL},
                             *const u_len[] = {"len", "codepoint", "offset", NULL}, *const u_args[] = {"char", NULL};
    charge_lib(L, "string", s_rep, W_REP);
    charge_lib(L, "string", s_fmt, W_FORMAT);
    charge_lib(L, "string", s_len, W_LEN);
    charge_lib(L, "string", s_args, W_ARGS);
    charge_lib(L, "table", t_concat, W_CONCAT);
    charge_lib(L, "table", t_move, W_MOVE);
    charge_lib(L, "table", t_ins, W_INSERT);
    charge_lib(L, "table", t_rem, W_REMOVE);
    charge_lib(L, "table", t_unpack, W_UNPACK);
    charge_lib(L, "table", t_sort, W_SORT);
    charge_lib(L, "table", t_args, W_ARGS);
    charge_lib(L, "utf8", u_len, W_LEN);
    charge_lib(L, "utf8", u_args, W_ARGS);
    lua_getglobal(L, "tonumber");
    lua_pushinteger(L, W_NUMBER);
    lua_pushcclosure(L, l_charged, 2);
    lua_setglobal(L, "tonumber");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, l_setmetatable, 1);
    lua_setglobal(L, "setmetatable");
    /* the string metatable must not be reachable: rules would share it */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    lua_getglobal(L, "math");
    lua_pushnil(L); lua_setfield(L, -2, "random");      /* results must not vary */
    lua_pushnil(L); lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    /* the allowed library set, as tables to copy from */
    lua_newtable(L);
    static const char *base_ok[] = {
        "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
        "rawget", "rawlen", "select", "setmetatable", "tonumber", "tostring",
        "type", "xpcall", "_VERSION", NULL};
    lua_newtable(L);
    for (const char **k = base_ok; *k; k++) {
        lua_getglobal(L, *k);
        lua_setfield(L, -2, *k);
    }
    lua_pushcfunction(L, l_print);
    lua_setfield(L, -2, "print");
    lua_setfield(L, -2, "base");
    static const char *tabs[] = {"string", "table", "math", "utf8", NULL};
    for (const char **k = tabs; *k; k++) {
        lua_getglobal(L, *k);
        lua_setfield(L, -2, *k);
    }
    tm_api_push_re(L);
    lua_setfield(L, -2, "re");
    tm_api_push_native(L);
    lua_setfield(L, -2, "tmnative");
    lua_newtable(L);   /* "ro.meta": the read-only view of each library */
    lua_getfield(L, -2, "base");
    lua_getfield(L, -1, "next");
    lua_remove(L, -2);
    int next = lua_gettop(L);
    for (int i = 0; shared_libs[i]; i++) {
        lua_getfield(L, next - 2, shared_libs[i]);
        push_ro_meta(L, lua_gettop(L), next, 0);
        lua_rawseti(L, next - 1, i + 1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_setfield(L, -2, "ro.meta");
    lua_setfield(L, LUA_REGISTRYINDEX, "tm.libs");
    /* nothing should run with the real globals; empty them */
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, -4);
    }
    lua_pop(L, 1);
    tm_api_init(L);
    /* the model is built once and read many times: generational mode
     * keeps the collector from walking it again on every cycle */
    lua_gc(L, LUA_GCINC, 0, 0, 0);
    return 0;
}

tm_rt *tm_rt_new(size_t mem_cap, const tm_re_limits *rl, tm_diags *d)
{
    tm_rt *rt = tm_xcalloc(1, sizeof *rt);
    rt->mem_cap = rt->mem_limit = mem_cap;
    rt->hook = hook;
    rt->timer = tm_deadline_new(time_up, rt);
    rt->pool = tm_pool_new();
    rt->L = rt->pool ? lua_newstate(l_alloc, rt) : NULL;
    if (!rt->L) {
        tm_pool_free(rt->pool);
        tm_deadline_free(rt->timer);
        free(rt);
        tm_diag_add(d, TM_DIAG_ERROR, NULL, 0, 0, NULL, "cannot start Lua (out of memory)");
        return NULL;
    }
    *(tm_rt **)lua_getextraspace(rt->L) = rt;
    lua_atpanic(rt->L, l_panic);
    rt->re = tm_re_new(rl);
    lua_pushcfunction(rt->L, setup);
    if (lua_pcall(rt->L, 0, 0, 0) != LUA_OK) {
        tm_diag_add(d, TM_DIAG_ERROR, NULL, 0, 0, NULL, "cannot set up Lua: %s", lua_tostring(rt->L, -1));
        tm_rt_free(rt);
        return NULL;
    }
    return rt;
}

void tm_rt_free(tm_rt *rt)
{
    if (!rt)
        return;
    if (rt->L) {
        /* every object is freed in turn: the pool drops them all at once */
        tm_pool_closing(rt->pool);
        lua_close(rt->L);
    }
    tm_deadline_disarm(rt->timer);
    tm_deadline_free(rt->timer);
    tm_pool_free(rt->pool);
    tm_re_free(rt->re);
    free(rt);
}

void tm_rt_push_env(tm_rt *rt)
{
    lua_State *L = rt->L;
    lua_getfield(L, LUA_REGISTRYINDEX, "tm.libs");
    int libs = lua_gettop(L);
    lua_getfield(L, libs, "base");
    copy_table(L, lua_gettop(L));      /* env = copy of base */
    lua_remove(L, -2);
    int env = lua_gettop(L);
    /* each library as a fresh empty table reading through to the shared
     * one: a rule can neither change what another rule calls (what it
     * assigns lands in its own view) nor pay to copy the libraries */
    lua_getfield(L, libs, "ro.meta");
    int metas = lua_gettop(L);
    for (int i = 0; shared_libs[i]; i++) {
        lua_createtable(L, 0, 0);
        lua_rawgeti(L, metas, i + 1);
        lua_setmetatable(L, -2);
        lua_setfield(L, env, shared_libs[i]);
    }
    lua_pop(L, 1);
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
    lua_remove(L, libs);
}

static int own_newindex(lua_State *L)
{
    return luaL_error(L, "tmlint's own files share one environment and may not set globals");
}

void tm_rt_push_own_env(tm_rt *rt)
{
    lua_State *L = rt->L;
    lua_getfield(L, LUA_REGISTRYINDEX, "tm.libs");
    int libs = lua_gettop(L);
    lua_getfield(L, libs, "base");
    copy_table(L, lua_gettop(L));
    lua_remove(L, -2);
    int env = lua_gettop(L);
    for (int i = 0; shared_libs[i]; i++) {
        lua_getfield(L, libs, shared_libs[i]);
        tm_rt_view(L, 1);
        lua_setfield(L, env, shared_libs[i]);
    }
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
    lua_remove(L, libs);
}

void tm_rt_seal_env(lua_State *L)
{
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, own_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

int tm_rt_load_buf(tm_rt *rt, const char *buf, size_t len, const char *chunkname,
                   const char *path, tm_diags *d)
{
    /* "t": text only; precompiled bytecode is unverified and can escape.
     * The one exception is our own, compiled at build time from exactly
     * these bytes under this name. */
    const tm_bytecode *bc = getenv("TMLINT_NO_BYTECODE") ? NULL : tm_bytecode_find(chunkname, buf, len);
    return tm_rt_load_own(rt, bc, buf, len, chunkname, path, d);
}

int tm_rt_load_own(tm_rt *rt, const tm_bytecode *bc, const char *buf, size_t len, const char *chunkname,
                   const char *path, tm_diags *d)
{
    lua_State *L = rt->L;
    int st = bc ? luaL_loadbufferx(L, bc->code, bc->code_len, chunkname, "b") : LUA_ERRSYNTAX;
    rt->builtin_loaded = bc && st == LUA_OK;
    rt->foreign |= !rt->builtin_loaded;   /* from now on every call counts */
    if (bc && st != LUA_OK)
        lua_pop(L, 1);   /* another Lua than the one it was built with: compile the text */
    if (st != LUA_OK && luaL_loadbufferx(L, buf, len, chunkname, "t") != LUA_OK) {
        tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot load Lua: %s", lua_tostring(L, -1));
        lua_pop(L, 2);
        return -1;
    }
    lua_insert(L, -2);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 0;
}

int tm_rt_load(tm_rt *rt, const char *path, const char *chunkname, tm_diags *d)
{
    tm_buf b;
    int rr = tm_read_file(path, &b, TM_MAX_LUA_FILE);
    if (rr != 0) {
        lua_pop(rt->L, 1);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "refusing to load it as Lua: %s", tm_read_error(rr));
    }
    int rc = tm_rt_load_buf(rt, b.p ? b.p : "", b.len, chunkname, path, d);
    tm_buf_free(&b);
    return rc;
}

static int msgh(lua_State *L)
{
    if (!lua_isstring(L, 1))
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

int tm_rt_call(tm_rt *rt, int nargs, int nres, int64_t instructions, size_t memory,
               const char *who, const char *file, tm_diags *d)
{
    lua_State *L = rt->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    rt->budget = instructions;
    rt->tripped = 0;
    rt->stop_reason = NULL;
    rt->deadline = rt->time_limit_ns ? deadline_ns() + rt->time_limit_ns : 0;
    rt->mem_tripped = 0;
    rt->str_tripped = 0;
    rt->in_call = 1;
    int capped = rt->mem_used + memory > rt->mem_cap;
    rt->mem_limit = capped ? rt->mem_cap : rt->mem_used + memory;
    /* tmlint's own code runs without the per-instruction hook when a timer
     * can stop it at its deadline */
    rt->counting = rt->count_always || rt->foreign || !rt->deadline;
    if (!rt->counting && tm_deadline_by(rt->timer, rt->deadline) != 0)
        rt->counting = 1;
    if (rt->counting)
        lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_EVERY);
    else
        rt->uncounted_calls++;
    /* the main chunk of a built-in file compiles its patterns when they
     * are first used (most runs use few of them); its patterns are known
     * good (tests/cli compiles them all with TMLINT_EAGER_RE=1) */
    rt->lazy_re = rt->builtin_loaded && !getenv("TMLINT_EAGER_RE");
    rt->builtin_loaded = 0;
    int64_t started = now_ns();
    int st = lua_pcall(L, nargs, nres, base);
    rt->lazy_re = 0;
    rt->last_ns = now_ns() - started;
    rt->last_work = rt->counting ? instructions - (rt->budget > 0 ? rt->budget : 0) : 0;
    lua_sethook(L, NULL, 0, 0);
    rt->in_call = 0;
    rt->long_strings = 0;
    int rc = 0;
    if (rt->tripped && rt->stop_reason && !strcmp(rt->stop_reason, "time limit exceeded")) {
        rc = tm_diag_add(d, TM_DIAG_ERROR, file, 0, 0, who, "%s stopped: it ran past its time limit of %.3g s (--max-rule-time)",
                         who, (double)rt->time_limit_ns / 1e9);
    } else if (rt->tripped && rt->stop_reason && strcmp(rt->stop_reason, "instruction budget exhausted")) {
        rc = tm_diag_add(d, TM_DIAG_ERROR, file, 0, 0, who, "%s stopped: %s", who, rt->stop_reason);
    } else if (rt->tripped) {
        rc = tm_diag_add(d, TM_DIAG_ERROR, file, 0, 0, who,
                         "%s stopped: it ran past its budget of %lld Lua instructions",
                         who, (long long)instructions);
    } else if (rt->str_tripped && st != LUA_OK) {
        rc = tm_diag_add(d, TM_DIAG_ERROR, file, 0, 0, who,
                         "%s stopped: it tried to make a string longer than %zu MiB", who, TM_RULE_MAX_STRING >> 20);
    } else if (rt->mem_tripped && st != LUA_OK && capped) {   /* the whole heap's cap, not the call's own */
        rc = tm_diag_add(d, TM_DIAG_ERROR, file, 0, 0, who,
                         "%s stopped: the Lua heap (the model and the rules' data) reached its cap of %zu MiB", who,
                         rt->mem_cap >> 20);
    } else if (rt->mem_tripped && st != LUA_OK) {  /* a refusal Lua recovered from by collecting is no failure */
        rc = tm_diag_add(d, TM_DIAG_ERROR, file, 0, 0, who,
                         "%s stopped: it needed more than its %zu MiB of memory", who, memory >> 20);
    } else if (st != LUA_OK) {
        const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "error";
        /* tmlint's own bytecode has no line numbers: say how to get them */
        int stripped = !strncmp(msg, "?:-1: ", 6);
        rc = tm_diag_add(d, TM_DIAG_ERROR, file, 0, 0, who, "%s failed: %s%s", who, stripped ? msg + 6 : msg,
                         stripped ? " (TMLINT_NO_BYTECODE=1 names the line)" : "");
    }
    rt->mem_limit = rt->mem_cap;
    rt->tripped = 0;
    rt->deadline = 0;
    if (rc != 0)
        lua_settop(L, base - 1);
    else
        lua_remove(L, base);
    if (rt->mem_tripped)
        lua_gc(L, LUA_GCCOLLECT);
    return rc;
}

void tm_rt_rest(tm_rt *rt)
{
    if (rt)
        tm_deadline_disarm(rt->timer);
}
