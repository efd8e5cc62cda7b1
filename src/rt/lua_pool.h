#ifndef TM_LUA_POOL_H
#define TM_LUA_POOL_H
#include <stddef.h>

/* Blocks for one Lua state. Lua makes millions of small blocks (a table,
 * its slots, a string) while it holds a model, and frees them all at the
 * end: carved from large slabs, they sit close together and cost no
 * malloc bookkeeping, and freeing them all is freeing the slabs. While
 * much of the pool lies idle in one size's free list, blocks of other
 * sizes come from malloc instead (see take() in lua_pool.c). */
typedef struct tm_pool tm_pool;

tm_pool *tm_pool_new(void);
/* Lua's allocator contract: a new block (ptr NULL), a resize or, with
 * nsize 0, a free; osize is the block's size when ptr is not NULL. */
void *tm_pool_realloc(tm_pool *p, void *ptr, size_t osize, size_t nsize);
/* From now on frees of small blocks do nothing: tm_pool_free releases
 * them all at once (for lua_close, which frees every object in turn). */
void tm_pool_closing(tm_pool *p);
/* Bytes in slabs (for tests: the pool stays near what Lua holds). */
size_t tm_pool_footprint(const tm_pool *p);
void tm_pool_free(tm_pool *p);

#endif
