#define _GNU_SOURCE   /* dladdr */
#include "rules.h"
#include "bytecode.h"
#include "buf.h"
#include "timings.h"
#include "repo.h"
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TMLINT_INSTALL_RULES_DIR
#define TMLINT_INSTALL_RULES_DIR ""
#endif
#ifndef TMLINT_SOURCE_RULES_DIR
#define TMLINT_SOURCE_RULES_DIR ""
#endif

#define LOAD_INSTRUCTIONS 10000000
#define LOAD_MEMORY ((size_t)64 << 20)

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int tm_rules_locate(tm_ctx *c)
{
    if (c->opts.rules_dir) {
        if (!is_dir(c->opts.rules_dir))
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "rules directory '%s' does not exist", c->opts.rules_dir);
        /* a whole rules tree (its own lib/tm.lua) replaces tmlint's; a
         * directory of team rules alone is loaded beside them (tm_rules_load) */
        tm_buf lib;
        tm_buf_init(&lib);
        tm_buf_printf(&lib, "%s/lib/tm.lua", c->opts.rules_dir);
        struct stat st;
        int whole = stat(lib.p, &st) == 0;
        tm_buf_free(&lib);
        if (whole) {
            c->rules_dir = tm_xstrdup(c->opts.rules_dir);
            return 0;
        }
    }
    const char *env = getenv("TMLINT_RULES_DIR");   /* for packagers and tests */
    if (env && *env) {
        if (!is_dir(env))
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "TMLINT_RULES_DIR '%s' is not a directory", env);
        c->rules_dir = tm_xstrdup(env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            tm_buf b;
            tm_buf_init(&b);
            tm_buf_printf(&b, "%s/../share/tmlint/rules", exe);
            if (is_dir(b.p)) {
                c->rules_dir = tm_buf_detach(&b);
                return 0;
            }
            tm_buf_free(&b);
        }
    }
    /* libtmlint.so in a program elsewhere: beside the library */
    Dl_info info;
    if (dladdr((void *)tm_rules_locate, &info) && info.dli_fname && strchr(info.dli_fname, '/')) {
        tm_buf b;
        tm_buf_init(&b);
        tm_buf_printf(&b, "%.*s/../share/tmlint/rules", (int)(strrchr(info.dli_fname, '/') - info.dli_fname),
                      info.dli_fname);
        if (is_dir(b.p)) {
            c->rules_dir = tm_buf_detach(&b);
            return 0;
        }
        tm_buf_free(&b);
    }
    if (*TMLINT_SOURCE_RULES_DIR && is_dir(TMLINT_SOURCE_RULES_DIR)) {
        c->rules_dir = tm_xstrdup(TMLINT_SOURCE_RULES_DIR);
        return 0;
    }
    /* where `cmake --install` put them */
    if (*TMLINT_INSTALL_RULES_DIR && is_dir(TMLINT_INSTALL_RULES_DIR)) {
        c->rules_dir = tm_xstrdup(TMLINT_INSTALL_RULES_DIR);
        return 0;
    }
    return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                       "cannot find the rules directory; install tmlint or pass --rules-dir");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the .lua files in dir; caller frees each and the array. */
static char **list_lua(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".lua") != 0 || e->d_name[0] == '.')
            continue;
        if (*n == cap)
            v = tm_xrealloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
        v[(*n)++] = tm_xstrdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

/* Runs rules/lib/tm.lua once and keeps it in the registry as "tm.lib", a
 * read-only view whose table fields are read-only views too: every rule
 * shares one instance and none can change what another gets. */
static int build_lib(tm_ctx *c, const char *who)
{
    lua_State *L = c->rt->L;
    if (lua_getfield(L, LUA_REGISTRYINDEX, "tm.libsrc") != LUA_TSTRING) {
        lua_pop(L, 1);
        return 1;   /* no helper library: rules get no `tm` */
    }
    size_t n;
    const char *src = lua_tolstring(L, -1, &n);
    char *copy = tm_xstrndup(src, n);
    lua_pop(L, 1);
    tm_rt_push_env(c->rt);
    int rc = tm_rt_load_buf(c->rt, copy, n, "@rules/lib/tm.lua", "rules/lib/tm.lua", &c->diags);
    free(copy);
    if (rc == 0)
        rc = tm_rt_call(c->rt, 0, 1, LOAD_INSTRUCTIONS, LOAD_MEMORY, who, NULL, &c->diags);
    if (rc != 0)
        return -1;
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, "rules/lib/tm.lua", 0, 0, NULL, "must return a table");
    }
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_istable(L, -1)) {
            tm_rt_view(L, 1);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, t);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_setfield(L, LUA_REGISTRYINDEX, "tm.lib");
    return 0;
}

int tm_rules_push_env(tm_ctx *c, const char *who)
{
    lua_State *L = c->rt->L;
    if (lua_getfield(L, LUA_REGISTRYINDEX, "tm.lib") == LUA_TNIL) {
        lua_pop(L, 1);
        int rc = build_lib(c, who);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            tm_rt_push_env(c->rt);
            return 0;
        }
        lua_getfield(L, LUA_REGISTRYINDEX, "tm.lib");
    }
    tm_rt_push_env(c->rt);
    lua_insert(L, -2);
    tm_rt_view(L, 0);
    lua_setfield(L, -2, "tm");
    return 0;
}

static char *get_str(lua_State *L, int t, const char *k, int required, const char *path, tm_diags *d, int *bad)
{
    int ty = lua_getfield(L, t, k);
    char *r = NULL;
    if (ty == LUA_TSTRING && lua_rawlen(L, -1) > 0) {
        r = tm_xstrdup(lua_tostring(L, -1));
    } else if (required || ty != LUA_TNIL) {
        tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "the table it returns needs a non-empty string '%s'", k);
        *bad = 1;
    }
    lua_pop(L, 1);
    return r;
}

/* copy(t): a table with t's keys and values and no metatable, its
 * `settings` copied the same way (run protected: it allocates). */
static int plain_copy(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, 1)) {   /* raw: no __index, __pairs or __newindex runs */
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 2);
    }
    lua_pushliteral(L, "settings");
    if (lua_rawget(L, 2) == LUA_TTABLE) {
        lua_pushcfunction(L, plain_copy);
        lua_insert(L, -2);
        lua_call(L, 1, 1);
        lua_pushliteral(L, "settings");
        lua_insert(L, -2);
        lua_rawset(L, 2);
    } else {
        lua_pop(L, 1);
    }
    return 1;
}

/* Loads one Lua file in a fresh environment and leaves its returned table
 * on the stack; -1 with a diag otherwise. tmlint reads the table from C,
 * outside any protected call, for as long as it runs: what it keeps is a
 * plain copy, so that neither a metatable the file set nor one its
 * functions set later on their own table can run there (an __index that
 * raised ended the process). */
/* The environment every one of tmlint's own rules and adapters shares
 * (built once): pushing one per file was a tenth of a small run. */
static int push_own_env(tm_ctx *c, const char *who)
{
    lua_State *L = c->rt->L;
    if (lua_getfield(L, LUA_REGISTRYINDEX, "tm.ownenv") == LUA_TTABLE)
        return 0;
    lua_pop(L, 1);
    if (lua_getfield(L, LUA_REGISTRYINDEX, "tm.lib") == LUA_TNIL && build_lib(c, who) < 0) {
        lua_pop(L, 1);
        return -1;
    }
    lua_pop(L, 1);
    tm_rt_push_own_env(c->rt);
    if (lua_getfield(L, LUA_REGISTRYINDEX, "tm.lib") == LUA_TTABLE) {
        tm_rt_view(L, 1);
        lua_setfield(L, -2, "tm");
    } else {
        lua_pop(L, 1);
    }
    tm_rt_seal_env(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "tm.ownenv");
    return 0;
}

/* The built-in entry of a file that holds exactly the source the entry
 * was built from, found with one read of a byte more than that source (a
 * file that gives fewer bytes has ended). Anything else (no entry,
 * another length, other bytes, an error) is NULL, and the caller reads
 * the file as any Lua file. It spares each of the 75 built-in files the
 * calls that reading one in full makes (the size, a read to see the end):
 * a tenth of a small model's run. The bytes compared are the program, so
 * a file that is not a regular one but gives them runs what it gave. */
static const tm_bytecode *same_as_built(const char *path, const char *chunk)
{
    if (getenv("TMLINT_NO_BYTECODE"))
        return NULL;
    const tm_bytecode *bc = tm_bytecode_named(chunk);
    if (!bc || bc->src_len > TM_MAX_LUA_FILE)
        return NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char local[16384];
    char *buf = bc->src_len < sizeof local ? local : tm_xmalloc(bc->src_len + 1);
    ssize_t r = read(fd, buf, bc->src_len + 1);
    close(fd);
    int same = r >= 0 && (size_t)r == bc->src_len && !memcmp(buf, bc->src, bc->src_len);
    if (buf != local)
        free(buf);
    return same ? bc : NULL;
}

/* *deferred: (when not NULL) a built-in rule whose file is the one it
 * was built from is not loaded; *deferred is set to its entry, whose
 * manifest says what loading would have read (tm_rules_need loads it). */
static int load_one(tm_ctx *c, const char *path, const char *chunk, const tm_bytecode **deferred)
{
    lua_State *L = c->rt->L;
    tm_buf src;
    tm_buf_init(&src);
    const tm_bytecode *bc = same_as_built(path, chunk);
    const char *text = bc ? bc->src : NULL;
    size_t tlen = bc ? bc->src_len : 0;
    if (!bc) {
        int rr = tm_read_file(path, &src, TM_MAX_LUA_FILE);
        if (rr != 0)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "refusing to load it as Lua: %s",
                               tm_read_error(rr));
        text = src.p;
        tlen = src.len;
        bc = getenv("TMLINT_NO_BYTECODE") ? NULL : tm_bytecode_find(chunk, text, tlen);
    }
    int own = bc != NULL;
    if (deferred && bc && bc->rule && !getenv("TMLINT_EAGER_RULES")) {
        tm_buf_free(&src);
        *deferred = bc;
        return 0;
    }
    if ((own ? push_own_env(c, chunk + 1) : tm_rules_push_env(c, chunk + 1)) != 0) {
        tm_buf_free(&src);
        return -1;
    }
    int lrc = tm_rt_load_own(c->rt, bc, text, tlen, chunk, path, &c->diags);
    tm_buf_free(&src);
    if (lrc != 0)
        return -1;
    int ours = c->rt->builtin_loaded;
    if (tm_rt_call(c->rt, 0, 1, LOAD_INSTRUCTIONS, LOAD_MEMORY, chunk + 1, NULL, &c->diags) != 0)
        return -1;
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "must return a table");
    }
    if (ours)
        return 0;   /* tmlint's own bytecode returns a plain table: no copy */
    lua_pushcfunction(L, plain_copy);
    lua_insert(L, -2);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot copy the table it returns: %s",
                    lua_isstring(L, -1) ? lua_tostring(L, -1) : "error");
        lua_pop(L, 1);
        return -1;
    }
    return 0;
}

static int valid_id(const char *s)
{
    if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static char **copy_list(const char *const *v, size_t *n)
{
    size_t k = 0;
    while (v[k])
        k++;
    char **out = tm_xcalloc(k ? k : 1, sizeof *out);
    for (*n = 0; *n < k; (*n)++)
        out[*n] = tm_xstrdup(v[*n]);
    return out;
}

int tm_rule_under(const tm_rule *r, const struct tm_cfg *cfg)
{
    if (!r->origin || r->origin == cfg)
        return 1;
    for (size_t i = 0; i < r->nalso; i++)
        if (r->also[i] == cfg)
            return 1;
    return 0;
}

/* Whether a rule for files under `origin` (NULL: every file) would meet
 * rule r on some file: only then may they not share an id or a name. */
static int meets(const tm_rule *r, const struct tm_cfg *origin)
{
    return !origin || tm_rule_under(r, origin);
}

static int same_handle(const tm_rule *a, const char *id, const char *name)
{
    return !strcasecmp(a->id, id) || !strcmp(a->name, name);
}

/* What every rule gets once its fields are read: the clash check, its
 * place in c->rules; `ref` is its table's (LUA_NOREF: not loaded yet). */
static int keep_rule(tm_ctx *c, const char *path, tm_rule *rp, int bad, int ref, const struct tm_cfg *origin)
{
    tm_rule r = *rp;
    for (size_t i = 0; !bad && i < c->nrules; i++) {
        if (r.lazy && c->rules[i].lazy)
            continue;   /* two built-in rules: the build checked they differ */
        if (!meets(&c->rules[i], origin))
            continue;   /* another repository's (or config's) own rule */
        if (same_handle(&c->rules[i], r.id, r.name)) {
            tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL,
                        "rule '%s' (%s) clashes with %s", r.id, r.name, c->rules[i].path);
            bad = 1;
        }
    }
    r.path = tm_xstrdup(path);
    r.effective = r.level;
    r.ref = ref;
    r.origin = origin;
    c->rules = tm_xrealloc(c->rules, (c->nrules + 1) * sizeof *c->rules);
    c->rules[c->nrules++] = r;
    if (bad)   /* keep it owned so ctx_free frees it, but off */
        c->rules[c->nrules - 1].effective = TM_LEVEL_NONE;
    if (bad && !r.id)
        c->rules[c->nrules - 1].id = tm_xstrdup("?");
    if (bad && !r.name)
        c->rules[c->nrules - 1].name = tm_xstrdup("?");
    return bad ? -1 : 0;
}

/* A built-in rule from its manifest: what add_rule would read of its
 * table, without loading it. */
static int add_deferred(tm_ctx *c, const char *path, const tm_bytecode *bc)
{
    const tm_rule_manifest *m = bc->rule;
    tm_rule r;
    memset(&r, 0, sizeof r);
    r.id = tm_xstrdup(m->id);
    r.name = tm_xstrdup(m->name);
    r.summary = tm_xstrdup(m->summary);
    r.help = tm_xstrdup(m->help);
    r.message = tm_xstrdup(m->message);
    int bad = 0;
    if (tm_level_parse(m->level, &r.level) != 0 || r.level == TM_LEVEL_NONE) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "level '%s' is not error, warning or note", m->level);
        bad = 1;
    }
    if (!valid_id(r.id) || !valid_id(r.name)) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL,
                    "id and name must be letters, digits, '-' or '_', starting with a letter");
        bad = 1;
    }
    r.meta = copy_list(m->meta, &r.nmeta);
    r.needs = copy_list(m->needs, &r.nneeds);
    r.reads_ci = m->reads_ci;
    r.lazy = bc;
    return keep_rule(c, path, &r, bad, LUA_NOREF, NULL);
}

static int add_rule(tm_ctx *c, const char *path, const struct tm_cfg *origin)
{
    lua_State *L = c->rt->L;
    int t = lua_gettop(L), bad = 0;
    tm_rule r;
    memset(&r, 0, sizeof r);
    r.id = get_str(L, t, "id", 1, path, &c->diags, &bad);
    r.name = get_str(L, t, "name", 1, path, &c->diags, &bad);
    r.summary = get_str(L, t, "summary", 1, path, &c->diags, &bad);
    r.help = get_str(L, t, "help", 1, path, &c->diags, &bad);
    r.message = get_str(L, t, "message", 1, path, &c->diags, &bad);
    char *level = get_str(L, t, "level", 1, path, &c->diags, &bad);
    if (level && (tm_level_parse(level, &r.level) != 0 || r.level == TM_LEVEL_NONE)) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "level '%s' is not error, warning or note", level);
        bad = 1;
    }
    free(level);
    if ((r.id && !valid_id(r.id)) || (r.name && !valid_id(r.name))) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL,
                    "id and name must be letters, digits, '-' or '_', starting with a letter");
        bad = 1;
    }
    if (lua_getfield(L, t, "run") != LUA_TFUNCTION) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "the table it returns needs a function 'run'");
        bad = 1;
    }
    lua_pop(L, 1);
    int st = lua_getfield(L, t, "settings");
    if (st != LUA_TNIL && st != LUA_TTABLE) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "'settings' must be a table");
        bad = 1;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "meta") == LUA_TTABLE) {
        size_t n = lua_rawlen(L, -1);
        r.meta = tm_xcalloc(n ? n : 1, sizeof *r.meta);
        for (size_t i = 1; i <= n; i++) {
            if (lua_rawgeti(L, -1, (lua_Integer)i) == LUA_TSTRING)
                r.meta[r.nmeta++] = tm_xstrdup(lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    int nt = lua_getfield(L, t, "needs");
    if (nt == LUA_TTABLE) {
        size_t n = lua_rawlen(L, -1);
        r.needs = tm_xcalloc(n ? n : 1, sizeof *r.needs);
        for (size_t i = 1; i <= n && i <= 64; i++) {
            if (lua_rawgeti(L, -1, (lua_Integer)i) == LUA_TSTRING)
                r.needs[r.nneeds++] = tm_xstrdup(lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    } else if (nt != LUA_TNIL) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "'needs' must be a list of field names");
        bad = 1;
    }
    lua_pop(L, 1);
    int rt = lua_getfield(L, t, "reads_ci");
    if (rt == LUA_TBOOLEAN) {
        r.reads_ci = lua_toboolean(L, -1);
    } else if (rt != LUA_TNIL) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "'reads_ci' must be true or false");
        bad = 1;
    }
    lua_pop(L, 1);
    return keep_rule(c, path, &r, bad, luaL_ref(L, LUA_REGISTRYINDEX), origin);
}

static int add_adapter(tm_ctx *c, const char *path)
{
    lua_State *L = c->rt->L;
    int t = lua_gettop(L), bad = 0;
    char *name = get_str(L, t, "name", 1, path, &c->diags, &bad);
    if (lua_getfield(L, t, "detect") != LUA_TFUNCTION || lua_getfield(L, t, "build") != LUA_TFUNCTION) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "an adapter needs functions 'detect' and 'build'");
        bad = 1;
    }
    lua_settop(L, t);
    if (bad) {
        free(name);
        lua_pop(L, 1);
        return -1;
    }
    tm_adapter a = {.name = name, .path = tm_xstrdup(path), .ref = luaL_ref(L, LUA_REGISTRYINDEX), .origin = NULL};
    c->adapters = tm_xrealloc(c->adapters, (c->nadapters + 1) * sizeof *c->adapters);
    c->adapters[c->nadapters++] = a;
    return 0;
}

/* A file of a rules directory a configuration names: the directory was
 * resolved inside the repository, and a link in it must lead inside too,
 * else the repository could have tmlint read (and its syntax errors quote)
 * any file of the machine. */
static int entry_inside(tm_ctx *c, const char *path)
{
    char *fence;
    const char *why;
    int out = tm_repo_link_outside(&c->repos, path, &fence, &why);
    if (out)
        tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "refusing this rule file, a symbolic link: %s (%s)", why,
                    fence ? fence : "?");
    free(fence);
    return !out;
}

static int load_dir(tm_ctx *c, const char *dir, const char *label, int adapters, const struct tm_cfg *origin)
{
    size_t n;
    char **names = list_lua(dir, &n);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        tm_buf path, chunk;
        tm_buf_init(&path);
        tm_buf_init(&chunk);
        tm_buf_printf(&path, "%s/%s", dir, names[i]);
        tm_buf_printf(&chunk, "@%s%s", label, names[i]);
        const tm_bytecode *deferred = NULL;
        if (origin && !entry_inside(c, path.p))
            rc = -1;
        else if (load_one(c, path.p, chunk.p, adapters ? NULL : &deferred) != 0)
            rc = -1;
        else if ((adapters ? add_adapter(c, path.p)
                           : deferred ? add_deferred(c, path.p, deferred) : add_rule(c, path.p, origin)) != 0)
            rc = -1;
        tm_buf_free(&path);
        tm_buf_free(&chunk);
        free(names[i]);
    }
    free(names);
    return rc;
}

int tm_rules_load(tm_ctx *c)
{
    lua_State *L = c->rt->L;
    tm_buf p, lib;
    tm_buf_init(&p);
    tm_buf_printf(&p, "%s/lib/tm.lua", c->rules_dir);
    tm_buf_init(&lib);
    const tm_bytecode *own_lib = same_as_built(p.p, "@rules/lib/tm.lua");
    int rr = own_lib ? 0 : tm_read_file(p.p, &lib, TM_MAX_LUA_FILE);
    if (rr != 0) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, p.p, 0, 0, NULL, "cannot read the rule helper library: %s", tm_read_error(rr));
        tm_buf_free(&p);
        return -1;
    }
    if (own_lib)
        lua_pushlstring(L, own_lib->src, own_lib->src_len);
    else
        lua_pushlstring(L, lib.p, lib.len);
    lua_setfield(L, LUA_REGISTRYINDEX, "tm.libsrc");
    tm_buf_free(&lib);
    /* loading makes little garbage (under 1 MiB for all built-in files):
     * collecting during it only costs time; the cap still holds, and a
     * refused allocation still collects first */
    lua_gc(L, LUA_GCSTOP);
    int rc = load_dir(c, c->rules_dir, "rules/", 0, NULL);
    tm_buf_free(&p);
    tm_buf_init(&p);
    tm_buf_printf(&p, "%s/formats", c->rules_dir);
    if (load_dir(c, p.p, "rules/formats/", 1, NULL) != 0)
        rc = -1;
    /* --rules-dir of team rules alone: beside the built-in ones */
    if (rc == 0 && c->opts.rules_dir && strcmp(c->rules_dir, c->opts.rules_dir)) {
        char real[PATH_MAX];
        tm_buf label;   /* by its real path: a configuration naming it too loads it once */
        tm_buf_init(&label);
        const char *dir = realpath(c->opts.rules_dir, real) ? real : c->opts.rules_dir;
        tm_buf_printf(&label, "%s/", dir);
        rc = load_dir(c, dir, label.p, 0, NULL);
        tm_buf_free(&label);
    }
    lua_gc(L, LUA_GCRESTART);
    tm_buf_free(&p);
    if (rc == 0 && c->nadapters == 0)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                         "no format adapters in '%s/formats'", c->rules_dir);
    return rc;
}

static int in_dir(const tm_rule *r, const char *dir)
{
    size_t n = strlen(dir);
    return r->path && !strncmp(r->path, dir, n) && r->path[n] == '/' && !strchr(r->path + n + 1, '/');
}

size_t tm_rules_from_dir(const tm_ctx *c, const char *dir, const struct tm_cfg *cfg)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nrules; i++)
        n += in_dir(&c->rules[i], dir) && tm_rule_under(&c->rules[i], cfg);
    return n;
}

/* A directory already loaded for other configs: its rules apply under
 * `origin` too, each unless it clashes with a rule already in effect there. */
static int share_dir(tm_ctx *c, const char *dir, const struct tm_cfg *origin)
{
    int rc = 0;
    size_t n = c->nrules;   /* the rules of dir are all loaded; none is added here */
    for (size_t i = 0; i < n; i++) {
        tm_rule *r = &c->rules[i];
        if (!in_dir(r, dir))
            continue;
        int bad = 0;
        for (size_t j = 0; j < n && !bad; j++) {
            if (in_dir(&c->rules[j], dir) || !meets(&c->rules[j], origin) || !same_handle(&c->rules[j], r->id, r->name))
                continue;
            bad = 1;
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, r->path, 0, 0, NULL,
                             "rule '%s' (%s) clashes with %s: one configuration names both directories",
                             r->id, r->name, c->rules[j].path);
        }
        if (!bad) {
            r->also = tm_xrealloc(r->also, (r->nalso + 1) * sizeof *r->also);
            r->also[r->nalso++] = origin;
        }
    }
    return rc;
}

int tm_rules_load_extra(tm_ctx *c, const char *dir, const struct tm_cfg *origin)
{
    /* Two configs (or one and --rules-dir) may name one directory: its
     * rules load once. Loaded for every file (--rules-dir) or already for
     * this config: nothing to do; for other configs only: shared. */
    int loaded = 0;
    for (size_t i = 0; i < c->nrules; i++)
        if (in_dir(&c->rules[i], dir)) {
            if (!origin || tm_rule_under(&c->rules[i], origin))
                return 0;
            loaded = 1;
        }
    if (loaded)
        return share_dir(c, dir, origin);
    tm_buf label;
    tm_buf_init(&label);
    tm_buf_printf(&label, "%s/", dir);
    int rc = load_dir(c, dir, label.p, 0, origin);
    tm_buf_free(&label);
    return rc;
}

int tm_rules_load_adapter(tm_ctx *c, const char *path, const struct tm_cfg *origin)
{
    for (size_t i = 0; i < c->nadapters; i++)
        if (c->adapters[i].origin == origin && !strcmp(c->adapters[i].path, path))
            return (int)i;
    tm_buf chunk;
    tm_buf_init(&chunk);
    tm_buf_printf(&chunk, "@%s", path);
    int rc = load_one(c, path, chunk.p, NULL);
    tm_buf_free(&chunk);
    if (rc != 0 || add_adapter(c, path) != 0)
        return -1;
    c->adapters[c->nadapters - 1].origin = origin;
    return (int)c->nadapters - 1;
}

int tm_rules_find(const tm_ctx *c, const char *s)
{
    for (size_t i = 0; i < c->nrules; i++)
        if (same_handle(&c->rules[i], s, s))
            return (int)i;
    return -1;
}

int tm_rules_named(const tm_ctx *c, size_t r, const char *s)
{
    return same_handle(&c->rules[r], s, s);
}

int tm_rules_find_under(const tm_ctx *c, const char *s, const struct tm_cfg *cfg)
{
    for (size_t i = 0; i < c->nrules; i++)
        if (same_handle(&c->rules[i], s, s) && tm_rule_under(&c->rules[i], cfg))
            return (int)i;
    return -1;
}

int tm_rules_find_id(const tm_ctx *c, const char *id)
{
    for (size_t i = 0; i < c->nrules; i++)
        if (!strcmp(c->rules[i].id, id))
            return (int)i;
    return -1;
}

int tm_rules_need(tm_ctx *c, size_t i)
{
    tm_rule *r = &c->rules[i];
    if (r->ref != LUA_NOREF)
        return 0;
    if (!r->lazy)
        return -1;
    lua_State *L = c->rt->L;
    int64_t t0 = tm_clock_ns();
    /* as at start-up: its top level sees no document */
    void *host = c->rt->host;
    c->rt->host = NULL;
    const tm_bytecode *bc = r->lazy;
    int rc = push_own_env(c, bc->chunk + 1);
    if (rc == 0)
        rc = tm_rt_load_own(c->rt, getenv("TMLINT_NO_BYTECODE") ? NULL : bc, bc->src, bc->src_len, bc->chunk, r->path,
                            &c->diags);
    if (rc == 0)
        rc = tm_rt_call(c->rt, 0, 1, LOAD_INSTRUCTIONS, LOAD_MEMORY, bc->chunk + 1, NULL, &c->diags);
    if (rc == 0 && !lua_istable(L, -1)) {
        lua_pop(L, 1);
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, r->path, 0, 0, NULL, "must return a table");
    }
    c->rt->host = host;
    if (rc == 0)
        r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    else
        r->effective = TM_LEVEL_NONE;   /* said once; it does not run */
    r->lazy = rc == 0 ? r->lazy : NULL;
    c->phase[TM_PHASE_STARTUP].ns += tm_clock_ns() - t0;
    return rc == 0 ? 0 : -1;
}
