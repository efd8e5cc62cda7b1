/* The document tree as Lua values (module tree of lua_api.h). */
#include "lua_api.h"
#include "lua_api_int.h"
#include "lua_rt.h"
#include "buf.h"
#include "utf8.h"
#include "yaml_load.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
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
static const struct { const char *key; int slack; } room[] = {
    {"threats", 12}, {"components", 6}, {"mitigations", 5}, {"flows", 5}, {"trust_zones", 3},
};

/* The room an item of the top-level list under key node k is given. */
static int slack_for_key(const tm_doc *d, uint32_t ki)
{
    const tm_node *k = &d->nodes[ki];
    for (size_t i = 0; i < sizeof room / sizeof room[0]; i++)
        if (k->type == TM_NODE_SCALAR && k->len == strlen(room[i].key) &&
            memcmp(tm_node_str(d, k), room[i].key, k->len) == 0)
            return room[i].slack;
    return 0;
}

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
    return slack_for_key(d, d->kids[r->off + pp->pidx - 1]);
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
 * stack st (cap frames) grows only when `grow`: 1 on the C heap, 2 in
 * Lua's memory (a push in a protected call, which an error may stop);
 * with 0 the caller passes a stack big enough for the tree. */
static void walk_tree(lua_State *L, const tm_doc *d, uint32_t top, frame **stp, size_t cap, int grow, int nodes,
                      int cache);

static void push_tree(lua_State *L, const tm_doc *d, uint32_t top, frame **stp, size_t cap, int grow)
{
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    int nodes = lua_gettop(L);
    lua_newtable(L);   /* shared (anchored) nodes already built */
    int cache = lua_gettop(L);
    if (top == TM_NONE)
        lua_pushnil(L);
    else
        walk_tree(L, d, top, stp, cap, grow, nodes, cache);
    lua_replace(L, nodes);
    lua_settop(L, nodes);
}

/* Pushes the value of node top, its new tables registered in `nodes`,
 * anchored ones shared through `cache`. */
static void walk_tree(lua_State *L, const tm_doc *d, uint32_t top, frame **stp, size_t cap, int grow, int nodes,
                      int cache)
{
    if (push_simple(L, d, top, cache))
        return;
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
            if (grow == 2) {   /* in Lua's memory: a push stopped by an error leaves nothing behind */
                frame *more = lua_newuserdatauv(L, 2 * cap * sizeof *st, 0);
                memcpy(more, st, cap * sizeof *st);
                lua_setfield(L, LUA_REGISTRYINDEX, FRAMES_KEY);
                *stp = st = more;
                cap *= 2;
            } else {
                *stp = st = tm_xrealloc(st, (cap *= 2) * sizeof *st);
            }
        }
        st[depth++] = (frame){vi, 0};
    }
}

void tm_api_push_subtree(lua_State *L, const tm_doc *d, uint32_t top, size_t span)
{
    /* the walk's stack in a userdata: the rule's memory cap counts it */
    frame *st = lua_newuserdatauv(L, (span + 1) * sizeof *st, 0);
    push_tree(L, d, top, &st, span + 1, 0);
    lua_remove(L, -2);
}

/* two entries per table (table -> index, index + 1 -> table): made that
 * big at once, the registry is not rehashed twenty times over */
static void size_registry(lua_State *L, const tm_doc *d)
{
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
}

void tm_api_push_doc(lua_State *L, const tm_doc *d)
{
    size_registry(L, d);
    frame *st = tm_xmalloc(16 * sizeof *st);
    push_tree(L, d, d->root, &st, 16, 1);
    free(st);
}

static int push_doc_call(lua_State *L)
{
    const tm_doc *d = lua_touserdata(L, 1);
    lua_settop(L, 0);
    size_registry(L, d);
    frame *st = lua_newuserdatauv(L, 64 * sizeof *st, 0);
    lua_setfield(L, LUA_REGISTRYINDEX, FRAMES_KEY);
    push_tree(L, d, d->root, &st, 64, 2);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, FRAMES_KEY);
    return 1;
}

int tm_api_push_doc_protected(lua_State *L, const tm_doc *d, char *err, size_t errsz)
{
    lua_pushcfunction(L, push_doc_call);
    lua_pushlightuserdata(L, (void *)d);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK)
        return 0;
    const char *m = lua_tostring(L, -1);
    snprintf(err, errsz, "%s", m ? m : "an error");
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, FRAMES_KEY);
    return -1;
}

/* ---- the tables built while the loader reads (tm_yaml_load_with) ----
 *
 * Each kid reported to the sink leaves one value on a value stack (a Lua
 * table, so that a list of a million items fits): a scalar its value, a
 * key its text, an alias the anchored node's value. When a collection
 * closes, the values of its kids become its table, which takes their
 * place. The tables come out exactly as tm_api_push_doc makes them from
 * the finished tree: the same keys set in the same order into a table of
 * the same size, nulls left out, anchored nodes shared, and a mapping's
 * merged pairs built from the tree as the push builds them. */

enum { B_VALS, B_CACHE, B_MADE, B_COPIES, B_ROOTS, B_REGS, B_SLOTS };

struct tm_build {
    lua_State *L;
    int at;                    /* stack index of the first of its B_SLOTS tables */
    lua_Integer nvals;         /* values on the value stack */
    lua_Integer *bases;        /* nvals when each open collection opened */
    size_t depth, bcap;
    uint32_t *made;            /* node of each table built, in order (B_MADE holds the tables) */
    size_t nmade, madecap;
    int copies;                /* merged pairs were built into B_COPIES's registry */
    int failed;                /* gave up on this document (memory) */
    size_t ncached;            /* anchored tables in B_CACHE */
    frame *st;                 /* walk stack for merged pairs */
    tm_yaml_sink sink;
};

static int slot(const tm_build *b, int which)
{
    return b->at + which;
}

static void fresh(tm_build *b, int which)
{
    lua_newtable(b->L);
    lua_replace(b->L, slot(b, which));
}

/* The builder runs outside any protected call, so no allocation of its
 * may fail: before each step it asks for room for what the step may take
 * (its own bytes, the value stack, table list and anchor cache doubling,
 * and as much again as Lua holds, for its string table's doubling: so it
 * stops at half the cap at most), and short of it gives the document up, dropping
 * what it built: check_doc then reads the model with the protected push,
 * which says the model is too big (or fits, once that garbage is
 * collected). */
static void b_give_up(tm_build *b);

static int b_room(tm_build *b, size_t bytes)
{
    if (b->failed)
        return 0;
    const tm_rt *rt = tm_rt_of(b->L);
    size_t need = bytes + 32 * ((size_t)b->nvals + b->nmade) + 64 * b->ncached + rt->mem_used + ((size_t)1 << 20);
    if (need < rt->mem_limit && rt->mem_used <= rt->mem_limit - need)
        return 1;
    b_give_up(b);
    return 0;
}

static void b_give_up(tm_build *b)
{
    b->failed = 1;
    fresh(b, B_VALS);
    fresh(b, B_CACHE);
    fresh(b, B_MADE);
    fresh(b, B_COPIES);
    b->nvals = 0;
    b->nmade = 0;
}

static void b_doc_begin(void *ud, tm_doc *d)
{
    (void)d;
    tm_build *b = ud;
    b->nvals = 0;
    b->depth = 0;
    b->nmade = 0;
    b->copies = 0;
    b->failed = 0;
    b->ncached = 0;
    fresh(b, B_VALS);
    fresh(b, B_CACHE);
    fresh(b, B_MADE);
    fresh(b, B_COPIES);
}

static void b_push_val(tm_build *b)
{
    lua_rawseti(b->L, slot(b, B_VALS), ++b->nvals);
}

static void b_scalar(void *ud, const tm_doc *d, uint32_t i, int is_key)
{
    tm_build *b = ud;
    const tm_node *n = &d->nodes[i];
    if (!b_room(b, 64 + (size_t)n->len))
        return;
    luaL_checkstack(b->L, 4, "document too deep");
    if (is_key)
        lua_pushlstring(b->L, tm_node_str(d, n), n->len);
    else
        push_scalar(b->L, d, n);
    b_push_val(b);
}

static void b_alias(void *ud, const tm_doc *d, uint32_t i, int is_key)
{
    tm_build *b = ud;
    if (d->nodes[i].type == TM_NODE_SCALAR) {
        b_scalar(ud, d, i, is_key);
        return;
    }
    if (!b_room(b, 64))
        return;
    luaL_checkstack(b->L, 4, "document too deep");
    lua_rawgeti(b->L, slot(b, B_CACHE), i);
    b_push_val(b);
}

static void b_open(void *ud, const tm_doc *d, uint32_t i)
{
    (void)d;
    (void)i;
    tm_build *b = ud;
    if (b->failed)
        return;
    if (b->depth == b->bcap) {
        b->bcap = b->bcap ? b->bcap * 2 : 32;
        b->bases = tm_xrealloc(b->bases, b->bcap * sizeof *b->bases);
    }
    b->bases[b->depth++] = b->nvals;
}

/* A plain `<<` key (the loader's merge key). */
static int merge_key(const tm_doc *d, uint32_t k)
{
    const tm_node *n = &d->nodes[k];
    return n->type == TM_NODE_SCALAR && !(n->flags & (TM_NODE_QUOTED | TM_NODE_STRTAG)) && n->len == 2 &&
           !memcmp(tm_node_str(d, n), "<<", 2);
}

/* Sets pair j of the values above base (key at base + 2j + 1) into the
 * table on top, unless its value is null. */
static void b_set_pair(lua_State *L, int vals, lua_Integer base, size_t j)
{
    if (lua_rawgeti(L, vals, base + 2 * (lua_Integer)j + 2) == LUA_TLIGHTUSERDATA) {
        lua_pop(L, 1);   /* null: the key reads as absent */
        return;
    }
    lua_rawgeti(L, vals, base + 2 * (lua_Integer)j + 1);
    lua_insert(L, -2);
    lua_rawset(L, -3);
}

/* (b, doc, node, registry, cache): node's value built as the push builds
 * it (a C function called has a stack of its own: the builder's tables
 * come as arguments) */
static int b_copy_call(lua_State *L)
{
    tm_build *b = lua_touserdata(L, 1);
    const tm_doc *d = lua_touserdata(L, 2);
    uint32_t vi = (uint32_t)lua_tointeger(L, 3);
    walk_tree(L, d, vi, &b->st, 16, 1, 4, 5);
    return 1;
}

static void b_close(void *ud, const tm_doc *d, uint32_t i, const uint32_t *orig, size_t norig, uint32_t list_key)
{
    tm_build *b = ud;
    lua_State *L = b->L;
    int vals = slot(b, B_VALS);
    const tm_node *n = &d->nodes[i];
    /* a table's parts: an array slot 16 bytes, a hash slot 32, the hash
     * rounded up to a power of two */
    size_t slots = n->type == TM_NODE_SEQ ? n->len : 2 * ((size_t)n->len / 2 + (size_t)room[0].slack);
    if (!b_room(b, 256 + 32 * slots))
        return;
    lua_Integer base = b->bases[--b->depth];
    luaL_checkstack(L, 6, "document too deep");
    if (n->type == TM_NODE_SEQ) {
        lua_createtable(L, (int)n->len, 0);
        for (uint32_t k = 1; k <= n->len; k++) {
            lua_rawgeti(L, vals, base + k);
            lua_rawseti(L, -2, k);
        }
    } else {
        lua_createtable(L, 0, (int)(n->len / 2) + (list_key != TM_NONE ? slack_for_key(d, list_key) : 0));
        const uint32_t *kids = d->kids + n->off;
        if (norig == n->len && (!norig || !memcmp(orig, kids, norig * sizeof *orig))) {
            for (size_t j = 0; j < norig / 2; j++)
                b_set_pair(L, vals, base, j);
        } else {
            /* merged: the final pairs are its own (values on the stack)
             * in their order, with the merged ones where `<<` stood */
            size_t j = 0, np = norig / 2;
            for (uint32_t f = 0; f + 1 < n->len; f += 2) {
                uint32_t ki = kids[f], vi = kids[f + 1];
                while (j < np && merge_key(d, orig[2 * j]))
                    j++;
                if (j < np && orig[2 * j] == ki) {
                    b_set_pair(L, vals, base, j++);
                    continue;
                }
                if (tm_node_is_null(d, &d->nodes[vi]))
                    continue;
                lua_pushlstring(L, tm_node_str(d, &d->nodes[ki]), d->nodes[ki].len);
                /* a copy of any size: built in a protected call */
                lua_pushcfunction(L, b_copy_call);
                lua_pushlightuserdata(L, b);
                lua_pushlightuserdata(L, (void *)d);
                lua_pushinteger(L, vi);
                lua_pushvalue(L, slot(b, B_COPIES));
                lua_pushvalue(L, slot(b, B_CACHE));
                if (lua_pcall(L, 5, 1, 0) != LUA_OK) {
                    lua_settop(L, slot(b, B_SLOTS - 1));
                    b_give_up(b);
                    return;
                }
                lua_rawset(L, -3);
                b->copies = 1;
            }
        }
    }
    if (b->nmade == b->madecap) {
        b->madecap = b->madecap ? b->madecap * 2 : 256;
        b->made = tm_xrealloc(b->made, b->madecap * sizeof *b->made);
    }
    b->made[b->nmade++] = i;
    lua_pushvalue(L, -1);
    lua_rawseti(L, slot(b, B_MADE), (lua_Integer)b->nmade);
    if (n->flags & TM_NODE_ANCHOR) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, slot(b, B_CACHE), i);
        b->ncached++;
    }
    lua_rawseti(L, vals, base + 1);
    b->nvals = base + 1;
}

static void b_doc_end(void *ud, tm_doc *d)
{
    tm_build *b = ud;
    lua_State *L = b->L;
    luaL_checkstack(L, 8, "document too deep");
    if (d->root == TM_NONE || b->nvals < 1 || b->failed)
        return;
    /* the registry of the push: table -> node, node + 1 -> table, made
     * once at its size (merged pairs' tables after, as the push sets them
     * after the nodes they copy) */
    size_t ncopies = 0;
    int copies = slot(b, B_COPIES);
    if (b->copies)
        for (lua_pushnil(L); lua_next(L, copies); lua_pop(L, 1))
            ncopies++;
    size_t size = 2 * b->nmade + ncopies;
    if (!b_room(b, 64 * size + 4096))
        return;
    lua_createtable(L, 0, size > INT_MAX ? INT_MAX : (int)size);
    int reg = lua_gettop(L);
    for (size_t k = 0; k < b->nmade; k++) {
        lua_rawgeti(L, slot(b, B_MADE), (lua_Integer)k + 1);
        lua_pushvalue(L, -1);
        lua_pushinteger(L, b->made[k]);
        lua_rawset(L, reg);
        lua_rawseti(L, reg, (lua_Integer)b->made[k] + 1);
    }
    if (b->copies)
        for (lua_pushnil(L); lua_next(L, copies);) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, reg);
        }
    lua_rawseti(L, slot(b, B_REGS), (lua_Integer)d->index + 1);
    lua_rawgeti(L, slot(b, B_VALS), 1);
    lua_rawseti(L, slot(b, B_ROOTS), (lua_Integer)d->index + 1);
    /* what the next document builds starts afresh */
    fresh(b, B_VALS);
    fresh(b, B_MADE);
    fresh(b, B_COPIES);
    b->nvals = 0;
}

tm_build *tm_api_build_new(lua_State *L)
{
    tm_build *b = tm_xcalloc(1, sizeof *b);
    b->L = L;
    luaL_checkstack(L, B_SLOTS + 4, "no room to build a document");
    b->at = lua_gettop(L) + 1;
    for (int k = 0; k < B_SLOTS; k++)
        lua_newtable(L);
    b->st = tm_xmalloc(16 * sizeof *b->st);
    b->sink = (tm_yaml_sink){b, b_doc_begin, b_doc_end, b_scalar, b_alias, b_open, b_close};
    return b;
}

const tm_yaml_sink *tm_api_build_sink(tm_build *b)
{
    return &b->sink;
}

void tm_api_build_forget(tm_build *b, const tm_doc *doc)
{
    lua_pushnil(b->L);
    lua_rawseti(b->L, slot(b, B_ROOTS), (lua_Integer)doc->index + 1);
    lua_pushnil(b->L);
    lua_rawseti(b->L, slot(b, B_REGS), (lua_Integer)doc->index + 1);
}

int tm_api_build_take(tm_build *b, const tm_doc *doc)
{
    lua_State *L = b->L;
    luaL_checkstack(L, 6, "no room to take a document");
    if (lua_rawgeti(L, slot(b, B_REGS), (lua_Integer)doc->index + 1) != LUA_TTABLE) {
        lua_pop(L, 1);
        return -1;
    }
    int reg = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    lua_pushnil(L);
    if (lua_next(L, -2)) {
        /* a base model's tables are there already: the document's join
         * them, and win where both have a node */
        lua_pop(L, 2);
        for (lua_pushnil(L); lua_next(L, reg);) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        }
        lua_pop(L, 2);
    } else {
        lua_pop(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    }
    lua_rawgeti(L, slot(b, B_ROOTS), (lua_Integer)doc->index + 1);
    tm_api_build_forget(b, doc);
    return 0;
}

void tm_api_build_free(tm_build *b)
{
    if (!b)
        return;
    lua_settop(b->L, b->at - 1);
    free(b->bases);
    free(b->made);
    free(b->st);
    free(b);
}
