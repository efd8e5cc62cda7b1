/* The Lua 5.4 runtime that rules and format adapters run in: one state per
 * run, a capped allocator, a per-call instruction budget and a sandbox of
 * chosen libraries (no io, os, debug, package, load or dofile). */
#ifndef TM_LUA_RT_H
#define TM_LUA_RT_H
#include "diag.h"
#include "regex.h"
#include <lua.h>
#include <stdint.h>

/* The longest string a rule or adapter may make (the model's own strings,
 * made by tmlint, may be longer): one comparison of two strings is one VM
 * instruction, so this bounds what an instruction can cost. */
#define TM_RULE_MAX_STRING ((size_t)1 << 20)

typedef struct tm_rt {
    lua_State *L;
    struct tm_pool *pool;  /* where Lua's blocks come from */
    size_t mem_used;
    size_t mem_limit;      /* current cap; raised and lowered around calls */
    size_t mem_cap;        /* cap outside any rule call */
    int mem_tripped;
    int str_tripped;       /* a rule tried to make a string past TM_RULE_MAX_STRING */
    int in_call;           /* inside tm_rt_call: new strings are charged and capped */
    int long_strings;      /* the next tm_rt_call may make strings of any length (the converter's output) */
    int64_t budget;        /* instructions left in the current call */
    int tripped;           /* sticky: set once the budget ran out */
    const char *stop_reason;   /* why it was stopped (static text) */
    int64_t time_limit_ns; /* wall time a call may take (0: none) */
    int64_t deadline;      /* of the current call, CLOCK_MONOTONIC ns */
    void (*hook)(lua_State *, lua_Debug *);
    tm_re *re;
    void *host;            /* the run using this runtime (for report) */
    int verbose;           /* print() from rules goes to stderr only then */
    int64_t last_ns, last_work;   /* wall time and work of the last tm_rt_call */
    int builtin_loaded;    /* the chunk just loaded is tmlint's own bytecode */
    int lazy_re;           /* running that chunk: re.compile may defer compiling */
    const void *re_meta;   /* the metatable of compiled patterns (kept by the registry) */
    uint32_t charges;      /* tm_rt_charge calls, for how often it reads the clock */
    /* VM instructions are counted (a hook on every one: a sixth of a run)
     * only where code that is not byte for byte tmlint's own can run: once
     * any such file is loaded (`foreign`, for the rest of the runtime's
     * life), when asked (`count_always`: --max-rule-instructions), or when
     * no deadline timer backs the call. Otherwise the wall-time limit is a
     * timer's, and C work is charged as ever (docs/security.md). */
    int foreign, count_always;
    int counting;          /* the current call counts its instructions */
    uint64_t uncounted_calls;  /* calls that did not (for --timings) */
    struct tm_deadline *timer;
} tm_rt;

/* Caller frees with tm_rt_free. NULL (with a diag) if Lua cannot start. */
tm_rt *tm_rt_new(size_t mem_cap, const tm_re_limits *rl, tm_diags *d);
void tm_rt_free(tm_rt *rt);
/* The runtime of a Lua state (stored in its extra space). */
tm_rt *tm_rt_of(lua_State *L);
/* Pushes a new sandbox environment: copies of the allowed libraries and of
 * the `re` module; `_G` is the environment itself. */
void tm_rt_push_env(tm_rt *rt);
/* The same for tmlint's own files, which all share the one it pushes:
 * every library a frozen view (callers seal it with tm_rt_seal_env once
 * they have added their own fields), so none can change what another sees. */
void tm_rt_push_own_env(tm_rt *rt);
/* Makes the table on top of the stack refuse new keys (its metatable hidden). */
void tm_rt_seal_env(lua_State *L);
/* Replaces the table on top of the stack with a view of it: an empty table
 * whose protected metatable reads through to it (`#`, ipairs and pairs
 * work). Assignments land in the view; a frozen view refuses them. With no
 * rawset in the sandbox, no rule can change the table behind a view. */
void tm_rt_view(lua_State *L, int frozen);
/* Loads a Lua text file (never bytecode) and pushes it as a function whose
 * _ENV is the table on top of the stack (which is popped). */
int tm_rt_load(tm_rt *rt, const char *path, const char *chunkname, tm_diags *d);
/* The same from text in memory; `path` names it in diagnostics. */
int tm_rt_load_buf(tm_rt *rt, const char *buf, size_t len, const char *chunkname,
                   const char *path, tm_diags *d);
/* The same for text the caller found to be that of built-in entry bc
 * (tm_bytecode_find), or NULL when it is none: its bytecode is loaded. */
struct tm_bytecode;
int tm_rt_load_own(tm_rt *rt, const struct tm_bytecode *bc, const char *buf, size_t len, const char *chunkname,
                   const char *path, tm_diags *d);
/* Charges `cost` units of work done in C to the running call's budget and
 * checks its deadline; raises (for good: see tm_rt_stop) when spent. */
void tm_rt_charge(lua_State *L, int64_t cost);
/* Stops the running call so that no pcall can resume it; `why` is static
 * text for the diagnostic. Does not return. */
int tm_rt_stop(lua_State *L, const char *why);
/* Calls the function below nargs arguments under the instruction budget
 * and an extra memory allowance. `who` names the culprit in diagnostics
 * (e.g. "rule TM310"), `file` the checked file if any. Returns 0, or -1 with
 * a diag; nothing is left on the stack on failure. */
int tm_rt_call(tm_rt *rt, int nargs, int nres, int64_t instructions, size_t memory,
               const char *who, const char *file, tm_diags *d);
/* Says the runtime makes no call for a while (a file is done): its
 * deadline timer, left armed across calls, is disarmed. */
void tm_rt_rest(tm_rt *rt);

#endif
