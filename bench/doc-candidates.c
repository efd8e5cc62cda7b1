/* Measures the candidates of docs/design-document.md for holding a model's
 * document in memory, on one file, one candidate per run (so that each
 * run's peak RSS is its own):
 *
 *   parse   libyaml's events, nothing kept (bench/parse.c, from memory)
 *   tree    tmlint's C tree (tm_yaml_load), nothing else
 *   push    the C tree, then the same tree as Lua tables (today's path:
 *           tm_api_push_doc, with the registry of table -> node index)
 *   direct  Lua tables built straight from the events, every node's
 *           position in a side array, the registry as `push` keeps it;
 *           no C tree
 *   direct-noreg  the same without the registry (what it costs)
 *
 * usage: doc-candidates MODE FILE; prints nodes, tables and Lua's heap.
 * Built by bench/design.sh against build/libtmlint.a. Not a test. */
#include "lua_api.h"
#include "lua_pool.h"
#include "source.h"
#include "yaml_load.h"
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct pos {
    uint32_t line, col, end_line, end_col, parent, pidx;
} pos;

typedef struct open_c {
    int map;
    int base;          /* Lua stack index below its first key/item */
    uint32_t node;
} open_c;

/* Lua's blocks from tmlint's pool, as in tmlint (lua_rt.c) */
static void *pool_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    return tm_pool_realloc(ud, ptr, osize, nsize);
}

static lua_State *new_state(void)
{
    return lua_newstate(pool_alloc, tm_pool_new());
}

static void scalar(lua_State *L, const yaml_event_t *e)
{
    const char *s = (const char *)e->data.scalar.value;
    size_t n = e->data.scalar.length;
    if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (n == 0 || !strcmp(s, "~") || !strcmp(s, "null")) {
            lua_pushlightuserdata(L, NULL);
            return;
        }
        if (!strcmp(s, "true") || !strcmp(s, "false")) {
            lua_pushboolean(L, s[0] == 't');
            return;
        }
        if (((s[0] >= '0' && s[0] <= '9') || s[0] == '-') && n < 40 && lua_stringtonumber(L, s))
            return;
    }
    lua_pushlstring(L, s, n);
}

static int direct(lua_State *L, const char *data, size_t len, int reg, size_t *nodes, size_t *tables)
{
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    pos *side = NULL;
    size_t n = 0, cap = 0;
    open_c st[512];
    int depth = 0;
    lua_newtable(L);
    int registry = lua_gettop(L);
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            fprintf(stderr, "parse error\n");
            return 1;
        }
        int t = e.type;
        if (t == YAML_SCALAR_EVENT || t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            if (n == cap)
                side = realloc(side, (cap = cap ? cap * 2 : 4096) * sizeof *side);
            side[n] = (pos){(uint32_t)e.start_mark.line + 1, (uint32_t)e.start_mark.column + 1,
                            (uint32_t)e.end_mark.line + 1, (uint32_t)e.end_mark.column + 1,
                            depth ? st[depth - 1].node : UINT32_MAX,
                            depth ? (uint32_t)(lua_gettop(L) - st[depth - 1].base) : 0};
            n++;
        }
        if (t == YAML_SCALAR_EVENT) {
            luaL_checkstack(L, 2, "deep");
            scalar(L, &e);
        } else if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            st[depth++] = (open_c){t == YAML_MAPPING_START_EVENT, lua_gettop(L), (uint32_t)(n - 1)};
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            open_c *o = &st[--depth];
            int cnt = lua_gettop(L) - o->base;
            if (o->map) {
                lua_createtable(L, 0, cnt / 2);
                for (int i = 0; i < cnt; i += 2) {
                    lua_pushvalue(L, o->base + 1 + i);
                    lua_pushvalue(L, o->base + 2 + i);
                    lua_rawset(L, -3);
                }
            } else {
                lua_createtable(L, cnt, 0);
                for (int i = 0; i < cnt; i++) {
                    lua_pushvalue(L, o->base + 1 + i);
                    lua_rawseti(L, -2, i + 1);
                }
            }
            lua_replace(L, o->base + 1);
            lua_settop(L, o->base + 1);
            (*tables)++;
            if (reg) {
                lua_pushvalue(L, -1);
                lua_pushinteger(L, o->node);
                lua_rawset(L, registry);
                lua_pushvalue(L, -1);
                lua_rawseti(L, registry, (lua_Integer)o->node + 1);
            }
        }
        int done = t == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (done)
            break;
    }
    yaml_parser_delete(&p);
    *nodes = n;
    free(side);   /* kept for the run in the real thing */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: doc-candidates parse|tree|push|direct|direct-noreg FILE\n");
        return 2;
    }
    const char *mode = argv[1];
    tm_diags d;
    tm_diags_init(&d);
    tm_src src;
    if (tm_src_read(&src, argv[2], (size_t)1 << 31, &d) != 0)
        return 1;
    size_t nodes = 0, tables = 0;
    lua_State *L = NULL;
    if (!strcmp(mode, "parse")) {
        yaml_parser_t p;
        yaml_parser_initialize(&p);
        yaml_parser_set_input_string(&p, (const unsigned char *)src.data, src.len);
        for (;;) {
            yaml_event_t e;
            if (!yaml_parser_parse(&p, &e))
                return 1;
            int done = e.type == YAML_STREAM_END_EVENT;
            nodes += e.type == YAML_SCALAR_EVENT || e.type == YAML_MAPPING_START_EVENT ||
                     e.type == YAML_SEQUENCE_START_EVENT;
            yaml_event_delete(&e);
            if (done)
                break;
        }
        yaml_parser_delete(&p);
    } else if (!strcmp(mode, "tree") || !strcmp(mode, "push")) {
        tm_limits lim = {TM_DEFAULT_MAX_DEPTH, TM_DEFAULT_MAX_NODES * 10, (size_t)1 << 31, 0};
        tm_docs docs;
        if (tm_yaml_load(&src, &lim, &docs, &d) != 0)
            return 1;
        tm_src_free(&src);
        nodes = docs.v[0]->n;
        for (uint32_t i = 0; i < docs.v[0]->n; i++)
            tables += docs.v[0]->nodes[i].type != TM_NODE_SCALAR;
        if (!strcmp(mode, "push")) {
            L = new_state();
            lua_gc(L, LUA_GCSTOP);
            tm_api_init(L);
            tm_api_push_doc(L, docs.v[0]);
        }
    } else if (!strcmp(mode, "direct") || !strcmp(mode, "direct-noreg")) {
        L = new_state();
        lua_gc(L, LUA_GCSTOP);
        if (direct(L, src.data, src.len, !strcmp(mode, "direct"), &nodes, &tables))
            return 1;
        tm_src_free(&src);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    printf("%s nodes=%zu tables=%zu lua_kib=%d\n", mode, nodes, tables, L ? lua_gc(L, LUA_GCCOUNT) : 0);
    return 0;   /* no teardown: tmlint does none either */
}
