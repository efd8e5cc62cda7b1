#include "bytecode.h"
#include <string.h>

const tm_bytecode *tm_bytecode_find(const char *chunk, const char *src, size_t len)
{
    for (const tm_bytecode *b = tm_builtin_bytecode; b->chunk; b++)
        if (!strcmp(b->chunk, chunk))
            return b->src_len == len && !memcmp(b->src, src, len) ? b : NULL;
    return NULL;
}
