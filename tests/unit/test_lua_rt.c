/* The sandbox: what rules cannot reach, and how runaway rules are stopped
 * with the runtime still usable afterwards. */
#include "test_util.h"
#include "lua_rt.h"
#include <lauxlib.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const tm_re_limits rl = {1000000, 10000, 64 * 1024};

typedef struct fx {
    tm_rt *rt;
    tm_diags d;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    tm_diags_init(&f->d);
    f->rt = tm_rt_new((size_t)1 << 30, &rl, &f->d);
    assert_non_null(f->rt);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tm_rt_free(f->rt);
    tm_diags_free(&f->d);
    free(f);
    return 0;
}

/* Runs `code` in a fresh sandbox env; returns tm_rt_call's result and
 * leaves one result on the stack on success. */
static int run(fx *f, const char *code, int64_t budget, size_t mem)
{
    tm_rt_push_env(f->rt);
    if (tm_rt_load_buf(f->rt, code, strlen(code), "=test", "test", &f->d) != 0)
        return -1;
    return tm_rt_call(f->rt, 0, 1, budget, mem, "rule TEST", "model.yaml", &f->d);
}

static const char *run_str(fx *f, const char *code)
{
    static char out[512];
    assert_int_equal(run(f, code, 10000000, 64 << 20), 0);
    snprintf(out, sizeof out, "%s", lua_tostring(f->rt->L, -1) ? lua_tostring(f->rt->L, -1) : "(nil)");
    lua_pop(f->rt->L, 1);
    return out;
}

static void test_no_dangerous_globals(void **state)
{
    fx *f = *state;
    assert_string_equal(run_str(f,
        "local r = {} for _, n in ipairs{'io','os','debug','package','require','load','loadfile',"
        "'dofile','collectgarbage','coroutine','loadstring'} do r[#r+1] = n .. '=' .. type(_G[n]) end "
        "return table.concat(r, ' ')"),
        "io=nil os=nil debug=nil package=nil require=nil load=nil loadfile=nil dofile=nil "
        "collectgarbage=nil coroutine=nil loadstring=nil");
    assert_string_equal(run_str(f, "return tostring(string.dump) .. ' ' .. tostring(math.random)"), "nil nil");
    assert_string_equal(run_str(f, "return tostring(getmetatable(''))"), "false");
}

static void test_envs_are_isolated(void **state)
{
    fx *f = *state;
    run_str(f, "string.upper = function() return 'owned' end; shared = 1; return ''");
    assert_string_equal(run_str(f, "return ('x'):upper() .. string.upper('y') .. tostring(shared)"), "XYnil");
}

/* Libraries are shared views: a rule's assignments stay its own, the
 * view's metatable is out of reach, and without rawset a frozen view
 * (tm's tables) cannot be changed by anyone. */
/* The environment tmlint's own files share: it reads like any other, and
 * refuses what would let one of them change what the others see. */
static void test_own_env(void **state)
{
    fx *f = *state;
    lua_State *L = f->rt->L;
    tm_rt_push_own_env(f->rt);
    tm_rt_seal_env(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "test.own");
    const char *code = "local r = {string.upper('a'), tostring(_G == _ENV), tostring(getmetatable(_ENV))} "
                       "r[#r + 1] = tostring(pcall(function() x = 1 end)) "
                       "r[#r + 1] = tostring(pcall(function() string.upper = nil end)) "
                       "r[#r + 1] = tostring(pcall(function() math.pi = 3 end)) "
                       "r[#r + 1] = tostring(pcall(setmetatable, _ENV, {})) "
                       "r[#r + 1] = string.upper('b') .. math.floor(math.pi) "
                       "return table.concat(r, ' ')";
    for (int i = 0; i < 2; i++) {   /* the second file sees what the first left: nothing */
        lua_getfield(L, LUA_REGISTRYINDEX, "test.own");
        assert_int_equal(tm_rt_load_buf(f->rt, code, strlen(code), "=test", "test", &f->d), 0);
        assert_int_equal(tm_rt_call(f->rt, 0, 1, 1000000, 1 << 20, "rule TEST", NULL, &f->d), 0);
        assert_string_equal(lua_tostring(L, -1), "A true false false false false false B3");
        lua_pop(L, 1);
    }
}

static void test_shared_views(void **state)
{
    fx *f = *state;
    assert_string_equal(run_str(f, "return tostring(rawset) .. ' ' .. tostring(getmetatable(string))"), "nil false");
    assert_string_equal(run_str(f, "local n = 0 for k in pairs(math) do n = n + 1 end return n > 20 and 'ok' or 'few'"), "ok");
    lua_State *L = f->rt->L;
    lua_newtable(L);
    lua_pushliteral(L, "low");
    lua_rawseti(L, -2, 1);
    lua_pushliteral(L, "high");
    lua_rawseti(L, -2, 2);
    tm_rt_view(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "test.frozen");
    tm_rt_push_env(f->rt);
    lua_getfield(L, LUA_REGISTRYINDEX, "test.frozen");
    lua_setfield(L, -2, "levels");
    const char *code = "local ok = pcall(function() levels[3] = 'x' end) "
                       "local ok2 = pcall(table.insert, levels, 'y') "
                       "local s = {} for i, v in ipairs(levels) do s[i] = v end "
                       "return #levels .. ' ' .. table.concat(s, ',') .. ' ' .. tostring(ok) .. tostring(ok2) "
                       ".. ' ' .. tostring(pcall(setmetatable, levels, {}))";
    assert_int_equal(tm_rt_load_buf(f->rt, code, strlen(code), "=test", "test", &f->d), 0);
    assert_int_equal(tm_rt_call(f->rt, 0, 1, 1000000, 1 << 20, "rule TEST", NULL, &f->d), 0);
    assert_string_equal(lua_tostring(L, -1), "2 low,high falsefalse false");
    lua_pop(L, 1);
}

static void test_endless_loop_stopped(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "while true do end", 1000000, 64 << 20), -1);
    assert_diag_contains(&f->d, "rule TEST stopped: it ran past its budget of 1000000");
    assert_string_equal(f->d.v[0].rule, "rule TEST");
    assert_int_equal(lua_gettop(f->rt->L), 0);
    /* the runtime still works */
    assert_string_equal(run_str(f, "return 'alive'"), "alive");
}

static void test_pcall_cannot_swallow_the_stop(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "for i = 1, 1e12 do pcall(function() while true do end end) end", 1000000, 64 << 20), -1);
    assert_diag_contains(&f->d, "budget");
}

static void test_memory_bombs_stopped(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "return string.rep('x', 1e9)", 10000000, 16 << 20), -1);
    assert_diag_contains(&f->d, "needed more than its 16 MiB");
    tm_diags_free(&f->d);
    tm_diags_init(&f->d);
    assert_int_equal(run(f, "local t = {} for i = 1, 1e9 do t[i] = i end", 1000000000, 16 << 20), -1);
    assert_diag_contains(&f->d, "16 MiB");
    assert_string_equal(run_str(f, "return 'alive'"), "alive");
}

/* A call whose own allowance reaches past the whole heap's cap is stopped
 * at the cap, and the message names that cap, not the call's allowance. */
static void test_heap_cap_named(void **state)
{
    (void)state;
    fx g = {0};
    tm_diags_init(&g.d);
    g.rt = tm_rt_new((size_t)8 << 20, &rl, &g.d);
    assert_non_null(g.rt);
    assert_int_equal(run(&g, "local t = {} for i = 1, 1e9 do t[i] = i end", 1000000000, 64 << 20), -1);
    assert_diag_contains(&g.d, "reached its cap of 8 MiB");
    tm_diags_free(&g.d);
    tm_diags_init(&g.d);
    assert_string_equal(run_str(&g, "return 'alive'"), "alive");
    tm_rt_free(g.rt);
    tm_diags_free(&g.d);
}

static void test_errors_reported(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "local x\nreturn x.y", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "rule TEST failed: test:2: attempt to index a nil value");
    assert_string_equal(f->d.v[0].file, "model.yaml");
    tm_diags_free(&f->d);
    tm_diags_init(&f->d);
    assert_int_equal(run(f, "error({})", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "error object is a table");
    tm_diags_free(&f->d);
    tm_diags_init(&f->d);
    /* endless recursion ends as a stack overflow or at the memory cap, never a crash */
    assert_int_equal(run(f, "local function r() return 1 + r() end return r()", 100000000, 64 << 20), -1);
    assert_diag_contains(&f->d, "rule TEST");
}

static void test_bytecode_refused(void **state)
{
    fx *f = *state;
    tm_rt_push_env(f->rt);
    assert_int_equal(tm_rt_load_buf(f->rt, "\x1bLua\x54\x00", 6, "=bin", "bin.lua", &f->d), -1);
    assert_diag_contains(&f->d, "binary chunk");
    assert_int_equal(lua_gettop(f->rt->L), 0);
}

static void test_lua_patterns_guarded(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "return (('a'):rep(40)):find(('a*'):rep(7) .. 'b')", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "use re.find");
    assert_string_equal(run_str(f, "return tostring(('TM310'):match('^TM%d%d%d$')) .. tostring(('a.b'):find('.', 1, true))"),
                        "TM3102");
    assert_string_equal(run_str(f, "return (re.gsub('a  b   c', '\\\\s+', ' '))"), "a b c");
    assert_string_equal(run_str(f, "return re.match('T-12', '^T-(\\\\d+)$')"), "12");
    assert_string_equal(run_str(f, "return tostring(re.test('ABC', 'abc', 'i'))"), "true");
    assert_string_equal(run_str(f, "return table.concat({re.find('xxab', 'ab')}, ',')"), "3,4");
    assert_string_equal(run_str(f, "local P = re.compile('^T(\\\\d)$') return re.match('T7', P)"), "7");
    assert_int_equal(run(f, "return re.compile('(')", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "bad regex at offset 1");
    /* a compiled pattern keeps its flags, and its metatable is out of reach */
    assert_string_equal(run_str(f, "local P = re.compile('^pass', 'i') return tostring(re.test('PASSWORD', P))"), "true");
    assert_string_equal(run_str(f, "return tostring(getmetatable(re.compile('x')))"), "false");
    assert_int_equal(run(f, "return re.test('x', re.compile('x'), 'i')", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "give flags to re.compile");
    /* compiling in a loop is charged and counted: it ends */
    assert_int_equal(run(f, "local t = {} for i = 1, 1e9 do t[i] = re.compile(('a'):rep(200) .. i) end", 10000000, 8 << 20), -1);
}

static void test_catastrophic_regex_is_an_error(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "return re.find(('a'):rep(150) .. ' b c d e f g !', '^(\\\\w+\\\\s?)*$')", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "match limit");
}

/* Work done inside C functions is charged before it starts, and a stop
 * cannot be caught by pcall. */
static void test_c_work_charged(void **state)
{
    fx *f = *state;
    assert_int_equal(run(f, "return string.rep('', math.maxinteger)", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "budget");
    assert_int_equal(run(f, "return table.move({}, 1, math.maxinteger - 1, 2, {})", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "budget");
    assert_int_equal(run(f, "return string.rep('x', 1 << 40)", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "memory");
    assert_int_equal(run(f, "local s = ('a'):rep(5000) .. 'b' "
                            "for i = 1, 1000 do pcall(re.find, s, '(a+)+$') end return 1", 100000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "match limit");
    assert_int_equal(run(f, "local s = ('x'):rep(200000) "
                            "for i = 1, 100 do s:find(('y'):rep(1000), 1, true) end return 1", 1000000, 8 << 20), -1);
    assert_diag_contains(&f->d, "budget");
    assert_int_equal(run(f, "return setmetatable({}, {__gc = function() while true do end end})", 1000000, 1 << 20), -1);
    assert_diag_contains(&f->d, "finalizers");
    /* popping from the end moves nothing and stays cheap */
    assert_string_equal(run_str(f, "local t = {} for i = 1, 100000 do t[i] = i end "
                                   "while #t > 1 do table.remove(t) end return tostring(#t)"), "1");
    /* a wall-clock deadline stops a rule that is within its instruction budget */
    f->rt->time_limit_ns = 1000000;   /* 1 ms */
    assert_int_equal(run(f, "local n = 0 for i = 1, 1e9 do n = n + 1 end return n", INT64_MAX / 2, 1 << 20), -1);
    assert_diag_contains(&f->d, "time limit");
    f->rt->time_limit_ns = 0;
}

/* tmlint's own code runs without the instruction hook; a timer stops it
 * at its deadline instead (the unit test loads text, which makes the
 * runtime count, so it says "own" by hand). */
static int run_own(fx *f, const char *code, int64_t budget)
{
    tm_rt_push_env(f->rt);
    if (tm_rt_load_buf(f->rt, code, strlen(code), "=test", "test", &f->d) != 0)
        return -1;
    assert_int_equal(f->rt->foreign, 1);   /* text that is not built in */
    f->rt->foreign = 0;
    return tm_rt_call(f->rt, 0, 1, budget, 1 << 20, "rule TEST", "model.yaml", &f->d);
}

static void test_own_code_stopped_by_timer(void **state)
{
    fx *f = *state;
    alarm(60);   /* a timer that never fires fails the test instead of hanging it */
    f->rt->time_limit_ns = 200000000;   /* 0.2 s */
    assert_int_equal(run_own(f, "while true do end", 1000), -1);
    assert_int_equal(f->rt->counting, 0);   /* no instruction hook: the budget of 1000 was not what stopped it */
    assert_diag_contains(&f->d, "time limit");
    assert_int_equal(run_own(f, "while true do pcall(function() while true do end end) end", 1000), -1);
    assert_diag_contains(&f->d, "time limit");
    /* the next call runs free: no hook left behind, no count */
    size_t nd = f->d.n;
    assert_int_equal(run_own(f, "local n = 0 for i = 1, 100000 do n = n + i end return tostring(n)", 1000), 0);
    assert_string_equal(lua_tostring(f->rt->L, -1), "5000050000");
    lua_pop(f->rt->L, 1);
    assert_int_equal(f->rt->last_work, 0);
    assert_int_equal(f->d.n, nd);
    /* the timer stays armed across calls, due by the first one's deadline:
     * firing early in a later call, it is set again for that call's own */
    f->rt->time_limit_ns = 300000000;   /* 0.3 s */
    assert_int_equal(run_own(f, "return 1", 1000), 0);
    lua_pop(f->rt->L, 1);
    usleep(150000);
    assert_int_equal(run_own(f, "while true do end", 1000), -1);
    assert_diag_contains(&f->d, "time limit");
    assert_true(f->rt->last_ns >= 280000000);   /* its own 0.3 s, not the 0.15 s left of the first's */
    f->rt->time_limit_ns = 200000000;
    /* C work is still charged to the budget */
    assert_int_equal(run_own(f, "return ('x'):rep(100000):upper()", 1000), -1);
    assert_diag_contains(&f->d, "budget");
    /* a worker of --jobs makes its own timer (POSIX timers stay with the parent) */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(20);   /* a hang fails the test instead of stalling it */
        int rc = run_own(f, "while true do end", 1000);
        _exit(rc == -1 && strstr(f->d.v[f->d.n - 1].msg, "time limit") ? 0 : 1);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* with no time limit there is no timer: the hook counts, and the budget stops it */
    f->rt->time_limit_ns = 0;
    assert_int_equal(run_own(f, "while true do end", 1000000), -1);
    assert_int_equal(f->rt->counting, 1);
    assert_diag_contains(&f->d, "budget");
    /* and when asked to count (--max-rule-instructions) */
    f->rt->time_limit_ns = 200000000;
    f->rt->count_always = 1;
    assert_int_equal(run_own(f, "while true do end", 1000000), -1);
    assert_diag_contains(&f->d, "budget");
    f->rt->count_always = 0;
    f->rt->time_limit_ns = 0;
    alarm(0);
}

static void other_handler(int sig)
{
    (void)sig;
}

/* No timer where the signal is not the runtime's to take: counted instead */
static void test_no_timer_counts(void **state)
{
    fx *f = *state;
    f->rt->time_limit_ns = 200000000;
    sigset_t block, was;
    sigemptyset(&block);
    sigaddset(&block, SIGRTMIN);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &block, &was), 0);
    assert_int_equal(run_own(f, "while true do end", 1000000), -1);
    assert_int_equal(f->rt->counting, 1);
    assert_diag_contains(&f->d, "budget");
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &was, NULL), 0);
    /* a signal handler of the host's own (in a child: it stays there) */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(20);
        tm_diags d;
        tm_diags_init(&d);
        tm_rt *rt = tm_rt_new((size_t)1 << 30, &rl, &d);
        signal(SIGRTMIN, other_handler);
        rt->time_limit_ns = 200000000;
        tm_rt_push_env(rt);
        const char *code = "while true do end";
        if (tm_rt_load_buf(rt, code, strlen(code), "=test", "test", &d) != 0)
            _exit(2);
        rt->foreign = 0;
        int rc = tm_rt_call(rt, 0, 1, 1000000, 1 << 20, "rule TEST", NULL, &d);
        _exit(rc == -1 && rt->counting == 1 && strstr(d.v[d.n - 1].msg, "budget") ? 0 : 1);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    f->rt->time_limit_ns = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_dangerous_globals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_envs_are_isolated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endless_loop_stopped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pcall_cannot_swallow_the_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_bombs_stopped, setup, teardown),
        cmocka_unit_test(test_heap_cap_named),
        cmocka_unit_test_setup_teardown(test_errors_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bytecode_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lua_patterns_guarded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catastrophic_regex_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_c_work_charged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_code_stopped_by_timer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_timer_counts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
