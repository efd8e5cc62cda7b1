#include "lua_pool.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GRAIN 16                      /* every class is a multiple of this */
#define SMALL_MAX 512                 /* larger blocks go to malloc */
#define NCLASS (SMALL_MAX / GRAIN)
#define SLAB (256 * 1024)

typedef struct slab {
    struct slab *next;
    /* blocks follow, GRAIN-aligned */
} slab;

struct tm_pool {
    void *free[NCLASS];               /* a free list per class */
    slab *slabs;
    char *cur, *end;                  /* the rest of the newest slab */
    int closing;
};

static size_t class_of(size_t n)
{
    return (n + GRAIN - 1) / GRAIN - 1;
}

tm_pool *tm_pool_new(void)
{
    return calloc(1, sizeof(tm_pool));
}

static void *take(tm_pool *p, size_t c)
{
    void *b = p->free[c];
    if (b) {
        memcpy(&p->free[c], b, sizeof(void *));
        return b;
    }
    size_t sz = (c + 1) * GRAIN;
    if ((size_t)(p->end - p->cur) < sz) {
        /* the rest of the old slab is left unused: at most SMALL_MAX */
        slab *s = malloc(SLAB);
        if (!s)
            return NULL;
        s->next = p->slabs;
        p->slabs = s;
        p->cur = (char *)s + ((sizeof(slab) + GRAIN - 1) / GRAIN) * GRAIN;
        p->end = (char *)s + SLAB;
    }
    b = p->cur;
    p->cur += sz;
    return b;
}

static void give(tm_pool *p, void *b, size_t c)
{
    if (p->closing)
        return;
    memcpy(b, &p->free[c], sizeof(void *));
    p->free[c] = b;
}

void *tm_pool_realloc(tm_pool *p, void *ptr, size_t osize, size_t nsize)
{
    size_t old = ptr ? osize : 0;
    int old_small = ptr && old <= SMALL_MAX;
    if (nsize == 0) {
        if (old_small)
            give(p, ptr, class_of(old));
        else
            free(ptr);
        return NULL;
    }
    if (nsize <= SMALL_MAX) {
        if (old_small && class_of(old) == class_of(nsize))
            return ptr;
        void *b = take(p, class_of(nsize));
        if (!b)
            return NULL;
        if (ptr) {
            memcpy(b, ptr, old < nsize ? old : nsize);
            if (old_small)
                give(p, ptr, class_of(old));
            else
                free(ptr);
        }
        return b;
    }
    if (!ptr || !old_small)
        return realloc(ptr, nsize);
    void *b = malloc(nsize);
    if (!b)
        return NULL;
    memcpy(b, ptr, old);
    give(p, ptr, class_of(old));
    return b;
}

void tm_pool_closing(tm_pool *p)
{
    p->closing = 1;
}

void tm_pool_free(tm_pool *p)
{
    if (!p)
        return;
    for (slab *s = p->slabs, *n; s; s = n) {
        n = s->next;
        free(s);
    }
    free(p);
}
