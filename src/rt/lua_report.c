/* report(): a rule's findings at their nodes (lua_api.h). */
#include "lua_api.h"
#include "lua_api_int.h"
#include "lua_rt.h"
#include "buf.h"
#include "utf8.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "suppress.h"
#include <ctype.h>

/* ---- report ---- */

uint32_t tm_api_lookup_node(lua_State *L, int nodes, int idx)
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
    const tm_pos *np = &d->pos[idx];
    f->line = np->line;
    f->col = np->col;
    if (n->type == TM_NODE_SCALAR) {
        f->end_line = np->end_line;
        f->end_col = np->end_col;
        if (f->end_line == f->line && f->end_col <= f->col)
            f->end_col = f->col + 1;   /* an empty scalar still marks one column */
        return;
    }
    /* A mapping spans its whole block; mark just its first line, from the
     * first key to the end of the first scalar value (`id: T1`). */
    f->end_line = np->line;
    f->end_col = np->col + 1;
    if (n->type == TM_NODE_MAP && n->len >= 2) {
        const tm_pos *k = &d->pos[d->kids[n->off]];
        const tm_pos *v = &d->pos[d->kids[n->off + 1]];
        const tm_pos *last = (d->nodes[d->kids[n->off + 1]].type == TM_NODE_SCALAR && v->line == np->line) ? v : k;
        if (last->end_line == np->line)
            f->end_col = last->end_col > f->col ? last->end_col : f->col + 1;
    }
}

/* A path that survives edits elsewhere in the file: keys by name, list
 * items by their `id` when they have one. */
static void element_path(const tm_doc *d, uint32_t idx, tm_buf *out)
{
    uint32_t chain[512];
    size_t n = 0;
    for (uint32_t i = idx; i != TM_NONE && n < 512; i = d->pos[i].parent)
        chain[n++] = i;
    while (n-- > 0) {
        const tm_pos *c = &d->pos[chain[n]];
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
    uint32_t el = tm_api_lookup_node(L, nodes, 1);
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
    const tm_pos *en = &h->doc->pos[el];
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
