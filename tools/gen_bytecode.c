/* Build tool: compiles the built-in Lua files to bytecode and writes a C
 * file holding, for each, its chunk name, its exact source and its
 * bytecode. tmlint loads the bytecode only for a file whose chunk name and
 * source bytes are the same as here, so a changed or foreign file is still
 * compiled from its text (and nothing but our own build reaches mode "b").
 * For a rule (a chunk "@rules/NAME.lua"), it also writes what tmlint
 * reads of the rule's table when it loads it (id, name, texts, level,
 * meta, needs, reads_ci), found by running the chunk here with stand-ins
 * for `tm` and `re`: a run can then leave the rule's code unloaded until
 * the rule runs. A rule whose table comes out other than plain strings
 * and lists there gets no such entry and is loaded as before.
 * usage: gen_bytecode OUT.c CHUNKNAME FILE [CHUNKNAME FILE...] */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include "re_syntax.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { unsigned char *p; size_t n, cap; } sink;

static int writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    sink *s = ud;
    if (s->n + sz > s->cap) {
        s->cap = (s->n + sz) * 2;
        s->p = realloc(s->p, s->cap);
        if (!s->p)
            return 1;
    }
    memcpy(s->p + s->n, p, sz);
    s->n += sz;
    return 0;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *p = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n == cap && !(p = realloc(p, cap = cap ? cap * 2 : 65536)))
            break;
        size_t r = fread(p + *n, 1, cap - *n, f);
        if (!r)
            break;
        *n += r;
    }
    fclose(f);
    return p;
}

/* Runs the chunk on the stack with stand-ins for what tmlint gives it,
 * adding each {pattern, flags} its top level passes to re.compile to the
 * list `patterns`; for a rule, returns its table's fields for C to read:
 * {id, name, summary, help, message, level, reads_ci ("1"/"0"), meta={...},
 * needs={...}}, or nil when it is not a table tmlint would take as is. */
static const char *const MANIFEST_LUA =
    "local chunk, patterns, rule = ...\n"
    "local stub = {}\n"
    "local function me() return stub end\n"
    "setmetatable(stub, {__index = me, __call = me, __concat = me, __add = me, __sub = me, __mul = me,\n"
    "  __div = me, __unm = me, __len = function() return 0 end})\n"
    "local re = setmetatable({compile = function(p, f)\n"
    "  if type(p) == 'string' and (f == nil or type(f) == 'string') then patterns[#patterns + 1] = {p, f or ''} end\n"
    "  return stub end}, {__index = me})\n"
    "local env = setmetatable({}, {__index = function(_, k)\n"
    "  if k == 're' then return re end; local v = _G[k]; if v ~= nil then return v end; return stub end})\n"
    "debug.setupvalue(chunk, 1, env)\n"
    "local ok, t = pcall(chunk)\n"
    "if not rule or not ok or type(t) ~= 'table' or getmetatable(t) ~= nil then return nil end\n"
    "local out = {}\n"
    "for _, k in ipairs({'id', 'name', 'summary', 'help', 'message', 'level'}) do\n"
    "  local v = rawget(t, k)\n"
    "  if type(v) ~= 'string' or v == '' or v:find('\\0', 1, true) then return nil end\n"
    "  out[k] = v\n"
    "end\n"
    "if type(rawget(t, 'run')) ~= 'function' then return nil end\n"
    "local st = rawget(t, 'settings')\n"
    "if st ~= nil and type(st) ~= 'table' then return nil end\n"
    "local rc = rawget(t, 'reads_ci')\n"
    "if rc ~= nil and type(rc) ~= 'boolean' then return nil end\n"
    "out.reads_ci = rc and '1' or '0'\n"
    "for _, k in ipairs({'meta', 'needs'}) do\n"
    "  local v, l = rawget(t, k), {}\n"
    "  if v ~= nil then\n"
    "    if type(v) ~= 'table' or getmetatable(v) ~= nil then return nil end\n"
    "    for i, x in ipairs(v) do\n"
    "      if type(x) ~= 'string' or x:find('\\0', 1, true) or i > 64 then return nil end\n"
    "      l[i] = x\n"
    "    end\n"
    "  end\n"
    "  out[k] = l\n"
    "end\n"
    "return out\n";

/* A C string literal of s: every byte that is not plain ASCII as a
 * three-digit octal escape (so that no following digit joins it). */
static void emit_str(FILE *o, const char *s)
{
    fputc('"', o);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(o, "\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7f && *p != '?')
            fputc(*p, o);
        else
            fprintf(o, "\\%03o", *p);
    }
    fputc('"', o);
}

static void emit_list(FILE *o, lua_State *L, int t, const char *key, const char *name)
{
    lua_getfield(L, t, key);
    fprintf(o, "static const char *const %s[] = {", name);
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
        emit_str(o, lua_tostring(L, -1));
        fputs(", ", o);
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    fputs("NULL};\n", o);
}

/* Runs chunk i (on top of the stack, where it stays) with stand-ins,
 * adding its patterns to the registry's list; for a rule, writes its
 * manifest entry (mfI) when it yields one, and returns whether it did. */
static int emit_manifest(FILE *o, lua_State *L, int i, int rule)
{
    if (luaL_loadstring(L, MANIFEST_LUA) != LUA_OK)
        return 0;
    lua_pushvalue(L, -2);
    lua_getfield(L, LUA_REGISTRYINDEX, "patterns");
    lua_pushboolean(L, rule);
    if (lua_pcall(L, 3, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    int t = lua_gettop(L);
    char name[32];
    snprintf(name, sizeof name, "mf%d_meta", i);
    emit_list(o, L, t, "meta", name);
    snprintf(name, sizeof name, "mf%d_needs", i);
    emit_list(o, L, t, "needs", name);
    fprintf(o, "static const tm_rule_manifest mf%d = {", i);
    static const char *const keys[] = {"id", "name", "summary", "help", "message", "level"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        lua_getfield(L, t, keys[k]);
        emit_str(o, lua_tostring(L, -1));
        fputs(",\n  ", o);
        lua_pop(L, 1);
    }
    lua_getfield(L, t, "reads_ci");
    fprintf(o, "mf%d_meta, mf%d_needs, %s};\n", i, i, lua_tostring(L, -1)[0] == '1' ? "1" : "0");
    lua_pop(L, 1);
    lua_getfield(L, t, "id");   /* for clashes() */
    lua_setfield(L, LUA_REGISTRYINDEX, "last_id");
    lua_getfield(L, t, "name");
    lua_setfield(L, LUA_REGISTRYINDEX, "last_name");
    lua_pop(L, 1);
    return 1;
}

/* Whether the rule just written has the id (in any case) or the name of
 * one written before: tmlint trusts the build on that and does not
 * compare its built-in rules at start-up. Kept in the registry. */
static int clashes(lua_State *L, const char *chunk)
{
    lua_getfield(L, LUA_REGISTRYINDEX, "seen");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "seen");
    }
    int rc = 0;
    if (luaL_dostring(L, "return function(seen, chunk, id, name)\n"
                         "  local k1, k2 = 'id:' .. id:upper(), 'name:' .. name\n"
                         "  local other = seen[k1] or seen[k2]\n"
                         "  seen[k1], seen[k2] = chunk, chunk\n"
                         "  return other end") != LUA_OK)
        return 1;
    lua_pushvalue(L, -2);
    lua_pushstring(L, chunk);
    lua_getfield(L, LUA_REGISTRYINDEX, "last_id");
    lua_getfield(L, LUA_REGISTRYINDEX, "last_name");
    if (lua_pcall(L, 4, 1, 0) != LUA_OK)
        rc = 1;
    else if (lua_isstring(L, -1)) {
        fprintf(stderr, "%s: its id or name is also %s's\n", chunk + 1, lua_tostring(L, -1) + 1);
        rc = 1;
    }
    lua_pop(L, 2);
    return rc;
}

static void emit(FILE *o, const char *name, const unsigned char *p, size_t n);

/* The key a pattern is known by: its options, NUL, its text. */
static void push_key(lua_State *L, uint32_t opts, const tm_buf *a)
{
    lua_pushfstring(L, "%d", (int)opts);
    lua_pushlstring(L, "", 1);
    lua_pushlstring(L, a->p ? a->p : "", a->len);
    lua_concat(L, 3);
}

/* Compiles every pattern the files' top levels gave re.compile, as
 * tmlint would (src/rt/re_syntax.c), and writes each one's serialised
 * code as tm_builtin_patterns; a pattern PCRE2 refuses is left out (the
 * run reports it where it is used). */
static int emit_patterns(FILE *o, lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, "patterns");
    int list = lua_gettop(L);
    lua_newtable(L);   /* seen: options NUL text -> true */
    int seen = lua_gettop(L);
    int n = 0;
    for (lua_Integer i = 1; lua_rawgeti(L, list, i) == LUA_TTABLE; i++) {
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        size_t plen;
        const char *pat = lua_tolstring(L, -2, &plen), *flags = lua_tostring(L, -1);
        uint32_t opts;
        char err[128];
        tm_buf a;
        tm_buf_init(&a);
        if (tm_re_parse_flags(flags, &opts, err, sizeof err) == 0) {
            tm_re_ascii_digits(&a, pat, plen);
            push_key(L, opts, &a);
            int fresh = lua_rawget(L, seen) == LUA_TNIL;
            lua_pop(L, 1);
            int ec;
            PCRE2_SIZE eo;
            pcre2_code *code = fresh ? pcre2_compile((PCRE2_SPTR)(a.p ? a.p : ""), a.len, opts, &ec, &eo, NULL) : NULL;
            uint8_t *bytes = NULL;
            PCRE2_SIZE size = 0;
            if (code && pcre2_serialize_encode((const pcre2_code **)&code, 1, &bytes, &size, NULL) == 1) {
                char name[32];
                snprintf(name, sizeof name, "re%d", n);
                emit(o, name, bytes, size);
                snprintf(name, sizeof name, "rp%d", n);
                emit(o, name, (const unsigned char *)(a.p ? a.p : ""), a.len);
                fprintf(o, "#define RE%d {%uu, (const char *)rp%d, %zu, re%d, sizeof re%d}\n", n, opts, n, a.len, n, n);
                n++;
                push_key(L, opts, &a);
                lua_pushboolean(L, 1);
                lua_rawset(L, seen);
            }
            pcre2_serialize_free(bytes);
            pcre2_code_free(code);
        }
        tm_buf_free(&a);
        lua_pop(L, 3);
    }
    lua_settop(L, list - 1);
    fprintf(o, "const tm_re_prebuilt tm_builtin_patterns[] = {\n");
    for (int i = 0; i < n; i++)
        fprintf(o, "  RE%d,\n", i);
    fprintf(o, "  {0, 0, 0, 0, 0}\n};\n");
    return 0;
}

/* A rule's chunk: "@rules/NAME.lua" with no folder after rules/. */
static int is_rule_chunk(const char *chunk)
{
    return !strncmp(chunk, "@rules/", 7) && !strchr(chunk + 7, '/');
}

static void emit(FILE *o, const char *name, const unsigned char *p, size_t n)
{
    fprintf(o, "static const unsigned char %s[%zu] = {", name, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        fprintf(o, "%s%u,", i % 24 ? "" : "\n", p[i]);
    fprintf(o, "%s};\n", n ? "" : "0");
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc % 2) {
        fprintf(stderr, "usage: gen_bytecode OUT.c CHUNKNAME FILE...\n");
        return 2;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *o = fopen(tmp, "w");
    if (!o) {
        perror(tmp);
        return 1;
    }
    fprintf(o, "/* generated by tools/gen_bytecode.c: do not edit */\n#include \"bytecode.h\"\n");
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);   /* for the stand-in run of each rule's chunk */
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "patterns");
    int nfiles = (argc - 2) / 2;
    char *has_mf = calloc((size_t)nfiles + 1, 1);
    for (int i = 0; i < nfiles; i++) {
        const char *chunk = argv[2 + 2 * i], *path = argv[3 + 2 * i];
        size_t n;
        unsigned char *src = slurp(path, &n);
        if (!src) {
            perror(path);
            return 1;
        }
        if (luaL_loadbufferx(L, (const char *)src, n, chunk, "t") != LUA_OK) {
            fprintf(stderr, "%s: %s\n", path, lua_tostring(L, -1));
            return 1;
        }
        sink s = {0};
        /* stripped of debug information (line numbers, local names): a
         * fifth less to load on every run. Only a bug of tmlint's own
         * fails in these files, and TMLINT_NO_BYTECODE=1 runs them from
         * their text, lines and all, to find where. */
        if (lua_dump(L, writer, &s, 1) != 0) {
            fprintf(stderr, "%s: cannot dump\n", path);
            return 1;
        }
        if ((has_mf[i] = (char)emit_manifest(o, L, i, is_rule_chunk(chunk))) && clashes(L, chunk) != 0)
            return 1;
        lua_pop(L, 1);
        char name[32];
        snprintf(name, sizeof name, "src%d", i);
        emit(o, name, src, n);
        snprintf(name, sizeof name, "bc%d", i);
        emit(o, name, s.p, s.n);
        free(src);
        free(s.p);
    }
    fprintf(o, "const tm_bytecode tm_builtin_bytecode[] = {\n");
    for (int i = 0; i < nfiles; i++) {
        char rule[32] = "NULL";
        if (has_mf[i])
            snprintf(rule, sizeof rule, "&mf%d", i);
        fprintf(o, "  {\"%s\", (const char *)src%d, sizeof src%d, (const char *)bc%d, sizeof bc%d, %s},\n",
                argv[2 + 2 * i], i, i, i, i, rule);
    }
    fprintf(o, "  {0, 0, 0, 0, 0, 0}\n};\n");
    free(has_mf);
    if (emit_patterns(o, L) != 0)
        return 1;
    lua_close(L);
    if (fclose(o) != 0 || rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
