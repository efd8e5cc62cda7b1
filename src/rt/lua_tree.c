/* The document tree as Lua values (module tree of lua_api.h). */
#include "lua_api.h"
#include "lua_api_int.h"
#include "lua_rt.h"
#include "buf.h"
#include "utf8.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void tm_api_init(lua_State *L)
{
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, NODES_KEY);
}

void tm_api_clear_doc(lua_State *L)
{
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, NODES_KEY);
}

/* ---- scalars, YAML 1.2 core schema ---- */

static int is_int(const char *s, size_t n)
{
    size_t i = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (i == n)
        return 0;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int is_float(const char *s, size_t n)
{
    size_t i = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    }
    if (!digits)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t ed = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, ed++;
        if (!ed)
            return 0;
    }
    return i == n;
}


/* What a scalar is under the YAML 1.2 core schema. */
int tm_api_scalar_kind(const tm_doc *d, const tm_node *n)
{
    const char *s = tm_node_str(d, n);
    size_t len = n->len;
    if (n->flags & (TM_NODE_QUOTED | TM_NODE_STRTAG))
        return SC_STRING;
    if (tm_node_is_null(d, n))
        return SC_NULL;
    char c = s[0];
    if ((c == 't' || c == 'T') && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")))
        return SC_TRUE;
    if ((c == 'f' || c == 'F') && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")))
        return SC_FALSE;
    if (((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') && len < 40 &&
        (is_int(s, len) || is_float(s, len)))
        return SC_NUMBER;
    return SC_STRING;
}

static void push_scalar(lua_State *L, const tm_doc *d, const tm_node *n)
{
    const char *s = tm_node_str(d, n);
    switch (tm_api_scalar_kind(d, n)) {
    case SC_NULL:
        lua_pushlightuserdata(L, NULL);
        return;
    case SC_TRUE:
    case SC_FALSE:
        lua_pushboolean(L, tm_api_scalar_kind(d, n) == SC_TRUE);
        return;
    case SC_NUMBER:
        if (lua_stringtonumber(L, s) != 0)
            return;   /* pushed as integer or float */
        break;
    default:
        break;
    }
    lua_pushlstring(L, s, n->len);
}

/* ---- the tree, pushed without recursion ---- */

typedef struct frame {
    uint32_t node;
    uint32_t i;      /* next kid */
} frame;


/* A mapping in a top-level list (`threats:`, `mitigations:`...) is an
 * element: the native adapter sets its canonical fields on it in place, so
 * room for them is made at once rather than by rehashes. The room is what
 * native.lua and lua_native.c add to each kind: more would double a
 * mitigation's table (six keys and five added fit in 16 slots, not 18). */
static int element_slack(const tm_doc *d, uint32_t idx)
{
    uint32_t pi = d->pos[idx].parent;
    if (pi == TM_NONE)
        return 0;
    const tm_node *p = &d->nodes[pi];
    const tm_pos *pp = &d->pos[pi];
    if (p->type != TM_NODE_SEQ || pp->parent != d->root || pp->parent == TM_NONE)
        return 0;
    const tm_node *r = &d->nodes[pp->parent];
    if (r->type != TM_NODE_MAP || !(pp->pidx & 1u))
        return 0;
    const tm_node *k = &d->nodes[d->kids[r->off + pp->pidx - 1]];
    static const struct { const char *key; int slack; } room[] = {
        {"threats", 12}, {"components", 6}, {"mitigations", 5}, {"flows", 5}, {"trust_zones", 3},
    };
    for (size_t i = 0; i < sizeof room / sizeof room[0]; i++)
        if (k->type == TM_NODE_SCALAR && k->len == strlen(room[i].key) &&
            memcmp(tm_node_str(d, k), room[i].key, k->len) == 0)
            return room[i].slack;
    return 0;
}

static void new_table(lua_State *L, const tm_doc *d, uint32_t idx, int nodes, int cache)
{
    const tm_node *n = &d->nodes[idx];
    uint32_t cnt = tm_node_count(n);
    if (n->type == TM_NODE_MAP)
        lua_createtable(L, 0, (int)cnt + element_slack(d, idx));

    else
        lua_createtable(L, (int)cnt, 0);
    lua_pushvalue(L, -1);
    lua_pushinteger(L, idx);
    lua_rawset(L, nodes);
    lua_pushvalue(L, -1);   /* and node index + 1 -> table, for tm.scan */
    lua_rawseti(L, nodes, (lua_Integer)idx + 1);
    if (n->flags & TM_NODE_ANCHOR) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, cache, idx);
    }
}

/* Pushes the value of node idx if it needs no frame (scalar or cached
 * shared table); returns 0 when a new table must be built. */
static int push_simple(lua_State *L, const tm_doc *d, uint32_t idx, int cache)
{
    const tm_node *n = &d->nodes[idx];
    if (n->type == TM_NODE_SCALAR) {
        push_scalar(L, d, n);
        return 1;
    }
    if (n->flags & TM_NODE_ANCHOR) {
        if (lua_rawgeti(L, cache, idx) != LUA_TNIL)
            return 1;
        lua_pop(L, 1);
    }
    return 0;
}

/* Pushes the tree under node `top` and registers its tables. The frame
 * stack st (cap frames) grows on the heap only when `grow`: a caller that
 * may be stopped by a Lua error passes a stack big enough for the tree. */
static void push_tree(lua_State *L, const tm_doc *d, uint32_t top, frame **stp, size_t cap, int grow)
{
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    int nodes = lua_gettop(L);
    lua_newtable(L);   /* shared (anchored) nodes already built */
    int cache = lua_gettop(L);
    if (top == TM_NONE) {
        lua_pushnil(L);
        lua_replace(L, nodes);
        lua_settop(L, nodes);
        return;
    }
    if (push_simple(L, d, top, cache)) {
        lua_replace(L, nodes);
        lua_settop(L, nodes);
        return;
    }
    size_t depth = 0;
    frame *st = *stp;
    new_table(L, d, top, nodes, cache);
    st[depth++] = (frame){top, 0};
    while (depth) {
        frame *f = &st[depth - 1];
        const tm_node *n = &d->nodes[f->node];
        if (f->i >= n->len) {
            depth--;
            if (depth) {   /* set the finished table into its parent */
                frame *p = &st[depth - 1];
                if (d->nodes[p->node].type == TM_NODE_MAP)
                    lua_rawset(L, -3);
                else
                    lua_rawseti(L, -2, (lua_Integer)p->i);
            }
            continue;
        }
        luaL_checkstack(L, 4, "document too deep");
        uint32_t vi;
        if (n->type == TM_NODE_MAP) {
            const tm_node *k = &d->nodes[d->kids[n->off + f->i]];
            vi = d->kids[n->off + f->i + 1];
            f->i += 2;
            if (tm_node_is_null(d, &d->nodes[vi]))
                continue;   /* a key with no value reads as absent */
            lua_pushlstring(L, tm_node_str(d, k), k->len);
            if (push_simple(L, d, vi, cache)) {
                lua_rawset(L, -3);
                continue;
            }
        } else {
            vi = d->kids[n->off + f->i];
            f->i += 1;
            if (push_simple(L, d, vi, cache)) {
                lua_rawseti(L, -2, f->i);
                continue;
            }
        }
        new_table(L, d, vi, nodes, cache);
        if (depth == cap) {
            if (!grow)
                luaL_error(L, "document too deep");
            *stp = st = tm_xrealloc(st, (cap *= 2) * sizeof *st);
        }
        st[depth++] = (frame){vi, 0};
    }
    lua_replace(L, nodes);
    lua_settop(L, nodes);
}

void tm_api_push_subtree(lua_State *L, const tm_doc *d, uint32_t top, size_t span)
{
    /* the walk's stack in a userdata: the rule's memory cap counts it */
    frame *st = lua_newuserdatauv(L, (span + 1) * sizeof *st, 0);
    push_tree(L, d, top, &st, span + 1, 0);
    lua_remove(L, -2);
}

void tm_api_push_doc(lua_State *L, const tm_doc *d)
{
    /* two entries per table (table -> index, index + 1 -> table): made
     * that big at once, the registry is not rehashed twenty times over */
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    lua_pushnil(L);
    int empty = !lua_next(L, -2);
    lua_settop(L, lua_gettop(L) - (empty ? 1 : 3));
    if (empty) {
        uint32_t tables = 0;
        for (uint32_t i = 0; i < d->n; i++)
            tables += d->nodes[i].type != TM_NODE_SCALAR;
        lua_createtable(L, 0, tables > INT_MAX / 2 ? INT_MAX : (int)(2 * tables));
        lua_setfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    }
    frame *st = tm_xmalloc(16 * sizeof *st);
    push_tree(L, d, d->root, &st, 16, 1);
    free(st);
}
