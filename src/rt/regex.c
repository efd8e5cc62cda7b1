#include "regex.h"
#include "bytecode.h"
#include "re_syntax.h"
#include "buf.h"
#include "utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAX 512   /* a rule building patterns in a loop must not grow us without end */

typedef struct entry {
    char *key;          /* flags '\0' pattern */
    size_t keylen;
    pcre2_code *code;
    uint32_t uses;
} entry;

struct tm_re {
    entry *tab;         /* open addressing, power-of-two capacity */
    size_t n, cap;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    pcre2_jit_stack *jit_stack;
};

static uint64_t hash_more(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static uint64_t hash(const char *s, size_t n)
{
    return hash_more(1469598103934665603ull, s, n);
}

tm_re *tm_re_new(const tm_re_limits *lim)
{
    tm_re *re = tm_xcalloc(1, sizeof *re);
    re->cap = 1024;
    re->tab = tm_xcalloc(re->cap, sizeof *re->tab);
    re->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(re->mctx, lim->match_limit);
    pcre2_set_depth_limit(re->mctx, lim->depth_limit);
    pcre2_set_heap_limit(re->mctx, (uint32_t)lim->heap_limit_kib);
    re->md = pcre2_match_data_create(32, NULL);
    /* the JIT honours the match limit; its stack bounds the depth */
    re->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (re->jit_stack)
        pcre2_jit_stack_assign(re->mctx, NULL, re->jit_stack);
    if (!re->mctx || !re->md) {
        fprintf(stderr, "tmlint: fatal: out of memory in PCRE2\n");
        abort();
    }
    return re;
}

static void clear(tm_re *re)
{
    for (size_t i = 0; i < re->cap; i++) {
        free(re->tab[i].key);
        pcre2_code_free(re->tab[i].code);
        re->tab[i].key = NULL;
        re->tab[i].code = NULL;
        re->tab[i].uses = 0;
    }
    re->n = 0;
}

void tm_re_free(tm_re *re)
{
    if (!re)
        return;
    clear(re);
    free(re->tab);
    pcre2_match_context_free(re->mctx);
    pcre2_match_data_free(re->md);
    pcre2_jit_stack_free(re->jit_stack);
    free(re);
}

pcre2_code *tm_re_compile(const char *pat, size_t len, uint32_t opts, char *err, size_t errsz)
{
    int ec;
    PCRE2_SIZE eo;
    tm_buf a;
    tm_buf_init(&a);
    tm_re_ascii_digits(&a, pat, len);
    /* a built-in file's pattern was compiled at build time; its serialised
     * form decodes in a fraction of the time (TMLINT_NO_BYTECODE: not used) */
    pcre2_code *code = getenv("TMLINT_NO_BYTECODE") ? NULL : tm_bytecode_pattern(opts, a.p ? a.p : "", a.len);
    if (!code)
        code = pcre2_compile((PCRE2_SPTR)(a.p ? a.p : ""), a.len, opts, &ec, &eo, NULL);
    tm_buf_free(&a);
    if (!code) {
        /* the error's offset is in the pattern as written */
        pcre2_code *orig = pcre2_compile((PCRE2_SPTR)pat, len, opts, &ec, &eo, NULL);
        if (orig) {   /* only the rewrite failed: cannot happen, but say where */
            pcre2_code_free(orig);
            eo = 0;
        }
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(err, errsz, "bad regex at offset %zu: %s", (size_t)eo, (char *)msg);
        return NULL;
    }
    return code;
}

int tm_re_use(pcre2_code *code, uint32_t *uses)
{
    /* machine code where PCRE2 has a JIT, but only for a pattern used a
     * few times: compiling it costs more than a handful of matches */
    if (*uses < TM_RE_JIT_AFTER && ++*uses == TM_RE_JIT_AFTER) {
        /* TMLINT_NO_JIT: the JIT's searches read a few bytes past the end
         * of a subject (never past a page), which valgrind's memcheck
         * reports; the memcheck run in CI sets it */
        const char *off = getenv("TMLINT_NO_JIT");
        if (off && *off)
            return 0;
        (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
        return 1;
    }
    return 0;
}

int tm_re_flags(const char *flags, uint32_t *opts, char *err, size_t errsz)
{
    return tm_re_parse_flags(flags, opts, err, errsz);
}

const pcre2_code *tm_re_get(tm_re *re, const char *pat, size_t len, const char *flags,
                            char *err, size_t errsz)
{
    uint32_t opts;
    if (tm_re_parse_flags(flags, &opts, err, errsz) != 0)
        return NULL;
    /* the key is flags, NUL, pattern: looked up without building it, as a
     * rule's re.test(s, "[a-z]") comes here on every call */
    const char *fl = flags ? flags : "";
    size_t flen = strlen(fl), klen = flen + 1 + len;
    uint64_t h = hash_more(hash_more(hash(fl, flen), "", 1), pat, len);
    size_t i = h & (re->cap - 1);
    while (re->tab[i].key) {
        const char *key = re->tab[i].key;
        if (re->tab[i].keylen == klen && memcmp(key, fl, flen) == 0 && key[flen] == '\0' &&
            memcmp(key + flen + 1, pat, len) == 0) {
            tm_re_use(re->tab[i].code, &re->tab[i].uses);
            return re->tab[i].code;
        }
        i = (i + 1) & (re->cap - 1);
    }
    tm_buf k;
    tm_buf_init(&k);
    tm_buf_add(&k, fl, flen);
    tm_buf_addc(&k, '\0');
    tm_buf_add(&k, pat, len);
    pcre2_code *code = tm_re_compile(pat, len, opts, err, errsz);
    if (!code) {
        tm_buf_free(&k);
        return NULL;
    }
    if (re->n >= CACHE_MAX) {
        clear(re);
        i = h & (re->cap - 1);
    }
    re->tab[i].keylen = k.len;
    re->tab[i].key = tm_buf_detach(&k);
    re->tab[i].code = code;
    re->tab[i].uses = 1;
    re->n++;
    return code;
}

static int limit_hit(int rc)
{
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
           rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

static void exec_error(int rc, char *err, size_t errsz)
{
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    if (limit_hit(rc))
        snprintf(err, errsz, "regex gave up (%s): the pattern backtracks too much", (char *)msg);
    else
        snprintf(err, errsz, "regex match failed: %s", (char *)msg);
}

/* Whether the subject lacks a code unit every match must hold: PCRE2
 * knows it too, but asking it costs a call into the matcher, and most
 * texts tried against a pattern are not matches. Only a unit with no
 * other case is looked for (a letter may match either case). */
static int required_unit(const pcre2_code *code)
{
    uint32_t type = 0, unit = 0;
    if (pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &type) != 0 || type != 1)
        return -1;
    pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &unit);
    if (unit >= 128 || (unit >= 'a' && unit <= 'z') || (unit >= 'A' && unit <= 'Z'))
        return -1;
    return (int)unit;
}

static int lacks_required(const pcre2_code *code, const char *s, size_t len, size_t start)
{
    int unit = required_unit(code);
    return unit >= 0 && memchr(s + start, unit, len - start) == NULL;
}

void tm_re_need_of(const pcre2_code *code, tm_re_need *out)
{
    uint32_t min = 0;
    if (pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &min) != 0)
        min = 0;
    out->min_len = min;
    out->unit = required_unit(code);
}

int tm_re_may_match(const tm_re_need *need, const char *s, size_t len)
{
    if (len < need->min_len)
        return 0;
    return need->unit < 0 || memchr(s, need->unit, len) != NULL;
}

/* subjects longer than this are matched by the interpreter (see exec) */
#define TM_RE_JIT_MAX_SUBJECT ((size_t)4096)

static int exec(tm_re *re, const pcre2_code *code, const char *s, size_t len, size_t start,
                uint32_t opts, PCRE2_SIZE **ov, char *err, size_t errsz)
{
    if (start > len)
        return 0;
    if ((opts & PCRE2_NO_UTF_CHECK) && lacks_required(code, s, len, start))
        return 0;
    /* the JIT counts its match limit in a coarser way than the
     * interpreter: a bounded repeat that backtracks at every start (a{1,4000}b
     * on a long run of a) went on for seconds in one call. On long
     * subjects the interpreter's limit bounds the call */
    if (len - start > TM_RE_JIT_MAX_SUBJECT)
        opts |= PCRE2_NO_JIT;
    int rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, opts, re->md, re->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        exec_error(rc, err, errsz);
        return limit_hit(rc) ? -3 : -1;
    }
    *ov = pcre2_get_ovector_pointer(re->md);
    return rc == 0 ? 1 : rc;
}

int tm_re_exec(tm_re *re, const pcre2_code *code, const char *s, size_t len, size_t start,
               PCRE2_SIZE **ov, char *err, size_t errsz)
{
    /* checked here once, so that the required unit can be looked for; a
     * subject or start that is not well-formed goes to PCRE2 as it is, for
     * its own error */
    if (start <= len && (start == len || ((unsigned char)s[start] & 0xC0) != 0x80) &&
        tm_utf8_valid(s, len))
        return exec(re, code, s, len, start, PCRE2_NO_UTF_CHECK, ov, err, errsz);
    return exec(re, code, s, len, start, 0, ov, err, errsz);
}

int tm_re_exec_valid(tm_re *re, const pcre2_code *code, const char *s, size_t len, size_t start,
                     PCRE2_SIZE **ov, char *err, size_t errsz)
{
    return exec(re, code, s, len, start, PCRE2_NO_UTF_CHECK, ov, err, errsz);
}

int tm_re_substitute(tm_re *re, const pcre2_code *code, const char *s, size_t len,
                     const char *rep, size_t replen, char *buf, size_t *outlen,
                     char *err, size_t errsz)
{
    PCRE2_SIZE olen = *outlen;
    int rc = pcre2_substitute(code, (PCRE2_SPTR)s, len, 0,
                              PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
                                  (len > TM_RE_JIT_MAX_SUBJECT ? PCRE2_NO_JIT : 0),
                              re->md, re->mctx, (PCRE2_SPTR)rep, replen, (PCRE2_UCHAR *)buf, &olen);
    *outlen = olen;
    if (rc == PCRE2_ERROR_NOMEMORY)
        return -2;
    if (rc < 0) {
        exec_error(rc, err, errsz);
        return limit_hit(rc) ? -3 : -1;
    }
    return rc;
}
