/* The native helpers behind rules/lib/tm.lua: copies, texts, positions,
 * and tm.scan, one pass over every text of the document (lua_api.h). */
#include "lua_api.h"
#include "lua_api_int.h"
#include "lua_rt.h"
#include "buf.h"
#include "utf8.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "lua_native.h"
#include "regex.h"
#include <ctype.h>

/* ---- native helpers behind rules/lib/tm.lua (hot paths of adapters) ---- */

/* tmnative.copy(t): a shallow copy, sized up front */
static int l_copy(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        n++;
        lua_pop(L, 1);
    }
    lua_createtable(L, 0, n);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    return 1;
}

/* Scalar at the top as a string, in place: numbers and booleans are
 * written as text; anything else (tables, null) becomes nil. */
static void to_text(lua_State *L)
{
    switch (lua_type(L, -1)) {
    case LUA_TSTRING:
        return;
    case LUA_TNUMBER:
    case LUA_TBOOLEAN:
        luaL_tolstring(L, -1, NULL);
        lua_remove(L, -2);
        return;
    default:
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Replaces the string at idx with its trimmed, lower-cased (ASCII) form;
 * returns 0 when it already was that (and is left as it is). */
static int lower_at(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    size_t n, n0;
    const char *s = lua_tolstring(L, idx, &n);
    n0 = n;
    while (n && is_space((unsigned char)*s))
        s++, n--;
    while (n && is_space((unsigned char)s[n - 1]))
        n--;
    size_t i = 0;
    while (i < n && !(s[i] >= 'A' && s[i] <= 'Z'))
        i++;
    if (i == n && n == n0)   /* already trimmed and lower-case (most are): the same string */
        return 0;
    if (i == n) {   /* no capitals: only trimming */
        lua_pushlstring(L, s, n);
    } else {
        luaL_Buffer b;
        char *d = luaL_buffinitsize(L, &b, n);
        for (i = 0; i < n; i++)
            d[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
        luaL_pushresultsize(&b, n);
    }
    lua_replace(L, idx);
    return 1;
}

/* tmnative.lower(s): trimmed and lower-cased (ASCII letters), or nil */
static int l_lower(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TSTRING)
        return 0;
    lua_settop(L, 1);
    lower_at(L, 1);
    return 1;
}

/* tmnative.norm_ascii(s): tm.norm for an all-ASCII text, done in C (it runs
 * on every title and reason of big models): lower case, each run of
 * characters that are not letters or digits one space, ends trimmed. nil
 * when s has a byte above 127: Unicode classes are left to PCRE2. */
static int l_norm_ascii(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    tm_rt_charge(L, 1 + (int64_t)n / 32);
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, n + 1);
    size_t k = 0;
    int gap = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 128) {
            luaL_pushresultsize(&b, 0);
            lua_pushnil(L);
            return 1;
        }
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) {
            if (gap && k)
                out[k++] = ' ';
            gap = 0;
            out[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        } else {
            gap = 1;
        }
    }
    luaL_pushresultsize(&b, k);
    return 1;
}

/* tmnative.texts(v): a scalar or a list of scalars as a list of strings
 * (numbers and booleans as written; nulls, tables and blanks dropped) */
void tm_api_texts(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    int out = lua_gettop(L);
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushvalue(L, idx);
        to_text(L);
        if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > 0)
            lua_rawseti(L, out, 1);
        lua_settop(L, out);
        return;
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), k = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        to_text(L);
        if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > 0)
            lua_rawseti(L, out, ++k);
        else
            lua_pop(L, 1);
    }
}

static int l_texts(lua_State *L)
{
    lua_settop(L, 1);
    tm_api_texts(L, 1);
    return 1;
}

/* tmnative.fields(t, texts, lowers): in one call, sets each field named in
 * `texts` to its text (or nil), and each in `lowers` to its trimmed lower
 * case text (or nil). The adapters' hottest loop. */
void tm_api_fields(lua_State *L, int t, int texts, int lowers)
{
    t = lua_absindex(L, t);
    int args[2] = {texts ? lua_absindex(L, texts) : 0, lowers ? lua_absindex(L, lowers) : 0};
    for (int a = 0; a < 2; a++) {
        int arg = args[a];
        if (!arg || lua_isnoneornil(L, arg))
            continue;
        luaL_checktype(L, arg, LUA_TTABLE);
        lua_Integer n = (lua_Integer)lua_rawlen(L, arg);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, arg, i);            /* key */
            lua_pushvalue(L, -1);
            int was = lua_rawget(L, t);        /* value */
            /* a text already as wanted (or an absent field) stays: no
             * store, which is most fields of most elements */
            int same = was == LUA_TNIL || (was == LUA_TSTRING && (a == 0 || !lower_at(L, -1)));
            if (same) {
                lua_pop(L, 2);
                continue;
            }
            to_text(L);
            if (a == 1 && lua_type(L, -1) == LUA_TSTRING)
                lower_at(L, -1);
            lua_rawset(L, t);
        }
    }
}

static int l_fields(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    tm_api_fields(L, 1, 2, 3);
    lua_settop(L, 1);
    return 1;
}

/* tmnative.pos(t): line and column where a tree table (or an element with
 * .node) starts in its file, or nil */
static int l_pos(lua_State *L)
{
    tm_rt *rt = tm_rt_of(L);
    tm_host *h = rt->host;
    lua_settop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    uint32_t el = tm_api_lookup_node(L, 2, 1);
    if (el == TM_NONE || !h || !h->doc)
        return 0;
    lua_pushinteger(L, h->doc->pos[el].line);
    lua_pushinteger(L, h->doc->pos[el].col);
    return 2;
}


/* A key text tm.scan has matched against key_pattern: len + 1 (0: empty
 * slot), a node holding the same text, and the answer. */
#define KEY_MEMO 256
typedef struct key_memo {
    uint32_t len, node;
    int hit;
} key_memo;

/* tmnative.scan(value_pattern(s) [, key_pattern]): one pass in C over every
 * text value of the document (strings as rules see them, in document
 * order, each node once). Returns a list of hits {table, key, text,
 * by_key}: the table holding the value, its key (or list index), the text
 * as written in the file, and whether it was picked because its key
 * matched key_pattern rather than its text value_pattern. */
static int l_scan(lua_State *L)
{
    tm_rt *rt = tm_rt_of(L);
    tm_host *h = rt->host;
    /* several value patterns are tried in turn: alternatives that share no
     * first character are faster apart than joined into one pattern */
    const pcre2_code *vps[16];
    int nvp = 0;
    /* machine code pays on a long document, not on a few lines */
    uint32_t uses = h && h->doc && h->doc->n >= 256 ? TM_RE_JIT_AFTER : 1;
    if (lua_istable(L, 1) && !tm_re_is_pattern(L, 1)) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
        luaL_argcheck(L, n <= 16, 1, "at most 16 patterns");
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, 1, i);
            vps[nvp++] = tm_re_arg_n(L, lua_gettop(L), 0, uses);
            lua_pop(L, 1);   /* the list keeps it alive */
        }
    } else if (!lua_isnoneornil(L, 1)) {
        vps[nvp++] = tm_re_arg_n(L, 1, 0, uses);
    }
    const pcre2_code *kp = lua_isnoneornil(L, 2) ? NULL : tm_re_arg_n(L, 2, 0, uses);
    /* what each pattern needs, found once: most texts (ids, statuses,
     * dates) are too short for it or lack its required character, and are
     * passed over without a call into PCRE2 (but charged as if tried) */
    tm_re_need need[16], kneed;
    key_memo memo[KEY_MEMO];
    memset(memo, 0, sizeof memo);
    for (int j = 0; j < nvp; j++)
        tm_re_need_of(vps[j], &need[j]);
    if (kp)
        tm_re_need_of(kp, &kneed);
    lua_settop(L, 2);
    lua_newtable(L);
    int out = 3;
    if (!h || !h->doc)
        return 1;
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    int nodes = 4;
    const tm_doc *d = h->doc;
    lua_Integer k = 0;
    /* what texts passed over owe, charged in one call every so often
     * and before each match (a call per text was a tenth of the scan) */
    int64_t owed = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        if (owed > 4096) {
            tm_rt_charge(L, owed);
            owed = 0;
        }
        const tm_node *n = &d->nodes[i];
        const tm_pos np = d->pos[i];
        if (n->type != TM_NODE_SCALAR || np.parent == TM_NONE)
            continue;
        const tm_node *p = &d->nodes[np.parent];
        int in_map = p->type == TM_NODE_MAP;
        if (in_map && !(np.pidx & 1u))
            continue;   /* a key: keys are matched with key_pattern, as their value's */
        if (tm_api_scalar_kind(d, n) != SC_STRING)
            continue;
        /* an alias's node is listed under the parent it was first read in */
        if (d->kids[p->off + np.pidx] != i)
            continue;
        PCRE2_SIZE *ov;
        const char *text = tm_node_str(d, n);
        /* checked once here rather than by PCRE2 for each pattern */
        int valid = tm_utf8_valid(text, n->len);
        int hit = 0;
        for (int j = 0; j < nvp && !hit; j++) {
            if (valid && !tm_re_may_match(&need[j], text, n->len)) {
                owed += 1 + (int64_t)n->len / 16;   /* what re_exec_as charges */
            } else {
                tm_rt_charge(L, owed);
                owed = 0;
                hit = tm_re_exec_as(L, vps[j], text, n->len, 0, &ov, valid) > 0;
            }
        }
        int by_key = 0;
        const tm_node *key = in_map ? &d->nodes[d->kids[p->off + np.pidx - 1]] : NULL;
        if (!hit && kp && key) {
            /* a model repeats a few keys thousands of times: each text's
             * answer is kept (and charged as if matched again) */
            const char *kt = tm_node_str(d, key);
            uint32_t hsh = 2166136261u;
            for (uint32_t b = 0; b < key->len; b++)
                hsh = (hsh ^ (unsigned char)kt[b]) * 16777619u;
            key_memo *slot = &memo[hsh & (KEY_MEMO - 1)];
            if (slot->len == key->len + 1 && !memcmp(tm_node_str(d, &d->nodes[slot->node]), kt, key->len)) {
                owed += 1 + (int64_t)key->len / 16;
                hit = by_key = slot->hit;
            } else {
                if (tm_utf8_valid(kt, key->len) && !tm_re_may_match(&kneed, kt, key->len)) {
                    owed += 1 + (int64_t)key->len / 16;
                } else {
                    tm_rt_charge(L, owed);
                    owed = 0;
                    if (tm_re_exec_as(L, kp, kt, key->len, 0, &ov, 0) > 0)
                        hit = by_key = 1;
                }
                *slot = (key_memo){key->len + 1, (uint32_t)(key - d->nodes), by_key};
            }
        }
        if (!hit)
            continue;
        if (lua_rawgeti(L, nodes, (lua_Integer)np.parent + 1) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;   /* not in the tree rules see */
        }
        lua_createtable(L, 4, 0);
        lua_insert(L, -2);
        lua_rawseti(L, -2, 1);
        if (key)
            lua_pushlstring(L, tm_node_str(d, key), key->len);
        else
            lua_pushinteger(L, (lua_Integer)np.pidx + 1);

        lua_rawseti(L, -2, 2);
        lua_pushlstring(L, text, n->len);
        lua_rawseti(L, -2, 3);
        lua_pushboolean(L, by_key);
        lua_rawseti(L, -2, 4);
        lua_rawseti(L, out, ++k);
    }
    tm_rt_charge(L, owed);
    lua_settop(L, out);
    return 1;
}

void tm_api_push_native(lua_State *L)
{
    static const luaL_Reg fns[] = {{"copy", l_copy}, {"lower", l_lower}, {"fields", l_fields}, {"texts", l_texts}, {"norm_ascii", l_norm_ascii},
                                   {"pos", l_pos}, {"scan", l_scan}, {"native_threat", tm_native_threat},
                                   {"native_mitigation", tm_native_mitigation}, {NULL, NULL}};
    luaL_newlib(L, fns);
    tm_api_add_repo(L);
}
