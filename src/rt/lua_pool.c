#include "lua_pool.h"
#include <stdint.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

#define GRAIN 16                      /* every class is a multiple of this */
#define SMALL_MAX 512                 /* larger blocks go to malloc */
#define NCLASS (SMALL_MAX / GRAIN)
#define SLAB ((size_t)256 * 1024)     /* size and alignment of a slab */
#define IDLE_FREE ((size_t)64 << 20)  /* see take() */

typedef struct slab {
    struct slab *next;
    /* blocks follow, GRAIN-aligned */
} slab;

struct tm_pool {
    void *free[NCLASS];               /* a free list per class */
    slab *slabs;
    char *cur, *end;                  /* the rest of the newest slab */
    size_t slab_bytes;                /* in all slabs */
    size_t live;                      /* of them, handed out now */
    uintptr_t *bases;                 /* set of slab addresses (open addressing) */
    size_t nbases, capbases;
    char *chunk, *chunk_end;          /* the rest of the newest huge-page chunk */
    int closing;
};

/* Under AddressSanitizer, slabs come from malloc: LeakSanitizer looks for
 * pointers in malloc's blocks but not in regions mapped by hand, and would
 * take Lua's larger blocks (malloc'd, pointed to from slabs) for leaks. */
#if defined(__SANITIZE_ADDRESS__)
#define TM_POOL_MALLOC_SLABS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TM_POOL_MALLOC_SLABS 1
#endif
#endif

#define CHUNK ((size_t)2 << 20)       /* a huge page: eight slabs */
#define HUGE_AFTER ((size_t)16 << 20) /* pool size from which slabs come in chunks */

#ifdef TM_POOL_MALLOC_SLABS
static void *map_slab(tm_pool *p)
{
    (void)p;
    return aligned_alloc(SLAB, SLAB);
}
static void unmap_slab(void *s)
{
    free(s);
}
#else
static void unmap_slab(void *s)
{
    munmap(s, SLAB);
}
/* `size` bytes aligned to their size, mapped alone: posix_memalign would
 * put malloc's header on a page of its own before each one. */
static char *map_aligned(size_t size)
{
    char *m = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    uintptr_t a = ((uintptr_t)m + size - 1) & ~(uintptr_t)(size - 1);
    size_t lead = (size_t)(a - (uintptr_t)m), trail = size - lead;
    if (lead)
        munmap(m, lead);
    if (trail)
        munmap((char *)a + size, trail);
    return (char *)a;
}

/* A slab. Once the pool holds a large model, slabs are cut from 2 MiB
 * chunks the kernel may back with huge pages: rules walk the model's
 * tables all over the heap, and with 4 KiB pages a 100,000-threat model
 * spent much of its time in TLB misses. A small run never gets there (a
 * huge page costs its whole 2 MiB to clear). A small slab is filled from
 * its start to its end anyway, so its pages are faulted in by one call
 * rather than one trap each (traps are dear on a virtual machine). */
static void *map_slab(tm_pool *p)
{
    if (p->slab_bytes < HUGE_AFTER) {
        char *s = map_aligned(SLAB);
#ifdef MADV_POPULATE_WRITE
        if (s)
            madvise(s, SLAB, MADV_POPULATE_WRITE);
#endif
        return s;
    }
    if (p->chunk == p->chunk_end) {
        char *c = map_aligned(CHUNK);
        if (!c)
            return map_aligned(SLAB);
#ifdef MADV_HUGEPAGE
        madvise(c, CHUNK, MADV_HUGEPAGE);   /* advice: without it, plain pages */
#endif
        p->chunk = c;
        p->chunk_end = c + CHUNK;
    }
    void *s = p->chunk;
    p->chunk += SLAB;
    return s;
}
#endif

static size_t class_of(size_t n)
{
    return (n + GRAIN - 1) / GRAIN - 1;
}

tm_pool *tm_pool_new(void)
{
    return calloc(1, sizeof(tm_pool));
}

static size_t slot_of(uintptr_t base, size_t cap)
{
    return (size_t)((base / SLAB) * 0x9E3779B97F4A7C15ull) & (cap - 1);
}

/* Whether block b lies in one of the pool's slabs (slabs are aligned to
 * their size, so the slab is b's address rounded down). */
static int in_pool(const tm_pool *p, const void *b)
{
    if (!p->capbases)
        return 0;
    uintptr_t base = (uintptr_t)b & ~(uintptr_t)(SLAB - 1);
    for (size_t i = slot_of(base, p->capbases);; i = (i + 1) & (p->capbases - 1)) {
        if (p->bases[i] == base)
            return 1;
        if (!p->bases[i])
            return 0;
    }
}

static int add_base(tm_pool *p, uintptr_t base)
{
    if (2 * (p->nbases + 1) > p->capbases) {
        size_t cap = p->capbases ? 2 * p->capbases : 64;
        uintptr_t *v = calloc(cap, sizeof *v);
        if (!v)
            return -1;
        for (size_t i = 0; i < p->capbases; i++)
            if (p->bases[i]) {
                size_t j = slot_of(p->bases[i], cap);
                while (v[j])
                    j = (j + 1) & (cap - 1);
                v[j] = p->bases[i];
            }
        free(p->bases);
        p->bases = v;
        p->capbases = cap;
    }
    size_t j = slot_of(base, p->capbases);
    while (p->bases[j])
        j = (j + 1) & (p->capbases - 1);
    p->bases[j] = base;
    p->nbases++;
    return 0;
}

/* A block of class c from the pool, or NULL for the caller to take one
 * from malloc. Freed blocks are reused only within their class, so a new
 * slab is refused while much of the pool lies idle in free lists (over
 * IDLE_FREE and over half of it): a rule that fills one class, frees it
 * and moves to the next would otherwise grow the process far beyond its
 * memory cap, which counts only the blocks in use. malloc reuses memory
 * across sizes. */
static void *take(tm_pool *p, size_t c)
{
    size_t sz = (c + 1) * GRAIN;
    void *b = p->free[c];
    if (b) {
        memcpy(&p->free[c], b, sizeof(void *));
        p->live += sz;
        return b;
    }
    if ((size_t)(p->end - p->cur) < sz) {
        size_t idle = p->slab_bytes - p->live;
        if (idle > IDLE_FREE && idle > p->slab_bytes / 2)
            return NULL;
        /* the rest of the old slab is left unused: at most SMALL_MAX */
        void *mem = map_slab(p);
        if (!mem)
            return NULL;
        if (add_base(p, (uintptr_t)mem) != 0) {
            unmap_slab(mem);
            return NULL;
        }
        slab *s = mem;
        s->next = p->slabs;
        p->slabs = s;
        p->slab_bytes += SLAB;
        p->cur = (char *)s + ((sizeof(slab) + GRAIN - 1) / GRAIN) * GRAIN;
        p->end = (char *)s + SLAB;
    }
    b = p->cur;
    p->cur += sz;
    p->live += sz;
    return b;
}

/* Frees block b of size n, wherever it came from. */
static void drop(tm_pool *p, void *b, size_t n)
{
    if (n > SMALL_MAX || !in_pool(p, b)) {
        free(b);
        return;
    }
    if (p->closing)
        return;   /* the slabs go at once */
    size_t c = class_of(n);
    memcpy(b, &p->free[c], sizeof(void *));
    p->free[c] = b;
    p->live -= (c + 1) * GRAIN;
}

void *tm_pool_realloc(tm_pool *p, void *ptr, size_t osize, size_t nsize)
{
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr)
            drop(p, ptr, old);
        return NULL;
    }
    int pooled = ptr && old <= SMALL_MAX && in_pool(p, ptr);
    if (ptr && !pooled)
        return realloc(ptr, nsize);   /* a block from malloc stays there */
    if (pooled && nsize <= SMALL_MAX && class_of(old) == class_of(nsize))
        return ptr;
    void *b = nsize <= SMALL_MAX ? take(p, class_of(nsize)) : NULL;
    if (!b && !(b = malloc(nsize)))
        return NULL;
    if (ptr) {
        memcpy(b, ptr, old < nsize ? old : nsize);
        drop(p, ptr, old);
    }
    return b;
}

void tm_pool_closing(tm_pool *p)
{
    p->closing = 1;
}

size_t tm_pool_footprint(const tm_pool *p)
{
    return p->slab_bytes;
}

void tm_pool_free(tm_pool *p)
{
    if (!p)
        return;
    for (slab *s = p->slabs, *n; s; s = n) {
        n = s->next;
        unmap_slab(s);
    }
#ifndef TM_POOL_MALLOC_SLABS
    if (p->chunk != p->chunk_end)
        munmap(p->chunk, (size_t)(p->chunk_end - p->chunk));   /* the chunk's slabs not yet cut */
#endif
    free(p->bases);
    free(p);
}
