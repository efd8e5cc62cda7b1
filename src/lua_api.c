#include "lua_api.h"
#include "lua_native.h"
#include "utf8.h"
#include "buf.h"
#include "lua_rt.h"
#include "repo.h"
#include "junit.h"
#include "suppress.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <limits.h>
#include <ctype.h>
#include <string.h>

#define NODES_KEY "tm.nodes"   /* registry: Lua table -> node index */

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

enum { SC_STRING, SC_NULL, SC_TRUE, SC_FALSE, SC_NUMBER };

/* What a scalar is under the YAML 1.2 core schema. */
static int scalar_kind(const tm_doc *d, const tm_node *n)
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
    switch (scalar_kind(d, n)) {
    case SC_NULL:
        lua_pushlightuserdata(L, NULL);
        return;
    case SC_TRUE:
    case SC_FALSE:
        lua_pushboolean(L, scalar_kind(d, n) == SC_TRUE);
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
static int element_slack(const tm_doc *d, const tm_node *n)
{
    if (n->parent == TM_NONE)
        return 0;
    const tm_node *p = &d->nodes[n->parent];
    if (p->type != TM_NODE_SEQ || p->parent != d->root || p->parent == TM_NONE)
        return 0;
    const tm_node *r = &d->nodes[p->parent];
    if (r->type != TM_NODE_MAP || !(p->pidx & 1u))
        return 0;
    const tm_node *k = &d->nodes[d->kids[r->off + p->pidx - 1]];
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
        lua_createtable(L, 0, (int)cnt + element_slack(d, n));
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

/* ---- report ---- */

static uint32_t lookup_node(lua_State *L, int nodes, int idx)
{
    if (!lua_istable(L, idx))
        return TM_NONE;
    lua_pushvalue(L, idx);
    lua_rawget(L, nodes);
    if (lua_isinteger(L, -1)) {
        uint32_t n = (uint32_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
        return n;
    }
    lua_pop(L, 1);
    /* a model element points at its source table through .node */
    lua_getfield(L, idx, "node");
    uint32_t n = TM_NONE;
    if (lua_istable(L, -1)) {
        lua_rawget(L, nodes);
        if (lua_isinteger(L, -1))
            n = (uint32_t)lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
    return n;
}

uint32_t tm_api_node_of(lua_State *L, int idx)
{
    /* raw throughout: called outside protected calls, on what an adapter built */
    idx = lua_absindex(L, idx);
    uint32_t n = TM_NONE;
    if (!lua_istable(L, idx))
        return n;
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    int nodes = lua_gettop(L);
    if (lua_istable(L, nodes)) {
        lua_pushvalue(L, idx);
        if (lua_rawget(L, nodes) != LUA_TNUMBER) {   /* an element: its .node */
            lua_pop(L, 1);
            lua_pushliteral(L, "node");
            if (lua_rawget(L, idx) == LUA_TTABLE)
                lua_rawget(L, nodes);
        }
        if (lua_isinteger(L, -1))
            n = (uint32_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}

/* Follows "a.b.3" from node `at`; returns the node found (or TM_NONE) and
 * the key node of the last mapping step. */
static uint32_t follow(const tm_doc *d, uint32_t at, const char *path, uint32_t *key)
{
    *key = TM_NONE;
    const char *p = path;
    while (at != TM_NONE && *p) {
        const char *e = strchr(p, '.');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const tm_node *nd = &d->nodes[at];
        if (nd->type == TM_NODE_MAP) {
            at = tm_node_get(d, at, p, n, key);
        } else if (nd->type == TM_NODE_SEQ) {
            char *end;
            unsigned long i = strtoul(p, &end, 10);
            *key = TM_NONE;
            at = (end == p + n && i >= 1 && i <= nd->len) ? d->kids[nd->off + i - 1] : TM_NONE;
        } else {
            at = TM_NONE;
        }
        p += n;
        if (*p == '.')
            p++;
    }
    return at;
}

static void region_of(const tm_doc *d, uint32_t idx, tm_finding *f)
{
    const tm_node *n = &d->nodes[idx];
    f->line = n->line;
    f->col = n->col;
    if (n->type == TM_NODE_SCALAR) {
        f->end_line = n->end_line;
        f->end_col = n->end_col;
        if (f->end_line == f->line && f->end_col <= f->col)
            f->end_col = f->col + 1;   /* an empty scalar still marks one column */
        return;
    }
    /* A mapping spans its whole block; mark just its first line, from the
     * first key to the end of the first scalar value (`id: T1`). */
    f->end_line = n->line;
    f->end_col = n->col + 1;
    if (n->type == TM_NODE_MAP && n->len >= 2) {
        const tm_node *k = &d->nodes[d->kids[n->off]];
        const tm_node *v = &d->nodes[d->kids[n->off + 1]];
        const tm_node *last = (v->type == TM_NODE_SCALAR && v->line == n->line) ? v : k;
        if (last->end_line == n->line)
            f->end_col = last->end_col > f->col ? last->end_col : f->col + 1;
    }
}

/* A path that survives edits elsewhere in the file: keys by name, list
 * items by their `id` when they have one. */
static void element_path(const tm_doc *d, uint32_t idx, tm_buf *out)
{
    uint32_t chain[512];
    size_t n = 0;
    for (uint32_t i = idx; i != TM_NONE && n < 512; i = d->nodes[i].parent)
        chain[n++] = i;
    while (n-- > 0) {
        const tm_node *c = &d->nodes[chain[n]];
        if (c->parent == TM_NONE) {   /* "doc%u", without printf: one path per finding */
            char num[16];
            int k = (int)sizeof num;
            unsigned v = d->index;
            do
                num[--k] = (char)('0' + v % 10);
            while ((v /= 10) && k > 0);
            tm_buf_adds(out, "doc");
            tm_buf_add(out, num + k, sizeof num - (size_t)k);
            continue;
        }
        const tm_node *p = &d->nodes[c->parent];
        if (p->type == TM_NODE_MAP) {
            const tm_node *k = &d->nodes[d->kids[p->off + (c->pidx & ~1u)]];
            tm_buf_addc(out, '/');
            tm_buf_add(out, tm_node_str(d, k), k->len);
        } else {
            uint32_t id = tm_node_get(d, chain[n], "id", 2, NULL);
            if (id != TM_NONE && d->nodes[id].type == TM_NODE_SCALAR) {
                tm_buf_adds(out, "/[id=");
                tm_buf_add(out, tm_node_str(d, &d->nodes[id]), d->nodes[id].len);
                tm_buf_addc(out, ']');
            } else {
                tm_buf_printf(out, "/[%u]", c->pidx);
            }
        }
    }
}

/* An id no person wrote or reads: a UUID, or one tmlint made up for an
 * element that had none (it holds '#'). */
static int machine_id(const char *s)
{
    if (!s)
        return 0;
    if (strchr(s, '#'))
        return 1;
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* Fills "{name}" from the fields table, then from the element, into out
 * (cap bytes): returns the whole
 * length, of which only the first cap bytes are kept (a message is cut at
 * TM_MAX_MESSAGE anyway). Built in a buffer the caller keeps on its stack,
 * so that an error raised by a value's __tostring leaks nothing, and
 * without making a Lua string of a message that is copied out at once. */
static size_t format_message(lua_State *L, const char *tmpl, int elem, int fields, char *out, size_t cap,
                             size_t *lookups)
{
    size_t n = 0;
#define PUT(s, len)                                                     \
    do {                                                                \
        size_t l_ = (len);                                              \
        if (n < cap)                                                    \
            memcpy(out + n, (s), l_ < cap - n ? l_ : cap - n);          \
        n += l_;                                                        \
    } while (0)
    const char *p = tmpl;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open) {
            PUT(p, strlen(p));
            break;
        }
        PUT(p, (size_t)(open - p));
        const char *close = strchr(open + 1, '}');
        if (!close || close - open >= 64) {   /* not a placeholder: the brace is text */
            PUT("{", 1);
            p = open + 1;
            continue;
        }
        char name[64];
        ++*lookups;
        memcpy(name, open + 1, (size_t)(close - open - 1));
        name[close - open - 1] = 0;
        int t = fields ? lua_getfield(L, fields, name) : LUA_TNIL;
        if (t == LUA_TNIL) {
            if (fields)
                lua_pop(L, 1);
            t = lua_getfield(L, elem, name);
            /* an element is named as its author sees it: not '?', not a
             * bare UUID or an id tmlint made up, when it has a title */
            if (!strcmp(name, "id") && (t == LUA_TNIL || (t == LUA_TSTRING && machine_id(lua_tostring(L, -1))))) {
                int had = t != LUA_TNIL;
                if (lua_getfield(L, elem, "title") == LUA_TSTRING || (lua_pop(L, 1), lua_getfield(L, elem, "name")) == LUA_TSTRING) {
                    size_t tl;
                    const char *title = lua_tolstring(L, -1, &tl);
                    if (tl && strspn(title, " \t") < tl) {
                        lua_remove(L, -2);   /* the id */
                        t = LUA_TSTRING;
                    } else {
                        lua_pop(L, 1);
                    }
                } else {
                    lua_pop(L, 1);
                }
                (void)had;
            }
        }
        size_t l;
        if (t == LUA_TNIL) {
            lua_pop(L, 1);
            PUT("?", 1);
        } else if (t == LUA_TSTRING) {   /* what luaL_tolstring gives a string (its metatable is ours) */
            const char *v = lua_tolstring(L, -1, &l);
            PUT(v, l);
            lua_pop(L, 1);
        } else {
            const char *v = luaL_tolstring(L, -1, &l);
            PUT(v, l);
            lua_pop(L, 2);
        }
        p = close + 1;
    }
#undef PUT
    return n;
}

void tm_api_add_finding(tm_host *h, uint32_t el, uint32_t at, const char *field, char *msg)
{
    tm_finding *f = tm_fnd_add(h->findings, msg);
    f->rule = h->rule;
    f->level = h->level;
    f->file = h->file;
    const char *uri = h->uri;
    /* a node read from an included file is reported in that file */
    for (size_t i = h->doc->nparts; i-- > 0;)
        if (at >= h->doc->parts[i].first) {
            f->file = h->doc->parts[i].file;
            uri = h->part_uris[i];
            break;
        }
    region_of(h->doc, at, f);
    tm_buf path;
    tm_buf_init(&path);
    tm_buf_reserve(&path, 128);
    element_path(h->doc, el, &path);
    /* parts: rule id, uri, element path, field (tm_fnd_fingerprint) */
    if (h->fp_rule != h->rule_id || h->fp_uri != uri || !h->fp_rule) {
        h->fp_prefix = tm_fnd_fp_add(tm_fnd_fp_add(TM_FND_FP_START, h->rule_id), uri);
        h->fp_rule = h->rule_id;
        h->fp_uri = uri;
    }
    tm_fnd_fp_hex(f->fingerprint, tm_fnd_fp_add(tm_fnd_fp_add(h->fp_prefix, path.p), field ? field : ""));
    tm_buf_free(&path);
    if (h->sup) {
        const char *why = tm_sup_find(h->sup, el, h->rule_id, h->rule_name ? h->rule_name : "");
        if (why)
            f->justification = tm_xstrdup(why);
    }
}

static int l_report(lua_State *L)
{
    tm_rt *rt = tm_rt_of(L);
    tm_host *h = rt->host;
    luaL_checktype(L, 1, LUA_TTABLE);
    int fields = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        fields = 2;
    }
    lua_settop(L, 2);
    if (h && h->reported >= h->cap) {   /* past the cap: count, and cheaply */
        h->reported++;
        return 0;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, NODES_KEY);
    int nodes = lua_gettop(L);
    uint32_t el = lookup_node(L, nodes, 1);
    if (el == TM_NONE || !h || !h->doc)
        return luaL_error(L, "report: the element has no source node (pass a model element or a tree table)");
    const char *field = NULL;
    if (fields && lua_getfield(L, fields, "field") == LUA_TSTRING)
        field = lua_tostring(L, -1);   /* stays on the stack while used */
    /* on_key: the finding is about the key itself (a misspelt one), not its value */
    int on_key = fields && lua_getfield(L, fields, "on_key") != LUA_TNIL && lua_toboolean(L, -1);
    const char *tmpl = h->message;
    if (fields && lua_getfield(L, fields, "message") == LUA_TSTRING)
        tmpl = lua_tostring(L, -1);
    h->reported++;
    char m[TM_MAX_MESSAGE + 8];
    size_t lookups = 0;
    size_t mlen = format_message(L, tmpl ? tmpl : "finding", 1, fields, m, sizeof m, &lookups);
    /* the whole message, kept or not, and each placeholder's lookups (a
     * rule's own template may hold thousands) */
    tm_rt_charge(L, 1 + (int64_t)mlen / 16 + 2 * (int64_t)lookups);
    /* a message is cut at TM_MAX_MESSAGE bytes (on a character boundary)
     * with a visible ellipsis; what is kept counts against the rule's memory */
    int cut = mlen > TM_MAX_MESSAGE;   /* then m holds more than TM_MAX_MESSAGE bytes */
    if (cut) {
        mlen = TM_MAX_MESSAGE;
        while (mlen > 0 && ((unsigned char)m[mlen] & 0xC0) == 0x80)
            mlen--;
    }
    /* reports name the element by its title (an audit's pages do); read
     * now, while a Lua error can still be raised and nothing is owned */
    const char *title = NULL;
    size_t tlen = 0;
    if (h->want_titles && lua_getfield(L, 1, "title") == LUA_TSTRING) {
        title = lua_tolstring(L, -1, &tlen);
        if (tlen > 200) {   /* a title is a label: cut on a character boundary */
            tlen = 200;
            while (tlen > 0 && ((unsigned char)title[tlen] & 0xC0) == 0x80)
                tlen--;
        }
    }
    /* fix = "text": what to put in place of the reported key or value */
    const char *fix = NULL;
    size_t fixlen = 0;
    if (fields && lua_getfield(L, fields, "fix") == LUA_TSTRING) {
        fix = lua_tolstring(L, -1, &fixlen);
        if (fixlen == 0 || fixlen > 128)
            fix = NULL;
    }
    if (rt->mem_used + h->kept + mlen + tlen + 64 > rt->mem_limit)
        return luaL_error(L, "report: the findings of this rule need more than its memory");
    h->kept += mlen + tlen + 64;
    char *msg = tm_xmalloc(mlen + 4);
    char *elem = title ? tm_xstrndup(title, tlen) : NULL;
    memcpy(msg, m, mlen);
    memcpy(msg + mlen, cut ? "\xE2\x80\xA6" : "", cut ? 4 : 1);
    /* from here on nothing can raise a Lua error */
    uint32_t at = el, fix_at = TM_NONE;
    const tm_node *en = &h->doc->nodes[el];
    if (field) {
        uint32_t key, v = follow(h->doc, el, field, &key);
        if (v != TM_NONE)
            at = ((on_key || h->doc->nodes[v].type != TM_NODE_SCALAR) && key != TM_NONE) ? key : v;
        /* a fix goes where the finding points, and only where it was asked:
         * the key with on_key, else the field's own scalar */
        fix_at = v == TM_NONE ? TM_NONE : on_key ? key : v;
    } else if (en->parent != TM_NONE && h->doc->nodes[en->parent].type == TM_NODE_MAP) {
        /* an element stored under a key (a Threagile asset or risk) is
         * named by that key: point there */
        const tm_node *p = &h->doc->nodes[en->parent];
        at = h->doc->kids[p->off + (en->pidx & ~1u)];
    }
    tm_api_add_finding(h, el, at, field, msg);
    tm_finding *added = &h->findings->v[h->findings->n - 1];
    added->element = elem;
    /* a safe fix: the reported scalar (a key or a value) read as fix_old,
     * replaced by `fix` (check --fix); only on a scalar of the file */
    if (fix && h->doc->nodes[at].type == TM_NODE_SCALAR && at == fix_at) {
        added->fix = tm_xstrndup(fix, fixlen);
        added->fix_old = tm_xstrdup(tm_node_str(h->doc, &h->doc->nodes[at]));
    }
    return 0;
}

void tm_api_push_report(lua_State *L)
{
    lua_pushcfunction(L, l_report);
}

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

static const pcre2_code *re_arg_n(lua_State *L, int pat, int flags, uint32_t uses);

static const pcre2_code *re_arg(lua_State *L, int pat, int flags)
{
    return re_arg_n(L, pat, flags, 1);
}

/* The pattern at `pat` (flags at index `flags`; 0: none), counted as `uses` uses (a bulk scan counts as
 * many, so that it runs as machine code from the start). */
static const pcre2_code *re_arg_n(lua_State *L, int pat, int flags, uint32_t uses)
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

static int re_exec_as(lua_State *L, const pcre2_code *c, const char *s, size_t n, size_t start,
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
        if (re_exec_as(L, c, s, n, 0, &ov, valid) > 0) {
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

/* Replaces the string at idx with its trimmed, lower-cased (ASCII) form. */
static void lower_at(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    while (n && is_space((unsigned char)*s))
        s++, n--;
    while (n && is_space((unsigned char)s[n - 1]))
        n--;
    size_t i = 0;
    while (i < n && !(s[i] >= 'A' && s[i] <= 'Z'))
        i++;
    if (i == n) {   /* no capitals: only trimming, maybe */
        lua_pushlstring(L, s, n);
    } else {
        luaL_Buffer b;
        char *d = luaL_buffinitsize(L, &b, n);
        for (i = 0; i < n; i++)
            d[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
        luaL_pushresultsize(&b, n);
    }
    lua_replace(L, idx);
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
            lua_rawget(L, t);                  /* value */
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
    uint32_t el = lookup_node(L, 2, 1);
    if (el == TM_NONE || !h || !h->doc)
        return 0;
    lua_pushinteger(L, h->doc->nodes[el].line);
    lua_pushinteger(L, h->doc->nodes[el].col);
    return 2;
}

static const pcre2_code *re_arg_n(lua_State *L, int pat, int flags, uint32_t uses);
static int re_exec_as(lua_State *L, const pcre2_code *c, const char *s, size_t n, size_t start,
                      PCRE2_SIZE **ov, int valid);

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
    if (lua_istable(L, 1) && !as_pattern(L, 1)) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
        luaL_argcheck(L, n <= 16, 1, "at most 16 patterns");
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, 1, i);
            vps[nvp++] = re_arg_n(L, lua_gettop(L), 0, uses);
            lua_pop(L, 1);   /* the list keeps it alive */
        }
    } else if (!lua_isnoneornil(L, 1)) {
        vps[nvp++] = re_arg_n(L, 1, 0, uses);
    }
    const pcre2_code *kp = lua_isnoneornil(L, 2) ? NULL : re_arg_n(L, 2, 0, uses);
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
        if (n->type != TM_NODE_SCALAR || n->parent == TM_NONE)
            continue;
        const tm_node *p = &d->nodes[n->parent];
        int in_map = p->type == TM_NODE_MAP;
        if (in_map && !(n->pidx & 1u))
            continue;   /* a key: keys are matched with key_pattern, as their value's */
        if (scalar_kind(d, n) != SC_STRING)
            continue;
        /* an alias's node is listed under the parent it was first read in */
        if (d->kids[p->off + n->pidx] != i)
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
                hit = re_exec_as(L, vps[j], text, n->len, 0, &ov, valid) > 0;
            }
        }
        int by_key = 0;
        const tm_node *key = in_map ? &d->nodes[d->kids[p->off + n->pidx - 1]] : NULL;
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
                    if (re_exec_as(L, kp, kt, key->len, 0, &ov, 0) > 0)
                        hit = by_key = 1;
                }
                *slot = (key_memo){key->len + 1, (uint32_t)(key - d->nodes), by_key};
            }
        }
        if (!hit)
            continue;
        if (lua_rawgeti(L, nodes, (lua_Integer)n->parent + 1) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;   /* not in the tree rules see */
        }
        lua_createtable(L, 4, 0);
        lua_insert(L, -2);
        lua_rawseti(L, -2, 1);
        if (key)
            lua_pushlstring(L, tm_node_str(d, key), key->len);
        else
            lua_pushinteger(L, (lua_Integer)n->pidx + 1);
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
        frame *st = lua_newuserdatauv(L, (span + 1) * sizeof *st, 0);
        lua_createtable(L, 0, 2);
        lua_pushstring(L, d->ci[i].rel);
        lua_setfield(L, -2, "path");
        push_tree(L, d, r, &st, span + 1, 0);
        lua_setfield(L, -2, "tree");
        lua_remove(L, -2);
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

void tm_api_push_native(lua_State *L)
{
    static const luaL_Reg fns[] = {{"copy", l_copy}, {"lower", l_lower}, {"fields", l_fields}, {"texts", l_texts}, {"norm_ascii", l_norm_ascii},
                                   {"pos", l_pos}, {"scan", l_scan}, {"repo_available", l_repo_available},
                                   {"repo_exists", l_repo_exists}, {"repo_contains", l_repo_contains},
                                   {"repo_last_change", l_repo_last_change}, {"repo_first_change", l_repo_first_change}, {"repo_ci", l_repo_ci}, {"repo_base", l_repo_base}, {"repo_file", l_repo_file},
                                   {"repo_changed", l_repo_changed}, {"tests_available", l_tests_available},
                                   {"tests_find", l_tests_find}, {"native_threat", tm_native_threat},
                                   {"native_mitigation", tm_native_mitigation}, {NULL, NULL}};
    luaL_newlib(L, fns);
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
