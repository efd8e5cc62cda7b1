/* Lua's block pool: blocks keep their bytes across resizes between and
 * within size classes, freed blocks are used again, large blocks go to
 * malloc, and a pool in its closing phase still hands out blocks. */
#include "test_util.h"
#include "lua_pool.h"
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i);
}

static int same(const unsigned char *p, size_t n, unsigned char seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i))
            return 0;
    return 1;
}

static void test_resize_keeps_bytes(void **state)
{
    (void)state;
    tm_pool *p = tm_pool_new();
    assert_non_null(p);
    /* small -> same class, small -> bigger class, small -> large, large ->
     * small: the common prefix survives each move */
    size_t steps[] = {1, 7, 16, 17, 100, 512, 513, 4000, 300, 24, 0};
    unsigned char *b = NULL;
    size_t had = 0;
    for (int i = 0; steps[i]; i++) {
        unsigned char *nb = tm_pool_realloc(p, b, had, steps[i]);
        assert_non_null(nb);
        assert_int_equal((uintptr_t)nb % 16, 0);
        if (b)
            assert_true(same(nb, had < steps[i] ? had : steps[i], 3));
        fill(nb, steps[i], 3);
        b = nb, had = steps[i];
    }
    assert_null(tm_pool_realloc(p, b, had, 0));
    tm_pool_free(p);
}

static void test_same_class_in_place(void **state)
{
    (void)state;
    tm_pool *p = tm_pool_new();
    void *a = tm_pool_realloc(p, NULL, 0, 20);
    assert_ptr_equal(tm_pool_realloc(p, a, 20, 32), a);
    assert_ptr_equal(tm_pool_realloc(p, a, 32, 17), a);
    tm_pool_realloc(p, a, 17, 0);
    /* a freed block of the class is the next one handed out */
    assert_ptr_equal(tm_pool_realloc(p, NULL, 0, 30), a);
    tm_pool_free(p);
}

static void test_many_blocks_distinct(void **state)
{
    (void)state;
    tm_pool *p = tm_pool_new();
    enum { N = 40000 };   /* several slabs */
    unsigned char **v = calloc(N, sizeof *v);
    for (int i = 0; i < N; i++) {
        size_t n = 1 + (size_t)(i % 600);   /* small and large alike */
        v[i] = tm_pool_realloc(p, NULL, 0, n);
        assert_non_null(v[i]);
        fill(v[i], n, (unsigned char)i);
    }
    for (int i = 0; i < N; i++)
        assert_true(same(v[i], 1 + (size_t)(i % 600), (unsigned char)i));
    for (int i = 0; i < N; i += 2)
        tm_pool_realloc(p, v[i], 1 + (size_t)(i % 600), 0);
    tm_pool_closing(p);
    /* closing: frees are dropped, allocations still work */
    for (int i = 1; i < N; i += 2)
        tm_pool_realloc(p, v[i], 1 + (size_t)(i % 600), 0);
    void *late = tm_pool_realloc(p, NULL, 0, 64);
    assert_non_null(late);
    tm_pool_realloc(p, late, 64, 0);
    free(v);
    tm_pool_free(p);   /* valgrind and ASan see that nothing is left */
}

/* Filling one size, freeing it all and moving to the next size must not
 * grow the pool by a slab set per size: the memory cap counts only blocks
 * in use, so the idle free lists are bounded, and the blocks the pool
 * refuses come from malloc (and are freed there, here and at the end). */
static void test_idle_bound(void **state)
{
    (void)state;
    tm_pool *p = tm_pool_new();
    enum { N = 300000 };   /* 300,000 blocks of 256 bytes: over 64 MiB each round */
    void **v = calloc(N, sizeof *v);
    for (size_t size = 256; size <= 512; size += 16) {
        for (int i = 0; i < N; i++) {
            v[i] = tm_pool_realloc(p, NULL, 0, size);
            assert_non_null(v[i]);
            memset(v[i], (int)size, size);
        }
        for (int i = 0; i < N; i++)
            tm_pool_realloc(p, v[i], size, 0);
    }
    /* without the bound: 17 rounds of over 73 MiB each */
    assert_true(tm_pool_footprint(p) < (size_t)200 << 20);
    /* a refused block (from malloc) resized and freed like any other */
    void *a = tm_pool_realloc(p, NULL, 0, 40);
    a = tm_pool_realloc(p, a, 40, 300);
    a = tm_pool_realloc(p, a, 300, 4000);
    a = tm_pool_realloc(p, a, 4000, 24);
    tm_pool_realloc(p, a, 24, 0);
    free(v);
    tm_pool_free(p);
}

static void *pool_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    return tm_pool_realloc(ud, ptr, osize, nsize);
}

/* a whole Lua state on the pool: tables, strings, a full collection */
static void test_lua_state(void **state)
{
    (void)state;
    tm_pool *p = tm_pool_new();
    lua_State *L = lua_newstate(pool_alloc, p);
    assert_non_null(L);
    luaL_openlibs(L);
    const char *code =
        "local t = {} for i = 1, 50000 do t[i] = { id = 'T' .. i, n = i } end "
        "for i = 1, 50000, 3 do t[i] = nil end collectgarbage() "
        "local s = 0 for i = 2, 50000, 3 do s = s + t[i].n end return s";
    assert_int_equal(luaL_dostring(L, code), LUA_OK);
    assert_int_equal(lua_tointeger(L, -1), 416691667);
    tm_pool_closing(p);
    lua_close(L);
    tm_pool_free(p);
}

/* Past 16 MiB slabs are cut from 2 MiB chunks: a block from such a slab
 * is known as the pool's (freed to its class and handed out again, never
 * to free()), and the pool frees with the chunk only partly cut. */
static void test_large_pool_chunks(void **state)
{
    (void)state;
    tm_pool *p = tm_pool_new();
    enum { N = 24 * 16384 };   /* 24 MiB of 64-byte blocks */
    void **v = calloc(N, sizeof *v);
    for (int i = 0; i < N; i++) {
        v[i] = tm_pool_realloc(p, NULL, 0, 64);
        assert_non_null(v[i]);
        memset(v[i], i & 0xff, 64);
    }
    assert_true(tm_pool_footprint(p) >= (size_t)24 << 20);
    void *last = v[N - 1];
    tm_pool_realloc(p, last, 64, 0);
    assert_ptr_equal(tm_pool_realloc(p, NULL, 0, 60), last);
    /* a resize within the class stays in place in a chunk's slab too */
    assert_ptr_equal(tm_pool_realloc(p, last, 60, 49), last);
    for (int i = 0; i < N; i++)
        tm_pool_realloc(p, v[i], i == N - 1 ? 49 : 64, 0);
    free(v);
    tm_pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resize_keeps_bytes),
        cmocka_unit_test(test_same_class_in_place),
        cmocka_unit_test(test_many_blocks_distinct),
        cmocka_unit_test(test_idle_bound),
        cmocka_unit_test(test_large_pool_chunks),
        cmocka_unit_test(test_lua_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
