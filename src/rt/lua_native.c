/* The native format's element builders (rules/formats/native.lua): what
 * its threat() and mitigation() did in Lua, field for field, in C. They
 * run once for each element of a model and were a third of the adapter's
 * time; the adapter still decides what to call and when. */
#include "lua_native.h"
#include "lua_api.h"
#include "lua_rt.h"
#include <lauxlib.h>
#include <stdio.h>

/* tm.is_null: nil, or YAML null (a light userdata) */
static int is_null(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    return t == LUA_TNIL || t == LUA_TNONE || t == LUA_TLIGHTUSERDATA || t == LUA_TUSERDATA;
}

/* tm.str: a scalar as a string (numbers and booleans too), or nil */
static void push_str(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        lua_pushvalue(L, idx);
        return;
    case LUA_TNUMBER:
        if (!lua_isinteger(L, idx)) {
            lua_Number v = lua_tonumber(L, idx);
            /* integral (inside this range a cast truncates exactly) */
            if (v > -1e15 && v < 1e15 && v == (lua_Number)(long long)v) {
                char b[64];
                snprintf(b, sizeof b, "%.1f", (double)v);
                lua_pushstring(L, b);
                return;
            }
        }
        luaL_tolstring(L, idx, NULL);
        return;
    case LUA_TBOOLEAN:
        lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
        return;
    default:
        lua_pushnil(L);
    }
}

/* element(t): the element is its own source node */
static void element(lua_State *L, int t)
{
    lua_pushvalue(L, t);
    lua_setfield(L, t, "node");
}

/* t.missing = the set of `not_recorded` names, or nil */
static void not_recorded(lua_State *L, int t)
{
    if (lua_getfield(L, t, "not_recorded") == LUA_TNIL) {
        lua_pop(L, 1);
        lua_pushnil(L);
    } else {
        tm_api_texts(L, -1);
        lua_remove(L, -2);
        int list = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, list);
        if (n == 0) {
            lua_pop(L, 1);
            lua_pushnil(L);
        } else {
            lua_createtable(L, 0, (int)n);
            for (lua_Integer i = 1; i <= n; i++) {
                lua_rawgeti(L, list, i);
                lua_pushboolean(L, 1);
                lua_rawset(L, -3);
            }
            lua_remove(L, list);
        }
    }
    lua_setfield(L, t, "missing");
}

/* The model's table `name`: a team adapter or rule may call these
 * helpers with anything, and the raw accesses below need tables. */
static void need_table(lua_State *L, int model, const char *name)
{
    if (lua_getfield(L, model, name) != LUA_TTABLE)
        luaL_error(L, "model.%s is not a table", name);
    lua_pop(L, 1);
}

static void check_args(lua_State *L, int from, int to)
{
    for (int i = from; i <= to; i++)
        luaL_checktype(L, i, LUA_TTABLE);
}

/* mitigation(raw, model, inline_of) with the field lists at mt, ml;
 * leaves the mitigation on the stack */
static void mitigation(lua_State *L, int m, int model, int inline_of, int mt, int ml)
{
    m = lua_absindex(L, m);
    need_table(L, model, "mitigations");
    need_table(L, model, "mitigation_by_id");
    element(L, m);
    tm_api_fields(L, m, mt, ml);
    not_recorded(L, m);
    lua_getfield(L, m, "acceptance");
    tm_api_texts(L, -1);
    lua_setfield(L, m, "acceptance");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_setfield(L, m, "threats");
    lua_pushvalue(L, inline_of);
    lua_setfield(L, m, "inline_of");
    lua_getfield(L, model, "mitigations");
    lua_pushvalue(L, m);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
    if (lua_getfield(L, m, "id") != LUA_TNIL) {
        int id = lua_gettop(L);
        lua_getfield(L, model, "mitigation_by_id");
        lua_pushvalue(L, id);
        if (lua_rawget(L, -2) == LUA_TNIL || !lua_toboolean(L, -1)) {
            lua_pop(L, 1);
            lua_pushvalue(L, id);
            lua_pushvalue(L, m);
            lua_rawset(L, -3);
        } else {
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_pushvalue(L, m);
}

/* tmnative.native_mitigation(raw, model, inline_of, MIT_TEXT, MIT_LOWER) */
int tm_native_mitigation(lua_State *L)
{
    lua_settop(L, 5);
    check_args(L, 1, 2);
    check_args(L, 4, 5);
    tm_rt_charge(L, 40);
    mitigation(L, 1, 2, 3, 4, 5);
    return 1;
}

/* t.<key_field> = raw.<many> == nil and "<one>" or "<many>";
 * t.<many> = texts(raw.<many> == nil and raw.<one> or raw.<many>)
 * (so a false <one> reads as the absent <many>, as `and`/`or` have it) */
static void targets_of(lua_State *L, int t, const char *one, const char *many, const char *key_field)
{
    int absent = lua_getfield(L, t, many) == LUA_TNIL;
    lua_pushstring(L, absent ? one : many);
    lua_setfield(L, t, key_field);
    if (absent) {
        lua_pop(L, 1);
        lua_getfield(L, t, one);
        if (!lua_toboolean(L, -1)) {
            lua_pop(L, 1);
            lua_pushnil(L);
        }
    }
    tm_api_texts(L, -1);
    lua_setfield(L, t, many);
    lua_pop(L, 1);
}

/* tmnative.native_threat(raw, model, THREAT_TEXT, THREAT_LOWER, MIT_TEXT,
 * MIT_LOWER, LINK_FIELD): the threat, its accept and its mitigation
 * links; inline mitigations are built and added to the model */
int tm_native_threat(lua_State *L)
{
    lua_settop(L, 7);
    check_args(L, 1, 7);
    const int t = 1, model = 2, tt = 3, tl = 4, mt = 5, ml = 6, lf = 7;
    element(L, t);
    tm_api_fields(L, t, tt, tl);
    if (lua_getfield(L, t, "status") == LUA_TNIL || !lua_toboolean(L, -1)) {
        lua_pushliteral(L, "open");
        lua_setfield(L, t, "status");
    }
    lua_pop(L, 1);
    not_recorded(L, t);
    lua_getfield(L, t, "key");
    int key = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_pushboolean(L, key);
    lua_setfield(L, t, "key");
    targets_of(L, t, "component", "components", "components_key");
    targets_of(L, t, "flow", "flows", "flows_key");
    lua_getfield(L, t, "category");
    lua_setfield(L, t, "category_text");
    lua_pushnil(L);
    lua_setfield(L, t, "category");
    /* accept: a mapping is an element of its own; a scalar is the reason */
    lua_getfield(L, t, "accept");
    if (lua_type(L, -1) == LUA_TTABLE) {
        element(L, lua_gettop(L));
        lua_setfield(L, t, "accept");
    } else if (!is_null(L, -1)) {
        lua_createtable(L, 0, 2);
        push_str(L, -2);
        lua_setfield(L, -2, "reason");
        lua_pushvalue(L, t);
        lua_setfield(L, -2, "node");
        lua_setfield(L, t, "accept");
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
    }
    /* every entry of `mitigations`, by id or inline: { field, mitigation, id } */
    lua_getfield(L, t, "mitigations");
    if (lua_type(L, -1) != LUA_TTABLE) {   /* list(v): one value, or none */
        int null = is_null(L, -1);
        lua_createtable(L, null ? 0 : 1, 0);
        if (!null) {
            lua_pushvalue(L, -2);
            lua_rawseti(L, -2, 1);
        }
        lua_remove(L, -2);
    }
    int entries = lua_gettop(L);
    lua_Integer n = 0;
    while (lua_rawgeti(L, entries, n + 1) != LUA_TNIL) {   /* ipairs: up to the first nil */
        lua_pop(L, 1);
        n++;
    }
    lua_pop(L, 1);
    tm_rt_charge(L, 60 + 30 * (int64_t)n);
    lua_createtable(L, (int)n, 0);
    int links = lua_gettop(L);
    lua_createtable(L, (int)n, 0);
    int ids = lua_gettop(L);
    lua_Integer nids = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_createtable(L, 0, 3);
        int link = lua_gettop(L);
        if (lua_rawgeti(L, lf, i) != LUA_TSTRING) {
            lua_pop(L, 1);
            lua_pushfstring(L, "mitigations.%I", (LUAI_UACINT)i);
        }
        lua_setfield(L, link, "field");
        lua_rawgeti(L, entries, i);
        int e = lua_gettop(L);
        int table = lua_type(L, e) == LUA_TTABLE, list = 0;
        if (table) {   /* a list (TM006's) links to nothing, as a null does */
            list = lua_rawgeti(L, e, 1) != LUA_TNIL;
            lua_pop(L, 1);
        }
        if (table && !list) {
            mitigation(L, e, model, t, mt, ml);
            lua_getfield(L, -1, "id");
            lua_setfield(L, link, "id");
            lua_setfield(L, link, "mitigation");
        } else if (!table && !is_null(L, e)) {
            push_str(L, e);
            lua_setfield(L, link, "id");
        }
        lua_pop(L, 1);   /* e */
        lua_pushvalue(L, link);
        lua_rawseti(L, links, i);
        if (lua_getfield(L, link, "id") != LUA_TNIL)
            lua_rawseti(L, ids, ++nids);
        else
            lua_pop(L, 1);
        lua_pop(L, 1);   /* link */
    }
    lua_setfield(L, t, "mitigations");
    lua_setfield(L, t, "links");
    lua_settop(L, t);
    return 1;
}
