/* PCRE2 wrapper: matching, the cache, and a catastrophic pattern that must
 * fail quickly instead of hanging. */
#include "test_util.h"
#include "regex.h"
#include "bytecode.h"
#include "re_syntax.h"
#include <stdlib.h>
#include <string.h>

static const tm_re_limits lim = {1000000, 10000, 64 * 1024};

static void test_match(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256];
    const pcre2_code *c = tm_re_get(re, "T(\\d+)", 6, "", err, sizeof err);
    assert_non_null(c);
    assert_ptr_equal(c, tm_re_get(re, "T(\\d+)", 6, "", err, sizeof err));   /* cached */
    assert_ptr_not_equal(c, tm_re_get(re, "T(\\d+)", 6, "i", err, sizeof err));
    PCRE2_SIZE *ov;
    assert_int_equal(tm_re_exec(re, c, "id T42 x", 8, 0, &ov, err, sizeof err), 2);
    assert_int_equal(ov[0], 3);
    assert_int_equal(ov[3], 6);
    assert_int_equal(tm_re_exec(re, c, "none", 4, 0, &ov, err, sizeof err), 0);
    tm_re_free(re);
}

/* A subject without the code unit every match needs is passed over
 * before PCRE2 runs; the answers are PCRE2's own in every case: the unit
 * found after the start, a letter in either case, a malformed subject or
 * a start inside a character still an error. */
static void test_required_unit(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256];
    PCRE2_SIZE *ov;
    const pcre2_code *c = tm_re_get(re, "(?:token|key)\\s*:", 17, "i", err, sizeof err);
    assert_non_null(c);
    assert_int_equal(tm_re_exec(re, c, "the API key is kept elsewhere", 29, 0, &ov, err, sizeof err), 0);
    assert_int_equal(tm_re_exec(re, c, "the API KEY : x", 15, 0, &ov, err, sizeof err), 1);
    assert_int_equal(ov[0], 8);
    assert_int_equal(tm_re_exec_valid(re, c, "token: x", 8, 0, &ov, err, sizeof err), 1);
    assert_int_equal(tm_re_exec_valid(re, c, "token x", 7, 0, &ov, err, sizeof err), 0);
    /* the unit before the start does not count */
    assert_int_equal(tm_re_exec(re, c, "key: then token", 15, 4, &ov, err, sizeof err), 0);
    /* a required letter: either case matches */
    const pcre2_code *z = tm_re_get(re, "ab+Z", 4, "i", err, sizeof err);
    assert_int_equal(tm_re_exec(re, z, "xABBz", 5, 0, &ov, err, sizeof err), 1);
    /* malformed UTF-8, with or without the unit: PCRE2's error, as before */
    assert_int_equal(tm_re_exec(re, c, "key \xFF", 5, 0, &ov, err, sizeof err), -1);
    assert_int_equal(tm_re_exec(re, c, "key \xFF:", 6, 0, &ov, err, sizeof err), -1);
    /* a start inside a character */
    assert_int_equal(tm_re_exec(re, c, "caf\xC3\xA9 key:", 10, 4, &ov, err, sizeof err), -1);
    assert_int_equal(tm_re_exec(re, c, "caf\xC3\xA9 key:", 10, 5, &ov, err, sizeof err), 1);
    tm_re_free(re);
}

/* tm.scan's first test (tm_re_may_match) never says no where PCRE2 would
 * match: too short in bytes (a character is a byte or more), or without
 * the required unit. Checked against PCRE2 on short subjects. */
static void test_may_match(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256];
    static const char *const pats[] = {"pass\\s*=", "(?i)token:", "\u00e9{3}", "^(?:pwd|secret)$", "a|b=", "x?"};
    static const char *const subs[] = {"password", "pass = x", "pass=", "TOKEN: 1", "token", "\xC3\xA9\xC3\xA9",
                                       "\xC3\xA9\xC3\xA9\xC3\xA9", "pwd", "secret", "b=", "a", "", "zz"};
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        const pcre2_code *c = tm_re_get(re, pats[i], strlen(pats[i]), "", err, sizeof err);
        assert_non_null(c);
        tm_re_need need;
        tm_re_need_of(c, &need);
        for (size_t j = 0; j < sizeof subs / sizeof *subs; j++) {
            PCRE2_SIZE *ov;
            int m = tm_re_exec(re, c, subs[j], strlen(subs[j]), 0, &ov, err, sizeof err);
            if (m > 0 && !tm_re_may_match(&need, subs[j], strlen(subs[j])))
                fail_msg("'%s' matches '%s', but may_match said no", pats[i], subs[j]);
        }
    }
    const pcre2_code *c = tm_re_get(re, "pass\\s*=", 8, "", err, sizeof err);
    tm_re_need need;
    tm_re_need_of(c, &need);
    assert_int_equal(need.unit, '=');
    assert_int_equal(need.min_len, 5);
    assert_false(tm_re_may_match(&need, "password", 8));   /* no '=' */
    assert_false(tm_re_may_match(&need, "p=", 2));         /* too short */
    assert_true(tm_re_may_match(&need, "pass = x", 8));
    tm_re_free(re);
}

static void test_utf8_classes(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256];
    const pcre2_code *c = tm_re_get(re, "^\\w+$", 5, "", err, sizeof err);
    PCRE2_SIZE *ov;
    assert_int_equal(tm_re_exec(re, c, "caf\xC3\xA9", 5, 0, &ov, err, sizeof err), 1);
    tm_re_free(re);
}

/* \d is ASCII 0-9, in and out of classes; escapes and \Q..\E untouched */
static void test_ascii_digits(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256];
    PCRE2_SIZE *ov;
    const char *arabic = "\xD9\xA2\xD9\xA0";   /* two Arabic-Indic digits */
    const char *pats[] = {"^\\d+$", "^[\\d]+$", "^\\D+$"};
    int want[] = {0, 0, 1};
    for (int i = 0; i < 3; i++) {
        const pcre2_code *c = tm_re_get(re, pats[i], strlen(pats[i]), "", err, sizeof err);
        assert_non_null(c);
        assert_int_equal(tm_re_exec(re, c, arabic, strlen(arabic), 0, &ov, err, sizeof err), want[i]);
        assert_int_equal(tm_re_exec(re, c, "2026", 4, 0, &ov, err, sizeof err), !want[i]);
    }
    const char *lit = "^\\\\d\\Q\\d\\E$";   /* a backslash and d, then \d quoted */
    const pcre2_code *c = tm_re_get(re, lit, strlen(lit), "", err, sizeof err);
    assert_non_null(c);
    assert_int_equal(tm_re_exec(re, c, "\\d\\d", 4, 0, &ov, err, sizeof err), 1);
    assert_null(tm_re_get(re, "\\d(", 3, "", err, sizeof err));
    assert_non_null(strstr(err, "offset 3"));   /* the offset in the pattern as written */
    tm_re_free(re);
    /* the text PCRE2 gets: copied whole when nothing is rewritten */
    const char *in[] = {"", "^abc$", "\\w+\\.", "\\\\d", "a\\", "x\\d", "[\\d]\\D", "[\\D]", "\\Q\\d\\E"};
    const char *out[] = {"", "^abc$", "\\w+\\.", "\\\\d", "a\\", "x[0-9]", "[0-9][^0-9]", "[\\D]", "\\Q\\d\\E"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        tm_buf b;
        tm_buf_init(&b);
        tm_re_ascii_digits(&b, in[i], strlen(in[i]));
        assert_int_equal(b.len, strlen(out[i]));
        assert_memory_equal(b.len ? b.p : "", out[i], b.len);
        tm_buf_free(&b);
    }
}


/* The built-in files' patterns come compiled by the build: each one the
 * build wrote decodes, and finds what the same pattern compiled now finds */
static void test_prebuilt(void **state)
{
    (void)state;
    static const char *const subjects[] = {"", "TODO", "n/a", "password: hunter2x", "https://user:pw@host/x",
                                           "attacker replays the session token", "api-gateway", "2026-10-05",
                                           "Enforce tenant check on interface 3", "\xc3\xa9t\xc3\xa9 \xe2\x80\x94 tbd"};
    size_t n = 0;
    for (const tm_re_prebuilt *p = tm_builtin_patterns; p->pat; p++, n++) {
        pcre2_code *dec = tm_bytecode_pattern(p->opts, p->pat, p->len);
        assert_non_null(dec);
        int ec;
        PCRE2_SIZE eo;
        pcre2_code *com = pcre2_compile((PCRE2_SPTR)p->pat, p->len, p->opts, &ec, &eo, NULL);
        assert_non_null(com);
        pcre2_match_data *m1 = pcre2_match_data_create_from_pattern(dec, NULL);
        pcre2_match_data *m2 = pcre2_match_data_create_from_pattern(com, NULL);
        for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
            PCRE2_SPTR sub = (PCRE2_SPTR)subjects[i];
            int r1 = pcre2_match(dec, sub, strlen(subjects[i]), 0, 0, m1, NULL);
            int r2 = pcre2_match(com, sub, strlen(subjects[i]), 0, 0, m2, NULL);
            assert_int_equal(r1, r2);
            if (r1 > 0)
                assert_memory_equal(pcre2_get_ovector_pointer(m1), pcre2_get_ovector_pointer(m2),
                                    2 * (size_t)r1 * sizeof(PCRE2_SIZE));
        }
        pcre2_match_data_free(m1);
        pcre2_match_data_free(m2);
        pcre2_code_free(dec);
        pcre2_code_free(com);
    }
    assert_true(n >= 10);   /* the build found the built-in files' patterns */
    assert_null(tm_bytecode_pattern(0, "no such pattern", 15));
}

static void test_bad_pattern_and_flag(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256];
    assert_null(tm_re_get(re, "(", 1, "", err, sizeof err));
    assert_non_null(strstr(err, "bad regex at offset 1"));
    assert_null(tm_re_get(re, "a", 1, "q", err, sizeof err));
    assert_non_null(strstr(err, "unknown regex flag 'q'"));
    tm_re_free(re);
}

static void test_catastrophic(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256];
    const char *pat = "^(\\w+\\s?)*$";
    const pcre2_code *c = tm_re_get(re, pat, strlen(pat), "", err, sizeof err);
    char subj[200];
    memset(subj, 'a', sizeof subj);
    memcpy(subj + 150, " b c d e f g !", 14);
    PCRE2_SIZE *ov;
    assert_int_equal(tm_re_exec(re, c, subj, sizeof subj, 0, &ov, err, sizeof err), -3);   /* a limit */
    assert_non_null(strstr(err, "gave up"));
    tm_re_free(re);
}

static void test_substitute(void **state)
{
    (void)state;
    tm_re *re = tm_re_new(&lim);
    char err[256], buf[4];
    const pcre2_code *c = tm_re_get(re, "(\\d)", 4, "", err, sizeof err);
    size_t len = sizeof buf - 1;
    assert_int_equal(tm_re_substitute(re, c, "a1b2", 4, "<$1>", 4, buf, &len, err, sizeof err), -2);
    assert_int_equal(len, 9);   /* room needed, counting the terminating NUL */
    char big[32];
    len = sizeof big - 1;
    assert_int_equal(tm_re_substitute(re, c, "a1b2", 4, "<$1>", 4, big, &len, err, sizeof err), 2);
    big[len] = 0;
    assert_string_equal(big, "a<1>b<2>");
    tm_re_free(re);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_required_unit),
        cmocka_unit_test(test_may_match),
        cmocka_unit_test(test_utf8_classes),
        cmocka_unit_test(test_ascii_digits),
        cmocka_unit_test(test_prebuilt),
        cmocka_unit_test(test_bad_pattern_and_flag),
        cmocka_unit_test(test_catastrophic),
        cmocka_unit_test(test_substitute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
