#include "bytecode.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

const tm_bytecode *tm_bytecode_find(const char *chunk, const char *src, size_t len)
{
    for (const tm_bytecode *b = tm_builtin_bytecode; b->chunk; b++)
        if (!strcmp(b->chunk, chunk))
            return b->src_len == len && !memcmp(b->src, src, len) ? b : NULL;
    return NULL;
}

const tm_bytecode *tm_bytecode_named(const char *chunk)
{
    for (const tm_bytecode *b = tm_builtin_bytecode; b->chunk; b++)
        if (!strcmp(b->chunk, chunk))
            return b;
    return NULL;
}

pcre2_code *tm_bytecode_pattern(uint32_t opts, const char *pat, size_t len)
{
    /* a run compiles a few dozen patterns at most: a scan is enough */
    for (const tm_re_prebuilt *p = tm_builtin_patterns; p->pat; p++) {
        if (p->opts != opts || p->len != len || memcmp(p->pat, pat, len) != 0)
            continue;
        pcre2_code *code = NULL;
        return pcre2_serialize_decode(&code, 1, p->code, NULL) == 1 ? code : NULL;
    }
    return NULL;
}

int tm_bytecode_documented(const char *id, const char *name)
{
    for (const tm_bytecode *bc = tm_builtin_bytecode; bc->chunk; bc++)
        if (bc->rule && !strcmp(bc->rule->id, id) && !strcmp(bc->rule->name, name))
            return 1;
    return 0;
}
