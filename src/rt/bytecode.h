/* Bytecode of the built-in rules, adapters and helper libraries, compiled
 * at build time (tools/gen_bytecode.c) to spare each run the compiling. */
#ifndef TM_BYTECODE_H
#define TM_BYTECODE_H
#include <stddef.h>

typedef struct tm_bytecode {
    const char *chunk;          /* e.g. "@rules/TM310.lua" */
    const char *src;            /* the exact source it was compiled from */
    size_t src_len;
    const char *code;
    size_t code_len;
} tm_bytecode;

/* Ends with an entry whose chunk is NULL. */
extern const tm_bytecode tm_builtin_bytecode[];

/* The entry for this chunk name and exactly this source, or NULL. */
const tm_bytecode *tm_bytecode_find(const char *chunk, const char *src, size_t len);

#endif
