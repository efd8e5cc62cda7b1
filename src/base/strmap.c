#include "strmap.h"
#include "buf.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void tm_strmap_init(tm_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void tm_strmap_free(tm_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Open addressing with linear probing; cap is a power of two, at most
 * half full, so a probe always ends at an empty slot. */
static size_t slot(const tm_strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key))
        i = (i + 1) & (m->cap - 1);
    return i;
}

void **tm_strmap_get(const tm_strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

static void grow(tm_strmap *m)
{
    tm_strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = tm_xcalloc(m->cap, sizeof *m->keys);
    m->vals = tm_xcalloc(m->cap, sizeof *m->vals);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
        }
    free(old.keys);
    free(old.vals);
}

int tm_strmap_put(tm_strmap *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    size_t i = slot(m, key);
    int fresh = !m->keys[i];
    if (fresh) {
        m->keys[i] = tm_xstrdup(key);
        m->n++;
    }
    m->vals[i] = val;
    return fresh;
}
