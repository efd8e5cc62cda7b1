/* A hash map from strings (copied, owned) to pointers: the per-directory
 * lookups of a walk stay linear however many directories there are. */
#ifndef TM_STRMAP_H
#define TM_STRMAP_H
#include <stddef.h>

typedef struct tm_strmap {
    char **keys;
    void **vals;
    size_t cap, n;
} tm_strmap;

void tm_strmap_init(tm_strmap *m);
void tm_strmap_free(tm_strmap *m);
/* The slot holding key's value, or NULL when key is absent. */
void **tm_strmap_get(const tm_strmap *m, const char *key);
/* Sets key to val; returns 1 when key was new, 0 when it was replaced. */
int tm_strmap_put(tm_strmap *m, const char *key, void *val);

#endif
