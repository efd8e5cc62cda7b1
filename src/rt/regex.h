/* PCRE2 for rules: a compile cache and matching under limits, so that a
 * pathological pattern fails with an error instead of running for hours. */
#ifndef TM_REGEX_H
#define TM_REGEX_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tm_re tm_re;

typedef struct tm_re_limits {
    uint32_t match_limit;   /* backtracking steps per match */
    uint32_t depth_limit;   /* backtracking depth */
    size_t heap_limit_kib;
} tm_re_limits;

tm_re *tm_re_new(const tm_re_limits *lim);
void tm_re_free(tm_re *re);
/* Compiled pattern for (pat, flags), compiled once and cached; borrowed,
 * valid until tm_re_free. flags: letters i m s x. NULL on a bad pattern or
 * flag, with a message in err. */
const pcre2_code *tm_re_get(tm_re *re, const char *pat, size_t len, const char *flags,
                            char *err, size_t errsz);
/* Compiles a pattern the caller owns and frees with pcre2_code_free; NULL
 * with a message on a bad pattern. */
pcre2_code *tm_re_compile(const char *pat, size_t len, uint32_t opts, char *err, size_t errsz);
/* Counts one use of a pattern; on its TM_RE_JIT_AFTER-th, JIT-compiles it
 * and returns 1 (the caller may then account for the machine code). */
#define TM_RE_JIT_AFTER 16
int tm_re_use(pcre2_code *code, uint32_t *uses);
/* PCRE2 options for flag letters i m s x; -1 with a message on others. */
int tm_re_flags(const char *flags, uint32_t *opts, char *err, size_t errsz);
/* Runs a match from byte `start`. Returns >0 on a match (ovector in *ov,
 * pairs of byte offsets, borrowed until the next call), 0 for no match,
 * -3 when a match, depth or heap limit was reached, -1 on another error
 * (bad UTF-8); err says which. */
int tm_re_exec(tm_re *re, const pcre2_code *code, const char *s, size_t len, size_t start,
               PCRE2_SIZE **ov, char *err, size_t errsz);
/* What any subject a pattern matches must have, found once for a pattern
 * tried against many texts (tm.scan): at least min_len bytes (PCRE2's
 * least length counts characters, and a character is a byte or more), and
 * the code unit `unit` unless it is -1. tm_re_may_match is then a cheap
 * first test: 0 means no match is possible. */
typedef struct tm_re_need {
    size_t min_len;
    int unit;
} tm_re_need;
void tm_re_need_of(const pcre2_code *code, tm_re_need *out);
int tm_re_may_match(const tm_re_need *need, const char *s, size_t len);
/* The same for a subject the caller has checked to be well-formed UTF-8
 * (see tm_utf8_valid): PCRE2 does not check it again. */
int tm_re_exec_valid(tm_re *re, const pcre2_code *code, const char *s, size_t len, size_t start,
                     PCRE2_SIZE **ov, char *err, size_t errsz);
/* Replaces every match with `rep` ($1, ${name} refer to groups) into buf
 * (*outlen bytes of room in, bytes written out). Returns the number of
 * replacements; -2 when buf is too small (*outlen is then the size
 * needed); -3 at a limit, -1 on another error, with err set. */
int tm_re_substitute(tm_re *re, const pcre2_code *code, const char *s, size_t len,
                     const char *rep, size_t replen, char *buf, size_t *outlen,
                     char *err, size_t errsz);

#endif
