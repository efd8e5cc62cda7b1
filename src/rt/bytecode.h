/* Bytecode of the built-in rules, adapters and helper libraries, compiled
 * at build time (tools/gen_bytecode.c) to spare each run the compiling. */
#ifndef TM_BYTECODE_H
#define TM_BYTECODE_H
#include <stddef.h>
#include <stdint.h>

/* What tmlint reads of a built-in rule's table (src/core/rules.c), as the
 * build found it: lists end with NULL; level is its text. */
typedef struct tm_rule_manifest {
    const char *id, *name, *summary, *help, *message, *level;
    const char *const *meta, *const *needs;
    int reads_ci;
} tm_rule_manifest;

typedef struct tm_bytecode {
    const char *chunk;          /* e.g. "@rules/TM310.lua" */
    const char *src;            /* the exact source it was compiled from */
    size_t src_len;
    const char *code;
    size_t code_len;
    const tm_rule_manifest *rule;   /* a rule's, or NULL: loaded when read */
} tm_bytecode;

/* Ends with an entry whose chunk is NULL. */
extern const tm_bytecode tm_builtin_bytecode[];

/* A pattern a built-in file compiles with re.compile, compiled at build
 * time and serialised by PCRE2: its options, its text as PCRE2 got it
 * (after tm_re_ascii_digits), and the serialised code. */
typedef struct tm_re_prebuilt {
    uint32_t opts;
    const char *pat;
    size_t len;
    const unsigned char *code;
    size_t size;
} tm_re_prebuilt;

/* Ends with an entry whose pat is NULL. */
extern const tm_re_prebuilt tm_builtin_patterns[];

/* The entry for this chunk name and exactly this source, or NULL. */
const tm_bytecode *tm_bytecode_find(const char *chunk, const char *src, size_t len);
/* The entry for this chunk name, whatever its source, or NULL. */
const tm_bytecode *tm_bytecode_named(const char *chunk);
/* Whether a built-in rule has this id and name: tmlint's docs have its
 * page (docs/rules/ID-name.md); a team's rule has none to link to. */
int tm_bytecode_documented(const char *id, const char *name);
/* The build's compiled form of this pattern (text as PCRE2 gets it, and
 * options), decoded for the caller to own, or NULL when the build has none
 * or this PCRE2 cannot read it (another version): the caller compiles. */
struct pcre2_real_code_8;
struct pcre2_real_code_8 *tm_bytecode_pattern(uint32_t opts, const char *pat, size_t len);

#endif
